//! The product classifier on the server, so that batch inference runs on the executors
//! with no Python. Before a step that calls `predict(text)`, each distinct text is
//! tokenised with Spark's regex and `translate` (the kernel's tokenizer, rule for rule),
//! its tokens joined with the model sent as a small `LocalRelation` (word → per-class
//! log-probabilities), and the Naive Bayes sum folded per class in token order — the
//! local scorer's order of additions, so the arg-max (first maximum wins) is the same.
//! The scores join the step's input back on two hashes of the text (so the broadcast side
//! holds no texts) as columns; `predict`/`proba` read them.

use std::cell::RefCell;
use std::sync::Arc;

use faisca_connect::proto::aggregate::GroupType;
use faisca_connect::proto::data_type::{self, Kind};
use faisca_connect::proto::expression::literal::{self as lit, LiteralType};
use faisca_connect::proto::expression::{
    ExprType, LambdaFunction, Literal, UnresolvedExtractValue, UnresolvedNamedLambdaVariable,
};
use faisca_connect::proto::join::JoinType;
use faisca_connect::proto::relation::RelType;
use faisca_connect::proto::{
    Aggregate, DataType, Deduplicate, Expression, Hint, Join, LocalRelation, Project, Relation,
    WithColumns,
};
use faisca_model::Classifier;
use polars::prelude::{DataFrame, IntoColumn, NamedFrom, Series};

use super::build::{alias, attribute, function, relation, unsupported, wrap};
use super::local_data::arrow_stream;
use crate::core::error::{LangError, polars_error};
use crate::core::plan::{Arg, Plan};

/// The kernel's token rule (`kernel/model/src/text.rs`: maximal runs of two or more
/// letters, digits, marks or `_`) in Java's regex syntax.
const TOKEN: &str = r"[\p{IsAlphabetic}\p{Nd}\p{No}\p{M}_]{2,}";

/// Where a step finds the scores of one classifier call on one text.
pub struct Scope {
    model: Arc<Classifier>,
    text: Arg,
    /// The text as an expression over the step's input.
    text_expr: Expression,
    /// Two hashes of the text: the key its scores are joined back on (the texts
    /// themselves would make the broadcast side as large as the input).
    keys: [String; 2],
    /// Its per-class scores (null when no word of it is known to the model).
    scores_column: String,
}

impl Scope {
    /// The columns it adds to the step's input.
    pub fn columns(&self) -> [String; 3] {
        [
            self.keys[0].clone(),
            self.keys[1].clone(),
            self.scores_column.clone(),
        ]
    }
}

thread_local! {
    /// The scopes of the step being translated (a step translates its input first).
    static SCOPES: RefCell<Vec<Scope>> = const { RefCell::new(Vec::new()) };
}

/// `translate()` with `scopes` visible to [`score`].
pub fn in_scope<T>(scopes: Vec<Scope>, translate: impl FnOnce() -> T) -> T {
    let n = scopes.len();
    SCOPES.with(|s| s.borrow_mut().extend(scopes));
    let out = translate();
    SCOPES.with(|s| {
        let mut s = s.borrow_mut();
        let keep = s.len() - n;
        s.truncate(keep);
    });
    out
}

/// The distinct classifier calls (`model`, text) among a step's column arguments.
pub fn calls(args: &[(&'static str, Arg)]) -> Vec<(Arc<Classifier>, Arg)> {
    fn walk(plan: &Plan, out: &mut Vec<(Arc<Classifier>, Arg)>) {
        let args = match plan {
            Plan::Call {
                receiver: Some(r),
                args,
                ..
            } if matches!(r.as_ref(), Plan::Model(_)) => {
                let Plan::Model(model) = r.as_ref() else {
                    unreachable!("matched above")
                };
                if let Some((_, text)) = args.iter().find(|(n, _)| *n == "col")
                    && !out.iter().any(|(m, t)| Arc::ptr_eq(m, model) && t == text)
                {
                    out.push((model.clone(), text.clone()));
                }
                return;
            }
            Plan::Call { receiver, args, .. } => {
                if let Some(r) = receiver {
                    walk(r, out);
                }
                args.iter().map(|(_, a)| a).collect::<Vec<_>>()
            }
            Plan::Op { args, .. } => args.iter().collect(),
            _ => return,
        };
        for arg in args {
            if let Arg::Plan(p) = arg {
                walk(p, out);
            }
        }
    }
    let mut out = Vec::new();
    for (_, arg) in args {
        if let Arg::Plan(p) = arg {
            walk(p, &mut out);
        }
    }
    out
}

/// `input` with three columns per call: the text's two hashes and its class scores.
pub fn with_scores(
    mut input: Relation,
    calls: Vec<(Arc<Classifier>, Expression, Arg)>,
) -> Result<(Relation, Vec<Scope>), LangError> {
    const TEXT: &str = "__faisca_text";
    let mut scopes = Vec::new();
    for (i, (model, text, arg)) in calls.into_iter().enumerate() {
        let text = function("string", vec![text], false);
        // 64 + 32 bits: two texts share both only with odds of about n² / 2^97.
        let keys = [format!("__faisca_key_{i}"), format!("__faisca_hash_{i}")];
        let scores_column = format!("__faisca_scores_{i}");
        let with_keys = relation(RelType::WithColumns(Box::new(WithColumns {
            input: Some(Box::new(input)),
            aliases: vec![
                alias_of(function("xxhash64", vec![text.clone()], false), &keys[0]),
                alias_of(function("hash", vec![text.clone()], false), &keys[1]),
            ],
        })));
        let texts = relation(RelType::Deduplicate(Box::new(Deduplicate {
            input: Some(Box::new(project(
                with_keys.clone(),
                vec![
                    alias(text.clone(), TEXT),
                    attribute(&keys[0]),
                    attribute(&keys[1]),
                ],
            ))),
            column_names: keys.to_vec(),
            ..Default::default()
        })));
        // Broadcast, so that the input streams past the scores in its own order (rows
        // keep the order they had, as with a local or a Python UDF).
        let scores = relation(RelType::Hint(Box::new(Hint {
            input: Some(Box::new(scores_of(
                &model,
                texts,
                TEXT,
                &keys,
                &scores_column,
            )?)),
            name: "broadcast".into(),
            parameters: Vec::new(),
        })));
        input = relation(RelType::Join(Box::new(Join {
            left: Some(Box::new(with_keys)),
            right: Some(Box::new(scores)),
            join_condition: None,
            join_type: JoinType::LeftOuter as i32,
            using_columns: keys.to_vec(),
            join_data_type: None,
        })));
        scopes.push(Scope {
            model,
            text: arg,
            text_expr: text,
            keys,
            scores_column,
        });
    }
    Ok((input, scopes))
}

/// Per distinct text: its class scores, the priors plus each known token's
/// log-probabilities in token order.
fn scores_of(
    model: &Classifier,
    texts: Relation,
    text_column: &str,
    keys: &[String; 2],
    scores_column: &str,
) -> Result<Relation, LangError> {
    const POS: &str = "__faisca_pos";
    const WORD: &str = "__faisca_word";
    const LOGP: &str = "__faisca_logp";
    const ROWS: &str = "__faisca_rows";
    let exploded = function(
        "posexplode",
        vec![tokens(model, attribute(text_column))],
        false,
    );
    let tokens = project(
        texts,
        vec![
            attribute(&keys[0]),
            attribute(&keys[1]),
            wrap(ExprType::Alias(Box::new(
                faisca_connect::proto::expression::Alias {
                    expr: Some(Box::new(exploded)),
                    name: vec![POS.into(), WORD.into()],
                    metadata: None,
                },
            ))),
        ],
    );
    let known = relation(RelType::Join(Box::new(Join {
        left: Some(Box::new(tokens)),
        right: Some(Box::new(model_relation(model, WORD, LOGP)?)),
        join_condition: None,
        join_type: JoinType::Inner as i32,
        using_columns: vec![WORD.into()],
        join_data_type: None,
    })));
    // Token order is lost in the join; sorting (position, row) pairs restores it.
    let rows = function(
        "array_sort",
        vec![function(
            "collect_list",
            vec![function(
                "struct",
                vec![attribute(POS), attribute(LOGP)],
                false,
            )],
            false,
        )],
        false,
    );
    let grouped = relation(RelType::Aggregate(Box::new(Aggregate {
        input: Some(Box::new(known)),
        group_type: GroupType::Groupby as i32,
        grouping_expressions: vec![attribute(&keys[0]), attribute(&keys[1])],
        aggregate_expressions: vec![alias(rows, ROWS)],
        pivot: None,
        grouping_sets: Vec::new(),
    })));
    let priors = model.class_log_prior();
    let per_class = (0..priors.len())
        .map(|class| {
            function(
                "aggregate",
                vec![
                    attribute(ROWS),
                    literal(LiteralType::Double(priors[class]), double_type()),
                    lambda(&["acc", "row"], |v| {
                        let logp = wrap(ExprType::UnresolvedExtractValue(Box::new(
                            UnresolvedExtractValue {
                                child: Some(Box::new(v[1].clone())),
                                extraction: Some(Box::new(string(LOGP))),
                            },
                        )));
                        let p = function("element_at", vec![logp, int(class as i32 + 1)], false);
                        function("+", vec![v[0].clone(), p], false)
                    }),
                ],
                false,
            )
        })
        .collect();
    Ok(project(
        grouped,
        vec![
            attribute(&keys[0]),
            attribute(&keys[1]),
            alias(function("array", per_class, false), scores_column),
        ],
    ))
}

/// The model as rows: each word of its vocabulary with its per-class log-probabilities.
fn model_relation(model: &Classifier, word: &str, logp: &str) -> Result<Relation, LangError> {
    let words = model.vocabulary();
    let rows: Vec<Series> = (0..words.len())
        .map(|i| Series::new("".into(), model.word_log_prob(i)))
        .collect();
    let df = DataFrame::new_infer_height(vec![
        Series::new(word.into(), words).into_column(),
        Series::new(logp.into(), rows.as_slice()).into_column(),
    ])
    .map_err(polars_error)?;
    Ok(relation(RelType::LocalRelation(LocalRelation {
        data: Some(arrow_stream(&df).map_err(polars_error)?),
        schema: None,
    })))
}

/// `model.predict(text)` / `model.proba(text)`, read from the scores a step added.
pub fn score(model: &Arc<Classifier>, method: &str, text: &Arg) -> Result<Expression, LangError> {
    let found = SCOPES.with(|s| {
        s.borrow()
            .iter()
            .rev()
            .find(|sc| Arc::ptr_eq(&sc.model, model) && sc.text == *text)
            .map(|sc| (sc.text_expr.clone(), sc.scores_column.clone()))
    });
    let Some((text, scores_column)) = found else {
        return Err(unsupported("predict() outside a DataFrame step's columns"));
    };
    // A text without known words scores as the priors.
    let priors = model
        .class_log_prior()
        .iter()
        .map(|p| literal(LiteralType::Double(*p), double_type()))
        .collect();
    let scores = function(
        "coalesce",
        vec![attribute(&scores_column), function("array", priors, false)],
        false,
    );
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
    // No text, no prediction (as the kernel's scorer).
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

fn int(i: i32) -> Expression {
    literal(LiteralType::Integer(i), int_type())
}

fn alias_of(expr: Expression, name: &str) -> faisca_connect::proto::expression::Alias {
    match alias(expr, name).expr_type {
        Some(ExprType::Alias(a)) => *a,
        _ => unreachable!("alias() makes an Alias"),
    }
}

fn project(input: Relation, expressions: Vec<Expression>) -> Relation {
    relation(RelType::Project(Box::new(Project {
        input: Some(Box::new(input)),
        expressions,
    })))
}
