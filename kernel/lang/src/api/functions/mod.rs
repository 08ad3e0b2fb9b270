//! `pyspark.sql.functions`, a file per family, and the type objects of
//! `pyspark.sql.types`.

pub mod aggregates;
pub mod arrays;
pub mod basics;
pub mod characters;
pub mod dates;
pub mod math;
pub mod strings;
pub mod types;
