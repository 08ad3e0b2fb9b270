//! The type objects of `pyspark.sql.types`, for `cast`.

use polars::prelude::{DataType, Field, TimeUnit};

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
    Entry::function(
        T,
        "ArrayType(elementType: DataType, containsNull: bool = True) -> DataType",
        "An array of `elementType` values (`array<int>`).",
        array_type,
    ),
    Entry::function(
        T,
        "MapType(keyType: DataType, valueType: DataType, valueContainsNull: bool = True) -> DataType",
        "A map from `keyType` to `valueType` values (`map<string,int>`).",
        map_type_fn,
    ),
    Entry::function(
        T,
        "StructField(name: str, dataType: DataType, nullable: bool = True, metadata: any = None) -> DataType",
        "One named field of a StructType.",
        struct_field,
    ),
    Entry::function(
        T,
        "StructType(fields: list = None) -> DataType",
        "A row type from StructFields: a schema for createDataFrame, or a struct column's type.",
        struct_type,
    ),
];

fn array_type(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    match call.value("elementType") {
        Value::Type(t) => Ok(Value::Type(DataType::List(Box::new(t.clone())))),
        other => Err(LangError::type_error(format!(
            "ArrayType() takes a DataType, got {}",
            other.type_name()
        ))
        .at(call.span_of("elementType"))),
    }
}

fn map_type_fn(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    match (call.value("keyType"), call.value("valueType")) {
        (Value::Type(k), Value::Type(v)) => Ok(Value::Type(crate::core::types::map_type(
            k.clone(),
            v.clone(),
        ))),
        _ => Err(LangError::type_error("MapType() takes two DataTypes").at(call.span)),
    }
}

/// A field travels as a one-field struct until `StructType` gathers it.
fn struct_field(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("name")?;
    match call.value("dataType") {
        Value::Type(t) => Ok(Value::Type(DataType::Struct(vec![Field::new(
            name.into(),
            t.clone(),
        )]))),
        other => Err(LangError::type_error(format!(
            "StructField() takes a DataType, got {}",
            other.type_name()
        ))
        .at(call.span_of("dataType"))),
    }
}

fn struct_type(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut fields = Vec::new();
    if let Value::List(items) = call.value("fields") {
        for item in items.iter() {
            match item {
                Value::Type(DataType::Struct(f)) if f.len() == 1 => fields.push(f[0].clone()),
                other => {
                    return Err(LangError::type_error(format!(
                        "StructType() takes a list of StructField, got {}",
                        other.type_name()
                    ))
                    .at(call.span_of("fields")));
                }
            }
        }
    }
    Ok(Value::Type(DataType::Struct(fields)))
}
