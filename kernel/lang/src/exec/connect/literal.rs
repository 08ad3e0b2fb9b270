//! Plain values in a neutral plan are Python reprs (`'nome'`, `3`, `True`, `['a', 'b']`);
//! this reads them back, with the notebook's own parser, and turns them into Spark
//! Connect literals.

use faisca_connect::proto::data_type::{Kind, Null};
use faisca_connect::proto::expression::literal::LiteralType;
use faisca_connect::proto::expression::{ExprType, Literal};
use faisca_connect::proto::{DataType, Expression};

use crate::core::error::LangError;
use crate::syntax::ast::{ExprKind, Stmt, UnOp};

/// A plain Python value.
#[derive(Debug, Clone, PartialEq)]
pub enum Py {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An int.
    Int(i64),
    /// A float.
    Float(f64),
    /// A str.
    Str(String),
    /// A list or tuple.
    List(Vec<Py>),
}

impl Py {
    /// Reads a repr.
    pub fn parse(repr: &str) -> Result<Py, LangError> {
        let stmts = crate::syntax::parser::parse(repr)?;
        match stmts.as_slice() {
            [Stmt::Expr(e)] => from_expr(&e.kind).ok_or_else(|| not_plain(repr)),
            _ => Err(not_plain(repr)),
        }
    }

    /// The value as a Spark option string (`True` → `true`).
    pub fn option_text(&self) -> String {
        match self {
            Py::None => String::new(),
            Py::Bool(b) => b.to_string(),
            Py::Int(i) => i.to_string(),
            Py::Float(f) => f.to_string(),
            Py::Str(s) => s.clone(),
            Py::List(items) => items
                .iter()
                .map(Py::option_text)
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// A Spark literal, typed as PySpark's `lit` types it (ints that fit are `int`).
    pub fn literal(&self) -> Result<Expression, LangError> {
        let literal_type = match self {
            Py::None => LiteralType::Null(DataType {
                kind: Some(Kind::Null(Null::default())),
            }),
            Py::Bool(b) => LiteralType::Boolean(*b),
            Py::Int(i) => match i32::try_from(*i) {
                Ok(small) => LiteralType::Integer(small),
                Err(_) => LiteralType::Long(*i),
            },
            Py::Float(f) => LiteralType::Double(*f),
            Py::Str(s) => LiteralType::String(s.clone()),
            Py::List(_) => {
                return Err(LangError::new(
                    "PySparkNotImplementedError",
                    "list literals cannot be sent to Spark Connect by this version of Faísca",
                ));
            }
        };
        Ok(Expression {
            common: None,
            expr_type: Some(ExprType::Literal(Literal {
                data_type: None,
                literal_type: Some(literal_type),
            })),
        })
    }
}

fn from_expr(kind: &ExprKind) -> Option<Py> {
    Some(match kind {
        ExprKind::None => Py::None,
        ExprKind::Bool(b) => Py::Bool(*b),
        ExprKind::Int(i) => Py::Int(*i),
        ExprKind::Float(f) => Py::Float(*f),
        ExprKind::Str(s) => Py::Str(s.clone()),
        ExprKind::Unary(UnOp::Neg, inner) => match from_expr(&inner.kind)? {
            Py::Int(i) => Py::Int(i.checked_neg()?),
            Py::Float(f) => Py::Float(-f),
            _ => return None,
        },
        ExprKind::List(items) | ExprKind::Tuple(items) => Py::List(
            items
                .iter()
                .map(|e| from_expr(&e.kind))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

fn not_plain(repr: &str) -> LangError {
    LangError::new(
        "PySparkNotImplementedError",
        format!("the value {repr} cannot be sent to Spark Connect by this version of Faísca"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_reprs_back() {
        assert_eq!(Py::parse("'a\\'b'").unwrap(), Py::Str("a'b".into()));
        assert_eq!(Py::parse("-3").unwrap(), Py::Int(-3));
        assert_eq!(Py::parse("2.5").unwrap(), Py::Float(2.5));
        assert_eq!(Py::parse("True").unwrap(), Py::Bool(true));
        assert_eq!(
            Py::parse("['a', 1]").unwrap(),
            Py::List(vec![Py::Str("a".into()), Py::Int(1)])
        );
        assert!(Py::parse("col('a')").is_err());
    }

    #[test]
    fn options_are_spark_strings() {
        assert_eq!(Py::Bool(true).option_text(), "true");
        assert_eq!(Py::Str(";".into()).option_text(), ";");
    }

    #[test]
    fn ints_are_int_or_bigint_as_pyspark_types_them() {
        let lit = |e: Expression| match e.expr_type {
            Some(ExprType::Literal(l)) => l.literal_type,
            _ => None,
        };
        assert_eq!(
            lit(Py::Int(3).literal().unwrap()),
            Some(LiteralType::Integer(3))
        );
        assert_eq!(
            lit(Py::Int(1 << 40).literal().unwrap()),
            Some(LiteralType::Long(1 << 40))
        );
    }
}
