//! Runtime values of the cell language and how they print.

use std::sync::Arc;

use faisca_model::{Classifier, Evaluation};
use polars::prelude::{DataFrame, DataType, Expr, LazyFrame, SchemaRef};

use super::cache::Storage;
use super::chart::Chart;
use super::error::LangError;
use super::io::{Format, Options, SaveMode};
use super::plan::{Arg as PlanArg, Plan};
use super::types::{spark_type, type_object};

/// A lazy DataFrame: a Polars plan plus its known schema.
#[derive(Clone)]
pub struct Frame {
    /// The plan; nothing runs until an action.
    pub lf: LazyFrame,
    /// Resolved when the frame was built (analysis, as Spark does eagerly).
    pub schema: SchemaRef,
    /// The same plan, engine-neutral: the PySpark calls that made it.
    pub plan: Arc<Plan>,
    /// How many operations deep the plan is (at least): bounded, since planning recurses
    /// per level on the engine's threads.
    pub depth: usize,
    /// Whether it is cached (`df.cache()`), shared by every copy of this DataFrame.
    pub storage: Storage,
}

/// The deepest plan a frame may have; past it the call is an error suggesting a
/// checkpoint, as Spark's deep lineages end in a StackOverflowError.
pub const MAX_PLAN_DEPTH: usize = 1000;

/// The error for a plan past [`MAX_PLAN_DEPTH`].
pub fn plan_too_deep(depth: usize) -> LangError {
    LangError::new(
        "RecursionError",
        format!(
            "the DataFrame's plan would be {depth} operations deep (the limit is {MAX_PLAN_DEPTH})"
        ),
    )
    .with_hint("materialise it first: df = df.localCheckpoint(), or write it and read it back")
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
    /// The plan to build on: the cached rows once `cache()` marked it, else its own.
    pub fn current_lf(&self) -> LazyFrame {
        self.storage.get().map_or_else(|| self.lf.clone(), |c| c.lf)
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
    /// Null placement from `.asc_nulls_last()` and kin (Spark's default otherwise).
    pub nulls_last: Option<bool>,
    /// Pending `when` branches, so `.when(...)` and `.otherwise(...)` can extend them.
    pub branches: Option<Vec<(Expr, Expr)>>,
    /// An aggregation (count, sum, …), allowed in `agg` and `select`.
    pub aggregate: bool,
    /// The engine-neutral expression: the PySpark calls that made it.
    pub plan: Arc<Plan>,
    /// What `.over(window)` computes, for window and aggregate functions.
    pub window: Option<Arc<WindowFn>>,
    /// A function that makes rows (`explode`, …), which `select` runs.
    pub generator: Option<Generator>,
    /// For a window function's result: the window's partition and order keys (with
    /// descending flags). Spark's rows leave a window sorted by them, so `select` and
    /// `withColumn` sort by them too.
    pub window_order: Option<Arc<(Vec<Expr>, Vec<bool>)>>,
}

/// What a row-making function does with each array or map: one row per element, with
/// its position (`posexplode`), a struct's fields as columns (`inline`), and a row of
/// nulls for an empty or null one (`_outer`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Generator {
    /// Keep a row of nulls for an empty or null input.
    pub outer: bool,
    /// Add the element's 0-based position as `pos`.
    pub position: bool,
    /// The elements are structs whose fields become columns.
    pub inline: bool,
}

/// A function the notebook defined. Its code belongs to the session layer, which made it;
/// this layer only carries it.
#[derive(Clone)]
pub struct UserFn {
    /// `f`, or `<lambda>` (boxed: a Value stays small).
    pub name: Box<str>,
    /// The parameters, the code and the defaults, as the session layer keeps them.
    pub code: Arc<dyn std::any::Any + Send + Sync>,
    /// Set by `pandas_udf`/`udf`: the function runs once on whole columns, compiled to a
    /// column expression, and its result is cast to this type.
    pub returns: Option<Box<DataType>>,
}

/// A function `.over(window)` can compute.
#[derive(Clone)]
pub enum WindowFn {
    /// `row_number()`.
    RowNumber,
    /// `rank()`.
    Rank,
    /// `dense_rank()`.
    DenseRank,
    /// `percent_rank()`.
    PercentRank,
    /// `cume_dist()`.
    CumeDist,
    /// `ntile(n)`.
    Ntile(i64),
    /// `lag(col, offset, default)` (negative offset) / `lead` (positive).
    Shift {
        /// The value shifted.
        input: Expr,
        /// Rows ahead (lead) or behind (lag, negative).
        offset: i64,
        /// For rows the shift runs off.
        default: Expr,
    },
    /// An aggregate (`sum`, `count`, …) of `input`, running along an ordered window.
    Aggregate {
        /// The aggregated values.
        input: Expr,
        /// Which aggregate.
        kind: RunningAggregate,
    },
}

/// Aggregates with a running form over an ordered window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunningAggregate {
    /// `sum`.
    Sum,
    /// `count`.
    Count,
    /// `min`.
    Min,
    /// `max`.
    Max,
    /// `avg`.
    Avg,
}

/// `Window.partitionBy(...).orderBy(...).rowsBetween(...)`.
#[derive(Clone, Default)]
pub struct WindowSpec {
    /// Partition columns.
    pub partition: Vec<Column>,
    /// Order columns (with their direction).
    pub order: Vec<Column>,
    /// `(is_rows, start, end)` from rowsBetween / rangeBetween.
    pub frame: Option<(bool, i64, i64)>,
}

impl Column {
    /// A computed column named `name`.
    pub fn new(expr: Expr, name: impl Into<String>) -> Self {
        let name = name.into();
        Column {
            expr,
            plan: Plan::leaf(format!("Column<'{name}'>")),
            name,
            plain: false,
            descending: None,
            nulls_last: None,
            branches: None,
            aggregate: false,
            window: None,
            generator: None,
            window_order: None,
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

/// `spark.read` with its options so far.
#[derive(Clone, Default)]
pub struct Reader {
    /// Options from `.option` / `.options`.
    pub options: Options,
    /// From `.format(...)`.
    pub format: Option<Format>,
}

/// `df.write` with its mode, options and format.
#[derive(Clone)]
pub struct Writer {
    /// The frame to write.
    pub frame: Frame,
    /// What to do when the target exists.
    pub mode: SaveMode,
    /// Options from `.option` / `.options`.
    pub options: Options,
    /// From `.format(...)`.
    pub format: Option<Format>,
}

/// The result of `groupBy(...)`.
#[derive(Clone)]
pub struct Grouped {
    /// The frame being grouped.
    pub frame: Frame,
    /// Grouping expressions.
    pub keys: Vec<Expr>,
    /// For `rollup`/`cube`: the grouping sets, as indexes into `keys` (the keys left out
    /// of a set are null in its rows).
    pub sets: Option<Vec<Vec<usize>>>,
    /// The engine-neutral plan of the grouping.
    pub plan: Arc<Plan>,
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

/// `model.write()`: Spark ML's writer, which refuses an existing path unless asked to
/// `overwrite()`.
#[derive(Clone)]
pub struct ModelWriter {
    /// The model to write.
    pub model: Model,
    /// Replace what is at the path.
    pub overwrite: bool,
}

/// A module a cell can import or name (`pyspark.sql.functions as F`, `time`, `sys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Module {
    /// Python's builtins: `print`, `len`, …
    Builtins,
    /// `pyspark`.
    PySpark,
    /// `pyspark.sql`.
    Sql,
    /// `pyspark.sql.functions`.
    Functions,
    /// `pyspark.sql.types`.
    Types,
    /// `pyspark.ml` and its submodules.
    Ml,
    /// `findspark`.
    Findspark,
    /// `faisca`: the classifier helpers.
    Faisca,
    /// `sys`.
    Sys,
    /// `time`.
    Time,
    /// `IPython.display`.
    IPythonDisplay,
    /// `sparksql_magic` (loaded by `%load_ext`).
    SparksqlMagic,
    /// `tempfile`.
    Tempfile,
    /// `os`.
    Os,
    /// `os.path`: path helpers that only read.
    OsPath,
    /// `pyspark.sql.window`.
    Window,
    /// `datetime`.
    Datetime,
    /// `pandas`: imported so pandas UDFs read as written; its objects are out of scope.
    Pandas,
    /// `pyspark.errors`: the exception classes `except` names.
    Errors,
}

impl Module {
    /// Every module, with its import path.
    pub const ALL: [(Module, &'static str); 23] = [
        (Module::Builtins, "builtins"),
        (Module::Pandas, "pandas"),
        (Module::Errors, "pyspark.errors"),
        (Module::Errors, "pyspark.sql.utils"),
        (Module::PySpark, "pyspark"),
        (Module::Sql, "pyspark.sql"),
        (Module::Functions, "pyspark.sql.functions"),
        (Module::Types, "pyspark.sql.types"),
        (Module::Ml, "pyspark.ml"),
        (Module::Ml, "pyspark.ml.feature"),
        (Module::Ml, "pyspark.ml.classification"),
        (Module::Findspark, "findspark"),
        (Module::Faisca, "faisca"),
        (Module::Sys, "sys"),
        (Module::Time, "time"),
        (Module::IPythonDisplay, "IPython.display"),
        (Module::IPythonDisplay, "IPython"),
        (Module::SparksqlMagic, "sparksql_magic"),
        (Module::Tempfile, "tempfile"),
        (Module::Os, "os"),
        (Module::OsPath, "os.path"),
        (Module::Window, "pyspark.sql.window"),
        (Module::Datetime, "datetime"),
    ];

    /// The module imported as `path`.
    pub fn from_path(path: &str) -> Option<Module> {
        Module::ALL
            .iter()
            .find(|(_, p)| *p == path)
            .map(|(m, _)| *m)
    }
    /// `module.name` when that is a module too (`pyspark.sql` → `functions`).
    pub fn child(self, name: &str) -> Option<Module> {
        Module::from_path(&format!("{}.{name}", self.path()))
    }
    /// Its import path.
    pub fn path(self) -> &'static str {
        Module::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map(|(_, p)| *p)
            .unwrap_or("builtins")
    }
}

/// Standard output or standard error (`sys.stdout`, `sys.stderr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// `sys.stdout`.
    Stdout,
    /// `sys.stderr`.
    Stderr,
}

/// A function or method of the API registry, by index, with its name for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Callable {
    /// Index into the registry.
    pub id: usize,
    /// Its Python name.
    pub name: &'static str,
}

/// The kind of object a method is called on: one row of the API registry each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Receiver {
    /// Functions called by bare name or through a module.
    Global,
    /// `DataFrame`.
    DataFrame,
    /// `Column`.
    Column,
    /// `GroupedData`.
    GroupedData,
    /// `df.na`.
    NaFunctions,
    /// `df.plot`.
    PlotAccessor,
    /// A chart (`df.plot.bar(...)`'s result).
    Figure,
    /// `spark`.
    SparkSession,
    /// `SparkSession` itself (`SparkSession.builder`).
    SessionClass,
    /// `SparkSession.builder`.
    Builder,
    /// `spark.sparkContext`.
    SparkContext,
    /// `spark.read`.
    Reader,
    /// `df.write`.
    Writer,
    /// `spark.catalog`.
    Catalog,
    /// `spark.conf`.
    RuntimeConfig,
    /// `NaiveBayes(...)`.
    Estimator,
    /// A trained classifier.
    Model,
    /// `model.write()`.
    ModelWriter,
    /// A collected table (`toPandas()`).
    Pandas,
    /// A collected row.
    Row,
    /// `tempfile.TemporaryDirectory()`.
    TemporaryDirectory,
    /// `Window` and `Window.partitionBy(...)…`.
    WindowSpec,
    /// A Python string.
    Str,
    /// A Python dict.
    Dict,
}

impl Receiver {
    /// Every receiver, in documentation order.
    pub const ALL: [Receiver; 24] = [
        Receiver::SparkSession,
        Receiver::SessionClass,
        Receiver::Builder,
        Receiver::SparkContext,
        Receiver::Reader,
        Receiver::DataFrame,
        Receiver::NaFunctions,
        Receiver::PlotAccessor,
        Receiver::Figure,
        Receiver::GroupedData,
        Receiver::Column,
        Receiver::Writer,
        Receiver::Catalog,
        Receiver::RuntimeConfig,
        Receiver::Global,
        Receiver::Estimator,
        Receiver::Model,
        Receiver::ModelWriter,
        Receiver::Pandas,
        Receiver::Row,
        Receiver::TemporaryDirectory,
        Receiver::WindowSpec,
        Receiver::Str,
        Receiver::Dict,
    ];

    /// The Python class name.
    pub fn class_name(self) -> &'static str {
        match self {
            Receiver::Global => "function",
            Receiver::DataFrame => "DataFrame",
            Receiver::Column => "Column",
            Receiver::GroupedData => "GroupedData",
            Receiver::NaFunctions => "DataFrameNaFunctions",
            Receiver::PlotAccessor => "PySparkPlotAccessor",
            Receiver::Figure => "Figure",
            Receiver::SparkSession => "SparkSession",
            Receiver::SessionClass => "type",
            Receiver::Builder => "Builder",
            Receiver::SparkContext => "SparkContext",
            Receiver::Reader => "DataFrameReader",
            Receiver::Writer => "DataFrameWriter",
            Receiver::Catalog => "Catalog",
            Receiver::RuntimeConfig => "RuntimeConfig",
            Receiver::Estimator => "NaiveBayes",
            Receiver::Model => "NaiveBayesModel",
            Receiver::ModelWriter => "MLWriter",
            Receiver::Pandas => "pandas.DataFrame",
            Receiver::Row => "Row",
            Receiver::TemporaryDirectory => "TemporaryDirectory",
            Receiver::WindowSpec => "WindowSpec",
            Receiver::Str => "str",
            Receiver::Dict => "dict",
        }
    }
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
    List(Arc<Vec<Value>>),
    /// A tuple.
    Tuple(Arc<Vec<Value>>),
    /// A dict, in insertion order.
    Dict(Arc<Vec<(Value, Value)>>),
    /// `datetime.date(2000, 1, 1)`.
    Date(chrono::NaiveDate),
    /// `datetime.datetime(2000, 1, 1, 12, 0)` (naive, as Spark's session time zone shows it).
    Timestamp(chrono::NaiveDateTime),
    /// `tempfile.TemporaryDirectory()`: the directory's path; `with` removes it at exit.
    TempDir(Arc<String>),
    /// `pandas_udf("long")` before its function: applied, it makes the function a UDF.
    UdfDecorator(Box<DataType>),
    /// An exception caught by `except … as e`: its class and message.
    Exception(Arc<(String, String)>),
    /// `Window` and the specs built from it.
    Window(Box<WindowSpec>),
    /// A function the notebook defined (`def` or `lambda`).
    UserFn(UserFn),
    /// A collected row: field names and values.
    Row(Vec<(String, Value)>),
    /// A lazy DataFrame.
    Frame(Box<Frame>),
    /// A column expression.
    Column(Box<Column>),
    /// Grouped data.
    Grouped(Box<Grouped>),
    /// `df.na`.
    Na(Box<Frame>),
    /// `df.plot`.
    Plot(Box<Frame>),
    /// A chart, aggregated and ready to draw.
    Chart(Arc<Chart>),
    /// `spark.read`.
    Reader(Reader),
    /// `df.write`.
    Writer(Box<Writer>),
    /// The `spark` session object.
    Spark,
    /// The `SparkSession` class.
    SessionClass,
    /// `SparkSession.builder`: the session exists already, so it only returns it.
    Builder,
    /// `spark.sparkContext`.
    SparkContext,
    /// `spark.catalog`.
    Catalog,
    /// `spark.conf`.
    Conf,
    /// An imported module (`pyspark.sql.functions as F`).
    Module(Module),
    /// `sys.stdout` / `sys.stderr`.
    Stream(Stream),
    /// A registry function.
    Function(Callable),
    /// A registry method bound to its receiver.
    Method(Box<Value>, Callable),
    /// A collected table (toPandas).
    Pandas(Arc<DataFrame>),
    /// A Naive Bayes estimator.
    Estimator(Box<Estimator>),
    /// A classifier.
    Model(Model),
    /// `model.write()`.
    ModelWriter(ModelWriter),
    /// A model evaluation.
    Evaluation(Arc<Evaluation>),
    /// A schema (`df.schema`).
    Schema(SchemaRef),
    /// A Spark type object like `StringType()`.
    Type(DataType),
    /// A class, as `type(x)` gives it: its qualified name (`pyspark.sql.column.Column`).
    Class(&'static str),
}

/// Python's `repr` of a datetime: trailing zero seconds and microseconds left out.
fn python_datetime_repr(t: &chrono::NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    let mut parts = vec![
        t.year().to_string(),
        t.month().to_string(),
        t.day().to_string(),
        t.hour().to_string(),
        t.minute().to_string(),
    ];
    let micros = t.nanosecond() / 1000;
    if t.second() != 0 || micros != 0 {
        parts.push(t.second().to_string());
    }
    if micros != 0 {
        parts.push(micros.to_string());
    }
    format!("datetime.datetime({})", parts.join(", "))
}

/// A dict from `(key, value)` pairs: a repeated key keeps its first place and its last
/// value, as Python's does. Keys must be hashable (scalars or tuples of them).
pub fn dict_from(pairs: Vec<(Value, Value)>) -> Result<Value, LangError> {
    let mut items: Vec<(Value, Value)> = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        if !k.is_hashable() {
            return Err(LangError::type_error(format!(
                "unhashable type: '{}'",
                k.type_name()
            )));
        }
        match items.iter_mut().find(|(old, _)| old.same_key(&k)) {
            Some(slot) => slot.1 = v,
            None => items.push((k, v)),
        }
    }
    Ok(Value::Dict(Arc::new(items)))
}

impl Value {
    /// Whether it can be a dict key.
    pub fn is_hashable(&self) -> bool {
        match self {
            Value::None
            | Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Str(_)
            | Value::Date(_)
            | Value::Timestamp(_) => true,
            Value::Tuple(items) => items.iter().all(Value::is_hashable),
            _ => false,
        }
    }
    /// Whether two keys are the same dict key (`1 == 1.0 == True`, as in Python).
    pub fn same_key(&self, other: &Value) -> bool {
        let num = |v: &Value| match v {
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        };
        match (self, other) {
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::None, Value::None) => true,
            (Value::Tuple(a), Value::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same_key(y))
            }
            (a, b) => matches!((num(a), num(b)), (Some(x), Some(y)) if x == y),
        }
    }
    /// The value at `key` of a dict.
    pub fn dict_get(&self, key: &Value) -> Option<&Value> {
        match self {
            Value::Dict(items) => items.iter().find(|(k, _)| k.same_key(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The registry row this value's methods are in.
    pub fn receiver(&self) -> Option<Receiver> {
        Some(match self {
            Value::Frame(_) => Receiver::DataFrame,
            Value::Column(_) => Receiver::Column,
            Value::Grouped(_) => Receiver::GroupedData,
            Value::Na(_) => Receiver::NaFunctions,
            Value::Plot(_) => Receiver::PlotAccessor,
            Value::Chart(_) => Receiver::Figure,
            Value::Reader(_) => Receiver::Reader,
            Value::Writer(_) => Receiver::Writer,
            Value::Spark => Receiver::SparkSession,
            Value::SessionClass => Receiver::SessionClass,
            Value::Builder => Receiver::Builder,
            Value::SparkContext => Receiver::SparkContext,
            Value::Catalog => Receiver::Catalog,
            Value::Conf => Receiver::RuntimeConfig,
            Value::Estimator(_) => Receiver::Estimator,
            Value::Model(_) => Receiver::Model,
            Value::ModelWriter(_) => Receiver::ModelWriter,
            Value::Pandas(_) => Receiver::Pandas,
            Value::Row(_) => Receiver::Row,
            Value::TempDir(_) => Receiver::TemporaryDirectory,
            Value::Window(_) => Receiver::WindowSpec,
            Value::Str(_) => Receiver::Str,
            Value::Dict(_) => Receiver::Dict,
            _ => return None,
        })
    }

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
            Value::Dict(_) => "dict",
            Value::Date(_) => "date",
            Value::Timestamp(_) => "datetime",
            Value::TempDir(_) => "TemporaryDirectory",
            Value::Exception(_) => "Exception",
            Value::UdfDecorator(_) => "function",
            Value::Window(_) => "WindowSpec",
            Value::UserFn(_) => "function",
            Value::Row(_) => "Row",
            Value::Frame(_) => "DataFrame",
            Value::Column(_) => "Column",
            Value::Grouped(_) => "GroupedData",
            Value::Na(_) => "DataFrameNaFunctions",
            Value::Plot(_) => "PySparkPlotAccessor",
            Value::Chart(_) => "Figure",
            Value::Reader(_) => "DataFrameReader",
            Value::Writer(_) => "DataFrameWriter",
            Value::Spark => "SparkSession",
            Value::SessionClass => "type",
            Value::Builder => "Builder",
            Value::SparkContext => "SparkContext",
            Value::Catalog => "Catalog",
            Value::Conf => "RuntimeConfig",
            Value::Module(_) => "module",
            Value::Stream(_) => "TextIOWrapper",
            Value::Function(_) => "function",
            Value::Method(_, _) => "method",
            Value::Pandas(_) => "pandas.DataFrame",
            Value::Estimator(_) => "NaiveBayes",
            Value::Model(_) => "NaiveBayesModel",
            Value::ModelWriter(_) => "MLWriter",
            Value::Evaluation(_) => "Evaluation",
            Value::Schema(_) => "StructType",
            Value::Type(_) => "DataType",
            Value::Class(_) => "type",
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
            Value::TempDir(path) => format!("<TemporaryDirectory '{path}'>"),
            Value::Exception(e) => format!("{}({})", e.0, python_str(&e.1)),
            Value::UdfDecorator(t) => format!("<function pandas_udf.<locals>.<{}>>", spark_type(t)),
            Value::Date(d) => {
                use chrono::Datelike;
                format!("datetime.date({}, {}, {})", d.year(), d.month(), d.day())
            }
            Value::Timestamp(t) => python_datetime_repr(t),
            Value::Window(_) => "<pyspark.sql.window.WindowSpec object at 0x7f0000000000>".into(),
            Value::UserFn(f) => format!("<function {} at 0x7f0000000000>", f.name),
            Value::Dict(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.repr(), v.repr()))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            Value::Row(fields) if fields.iter().any(|(n, _)| n.is_empty()) => {
                let parts: Vec<String> = fields.iter().map(|(_, v)| v.repr()).collect();
                format!("<Row({})>", parts.join(", "))
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
            Value::Na(_) => "<pyspark.sql.dataframe.DataFrameNaFunctions>".into(),
            Value::Plot(_) => "<pyspark.sql.plot.core.PySparkPlotAccessor>".into(),
            Value::Chart(c) => format!("Figure({} chart, {} points)", c.kind.name(), c.points()),
            // Python shows an object's address; these have none, so a fixed one.
            Value::Reader(_) => {
                "<pyspark.sql.readwriter.DataFrameReader object at 0x7f0000000000>".into()
            }
            Value::Writer(_) => {
                "<pyspark.sql.readwriter.DataFrameWriter object at 0x7f0000000000>".into()
            }
            Value::Spark => "<SparkSession (Faísca, lazy Polars)>".into(),
            Value::SessionClass => "<class 'pyspark.sql.session.SparkSession'>".into(),
            Value::Builder => "<pyspark.sql.session.SparkSession.Builder>".into(),
            Value::SparkContext => "<SparkContext master=local appName=faisca>".into(),
            Value::Catalog => "<pyspark.sql.catalog.Catalog>".into(),
            Value::Conf => "<pyspark.sql.conf.RuntimeConfig object at 0x7f0000000000>".into(),
            Value::Module(m) => format!("<module '{}'>", m.path()),
            Value::Stream(Stream::Stdout) => "<stdout>".into(),
            Value::Stream(Stream::Stderr) => "<stderr>".into(),
            Value::Function(f) => format!("<function {}>", f.name),
            Value::Method(recv, f) => format!("<bound method {}.{}>", recv.type_name(), f.name),
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
            Value::ModelWriter(w) => format!(
                "<MLWriter for NaiveBayesModel, overwrite={}>",
                if w.overwrite { "True" } else { "False" }
            ),
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
            Value::Type(t) => type_object(t),
            Value::Class(path) => format!("<class '{path}'>"),
        }
    }
}

impl Value {
    /// The engine-neutral plan behind a value used as a receiver or an argument; plain
    /// data (numbers, strings, lists, …) has none and stands as a literal.
    pub fn plan(&self) -> Option<Arc<Plan>> {
        Some(match self {
            Value::Frame(f) => f.plan.clone(),
            Value::Column(c) => c.plan.clone(),
            Value::Grouped(g) => g.plan.clone(),
            Value::Na(f) => Arc::new(Plan::Attr {
                receiver: f.plan.clone(),
                name: "na",
            }),
            Value::Plot(f) => Arc::new(Plan::Attr {
                receiver: f.plan.clone(),
                name: "plot",
            }),
            Value::Writer(w) => Arc::new(Plan::Attr {
                receiver: w.frame.plan.clone(),
                name: "write",
            }),
            Value::Spark => Plan::leaf("spark"),
            Value::Reader(r) => reader_plan(r),
            Value::Model(m) => Arc::new(Plan::Model(m.classifier.clone())),
            Value::Window(w) => window_plan(w),
            Value::None
            | Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Str(_)
            | Value::List(_)
            | Value::Tuple(_)
            | Value::Row(_)
            | Value::Type(_)
            | Value::Schema(_) => return None,
            other => Plan::leaf(other.type_name()),
        })
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.repr())
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

/// Python's float repr.
pub fn python_float(f: f64) -> String {
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

/// Python's str repr.
pub fn python_str(s: &str) -> String {
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

/// `Window.partitionBy(…).orderBy(…).rowsBetween(…)`, as the calls that made the spec.
fn window_plan(w: &WindowSpec) -> Arc<Plan> {
    let cols = |cs: &[Column]| -> Vec<(&'static str, PlanArg)> {
        cs.iter()
            .map(|c| ("cols", PlanArg::Plan(c.plan.clone())))
            .collect()
    };
    let mut plan = Plan::leaf("Window");
    for (name, columns) in [("partitionBy", &w.partition), ("orderBy", &w.order)] {
        if !columns.is_empty() {
            plan = Arc::new(Plan::Call {
                name,
                receiver: Some(plan),
                args: cols(columns),
            });
        }
    }
    if let Some((rows, start, end)) = w.frame {
        plan = Arc::new(Plan::Call {
            name: if rows { "rowsBetween" } else { "rangeBetween" },
            receiver: Some(plan),
            args: vec![
                ("start", PlanArg::Literal(start.to_string())),
                ("end", PlanArg::Literal(end.to_string())),
            ],
        });
    }
    plan
}

/// `spark.read.format(…).option(k, v)…`, as the calls that made the reader.
fn reader_plan(reader: &Reader) -> Arc<Plan> {
    let text = |s: &str| PlanArg::Literal(Value::Str(s.into()).repr());
    let mut plan = Arc::new(Plan::Attr {
        receiver: Plan::leaf("spark"),
        name: "read",
    });
    if let Some(format) = reader.format {
        plan = Arc::new(Plan::Call {
            name: "format",
            receiver: Some(plan),
            args: vec![("source", text(format.name()))],
        });
    }
    for (key, value) in reader.options.iter() {
        plan = Arc::new(Plan::Call {
            name: "option",
            receiver: Some(plan),
            args: vec![("key", text(key)), ("value", text(value))],
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_reprs() {
        assert_eq!(Value::Str("it's".into()).repr(), "\"it's\"");
        assert_eq!(Value::Str("a\nb".into()).repr(), "'a\\nb'");
        assert_eq!(Value::Float(2.0).repr(), "2.0");
        assert_eq!(Value::Tuple(Arc::new(vec![Value::Int(1)])).repr(), "(1,)");
        let row = Value::Row(vec![
            ("id".into(), Value::Int(1)),
            ("d".into(), Value::None),
        ]);
        assert_eq!(row.repr(), "Row(id=1, d=None)");
    }
}
