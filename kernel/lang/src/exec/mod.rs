//! The exec layer: the job log, interrupts, and the local Polars engine behind
//! `core::engine::Engine`.

pub mod abort;
pub mod connect;
pub mod dataset;
pub mod engines;
pub mod jobs;
pub mod polars;
