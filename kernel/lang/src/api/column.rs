//! Column methods: naming, casting, predicates, string tests, ordering, `when` chains.

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::convert::{literal, value_column};
use crate::api::entry::Entry;
use crate::api::functions::regex::like_regex;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::types::parse_type;
use crate::core::value::{Column, Receiver, Value};

const COL: Receiver = Receiver::Column;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        COL,
        "alias(*alias: str, metadata: dict = None) -> Column",
        "The same column under another name (a generator's columns under several).",
        alias,
    )
    .aliases(&["name"]),
    Entry::method(
        COL,
        "cast(dataType: DataType|str) -> Column",
        "Converts to a type named as in Spark (\"int\", \"string\", \"double\") or a type object.",
        cast,
    )
    .aliases(&["astype"]),
    Entry::method(
        COL,
        "isNull() -> Column",
        "True where the value is null.",
        is_null,
    ),
    Entry::method(
        COL,
        "isNotNull() -> Column",
        "True where the value is not null.",
        is_not_null,
    ),
    Entry::method(
        COL,
        "isin(*cols: any) -> Column",
        "True where the value is one of the given values.",
        isin,
    ),
    Entry::method(COL, "asc() -> Column", "Ascending order, for orderBy.", asc),
    Entry::method(
        COL,
        "asc_nulls_first() -> Column",
        "Ascending order, nulls first.",
        asc,
    ),
    Entry::method(
        COL,
        "asc_nulls_last() -> Column",
        "Ascending order, nulls last.",
        asc,
    ),
    Entry::method(
        COL,
        "desc_nulls_first() -> Column",
        "Descending order, nulls first.",
        desc,
    ),
    Entry::method(
        COL,
        "desc_nulls_last() -> Column",
        "Descending order, nulls last.",
        desc,
    ),
    Entry::method(
        COL,
        "desc() -> Column",
        "Descending order, for orderBy.",
        desc,
    ),
    Entry::method(
        COL,
        "when(condition: Column, value: any) -> Column",
        "Adds a branch to a when(...) chain.",
        when,
    ),
    Entry::method(
        COL,
        "otherwise(value: any) -> Column",
        "The value where no when(...) branch matched.",
        otherwise,
    ),
    Entry::method(
        COL,
        "like(other: str) -> Column",
        "SQL LIKE with % and _.",
        like,
    ),
    Entry::method(
        COL,
        "contains(other: str) -> Column",
        "True where the string contains `other`.",
        contains,
    ),
    Entry::method(
        COL,
        "startswith(other: str) -> Column",
        "True where the string starts with `other`.",
        startswith,
    ),
    Entry::method(
        COL,
        "endswith(other: str) -> Column",
        "True where the string ends with `other`.",
        endswith,
    ),
    Entry::method(
        COL,
        "substr(startPos: int|Column, length: int|Column) -> Column",
        "The substring from 1-based `startPos`, `length` characters long.",
        substr,
    ),
    Entry::method(
        COL,
        "between(lowerBound: any, upperBound: any) -> Column",
        "True where lowerBound <= value <= upperBound.",
        between,
    ),
];

fn derived(expr: Expr, name: String) -> Result<Value, LangError> {
    Ok(Value::Column(Box::new(Column::new(expr, name))))
}

fn alias(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let names: Vec<String> = call
        .rest_flat()
        .iter()
        .map(|(v, s)| crate::api::convert::as_str(v, *s))
        .collect::<Result<_, _>>()?;
    if !call.is_none("metadata") {
        return Err(LangError::unsupported("column metadata is not supported")
            .at(call.span_of("metadata"))
            .with_hint("drop metadata=…: Faísca's columns carry a name and a type only"));
    }
    if names.len() > 1 {
        // `stack(...).alias("x", "y")`: the struct fields an inline generator spreads.
        let Some(g) = c.generator.filter(|g| g.inline) else {
            return Err(LangError::new(
                "PySparkValueError",
                "[ONLY_ALLOWED_FOR_SINGLE_COLUMN] Argument `alias` can only be a single column name for a column that is not a multi-column generator.",
            )
            .at(call.span));
        };
        let renamed = c
            .expr
            .list()
            .eval(element().struct_().rename_fields(names.clone()));
        let mut out = Column::new(renamed, c.name);
        out.generator = Some(g);
        return Ok(Value::Column(Box::new(out)));
    }
    let Some(name) = names.into_iter().next() else {
        return Err(
            LangError::type_error("alias() missing required argument 'alias'").at(call.span),
        );
    };
    let mut out = Column::new(c.expr, name);
    out.aggregate = c.aggregate;
    out.generator = c.generator;
    out.window_order = c.window_order;
    Ok(Value::Column(Box::new(out)))
}

fn cast(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let dtype = match call.value("dataType") {
        Value::Type(t) => t.clone(),
        Value::Str(name) => parse_type(name).ok_or_else(|| {
            LangError::new("ParseException", format!("unknown data type '{name}'"))
                .at(call.span_of("dataType"))
                .with_hint("use string, int, bigint, double, float, boolean, date or timestamp")
        })?,
        other => return Err(call.wrong_receiver(other)),
    };
    let mut out = Column::new(c.expr.cast(dtype), c.name.clone());
    out.aggregate = c.aggregate;
    Ok(Value::Column(Box::new(out)))
}

fn is_null(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    derived(c.expr.is_null(), format!("({} IS NULL)", c.name))
}

fn is_not_null(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    derived(c.expr.is_not_null(), format!("({} IS NOT NULL)", c.name))
}

fn isin(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let mut cond = lit(false);
    for (v, s) in call.rest_flat() {
        cond = cond.or(c.expr.clone().eq(literal(&v, s)?.expr));
    }
    derived(cond, format!("({} IN (...))", c.name))
}

fn order(call: &Call, descending: bool) -> Result<Value, LangError> {
    Ok(ordered(call.this_column()?, descending, call.name))
}

/// The column sorted as `function` (`asc`, `desc_nulls_last`, …) says.
pub fn ordered(mut c: Column, descending: bool, function: &str) -> Value {
    c.descending = Some(descending);
    c.nulls_last = if function.ends_with("_nulls_first") {
        Some(false)
    } else if function.ends_with("_nulls_last") {
        Some(true)
    } else {
        None
    };
    Value::Column(Box::new(c))
}

fn asc(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    order(&call, false)
}

fn desc(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    order(&call, true)
}

/// `when(c1, v1).when(c2, v2).otherwise(o)`: the first matching branch wins, so the chain
/// nests from the last branch outwards. Without `otherwise` the rest is null and the
/// branches are kept so the chain can grow.
pub fn when_column(branches: Vec<(Expr, Expr)>, otherwise: Option<Expr>) -> Column {
    let fallback = otherwise.clone().unwrap_or(lit(NULL));
    let expr = branches.iter().rev().fold(fallback, |rest, (cond, value)| {
        polars::prelude::when(cond.clone())
            .then(value.clone())
            .otherwise(rest)
    });
    let mut c = Column::new(expr, "CASE WHEN");
    if otherwise.is_none() {
        c.branches = Some(branches);
    }
    c
}

fn when(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let Some(mut branches) = c.branches else {
        return Err(LangError::type_error("when() can only follow when(...)").at(call.span));
    };
    let cond = call.column("condition")?;
    let value = value_column(call.value("value"), call.span_of("value"))?;
    branches.push((cond.expr, value.expr));
    let mut out = when_column(branches, None);
    out.name = format!(
        "{} WHEN {} THEN {} END",
        c.name.trim_end_matches(" END"),
        cond.name,
        value.name
    );
    Ok(Value::Column(Box::new(out)))
}

fn otherwise(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let Some(branches) = c.branches else {
        return Err(LangError::type_error("otherwise() can only follow when(...)").at(call.span));
    };
    let value = value_column(call.value("value"), call.span_of("value"))?;
    let mut out = when_column(branches, Some(value.expr));
    out.name = format!(
        "{} ELSE {} END",
        c.name.trim_end_matches(" END"),
        value.name
    );
    Ok(Value::Column(Box::new(out)))
}

fn like(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let pattern = call.str("other")?;
    derived(
        c.expr
            .str()
            .contains(lit(like_regex(&pattern, '\\', false)), true),
        format!("{} LIKE {pattern}", c.name),
    )
}

fn contains(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let s = call.str("other")?;
    derived(
        c.expr.str().contains_literal(lit(s.clone())),
        format!("contains({}, {s})", c.name),
    )
}

fn startswith(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let s = call.str("other")?;
    derived(
        c.expr.str().starts_with(lit(s.clone())),
        format!("startswith({}, {s})", c.name),
    )
}

fn endswith(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let s = call.str("other")?;
    derived(
        c.expr.str().ends_with(lit(s.clone())),
        format!("endswith({}, {s})", c.name),
    )
}

fn substr(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let arg = |p: &str| -> Result<Column, LangError> {
        match call.value(p) {
            Value::Int(i) => Ok(Column::new(lit(*i), i.to_string())),
            v => crate::api::convert::to_column(v, call.span_of(p)),
        }
    };
    let (pos, len) = (arg("startPos")?, arg("length")?);
    Ok(Value::Column(Box::new(
        crate::api::functions::strings::substring_of(&c, &pos, &len, "substr"),
    )))
}

fn between(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let c = call.this_column()?;
    let lo = value_column(call.value("lowerBound"), call.span_of("lowerBound"))?;
    let hi = value_column(call.value("upperBound"), call.span_of("upperBound"))?;
    derived(
        c.expr.clone().gt_eq(lo.expr).and(c.expr.lt_eq(hi.expr)),
        format!(
            "(({} >= {}) AND ({} <= {}))",
            c.name, lo.name, c.name, hi.name
        ),
    )
}
