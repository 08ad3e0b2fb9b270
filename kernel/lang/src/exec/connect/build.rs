//! The smallest pieces of Spark Connect expressions and relations, shared by the
//! translators.

use faisca_connect::proto::expression::{ExprType, UnresolvedFunction};
use faisca_connect::proto::relation::RelType;
use faisca_connect::proto::{Expression, Relation};

use crate::core::error::LangError;

/// An expression of this kind.
pub fn wrap(expr_type: ExprType) -> Expression {
    Expression {
        common: None,
        expr_type: Some(expr_type),
    }
}

/// `name(args…)`, as Spark resolves it.
pub fn function(name: &str, arguments: Vec<Expression>, distinct: bool) -> Expression {
    wrap(ExprType::UnresolvedFunction(UnresolvedFunction {
        function_name: name.to_string(),
        arguments,
        is_distinct: distinct,
        ..Default::default()
    }))
}

/// What this version cannot send yet, as PySpark names an unsupported feature.
pub fn unsupported(what: &str) -> LangError {
    LangError::new(
        "PySparkNotImplementedError",
        format!("{what} cannot run on Spark Connect in this version of Faísca"),
    )
    .with_hint("run it on the local engine (a session without .remote(...))")
}

/// A relation from its parts.
pub fn relation(rel_type: RelType) -> Relation {
    Relation {
        common: None,
        rel_type: Some(rel_type),
    }
}
