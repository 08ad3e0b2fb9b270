//! DataFrame methods, by concept.

pub mod actions;
pub mod columns;
pub mod combine;
pub mod generate;
pub mod inspect;
pub mod na;
pub mod partitions;
pub mod properties;
pub mod reshape;
pub mod setops;
pub mod stat;
pub mod storage;
pub mod transforms;
pub mod views;
