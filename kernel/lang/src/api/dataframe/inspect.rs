//! Looking at a DataFrame without running it (`printSchema`, `explain`), and `describe`.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::{check_names, frame_value};
use crate::api::convert::as_str;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::{LangError, polars_error};
use crate::core::output::Output;
use crate::core::types::schema_tree;
use crate::core::value::{Receiver, Value};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "printSchema(level: int = None) -> None",
        "Prints the schema as a tree (`level` nested levels deep). Not a job.",
        print_schema,
    ),
    Entry::method(
        DF,
        "explain(extended: bool|str = None, mode: str = None) -> None",
        "Prints the optimized plan that would run. Not a job.",
        explain,
    ),
    Entry::method(
        DF,
        "describe(*cols: str|list) -> DataFrame",
        "count, mean, stddev, min and max of each column.",
        describe,
    ),
];

fn print_schema(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let mut text = String::from("root\n");
    let mut tree = String::new();
    for (n, t) in f.schema.iter() {
        schema_tree(&mut tree, n, t, 0);
    }
    let level = call.opt_int("level")?.unwrap_or(i64::MAX).max(1) as usize;
    for line in tree.lines() {
        // A line's depth is how many ` |   ` come before its ` |-- `.
        if line.matches(" |   ").count() < level {
            text.push_str(line);
            text.push('\n');
        }
    }
    ctx.emit(Output::Stdout(text));
    Ok(Value::None)
}

fn explain(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let plan = ctx.engine().explain(&f.lf)?;
    let mut text = format!(
        "== Optimized Plan (Polars) ==\n{plan}\n\n== Calls (engine-neutral) ==\n{}\n",
        f.plan
    );
    if call.given("extended") || call.given("mode") {
        text.push_str("(Faísca has one plan to show: the optimized one, for every mode)\n");
    }
    ctx.emit(Output::Stdout(text));
    Ok(Value::None)
}

fn describe(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let cols: Vec<String> = if call.rest_flat().is_empty() {
        f.columns()
    } else {
        call.rest_flat()
            .iter()
            .map(|(v, s)| as_str(v, *s))
            .collect::<Result<_, _>>()?
    };
    check_names(&f, &cols, call.span)?;
    let stat = |label: &str, g: &dyn Fn(Expr) -> Expr| {
        let mut exprs = vec![lit(label).alias("summary")];
        for c in &cols {
            let numeric = f.schema.get(c).is_some_and(|t| t.is_primitive_numeric());
            let e = if numeric || matches!(label, "count" | "min" | "max") {
                g(col(c.as_str()))
            } else {
                lit(NULL)
            };
            exprs.push(e.cast(DataType::String).alias(c.as_str()));
        }
        f.lf.clone().select(exprs)
    };
    let parts = vec![
        stat("count", &|e| e.count()),
        stat("mean", &|e| e.cast(DataType::Float64).mean()),
        stat("stddev", &|e| e.cast(DataType::Float64).std(1)),
        stat("min", &|e| e.min()),
        stat("max", &|e| e.max()),
    ];
    let all = concat(parts, UnionArgs::default()).map_err(polars_error)?;
    frame_value(ctx, all, call.span)
}
