//! Evaluation: statements, expressions, and the PySpark API mapped onto lazy Polars.

use std::sync::Arc;

use polars::prelude::*;

use crate::error::{LangError, Span};
use crate::parser::{Arg, BinOp, Expr as Ast, ExprKind, Stmt, UnOp};
use crate::render;
use crate::session::{CancelCheck, Display, Emit, Session, closest, show_display};
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
    fn get(&self, index: usize, name: &str) -> Option<(&Value, Span)> {
        self.kw
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, v, s)| (v, *s))
            .or_else(|| self.pos.get(index).map(|(v, s)| (v, *s)))
    }
    fn require(&self, index: usize, name: &str, func: &str) -> Result<(&Value, Span), LangError> {
        self.get(index, name).ok_or_else(|| {
            LangError::type_error(format!("{func}() missing required argument '{name}'"))
                .at(self.span)
        })
    }
    /// Rejects keywords the function does not know and too many positional arguments.
    fn check(&self, func: &str, max_pos: usize, keywords: &[&str]) -> Result<(), LangError> {
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
    fn flat(&self) -> Vec<(Value, Span)> {
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

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

fn is_interrupted(e: &LangError) -> bool {
    e.ename == "KeyboardInterrupt"
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
        Value::Module(_) => &[FUNCTIONS],
        Value::Pandas(_) => &[&["shape", "columns", "head"]],
        Value::Row(_) => &[&["asDict"]],
        _ => &[],
    };
    lists.iter().flat_map(|l| l.iter().copied()).collect()
}

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

    fn import(
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

    fn exprs(&mut self, items: &[Ast]) -> Result<Vec<Value>, LangError> {
        items.iter().map(|i| self.expr(i)).collect()
    }

    fn args(&mut self, args: &[Arg], span: Span) -> Result<Args, LangError> {
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

    fn lookup(&self, name: &str, span: Span) -> Result<Value, LangError> {
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

    fn attribute(&mut self, recv: Value, name: &str, span: Span) -> Result<Value, LangError> {
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

    fn index(&mut self, recv: Value, idx: Value, span: Span) -> Result<Value, LangError> {
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

    fn call(&mut self, f: Value, args: Args) -> Result<Value, LangError> {
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

    // ----- builtins ---------------------------------------------------------------------

    fn builtin(&mut self, name: &str, args: Args) -> Result<Value, LangError> {
        let col_arg = |i: usize, n: &str| -> Result<Column, LangError> {
            let (v, s) = args.require(i, n, name)?;
            to_column(v, s)
        };
        let one = |f: fn(Expr) -> Expr, label: &str| -> Result<Value, LangError> {
            args.check(name, 1, &["col"])?;
            let c = col_arg(0, "col")?;
            Ok(Value::Column(Column::new(
                f(c.expr),
                format!("{label}({})", c.name),
            )))
        };
        let agg = |f: fn(Expr) -> Expr, label: &str| -> Result<Value, LangError> {
            args.check(name, 1, &["col"])?;
            let c = col_arg(0, "col")?;
            let mut out = Column::new(f(c.expr), format!("{label}({})", c.name));
            out.aggregate = true;
            Ok(Value::Column(out))
        };
        match name {
            "col" | "column" => {
                args.check(name, 1, &["col"])?;
                match args.require(0, "col", name)? {
                    (Value::Str(s), _) => Ok(Value::Column(plain_col(s))),
                    (v, s) => Err(LangError::type_error(format!(
                        "col() takes a column name, got {}",
                        v.type_name()
                    ))
                    .at(s)),
                }
            }
            "lit" => {
                args.check(name, 1, &["col"])?;
                let (v, s) = args.require(0, "col", name)?;
                Ok(Value::Column(literal(v, s)?))
            }
            "concat" => {
                let cols = args
                    .flat()
                    .iter()
                    .map(|(v, s)| to_column(v, *s))
                    .collect::<Result<Vec<_>, _>>()?;
                if cols.is_empty() {
                    return Err(LangError::type_error("concat() needs at least one column"));
                }
                let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
                let label = format!("concat({})", names.join(", "));
                let exprs: Vec<Expr> = cols
                    .iter()
                    .map(|c| c.expr.clone().cast(DataType::String))
                    .collect();
                // Spark's concat is null if any input is null.
                Ok(Value::Column(Column::new(
                    concat_str(exprs, "", false),
                    label,
                )))
            }
            "concat_ws" => {
                let (sep, s) = args.require(0, "sep", name)?;
                let Value::Str(sep) = sep else {
                    return Err(
                        LangError::type_error("concat_ws() takes the separator first").at(s),
                    );
                };
                let rest: Vec<(Value, Span)> = match &args.pos[1..] {
                    [(Value::List(items), s)] => items.iter().map(|v| (v.clone(), *s)).collect(),
                    other => other.to_vec(),
                };
                let cols = rest
                    .iter()
                    .map(|(v, s)| to_column(v, *s))
                    .collect::<Result<Vec<_>, _>>()?;
                let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
                let label = format!("concat_ws({sep}, {})", names.join(", "));
                let exprs: Vec<Expr> = cols
                    .iter()
                    .map(|c| c.expr.clone().cast(DataType::String))
                    .collect();
                Ok(Value::Column(Column::new(
                    concat_str(exprs, sep, true),
                    label,
                )))
            }
            "upper" => one(|e| e.str().to_uppercase(), "upper"),
            "lower" => one(|e| e.str().to_lowercase(), "lower"),
            "trim" => one(|e| e.str().strip_chars(lit(NULL)), "trim"),
            "ltrim" => one(|e| e.str().strip_chars_start(lit(NULL)), "ltrim"),
            "rtrim" => one(|e| e.str().strip_chars_end(lit(NULL)), "rtrim"),
            "length" => one(|e| e.str().len_chars().cast(DataType::Int32), "length"),
            "abs" => one(|e| e.abs(), "abs"),
            "substring" => {
                args.check(name, 3, &["str", "pos", "len"])?;
                let c = col_arg(0, "str")?;
                let pos = int_arg(&args, 1, "pos", name)?;
                let len = int_arg(&args, 2, "len", name)?;
                let start = if pos > 0 { pos - 1 } else { pos };
                let label = format!("substring({}, {pos}, {len})", c.name);
                Ok(Value::Column(Column::new(
                    c.expr.str().slice(lit(start), lit(len.max(0) as u64)),
                    label,
                )))
            }
            "regexp_replace" => {
                args.check(name, 3, &["string", "pattern", "replacement"])?;
                let c = col_arg(0, "string")?;
                let pattern = str_arg(&args, 1, "pattern", name)?;
                let replacement = str_arg(&args, 2, "replacement", name)?;
                check_regex(&pattern, args.get(1, "pattern").map(|(_, s)| s))?;
                let label = format!("regexp_replace({}, {pattern}, {replacement}, 1)", c.name);
                let expr = c
                    .expr
                    .str()
                    .replace_all(lit(pattern), lit(replacement), false);
                Ok(Value::Column(Column::new(expr, label)))
            }
            "split" => {
                args.check(name, 3, &["str", "pattern", "limit"])?;
                let c = col_arg(0, "str")?;
                let pattern = str_arg(&args, 1, "pattern", name)?;
                let label = format!("split({}, {pattern}, -1)", c.name);
                let literal = regex_literal(&pattern).ok_or_else(|| {
                    LangError::unsupported("split() with a regular expression is not supported yet")
                        .at(args.get(1, "pattern").map(|(_, s)| s).unwrap_or(args.span))
                        .with_hint("split on a plain separator, e.g. split(col(\"x\"), \",\")")
                })?;
                Ok(Value::Column(Column::new(
                    c.expr.str().split(lit(literal)),
                    label,
                )))
            }
            "when" => {
                args.check(name, 2, &["condition", "value"])?;
                let cond = col_arg(0, "condition")?;
                let (v, s) = args.require(1, "value", name)?;
                let value = value_column(v, s)?;
                Ok(Value::Column(when_column(
                    vec![(cond.expr, value.expr)],
                    None,
                )))
            }
            "coalesce" => {
                let cols = args
                    .flat()
                    .iter()
                    .map(|(v, s)| to_column(v, *s))
                    .collect::<Result<Vec<_>, _>>()?;
                let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
                let label = format!("coalesce({})", names.join(", "));
                let exprs: Vec<Expr> = cols.into_iter().map(|c| c.expr).collect();
                Ok(Value::Column(Column::new(coalesce(&exprs), label)))
            }
            "count" => {
                args.check(name, 1, &["col"])?;
                let (v, s) = args.require(0, "col", name)?;
                let mut out = match v {
                    Value::Str(star) if star == "*" => {
                        Column::new(len().cast(DataType::Int64), "count(1)")
                    }
                    Value::Int(1) => Column::new(len().cast(DataType::Int64), "count(1)"),
                    other => {
                        let c = to_column(other, s)?;
                        Column::new(
                            c.expr.count().cast(DataType::Int64),
                            format!("count({})", c.name),
                        )
                    }
                };
                out.aggregate = true;
                Ok(Value::Column(out))
            }
            "countDistinct" | "count_distinct" => {
                let c = col_arg(0, "col")?;
                let mut out = Column::new(
                    c.expr.drop_nulls().n_unique().cast(DataType::Int64),
                    format!("count(DISTINCT {})", c.name),
                );
                out.aggregate = true;
                Ok(Value::Column(out))
            }
            "sum" => agg(|e| e.sum(), "sum"),
            "avg" | "mean" => agg(|e| e.cast(DataType::Float64).mean(), "avg"),
            "min" => agg(|e| e.min(), "min"),
            "max" => agg(|e| e.max(), "max"),
            "round" => {
                args.check(name, 2, &["col", "scale"])?;
                let c = col_arg(0, "col")?;
                let scale = args
                    .get(1, "scale")
                    .map(|(v, s)| as_int(v, s))
                    .transpose()?
                    .unwrap_or(0);
                let label = format!("round({}, {scale})", c.name);
                Ok(Value::Column(Column::new(
                    c.expr
                        .round(scale.max(0) as u32, RoundMode::HalfAwayFromZero),
                    label,
                )))
            }
            "monotonically_increasing_id" => {
                args.check(name, 0, &[])?;
                Ok(Value::Column(Column::new(
                    int_range(lit(0i64), len().cast(DataType::Int64), 1, DataType::Int64),
                    "monotonically_increasing_id()",
                )))
            }
            "current_date" => {
                args.check(name, 0, &[])?;
                let today = chrono::Utc::now().date_naive().to_string();
                Ok(Value::Column(Column::new(
                    lit(today).cast(DataType::Date),
                    "current_date()",
                )))
            }
            "current_timestamp" => {
                args.check(name, 0, &[])?;
                let micros = chrono::Utc::now().timestamp_micros();
                Ok(Value::Column(Column::new(
                    lit(micros).cast(DataType::Datetime(TimeUnit::Microseconds, None)),
                    "current_timestamp()",
                )))
            }
            "asc" | "desc" => {
                let mut c = col_arg(0, "col")?;
                c.descending = Some(name == "desc");
                Ok(Value::Column(c))
            }
            "len" => {
                let (v, s) = args.require(0, "obj", name)?;
                match v {
                    Value::List(i) | Value::Tuple(i) => Ok(Value::Int(i.len() as i64)),
                    Value::Str(t) => Ok(Value::Int(t.chars().count() as i64)),
                    Value::Row(f) => Ok(Value::Int(f.len() as i64)),
                    Value::Pandas(df) => Ok(Value::Int(df.height() as i64)),
                    other => Err(LangError::type_error(format!(
                        "object of type '{}' has no len()",
                        other.type_name()
                    ))
                    .at(s)
                    .with_hint("for a DataFrame use df.count()")),
                }
            }
            "str" => {
                let (v, _) = args.require(0, "obj", name)?;
                Ok(Value::Str(match v {
                    Value::Str(s) => s.clone(),
                    other => other.repr(),
                }))
            }
            "int" | "float" => {
                let (v, s) = args.require(0, "x", name)?;
                let f = as_float(v, s)?;
                Ok(if name == "int" {
                    Value::Int(f.trunc() as i64)
                } else {
                    Value::Float(f)
                })
            }
            t if t.ends_with("Type") => Ok(Value::Type(t.to_string())),
            "NaiveBayes" => self.naive_bayes(args),
            "load_model" | "model_udf" => {
                args.check(name, 1, &["path"])?;
                let path = str_arg(&args, 0, "path", name)?;
                let resolved = self.session.config.resolve(&path);
                let classifier = faisca_model::Classifier::load(&resolved).map_err(|e| {
                    LangError::new("ModelLoadError", e.to_string())
                        .at(args.get(0, "path").map(|(_, s)| s).unwrap_or(args.span))
                        .with_hint("train and save one with NaiveBayes(text=..., label=...).fit(df).save(path), or run `faisca train`")
                })?;
                Ok(Value::Model(Model {
                    classifier: Arc::new(classifier),
                    path: Some(path),
                }))
            }
            "print" => {
                args.check(name, usize::MAX, &["sep", "end", "file", "flush"])?;
                let text_of = |v: &Value| match v {
                    Value::Str(s) => s.clone(),
                    other => other.repr(),
                };
                let sep = args
                    .kw
                    .iter()
                    .find(|(k, _, _)| k == "sep")
                    .map_or(" ".to_string(), |(_, v, _)| text_of(v));
                let end = args
                    .kw
                    .iter()
                    .find(|(k, _, _)| k == "end")
                    .map_or("\n".to_string(), |(_, v, _)| text_of(v));
                let parts: Vec<String> = args.pos.iter().map(|(v, _)| text_of(v)).collect();
                let text = parts.join(&sep) + &end;
                let to_stderr = match args.kw.iter().find(|(k, _, _)| k == "file") {
                    None => false,
                    Some((_, Value::Module(m), _)) if m == "sys.stderr" => true,
                    Some((_, Value::Module(m), _)) if m == "sys.stdout" => false,
                    Some((_, other, s)) => {
                        return Err(LangError::type_error(format!(
                            "print(file=...) takes sys.stdout or sys.stderr, got {}",
                            other.type_name()
                        ))
                        .at(*s));
                    }
                };
                (self.emit)(if to_stderr {
                    Emit::Stderr(text)
                } else {
                    Emit::Stdout(text)
                });
                Ok(Value::None)
            }
            "help" => {
                args.check(name, 1, &["obj"])?;
                let (v, _) = args.require(0, "obj", name)?;
                let text = match v {
                    Value::Builtin(f) => crate::complete::function_doc(f),
                    Value::Frame(f) => {
                        let schema: Vec<String> = f
                            .schema
                            .iter()
                            .map(|(n, t)| format!(" |-- {n}: {}", render::spark_type(t)))
                            .collect();
                        format!(
                            "{}\nroot\n{}\n\nmethods: {}",
                            f.repr(),
                            schema.join("\n"),
                            methods_of(v).join(", ")
                        )
                    }
                    other => {
                        let methods = methods_of(other);
                        if methods.is_empty() {
                            format!("{}: {}", other.type_name(), other.repr())
                        } else {
                            format!("{}\n\nmethods: {}", other.type_name(), methods.join(", "))
                        }
                    }
                };
                (self.emit)(Emit::Page(Display::text(text)));
                Ok(Value::None)
            }
            "sleep" => {
                // time.sleep: waits, but an interrupt ends it at once.
                let (v, s) = args.require(0, "secs", name)?;
                let secs = as_float(v, s)?.max(0.0);
                let until = std::time::Instant::now()
                    + std::time::Duration::from_secs_f64(secs.min(86_400.0));
                while std::time::Instant::now() < until {
                    if (self.cancel)() {
                        return Err(crate::session::interrupted());
                    }
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Ok(Value::None)
            }
            "clear_output" => {
                args.check(name, 0, &["wait"])?;
                let wait = args
                    .get(9, "wait")
                    .map(|(v, s)| as_bool(v, s))
                    .transpose()?
                    .unwrap_or(false);
                (self.emit)(Emit::ClearOutput(wait));
                Ok(Value::None)
            }
            "display" => {
                args.check(name, 1, &["df"])?;
                let (v, _) = args.require(0, "df", name)?;
                if let Value::Frame(f) = v {
                    let n = self.session.config.max_rows;
                    let df =
                        self.action_frame("display", f.lf.clone().limit((n + 1) as IdxSize))?;
                    (self.emit)(Emit::Display(show_display(&df, n, 0)));
                    return Ok(Value::None);
                }
                let shown = self.display_value(v)?;
                if let Some(d) = shown {
                    (self.emit)(Emit::Display(d));
                }
                Ok(Value::None)
            }
            other => Err(LangError::unsupported(format!(
                "{other}() is not supported"
            ))),
        }
    }

    fn naive_bayes(&mut self, args: Args) -> Result<Value, LangError> {
        args.check(
            "NaiveBayes",
            0,
            &[
                "text",
                "label",
                "alpha",
                "foldAccents",
                "stopWords",
                "maxFeatures",
                "smoothing",
                "featuresCol",
                "labelCol",
            ],
        )?;
        let text = match args.get(0, "text").or_else(|| args.get(0, "featuresCol")) {
            Some((Value::Str(s), _)) => vec![s.clone()],
            Some((Value::List(items), s)) => items
                .iter()
                .map(|v| match v {
                    Value::Str(x) => Ok(x.clone()),
                    _ => Err(LangError::type_error("text= takes column names").at(s)),
                })
                .collect::<Result<_, _>>()?,
            Some((_, s)) => {
                return Err(
                    LangError::type_error("text= takes a column name or a list of names").at(s),
                );
            }
            None => {
                return Err(LangError::type_error("NaiveBayes() needs text=\"column\"")
                    .with_hint("e.g. NaiveBayes(text=\"descricao\", label=\"categoria\")"));
            }
        };
        let label = match args.get(0, "label").or_else(|| args.get(0, "labelCol")) {
            Some((Value::Str(s), _)) => s.clone(),
            Some((_, s)) => return Err(LangError::type_error("label= takes a column name").at(s)),
            None => return Err(LangError::type_error("NaiveBayes() needs label=\"column\"")),
        };
        let mut options = faisca_model::TrainOptions::default();
        if let Some((v, s)) = args.get(0, "alpha").or_else(|| args.get(0, "smoothing")) {
            options.alpha = as_float(v, s)?;
            if options.alpha <= 0.0 {
                return Err(LangError::new("ValueError", "alpha must be positive").at(s));
            }
        }
        if let Some((v, s)) = args.get(0, "foldAccents") {
            options.tokenizer.fold_accents = as_bool(v, s)?;
        }
        if let Some((v, s)) = args.get(0, "stopWords") {
            options.portuguese_stop_words = match v {
                Value::None | Value::Bool(false) => false,
                Value::Str(l) if l.eq_ignore_ascii_case("portuguese") || l == "pt" => true,
                Value::Bool(true) => true,
                _ => {
                    return Err(LangError::new(
                        "ValueError",
                        "stopWords takes \"portuguese\" or None",
                    )
                    .at(s));
                }
            };
        }
        if let Some((v, s)) = args.get(0, "maxFeatures") {
            options.max_features = match v {
                Value::None => None,
                other => Some(as_int(other, s)?.max(1) as usize),
            };
        }
        Ok(Value::Estimator(Estimator {
            text,
            label,
            options,
        }))
    }

    // ----- methods ----------------------------------------------------------------------

    fn method(&mut self, recv: Value, name: &str, args: Args) -> Result<Value, LangError> {
        match recv {
            Value::Frame(f) => self.frame_method(f, name, args),
            Value::Column(c) => column_method(c, name, args),
            Value::Grouped(g) => self.grouped_method(g, name, args),
            Value::Reader(r) => self.reader_method(r, name, args),
            Value::Writer(w) => self.writer_method(w, name, args),
            Value::Spark => self.spark_method(name, args),
            Value::Catalog => self.catalog_method(name, args),
            Value::Model(m) => self.model_method(m, name, args),
            Value::Estimator(e) => self.fit(e, args),
            Value::Pandas(df) => match name {
                "head" => {
                    let n = args
                        .get(0, "n")
                        .map(|(v, s)| as_int(v, s))
                        .transpose()?
                        .unwrap_or(5);
                    Ok(Value::Pandas(Arc::new(df.head(Some(n.max(0) as usize)))))
                }
                _ => Err(LangError::unsupported(format!(
                    "pandas.DataFrame.{name} is not supported"
                ))),
            },
            Value::Row(fields) => Ok(Value::List(
                fields
                    .into_iter()
                    .map(|(k, v)| Value::Tuple(vec![Value::Str(k), v]))
                    .collect(),
            )),
            other => Err(LangError::type_error(format!(
                "'{}' has no method {name}",
                other.type_name()
            ))),
        }
    }

    fn new_frame(&self, lf: LazyFrame, span: Span) -> Result<Frame, LangError> {
        let mut lf = lf;
        let schema = lf
            .collect_schema()
            .map_err(|e| self.locate(polars_error(e), span))?;
        Ok(Frame { lf, schema })
    }

    /// Points a column error at the string literal naming the column, if it is in the call.
    fn locate(&self, mut err: LangError, span: Span) -> LangError {
        if err.span.is_none()
            && err.message.contains("UNRESOLVED_COLUMN")
            && let Some(name) = err.message.split('"').nth(1).map(str::to_string)
        {
            {
                // Restate Polars' message the Spark way, with a suggestion.
                if let Some(list) = err
                    .message
                    .split_once("valid columns: [")
                    .and_then(|(_, r)| r.split_once(']'))
                    .map(|(l, _)| l.to_string())
                {
                    let columns: Vec<String> = list
                        .split(',')
                        .map(|c| c.trim().trim_matches('"').to_string())
                        .filter(|c| !c.is_empty())
                        .collect();
                    err.message = format!(
                        "[UNRESOLVED_COLUMN] A column with name `{name}` cannot be resolved. Available columns: [{}].",
                        columns
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    if let Some(c) = closest(&name, columns.iter().map(String::as_str)) {
                        err = err.with_hint(format!("did you mean `{c}`?"));
                    }
                }
                let text = self
                    .src
                    .get(span.start..span.end.min(self.src.len()))
                    .unwrap_or("");
                for q in ['"', '\''] {
                    if let Some(at) = text.find(&format!("{q}{name}{q}")) {
                        err.span =
                            Some(Span::new(span.start + at, span.start + at + name.len() + 2));
                        return err;
                    }
                }
            }
        }
        err.at(span)
    }

    fn columns_arg(&self, f: &Frame, items: &[(Value, Span)]) -> Result<Vec<Column>, LangError> {
        let mut out = Vec::new();
        for (v, s) in items {
            if let Value::Str(name) = v {
                if name == "*" {
                    out.extend(f.columns().iter().map(|c| plain_col(c)));
                    continue;
                }
                check_columns(f, &[(name.as_str(), *s)])?;
            }
            out.push(to_column(v, *s)?);
        }
        Ok(out)
    }

    fn action_frame(&self, action: &str, lf: LazyFrame) -> Result<DataFrame, LangError> {
        self.session.run_job(self.cell, action, lf, self.cancel)
    }

    fn frame_method(&mut self, f: Frame, name: &str, args: Args) -> Result<Value, LangError> {
        let span = args.span;
        let lf = f.lf.clone();
        let frame = |ev: &Self, lf: LazyFrame| ev.new_frame(lf, span).map(Value::Frame);
        match name {
            "select" => {
                args.check(name, usize::MAX, &[])?;
                let cols = self.columns_arg(&f, &args.flat())?;
                frame(
                    self,
                    lf.select(cols.iter().map(Column::named).collect::<Vec<_>>()),
                )
            }
            "selectExpr" => {
                let mut exprs = Vec::new();
                for (v, s) in args.flat() {
                    let Value::Str(sql) = v else {
                        return Err(LangError::type_error(
                            "selectExpr() takes SQL expression strings",
                        )
                        .at(s));
                    };
                    exprs.push(polars::sql::sql_expr(&sql).map_err(|e| polars_error(e).at(s))?);
                }
                frame(self, lf.select(exprs))
            }
            "withColumn" => {
                args.check(name, 2, &["colName", "col"])?;
                let (n, ns) = args.require(0, "colName", name)?;
                let Value::Str(col_name) = n else {
                    return Err(LangError::type_error(
                        "withColumn() takes the new column's name first",
                    )
                    .at(ns));
                };
                let (v, s) = args.require(1, "col", name)?;
                let c = match v {
                    Value::Column(c) => c.clone(),
                    other => {
                        return Err(LangError::type_error(format!(
                            "withColumn() needs a Column as its second argument, got {}",
                            other.type_name()
                        ))
                        .at(s)
                        .with_hint(match other {
                            Value::Str(t) => format!(
                                "use col(\"{t}\") for a column or lit(\"{t}\") for a constant"
                            ),
                            _ => "wrap constants in lit(...)".to_string(),
                        }));
                    }
                };
                frame(self, lf.with_column(c.expr.alias(col_name.as_str())))
            }
            "withColumns" => Err(LangError::unsupported(
                "withColumns({...}) takes a dict, which is not supported",
            )
            .with_hint("chain withColumn(name, col) calls")),
            "withColumnRenamed" => {
                args.check(name, 2, &["existing", "new"])?;
                let old = str_arg(&args, 0, "existing", name)?;
                let new = str_arg(&args, 1, "new", name)?;
                if !f.schema.contains(&old) {
                    return Ok(Value::Frame(f)); // Spark ignores unknown names here.
                }
                frame(self, lf.rename([old.as_str()], [new.as_str()], true))
            }
            "drop" => {
                let mut names = Vec::new();
                for (v, s) in args.flat() {
                    match v {
                        Value::Str(n) => names.push(n),
                        Value::Column(c) if c.plain => names.push(c.name.clone()),
                        other => {
                            return Err(LangError::type_error(format!(
                                "drop() takes column names, got {}",
                                other.type_name()
                            ))
                            .at(s));
                        }
                    }
                }
                // Spark silently ignores names that are not there.
                names.retain(|n| f.schema.contains(n));
                frame(self, lf.drop(by_name(names, true, false)))
            }
            "filter" | "where" => {
                args.check(name, 1, &["condition"])?;
                let (v, s) = args.require(0, "condition", name)?;
                let cond = match v {
                    Value::Column(c) => c.expr.clone(),
                    Value::Str(sql) => {
                        polars::sql::sql_expr(sql).map_err(|e| polars_error(e).at(s))?
                    }
                    other => {
                        return Err(LangError::type_error(format!(
                            "{name}() takes a Column or a SQL string, got {}",
                            other.type_name()
                        ))
                        .at(s));
                    }
                };
                frame(self, lf.filter(cond))
            }
            "groupBy" | "groupby" => {
                let cols = self.columns_arg(&f, &args.flat())?;
                Ok(Value::Grouped(Grouped {
                    frame: f,
                    keys: cols.iter().map(Column::named).collect(),
                }))
            }
            "agg" => self.grouped_method(
                Grouped {
                    frame: f,
                    keys: vec![],
                },
                "agg",
                args,
            ),
            "orderBy" | "sort" => {
                args.check(name, usize::MAX, &["ascending"])?;
                let cols = self.columns_arg(&f, &args.flat())?;
                let ascending: Vec<bool> = match args.kw.iter().find(|(n, _, _)| n == "ascending") {
                    None => vec![true; cols.len()],
                    Some((_, Value::Bool(b), _)) => vec![*b; cols.len()],
                    Some((_, Value::List(items), s)) => items
                        .iter()
                        .map(|v| as_bool(v, *s))
                        .collect::<Result<_, _>>()?,
                    Some((_, v, s)) => vec![as_bool(v, *s)?; cols.len()],
                };
                let descending: Vec<bool> = cols
                    .iter()
                    .zip(ascending.iter().chain(std::iter::repeat(&true)))
                    .map(|(c, asc)| c.descending.unwrap_or(!asc))
                    .collect();
                // Spark puts nulls first when ascending and last when descending.
                let nulls_last = descending.clone();
                let exprs: Vec<Expr> = cols.iter().map(|c| c.expr.clone()).collect();
                let options = SortMultipleOptions::default()
                    .with_order_descending_multi(descending)
                    .with_nulls_last_multi(nulls_last)
                    .with_maintain_order(true);
                frame(self, lf.sort_by_exprs(exprs, options))
            }
            "limit" => {
                args.check(name, 1, &["num"])?;
                let n = int_arg(&args, 0, "num", name)?;
                frame(self, lf.limit(n.max(0) as IdxSize))
            }
            "distinct" => {
                args.check(name, 0, &[])?;
                frame(self, lf.unique_stable(None, UniqueKeepStrategy::First))
            }
            "dropDuplicates" | "drop_duplicates" => {
                args.check(name, 1, &["subset"])?;
                let subset = match args.get(0, "subset") {
                    None | Some((Value::None, _)) => None,
                    Some((Value::List(items), s)) => {
                        let names: Vec<String> = items
                            .iter()
                            .map(|v| as_str(v, s))
                            .collect::<Result<_, _>>()?;
                        let pairs: Vec<(&str, Span)> =
                            names.iter().map(|n| (n.as_str(), s)).collect();
                        check_columns(&f, &pairs)?;
                        Some(by_name(names, true, false))
                    }
                    Some((v, s)) => {
                        return Err(LangError::type_error(format!(
                            "subset must be a list of names, got {}",
                            v.type_name()
                        ))
                        .at(s));
                    }
                };
                frame(self, lf.unique_stable(subset, UniqueKeepStrategy::First))
            }
            "join" => self.join(f, args),
            "union" | "unionAll" => {
                args.check(name, 1, &["other"])?;
                let other = frame_arg(&args, 0, "other", name)?;
                if other.schema.len() != f.schema.len() {
                    return Err(LangError::analysis(format!(
                        "[NUM_COLUMNS_MISMATCH] union can only be performed on inputs with the same number of columns, but the first has {} and the second has {}",
                        f.schema.len(),
                        other.schema.len()
                    )));
                }
                let renamed = other.lf.clone().rename(other.columns(), f.columns(), true);
                let union = concat(
                    [lf, renamed],
                    UnionArgs {
                        to_supertypes: true,
                        ..Default::default()
                    },
                )
                .map_err(polars_error)?;
                frame(self, union)
            }
            "unionByName" => {
                args.check(name, 1, &["other", "allowMissingColumns"])?;
                let other = frame_arg(&args, 0, "other", name)?;
                let allow_missing = args
                    .get(9, "allowMissingColumns")
                    .map(|(v, s)| as_bool(v, s))
                    .transpose()?
                    .unwrap_or(false);
                let union = if allow_missing {
                    concat_lf_diagonal([lf, other.lf.clone()], UnionArgs { to_supertypes: true, ..Default::default() })
                } else {
                    let missing: Vec<String> = f.columns().into_iter().filter(|c| !other.schema.contains(c)).collect();
                    if !missing.is_empty() {
                        return Err(LangError::analysis(format!("[UNRESOLVED_COLUMN] columns {missing:?} are missing from the other DataFrame"))
                            .with_hint("pass allowMissingColumns=True to fill them with nulls"));
                    }
                    let ordered = other.lf.clone().select(f.columns().iter().map(|c| col(c.as_str())).collect::<Vec<_>>());
                    concat([lf, ordered], UnionArgs { to_supertypes: true, ..Default::default() })
                }
                .map_err(polars_error)?;
                frame(self, union)
            }
            "show" => {
                args.check(name, 3, &["n", "truncate", "vertical"])?;
                let n = args
                    .get(0, "n")
                    .map(|(v, s)| as_int(v, s))
                    .transpose()?
                    .unwrap_or(20)
                    .max(0) as usize;
                let truncate = match args.get(1, "truncate") {
                    None => 20,
                    Some((Value::Bool(true), _)) => 20,
                    Some((Value::Bool(false), _)) => 0,
                    Some((v, s)) => as_int(v, s)?.max(0) as usize,
                };
                let df = self.action_frame("show", lf.limit((n + 1) as IdxSize))?;
                self.session.jobs.set_last_rows(df.height().min(n));
                let vertical = match args.get(2, "vertical") {
                    Some((v, s)) => as_bool(v, s)?,
                    None => false,
                };
                if vertical {
                    let text = render::show_vertical(&df, n, truncate);
                    let html = format!("<pre>{}</pre>", render::escape(&text));
                    (self.emit)(Emit::Display(Display::rich(text, html)));
                } else {
                    (self.emit)(Emit::Display(show_display(&df, n, truncate)));
                }
                Ok(Value::None)
            }
            "count" => {
                args.check(name, 0, &[])?;
                let df = self.action_frame(
                    "count",
                    lf.select([len().cast(DataType::Int64).alias("count")]),
                )?;
                let n = df
                    .column("count")
                    .ok()
                    .and_then(|c| c.get(0).ok())
                    .and_then(|v| v.extract::<i64>())
                    .unwrap_or(0);
                Ok(Value::Int(n))
            }
            "collect" => {
                args.check(name, 0, &[])?;
                let df = self.action_frame("collect", lf)?;
                Ok(Value::List(rows(&df, usize::MAX)))
            }
            "head" | "take" | "first" => {
                args.check(name, 1, &["n", "num"])?;
                let n = args
                    .get(0, "n")
                    .or_else(|| args.get(0, "num"))
                    .map(|(v, s)| as_int(v, s))
                    .transpose()?;
                let take = n.unwrap_or(1).max(0) as usize;
                let df = self.action_frame(name, lf.limit(take as IdxSize))?;
                let mut rows = rows(&df, take);
                if name == "first" || (name == "head" && n.is_none()) {
                    return Ok(rows.pop().map(|_| rows_first(&df)).unwrap_or(Value::None));
                }
                rows.truncate(take);
                Ok(Value::List(rows))
            }
            "toPandas" => {
                args.check(name, 0, &[])?;
                let df = self.action_frame("toPandas", lf)?;
                Ok(Value::Pandas(Arc::new(df)))
            }
            "display" => {
                let shown = self.display_value(&Value::Frame(f))?;
                if let Some(d) = shown {
                    (self.emit)(Emit::Display(d));
                }
                Ok(Value::None)
            }
            "printSchema" => {
                let mut text = String::from("root\n");
                for (n, t) in f.schema.iter() {
                    text.push_str(&format!(
                        " |-- {n}: {} (nullable = true)\n",
                        render::spark_type(t)
                    ));
                }
                (self.emit)(Emit::Stdout(text));
                Ok(Value::None)
            }
            "explain" => {
                let plan = lf.describe_optimized_plan().map_err(polars_error)?;
                (self.emit)(Emit::Stdout(format!(
                    "== Optimized Plan (Polars) ==\n{plan}\n"
                )));
                Ok(Value::None)
            }
            "describe" => {
                let cols: Vec<String> = if args.flat().is_empty() {
                    f.columns()
                } else {
                    args.flat()
                        .iter()
                        .map(|(v, s)| as_str(v, *s))
                        .collect::<Result<_, _>>()?
                };
                let stat = |label: &str, g: &dyn Fn(Expr) -> Expr| {
                    let mut exprs = vec![lit(label).alias("summary")];
                    for c in &cols {
                        let numeric = f.schema.get(c).is_some_and(|t| t.is_primitive_numeric());
                        let e = if numeric || label == "count" || label == "min" || label == "max" {
                            g(col(c.as_str()))
                        } else {
                            lit(NULL)
                        };
                        exprs.push(e.cast(DataType::String).alias(c.as_str()));
                    }
                    lf.clone().select(exprs)
                };
                let parts = vec![
                    stat("count", &|e| e.count()),
                    stat("mean", &|e| e.cast(DataType::Float64).mean()),
                    stat("stddev", &|e| e.cast(DataType::Float64).std(1)),
                    stat("min", &|e| e.min()),
                    stat("max", &|e| e.max()),
                ];
                let all = concat(parts, UnionArgs::default()).map_err(polars_error)?;
                frame(self, all)
            }
            "cache" | "persist" => frame(self, lf.cache()),
            "unpersist" | "alias" => Ok(Value::Frame(f)),
            "createTempView" | "createOrReplaceTempView" => {
                args.check(name, 1, &["name"])?;
                let view = str_arg(&args, 0, "name", name)?;
                let key = view.to_lowercase();
                if name == "createTempView" && self.session.views.contains_key(&key) {
                    return Err(LangError::new(
                        "TempTableAlreadyExistsException",
                        format!("[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `{view}` because it already exists."),
                    )
                    .at(args.get(0, "name").map(|(_, s)| s).unwrap_or(span))
                    .with_hint("use createOrReplaceTempView to replace it"));
                }
                self.session.views.insert(key, f);
                Ok(Value::None)
            }
            "randomSplit" => {
                args.check(name, 2, &["weights", "seed"])?;
                let (w, ws) = args.require(0, "weights", name)?;
                let Value::List(weights) = w else {
                    return Err(
                        LangError::type_error("randomSplit() takes a list of weights").at(ws),
                    );
                };
                let weights: Vec<f64> = weights
                    .iter()
                    .map(|v| as_float(v, ws))
                    .collect::<Result<_, _>>()?;
                let total: f64 = weights.iter().sum();
                if weights.iter().any(|w| *w < 0.0) || total <= 0.0 {
                    return Err(LangError::new(
                        "ValueError",
                        "weights must be non-negative and sum to more than 0",
                    )
                    .at(ws));
                }
                let seed = args
                    .get(1, "seed")
                    .map(|(v, s)| as_int(v, s))
                    .transpose()?
                    .unwrap_or(0) as u64;
                let u = random_uniform(seed);
                let mut parts = Vec::new();
                let mut acc = 0.0;
                for w in &weights {
                    let lo = acc / total;
                    acc += w;
                    let hi = acc / total;
                    let cond = u.clone().gt_eq(lit(lo)).and(u.clone().lt(lit(hi)));
                    let part = lf
                        .clone()
                        .with_row_index("__faisca_row", None)
                        .filter(cond)
                        .drop(by_name(["__faisca_row"], true, false));
                    parts.push(frame(self, part)?);
                }
                Ok(Value::List(parts))
            }
            "fillna" => {
                let (v, s) = args.require(0, "value", name)?;
                let value = literal(v, s)?;
                let exprs: Vec<Expr> = f
                    .schema
                    .iter()
                    .filter(|(_, t)| match v {
                        Value::Str(_) => t.is_string(),
                        _ => t.is_primitive_numeric(),
                    })
                    .map(|(n, _)| col(n.as_str()).fill_null(value.expr.clone()))
                    .collect();
                frame(self, lf.with_columns(exprs))
            }
            "dropna" => frame(self, lf.drop_nulls(None)),
            "sample" => Err(LangError::unsupported("sample() is not supported")
                .with_hint("use randomSplit([f, 1 - f], seed=...)[0]")),
            _ => Err(LangError::unsupported(format!(
                "DataFrame.{name}() is not supported"
            ))),
        }
    }

    fn join(&mut self, f: Frame, args: Args) -> Result<Value, LangError> {
        args.check("join", 3, &["other", "on", "how"])?;
        let other = frame_arg(&args, 0, "other", "join")?;
        let how = match args.get(2, "how") {
            None => "inner".to_string(),
            Some((v, s)) => as_str(v, s)?.to_lowercase(),
        };
        let how_span = args.get(2, "how").map(|(_, s)| s).unwrap_or(args.span);
        let join_type = match how.as_str() {
            "inner" => JoinType::Inner,
            "left" | "leftouter" | "left_outer" => JoinType::Left,
            "right" | "rightouter" | "right_outer" => JoinType::Right,
            "outer" | "full" | "fullouter" | "full_outer" => JoinType::Full,
            "semi" | "leftsemi" | "left_semi" => JoinType::Semi,
            "anti" | "leftanti" | "left_anti" => JoinType::Anti,
            "cross" => JoinType::Cross,
            other => {
                return Err(LangError::new(
                    "IllegalArgumentException",
                    format!("unsupported join type '{other}'"),
                )
                .at(how_span)
                .with_hint("use inner, left, right, outer, semi, anti or cross"));
            }
        };
        let on: Vec<String> = match args.get(1, "on") {
            None | Some((Value::None, _)) => {
                if join_type != JoinType::Cross {
                    return Err(LangError::type_error(
                        "join() needs on=\"column\" (or how=\"cross\")",
                    ));
                }
                vec![]
            }
            Some((Value::Str(s), sp)) => {
                check_columns(&f, &[(s.as_str(), sp)])?;
                check_columns(&other, &[(s.as_str(), sp)])?;
                vec![s.clone()]
            }
            Some((Value::List(items), sp)) => {
                let names: Vec<String> = items
                    .iter()
                    .map(|v| as_str(v, sp))
                    .collect::<Result<_, _>>()?;
                let pairs: Vec<(&str, Span)> = names.iter().map(|n| (n.as_str(), sp)).collect();
                check_columns(&f, &pairs)?;
                check_columns(&other, &pairs)?;
                names
            }
            Some((_, sp)) => {
                return Err(LangError::unsupported(
                    "joining on a column expression is not supported",
                )
                .at(sp)
                .with_hint("rename the key so both sides share it, then join(other, on=\"key\")"));
            }
        };
        let keys: Vec<Expr> = on.iter().map(|c| col(c.as_str())).collect();
        let mut join_args = JoinArgs::new(join_type.clone());
        if join_type == JoinType::Full {
            join_args = join_args.with_coalesce(JoinCoalesce::CoalesceColumns);
        }
        let lf = if join_type == JoinType::Cross {
            f.lf.clone().cross_join(other.lf.clone(), None)
        } else {
            f.lf.clone()
                .join(other.lf.clone(), keys.clone(), keys, join_args)
        };
        self.new_frame(lf, args.span).map(Value::Frame)
    }

    fn grouped_method(&mut self, g: Grouped, name: &str, args: Args) -> Result<Value, LangError> {
        let span = args.span;
        let group = |aggs: Vec<Expr>| {
            if g.keys.is_empty() {
                g.frame.lf.clone().select(aggs)
            } else {
                g.frame.lf.clone().group_by(g.keys.clone()).agg(aggs)
            }
        };
        let out = match name {
            "count" => {
                args.check(name, 0, &[])?;
                group(vec![len().cast(DataType::Int64).alias("count")])
            }
            "agg" => {
                let mut aggs = Vec::new();
                for (v, s) in args.flat() {
                    match v {
                        Value::Column(c) => aggs.push(c.named()),
                        other => {
                            return Err(LangError::type_error(format!(
                                "agg() takes aggregate columns such as count(\"x\"), got {}",
                                other.type_name()
                            ))
                            .at(s)
                            .with_hint(
                                "dicts are not supported: write agg(max(\"preco\"), count(\"*\"))",
                            ));
                        }
                    }
                }
                if aggs.is_empty() {
                    return Err(LangError::type_error(
                        "agg() needs at least one aggregate column",
                    ));
                }
                group(aggs)
            }
            "sum" | "avg" | "mean" | "min" | "max" => {
                let names: Vec<String> = if args.pos.is_empty() {
                    g.frame
                        .schema
                        .iter()
                        .filter(|(_, t)| t.is_primitive_numeric())
                        .map(|(n, _)| n.to_string())
                        .collect()
                } else {
                    args.flat()
                        .iter()
                        .map(|(v, s)| as_str(v, *s))
                        .collect::<Result<_, _>>()?
                };
                let pairs: Vec<(&str, Span)> = names.iter().map(|n| (n.as_str(), span)).collect();
                check_columns(&g.frame, &pairs)?;
                let label = if name == "mean" { "avg" } else { name };
                let aggs = names
                    .iter()
                    .map(|n| {
                        let c = col(n.as_str());
                        let e = match name {
                            "sum" => c.sum(),
                            "min" => c.min(),
                            "max" => c.max(),
                            _ => c.cast(DataType::Float64).mean(),
                        };
                        e.alias(format!("{label}({n})"))
                    })
                    .collect();
                group(aggs)
            }
            _ => {
                return Err(LangError::unsupported(format!(
                    "GroupedData.{name}() is not supported"
                )));
            }
        };
        self.new_frame(out, span).map(Value::Frame)
    }

    fn spark_method(&mut self, name: &str, args: Args) -> Result<Value, LangError> {
        match name {
            "sql" => {
                args.check(name, 1, &["sqlQuery"])?;
                let (v, s) = args.require(0, "sqlQuery", name)?;
                let query = as_str(v, s)?;
                let lf = crate::magics::run_sql(self.session, &query).map_err(|e| e.at(s))?;
                self.new_frame(lf, s).map(Value::Frame)
            }
            "table" => {
                let t = str_arg(&args, 0, "tableName", name)?;
                self.session
                    .views
                    .get(&t.to_lowercase())
                    .cloned()
                    .map(Value::Frame)
                    .ok_or_else(|| {
                        crate::magics::table_not_found(self.session, &t).at(args
                            .get(0, "tableName")
                            .map(|(_, s)| s)
                            .unwrap_or(args.span))
                    })
            }
            "createDataFrame" => {
                args.check(name, 2, &["data", "schema"])?;
                let (data, ds) = args.require(0, "data", name)?;
                let schema = args.get(1, "schema");
                let lf = create_dataframe(data, ds, schema)?;
                self.new_frame(lf, args.span).map(Value::Frame)
            }
            "range" => {
                let (a, b) = match (args.get(0, "start"), args.get(1, "end")) {
                    (Some((e, s)), None) => (0, as_int(e, s)?),
                    (Some((a, s)), Some((b, t))) => (as_int(a, s)?, as_int(b, t)?),
                    _ => return Err(LangError::type_error("range() needs an end")),
                };
                let lf = DataFrame::empty().lazy().select([int_range(
                    lit(a),
                    lit(b),
                    1,
                    DataType::Int64,
                )
                .alias("id")]);
                self.new_frame(lf, args.span).map(Value::Frame)
            }
            "stop" => Ok(Value::None),
            _ => Err(LangError::unsupported(format!(
                "spark.{name}() is not supported"
            ))),
        }
    }

    fn catalog_method(&mut self, name: &str, args: Args) -> Result<Value, LangError> {
        match name {
            "listTables" => Ok(Value::List(
                self.session
                    .views
                    .keys()
                    .map(|n| {
                        Value::Row(vec![
                            ("name".into(), Value::Str(n.clone())),
                            ("catalog".into(), Value::None),
                            ("namespace".into(), Value::List(vec![])),
                            ("description".into(), Value::None),
                            ("tableType".into(), Value::Str("TEMPORARY".into())),
                            ("isTemporary".into(), Value::Bool(true)),
                        ])
                    })
                    .collect(),
            )),
            "dropTempView" => {
                let t = str_arg(&args, 0, "viewName", name)?;
                Ok(Value::Bool(
                    self.session.views.remove(&t.to_lowercase()).is_some(),
                ))
            }
            "tableExists" => {
                let t = str_arg(&args, 0, "tableName", name)?;
                Ok(Value::Bool(
                    self.session.views.contains_key(&t.to_lowercase()),
                ))
            }
            _ => Err(LangError::unsupported(format!(
                "catalog.{name}() is not supported"
            ))),
        }
    }

    // ----- reading and writing ----------------------------------------------------------

    fn reader_method(&mut self, mut r: Reader, name: &str, args: Args) -> Result<Value, LangError> {
        match name {
            "option" | "options" | "format" => {
                set_option(&mut r.options, &mut r.format, name, &args)?;
                Ok(Value::Reader(r))
            }
            "schema" => Err(
                LangError::unsupported("reader.schema(...) is not supported yet").with_hint(
                    "use .option(\"inferSchema\", \"true\") or cast columns after reading",
                ),
            ),
            "csv" | "parquet" | "json" | "load" => {
                let format = if name == "load" {
                    r.format.clone().unwrap_or_else(|| "parquet".into())
                } else {
                    name.to_string()
                };
                let (p, ps) = args.require(0, "path", name)?;
                let path = as_str(p, ps)?;
                for (k, v, s) in &args.kw {
                    if k != "path" {
                        r.options.push((k.to_lowercase(), option_text(v, *s)?));
                    }
                }
                let lf = self.read(&format, &path, &r.options, ps)?;
                self.new_frame(lf, ps).map(Value::Frame)
            }
            _ => Err(LangError::unsupported(format!(
                "DataFrameReader.{name}() is not supported"
            ))),
        }
    }

    fn read(
        &self,
        format: &str,
        path: &str,
        options: &[(String, String)],
        span: Span,
    ) -> Result<LazyFrame, LangError> {
        let resolved = self.session.config.resolve(path);
        if !resolved.exists() {
            let mut err =
                LangError::analysis(format!("[PATH_NOT_FOUND] Path does not exist: {path}"))
                    .at(span);
            if path.starts_with("/data") && self.session.config.data_dir.is_none() {
                err = err.with_hint("set FAISCA_DATA_DIR to the folder that holds the data, or run in the container where /data is mounted");
            } else if let Some(dir) = resolved.parent().filter(|d| d.is_dir())
                && let Ok(entries) = std::fs::read_dir(dir)
            {
                let names: Vec<String> = entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect();
                let file = resolved
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if let Some(c) = closest(&file, names.iter().map(String::as_str)) {
                    err = err.with_hint(format!("did you mean `{c}`?"));
                }
            }
            return Err(err);
        }
        let opt = |key: &str| {
            options
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let flag = |key: &str| opt(key).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let target = if resolved.is_dir() {
            // Spark output directories: read every part file.
            let ext = match format {
                "json" => "json",
                "parquet" => "parquet",
                _ => "csv",
            };
            resolved.join(format!("*.{ext}"))
        } else {
            resolved.clone()
        };
        let target_str = target.to_string_lossy().to_string();
        let lf = match format {
            "csv" => {
                let sep = opt("sep").or(opt("delimiter")).unwrap_or(",");
                let sep = unescape_sep(sep).ok_or_else(|| {
                    LangError::new(
                        "IllegalArgumentException",
                        format!("the delimiter must be one character, got {sep:?}"),
                    )
                    .at(span)
                })?;
                let header = flag("header");
                let infer = flag("inferschema");
                let mut reader = LazyCsvReader::new(PlRefPath::new(target_str.as_str()))
                    .with_separator(sep)
                    .with_has_header(header)
                    .with_infer_schema_length(if infer { Some(10_000) } else { Some(0) })
                    .with_missing_is_null(true)
                    .with_truncate_ragged_lines(true);
                if let Some(q) = opt("quote") {
                    reader = reader.with_quote_char(q.bytes().next());
                }
                if let Some(nv) = opt("nullvalue") {
                    reader = reader.with_null_values(Some(NullValues::AllColumnsSingle(nv.into())));
                }
                let lf = reader.finish().map_err(|e| polars_error(e).at(span))?;
                if header {
                    lf
                } else {
                    // Spark names header-less columns _c0, _c1, …
                    let mut lf = lf;
                    let names: Vec<String> = lf
                        .collect_schema()
                        .map_err(|e| polars_error(e).at(span))?
                        .iter_names()
                        .map(|n| n.to_string())
                        .collect();
                    let new: Vec<String> = (0..names.len()).map(|i| format!("_c{i}")).collect();
                    lf.rename(names, new, true)
                }
            }
            "parquet" => LazyFrame::scan_parquet(
                PlRefPath::new(target_str.as_str()),
                ScanArgsParquet::default(),
            )
            .map_err(|e| polars_error(e).at(span))?,
            "json" => LazyJsonLineReader::new(PlRefPath::new(target_str.as_str()))
                .finish()
                .map_err(|e| polars_error(e).at(span))?,
            other => {
                return Err(
                    LangError::unsupported(format!("format '{other}' is not supported"))
                        .at(span)
                        .with_hint("use csv, parquet or json"),
                );
            }
        };
        Ok(lf)
    }

    fn writer_method(&mut self, mut w: Writer, name: &str, args: Args) -> Result<Value, LangError> {
        match name {
            "mode" => {
                let (v, s) = args.require(0, "saveMode", name)?;
                let mode = as_str(v, s)?.to_lowercase();
                if !matches!(
                    mode.as_str(),
                    "overwrite" | "append" | "error" | "errorifexists" | "ignore"
                ) {
                    return Err(LangError::new(
                        "IllegalArgumentException",
                        format!("unknown save mode: {mode}"),
                    )
                    .at(s)
                    .with_hint("accepted: overwrite, append, error, errorifexists, ignore"));
                }
                w.mode = mode;
                Ok(Value::Writer(w))
            }
            "option" | "options" | "format" => {
                set_option(&mut w.options, &mut w.format, name, &args)?;
                Ok(Value::Writer(w))
            }
            "csv" | "parquet" | "json" | "save" => {
                let format = if name == "save" {
                    w.format.clone().unwrap_or_else(|| "parquet".into())
                } else {
                    name.to_string()
                };
                let (p, ps) = args.require(0, "path", name)?;
                let path = as_str(p, ps)?;
                for (k, v, s) in &args.kw {
                    match k.as_str() {
                        "path" => {}
                        "mode" => w.mode = as_str(v, *s)?.to_lowercase(),
                        _ => w.options.push((k.to_lowercase(), option_text(v, *s)?)),
                    }
                }
                let target = self.session.config.resolve(&path);
                if crate::write::write(self, &w, &format, &target, ps)?.is_none() {
                    (self.emit)(Emit::Stdout(format!(
                        "{path} exists; mode 'ignore' left it as is\n"
                    )));
                }
                Ok(Value::None)
            }
            _ => Err(LangError::unsupported(format!(
                "DataFrameWriter.{name}() is not supported"
            ))),
        }
    }

    /// Runs a sink plan (a write) as a job; its result has no rows to count.
    pub(crate) fn run_sink(&self, action: &str, lf: LazyFrame) -> Result<(), LangError> {
        self.session
            .run_job_counting(self.cell, action, lf, self.cancel, false)
            .map(|_| ())
    }

    // ----- the classifier ---------------------------------------------------------------

    fn text_expr(&self, f: &Frame, cols: &[String], span: Span) -> Result<Expr, LangError> {
        let pairs: Vec<(&str, Span)> = cols.iter().map(|c| (c.as_str(), span)).collect();
        check_columns(f, &pairs)?;
        let exprs: Vec<Expr> = cols
            .iter()
            .map(|c| col(c.as_str()).cast(DataType::String))
            .collect();
        Ok(concat_str(exprs, " ", true))
    }

    fn labelled_texts(
        &self,
        action: &str,
        f: &Frame,
        e_text: &[String],
        label: &str,
        span: Span,
    ) -> Result<(Vec<String>, Vec<String>), LangError> {
        let text = self.text_expr(f, e_text, span)?;
        check_columns(f, &[(label, span)])?;
        let lf =
            f.lf.clone()
                .select([
                    text.fill_null(lit("")).alias("text"),
                    col(label).cast(DataType::String).alias("label"),
                ])
                .filter(col("label").is_not_null());
        let df = self.action_frame(action, lf)?;
        let column = |n: &str| -> Vec<String> {
            df.column(n)
                .ok()
                .and_then(|c| {
                    c.str()
                        .ok()
                        .map(|ca| ca.iter().map(|v| v.unwrap_or("").to_string()).collect())
                })
                .unwrap_or_default()
        };
        Ok((column("text"), column("label")))
    }

    fn fit(&mut self, e: crate::value::Estimator, args: Args) -> Result<Value, LangError> {
        args.check("fit", 1, &["dataset"])?;
        let f = frame_arg(&args, 0, "dataset", "fit")?;
        let span = args.get(0, "dataset").map(|(_, s)| s).unwrap_or(args.span);
        let (texts, labels) = self.labelled_texts("fit", &f, &e.text, &e.label, span)?;
        let t: Vec<&str> = texts.iter().map(String::as_str).collect();
        let l: Vec<&str> = labels.iter().map(String::as_str).collect();
        let description = format!("text={} label={}", e.text.join("+"), e.label);
        let classifier =
            faisca_model::Classifier::train(&t, &l, e.options.clone(), &description)
                .map_err(|err| LangError::new("ModelTrainingError", err.to_string()).at(span))?;
        Ok(Value::Model(Model {
            classifier: Arc::new(classifier),
            path: None,
        }))
    }

    fn model_method(&mut self, m: Model, name: &str, args: Args) -> Result<Value, LangError> {
        match name {
            "predict" | "predict_proba" | "proba" => {
                args.check(name, 1, &["col"])?;
                let (v, s) = args.require(0, "col", name)?;
                let kind = if name == "predict" {
                    PredictKind::Label
                } else {
                    PredictKind::Probability
                };
                Ok(Value::Column(predict_column(&m, to_column(v, s)?, kind)))
            }
            "explain" => {
                args.check(name, 2, &["text", "top"])?;
                let text = str_arg(&args, 0, "text", name)?;
                let top = args
                    .get(1, "top")
                    .map(|(v, s)| as_int(v, s))
                    .transpose()?
                    .unwrap_or(8)
                    .max(1) as usize;
                let e = m.classifier.explain(&text, top);
                let proba = m.classifier.predict_proba(&text);
                let p = m
                    .classifier
                    .labels()
                    .iter()
                    .position(|l| *l == e.label)
                    .map(|i| proba[i])
                    .unwrap_or(0.0);
                let mut plain = format!("{:?} → {} (p = {p:.3})", text, e.label);
                let mut html = format!(
                    "<div class=\"faisca-explain\"><p><b>{}</b> → <b>{}</b> (p = {p:.3}){}</p><table><tr><th>word</th><th>log-odds for {} over {}</th></tr>",
                    render::escape(&text),
                    render::escape(&e.label),
                    e.runner_up
                        .as_ref()
                        .map(|r| format!(", runner-up {}", render::escape(r)))
                        .unwrap_or_default(),
                    render::escape(&e.label),
                    render::escape(e.runner_up.as_deref().unwrap_or("-")),
                );
                for (w, weight) in &e.words {
                    plain.push_str(&format!("\n  {w}: +{weight:.3}"));
                    html.push_str(&format!(
                        "<tr><td>{}</td><td>+{weight:.3}</td></tr>",
                        render::escape(w)
                    ));
                }
                if e.words.is_empty() {
                    plain.push_str("\n  (no known words: the prior decided)");
                    html.push_str(
                        "<tr><td colspan=\"2\">no known words: the class prior decided</td></tr>",
                    );
                }
                html.push_str("</table></div>");
                (self.emit)(Emit::Display(Display::rich(plain, html)));
                Ok(Value::None)
            }
            "evaluate" => {
                args.check(name, 1, &["dataset"])?;
                let f = frame_arg(&args, 0, "dataset", name)?;
                let span = args.get(0, "dataset").map(|(_, s)| s).unwrap_or(args.span);
                let (text_cols, label) = parse_description(&m.classifier.metadata.description);
                let (texts, labels) =
                    self.labelled_texts("evaluate", &f, &text_cols, &label, span)?;
                let t: Vec<&str> = texts.iter().map(String::as_str).collect();
                let l: Vec<&str> = labels.iter().map(String::as_str).collect();
                let evaluation = m.classifier.evaluate(&t, &l);
                Ok(Value::Evaluation(Arc::new(evaluation)))
            }
            "save" => {
                args.check(name, 1, &["path"])?;
                let path = str_arg(&args, 0, "path", name)?;
                let resolved = self.session.config.resolve(&path);
                m.classifier.save(&resolved).map_err(|e| {
                    LangError::new("IOException", e.to_string())
                        .at(args.get(0, "path").map(|(_, s)| s).unwrap_or(args.span))
                })?;
                (self.emit)(Emit::Stdout(format!("saved model to {path}\n")));
                Ok(Value::Model(Model {
                    classifier: m.classifier.clone(),
                    path: Some(path),
                }))
            }
            "transform" => {
                args.check(name, 1, &["dataset"])?;
                let f = frame_arg(&args, 0, "dataset", name)?;
                let (text_cols, _) = parse_description(&m.classifier.metadata.description);
                let text = self.text_expr(&f, &text_cols, args.span)?;
                let c = predict_column(&m, Column::new(text, "text"), PredictKind::Label);
                self.new_frame(
                    f.lf.clone().with_column(c.expr.alias("prediction")),
                    args.span,
                )
                .map(Value::Frame)
            }
            _ => Err(LangError::unsupported(format!(
                "NaiveBayesModel.{name}() is not supported"
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

fn parse_description(d: &str) -> (Vec<String>, String) {
    let mut text = vec!["descricao".to_string()];
    let mut label = "categoria".to_string();
    for part in d.split_whitespace() {
        if let Some(t) = part.strip_prefix("text=") {
            text = t.split('+').map(str::to_string).collect();
        } else if let Some(l) = part.strip_prefix("label=") {
            label = l.to_string();
        }
    }
    (text, label)
}

fn evaluation_text(e: &faisca_model::Evaluation) -> String {
    let mut s = format!("accuracy: {:.4} on {} rows\n", e.accuracy(), e.rows);
    for (i, l) in e.labels.iter().enumerate() {
        s.push_str(&format!(
            "{l}: precision {:.3} recall {:.3} support {}\n",
            e.precision(i),
            e.recall(i),
            e.support(i)
        ));
    }
    s
}

fn evaluation_html(e: &faisca_model::Evaluation) -> String {
    let mut h = format!(
        "<div class=\"faisca-eval\"><p><b>accuracy</b> {:.4} on {} rows</p>",
        e.accuracy(),
        e.rows
    );
    h.push_str("<table><tr><th>class</th><th>precision</th><th>recall</th><th>support</th></tr>");
    for (i, l) in e.labels.iter().enumerate() {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td></tr>",
            render::escape(l),
            e.precision(i),
            e.recall(i),
            e.support(i)
        ));
    }
    h.push_str("</table><table><caption>confusion matrix (rows: actual, columns: predicted)</caption><tr><th></th>");
    for l in &e.labels {
        h.push_str(&format!("<th>{}</th>", render::escape(l)));
    }
    h.push_str("</tr>");
    for (i, l) in e.labels.iter().enumerate() {
        h.push_str(&format!("<tr><th>{}</th>", render::escape(l)));
        for n in &e.confusion[i] {
            h.push_str(&format!("<td>{n}</td>"));
        }
        h.push_str("</tr>");
    }
    h.push_str("</table></div>");
    h
}

// ----- helpers ------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum PredictKind {
    Label,
    Probability,
}

/// `predict("descricao")`: a UDF inside the lazy plan, scored in parallel batches.
fn predict_column(m: &Model, input: Column, kind: PredictKind) -> Column {
    let classifier = m.classifier.clone();
    let label = match kind {
        PredictKind::Label => format!("predict({})", input.name),
        PredictKind::Probability => format!("predict_proba({})", input.name),
    };
    let out_type = match kind {
        PredictKind::Label => DataType::String,
        PredictKind::Probability => DataType::Float64,
    };
    let dtype = out_type.clone();
    let expr = input.expr.cast(DataType::String).map(
        move |c: polars::prelude::Column| {
            let ca = c.str()?;
            let texts: Vec<Option<&str>> = ca.iter().collect();
            let name = c.name().clone();
            let out: Series = match kind {
                PredictKind::Label => {
                    let labels = classifier.labels();
                    let predicted = classifier.predict_batch(&texts, true);
                    let values: Vec<Option<&str>> = predicted
                        .iter()
                        .map(|p| p.map(|i| labels[i as usize].as_str()))
                        .collect();
                    Series::new(name, values)
                }
                PredictKind::Probability => {
                    let values: Vec<Option<f64>> = texts
                        .iter()
                        .map(|t| {
                            t.map(|t| classifier.predict_proba(t).into_iter().fold(0.0, f64::max))
                        })
                        .collect();
                    Series::new(name, values)
                }
            };
            Ok(out.into_column())
        },
        move |_: &Schema, f: &Field| Ok(Field::new(f.name().clone(), dtype.clone())),
    );
    Column::new(expr, label)
}

/// A per-row uniform number in [0, 1) from the row index and `seed` (SplitMix64).
fn random_uniform(seed: u64) -> Expr {
    col("__faisca_row").map(
        move |c: polars::prelude::Column| {
            let idx = c.cast(&DataType::UInt64)?;
            let ca = idx.u64()?;
            let values: Vec<f64> = ca
                .iter()
                .map(|i| {
                    let mut z = i
                        .unwrap_or(0)
                        .wrapping_add(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
                        .wrapping_add(0x9E37_79B9_7F4A_7C15);
                    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                    z ^= z >> 31;
                    (z >> 11) as f64 / (1u64 << 53) as f64
                })
                .collect();
            Ok(Series::new(c.name().clone(), values).into_column())
        },
        |_: &Schema, f: &Field| Ok(Field::new(f.name().clone(), DataType::Float64)),
    )
}

fn rows(df: &DataFrame, limit: usize) -> Vec<Value> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let n = df.height().min(limit);
    (0..n)
        .map(|i| {
            Value::Row(
                names
                    .iter()
                    .zip(df.columns())
                    .map(|(name, c)| {
                        (
                            name.clone(),
                            any_to_value(c.get(i).unwrap_or(AnyValue::Null)),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

fn rows_first(df: &DataFrame) -> Value {
    rows(df, 1).into_iter().next().unwrap_or(Value::None)
}

fn any_to_value(v: AnyValue<'_>) -> Value {
    match v {
        AnyValue::Null => Value::None,
        AnyValue::Boolean(b) => Value::Bool(b),
        AnyValue::String(s) => Value::Str(s.to_string()),
        AnyValue::StringOwned(s) => Value::Str(s.to_string()),
        AnyValue::Float32(f) => Value::Float(f64::from(f)),
        AnyValue::Float64(f) => Value::Float(f),
        other => match other.extract::<i64>() {
            Some(i) if other.is_integer() => Value::Int(i),
            _ => Value::Str(render::cell_text(&other)),
        },
    }
}

pub(crate) fn plain_col(name: &str) -> Column {
    let mut c = Column::new(col(name), name);
    c.plain = true;
    c
}

/// Strings name columns; columns pass through; anything else is an error.
pub(crate) fn to_column(v: &Value, span: Span) -> Result<Column, LangError> {
    match v {
        Value::Column(c) => Ok(c.clone()),
        Value::Str(name) => Ok(plain_col(name)),
        other => Err(LangError::type_error(format!(
            "expected a column or a column name, got {}",
            other.type_name()
        ))
        .at(span)
        .with_hint("wrap constants in lit(...)")),
    }
}

/// Values on the right of comparisons and in when(): constants become literals.
fn value_column(v: &Value, span: Span) -> Result<Column, LangError> {
    match v {
        Value::Column(c) => Ok(c.clone()),
        other => literal(other, span),
    }
}

fn literal(v: &Value, span: Span) -> Result<Column, LangError> {
    let (expr, name) = match v {
        Value::Str(s) => (lit(s.clone()), s.clone()),
        Value::Int(i) => (lit(*i), i.to_string()),
        Value::Float(f) => (lit(*f), f.to_string()),
        Value::Bool(b) => (lit(*b), b.to_string()),
        Value::None => (lit(NULL), "NULL".to_string()),
        Value::Column(c) => return Ok(c.clone()),
        other => {
            return Err(LangError::type_error(format!(
                "cannot make a literal column from {}",
                other.type_name()
            ))
            .at(span));
        }
    };
    Ok(Column::new(expr, name))
}

fn when_column(branches: Vec<(Expr, Expr)>, otherwise: Option<Expr>) -> Column {
    let mut iter = branches.iter();
    let (c0, v0) = iter.next().expect("at least one branch");
    let mut chain = when(c0.clone()).then(v0.clone());
    let mut expr = None;
    let rest: Vec<&(Expr, Expr)> = iter.collect();
    if rest.is_empty() {
        expr = Some(chain.otherwise(otherwise.clone().unwrap_or(lit(NULL))));
    } else {
        let mut chained = chain.when(rest[0].0.clone()).then(rest[0].1.clone());
        for (c, v) in &rest[1..] {
            chained = chained.when(c.clone()).then(v.clone());
        }
        expr.get_or_insert(chained.otherwise(otherwise.clone().unwrap_or(lit(NULL))));
        chain = when(lit(false)).then(lit(NULL)); // unused; keeps types simple
        let _ = chain;
    }
    let mut c = Column::new(expr.expect("built"), "CASE WHEN");
    if otherwise.is_none() {
        c.branches = Some(branches);
    }
    c
}

fn column_method(c: Column, name: &str, args: Args) -> Result<Value, LangError> {
    let c2 = c.clone();
    let unary = |expr: Expr, label: String| Ok(Value::Column(Column::new(expr, label)));
    match name {
        "alias" | "name" => {
            let n = str_arg(&args, 0, "alias", name)?;
            let mut out = Column::new(c.expr, n);
            out.aggregate = c.aggregate;
            Ok(Value::Column(out))
        }
        "cast" | "astype" => {
            let (v, s) = args.require(0, "dataType", name)?;
            let type_name = match v {
                Value::Str(t) => t.clone(),
                Value::Type(t) => t.clone(),
                other => {
                    return Err(LangError::type_error(format!(
                        "cast() takes a type name, got {}",
                        other.type_name()
                    ))
                    .at(s));
                }
            };
            let dtype = parse_type(&type_name).ok_or_else(|| {
                LangError::new("ParseException", format!("unknown data type '{type_name}'"))
                    .at(s)
                    .with_hint("use string, int, bigint, double, float, boolean, date or timestamp")
            })?;
            let mut out = Column::new(c.expr.cast(dtype), c.name.clone());
            out.plain = false;
            Ok(Value::Column(out))
        }
        "isNull" => unary(c.expr.is_null(), format!("({} IS NULL)", c.name)),
        "isNotNull" => unary(c.expr.is_not_null(), format!("({} IS NOT NULL)", c.name)),
        "isin" => {
            let values = args.flat();
            let lits: Vec<Expr> = values
                .iter()
                .map(|(v, s)| literal(v, *s).map(|c| c.expr))
                .collect::<Result<_, _>>()?;
            let mut cond = lit(false);
            for l in lits {
                cond = cond.or(c.expr.clone().eq(l));
            }
            unary(cond, format!("({} IN (...))", c.name))
        }
        "asc" | "desc" => {
            let mut out = c;
            out.descending = Some(name == "desc");
            Ok(Value::Column(out))
        }
        "when" => {
            let Some(mut branches) = c.branches.clone() else {
                return Err(LangError::type_error("when() can only follow when(...)").at(args.span));
            };
            let cond = to_column(args.require(0, "condition", name)?.0, args.span)?;
            let (v, s) = args.require(1, "value", name)?;
            branches.push((cond.expr, value_column(v, s)?.expr));
            Ok(Value::Column(when_column(branches, None)))
        }
        "otherwise" => {
            let Some(branches) = c.branches.clone() else {
                return Err(
                    LangError::type_error("otherwise() can only follow when(...)").at(args.span),
                );
            };
            let (v, s) = args.require(0, "value", name)?;
            Ok(Value::Column(when_column(
                branches,
                Some(value_column(v, s)?.expr),
            )))
        }
        "like" => {
            let pattern = str_arg(&args, 0, "other", name)?;
            let regex = like_to_regex(&pattern);
            unary(
                c.expr.str().contains(lit(regex), true),
                format!("{} LIKE {pattern}", c.name),
            )
        }
        "contains" => {
            let s = str_arg(&args, 0, "other", name)?;
            unary(
                c.expr.str().contains_literal(lit(s.clone())),
                format!("contains({}, {s})", c.name),
            )
        }
        "startswith" => {
            let s = str_arg(&args, 0, "other", name)?;
            unary(
                c.expr.str().starts_with(lit(s.clone())),
                format!("startswith({}, {s})", c.name),
            )
        }
        "endswith" => {
            let s = str_arg(&args, 0, "other", name)?;
            unary(
                c.expr.str().ends_with(lit(s.clone())),
                format!("endswith({}, {s})", c.name),
            )
        }
        "substr" => {
            let pos = int_arg(&args, 0, "startPos", name)?;
            let len = int_arg(&args, 1, "length", name)?;
            let start = if pos > 0 { pos - 1 } else { pos };
            unary(
                c.expr.str().slice(lit(start), lit(len.max(0) as u64)),
                format!("substr({}, {pos}, {len})", c.name),
            )
        }
        "between" => {
            let (lo, ls) = args.require(0, "lowerBound", name)?;
            let (hi, hs) = args.require(1, "upperBound", name)?;
            let lo = value_column(lo, ls)?.expr;
            let hi = value_column(hi, hs)?.expr;
            unary(
                c.expr.clone().gt_eq(lo).and(c2.expr.lt_eq(hi)),
                format!("({} BETWEEN)", c.name),
            )
        }
        _ => Err(LangError::unsupported(format!(
            "Column.{name}() is not supported"
        ))),
    }
}

fn like_to_regex(pattern: &str) -> String {
    let mut out = String::from("^");
    for ch in pattern.chars() {
        match ch {
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            c => out.push_str(&regex_escape(c)),
        }
    }
    out.push('$');
    out
}

fn regex_escape(c: char) -> String {
    if "\\.+*?()|[]{}^$#&-~".contains(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// The literal text of a regex without metacharacters (or with only escaped ones).
fn regex_literal(pattern: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(chars.next()?);
        } else if ".+*?()|[]{}^$".contains(c) {
            return None;
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn check_regex(pattern: &str, span: Option<Span>) -> Result<(), LangError> {
    // Polars compiles lazily at run time; catch bad patterns while the caret can point.
    let mut depth = 0i32;
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            break;
        }
    }
    if depth != 0 {
        let mut err = LangError::new(
            "PatternSyntaxException",
            format!("unbalanced parenthesis in regular expression {pattern:?}"),
        );
        if let Some(s) = span {
            err = err.at(s);
        }
        return Err(err);
    }
    Ok(())
}

pub(crate) fn parse_type(name: &str) -> Option<DataType> {
    let n = name.trim().to_lowercase();
    let n = n.trim_end_matches("()").trim_end_matches("type");
    Some(match n {
        "string" | "str" | "varchar" => DataType::String,
        "int" | "integer" | "int32" => DataType::Int32,
        "bigint" | "long" | "int64" => DataType::Int64,
        "smallint" | "short" => DataType::Int16,
        "tinyint" | "byte" => DataType::Int8,
        "double" | "float64" => DataType::Float64,
        "float" | "real" | "float32" => DataType::Float32,
        "boolean" | "bool" => DataType::Boolean,
        "date" => DataType::Date,
        "timestamp" => DataType::Datetime(TimeUnit::Microseconds, None),
        _ => return None,
    })
}

fn check_columns(f: &Frame, names: &[(&str, Span)]) -> Result<(), LangError> {
    for (name, span) in names {
        if !f.schema.contains(name) {
            let columns = f.columns();
            let mut err = LangError::analysis(format!(
                "[UNRESOLVED_COLUMN] A column with name `{name}` cannot be resolved. Available columns: [{}].",
                columns.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ))
            .at(*span);
            if let Some(c) = closest(name, columns.iter().map(String::as_str)) {
                err = err.with_hint(format!("did you mean `{c}`?"));
            }
            return Err(err);
        }
    }
    Ok(())
}

fn frame_arg(args: &Args, i: usize, name: &str, func: &str) -> Result<Frame, LangError> {
    match args.require(i, name, func)? {
        (Value::Frame(f), _) => Ok(f.clone()),
        (other, s) => Err(LangError::type_error(format!(
            "{func}() needs a DataFrame, got {}",
            other.type_name()
        ))
        .at(s)),
    }
}

fn as_str(v: &Value, span: Span) -> Result<String, LangError> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        other => Err(LangError::type_error(format!(
            "expected a string, got {}",
            other.type_name()
        ))
        .at(span)),
    }
}

fn as_int(v: &Value, span: Span) -> Result<i64, LangError> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => Err(LangError::type_error(format!(
            "expected an integer, got {}",
            other.type_name()
        ))
        .at(span)),
    }
}

fn as_float(v: &Value, span: Span) -> Result<f64, LangError> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        Value::Str(s) => s.trim().parse().map_err(|_| {
            LangError::new(
                "ValueError",
                format!("could not convert string to float: {s:?}"),
            )
            .at(span)
        }),
        other => Err(LangError::type_error(format!(
            "expected a number, got {}",
            other.type_name()
        ))
        .at(span)),
    }
}

fn as_bool(v: &Value, span: Span) -> Result<bool, LangError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Int(i) => Ok(*i != 0),
        Value::Str(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::Str(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(LangError::type_error(format!(
            "expected True or False, got {}",
            other.type_name()
        ))
        .at(span)),
    }
}

fn str_arg(args: &Args, i: usize, name: &str, func: &str) -> Result<String, LangError> {
    let (v, s) = args.require(i, name, func)?;
    as_str(v, s)
}

fn int_arg(args: &Args, i: usize, name: &str, func: &str) -> Result<i64, LangError> {
    let (v, s) = args.require(i, name, func)?;
    as_int(v, s)
}

/// `.option(k, v)`, `.options(k=v, …)` and `.format(f)`, shared by reader and writer.
fn set_option(
    options: &mut Vec<(String, String)>,
    format: &mut Option<String>,
    name: &str,
    args: &Args,
) -> Result<(), LangError> {
    match name {
        "option" => {
            args.check(name, 2, &["key", "value"])?;
            let key = str_arg(args, 0, "key", name)?;
            let (v, s) = args.require(1, "value", name)?;
            options.push((key.to_lowercase(), option_text(v, s)?));
        }
        "options" => {
            for (k, v, s) in &args.kw {
                options.push((k.to_lowercase(), option_text(v, *s)?));
            }
        }
        _ => *format = Some(str_arg(args, 0, "source", name)?.to_lowercase()),
    }
    Ok(())
}

fn option_text(v: &Value, span: Span) -> Result<String, LangError> {
    Ok(match v {
        Value::Str(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::None => String::new(),
        other => {
            return Err(LangError::type_error(format!(
                "option values are strings, numbers or booleans, got {}",
                other.type_name()
            ))
            .at(span));
        }
    })
}

fn unescape_sep(sep: &str) -> Option<u8> {
    match sep {
        "\\t" | "\t" => Some(b'\t'),
        s if s.len() == 1 => Some(s.as_bytes()[0]),
        _ => None,
    }
}

fn create_dataframe(
    data: &Value,
    span: Span,
    schema: Option<(&Value, Span)>,
) -> Result<LazyFrame, LangError> {
    let rows: Vec<Vec<Value>> = match data {
        Value::List(items) => items
            .iter()
            .map(|r| match r {
                Value::Tuple(v) | Value::List(v) => Ok(v.clone()),
                Value::Row(fields) => Ok(fields.iter().map(|(_, v)| v.clone()).collect()),
                scalar @ (Value::Str(_)
                | Value::Int(_)
                | Value::Float(_)
                | Value::Bool(_)
                | Value::None) => Ok(vec![scalar.clone()]),
                other => Err(LangError::type_error(format!(
                    "rows must be tuples, got {}",
                    other.type_name()
                ))
                .at(span)),
            })
            .collect::<Result<_, _>>()?,
        Value::Pandas(df) => return Ok((**df).clone().lazy()),
        other => {
            return Err(LangError::type_error(format!(
                "createDataFrame() takes a list of tuples, got {}",
                other.type_name()
            ))
            .at(span));
        }
    };
    let width = rows.first().map_or(0, Vec::len);
    if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != width) {
        return Err(LangError::new(
            "ValueError",
            format!(
                "row {i} has {} fields but the first row has {width}",
                r.len()
            ),
        )
        .at(span));
    }
    let (names, types): (Vec<String>, Vec<Option<DataType>>) = match schema {
        None | Some((Value::None, _)) => (1..=width).map(|i| format!("_{i}")).unzip_with_none(),
        Some((Value::List(items), s)) => {
            let names: Vec<String> = items
                .iter()
                .map(|v| as_str(v, s))
                .collect::<Result<_, _>>()?;
            let n = names.len();
            (names, vec![None; n])
        }
        Some((Value::Str(ddl), s)) => {
            let mut names = Vec::new();
            let mut types = Vec::new();
            for part in ddl.split(',') {
                let mut it = part.split_whitespace();
                let (Some(n), Some(t)) = (it.next(), it.next()) else {
                    return Err(LangError::new(
                        "ParseException",
                        format!("cannot parse schema field {part:?}"),
                    )
                    .at(s)
                    .with_hint("write \"id int, descricao string\""));
                };
                let n = n.trim_end_matches(':');
                names.push(n.to_string());
                types.push(Some(parse_type(t).ok_or_else(|| {
                    LangError::new("ParseException", format!("unknown data type '{t}'")).at(s)
                })?));
            }
            (names, types)
        }
        Some((other, s)) => {
            return Err(LangError::type_error(format!(
                "schema must be a list of names or a DDL string, got {}",
                other.type_name()
            ))
            .at(s));
        }
    };
    if !rows.is_empty() && names.len() != width {
        return Err(LangError::new(
            "ValueError",
            format!(
                "the schema names {} columns but the rows have {width}",
                names.len()
            ),
        )
        .at(span));
    }
    let mut columns = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let values: Vec<&Value> = rows.iter().map(|r| &r[i]).collect();
        let series = series_from_values(name, &values, span)?;
        let series = match &types[i] {
            Some(t) => series.cast(t).map_err(|e| polars_error(e).at(span))?,
            None => series,
        };
        columns.push(series.into_column());
    }
    let df = DataFrame::new_infer_height(columns).map_err(|e| polars_error(e).at(span))?;
    Ok(df.lazy())
}

trait UnzipWithNone {
    fn unzip_with_none(self) -> (Vec<String>, Vec<Option<DataType>>);
}

impl<I: Iterator<Item = String>> UnzipWithNone for I {
    fn unzip_with_none(self) -> (Vec<String>, Vec<Option<DataType>>) {
        let names: Vec<String> = self.collect();
        let n = names.len();
        (names, vec![None; n])
    }
}

fn series_from_values(name: &str, values: &[&Value], span: Span) -> Result<Series, LangError> {
    let non_null: Vec<&&Value> = values
        .iter()
        .filter(|v| !matches!(v, Value::None))
        .collect();
    let name = PlSmallStr::from(name);
    if non_null
        .iter()
        .all(|v| matches!(v, Value::Int(_) | Value::Bool(_)))
        && non_null.iter().any(|v| matches!(v, Value::Int(_)))
    {
        let vals: Vec<Option<i64>> = values
            .iter()
            .map(|v| {
                if let Value::Int(i) = v {
                    Some(*i)
                } else {
                    None
                }
            })
            .collect();
        return Ok(Series::new(name, vals));
    }
    if !non_null.is_empty()
        && non_null
            .iter()
            .all(|v| matches!(v, Value::Int(_) | Value::Float(_)))
    {
        let vals: Vec<Option<f64>> = values
            .iter()
            .map(|v| match v {
                Value::Int(i) => Some(*i as f64),
                Value::Float(f) => Some(*f),
                _ => None,
            })
            .collect();
        return Ok(Series::new(name, vals));
    }
    if !non_null.is_empty() && non_null.iter().all(|v| matches!(v, Value::Bool(_))) {
        let vals: Vec<Option<bool>> = values
            .iter()
            .map(|v| {
                if let Value::Bool(b) = v {
                    Some(*b)
                } else {
                    None
                }
            })
            .collect();
        return Ok(Series::new(name, vals));
    }
    if non_null.iter().all(|v| matches!(v, Value::Str(_))) {
        let vals: Vec<Option<&str>> = values
            .iter()
            .map(|v| {
                if let Value::Str(s) = v {
                    Some(s.as_str())
                } else {
                    None
                }
            })
            .collect();
        return Ok(Series::new(name, vals));
    }
    Err(LangError::type_error(format!(
        "column '{name}' mixes types that cannot share a column"
    ))
    .at(span))
}

fn binary(op: BinOp, l: Value, r: Value) -> Result<Value, LangError> {
    use Value::*;
    if let (Column(_), _) | (_, Column(_)) = (&l, &r) {
        let lc = value_column(&l, Span::default())?;
        let rc = value_column(&r, Span::default())?;
        let (a, b) = (lc.expr, rc.expr);
        let expr = match op {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::Div => a.cast(DataType::Float64) / b.cast(DataType::Float64),
            BinOp::FloorDiv => a.floor_div(b),
            BinOp::Mod => a % b,
            BinOp::Pow => a.pow(b),
            BinOp::Eq => a.eq(b),
            BinOp::Ne => a.neq(b),
            BinOp::Lt => a.lt(b),
            BinOp::Le => a.lt_eq(b),
            BinOp::Gt => a.gt(b),
            BinOp::Ge => a.gt_eq(b),
            BinOp::BitAnd => a.and(b),
            BinOp::BitOr => a.or(b),
            BinOp::And | BinOp::Or => {
                return Err(LangError::type_error(format!(
                    "`{}` cannot combine columns",
                    op.symbol()
                ))
                .with_hint(if op == BinOp::And {
                    "use `&` and wrap each condition in parentheses"
                } else {
                    "use `|` and wrap each condition in parentheses"
                }));
            }
        };
        let name = format!("({} {} {})", lc.name, op.symbol(), rc.name);
        return Ok(Value::Column(crate::value::Column::new(expr, name)));
    }
    let num = |v: &Value| match v {
        Int(i) => Some(*i as f64),
        Float(f) => Some(*f),
        Bool(b) => Some(f64::from(u8::from(*b))),
        _ => Option::None,
    };
    Ok(match (op, &l, &r) {
        (BinOp::Add, Str(a), Str(b)) => Str(format!("{a}{b}")),
        (BinOp::Add, List(a), List(b)) => List(a.iter().chain(b).cloned().collect()),
        (BinOp::Mul, Str(a), Int(n)) => Str(a.repeat((*n).max(0) as usize)),
        (BinOp::Eq, _, _) => Bool(values_equal(&l, &r)),
        (BinOp::Ne, _, _) => Bool(!values_equal(&l, &r)),
        (BinOp::And, _, _) => {
            if truthy(&l) {
                r
            } else {
                l
            }
        }
        (BinOp::Or, _, _) => {
            if truthy(&l) {
                l
            } else {
                r
            }
        }
        (_, Int(a), Int(b)) if !matches!(op, BinOp::Div | BinOp::Pow) => match op {
            BinOp::Add => Int(a.checked_add(*b).ok_or_else(overflow)?),
            BinOp::Sub => Int(a.checked_sub(*b).ok_or_else(overflow)?),
            BinOp::Mul => Int(a.checked_mul(*b).ok_or_else(overflow)?),
            BinOp::FloorDiv | BinOp::Mod if *b == 0 => {
                return Err(LangError::new(
                    "ZeroDivisionError",
                    "integer division or modulo by zero",
                ));
            }
            BinOp::FloorDiv => Int(a.div_euclid(*b)),
            BinOp::Mod => Int(a.rem_euclid(*b)),
            BinOp::Lt => Bool(a < b),
            BinOp::Le => Bool(a <= b),
            BinOp::Gt => Bool(a > b),
            BinOp::Ge => Bool(a >= b),
            BinOp::BitAnd => Int(a & b),
            BinOp::BitOr => Int(a | b),
            _ => unreachable!("handled above"),
        },
        _ => match (num(&l), num(&r)) {
            (Some(a), Some(b)) => match op {
                BinOp::Add => Float(a + b),
                BinOp::Sub => Float(a - b),
                BinOp::Mul => Float(a * b),
                BinOp::Div if b == 0.0 => {
                    return Err(LangError::new("ZeroDivisionError", "division by zero"));
                }
                BinOp::Div => Float(a / b),
                BinOp::FloorDiv => Float((a / b).floor()),
                BinOp::Mod => Float(a.rem_euclid(b)),
                BinOp::Pow => {
                    if let (Int(x), Int(y)) = (&l, &r)
                        && *y >= 0
                        && *y < 64
                    {
                        x.checked_pow(*y as u32)
                            .map(Int)
                            .unwrap_or(Float(a.powf(b)))
                    } else {
                        Float(a.powf(b))
                    }
                }
                BinOp::Lt => Bool(a < b),
                BinOp::Le => Bool(a <= b),
                BinOp::Gt => Bool(a > b),
                BinOp::Ge => Bool(a >= b),
                _ => return Err(unsupported_op(op, &l, &r)),
            },
            _ => match (op, &l, &r) {
                (BinOp::Lt, Str(a), Str(b)) => Bool(a < b),
                (BinOp::Gt, Str(a), Str(b)) => Bool(a > b),
                (BinOp::Le, Str(a), Str(b)) => Bool(a <= b),
                (BinOp::Ge, Str(a), Str(b)) => Bool(a >= b),
                _ => return Err(unsupported_op(op, &l, &r)),
            },
        },
    })
}

fn overflow() -> LangError {
    LangError::new("OverflowError", "integer overflow (integers are 64-bit)")
}

fn unsupported_op(op: BinOp, l: &Value, r: &Value) -> LangError {
    let mut err = LangError::type_error(format!(
        "unsupported operand types for {}: '{}' and '{}'",
        op.symbol(),
        l.type_name(),
        r.type_name()
    ));
    if matches!(l, Value::Str(_)) || matches!(r, Value::Str(_)) {
        err = err.with_hint("to compare or combine a column, use col(\"name\")");
    }
    err
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => (*x as f64) == *y,
        _ => a.repr() == b.repr(),
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::List(i) | Value::Tuple(i) => !i.is_empty(),
        _ => true,
    }
}

fn unary(op: UnOp, v: Value) -> Result<Value, LangError> {
    Ok(match (op, v) {
        (UnOp::Neg, Value::Int(i)) => Value::Int(-i),
        (UnOp::Neg, Value::Float(f)) => Value::Float(-f),
        (UnOp::Pos, v @ (Value::Int(_) | Value::Float(_))) => v,
        (UnOp::Not, v) if !matches!(v, Value::Column(_)) => Value::Bool(!truthy(&v)),
        (UnOp::Invert, Value::Column(c)) => Value::Column(crate::value::Column::new(
            c.expr.not(),
            format!("(NOT {})", c.name),
        )),
        (UnOp::Neg, Value::Column(c)) => Value::Column(crate::value::Column::new(
            lit(0) - c.expr,
            format!("(- {})", c.name),
        )),
        (UnOp::Not, Value::Column(_)) => {
            return Err(
                LangError::type_error("`not` cannot negate a column").with_hint("use `~col(...)`")
            );
        }
        (UnOp::Invert, Value::Int(i)) => Value::Int(!i),
        (op, v) => {
            return Err(LangError::type_error(format!(
                "bad operand type for unary {op:?}: '{}'",
                v.type_name()
            )));
        }
    })
}

/// For tests: is this an interrupt error.
pub fn interrupted_error(e: &LangError) -> bool {
    is_interrupted(e)
}
