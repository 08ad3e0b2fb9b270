//! `spark.read` and `df.write`.

use super::*;

impl Eval<'_> {
    pub(crate) fn reader_method(
        &mut self,
        mut r: Reader,
        name: &str,
        args: Args,
    ) -> Result<Value, LangError> {
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

    pub(crate) fn read(
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
        let opt = |key: &str| option_value(options, key);
        let flag = |key: &str| option_flag(options, key);
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
                let sep = separator(options, span)?;
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

    pub(crate) fn writer_method(
        &mut self,
        mut w: Writer,
        name: &str,
        args: Args,
    ) -> Result<Value, LangError> {
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
            .run_job(self.cell, action, lf, self.cancel, JobRows::Unknown)
            .map(|_| ())
    }
}

/// `.option(k, v)`, `.options(k=v, …)` and `.format(f)`, shared by reader and writer.
pub(crate) fn set_option(
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

pub(crate) fn option_text(v: &Value, span: Span) -> Result<String, LangError> {
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

/// The last value given for an option (a later `.option` wins, as in Spark).
pub(crate) fn option_value<'a>(options: &'a [(String, String)], key: &str) -> Option<&'a str> {
    options
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A boolean option ("true" in any case).
pub(crate) fn option_flag(options: &[(String, String)], key: &str) -> bool {
    option_value(options, key).is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The CSV separator from `sep` or `delimiter` (default `,`; `\t` means tab), one byte.
pub(crate) fn separator(options: &[(String, String)], span: Span) -> Result<u8, LangError> {
    let sep = option_value(options, "sep")
        .or(option_value(options, "delimiter"))
        .unwrap_or(",");
    match sep {
        "\\t" | "\t" => Ok(b'\t'),
        s if s.len() == 1 => Ok(s.as_bytes()[0]),
        _ => Err(LangError::new(
            "IllegalArgumentException",
            format!("the delimiter must be one character, got {sep:?}"),
        )
        .at(span)),
    }
}
