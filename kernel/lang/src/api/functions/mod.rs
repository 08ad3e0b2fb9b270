//! `pyspark.sql.functions`, a file per family, and the type objects of
//! `pyspark.sql.types`.

pub mod aggregates;
pub mod arithmetic;
pub mod array_edit;
pub mod arrays;
pub mod basics;
pub mod bits;
pub mod by_value;
pub mod calendar;
pub mod characters;
pub mod combining;
pub mod dates;
pub mod generators;
pub mod hashes;
pub mod json;
pub mod json_paths;
pub mod lambdas;
pub mod maps;
pub mod math;
pub mod nulls;
pub mod parsing;
pub mod random;
pub mod regex;
pub mod session_info;
pub mod statistics;
pub mod strings;
pub mod substrings;
pub mod text;
pub mod timestamps;
pub mod types;
pub mod variant;
pub mod zones;
