//! The engine-neutral plan: how a DataFrame or Column was made, as the PySpark calls that
//! made it, by name, with their bound arguments. The session records it at dispatch, for
//! every entry, so no entry has to; the Polars plan is built beside it. It is the shape of
//! Spark Connect's unresolved relations and functions, which a second engine translates.

use std::fmt;
use std::sync::Arc;

/// One step of a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Something not made by a recorded call (a literal name, a model, …).
    Leaf(String),
    /// `receiver.name(args)`, or `name(args)` for a function.
    Call {
        /// The PySpark name of the method or function.
        name: &'static str,
        /// What it was called on.
        receiver: Option<Arc<Plan>>,
        /// Bound arguments, by parameter name; `*args` under their parameter's name.
        args: Vec<(&'static str, Arg)>,
    },
    /// `receiver.name`: an attribute such as `df.na` or `spark.read`.
    Attr {
        /// What it was read from.
        receiver: Arc<Plan>,
        /// The attribute.
        name: &'static str,
    },
    /// A trained classifier (what `predict(...)` is called on): engines that score
    /// elsewhere need its words and weights, not just its name.
    Model(Arc<faisca_model::Classifier>),
    /// `a op b` or `op a` on columns.
    Op {
        /// The operator, as Python spells it.
        op: &'static str,
        /// Its operands.
        args: Vec<Arg>,
    },
}

/// An argument in a plan: another plan or a literal, as Python writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A DataFrame or Column.
    Plan(Arc<Plan>),
    /// A plain value's repr (`'descricao'`, `20`, `True`, `['a', 'b']`).
    Literal(String),
}

impl Plan {
    /// A leaf.
    pub fn leaf(text: impl Into<String>) -> Arc<Plan> {
        Arc::new(Plan::Leaf(text.into()))
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Plan(p) => write!(f, "{p}"),
            Arg::Literal(l) => f.write_str(l),
        }
    }
}

/// Python-shaped: `spark.read.csv(path='/data/x.csv').filter(condition=(col('a') > 1))`.
impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Plan::Leaf(text) => f.write_str(text),
            Plan::Call {
                name,
                receiver,
                args,
            } => {
                if let Some(r) = receiver {
                    write!(f, "{r}.")?;
                }
                write!(f, "{name}(")?;
                for (i, (param, arg)) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{param}={arg}")?;
                }
                f.write_str(")")
            }
            Plan::Attr { receiver, name } => write!(f, "{receiver}.{name}"),
            Plan::Model(_) => f.write_str("NaiveBayesModel"),
            Plan::Op { op, args } => match args.as_slice() {
                [a] => write!(f, "({op}{a})"),
                [a, b] => write!(f, "({a} {op} {b})"),
                _ => write!(f, "{op}(…)"),
            },
        }
    }
}
