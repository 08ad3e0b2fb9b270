//! The smallest pieces of Spark Connect expressions and relations, shared by the
//! translators.

use faisca_connect::proto::expression::{
    Alias, ExprType, UnresolvedAttribute, UnresolvedFunction, UnresolvedStar,
};
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

/// A column named `name` (`*` is every column).
pub fn attribute(name: &str) -> Expression {
    let expr_type = if name == "*" {
        ExprType::UnresolvedStar(UnresolvedStar::default())
    } else if let Some(target) = name.strip_suffix(".*") {
        ExprType::UnresolvedStar(UnresolvedStar {
            unparsed_target: Some(format!("{target}.*")),
            plan_id: None,
        })
    } else {
        ExprType::UnresolvedAttribute(UnresolvedAttribute {
            unparsed_identifier: name.to_string(),
            ..Default::default()
        })
    };
    wrap(expr_type)
}

/// `expr AS name`.
pub fn alias(expr: Expression, name: &str) -> Expression {
    wrap(ExprType::Alias(Box::new(Alias {
        expr: Some(Box::new(expr)),
        name: vec![name.to_string()],
        metadata: None,
    })))
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
