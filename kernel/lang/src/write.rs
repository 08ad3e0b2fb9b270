//! Writes like Spark: an output directory with a part file and `_SUCCESS`. New output goes
//! to a temporary sibling first and replaces old output only once it is complete.

use std::fs;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use polars::prelude::*;

use crate::error::{LangError, Span};
use crate::eval::{Eval, option_flag, polars_error, separator};
use crate::value::Writer;

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{}-{nanos:x}", std::process::id())
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    target.with_file_name(format!(".{name}.{tag}-{}", unique_suffix()))
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> LangError {
    LangError::new("IOException", format!("{what} {}: {e}", path.display()))
}

/// Runs the write job; `None` when mode `ignore` skipped it.
pub(crate) fn write(
    ev: &Eval<'_>,
    w: &Writer,
    format: &str,
    target: &Path,
    span: Span,
) -> Result<Option<()>, LangError> {
    let exists = target.exists();
    match w.mode.as_str() {
        "error" | "errorifexists" if exists => {
            return Err(LangError::analysis(format!(
                "[PATH_ALREADY_EXISTS] Path {} already exists.",
                target.display()
            ))
            .at(span)
            .with_hint(
                "use .mode(\"overwrite\") to replace it or .mode(\"append\") to add to it",
            ));
        }
        "ignore" if exists => return Ok(None),
        _ => {}
    }
    if !matches!(format, "csv" | "parquet" | "json") {
        return Err(
            LangError::unsupported(format!("writing format '{format}' is not supported"))
                .at(span)
                .with_hint("use csv, parquet or json"),
        );
    }
    let file_format = match format {
        "csv" => {
            let sep = separator(&w.options, span)?;
            let header = option_flag(&w.options, "header");
            let serialize = SerializeOptions {
                separator: sep,
                ..SerializeOptions::default()
            };
            FileWriteFormat::Csv(CsvWriterOptions {
                include_header: header,
                serialize_options: serialize.into(),
                ..CsvWriterOptions::default()
            })
        }
        "parquet" => FileWriteFormat::Parquet(Arc::new(ParquetWriteOptions::default())),
        _ => FileWriteFormat::NDJson(NDJsonWriterOptions::default()),
    };

    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| io_error("cannot create", parent, e).at(span))?;
    let staging = sibling(target, "tmp");
    // Streams the plan into the part file: no full collect, so memory stays flat.
    let result = (|| -> Result<(), LangError> {
        fs::create_dir(&staging).map_err(|e| io_error("cannot create", &staging, e))?;
        let part = staging.join(format!("part-00000-{}-c000.{format}", unique_suffix()));
        let destination = SinkDestination::File {
            target: SinkTarget::Path(PlRefPath::new(part.to_string_lossy().as_ref())),
        };
        let sink = w
            .frame
            .lf
            .clone()
            .sink(destination, file_format, UnifiedSinkArgs::default())
            .map_err(polars_error)?;
        ev.run_sink(&format!("write.{format}"), sink)?;
        fs::File::create(staging.join("_SUCCESS"))
            .map_err(|e| io_error("cannot create", &staging, e))?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e.at(span));
    }

    let publish = || -> Result<(), LangError> {
        if !target.exists() {
            return fs::rename(&staging, target)
                .map_err(|e| io_error("cannot move output to", target, e));
        }
        if w.mode == "append" && target.is_dir() {
            for entry in fs::read_dir(&staging).map_err(|e| io_error("cannot read", &staging, e))? {
                let entry = entry.map_err(|e| io_error("cannot read", &staging, e))?;
                let dest = target.join(entry.file_name());
                fs::rename(entry.path(), &dest)
                    .map_err(|e| io_error("cannot move output to", &dest, e))?;
            }
            let _ = fs::remove_dir_all(&staging);
            return Ok(());
        }
        // Overwrite: swap the complete new output in, then delete the old.
        let old = sibling(target, "old");
        fs::rename(target, &old).map_err(|e| io_error("cannot move aside", target, e))?;
        if let Err(e) = fs::rename(&staging, target) {
            let _ = fs::rename(&old, target);
            return Err(io_error("cannot move output to", target, e));
        }
        if old.is_dir() {
            let _ = fs::remove_dir_all(&old);
        } else {
            let _ = fs::remove_file(&old);
        }
        Ok(())
    };
    publish().map_err(|e| {
        let _ = fs::remove_dir_all(&staging);
        e.at(span)
    })?;
    Ok(Some(()))
}
