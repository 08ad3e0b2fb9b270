//! Spark SQL expressions as columns: `expr("…")`, `selectExpr`, `filter("…")`. The text
//! is parsed by sqlparser; names become columns, operators the Column operators (so
//! results are named as Spark names them), and function calls go to the registry's
//! `pyspark.sql.functions` entries by name — SQL and Python reach one implementation.

use polars::prelude::*;
use sqlparser::ast::{
    self as sql, BinaryOperator, DataType as SqlType, Expr as SqlExpr, FunctionArg,
    FunctionArgExpr, FunctionArguments, SelectItem, SetExpr, Statement, UnaryOperator,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

use crate::api::column::when_column;
use crate::api::column_access::{Key, item};
use crate::api::convert::{literal, plain_col, value_column};
use crate::api::operators::{binary, unary};
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::types::parse_type;
use crate::core::value::{Column, Value};
use crate::syntax::ast::{BinOp, UnOp};

const F: &[crate::core::value::Module] = &[crate::core::value::Module::Functions];

/// The entries.
pub const ENTRIES: &[crate::api::entry::Entry] = &[crate::api::entry::Entry::function(
    F,
    "expr(str: str) -> Column",
    "A column from a Spark SQL expression (`\"age + 1\"`, `\"length(name) > 3\"`).",
    expr_fn,
)];

fn expr_fn(ctx: &mut dyn Context, call: crate::api::call::Call) -> Result<Value, LangError> {
    let text = call.str("str")?;
    let c = sql_column(ctx, &text, call.span_of("str"))?;
    Ok(Value::Column(Box::new(c)))
}

/// Nesting beyond this is refused before it can exhaust the stack.
const MAX_DEPTH: usize = 200;

/// One SQL expression (with an optional `AS alias`) as a column.
pub fn sql_column(ctx: &mut dyn Context, text: &str, span: Span) -> Result<Column, LangError> {
    let parse_error = |e: String| {
        LangError::new("ParseException", format!("[PARSE_SYNTAX_ERROR] {e}"))
            .at(span)
            .with_hint("a Spark SQL expression, e.g. \"age + 1 AS older\"")
    };
    let statements = Parser::new(&GenericDialect {})
        .with_recursion_limit(MAX_DEPTH)
        .try_with_sql(&format!("SELECT {text}"))
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| parse_error(e.to_string()))?;
    let [Statement::Query(q)] = statements.as_slice() else {
        return Err(parse_error("expected one expression".into()));
    };
    let SetExpr::Select(select) = q.body.as_ref() else {
        return Err(parse_error("expected one expression".into()));
    };
    if !select.from.is_empty() || select.selection.is_some() || q.order_by.is_some() {
        return Err(parse_error("expected one expression, not a query".into()));
    }
    let [item] = select.projection.as_slice() else {
        return Err(parse_error(format!(
            "expected one expression, found {}",
            select.projection.len()
        )));
    };
    let (e, alias) = match item {
        SelectItem::UnnamedExpr(e) => (e, None),
        SelectItem::ExprWithAlias { expr, alias } => (expr, Some(alias.value.clone())),
        SelectItem::Wildcard(_) => return Ok(plain_col("*")),
        _ => return Err(parse_error("expected an expression".into())),
    };
    let mut c = as_column(Translate { ctx, span }.expr(e)?, span)?;
    if let Some(a) = alias {
        let mut out = Column::new(c.expr, a);
        out.aggregate = c.aggregate;
        out.generator = c.generator;
        c = out;
    }
    Ok(c)
}

fn as_column(v: Value, span: Span) -> Result<Column, LangError> {
    value_column(&v, span)
}

struct Translate<'a, 'c> {
    ctx: &'a mut (dyn Context + 'c),
    span: Span,
}

impl Translate<'_, '_> {
    fn unsupported(&self, what: impl std::fmt::Display) -> LangError {
        LangError::unsupported(format!("{what} in a SQL expression is not supported")).at(self.span)
    }

    fn col(&mut self, e: &SqlExpr) -> Result<Column, LangError> {
        let v = self.expr(e)?;
        as_column(v, self.span)
    }

    /// A SQL value: columns as `Value::Column`, constants as Python values (a function's
    /// signature then decides whether a string is text or a column, see
    /// `Context::call_function`).
    fn expr(&mut self, e: &SqlExpr) -> Result<Value, LangError> {
        Ok(match e {
            SqlExpr::Identifier(id) if id.quote_style == Some('"') => {
                Value::Column(Box::new(literal(&Value::Str(id.value.clone()), self.span)?))
            }
            SqlExpr::Identifier(id) => Value::Column(Box::new(plain_col(&id.value))),
            SqlExpr::CompoundIdentifier(parts) => {
                let mut c = plain_col(&parts[0].value);
                for p in &parts[1..] {
                    c = item(&c, Key::Name(p.value.clone()), true);
                }
                Value::Column(Box::new(c))
            }
            SqlExpr::Value(v) => match &v.value {
                sql::Value::Number(n, _) => match n.parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    Err(_) => Value::Float(n.parse().map_err(|_| self.unsupported(n))?),
                },
                sql::Value::SingleQuotedString(s) | sql::Value::DoubleQuotedString(s) => {
                    Value::Column(Box::new(literal(&Value::Str(s.clone()), self.span)?))
                }
                sql::Value::Boolean(b) => Value::Bool(*b),
                sql::Value::Null => Value::None,
                other => return Err(self.unsupported(other)),
            },
            SqlExpr::Nested(inner) => self.expr(inner)?,
            SqlExpr::UnaryOp { op, expr } => {
                let v = self.expr(expr)?;
                match op {
                    UnaryOperator::Not => unary(UnOp::Invert, to_col_value(v, self.span)?)?,
                    UnaryOperator::Minus => unary(UnOp::Neg, v)?,
                    UnaryOperator::Plus => v,
                    other => return Err(self.unsupported(other)),
                }
            }
            SqlExpr::BinaryOp { left, op, right } => {
                let (l, r) = (self.expr(left)?, self.expr(right)?);
                let op = match op {
                    BinaryOperator::Plus => BinOp::Add,
                    BinaryOperator::Minus => BinOp::Sub,
                    BinaryOperator::Multiply => BinOp::Mul,
                    BinaryOperator::Divide => BinOp::Div,
                    BinaryOperator::Modulo => BinOp::Mod,
                    BinaryOperator::Eq => BinOp::Eq,
                    BinaryOperator::NotEq => BinOp::Ne,
                    BinaryOperator::Lt => BinOp::Lt,
                    BinaryOperator::LtEq => BinOp::Le,
                    BinaryOperator::Gt => BinOp::Gt,
                    BinaryOperator::GtEq => BinOp::Ge,
                    BinaryOperator::And => BinOp::BitAnd,
                    BinaryOperator::Or => BinOp::BitOr,
                    BinaryOperator::Spaceship => {
                        let (l, r) = (as_column(l, self.span)?, as_column(r, self.span)?);
                        return Ok(Value::Column(Box::new(Column::new(
                            l.expr.eq_missing(r.expr),
                            format!("({} <=> {})", l.name, r.name),
                        ))));
                    }
                    other => return Err(self.unsupported(other)),
                };
                binary(op, to_col_value(l, self.span)?, r)?
            }
            SqlExpr::IsNull(inner) => {
                let c = self.col(inner)?;
                column(c.expr.is_null(), format!("({} IS NULL)", c.name))
            }
            SqlExpr::IsNotNull(inner) => {
                let c = self.col(inner)?;
                column(c.expr.is_not_null(), format!("({} IS NOT NULL)", c.name))
            }
            SqlExpr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let (c, lo, hi) = (self.col(expr)?, self.col(low)?, self.col(high)?);
                let inside = c.expr.clone().gt_eq(lo.expr).and(c.expr.lt_eq(hi.expr));
                let name = format!(
                    "(({} >= {}) AND ({} <= {}))",
                    c.name, lo.name, c.name, hi.name
                );
                if *negated {
                    column(inside.not(), format!("(NOT {name})"))
                } else {
                    column(inside, name)
                }
            }
            SqlExpr::InList {
                expr,
                list,
                negated,
            } => {
                let c = self.col(expr)?;
                let mut cond = lit(false);
                let mut names = Vec::new();
                for e in list {
                    let x = self.col(e)?;
                    names.push(x.name.clone());
                    cond = cond.or(c.expr.clone().eq(x.expr));
                }
                let name = format!("({} IN ({}))", c.name, names.join(", "));
                if *negated {
                    column(cond.not(), format!("(NOT {name})"))
                } else {
                    column(cond, name)
                }
            }
            SqlExpr::Like {
                negated,
                expr,
                pattern,
                any: false,
                ..
            }
            | SqlExpr::ILike {
                negated,
                expr,
                pattern,
                any: false,
                ..
            } => {
                let ignore_case = matches!(e, SqlExpr::ILike { .. });
                let c = self.col(expr)?;
                let p = match self.expr(pattern)? {
                    Value::Column(p) => literal_text(&p.expr)
                        .ok_or_else(|| self.unsupported("a LIKE pattern from a column"))?,
                    other => return Err(self.unsupported(other.type_name())),
                };
                let regex = crate::api::functions::regex::like_regex(&p, '\\', ignore_case);
                let m = c.expr.str().contains(lit(regex), true);
                let word = if ignore_case { "ilike" } else { "LIKE" };
                let name = format!("{} {word} {p}", c.name);
                if *negated {
                    column(m.not(), format!("(NOT {name})"))
                } else {
                    column(m, name)
                }
            }
            SqlExpr::RLike {
                negated,
                expr,
                pattern,
                ..
            } => {
                let c = self.col(expr)?;
                let p = self.col(pattern)?;
                let m = c.expr.str().contains(p.expr, true);
                let name = format!("RLIKE({}, {})", c.name, p.name);
                if *negated {
                    column(m.not(), format!("(NOT {name})"))
                } else {
                    column(m, name)
                }
            }
            SqlExpr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                let subject = match operand {
                    Some(o) => Some(self.col(o)?),
                    None => None,
                };
                let mut branches = Vec::new();
                let mut parts = Vec::new();
                for when in conditions {
                    let cond = self.col(&when.condition)?;
                    let then = self.col(&when.result)?;
                    let test = match &subject {
                        Some(s) => s.expr.clone().eq(cond.expr),
                        None => cond.expr,
                    };
                    parts.push(format!("WHEN {} THEN {}", cond.name, then.name));
                    branches.push((test, then.expr));
                }
                let otherwise = match else_result {
                    Some(e) => {
                        let o = self.col(e)?;
                        parts.push(format!("ELSE {}", o.name));
                        Some(o.expr)
                    }
                    None => None,
                };
                let mut c = when_column(branches, otherwise);
                c.name = format!("CASE {} END", parts.join(" "));
                Value::Column(Box::new(c))
            }
            SqlExpr::Cast {
                expr, data_type, ..
            } => {
                let c = self.col(expr)?;
                let dtype = sql_type(data_type).ok_or_else(|| self.unsupported(data_type))?;
                column(c.expr.cast(dtype), c.name)
            }
            SqlExpr::Function(f) => self.function(f)?,
            // SQL's special call forms, as the functions they are.
            SqlExpr::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => {
                let mut args = vec![expr.as_ref()];
                args.extend(substring_from.as_deref());
                args.extend(substring_for.as_deref());
                self.call("substring", &args)?
            }
            SqlExpr::Trim {
                expr,
                trim_where: None,
                trim_what: None,
                trim_characters: None,
            } => self.call("trim", &[expr.as_ref()])?,
            SqlExpr::Ceil {
                expr,
                field: sql::CeilFloorKind::DateTimeField(sql::DateTimeField::NoDateTime),
            } => self.call("ceil", &[expr.as_ref()])?,
            SqlExpr::Floor {
                expr,
                field: sql::CeilFloorKind::DateTimeField(sql::DateTimeField::NoDateTime),
            } => self.call("floor", &[expr.as_ref()])?,
            SqlExpr::Position { expr, r#in } => {
                self.call("position", &[expr.as_ref(), r#in.as_ref()])?
            }
            SqlExpr::Extract { field, expr, .. } => {
                let part = field.to_string().to_lowercase();
                let function = match part.as_str() {
                    "day" | "days" => "dayofmonth",
                    "dow" | "dayofweek" => "dayofweek",
                    "doy" | "dayofyear" => "dayofyear",
                    "week" => "weekofyear",
                    other => other,
                };
                self.call(function, &[expr.as_ref()])?
            }
            other => return Err(self.unsupported(format!("`{other}`"))),
        })
    }

    /// `name(args…)` through the registry.
    fn call(&mut self, name: &str, args: &[&SqlExpr]) -> Result<Value, LangError> {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push((self.expr(a)?, self.span));
        }
        self.dispatch(name, values)
    }

    fn dispatch(&mut self, name: &str, args: Vec<(Value, Span)>) -> Result<Value, LangError> {
        match self.ctx.call_function(name, args, self.span) {
            Some(result) => result,
            None => Err(LangError::analysis(format!(
                "[UNRESOLVED_ROUTINE] Cannot resolve routine `{name}` on search path [`system`.`builtin`, `system`.`session`]."
            ))
            .at(self.span)),
        }
    }

    fn function(&mut self, f: &sql::Function) -> Result<Value, LangError> {
        let name = f.name.to_string().to_lowercase();
        let mut args = Vec::new();
        match &f.args {
            FunctionArguments::None => {}
            FunctionArguments::List(list) => {
                if list.duplicate_treatment.is_some() {
                    return Err(self.unsupported("DISTINCT in a function call"));
                }
                for a in &list.args {
                    let v = match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => self.expr(e)?,
                        // `count(*)`.
                        FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => Value::Str("*".into()),
                        other => return Err(self.unsupported(other)),
                    };
                    args.push((v, self.span));
                }
            }
            FunctionArguments::Subquery(_) => return Err(self.unsupported("a subquery")),
        }
        self.dispatch(&name, args)
    }
}

fn column(expr: Expr, name: String) -> Value {
    Value::Column(Box::new(Column::new(expr, name)))
}

/// Operators between a column and a constant need the column on the left to be one.
fn to_col_value(v: Value, span: Span) -> Result<Value, LangError> {
    Ok(match v {
        Value::Column(_) => v,
        other => Value::Column(Box::new(literal(&other, span)?)),
    })
}

fn literal_text(e: &Expr) -> Option<String> {
    match e {
        Expr::Literal(v) => v.extract_str().map(str::to_string),
        _ => None,
    }
}

fn sql_type(t: &SqlType) -> Option<DataType> {
    parse_type(&t.to_string())
}
