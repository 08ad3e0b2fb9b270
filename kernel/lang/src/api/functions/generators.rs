//! Functions that make rows: `explode`, `posexplode`, `inline` and their `_outer` forms,
//! and `stack`.
//! Each returns its array or map as a column marked with what to do; `select` (see
//! `api::dataframe::generate`) turns it into rows, as Spark runs a generator.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::to_column;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Column, Generator, Module, Value};

const F: &[Module] = &[Module::Functions];

macro_rules! generator {
    ($name:literal, $doc:literal, $fn:ident) => {
        Entry::function(
            F,
            concat!($name, "(col: ColumnOrName) -> Column"),
            $doc,
            $fn,
        )
    };
}

/// The entries.
pub const ENTRIES: &[Entry] = &[
    generator!(
        "explode",
        "A row per element of an array (`col`) or entry of a map (`key`, `value`); none for an empty or null one.",
        explode
    ),
    generator!(
        "explode_outer",
        "As explode, with a row of nulls for an empty or null array or map.",
        explode_outer
    ),
    generator!(
        "posexplode",
        "As explode, with each element's 0-based position in `pos`.",
        posexplode
    ),
    generator!(
        "posexplode_outer",
        "As posexplode, with a row of nulls for an empty or null array or map.",
        posexplode_outer
    ),
    generator!(
        "inline",
        "A row per struct of an array of structs, its fields as columns.",
        inline
    ),
    generator!(
        "inline_outer",
        "As inline, with a row of nulls for an empty or null array.",
        inline_outer
    ),
    Entry::function(
        F,
        "stack(*cols: ColumnOrName) -> Column",
        "The values after the first (`n`) spread over `n` rows, as columns `col0`, `col1`, … (nulls fill the last row).",
        stack,
    ),
];

/// The name a generator's output takes when not aliased.
pub const DEFAULT_NAME: &str = "col";

fn make(call: &Call, g: Generator) -> Result<Value, LangError> {
    let c = call.column("col")?;
    let mut out = Column::new(c.expr, DEFAULT_NAME);
    out.generator = Some(g);
    Ok(Value::Column(Box::new(out)))
}

const PLAIN: Generator = Generator {
    outer: false,
    position: false,
    inline: false,
};

fn explode(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(&call, PLAIN)
}
fn explode_outer(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        &call,
        Generator {
            outer: true,
            ..PLAIN
        },
    )
}
fn posexplode(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        &call,
        Generator {
            position: true,
            ..PLAIN
        },
    )
}
fn posexplode_outer(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        &call,
        Generator {
            outer: true,
            position: true,
            inline: false,
        },
    )
}
fn inline(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        &call,
        Generator {
            inline: true,
            ..PLAIN
        },
    )
}
fn inline_outer(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    make(
        &call,
        Generator {
            outer: true,
            position: false,
            inline: true,
        },
    )
}

fn stack(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let args = call.rest_flat();
    let Some(((first, first_span), values)) = args.split_first() else {
        return Err(
            LangError::type_error("stack() needs the number of rows and the values").at(call.span),
        );
    };
    let n = match first {
        Value::Int(n) => *n,
        Value::Column(c) => match &c.expr {
            Expr::Literal(v) => v
                .to_any_value()
                .and_then(|a| a.extract::<i64>())
                .unwrap_or(0),
            _ => 0,
        },
        _ => 0,
    };
    if n < 1 {
        return Err(LangError::analysis(
            "[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] stack()'s first argument must be a positive int literal",
        )
        .at(*first_span));
    }
    let cols = values
        .iter()
        .map(|(v, s)| to_column(v, *s))
        .collect::<Result<Vec<_>, _>>()?;
    let n = n as usize;
    let width = cols.len().div_ceil(n).max(1);
    let rows: Vec<Expr> = (0..n)
        .map(|r| {
            let fields: Vec<Expr> = (0..width)
                .map(|k| {
                    let e = match cols.get(r * width + k) {
                        Some(c) => c.expr.clone(),
                        // A null of the column's type in the first row.
                        None => when(lit(false))
                            .then(cols.get(k).map_or(lit(NULL), |c| c.expr.clone()))
                            .otherwise(lit(NULL)),
                    };
                    e.alias(format!("col{k}"))
                })
                .collect();
            as_struct(fields)
        })
        .collect();
    let list = concat_list(rows).map_err(|e| LangError::analysis(e.to_string()).at(call.span))?;
    let mut out = Column::new(list, "stack");
    out.generator = Some(Generator {
        inline: true,
        ..PLAIN
    });
    Ok(Value::Column(Box::new(out)))
}
