//! Spark's data types as Polars types, and their names both ways.

use polars::prelude::{DataType, Field, TimeUnit};

/// A map's entries are a list of structs with these two fields: Polars has no map type,
/// and the reserved names keep a map apart from an array of `key`/`value` structs.
pub const MAP_KEY: &str = "__map_key";
/// The value field of a map entry.
pub const MAP_VALUE: &str = "__map_value";

/// A VARIANT is a struct of this one field holding the value as canonical JSON text
/// (object keys sorted, as Spark's variant encoding sorts them); null inside is SQL NULL.
pub const VARIANT: &str = "__variant";

/// Spark's `variant` as Polars stores it.
pub fn variant_type() -> DataType {
    DataType::Struct(vec![Field::new(VARIANT.into(), DataType::String)])
}

/// Whether a type is a VARIANT.
pub fn is_variant(dtype: &DataType) -> bool {
    matches!(dtype, DataType::Struct(f) if f.len() == 1 && f[0].name() == VARIANT)
}

/// Spark's `map<key, value>` as Polars stores it.
pub fn map_type(key: DataType, value: DataType) -> DataType {
    DataType::List(Box::new(DataType::Struct(vec![
        Field::new(MAP_KEY.into(), key),
        Field::new(MAP_VALUE.into(), value),
    ])))
}

/// Whether a struct type is a map entry.
pub fn is_map_entry(dtype: &DataType) -> bool {
    matches!(dtype, DataType::Struct(f) if f.len() == 2 && f[0].name() == MAP_KEY && f[1].name() == MAP_VALUE)
}

/// A map type's key and value types.
pub fn map_parts(dtype: &DataType) -> Option<(&DataType, &DataType)> {
    match dtype {
        DataType::List(inner) if is_map_entry(inner) => match inner.as_ref() {
            DataType::Struct(f) => Some((f[0].dtype(), f[1].dtype())),
            _ => None,
        },
        _ => None,
    }
}

/// Spark's name for a Polars type, as in `DataFrame[a: string]` and `printSchema`.
pub fn spark_type(dtype: &DataType) -> String {
    if is_variant(dtype) {
        return "variant".into();
    }
    if let Some((k, v)) = map_parts(dtype) {
        return format!("map<{},{}>", spark_type(k), spark_type(v));
    }
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
        DataType::Struct(fields) => {
            let fs: Vec<String> = fields
                .iter()
                .map(|f| format!("{}:{}", f.name(), spark_type(f.dtype())))
                .collect();
            format!("struct<{}>", fs.join(","))
        }
        other => other.to_string(),
    }
}

/// Spark's `typeName()`, which `printSchema` prints: `long`, `integer`, `array`, …
pub fn type_name(dtype: &DataType) -> String {
    match spark_type(dtype).as_str() {
        "bigint" => "long".into(),
        "int" => "integer".into(),
        "smallint" => "short".into(),
        "tinyint" => "byte".into(),
        "void" => "void".into(),
        _ => match dtype {
            d if map_parts(d).is_some() => "map".into(),
            d if is_variant(d) => "variant".into(),
            DataType::List(_) => "array".into(),
            DataType::Struct(_) => "struct".into(),
            other => spark_type(other),
        },
    }
}

/// `printSchema`'s tree below a field of type `dtype`, indented at `depth`.
pub fn schema_tree(out: &mut String, name: &str, dtype: &DataType, depth: usize) {
    let pad = " |   ".repeat(depth);
    out.push_str(&format!(
        "{pad} |-- {name}: {} (nullable = true)\n",
        type_name(dtype)
    ));
    nested_tree(out, dtype, depth + 1);
}

fn nested_tree(out: &mut String, dtype: &DataType, depth: usize) {
    if let Some((k, v)) = map_parts(dtype) {
        let pad = " |   ".repeat(depth);
        out.push_str(&format!("{pad} |-- key: {}\n", type_name(k)));
        nested_tree(out, k, depth + 1);
        out.push_str(&format!(
            "{pad} |-- value: {} (valueContainsNull = true)\n",
            type_name(v)
        ));
        nested_tree(out, v, depth + 1);
        return;
    }
    match dtype {
        DataType::List(inner) => {
            let pad = " |   ".repeat(depth);
            out.push_str(&format!(
                "{pad} |-- element: {} (containsNull = true)\n",
                type_name(inner)
            ));
            nested_tree(out, inner, depth + 1);
        }
        DataType::Struct(fields) if !is_variant(dtype) => {
            for f in fields {
                schema_tree(out, f.name(), f.dtype(), depth);
            }
        }
        _ => {}
    }
}

/// A DDL schema's fields: `"a int, b array<string>"`, `"a: int"`, `"struct<a:int>"`, or
/// one bare type (`"int"`, one column named `value`, as Spark names it).
pub fn parse_ddl(ddl: &str) -> Result<Vec<(String, DataType)>, String> {
    let text = ddl.trim();
    if let Some(t) = parse_type(text) {
        return match t {
            DataType::Struct(fields) if text.to_lowercase().starts_with("struct") => Ok(fields
                .iter()
                .map(|f| (f.name().to_string(), f.dtype().clone()))
                .collect()),
            t => Ok(vec![("value".to_string(), t)]),
        };
    }
    split_top(text, ',')
        .into_iter()
        .map(|part| {
            let part = part.trim();
            let (name, ty) = part
                .split_once(|c: char| c.is_whitespace() || c == ':')
                .ok_or_else(|| format!("cannot parse schema field {part:?}"))?;
            let ty = ty.trim().trim_start_matches(':').trim();
            let name = name.trim().trim_matches('`').to_string();
            let t = parse_type(ty).ok_or_else(|| format!("unknown data type '{ty}'"))?;
            Ok((name, t))
        })
        .collect()
}

/// `text` split at `sep` outside `<…>` and `(…)`.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            c if c == sep && depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
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
        "variant" => "VariantType",
        other => return format!("{other}Type()"),
    };
    format!("{name}()")
}

/// A Spark type name (`"int"`, `"bigint"`, `"IntegerType()"`, `"array<int>"`,
/// `"struct<a:int,b:string>"`, …) as a Polars type.
pub fn parse_type(name: &str) -> Option<DataType> {
    let n = name.trim().to_lowercase();
    let raw = name.trim();
    if let Some(inner) = n.strip_prefix("array<").and_then(|r| r.strip_suffix('>')) {
        return Some(DataType::List(Box::new(parse_type(inner)?)));
    }
    if n.starts_with("map<") && n.ends_with('>') {
        let inner = &raw["map<".len()..raw.len() - 1];
        let [k, v] = split_top(inner, ',')[..] else {
            return None;
        };
        return Some(map_type(parse_type(k)?, parse_type(v)?));
    }
    if n.starts_with("struct<") && n.ends_with('>') {
        let inner = &raw["struct<".len()..raw.len() - 1];
        let mut fields = Vec::new();
        for part in split_top(inner, ',')
            .into_iter()
            .filter(|p| !p.trim().is_empty())
        {
            let (fname, fty) = part
                .split_once(':')
                .or_else(|| part.trim().split_once(' '))?;
            fields.push(Field::new(
                fname.trim().trim_matches('`').into(),
                parse_type(fty)?,
            ));
        }
        return Some(DataType::Struct(fields));
    }
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

    #[test]
    fn ddl_schemas_nest_and_ignore_case() {
        let fields = parse_ddl("a INT, b: array<string>, c struct<x:int, y:double>").unwrap();
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(spark_type(&fields[1].1), "array<string>");
        assert_eq!(spark_type(&fields[2].1), "struct<x:int,y:double>");
        assert_eq!(parse_ddl("INT").unwrap()[0].0, "value");
        assert_eq!(parse_ddl("struct<v1:int>").unwrap()[0].0, "v1");
        assert!(parse_ddl("a int, b nonsense").is_err());
        let m = parse_type("map<string, array<int>>").unwrap();
        assert_eq!(spark_type(&m), "map<string,array<int>>");
        assert_eq!(type_name(&m), "map");
        let mut tree = String::new();
        schema_tree(&mut tree, "b", &fields[1].1, 0);
        assert_eq!(
            tree,
            " |-- b: array (nullable = true)\n |    |-- element: string (containsNull = true)\n"
        );
    }
}
