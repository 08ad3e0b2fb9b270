//! Writes like Spark: an output directory with a part file and `_SUCCESS`. New output goes
//! to a temporary sibling first and replaces old output only once it is complete.

use std::fs;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use polars::prelude::*;

use crate::core::engine::{JobSpec, Sink, Written};
use crate::core::error::{LangError, polars_error};
use crate::core::io::{Format, SaveMode};
use crate::core::job::JobRows;
use crate::core::output::Watch;
use crate::core::value::Frame;
use crate::exec::jobs::JobLog;

use super::files::FileCache;

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

/// Runs the write job; `Skipped` when mode `ignore` found existing output.
pub(super) fn write(
    jobs: &JobLog,
    files: &FileCache,
    cell: u32,
    frame: &Frame,
    sink: &Sink<'_>,
    watch: Watch<'_>,
) -> Result<Written, LangError> {
    let (target, span) = (sink.target, sink.span);
    recover_interrupted_writes(target);
    if refuse(sink)? {
        return Ok(Written::Skipped);
    }
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| io_error("cannot create", parent, e).at(span))?;
    let staging = sibling(target, "tmp");
    let staged = stage(jobs, files, cell, frame, sink, &staging, watch)
        .and_then(|()| publish(&staging, target, sink.mode));
    staged.map_err(|e| {
        let _ = fs::remove_dir_all(&staging);
        e.at(span)
    })?;
    Ok(Written::Done)
}

/// Tidies what a write killed midway left beside `target` (its process is gone, or it is
/// this process from before): staging folders are deleted, and old output that was moved
/// aside but never replaced is put back. A live writer in another process is left alone.
fn recover_interrupted_writes(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut leftovers: Vec<(PathBuf, &str)> = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        for tag in ["tmp", "old"] {
            let Some(rest) = file.strip_prefix(&format!(".{name}.{tag}-")) else {
                continue;
            };
            let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|pid| pid == std::process::id() || !process_alive(pid)) {
                leftovers.push((entry.path(), tag));
            }
        }
    }
    for (path, tag) in leftovers {
        if tag == "old" && !target.exists() && fs::rename(&path, target).is_ok() {
            tracing::warn!("restored {} from an interrupted write", target.display());
            continue;
        }
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        if removed.is_ok() {
            tracing::info!("removed {} left by an interrupted write", path.display());
        }
    }
}

/// Whether a process with that id exists (Linux's /proc; elsewhere assume it does, so
/// nothing is removed that might be in use).
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// What the save mode says about existing output: an error, or `true` to skip.
fn refuse(sink: &Sink<'_>) -> Result<bool, LangError> {
    let target = sink.target;
    let exists = target.exists();
    match sink.mode {
        SaveMode::ErrorIfExists if exists => Err(LangError::analysis(format!(
            "[PATH_ALREADY_EXISTS] Path {} already exists.",
            target.display()
        ))
        .at(sink.span)
        .with_hint("use .mode(\"overwrite\") to replace it or .mode(\"append\") to add to it")),
        SaveMode::Ignore if exists => Ok(true),
        // Appending part files needs a folder; never replace a plain file by one.
        SaveMode::Append if exists && !target.is_dir() => Err(LangError::analysis(format!(
            "[PATH_ALREADY_EXISTS] Path {} is a file; append adds part files to a folder.",
            target.display()
        ))
        .at(sink.span)
        .with_hint("write to a new path, or use .mode(\"overwrite\") to replace the file")),
        _ => Ok(false),
    }
}

fn file_format(sink: &Sink<'_>) -> Result<FileWriteFormat, LangError> {
    Ok(match sink.format {
        Format::Csv => {
            let serialize = SerializeOptions {
                separator: sink.options.separator(sink.span)?,
                ..SerializeOptions::default()
            };
            FileWriteFormat::Csv(CsvWriterOptions {
                include_header: sink.options.flag("header"),
                serialize_options: serialize.into(),
                ..CsvWriterOptions::default()
            })
        }
        Format::Parquet => FileWriteFormat::Parquet(Arc::new(ParquetWriteOptions::default())),
        Format::Json => FileWriteFormat::NDJson(NDJsonWriterOptions::default()),
    })
}

/// Streams the plan into a part file in `staging`, then marks it `_SUCCESS`: no full
/// collect, so memory stays flat.
fn stage(
    jobs: &JobLog,
    files: &FileCache,
    cell: u32,
    frame: &Frame,
    sink: &Sink<'_>,
    staging: &Path,
    watch: Watch<'_>,
) -> Result<(), LangError> {
    let format = sink.format.name();
    let file_format = file_format(sink)?;
    fs::create_dir(staging).map_err(|e| io_error("cannot create", staging, e))?;
    let part = staging.join(format!("part-00000-{}-c000.{format}", unique_suffix()));
    let destination = SinkDestination::File {
        target: SinkTarget::Path(PlRefPath::new(part.to_string_lossy().as_ref())),
    };
    let plan = frame
        .lf
        .clone()
        .sink(destination, file_format, UnifiedSinkArgs::default())
        .map_err(polars_error)?;
    let action = format!("write.{format}");
    let job = JobSpec {
        cell,
        action: &action,
        rows: JobRows::Unknown,
        plan: None,
    };
    super::run::run_job(jobs, files, job, plan, watch)?;
    fs::File::create(staging.join("_SUCCESS"))
        .map_err(|e| io_error("cannot create", staging, e))?;
    Ok(())
}

/// Puts complete output in place: a new folder, part files appended, or a swap that
/// deletes the old output only once the new is there.
fn publish(staging: &Path, target: &Path, mode: SaveMode) -> Result<(), LangError> {
    if !target.exists() {
        return fs::rename(staging, target)
            .map_err(|e| io_error("cannot move output to", target, e));
    }
    if mode == SaveMode::Append && target.is_dir() {
        for entry in fs::read_dir(staging).map_err(|e| io_error("cannot read", staging, e))? {
            let entry = entry.map_err(|e| io_error("cannot read", staging, e))?;
            let dest = target.join(entry.file_name());
            fs::rename(entry.path(), &dest)
                .map_err(|e| io_error("cannot move output to", &dest, e))?;
        }
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    let old = sibling(target, "old");
    fs::rename(target, &old).map_err(|e| io_error("cannot move aside", target, e))?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&old, target);
        return Err(io_error("cannot move output to", target, e));
    }
    // Freeing a big file's blocks takes ~0.3 s a GB (ext4). Its name goes now; a file still
    // open keeps its blocks until the last close, which a background thread does.
    let held = hold_open(&old);
    if old.is_dir() {
        let _ = fs::remove_dir_all(&old);
    } else {
        let _ = fs::remove_file(&old);
    }
    if !held.is_empty() {
        let _ = std::thread::Builder::new()
            .name("free-old-output".into())
            .spawn(move || drop(held));
    }
    Ok(())
}

/// Files under `path` big enough that freeing them takes a while (at most a few hundred,
/// to stay well inside the open-file limit), opened; nothing where an open file cannot be
/// deleted.
fn hold_open(path: &Path) -> Vec<fs::File> {
    const BIG: u64 = 16 << 20;
    const MOST: usize = 256;
    let mut held = Vec::new();
    if !cfg!(unix) {
        return held;
    }
    let mut pending = vec![path.to_path_buf()];
    while let Some(p) = pending.pop() {
        let Ok(meta) = fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = fs::read_dir(&p) {
                pending.extend(entries.flatten().map(|e| e.path()));
            }
        } else if meta.is_file() && meta.len() >= BIG {
            if let Ok(f) = fs::File::open(&p) {
                held.push(f);
            }
            if held.len() == MOST {
                break;
            }
        }
    }
    held
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overwritten_output_is_gone_at_once_and_its_big_files_freed_later() {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        fs::create_dir(&target).unwrap();
        let big = vec![b'x'; 16 << 20];
        fs::write(target.join("part-0.csv"), &big).unwrap();
        fs::write(target.join("_SUCCESS"), "").unwrap();
        let held = hold_open(&target);
        assert_eq!(held.len(), 1, "only files big enough to be slow to free");
        let staging = dir.path().join(".out.tmp-1");
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join("part-0.csv"), "new").unwrap();
        publish(&staging, &target, SaveMode::Overwrite).unwrap();
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "nothing but the new output is left");
        assert_eq!(
            fs::read_to_string(target.join("part-0.csv")).unwrap(),
            "new"
        );
        // The old data stays readable through a handle opened before: freed on close.
        let mut old = Vec::new();
        (&held[0]).read_to_end(&mut old).unwrap();
        assert_eq!(old.len(), big.len());
    }

    #[test]
    fn leftovers_of_a_killed_write_are_tidied_and_old_output_restored() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let dead = "4000000000-1a2b";
        // Killed while staging: the staging folder goes.
        fs::create_dir(&target).unwrap();
        fs::write(target.join("part-0.csv"), "old").unwrap();
        let staging = dir.path().join(format!(".out.tmp-{dead}"));
        fs::create_dir(&staging).unwrap();
        let aside = dir.path().join(format!(".out.old-{dead}"));
        fs::create_dir(&aside).unwrap();
        recover_interrupted_writes(&target);
        assert!(!staging.exists() && !aside.exists());
        assert_eq!(
            fs::read_to_string(target.join("part-0.csv")).unwrap(),
            "old"
        );
        // Killed between moving the old output aside and moving the new one in.
        fs::rename(&target, &aside).unwrap();
        recover_interrupted_writes(&target);
        assert_eq!(
            fs::read_to_string(target.join("part-0.csv")).unwrap(),
            "old"
        );
        // Another live process's staging folder is not touched.
        let live = dir.path().join(".out.tmp-1-abc");
        fs::create_dir(&live).unwrap();
        recover_interrupted_writes(&target);
        assert!(live.exists());
    }
}
