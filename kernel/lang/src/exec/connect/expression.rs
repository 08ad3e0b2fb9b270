//! Columns of a neutral plan as Spark Connect expressions: names as unresolved
//! attributes, PySpark functions as unresolved functions (their registry signature tells
//! a column's name from a plain string), operators by Spark's function names.

use std::sync::Arc;

use faisca_connect::proto::Expression;
use faisca_connect::proto::expression::Window;
use faisca_connect::proto::expression::sort_order::{NullOrdering, SortDirection};
use faisca_connect::proto::expression::window::WindowFrame;
use faisca_connect::proto::expression::window::window_frame::frame_boundary::Boundary;
use faisca_connect::proto::expression::window::window_frame::{FrameBoundary, FrameType};
use faisca_connect::proto::expression::{Cast, ExprType, ExpressionString, SortOrder, cast};

use super::build::{alias, attribute, function, unsupported, wrap};
use super::literal::Py;
use crate::api::registry::registry;
use crate::core::error::LangError;
use crate::core::plan::{Arg, Plan};
use crate::core::value::Module;

/// An argument where PySpark takes a column or its name (`select("a")`).
pub fn column_arg(arg: &Arg) -> Result<Expression, LangError> {
    match arg {
        Arg::Plan(p) => column(p),
        Arg::Literal(repr) => match Py::parse(repr)? {
            Py::Str(name) => Ok(attribute(&name)),
            other => other.literal(),
        },
    }
}

/// An argument where PySpark takes a value (`col == 'x'`, `lit(3)`).
pub fn value_arg(arg: &Arg) -> Result<Expression, LangError> {
    match arg {
        Arg::Plan(p) => column(p),
        Arg::Literal(repr) => Py::parse(repr)?.literal(),
    }
}

/// Every column of `*cols`-style arguments, lists flattened.
pub fn columns(args: &[(&'static str, Arg)], param: &str) -> Result<Vec<Expression>, LangError> {
    let mut out = Vec::new();
    for (name, arg) in args {
        if *name != param {
            continue;
        }
        match arg {
            Arg::Literal(repr) => match Py::parse(repr)? {
                Py::List(items) => {
                    for item in items {
                        out.push(match item {
                            Py::Str(s) => attribute(&s),
                            other => other.literal()?,
                        });
                    }
                }
                Py::Str(s) => out.push(attribute(&s)),
                other => out.push(other.literal()?),
            },
            Arg::Plan(p) => out.push(column(p)?),
        }
    }
    Ok(out)
}

/// The literal argument `param`, if given.
pub fn literal_of(args: &[(&'static str, Arg)], param: &str) -> Result<Option<Py>, LangError> {
    match args.iter().find(|(n, _)| *n == param) {
        Some((_, Arg::Literal(repr))) => Py::parse(repr).map(Some),
        Some((_, Arg::Plan(_))) => Err(unsupported(&format!("a column as `{param}`"))),
        None => Ok(None),
    }
}

/// A Column's plan as an expression.
pub fn column(plan: &Arc<Plan>) -> Result<Expression, LangError> {
    match plan.as_ref() {
        // A column no recorded call made (a Python function's result, …): its name is
        // not something the server could resolve.
        Plan::Leaf(text) => Err(unsupported(&format!("the column {text}"))),
        Plan::Op { op, args } => operator(op, args),
        Plan::Call {
            name,
            receiver: None,
            args,
        } => call_function(name, args),
        Plan::Call {
            name,
            receiver: Some(receiver),
            args,
        } => match receiver.as_ref() {
            Plan::Model(model) => {
                let Some((_, text)) = args.iter().find(|(n, _)| *n == "col") else {
                    return Err(unsupported("predict() without a column"));
                };
                super::model::score(model, name, text)
            }
            _ => method(name, receiver, args),
        },
        Plan::Attr { name, .. } => Err(unsupported(name)),
        Plan::Model(_) => Err(unsupported("a model used as a column")),
    }
}

fn operator(op: &str, args: &[Arg]) -> Result<Expression, LangError> {
    let operands = args.iter().map(value_arg).collect::<Result<Vec<_>, _>>()?;
    let name = match (op, operands.len()) {
        ("&", 2) | ("and", 2) => "and",
        ("|", 2) | ("or", 2) => "or",
        ("~", 1) | ("not", 1) => "not",
        ("-", 1) => "negative",
        ("!=", 2) => {
            return Ok(function(
                "not",
                vec![function("==", operands, false)],
                false,
            ));
        }
        ("==" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%", 2) => op,
        ("//", 2) => "div",
        ("**", 2) => "power",
        _ => return Err(unsupported(&format!("the operator {op}"))),
    };
    Ok(function(name, operands, false))
}

/// PySpark functions whose Spark function has another name or shape.
fn call_function(name: &str, args: &[(&'static str, Arg)]) -> Result<Expression, LangError> {
    let arg = |param: &str| args.iter().find(|(n, _)| *n == param).map(|(_, a)| a);
    match name {
        "col" | "column" => match arg("col") {
            Some(a) => column_arg(a),
            None => Err(unsupported("col() without a name")),
        },
        "lit" => match arg("col") {
            Some(a) => value_arg(a),
            None => Err(unsupported("lit() without a value")),
        },
        "expr" => match literal_of(args, "str")? {
            Some(Py::Str(text)) => Ok(wrap(ExprType::ExpressionString(ExpressionString {
                expression: text,
            }))),
            _ => Err(unsupported("expr() without a string")),
        },
        "asc" | "desc" | "asc_nulls_first" | "asc_nulls_last" | "desc_nulls_first"
        | "desc_nulls_last" => match arg("col") {
            Some(a) => Ok(sort_order(column_arg(a)?, name)),
            None => Err(unsupported(name)),
        },
        "countDistinct" | "count_distinct" => Ok(function("count", every_column(args)?, true)),
        "sumDistinct" | "sum_distinct" => Ok(function("sum", every_column(args)?, true)),
        "mean" => Ok(function("avg", every_column(args)?, false)),
        "when" => Ok(function("when", when_args(args)?, false)),
        _ => generic_function(name, args),
    }
}

/// Every argument as a column (a string names one), in order.
fn every_column(args: &[(&'static str, Arg)]) -> Result<Vec<Expression>, LangError> {
    args.iter().map(|(_, a)| column_arg(a)).collect()
}

/// Arguments in signature order; a string names a column where the signature takes a
/// `ColumnOrName`, and is a plain value elsewhere.
fn generic_function(name: &str, args: &[(&'static str, Arg)]) -> Result<Expression, LangError> {
    let reg = registry();
    let id = reg
        .in_module(Module::Functions, name)
        .ok_or_else(|| unsupported(&format!("the function {name}")))?;
    let sig = reg.signature(id);
    let mut arguments = Vec::new();
    for (param, arg) in args {
        let names_columns = sig
            .params
            .iter()
            .find(|p| p.name == *param)
            .is_some_and(|p| p.ty.names_columns());
        if let Arg::Literal(repr) = arg
            && let Ok(Py::None) = Py::parse(repr)
        {
            continue;
        }
        arguments.push(if names_columns {
            column_arg(arg)?
        } else {
            value_arg(arg)?
        });
    }
    Ok(function(name, arguments, false))
}

fn when_args(args: &[(&'static str, Arg)]) -> Result<Vec<Expression>, LangError> {
    let mut out = Vec::new();
    for (param, arg) in args {
        out.push(match *param {
            "condition" => column_arg(arg)?,
            _ => value_arg(arg)?,
        });
    }
    Ok(out)
}

/// `column.method(args)`.
fn method(
    name: &str,
    receiver: &Arc<Plan>,
    args: &[(&'static str, Arg)],
) -> Result<Expression, LangError> {
    // `when(...).when(...).otherwise(...)` grows the one `when` call.
    if matches!(name, "when" | "otherwise") {
        let mut inner = column(receiver)?;
        if let Some(ExprType::UnresolvedFunction(f)) = &mut inner.expr_type
            && f.function_name == "when"
        {
            f.arguments.extend(when_args(args)?);
            return Ok(inner);
        }
        return Err(unsupported(&format!(
            "{name}() on something other than when()"
        )));
    }
    let this = column(receiver)?;
    let values = || {
        args.iter()
            .map(|(_, a)| value_arg(a))
            .collect::<Result<Vec<_>, _>>()
    };
    let with = |f: &str| -> Result<Expression, LangError> {
        let mut all = vec![this.clone()];
        all.extend(values()?);
        Ok(function(f, all, false))
    };
    match name {
        "alias" | "name" | "as_" => match literal_of(args, "alias")? {
            Some(Py::Str(n)) => Ok(alias(this, &n)),
            _ => Err(unsupported("alias() with several names")),
        },
        "cast" | "astype" => match args.first() {
            Some((_, Arg::Literal(repr))) => Ok(wrap(ExprType::Cast(Box::new(Cast {
                expr: Some(Box::new(this)),
                eval_mode: 0,
                cast_to_type: Some(cast::CastToType::TypeStr(type_name(repr)?)),
            })))),
            _ => Err(unsupported("cast() to this type")),
        },
        "asc" | "desc" | "asc_nulls_first" | "asc_nulls_last" | "desc_nulls_first"
        | "desc_nulls_last" => Ok(sort_order(this, name)),
        "over" => match args.iter().find(|(n, _)| *n == "window") {
            Some((_, Arg::Plan(spec))) => over(this, spec),
            _ => Err(unsupported("over() without a WindowSpec")),
        },
        "isNull" => Ok(function("isnull", vec![this], false)),
        "isNotNull" => Ok(function("isnotnull", vec![this], false)),
        "isNaN" => Ok(function("isnan", vec![this], false)),
        "eqNullSafe" => with("<=>"),
        "like" | "rlike" | "ilike" | "contains" | "startswith" | "endswith" => with(name),
        "substr" => with("substr"),
        "isin" => {
            let mut all = vec![this.clone()];
            all.extend(columns_as_values(args)?);
            Ok(function("in", all, false))
        }
        "between" => {
            let bounds = values()?;
            let [low, high] = <[Expression; 2]>::try_from(bounds)
                .map_err(|_| unsupported("between() without two bounds"))?;
            Ok(function(
                "and",
                vec![
                    function(">=", vec![this.clone(), low], false),
                    function("<=", vec![this, high], false),
                ],
                false,
            ))
        }
        _ => Err(unsupported(&format!("Column.{name}"))),
    }
}

/// `f.over(Window.partitionBy(…).orderBy(…).rowsBetween(…))`.
fn over(function: Expression, spec: &Arc<Plan>) -> Result<Expression, LangError> {
    let mut window = Window {
        window_function: Some(Box::new(function)),
        ..Default::default()
    };
    let mut step = spec;
    loop {
        match step.as_ref() {
            Plan::Leaf(w) if w == "Window" => break,
            Plan::Call {
                name,
                receiver: Some(inner),
                args,
            } => {
                match *name {
                    "partitionBy" => window.partition_spec = columns(args, "cols")?,
                    "orderBy" => {
                        for key in columns(args, "cols")? {
                            let key = match key.expr_type {
                                Some(ExprType::SortOrder(_)) => key,
                                _ => sort_order(key, "asc"),
                            };
                            if let Some(ExprType::SortOrder(order)) = key.expr_type {
                                window.order_spec.push(*order);
                            }
                        }
                    }
                    "rowsBetween" | "rangeBetween" => {
                        let bound = |param: &str| -> Result<FrameBoundary, LangError> {
                            let Some(Py::Int(at)) = literal_of(args, param)? else {
                                return Err(unsupported("a window frame bound that is not an int"));
                            };
                            Ok(FrameBoundary {
                                boundary: Some(match at {
                                    i64::MIN | i64::MAX => Boundary::Unbounded(true),
                                    0 => Boundary::CurrentRow(true),
                                    n => Boundary::Value(Box::new(Py::Int(n).literal()?)),
                                }),
                            })
                        };
                        window.frame_spec = Some(Box::new(WindowFrame {
                            frame_type: if *name == "rowsBetween" {
                                FrameType::Row
                            } else {
                                FrameType::Range
                            } as i32,
                            lower: Some(Box::new(bound("start")?)),
                            upper: Some(Box::new(bound("end")?)),
                        }));
                    }
                    other => return Err(unsupported(&format!("Window.{other}"))),
                }
                step = inner;
            }
            other => return Err(unsupported(&format!("the window {other}"))),
        }
    }
    Ok(wrap(ExprType::Window(Box::new(window))))
}

/// `isin('a', 'b')` or `isin(['a', 'b'])`: values, not names.
fn columns_as_values(args: &[(&'static str, Arg)]) -> Result<Vec<Expression>, LangError> {
    let mut out = Vec::new();
    for (_, arg) in args {
        match arg {
            Arg::Literal(repr) => match Py::parse(repr)? {
                Py::List(items) => {
                    for item in items {
                        out.push(item.literal()?);
                    }
                }
                other => out.push(other.literal()?),
            },
            Arg::Plan(p) => out.push(column(p)?),
        }
    }
    Ok(out)
}

/// A sort key; `how` is `asc`, `desc_nulls_last`, … (Spark's defaults: ascending puts
/// nulls first, descending last).
pub fn sort_order(child: Expression, how: &str) -> Expression {
    let descending = how.starts_with("desc");
    let nulls_first = if how.ends_with("nulls_first") {
        true
    } else if how.ends_with("nulls_last") {
        false
    } else {
        !descending
    };
    wrap(ExprType::SortOrder(Box::new(SortOrder {
        child: Some(Box::new(child)),
        direction: if descending {
            SortDirection::Descending
        } else {
            SortDirection::Ascending
        } as i32,
        null_ordering: if nulls_first {
            NullOrdering::SortNullsFirst
        } else {
            NullOrdering::SortNullsLast
        } as i32,
    })))
}

/// A type as Spark's SQL parser reads it: `'int'` as is, `IntegerType()` by name.
fn type_name(repr: &str) -> Result<String, LangError> {
    if let Ok(Py::Str(text)) = Py::parse(repr) {
        return Ok(text);
    }
    let class = repr.split('(').next().unwrap_or(repr).trim();
    let simple = match class {
        "StringType" => "string",
        "IntegerType" => "int",
        "LongType" => "bigint",
        "ShortType" => "smallint",
        "ByteType" => "tinyint",
        "DoubleType" => "double",
        "FloatType" => "float",
        "BooleanType" => "boolean",
        "DateType" => "date",
        "TimestampType" => "timestamp",
        "TimestampNTZType" => "timestamp_ntz",
        "BinaryType" => "binary",
        _ => return Err(unsupported(&format!("a cast to {repr}"))),
    };
    Ok(simple.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(
        name: &'static str,
        receiver: Option<Arc<Plan>>,
        args: Vec<(&'static str, Arg)>,
    ) -> Arc<Plan> {
        Arc::new(Plan::Call {
            name,
            receiver,
            args,
        })
    }

    fn lit(repr: &str) -> Arg {
        Arg::Literal(repr.to_string())
    }

    fn function_of(e: &Expression) -> (&str, usize) {
        match &e.expr_type {
            Some(ExprType::UnresolvedFunction(f)) => (f.function_name.as_str(), f.arguments.len()),
            other => panic!("not a function: {other:?}"),
        }
    }

    #[test]
    fn strings_name_columns_only_where_the_signature_says() {
        // length(col='nome'): a column; regexp_replace's pattern: a string.
        let length = call("length", None, vec![("col", lit("'nome'"))]);
        let e = column(&length).unwrap();
        let Some(ExprType::UnresolvedFunction(f)) = &e.expr_type else {
            panic!()
        };
        assert!(matches!(
            f.arguments[0].expr_type,
            Some(ExprType::UnresolvedAttribute(_))
        ));
        let replace = call(
            "regexp_replace",
            None,
            vec![
                ("string", lit("'nome'")),
                ("pattern", lit("'a'")),
                ("replacement", lit("'b'")),
            ],
        );
        let e = column(&replace).unwrap();
        let Some(ExprType::UnresolvedFunction(f)) = &e.expr_type else {
            panic!()
        };
        assert!(matches!(
            f.arguments[0].expr_type,
            Some(ExprType::UnresolvedAttribute(_))
        ));
        assert!(matches!(
            f.arguments[1].expr_type,
            Some(ExprType::Literal(_))
        ));
    }

    #[test]
    fn operators_take_values_and_not_equal_is_not_of_equal() {
        let name = call("col", None, vec![("col", lit("'nome'"))]);
        let ne = Arc::new(Plan::Op {
            op: "!=",
            args: vec![Arg::Plan(name.clone()), lit("'x'")],
        });
        let e = column(&ne).unwrap();
        assert_eq!(function_of(&e), ("not", 1));
        let and = Arc::new(Plan::Op {
            op: "&",
            args: vec![Arg::Plan(ne.clone()), Arg::Plan(ne)],
        });
        assert_eq!(function_of(&column(&and).unwrap()), ("and", 2));
    }

    #[test]
    fn when_chains_grow_one_call_and_unknown_methods_are_refused() {
        let name = call("col", None, vec![("col", lit("'n'"))]);
        let cond = Arc::new(Plan::Op {
            op: ">",
            args: vec![Arg::Plan(name.clone()), lit("1")],
        });
        let when = call(
            "when",
            None,
            vec![("condition", Arg::Plan(cond)), ("value", lit("'big'"))],
        );
        let otherwise = call("otherwise", Some(when), vec![("value", lit("'small'"))]);
        assert_eq!(function_of(&column(&otherwise).unwrap()), ("when", 3));
        let odd = call("dropFields", Some(name), vec![]);
        let err = column(&odd).unwrap_err();
        assert_eq!(err.ename, "PySparkNotImplementedError");
    }
}
