//! Runtime values of the cell language and how they print.

use std::sync::Arc;

use faisca_model::{Classifier, Evaluation};
use polars::prelude::{DataFrame, Expr, LazyFrame, SchemaRef};

use crate::render::{escape, spark_type};

/// A lazy DataFrame: a Polars plan plus its known schema.
#[derive(Clone)]
pub struct Frame {
    /// The plan; nothing runs until an action.
    pub lf: LazyFrame,
    /// Resolved when the frame was built (analysis, as Spark does eagerly).
    pub schema: SchemaRef,
}

impl Frame {
    /// `DataFrame[a: string, b: bigint]`, PySpark's repr.
    pub fn repr(&self) -> String {
        let cols: Vec<String> = self
            .schema
            .iter()
            .map(|(n, t)| format!("{n}: {}", spark_type(t)))
            .collect();
        format!("DataFrame[{}]", cols.join(", "))
    }
    /// Column names in order.
    pub fn columns(&self) -> Vec<String> {
        self.schema.iter_names().map(|n| n.to_string()).collect()
    }
}

/// A column expression with the name Spark would give it.
#[derive(Clone)]
pub struct Column {
    /// The Polars expression.
    pub expr: Expr,
    /// Spark's display name, e.g. `concat(Prefixo, descricao)`.
    pub name: String,
    /// A bare reference to an input column (needs no alias).
    pub plain: bool,
    /// Sort direction from `.asc()` / `.desc()`.
    pub descending: Option<bool>,
    /// Pending `when` branches, so `.when(...)` and `.otherwise(...)` can extend them.
    pub branches: Option<Vec<(Expr, Expr)>>,
    /// An aggregation (count, sum, …), allowed in `agg` and `select`.
    pub aggregate: bool,
}

impl Column {
    /// A computed column named `name`.
    pub fn new(expr: Expr, name: impl Into<String>) -> Self {
        Column {
            expr,
            name: name.into(),
            plain: false,
            descending: None,
            branches: None,
            aggregate: false,
        }
    }
    /// The expression with Spark's output name.
    pub fn named(&self) -> Expr {
        if self.plain {
            self.expr.clone()
        } else {
            self.expr.clone().alias(self.name.as_str())
        }
    }
}

/// Options collected by `spark.read.option(...)`.
#[derive(Clone, Default)]
pub struct Reader {
    /// Lower-cased option names and their values as text.
    pub options: Vec<(String, String)>,
    /// From `.format("csv")`.
    pub format: Option<String>,
}

/// `df.write` with its mode, options and format.
#[derive(Clone)]
pub struct Writer {
    /// The frame to write.
    pub frame: Frame,
    /// overwrite / append / error / ignore.
    pub mode: String,
    /// Lower-cased options.
    pub options: Vec<(String, String)>,
    /// From `.format(...)`.
    pub format: Option<String>,
}

/// The result of `groupBy(...)`.
#[derive(Clone)]
pub struct Grouped {
    /// The frame being grouped.
    pub frame: Frame,
    /// Grouping expressions.
    pub keys: Vec<Expr>,
}

/// `NaiveBayes(text=..., label=...)` before `fit`.
#[derive(Clone, Debug)]
pub struct Estimator {
    /// Text columns, joined with a space.
    pub text: Vec<String>,
    /// The label column.
    pub label: String,
    /// Training options.
    pub options: faisca_model::TrainOptions,
}

/// A trained or loaded classifier.
#[derive(Clone)]
pub struct Model {
    /// The classifier.
    pub classifier: Arc<Classifier>,
    /// Where it was loaded from or saved to.
    pub path: Option<String>,
}

/// A runtime value.
#[derive(Clone)]
pub enum Value {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Value>),
    /// A tuple.
    Tuple(Vec<Value>),
    /// A collected row: field names and values.
    Row(Vec<(String, Value)>),
    /// A lazy DataFrame.
    Frame(Frame),
    /// A column expression.
    Column(Column),
    /// Grouped data.
    Grouped(Grouped),
    /// `spark.read`.
    Reader(Reader),
    /// `df.write`.
    Writer(Writer),
    /// The `spark` session object.
    Spark,
    /// `spark.catalog`.
    Catalog,
    /// An imported module (pyspark.sql.functions as F).
    Module(String),
    /// A builtin function.
    Builtin(&'static str),
    /// A method bound to its receiver.
    Method(Box<Value>, String),
    /// A collected table (toPandas).
    Pandas(Arc<DataFrame>),
    /// A Naive Bayes estimator.
    Estimator(Estimator),
    /// A classifier.
    Model(Model),
    /// A model evaluation.
    Evaluation(Arc<Evaluation>),
    /// A schema (`df.schema`).
    Schema(SchemaRef),
    /// A spark type object like `StringType()`.
    Type(String),
}

impl Value {
    /// The Python-ish type name used in errors.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Row(_) => "Row",
            Value::Frame(_) => "DataFrame",
            Value::Column(_) => "Column",
            Value::Grouped(_) => "GroupedData",
            Value::Reader(_) => "DataFrameReader",
            Value::Writer(_) => "DataFrameWriter",
            Value::Spark => "SparkSession",
            Value::Catalog => "Catalog",
            Value::Module(_) => "module",
            Value::Builtin(_) => "function",
            Value::Method(_, _) => "method",
            Value::Pandas(_) => "pandas.DataFrame",
            Value::Estimator(_) => "NaiveBayes",
            Value::Model(_) => "NaiveBayesModel",
            Value::Evaluation(_) => "Evaluation",
            Value::Schema(_) => "StructType",
            Value::Type(_) => "DataType",
        }
    }

    /// Python's `repr`.
    pub fn repr(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Bool(b) => if *b { "True" } else { "False" }.into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => python_float(*f),
            Value::Str(s) => python_str(s),
            Value::List(items) => {
                let shown: Vec<String> = items.iter().take(100).map(Value::repr).collect();
                let more = if items.len() > 100 {
                    format!(", … {} more", items.len() - 100)
                } else {
                    String::new()
                };
                format!("[{}{more}]", shown.join(", "))
            }
            Value::Tuple(items) => {
                let parts: Vec<String> = items.iter().map(Value::repr).collect();
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
            Value::Row(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(n, v)| format!("{n}={}", v.repr()))
                    .collect();
                format!("Row({})", parts.join(", "))
            }
            Value::Frame(f) => f.repr(),
            Value::Column(c) => format!("Column<'{}'>", c.name),
            Value::Grouped(_) => "<pyspark.sql.group.GroupedData>".into(),
            Value::Reader(_) => "<pyspark.sql.readwriter.DataFrameReader>".into(),
            Value::Writer(_) => "<pyspark.sql.readwriter.DataFrameWriter>".into(),
            Value::Spark => "<SparkSession (Faísca, lazy Polars)>".into(),
            Value::Catalog => "<pyspark.sql.catalog.Catalog>".into(),
            Value::Module(m) => format!("<module '{m}'>"),
            Value::Builtin(name) => format!("<function {name}>"),
            Value::Method(recv, name) => format!("<bound method {}.{name}>", recv.type_name()),
            Value::Pandas(df) => format!(
                "pandas.DataFrame [{} rows x {} columns]",
                df.height(),
                df.width()
            ),
            Value::Estimator(e) => format!(
                "NaiveBayes(text={:?}, label={:?}, alpha={})",
                e.text, e.label, e.options.alpha
            ),
            Value::Model(m) => model_repr(m),
            Value::Evaluation(e) => {
                format!("Evaluation(accuracy={:.4}, rows={})", e.accuracy(), e.rows)
            }
            Value::Schema(s) => {
                let fields: Vec<String> = s
                    .iter()
                    .map(|(n, t)| format!("StructField('{n}', {}, True)", type_object(t)))
                    .collect();
                format!("StructType([{}])", fields.join(", "))
            }
            Value::Type(t) => format!("{t}()"),
        }
    }
}

fn model_repr(m: &Model) -> String {
    let c = &m.classifier;
    let meta = &c.metadata;
    let accuracy = meta
        .accuracy
        .map_or("n/a".to_string(), |a| format!("{a:.4}"));
    format!(
        "NaiveBayesModel(classes={:?}, vocabulary={}, rows={}, accuracy={accuracy}, trained_at={})",
        c.labels(),
        c.vocabulary_len(),
        meta.rows,
        meta.trained_at
    )
}

/// HTML for a model card.
pub fn model_html(m: &Model) -> String {
    let c = &m.classifier;
    let meta = &c.metadata;
    let rows = [
        ("classes", c.labels().join(", ")),
        ("vocabulary", c.vocabulary_len().to_string()),
        ("training rows", meta.rows.to_string()),
        (
            "accuracy (held out)",
            meta.accuracy.map_or("n/a".into(), |a| format!("{a:.4}")),
        ),
        ("trained at", meta.trained_at.clone()),
        (
            "data sha256",
            meta.data_sha256.chars().take(16).collect::<String>() + "…",
        ),
        ("text", meta.description.clone()),
        (
            "file",
            m.path.clone().unwrap_or_else(|| "(not saved)".into()),
        ),
    ];
    let mut html = String::from("<table class=\"faisca-model\"><caption>NaiveBayesModel</caption>");
    for (k, v) in rows {
        html.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(k),
            escape(&v)
        ));
    }
    html.push_str("</table>");
    html
}

fn type_object(t: &polars::prelude::DataType) -> String {
    let name = match spark_type(t).as_str() {
        "string" => "StringType",
        "bigint" => "LongType",
        "int" => "IntegerType",
        "double" => "DoubleType",
        "float" => "FloatType",
        "boolean" => "BooleanType",
        "date" => "DateType",
        "timestamp" => "TimestampType",
        _ => return format!("{}Type()", spark_type(t)),
    };
    format!("{name}()")
}

fn python_float(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf".into() } else { "-inf".into() }
    } else if f == f.trunc() && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

fn python_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_reprs() {
        assert_eq!(Value::Str("it's".into()).repr(), "\"it's\"");
        assert_eq!(Value::Str("a\nb".into()).repr(), "'a\\nb'");
        assert_eq!(Value::Float(2.0).repr(), "2.0");
        assert_eq!(Value::Tuple(vec![Value::Int(1)]).repr(), "(1,)");
        let row = Value::Row(vec![
            ("id".into(), Value::Int(1)),
            ("d".into(), Value::None),
        ]);
        assert_eq!(row.repr(), "Row(id=1, d=None)");
    }
}
