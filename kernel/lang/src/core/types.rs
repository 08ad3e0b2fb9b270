//! Spark's data types as Polars types, and their names both ways.

use polars::prelude::{DataType, TimeUnit};

/// Spark's name for a Polars type, as in `DataFrame[a: string]` and `printSchema`.
pub fn spark_type(dtype: &DataType) -> String {
    match dtype {
        DataType::String => "string".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Int8 => "tinyint".into(),
        DataType::Int16 => "smallint".into(),
        DataType::Int32 => "int".into(),
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "bigint".into(),
        DataType::UInt8 | DataType::UInt16 => "int".into(),
        DataType::Float32 => "float".into(),
        DataType::Float64 => "double".into(),
        DataType::Date => "date".into(),
        DataType::Datetime(_, _) => "timestamp".into(),
        DataType::Null => "void".into(),
        DataType::List(inner) => format!("array<{}>", spark_type(inner)),
        other => other.to_string(),
    }
}

/// PySpark's type object for a Polars type: `StringType()`, `LongType()`, …
pub fn type_object(dtype: &DataType) -> String {
    let name = match spark_type(dtype).as_str() {
        "string" => "StringType",
        "bigint" => "LongType",
        "int" => "IntegerType",
        "smallint" => "ShortType",
        "tinyint" => "ByteType",
        "double" => "DoubleType",
        "float" => "FloatType",
        "boolean" => "BooleanType",
        "date" => "DateType",
        "timestamp" => "TimestampType",
        "void" => "NullType",
        other => return format!("{other}Type()"),
    };
    format!("{name}()")
}

/// A Spark type name (`"int"`, `"bigint"`, `"IntegerType()"`, …) as a Polars type.
pub fn parse_type(name: &str) -> Option<DataType> {
    let n = name.trim().to_lowercase();
    let n = n.trim_end_matches("()").trim_end_matches("type");
    Some(match n {
        "string" | "str" | "varchar" => DataType::String,
        "int" | "integer" | "int32" => DataType::Int32,
        "bigint" | "long" | "int64" => DataType::Int64,
        "smallint" | "short" => DataType::Int16,
        "tinyint" | "byte" => DataType::Int8,
        "double" | "float64" => DataType::Float64,
        "float" | "real" | "float32" => DataType::Float32,
        "boolean" | "bool" => DataType::Boolean,
        "date" => DataType::Date,
        "timestamp" => DataType::Datetime(TimeUnit::Microseconds, None),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "string",
            "int",
            "bigint",
            "double",
            "float",
            "boolean",
            "date",
            "timestamp",
        ] {
            let t = parse_type(name).unwrap();
            assert_eq!(spark_type(&t), name);
            assert_eq!(parse_type(&type_object(&t)), Some(t));
        }
        assert_eq!(parse_type("no_such_type"), None);
    }
}
