//! Builtin functions (`col`, `concat`, `when`, …) and Column methods.

use super::*;

impl Eval<'_> {
    pub(crate) fn builtin(&mut self, name: &str, args: Args) -> Result<Value, LangError> {
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
                    .keyword("sep")
                    .map_or(" ".to_string(), |(v, _)| text_of(v));
                let end = args
                    .keyword("end")
                    .map_or("\n".to_string(), |(v, _)| text_of(v));
                let parts: Vec<String> = args.pos.iter().map(|(v, _)| text_of(v)).collect();
                let text = parts.join(&sep) + &end;
                let to_stderr = match args.keyword("file") {
                    None => false,
                    Some((Value::Module(m), _)) if m == "sys.stderr" => true,
                    Some((Value::Module(m), _)) if m == "sys.stdout" => false,
                    Some((other, s)) => {
                        return Err(LangError::type_error(format!(
                            "print(file=...) takes sys.stdout or sys.stderr, got {}",
                            other.type_name()
                        ))
                        .at(s));
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
                    .keyword("wait")
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
                    let df = self.shown_frame("display", f.lf.clone(), n)?;
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

    pub(crate) fn naive_bayes(&mut self, args: Args) -> Result<Value, LangError> {
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
}

/// `when(c1, v1).when(c2, v2).otherwise(o)`: the first matching branch wins, so the chain
/// nests from the last branch outwards. Without `otherwise` the rest is null and the branches
/// are kept so the chain can grow.
pub(crate) fn when_column(branches: Vec<(Expr, Expr)>, otherwise: Option<Expr>) -> Column {
    let fallback = otherwise.clone().unwrap_or(lit(NULL));
    let expr = branches.iter().rev().fold(fallback, |rest, (cond, value)| {
        when(cond.clone()).then(value.clone()).otherwise(rest)
    });
    let mut c = Column::new(expr, "CASE WHEN");
    if otherwise.is_none() {
        c.branches = Some(branches);
    }
    c
}

pub(crate) fn column_method(c: Column, name: &str, args: Args) -> Result<Value, LangError> {
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

pub(crate) fn like_to_regex(pattern: &str) -> String {
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

pub(crate) fn regex_escape(c: char) -> String {
    if "\\.+*?()|[]{}^$#&-~".contains(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// The literal text of a regex without metacharacters (or with only escaped ones).
pub(crate) fn regex_literal(pattern: &str) -> Option<String> {
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

pub(crate) fn check_regex(pattern: &str, span: Option<Span>) -> Result<(), LangError> {
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
