//! Map functions. A map column is a list of key/value entry structs (see
//! `core::types::map_type`), so these build and take apart such lists; lookups keep
//! Spark's answers (null for a missing key, the last value for a repeated one under
//! `LAST_WIN`).

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::{to_column, value_column};
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::types::{MAP_KEY, MAP_VALUE};
use crate::core::value::{Column, Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "create_map(*cols: ColumnOrName|list) -> Column",
        "A map from alternating key and value columns.",
        create_map,
    ),
    Entry::function(
        F,
        "map_keys(col: ColumnOrName) -> Column",
        "The map's keys, as an array.",
        map_keys,
    ),
    Entry::function(
        F,
        "map_values(col: ColumnOrName) -> Column",
        "The map's values, as an array.",
        map_values,
    ),
    Entry::function(
        F,
        "map_entries(col: ColumnOrName) -> Column",
        "The map as an array of `key`/`value` structs.",
        map_entries,
    ),
    Entry::function(
        F,
        "map_from_entries(col: ColumnOrName) -> Column",
        "A map from an array of two-field structs.",
        map_from_entries,
    ),
    Entry::function(
        F,
        "map_from_arrays(col1: ColumnOrName, col2: ColumnOrName) -> Column",
        "A map from an array of keys and an array of values.",
        map_from_arrays,
    ),
    Entry::function(
        F,
        "map_concat(*cols: ColumnOrName|list) -> Column",
        "The maps' entries together.",
        map_concat,
    ),
    Entry::function(
        F,
        "map_contains_key(col: ColumnOrName, value: any) -> Column",
        "Whether the map has the key.",
        map_contains_key,
    ),
    Entry::function(
        F,
        "str_to_map(text: ColumnOrName, pairDelim: ColumnOrName = None, keyValueDelim: ColumnOrName = None) -> Column",
        "A map<string,string> from text like `a:1,b:2`.",
        str_to_map,
    ),
];

fn named(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

fn entry(key: Expr, value: Expr) -> Expr {
    as_struct(vec![key.alias(MAP_KEY), value.alias(MAP_VALUE)])
}

fn field(e: Expr, name: &str) -> Expr {
    e.struct_().field_by_name(name)
}

fn create_map(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cols: Vec<Column> = call
        .rest_flat()
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect::<Result<_, _>>()?;
    if !cols.len().is_multiple_of(2) {
        return Err(LangError::analysis(format!(
            "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `map` requires an even number of parameters but the actual number is {}.",
            cols.len()
        ))
        .at(call.span));
    }
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    let label = format!("map({})", names.join(", "));
    if cols.is_empty() {
        let empty = Series::new_empty(
            "".into(),
            &crate::core::types::map_type(DataType::Null, DataType::Null),
        );
        return named(lit(empty).first(), label);
    }
    let entries: Vec<Expr> = cols
        .chunks(2)
        .map(|kv| entry(kv[0].expr.clone(), kv[1].expr.clone()))
        .collect();
    let expr =
        concat_list(entries).map_err(|e| LangError::type_error(e.to_string()).at(call.span))?;
    named(expr, label)
}

fn one(call: &Call) -> Result<Column, LangError> {
    call.column("col")
}

fn map_keys(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = one(&call)?;
    named(
        c.expr.list().eval(field(element(), MAP_KEY)),
        format!("map_keys({})", c.name),
    )
}

fn map_values(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = one(&call)?;
    named(
        c.expr.list().eval(field(element(), MAP_VALUE)),
        format!("map_values({})", c.name),
    )
}

fn map_entries(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = one(&call)?;
    let renamed = as_struct(vec![
        field(element(), MAP_KEY).alias("key"),
        field(element(), MAP_VALUE).alias("value"),
    ]);
    named(
        c.expr.list().eval(renamed),
        format!("map_entries({})", c.name),
    )
}

fn map_from_entries(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = one(&call)?;
    let e = element();
    let as_entry = entry(
        e.clone().struct_().field_by_index(0),
        e.struct_().field_by_index(1),
    );
    named(
        c.expr.list().eval(as_entry),
        format!("map_from_entries({})", c.name),
    )
}

fn map_from_arrays(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let k = to_column(call.value("col1"), call.span_of("col1"))?;
    let v = to_column(call.value("col2"), call.span_of("col2"))?;
    // Pair the arrays element by element: explode both with a row index, then rebuild.
    let keys = k.expr.clone();
    let values = v.expr.clone();
    let zipped = as_struct(vec![keys.alias("k"), values.alias("v")]).map(
        |c| {
            let ca = c.struct_()?.clone();
            let keys = ca.field_by_name("k")?;
            let values = ca.field_by_name("v")?;
            let (kl, vl) = (keys.list()?.clone(), values.list()?.clone());
            let mut rows: Vec<Option<Series>> = Vec::with_capacity(ca.len());
            for i in 0..ca.len() {
                let (ks, vs) = (kl.get_as_series(i), vl.get_as_series(i));
                rows.push(match (ks, vs) {
                    (Some(ks), Some(vs)) => {
                        if ks.len() != vs.len() {
                            polars_bail!(ComputeError: "[MAP_FROM_ARRAYS_LENGTH_MISMATCH] The key array and value array of map_from_arrays should have the same length.");
                        }
                        let s = StructChunked::from_series(
                            "".into(),
                            ks.len(),
                            [ks.with_name(MAP_KEY.into()), vs.with_name(MAP_VALUE.into())].iter(),
                        )?;
                        Some(s.into_series())
                    }
                    _ => None,
                });
            }
            let out: ListChunked = rows.into_iter().collect();
            Ok(out.into_series().into_column())
        },
        |_, f| {
            let DataType::Struct(fields) = f.dtype() else {
                polars_bail!(ComputeError: "map_from_arrays expects two arrays");
            };
            let inner = |i: usize| match fields.get(i).map(|f| f.dtype()) {
                Some(DataType::List(t)) => Ok((**t).clone()),
                _ => polars_bail!(ComputeError: "map_from_arrays expects two arrays"),
            };
            Ok(Field::new(
                f.name().clone(),
                crate::core::types::map_type(inner(0)?, inner(1)?),
            ))
        },
    );
    named(zipped, format!("map_from_arrays({}, {})", k.name, v.name))
}

fn map_concat(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let cols: Vec<Column> = call
        .rest_flat()
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect::<Result<_, _>>()?;
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    let exprs: Vec<Expr> = cols.iter().map(|c| c.expr.clone()).collect();
    let expr =
        concat_list(exprs).map_err(|e| LangError::type_error(e.to_string()).at(call.span))?;
    named(expr, format!("map_concat({})", names.join(", ")))
}

fn map_contains_key(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = one(&call)?;
    let key = value_column(call.value("value"), call.span_of("value"))?;
    let expr = c
        .expr
        .list()
        .eval(field(element(), MAP_KEY))
        .list()
        .contains(key.expr, false);
    named(expr, format!("map_contains_key({}, {})", c.name, key.name))
}

fn str_to_map(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.column("text")?;
    let delim = |p: &str, default: &str| -> Result<(Expr, String), LangError> {
        match call.value(p) {
            Value::None => Ok((lit(default.to_string()), default.to_string())),
            v => {
                let c = to_column(v, call.span_of(p))?;
                Ok((c.expr, c.name))
            }
        }
    };
    let (pair, pair_name) = delim("pairDelim", ",")?;
    let (kv, kv_name) = delim("keyValueDelim", ":")?;
    let Expr::Literal(kv_lit) = &kv else {
        return Err(LangError::unsupported(
            "str_to_map with a key/value delimiter from a column is not supported",
        )
        .at(call.span_of("keyValueDelim")));
    };
    let kv_text = kv_lit.extract_str().unwrap_or(":").to_string();
    let pairs = c.expr.str().split(pair);
    let parts = element().str().splitn(lit(kv_text), 2);
    let expr = pairs.list().eval(entry(
        parts.clone().struct_().field_by_index(0),
        parts.struct_().field_by_index(1),
    ));
    named(
        expr,
        format!("str_to_map({}, {pair_name}, {kv_name})", c.name),
    )
}
