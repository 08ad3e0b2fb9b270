//! DataFrame methods, by concept.

pub mod actions;
pub mod combine;
pub mod inspect;
pub mod na;
pub mod properties;
pub mod storage;
pub mod transforms;
pub mod views;
