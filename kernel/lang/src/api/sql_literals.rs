//! Spark SQL's literal tables: `FROM VALUES (…), (…) AS t(a, b)` and a `SELECT` of
//! constants without `FROM`. Spark evaluates `ARRAY(…)`, `NAMED_STRUCT(…)`, `DATE '…'`,
//! `float('nan')` and `PI() / 2` in them where Polars' SQL takes plain literals only, and
//! infers a column of nulls from its other rows. They are evaluated here into Python
//! values and built as `createDataFrame` builds rows; the rest of the query still runs in
//! the engine, over the built table.

use polars::prelude::LazyFrame;
use sqlparser::ast::{
    self as sql, BinaryOperator, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    SelectItem, SetExpr, TableFactor, UnaryOperator,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

use crate::api::create::create_dataframe;
use crate::core::error::{LangError, Span};
use crate::core::value::Value;

/// The query with each literal table replaced by a name, and the tables to register.
pub struct Rewritten {
    /// The query to run.
    pub sql: String,
    /// `(name, table)` for each literal table.
    pub tables: Vec<(String, LazyFrame)>,
    /// Bytes the `range(…)` tables will hold, for the memory check.
    pub range_bytes: u128,
}

/// The query rewritten over built tables; `None` when it has no literal table this
/// module evaluates (the engine then runs it as it is).
pub fn rewrite(query: &str) -> Option<Result<Rewritten, LangError>> {
    let mut statements = Parser::parse_sql(&GenericDialect {}, query).ok()?;
    let [sql::Statement::Query(q)] = statements.as_mut_slice() else {
        return None;
    };
    let SetExpr::Select(select) = q.body.as_mut() else {
        return None;
    };
    let mut tables = Vec::new();
    let mut range_bytes = 0u128;
    if select.from.is_empty() {
        let (names, row) = constant_row(&select.projection)?;
        let rows = Value::List(vec![Value::Tuple(row.into())].into());
        return Some(build(&rows, names).map(|lf| Rewritten {
            sql: "SELECT * FROM __literal_0".into(),
            tables: vec![("__literal_0".into(), lf)],
            range_bytes: 0,
        }));
    }
    for from in &mut select.from {
        let relations = std::iter::once(&mut from.relation)
            .chain(from.joins.iter_mut().map(|j| &mut j.relation));
        for relation in relations {
            if let Some(range) = range_table(relation) {
                let name = format!("__literal_{}", tables.len());
                let (lf, alias, rows) = match range {
                    Ok(r) => r,
                    Err(e) => return Some(Err(e)),
                };
                range_bytes += rows * 8;
                let alias_name = alias.map_or_else(|| "range".to_string(), |a| a.name.value);
                let factor = Parser::new(&GenericDialect {})
                    .try_with_sql(&format!("{name} AS {alias_name}"))
                    .ok()?
                    .parse_table_factor()
                    .ok()?;
                *relation = factor;
                tables.push((name, lf));
                continue;
            }
            let Some((rows, alias)) = values_table(relation) else {
                continue;
            };
            let name = format!("__literal_{}", tables.len());
            let names: Vec<String> = match &alias {
                Some(a) if !a.columns.is_empty() => {
                    a.columns.iter().map(|c| c.name.value.clone()).collect()
                }
                _ => (1..=rows.first().map_or(0, Vec::len))
                    .map(|i| format!("col{i}"))
                    .collect(),
            };
            let tuples: Vec<Value> = rows.into_iter().map(|r| Value::Tuple(r.into())).collect();
            let lf = match build(&Value::List(tuples.into()), names) {
                Ok(lf) => lf,
                Err(e) => return Some(Err(e)),
            };
            let alias_name = alias.map_or_else(|| name.clone(), |a| a.name.value);
            let text = format!("{name} AS {alias_name}");
            let factor = Parser::new(&GenericDialect {})
                .try_with_sql(&text)
                .ok()?
                .parse_table_factor()
                .ok()?;
            *relation = factor;
            tables.push((name, lf));
        }
    }
    if tables.is_empty() {
        return None;
    }
    Some(Ok(Rewritten {
        sql: statements[0].to_string(),
        tables,
        range_bytes,
    }))
}

fn build(rows: &Value, names: Vec<String>) -> Result<LazyFrame, LangError> {
    let schema = Value::List(names.into_iter().map(Value::Str).collect::<Vec<_>>().into());
    let span = Span::new(0, 0);
    create_dataframe(rows, span, (&schema, span))
}

/// `range(end)`, `range(start, end[, step])`: Spark's table function, column `id`.
type RangeTable = (LazyFrame, Option<sql::TableAlias>, u128);

fn range_table(relation: &TableFactor) -> Option<Result<RangeTable, LangError>> {
    let TableFactor::Table {
        name,
        args: Some(args),
        alias,
        ..
    } = relation
    else {
        return None;
    };
    if !name.to_string().eq_ignore_ascii_case("range") {
        return None;
    }
    let numbers: Option<Vec<i64>> = args
        .args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => match constant(e)? {
                Value::Int(i) => Some(i),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let (start, end, step) = match numbers?.as_slice() {
        [end] => (0, *end, 1),
        [start, end] => (*start, *end, 1),
        [start, end, step, ..] => (*start, *end, *step),
        [] => return None,
    };
    if step == 0 {
        return Some(Err(LangError::new(
            "IllegalArgumentException",
            "requirement failed: The step of range() must not be 0",
        )));
    }
    use polars::prelude::{DataFrame, DataType, IntoLazy, int_range, lit};
    let (span, by) = (i128::from(end) - i128::from(start), i128::from(step));
    let rows = if (span > 0) == (by > 0) && span != 0 {
        ((span.abs() + by.abs() - 1) / by.abs()) as u128
    } else {
        0
    };
    let ids = int_range(lit(start), lit(end), step, DataType::Int64).alias("id");
    Some(Ok((
        DataFrame::empty().lazy().select([ids]),
        alias.clone(),
        rows,
    )))
}

/// A `VALUES` relation's rows, when every value is a constant this module evaluates.
fn values_table(relation: &TableFactor) -> Option<(Vec<Vec<Value>>, Option<sql::TableAlias>)> {
    let TableFactor::Derived {
        subquery, alias, ..
    } = relation
    else {
        return None;
    };
    let SetExpr::Values(values) = subquery.body.as_ref() else {
        return None;
    };
    let rows = values
        .rows
        .iter()
        .map(|row| row.content.iter().map(constant).collect::<Option<Vec<_>>>())
        .collect::<Option<Vec<_>>>()?;
    Some((rows, alias.clone()))
}

/// `SELECT ARRAY(1, 2) AS a, 'x' AS b`: the names and the one row, when every item is a
/// constant (at least one of them one Polars' SQL would not take).
fn constant_row(items: &[SelectItem]) -> Option<(Vec<String>, Vec<Value>)> {
    let mut names = Vec::new();
    let mut row = Vec::new();
    let mut needed = false;
    for item in items {
        let (e, name) = match item {
            SelectItem::ExprWithAlias { expr, alias } => (expr, alias.value.clone()),
            SelectItem::UnnamedExpr(expr) => (expr, expr.to_string()),
            _ => return None,
        };
        needed |= !matches!(e, Expr::Value(_));
        names.push(name);
        row.push(constant(e)?);
    }
    needed.then_some((names, row))
}

fn args(f: &sql::Function) -> Option<Vec<&Expr>> {
    match &f.args {
        FunctionArguments::None => Some(Vec::new()),
        FunctionArguments::List(list) => list
            .args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect(),
        FunctionArguments::Subquery(_) => None,
    }
}

/// A constant expression's value; `None` for anything else.
fn constant(e: &Expr) -> Option<Value> {
    Some(match e {
        Expr::Value(v) => match &v.value {
            sql::Value::Number(n, _) => match n.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => Value::Float(n.parse().ok()?),
            },
            sql::Value::SingleQuotedString(s) | sql::Value::DoubleQuotedString(s) => {
                Value::Str(s.clone())
            }
            sql::Value::Boolean(b) => Value::Bool(*b),
            sql::Value::Null => Value::None,
            _ => return None,
        },
        // Spark reads "text" as a string, where standard SQL reads an identifier.
        Expr::Identifier(id) if id.quote_style == Some('"') => Value::Str(id.value.clone()),
        Expr::Nested(inner) => constant(inner)?,
        Expr::UnaryOp { op, expr } => match (op, constant(expr)?) {
            (UnaryOperator::Minus, Value::Int(i)) => Value::Int(i.checked_neg()?),
            (UnaryOperator::Minus, Value::Float(f)) => Value::Float(-f),
            (UnaryOperator::Plus, v @ (Value::Int(_) | Value::Float(_))) => v,
            _ => return None,
        },
        Expr::BinaryOp { left, op, right } => arithmetic(op, constant(left)?, constant(right)?)?,
        Expr::Array(a) => Value::List(
            a.elem
                .iter()
                .map(constant)
                .collect::<Option<Vec<_>>>()?
                .into(),
        ),
        Expr::TypedString(t) => {
            let text = match &t.value.value {
                sql::Value::SingleQuotedString(s) | sql::Value::DoubleQuotedString(s) => s,
                _ => return None,
            };
            typed(&t.data_type, text)?
        }
        Expr::Function(f) => function(f)?,
        _ => return None,
    })
}

fn typed(t: &DataType, text: &str) -> Option<Value> {
    Some(match t {
        DataType::Date => Value::Date(text.trim().parse().ok()?),
        DataType::Timestamp(..) | DataType::Datetime(_) => {
            let t = text.trim();
            let parsed = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S"))
                .ok()?;
            Value::Timestamp(parsed)
        }
        _ => return None,
    })
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn arithmetic(op: &BinaryOperator, l: Value, r: Value) -> Option<Value> {
    if let (Value::Int(a), Value::Int(b)) = (&l, &r) {
        match op {
            BinaryOperator::Plus => return a.checked_add(*b).map(Value::Int),
            BinaryOperator::Minus => return a.checked_sub(*b).map(Value::Int),
            BinaryOperator::Multiply => return a.checked_mul(*b).map(Value::Int),
            _ => {}
        }
    }
    let (a, b) = (number(&l)?, number(&r)?);
    Some(Value::Float(match op {
        BinaryOperator::Plus => a + b,
        BinaryOperator::Minus => a - b,
        BinaryOperator::Multiply => a * b,
        // Spark's `/` is a division of doubles; by zero it is null.
        BinaryOperator::Divide if b == 0.0 => return Some(Value::None),
        BinaryOperator::Divide => a / b,
        _ => return None,
    }))
}

fn function(f: &sql::Function) -> Option<Value> {
    let name = f.name.to_string().to_lowercase();
    let values: Vec<Value> = args(f)?.into_iter().map(constant).collect::<Option<_>>()?;
    Some(match (name.as_str(), values.as_slice()) {
        ("array", _) => Value::List(values.into()),
        ("named_struct", _) if values.len().is_multiple_of(2) => {
            let mut fields = Vec::new();
            for pair in values.chunks(2) {
                let Value::Str(key) = &pair[0] else {
                    return None;
                };
                fields.push((key.clone(), pair[1].clone()));
            }
            Value::Row(fields)
        }
        ("struct", _) => Value::Row(
            values
                .into_iter()
                .enumerate()
                .map(|(i, v)| (format!("col{}", i + 1), v))
                .collect(),
        ),
        ("map", _) if values.len().is_multiple_of(2) => Value::Dict(
            values
                .chunks(2)
                .map(|kv| (kv[0].clone(), kv[1].clone()))
                .collect::<Vec<_>>()
                .into(),
        ),
        ("pi", []) => Value::Float(std::f64::consts::PI),
        ("e", []) => Value::Float(std::f64::consts::E),
        ("float" | "double", [v]) => match v {
            Value::None => Value::None,
            Value::Str(s) => Value::Float(match s.trim().to_lowercase().as_str() {
                "nan" => f64::NAN,
                "inf" | "infinity" => f64::INFINITY,
                "-inf" | "-infinity" => f64::NEG_INFINITY,
                other => other.parse().ok()?,
            }),
            other => Value::Float(number(other)?),
        },
        ("int" | "bigint", [Value::None]) => Value::None,
        ("int" | "bigint", [Value::Int(i)]) => Value::Int(*i),
        ("date", [Value::Str(s)]) => typed(&DataType::Date, s)?,
        _ => return None,
    })
}
