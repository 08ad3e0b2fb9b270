//! DataFrame, GroupedData, SparkSession and Catalog methods; building frames from rows.

use super::*;

impl Eval<'_> {
    pub(crate) fn method(
        &mut self,
        recv: Value,
        name: &str,
        args: Args,
    ) -> Result<Value, LangError> {
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
            // The session exists from the start; the builder chain just returns it.
            Value::Module(m) if m == BUILDER => Ok(if name == "getOrCreate" {
                Value::Spark
            } else {
                Value::Module(m)
            }),
            // findspark.init() and sparkContext.setLogLevel(...) have nothing to do here.
            Value::Module(m) if m == "findspark" || m == "sparkContext" => Ok(Value::None),
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

    pub(crate) fn new_frame(&self, lf: LazyFrame, span: Span) -> Result<Frame, LangError> {
        let mut lf = lf;
        let schema = lf
            .collect_schema()
            .map_err(|e| self.locate(polars_error(e), span))?;
        Ok(Frame { lf, schema })
    }

    /// Points a column error at the string literal naming the column, if it is in the call.
    pub(crate) fn locate(&self, mut err: LangError, span: Span) -> LangError {
        let missing = err.message.split('"').nth(1).map(str::to_string);
        if let (None, true, Some(name)) =
            (err.span, err.message.contains("UNRESOLVED_COLUMN"), missing)
        {
            // Restate Polars' "valid columns: [...]" the Spark way, with a suggestion.
            if let Some((_, rest)) = err.message.split_once("valid columns: [")
                && let Some((list, _)) = rest.split_once(']')
            {
                let columns: Vec<String> = list
                    .split(',')
                    .map(|c| c.trim().trim_matches('"').to_string())
                    .filter(|c| !c.is_empty())
                    .collect();
                err = unresolved_column(&name, &columns);
            }
            let text = self
                .src
                .get(span.start..span.end.min(self.src.len()))
                .unwrap_or("");
            for q in ['"', '\''] {
                if let Some(at) = text.find(&format!("{q}{name}{q}")) {
                    err.span = Some(Span::new(span.start + at, span.start + at + name.len() + 2));
                    return err;
                }
            }
        }
        err.at(span)
    }

    pub(crate) fn columns_arg(
        &self,
        f: &Frame,
        items: &[(Value, Span)],
    ) -> Result<Vec<Column>, LangError> {
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

    /// Runs an action that keeps every row it collects.
    pub(crate) fn action_frame(&self, action: &str, lf: LazyFrame) -> Result<DataFrame, LangError> {
        self.session
            .run_job(self.cell, action, lf, self.cancel, JobRows::All)
    }

    /// Runs an action that shows `n` rows: fetches `n + 1` to know whether there are more.
    pub(crate) fn shown_frame(
        &self,
        action: &str,
        lf: LazyFrame,
        n: usize,
    ) -> Result<DataFrame, LangError> {
        let lf = lf.limit((n + 1) as IdxSize);
        self.session
            .run_job(self.cell, action, lf, self.cancel, JobRows::AtMost(n))
    }

    pub(crate) fn frame_method(
        &mut self,
        f: Frame,
        name: &str,
        args: Args,
    ) -> Result<Value, LangError> {
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
                let ascending: Vec<bool> = match args.keyword("ascending") {
                    None => vec![true; cols.len()],
                    Some((Value::List(items), s)) => items
                        .iter()
                        .map(|v| as_bool(v, s))
                        .collect::<Result<_, _>>()?,
                    Some((v, s)) => vec![as_bool(v, s)?; cols.len()],
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
                    .keyword("allowMissingColumns")
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
                let df = self.shown_frame("show", lf, n)?;
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

    pub(crate) fn join(&mut self, f: Frame, args: Args) -> Result<Value, LangError> {
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

    pub(crate) fn grouped_method(
        &mut self,
        g: Grouped,
        name: &str,
        args: Args,
    ) -> Result<Value, LangError> {
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

    pub(crate) fn spark_method(&mut self, name: &str, args: Args) -> Result<Value, LangError> {
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

    pub(crate) fn catalog_method(&mut self, name: &str, args: Args) -> Result<Value, LangError> {
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
}

/// A per-row uniform number in [0, 1) from the row index and `seed` (SplitMix64).
pub(crate) fn random_uniform(seed: u64) -> Expr {
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

pub(crate) fn rows(df: &DataFrame, limit: usize) -> Vec<Value> {
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

pub(crate) fn rows_first(df: &DataFrame) -> Value {
    rows(df, 1).into_iter().next().unwrap_or(Value::None)
}

pub(crate) fn any_to_value(v: AnyValue<'_>) -> Value {
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

pub(crate) fn create_dataframe(
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

pub(crate) trait UnzipWithNone {
    fn unzip_with_none(self) -> (Vec<String>, Vec<Option<DataType>>);
}

impl<I: Iterator<Item = String>> UnzipWithNone for I {
    fn unzip_with_none(self) -> (Vec<String>, Vec<Option<DataType>>) {
        let names: Vec<String> = self.collect();
        let n = names.len();
        (names, vec![None; n])
    }
}

pub(crate) fn series_from_values(
    name: &str,
    values: &[&Value],
    span: Span,
) -> Result<Series, LangError> {
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
