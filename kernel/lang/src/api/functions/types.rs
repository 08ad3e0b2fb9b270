//! The type objects of `pyspark.sql.types`, for `cast`.

use polars::prelude::{DataType, TimeUnit};

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Module, Value};

const T: &[Module] = &[Module::Types];

macro_rules! type_object {
    ($name:ident, $dtype:expr) => {
        fn $name(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
            Ok(Value::Type($dtype))
        }
    };
}

type_object!(string, DataType::String);
type_object!(integer, DataType::Int32);
type_object!(long, DataType::Int64);
type_object!(double, DataType::Float64);
type_object!(float, DataType::Float32);
type_object!(boolean, DataType::Boolean);
type_object!(date, DataType::Date);
type_object!(timestamp, DataType::Datetime(TimeUnit::Microseconds, None));

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(T, "StringType() -> DataType", "Text (`string`).", string),
    Entry::function(
        T,
        "IntegerType() -> DataType",
        "32-bit integer (`int`).",
        integer,
    ),
    Entry::function(
        T,
        "LongType() -> DataType",
        "64-bit integer (`bigint`).",
        long,
    ),
    Entry::function(
        T,
        "DoubleType() -> DataType",
        "64-bit float (`double`).",
        double,
    ),
    Entry::function(
        T,
        "FloatType() -> DataType",
        "32-bit float (`float`).",
        float,
    ),
    Entry::function(
        T,
        "BooleanType() -> DataType",
        "True or False (`boolean`).",
        boolean,
    ),
    Entry::function(
        T,
        "DateType() -> DataType",
        "A calendar date (`date`).",
        date,
    ),
    Entry::function(
        T,
        "TimestampType() -> DataType",
        "A point in time, microseconds (`timestamp`).",
        timestamp,
    ),
];
