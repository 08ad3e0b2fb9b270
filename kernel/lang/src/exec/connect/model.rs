//! The product classifier as one Spark expression, so that batch inference runs on the
//! executors with no Python: tokens by Spark's regex and `translate` (the kernel's
//! tokenizer, rule for rule), the model as a map literal from word to per-class
//! log-probabilities, and the Naive Bayes sum as `aggregate`/`zip_with` in the same order
//! the local scorer adds, so the arg-max (first maximum wins) is the same.

use faisca_connect::proto::data_type::{self, Kind};
use faisca_connect::proto::expression::literal::{self as lit, LiteralType};
use faisca_connect::proto::expression::{
    ExprType, LambdaFunction, Literal, UnresolvedNamedLambdaVariable,
};
use faisca_connect::proto::{DataType, Expression};
use faisca_model::Classifier;

use super::build::{function, unsupported};
use crate::core::error::LangError;

/// The kernel's token rule (`kernel/model/src/text.rs`: maximal runs of two or more
/// letters, digits, marks or `_`) in Java's regex syntax.
const TOKEN: &str = r"[\p{IsAlphabetic}\p{Nd}\p{No}\p{M}_]{2,}";

/// `model.predict(text)` / `model.proba(text)` on the server.
pub fn score(model: &Classifier, method: &str, text: Expression) -> Result<Expression, LangError> {
    let text = function("string", vec![text], false);
    let scores = scores(model, tokens(model, text.clone()));
    let body: Box<dyn FnOnce(&Expression) -> Expression> = match method {
        "predict" => {
            let labels = Expression {
                common: None,
                expr_type: Some(ExprType::Literal(array_literal(
                    model
                        .labels()
                        .iter()
                        .map(|l| bare(LiteralType::String(l.clone())))
                        .collect(),
                    string_type(),
                ))),
            };
            Box::new(move |sc: &Expression| {
                // array_position finds the first maximum, as the local arg-max does.
                let best = function(
                    "array_position",
                    vec![sc.clone(), function("array_max", vec![sc.clone()], false)],
                    false,
                );
                function(
                    "element_at",
                    vec![labels, function("int", vec![best], false)],
                    false,
                )
            })
        }
        // The predicted class's softmax, 1 / Σ exp(s - max), as the local scorer computes it.
        "proba" | "predict_proba" => Box::new(|sc: &Expression| {
            let max = function("array_max", vec![sc.clone()], false);
            let sum = function(
                "aggregate",
                vec![
                    sc.clone(),
                    literal(LiteralType::Double(0.0), double_type()),
                    lambda(&["total", "s"], |v| {
                        let shifted = function("-", vec![v[1].clone(), max], false);
                        function(
                            "+",
                            vec![v[0].clone(), function("exp", vec![shifted], false)],
                            false,
                        )
                    }),
                ],
                false,
            );
            function(
                "/",
                vec![literal(LiteralType::Double(1.0), double_type()), sum],
                false,
            )
        }),
        other => return Err(unsupported(&format!("NaiveBayesModel.{other}"))),
    };
    // No text, no prediction (as the kernel's scorer): Spark's higher-order functions
    // would score a null text's empty token list as the priors.
    Ok(function(
        "when",
        vec![
            function("isnotnull", vec![text], false),
            bind("scores", scores, body),
        ],
        false,
    ))
}

/// `body(value)` with `value` computed once per row: Spark expressions have no `let`, so
/// the value is bound as a lambda's argument (`transform(array(value), v -> body)[1]`).
fn bind(name: &str, value: Expression, body: impl FnOnce(&Expression) -> Expression) -> Expression {
    let applied = function(
        "transform",
        vec![
            function("array", vec![value], false),
            lambda(&[name], |v| body(&v[0])),
        ],
        false,
    );
    function(
        "element_at",
        vec![applied, literal(LiteralType::Integer(1), int_type())],
        false,
    )
}

/// The tokens of `text`, lowercased and folded as the model's tokenizer folds them.
fn tokens(model: &Classifier, text: Expression) -> Expression {
    let found = function(
        "regexp_extract_all",
        vec![
            text,
            literal(LiteralType::String(TOKEN.into()), string_type()),
            literal(LiteralType::Integer(0), int_type()),
        ],
        false,
    );
    let folds = model.tokenizer().accent_folds();
    let (from, to): (String, String) = {
        // `translate` deletes the characters of `from` past the end of `to`.
        let (mapped, deleted): (Vec<_>, Vec<_>) = folds.iter().partition(|(_, to)| to.is_some());
        let from = mapped.iter().chain(&deleted).map(|(c, _)| *c).collect();
        let to = mapped.iter().filter_map(|(_, t)| *t).collect();
        (from, to)
    };
    let fold = lambda(&["t"], |v| {
        let lower = function("lower", vec![v[0].clone()], false);
        if from.is_empty() {
            lower
        } else {
            function("translate", vec![lower, string(&from), string(&to)], false)
        }
    });
    function("transform", vec![found, fold], false)
}

/// Per-class joint log-likelihood: the priors plus each known token's row, in token order.
fn scores(model: &Classifier, tokens: Expression) -> Expression {
    let k = model.labels().len();
    let words = model.vocabulary();
    #[allow(deprecated)]
    let map = literal(
        LiteralType::Map(lit::Map {
            key_type: Some(string_type()),
            value_type: Some(array_type(double_type())),
            keys: words
                .iter()
                .map(|w| bare(LiteralType::String(w.clone())))
                .collect(),
            values: (0..words.len())
                .map(|i| {
                    let row = model.word_log_prob(i);
                    let doubles = row.iter().map(|x| bare(LiteralType::Double(*x))).collect();
                    array_literal(doubles, double_type())
                })
                .collect(),
        }),
        map_type(string_type(), array_type(double_type())),
    );
    // Each token's row of the model (null for unknown words), looked up once; then one
    // fold per class over those rows, adding that class's log-probability: the local
    // scorer's order of additions, and no zip_with, which not every server has.
    let rows = function(
        "transform",
        vec![
            tokens,
            lambda(&["w"], |v| {
                function("try_element_at", vec![map, v[0].clone()], false)
            }),
        ],
        false,
    );
    let priors = model.class_log_prior().to_vec();
    bind("rows", rows, move |rows| {
        let per_class = (0..k)
            .map(|class| {
                function(
                    "aggregate",
                    vec![
                        rows.clone(),
                        literal(LiteralType::Double(priors[class]), double_type()),
                        lambda(&["acc", "row"], |v| {
                            let p = function(
                                "coalesce",
                                vec![
                                    function(
                                        "element_at",
                                        vec![
                                            v[1].clone(),
                                            literal(
                                                LiteralType::Integer(class as i32 + 1),
                                                int_type(),
                                            ),
                                        ],
                                        false,
                                    ),
                                    literal(LiteralType::Double(0.0), double_type()),
                                ],
                                false,
                            );
                            function("+", vec![v[0].clone(), p], false)
                        }),
                    ],
                    false,
                )
            })
            .collect();
        function("array", per_class, false)
    })
}

/// `(names) -> body`, the body built from the variables.
fn lambda(names: &[&str], body: impl FnOnce(&[Expression]) -> Expression) -> Expression {
    // Distinct names per nesting level keep inner lambdas from shadowing outer ones.
    let vars: Vec<Expression> = names
        .iter()
        .map(|n| Expression {
            common: None,
            expr_type: Some(ExprType::UnresolvedNamedLambdaVariable(
                UnresolvedNamedLambdaVariable {
                    name_parts: vec![format!("faisca_{n}")],
                },
            )),
        })
        .collect();
    let function = body(&vars);
    Expression {
        common: None,
        expr_type: Some(ExprType::LambdaFunction(Box::new(LambdaFunction {
            function: Some(Box::new(function)),
            arguments: names
                .iter()
                .map(|n| UnresolvedNamedLambdaVariable {
                    name_parts: vec![format!("faisca_{n}")],
                })
                .collect(),
        }))),
    }
}

fn bare(literal_type: LiteralType) -> Literal {
    Literal {
        data_type: None,
        literal_type: Some(literal_type),
    }
}

/// An array literal of `elements`, typed both ways Spark reads (the literal's type and
/// the older `element_type`).
#[allow(deprecated)]
fn array_literal(elements: Vec<Literal>, element: DataType) -> Literal {
    Literal {
        data_type: Some(array_type(element.clone())),
        literal_type: Some(LiteralType::Array(lit::Array {
            element_type: Some(element),
            elements,
        })),
    }
}

fn literal(literal_type: LiteralType, data_type: DataType) -> Expression {
    Expression {
        common: None,
        expr_type: Some(ExprType::Literal(Literal {
            data_type: Some(data_type),
            literal_type: Some(literal_type),
        })),
    }
}

fn string(s: &str) -> Expression {
    literal(LiteralType::String(s.to_string()), string_type())
}

fn kind(kind: Kind) -> DataType {
    DataType { kind: Some(kind) }
}

fn string_type() -> DataType {
    kind(Kind::String(data_type::String::default()))
}

fn double_type() -> DataType {
    kind(Kind::Double(data_type::Double::default()))
}

fn int_type() -> DataType {
    kind(Kind::Integer(data_type::Integer::default()))
}

fn array_type(element: DataType) -> DataType {
    kind(Kind::Array(Box::new(data_type::Array {
        element_type: Some(Box::new(element)),
        contains_null: false,
        type_variation_reference: 0,
    })))
}

fn map_type(key: DataType, value: DataType) -> DataType {
    kind(Kind::Map(Box::new(data_type::Map {
        key_type: Some(Box::new(key)),
        value_type: Some(Box::new(value)),
        value_contains_null: false,
        type_variation_reference: 0,
    })))
}
