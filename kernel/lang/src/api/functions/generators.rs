//! Functions that make rows: `explode`, `posexplode`, `inline` and their `_outer` forms.
//! Each returns its array or map as a column marked with what to do; `select` (see
//! `api::dataframe::generate`) turns it into rows, as Spark runs a generator.

use crate::api::call::Call;
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
