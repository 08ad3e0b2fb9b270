//! The bottom layer: spans and errors, values, data types, outputs, the engine trait and
//! the context API entries run in. Imports nothing from the other layers.

pub mod cache;
pub mod chart;
pub mod conf;
pub mod config;
pub mod context;
pub mod engine;
pub mod error;
pub mod io;
pub mod job;
pub mod names;
pub mod output;
pub mod plan;
pub mod rows;
pub mod types;
pub mod value;
pub mod views;
