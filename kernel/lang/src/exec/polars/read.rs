//! Lazy scans of CSV, Parquet and JSON-lines files, or of folders of part files.

use std::path::Path;

use polars::prelude::*;

use crate::core::config::Config;
use crate::core::engine::Source;
use crate::core::error::{LangError, Span, polars_error};
use crate::core::io::Format;
use crate::core::names::did_you_mean;

use super::json_depth::check_json_depth;

pub(super) fn read(config: &Config, source: &Source<'_>) -> Result<LazyFrame, LangError> {
    let span = source.span;
    let resolved = config.resolve(source.path);
    if !resolved.exists() {
        return Err(path_not_found(config, source.path, &resolved).at(span));
    }
    let ext = match source.format {
        Format::Csv => "csv",
        Format::Parquet => "parquet",
        Format::Json => "json",
    };
    only_regular_files(&resolved, ext).map_err(|e| e.at(span))?;
    if source.format == Format::Json {
        for file in files(&resolved, ext) {
            check_json_depth(&file).map_err(|e| e.at(span))?;
        }
    }
    // Spark output folders: read every part file.
    let target = if resolved.is_dir() {
        resolved.join(format!("*.{ext}"))
    } else {
        resolved.clone()
    };
    let target = PlRefPath::new(target.to_string_lossy().as_ref());
    let lf = match source.format {
        Format::Csv => return read_csv(target, source, span),
        Format::Parquet => LazyFrame::scan_parquet(target, ScanArgsParquet::default()),
        Format::Json => LazyJsonLineReader::new(target).finish(),
    };
    lf.map_err(|e| polars_error(e).at(span))
}

/// A FIFO, socket or device would block the read forever (an interrupt cannot reach a
/// blocked `read`), so only regular files are read: the path itself, or a folder's part files.
fn only_regular_files(resolved: &Path, ext: &str) -> Result<(), LangError> {
    let refuse = |path: &Path| {
        LangError::new(
            "AnalysisException",
            format!(
                "{} is not a regular file (a FIFO, socket or device)",
                path.display()
            ),
        )
        .with_hint("read a file or a folder of part files")
    };
    let meta = std::fs::metadata(resolved)
        .map_err(|e| LangError::new("AnalysisException", format!("{}: {e}", resolved.display())))?;
    if meta.is_file() {
        return Ok(());
    }
    if !meta.is_dir() {
        return Err(refuse(resolved));
    }
    let entries = std::fs::read_dir(resolved)
        .map_err(|e| LangError::new("AnalysisException", format!("{}: {e}", resolved.display())))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let matches = path.extension().is_some_and(|e| e == ext);
        if matches && !std::fs::metadata(&path).is_ok_and(|m| m.is_file() || m.is_dir()) {
            return Err(refuse(&path));
        }
    }
    Ok(())
}

/// The path itself, or a folder's part files with that extension.
fn files(resolved: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    if !resolved.is_dir() {
        return vec![resolved.to_path_buf()];
    }
    let Ok(entries) = std::fs::read_dir(resolved) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
        .collect()
}

fn read_csv(target: PlRefPath, source: &Source<'_>, span: Span) -> Result<LazyFrame, LangError> {
    let options = source.options;
    let header = options.flag("header");
    let infer = options.flag("inferschema");
    let mut reader = LazyCsvReader::new(target)
        .with_separator(options.separator(span)?)
        .with_has_header(header)
        .with_infer_schema_length(if infer { Some(10_000) } else { Some(0) })
        .with_missing_is_null(true)
        .with_truncate_ragged_lines(true);
    if let Some(q) = options.get("quote") {
        reader = reader.with_quote_char(q.bytes().next());
    }
    if let Some(nv) = options.get("nullvalue") {
        reader = reader.with_null_values(Some(NullValues::AllColumnsSingle(nv.into())));
    }
    let mut lf = reader.finish().map_err(|e| polars_error(e).at(span))?;
    if header {
        return Ok(lf);
    }
    // Spark names header-less columns _c0, _c1, …
    let names: Vec<String> = lf
        .collect_schema()
        .map_err(|e| polars_error(e).at(span))?
        .iter_names()
        .map(|n| n.to_string())
        .collect();
    let new: Vec<String> = (0..names.len()).map(|i| format!("_c{i}")).collect();
    Ok(lf.rename(names, new, true))
}

/// Spark's error for a missing path, with the closest file in its folder.
fn path_not_found(config: &Config, path: &str, resolved: &Path) -> LangError {
    let err = LangError::analysis(format!("[PATH_NOT_FOUND] Path does not exist: {path}"));
    if path.starts_with("/data") && config.data_dir.is_none() {
        return err.with_hint("set FAISCA_DATA_DIR to the folder that holds the data, or run in the container where /data is mounted");
    }
    let Some(entries) = resolved
        .parent()
        .filter(|d| d.is_dir())
        .and_then(|d| std::fs::read_dir(d).ok())
    else {
        return err;
    };
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let file = resolved
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    match did_you_mean(&file, names.iter().map(String::as_str)) {
        Some(hint) => err.with_hint(hint),
        None => err,
    }
}
