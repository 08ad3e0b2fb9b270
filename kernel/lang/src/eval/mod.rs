//! Evaluation: statements, expressions, and the PySpark API mapped onto lazy Polars.

mod frames;
mod functions;
mod io;
mod ml;
mod values;

pub(crate) use functions::*;
pub(crate) use io::{option_flag, separator};
pub(crate) use ml::*;
pub(crate) use values::*;

use std::sync::Arc;

use polars::prelude::*;

use crate::error::{LangError, Span};
use crate::parser::{Arg, BinOp, Expr as Ast, ExprKind, Stmt, UnOp};
use crate::render;
use crate::session::{CancelCheck, Display, Emit, JobRows, Session, closest, show_display};
use crate::value::{Column, Estimator, Frame, Grouped, Model, Reader, Value, Writer, model_html};

/// Evaluates one cell's statements against the session.
pub struct Eval<'a> {
    pub(crate) session: &'a mut Session,
    pub(crate) src: &'a str,
    pub(crate) cell: u32,
    pub(crate) cancel: CancelCheck<'a>,
    pub(crate) emit: &'a mut dyn FnMut(Emit),
}

/// Evaluated call arguments with their spans.
pub(crate) struct Args {
    pub pos: Vec<(Value, Span)>,
    pub kw: Vec<(String, Value, Span)>,
    pub span: Span,
}

impl Args {
    /// A keyword-only argument.
    pub(crate) fn keyword(&self, name: &str) -> Option<(&Value, Span)> {
        self.kw
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, v, s)| (v, *s))
    }
    /// Positional argument `index`, or the keyword `name`.
    pub(crate) fn get(&self, index: usize, name: &str) -> Option<(&Value, Span)> {
        self.keyword(name)
            .or_else(|| self.pos.get(index).map(|(v, s)| (v, *s)))
    }
    pub(crate) fn require(
        &self,
        index: usize,
        name: &str,
        func: &str,
    ) -> Result<(&Value, Span), LangError> {
        self.get(index, name).ok_or_else(|| {
            LangError::type_error(format!("{func}() missing required argument '{name}'"))
                .at(self.span)
        })
    }
    /// Rejects keywords the function does not know and too many positional arguments.
    pub(crate) fn check(
        &self,
        func: &str,
        max_pos: usize,
        keywords: &[&str],
    ) -> Result<(), LangError> {
        if self.pos.len() > max_pos {
            let (_, span) = &self.pos[max_pos];
            return Err(LangError::type_error(format!(
                "{func}() takes at most {max_pos} positional argument{}, got {}",
                if max_pos == 1 { "" } else { "s" },
                self.pos.len()
            ))
            .at(*span));
        }
        for (name, _, span) in &self.kw {
            if !keywords.contains(&name.as_str()) {
                let hint = closest(name, keywords.iter().copied())
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| format!("{func}() accepts: {}", keywords.join(", ")));
                return Err(LangError::type_error(format!(
                    "{func}() got an unexpected keyword argument '{name}'"
                ))
                .at(*span)
                .with_hint(hint));
            }
        }
        Ok(())
    }
    /// All positional arguments, flattening one list argument (`select(["a", "b"])`).
    pub(crate) fn flat(&self) -> Vec<(Value, Span)> {
        if self.pos.len() == 1
            && let (Value::List(items) | Value::Tuple(items), span) = &self.pos[0]
        {
            return items.iter().map(|v| (v.clone(), *span)).collect();
        }
        self.pos.clone()
    }
}

pub(crate) fn polars_error(e: PolarsError) -> LangError {
    match e {
        PolarsError::ColumnNotFound(msg) => {
            LangError::analysis(format!("[UNRESOLVED_COLUMN] {}", first_line(&msg)))
        }
        PolarsError::SQLSyntax(msg) => LangError::new("ParseException", first_line(&msg)),
        PolarsError::SQLInterface(msg) => LangError::analysis(first_line(&msg)),
        PolarsError::IO { error, msg } => LangError::new(
            "IOException",
            format!(
                "{error}{}",
                msg.map(|m| format!(": {m}")).unwrap_or_default()
            ),
        ),
        PolarsError::ComputeError(msg) => LangError::new("PolarsComputeError", first_line(&msg)),
        PolarsError::SchemaMismatch(msg) | PolarsError::InvalidOperation(msg) => {
            LangError::analysis(first_line(&msg))
        }
        PolarsError::Context { error, msg } => {
            let inner = polars_error(*error);
            LangError {
                message: format!("{} ({})", inner.message, first_line(&msg)),
                ..inner
            }
        }
        other => LangError::new("PolarsError", first_line(&other.to_string())),
    }
}

pub(crate) fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

const DATAFRAME_METHODS: &[&str] = &[
    "select",
    "selectExpr",
    "withColumn",
    "withColumns",
    "withColumnRenamed",
    "drop",
    "filter",
    "where",
    "groupBy",
    "groupby",
    "agg",
    "orderBy",
    "sort",
    "limit",
    "distinct",
    "dropDuplicates",
    "drop_duplicates",
    "join",
    "union",
    "unionAll",
    "unionByName",
    "show",
    "count",
    "collect",
    "toPandas",
    "head",
    "take",
    "first",
    "printSchema",
    "explain",
    "describe",
    "cache",
    "persist",
    "unpersist",
    "createTempView",
    "createOrReplaceTempView",
    "randomSplit",
    "alias",
    "fillna",
    "dropna",
    "sample",
    "display",
];
const DATAFRAME_PROPERTIES: &[&str] = &["columns", "dtypes", "schema", "write", "na"];
const COLUMN_METHODS: &[&str] = &[
    "alias",
    "name",
    "cast",
    "astype",
    "isNull",
    "isNotNull",
    "isin",
    "asc",
    "desc",
    "otherwise",
    "when",
    "like",
    "contains",
    "startswith",
    "endswith",
    "substr",
    "between",
];
const GROUPED_METHODS: &[&str] = &["count", "agg", "sum", "avg", "mean", "min", "max"];
const READER_METHODS: &[&str] = &[
    "option", "options", "format", "csv", "parquet", "json", "load", "schema",
];
const WRITER_METHODS: &[&str] = &[
    "mode", "option", "options", "format", "csv", "parquet", "json", "save",
];
const SPARK_METHODS: &[&str] = &["sql", "table", "createDataFrame", "range", "stop"];
const SPARK_PROPERTIES: &[&str] = &["read", "catalog", "version", "sparkContext"];
const CATALOG_METHODS: &[&str] = &["listTables", "dropTempView", "tableExists"];
const MODEL_METHODS: &[&str] = &[
    "predict",
    "predict_proba",
    "proba",
    "explain",
    "evaluate",
    "save",
    "transform",
];
const ESTIMATOR_METHODS: &[&str] = &["fit"];

/// Builtin functions callable by name (pyspark.sql.functions and Faísca's own).
pub const FUNCTIONS: &[&str] = &[
    "col",
    "column",
    "lit",
    "concat",
    "concat_ws",
    "upper",
    "lower",
    "trim",
    "ltrim",
    "rtrim",
    "length",
    "substring",
    "regexp_replace",
    "split",
    "when",
    "coalesce",
    "count",
    "countDistinct",
    "count_distinct",
    "sum",
    "avg",
    "mean",
    "min",
    "max",
    "round",
    "abs",
    "monotonically_increasing_id",
    "current_date",
    "current_timestamp",
    "asc",
    "desc",
    "NaiveBayes",
    "load_model",
    "model_udf",
    "display",
    "print",
    "clear_output",
    "sleep",
    "help",
    "SparkSession",
    "len",
    "str",
    "int",
    "float",
    "StringType",
    "IntegerType",
    "LongType",
    "DoubleType",
    "FloatType",
    "BooleanType",
    "DateType",
    "TimestampType",
];

/// The methods a value offers, for errors and completion.
pub fn methods_of(value: &Value) -> Vec<&'static str> {
    let lists: &[&[&'static str]] = match value {
        Value::Frame(_) => &[DATAFRAME_METHODS, DATAFRAME_PROPERTIES],
        Value::Column(_) => &[COLUMN_METHODS],
        Value::Grouped(_) => &[GROUPED_METHODS],
        Value::Reader(_) => &[READER_METHODS],
        Value::Writer(_) => &[WRITER_METHODS],
        Value::Spark => &[SPARK_METHODS, SPARK_PROPERTIES],
        Value::Catalog => &[CATALOG_METHODS],
        Value::Model(_) => &[MODEL_METHODS],
        Value::Estimator(_) => &[ESTIMATOR_METHODS],
        Value::Module(m) if m == BUILDER => &[BUILDER_METHODS],
        Value::Module(m) if m == "findspark" => &[&["init"]],
        Value::Module(m) if m == "sparkContext" => &[&["setLogLevel"]],
        Value::Module(_) => &[FUNCTIONS],
        Value::Pandas(_) => &[&["shape", "columns", "head"]],
        Value::Row(_) => &[&["asDict"]],
        _ => &[],
    };
    lists.iter().flat_map(|l| l.iter().copied()).collect()
}

/// `SparkSession.builder`: the chapter's first cell builds the session; here it already exists.
pub(crate) const BUILDER: &str = "SparkSession.builder";
const BUILDER_METHODS: &[&str] = &[
    "master",
    "appName",
    "config",
    "enableHiveSupport",
    "getOrCreate",
];

const PYSPARK_MODULES: &[&str] = &[
    "pyspark",
    "pyspark.sql",
    "pyspark.sql.functions",
    "pyspark.sql.types",
    "pyspark.sql.window",
    "pyspark.ml",
    "pyspark.ml.feature",
    "pyspark.ml.classification",
    "findspark",
    "faisca",
    "sparksql_magic",
    "time",
    "sys",
];

impl Eval<'_> {
    pub(crate) fn statement(&mut self, stmt: &Stmt) -> Result<Option<Value>, LangError> {
        match stmt {
            Stmt::Import {
                module,
                names,
                span,
            } => {
                self.import(module, names, *span)?;
                Ok(None)
            }
            Stmt::Assign(targets, expr) => {
                let value = self.expr(expr)?;
                if targets.len() == 1 {
                    self.session.vars.insert(targets[0].0.clone(), value);
                    return Ok(None);
                }
                let items = match value {
                    Value::List(items) | Value::Tuple(items) => items,
                    other => {
                        return Err(LangError::type_error(format!(
                            "cannot unpack a {} into {} names",
                            other.type_name(),
                            targets.len()
                        ))
                        .at(expr.span));
                    }
                };
                if items.len() != targets.len() {
                    return Err(LangError::new(
                        "ValueError",
                        format!(
                            "expected {} values to unpack, got {}",
                            targets.len(),
                            items.len()
                        ),
                    )
                    .at(expr.span));
                }
                for ((name, _), item) in targets.iter().zip(items) {
                    self.session.vars.insert(name.clone(), item);
                }
                Ok(None)
            }
            Stmt::Expr(e) => {
                let v = self.expr(e)?;
                Ok(Some(v))
            }
        }
    }

    pub(crate) fn import(
        &mut self,
        module: &str,
        names: &[(String, String)],
        span: Span,
    ) -> Result<(), LangError> {
        let known = PYSPARK_MODULES
            .iter()
            .any(|m| module == *m || module.starts_with(&format!("{m}.")));
        if !known {
            let hint = match module {
                "pandas" | "numpy" => {
                    "Faísca has no pandas/numpy: use DataFrame methods; toPandas() shows a pandas-style table"
                }
                "sklearn" | "joblib" | "pickle" => {
                    "train with NaiveBayes(text=..., label=...).fit(df) and load with load_model(path)"
                }
                _ => "only pyspark modules are understood; their functions are built in",
            };
            return Err(LangError::new(
                "ModuleNotFoundError",
                format!("no module named '{module}'"),
            )
            .at(span)
            .with_hint(hint));
        }
        for (name, alias) in names {
            if name.is_empty() {
                // `import pyspark.sql.functions as F`
                self.session
                    .vars
                    .insert(alias.clone(), Value::Module(module.to_string()));
            } else if name == "*" {
                continue;
            } else if FUNCTIONS.contains(&name.as_str()) {
                // Builtins are always available; an alias makes another name for them.
                if alias != name {
                    let f = FUNCTIONS.iter().find(|f| *f == name).expect("checked");
                    self.session.vars.insert(alias.clone(), Value::Builtin(f));
                }
            } else if matches!(
                name.as_str(),
                "SparkSession"
                    | "functions"
                    | "types"
                    | "F"
                    | "T"
                    | "Row"
                    | "Window"
                    | "pandas_udf"
                    | "udf"
                    | "PandasUDFType"
                    | "sql_magic"
                    | "SQLContext"
            ) {
                if name == "functions" || name == "types" {
                    self.session
                        .vars
                        .insert(alias.clone(), Value::Module(format!("{module}.{name}")));
                }
            } else {
                return Err(LangError::new(
                    "ImportError",
                    format!("cannot import name '{name}' from '{module}'"),
                )
                .at(span)
                .with_hint(format!(
                    "available functions: {}",
                    closest(name, FUNCTIONS.iter().copied()).map_or_else(
                        || FUNCTIONS[..12].join(", ") + ", …",
                        |c| format!("did you mean `{c}`?")
                    )
                )));
            }
        }
        Ok(())
    }

    pub(crate) fn expr(&mut self, e: &Ast) -> Result<Value, LangError> {
        if (self.cancel)() {
            return Err(crate::session::interrupted());
        }
        let span = e.span;
        let v = match &e.kind {
            ExprKind::None => Value::None,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::Float(f) => Value::Float(*f),
            ExprKind::Str(s) => Value::Str(s.clone()),
            ExprKind::List(items) => Value::List(self.exprs(items)?),
            ExprKind::Tuple(items) => Value::Tuple(self.exprs(items)?),
            ExprKind::Name(n) => self.lookup(n, span)?,
            ExprKind::Attr(obj, name, name_span) => {
                let recv = self.expr(obj)?;
                self.attribute(recv, name, *name_span)?
            }
            ExprKind::Call(func, args) => {
                let f = self.expr(func)?;
                let args = self.args(args, span)?;
                self.call(f, args).map_err(|err| err.at(span))?
            }
            ExprKind::Index(obj, index) => {
                let recv = self.expr(obj)?;
                let idx = self.expr(index)?;
                self.index(recv, idx, index.span)?
            }
            ExprKind::Binary(op, l, r) => {
                let lv = self.expr(l)?;
                let rv = self.expr(r)?;
                binary(*op, lv, rv).map_err(|err| err.at(span))?
            }
            ExprKind::Unary(op, inner) => {
                let v = self.expr(inner)?;
                unary(*op, v).map_err(|err| err.at(span))?
            }
        };
        Ok(v)
    }

    pub(crate) fn exprs(&mut self, items: &[Ast]) -> Result<Vec<Value>, LangError> {
        items.iter().map(|i| self.expr(i)).collect()
    }

    pub(crate) fn args(&mut self, args: &[Arg], span: Span) -> Result<Args, LangError> {
        let mut out = Args {
            pos: Vec::new(),
            kw: Vec::new(),
            span,
        };
        for a in args {
            let v = self.expr(&a.value)?;
            match &a.name {
                Some(n) => out.kw.push((n.clone(), v, a.value.span)),
                None => out.pos.push((v, a.value.span)),
            }
        }
        Ok(out)
    }

    pub(crate) fn lookup(&self, name: &str, span: Span) -> Result<Value, LangError> {
        if let Some(v) = self.session.vars.get(name) {
            return Ok(v.clone());
        }
        if let Some(f) = FUNCTIONS.iter().find(|f| **f == name) {
            return Ok(Value::Builtin(f));
        }
        let candidates = self
            .session
            .vars
            .keys()
            .map(String::as_str)
            .chain(FUNCTIONS.iter().copied());
        let mut err = LangError::new("NameError", format!("name '{name}' is not defined")).at(span);
        if let Some(c) = closest(name, candidates) {
            err = err.with_hint(format!("did you mean `{c}`?"));
        } else if matches!(name, "pd" | "np" | "sc" | "sqlContext") {
            err = err.with_hint("the session object is `spark`; DataFrames come from spark.read / spark.createDataFrame");
        }
        Err(err)
    }

    pub(crate) fn attribute(
        &mut self,
        recv: Value,
        name: &str,
        span: Span,
    ) -> Result<Value, LangError> {
        match (&recv, name) {
            (Value::Spark, "read") => return Ok(Value::Reader(Reader::default())),
            (Value::Spark, "catalog") => return Ok(Value::Catalog),
            (Value::Spark, "version") => {
                return Ok(Value::Str(format!("faisca {}", env!("CARGO_PKG_VERSION"))));
            }
            (Value::Frame(f), "columns") => {
                return Ok(Value::List(
                    f.columns().into_iter().map(Value::Str).collect(),
                ));
            }
            (Value::Frame(f), "dtypes") => {
                return Ok(Value::List(
                    f.schema
                        .iter()
                        .map(|(n, t)| {
                            Value::Tuple(vec![
                                Value::Str(n.to_string()),
                                Value::Str(render::spark_type(t)),
                            ])
                        })
                        .collect(),
                ));
            }
            (Value::Frame(f), "schema") => return Ok(Value::Schema(f.schema.clone())),
            (Value::Frame(f), "write") => {
                return Ok(Value::Writer(Writer {
                    frame: f.clone(),
                    mode: "errorifexists".into(),
                    options: vec![],
                    format: None,
                }));
            }
            (Value::Pandas(df), "shape") => {
                return Ok(Value::Tuple(vec![
                    Value::Int(df.height() as i64),
                    Value::Int(df.width() as i64),
                ]));
            }
            (Value::Pandas(df), "columns") => {
                return Ok(Value::List(
                    df.get_column_names()
                        .iter()
                        .map(|n| Value::Str(n.to_string()))
                        .collect(),
                ));
            }
            (Value::Module(m), stream @ ("stdout" | "stderr")) if m == "sys" => {
                return Ok(Value::Module(format!("sys.{stream}")));
            }
            (Value::Spark, "sparkContext") => return Ok(Value::Module("sparkContext".into())),
            (Value::Builtin("SparkSession"), "builder") => {
                return Ok(Value::Module(BUILDER.into()));
            }
            (Value::Module(_), f) => {
                if let Some(f) = FUNCTIONS.iter().find(|x| **x == f) {
                    return Ok(Value::Builtin(f));
                }
            }
            (Value::Frame(f), col)
                if !DATAFRAME_METHODS.contains(&col) && f.schema.contains(col) =>
            {
                return Ok(Value::Column(plain_col(col)));
            }
            (Value::Row(fields), field) => {
                if let Some((_, v)) = fields.iter().find(|(n, _)| n == field) {
                    return Ok(v.clone());
                }
            }
            _ => {}
        }
        let methods = methods_of(&recv);
        if methods.contains(&name) {
            return Ok(Value::Method(Box::new(recv), name.to_string()));
        }
        let mut err = LangError::new(
            "AttributeError",
            format!("'{}' object has no attribute '{name}'", recv.type_name()),
        )
        .at(span);
        if let Some(c) = closest(name, methods.iter().copied()) {
            err = err.with_hint(format!("did you mean `{c}`?"));
        } else if let Value::Frame(f) = &recv {
            err = err.with_hint(format!("columns: {}", f.columns().join(", ")));
        }
        Err(err)
    }

    pub(crate) fn index(
        &mut self,
        recv: Value,
        idx: Value,
        span: Span,
    ) -> Result<Value, LangError> {
        match (&recv, &idx) {
            (Value::Frame(f), Value::Str(name)) => {
                check_columns(f, &[(name.as_str(), span)])?;
                Ok(Value::Column(plain_col(name)))
            }
            (Value::List(items) | Value::Tuple(items), Value::Int(i)) => {
                let n = items.len() as i64;
                let j = if *i < 0 { n + i } else { *i };
                items
                    .get(j as usize)
                    .filter(|_| j >= 0)
                    .cloned()
                    .ok_or_else(|| {
                        LangError::new(
                            "IndexError",
                            format!("index {i} out of range for {} items", n),
                        )
                        .at(span)
                    })
            }
            (Value::Row(fields), Value::Int(i)) => fields
                .get(*i as usize)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| {
                    LangError::new("IndexError", format!("row index {i} out of range")).at(span)
                }),
            (Value::Row(fields), Value::Str(name)) => fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| LangError::new("KeyError", format!("'{name}'")).at(span)),
            _ => Err(LangError::type_error(format!(
                "'{}' object is not subscriptable with {}",
                recv.type_name(),
                idx.type_name()
            ))
            .at(span)),
        }
    }

    pub(crate) fn call(&mut self, f: Value, args: Args) -> Result<Value, LangError> {
        match f {
            Value::Builtin(name) => self.builtin(name, args),
            Value::Method(recv, name) => self.method(*recv, &name, args),
            Value::Model(m) => {
                args.check("predict", 1, &[])?;
                let (c, s) = args.require(0, "col", "predict")?;
                Ok(Value::Column(predict_column(
                    &m,
                    to_column(c, s)?,
                    PredictKind::Label,
                )))
            }
            other => Err(LangError::type_error(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    // ----- display ----------------------------------------------------------------------

    /// How a value shows as a cell's result. DataFrames show their schema only, like
    /// PySpark, so laziness stays visible.
    pub(crate) fn display_value(&mut self, v: &Value) -> Result<Option<Display>, LangError> {
        Ok(match v {
            Value::None => None,
            Value::Pandas(df) => Some(Display::rich(
                render::pandas_text(df, self.session.config.max_rows),
                render::pandas_html(df, self.session.config.max_rows),
            )),
            Value::Spark => {
                let url = self.session.config.jobs_url.clone();
                let text = match &url {
                    Some(u) => format!("SparkSession (Faísca on lazy Polars)\nJobs UI: {u}"),
                    None => "SparkSession (Faísca on lazy Polars)".to_string(),
                };
                let link = url
                    .map(|u| {
                        format!(
                            "<p><a href=\"{0}\" target=\"_blank\">Jobs UI</a> · {0}</p>",
                            render::escape(&u)
                        )
                    })
                    .unwrap_or_default();
                Some(Display::rich(
                    text,
                    format!(
                        "<div><p><b>SparkSession</b> — Faísca {} on lazy Polars</p>{link}<p>views: {}</p></div>",
                        env!("CARGO_PKG_VERSION"),
                        self.session.views.len()
                    ),
                ))
            }
            Value::Model(m) => Some(Display::rich(v.repr(), model_html(m))),
            Value::Evaluation(e) => Some(Display::rich(evaluation_text(e), evaluation_html(e))),
            Value::Frame(_) => Some(Display::text(v.repr())),
            other => Some(Display::text(other.repr())),
        })
    }
}
