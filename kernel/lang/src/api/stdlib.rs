//! The standard library notebooks reach for around PySpark calls: `tempfile` (a scratch
//! folder for a write and its read-back) and `os.path`'s helpers that only read.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::api::call::Call;
use crate::api::convert::as_str;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Module, Receiver, Value};

const TEMPFILE: &[Module] = &[Module::Tempfile];
const OS_PATH: &[Module] = &[Module::OsPath];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        TEMPFILE,
        "TemporaryDirectory(suffix: str|None = None, prefix: str|None = None, dir: str|None = None, ignore_cleanup_errors: bool = False, delete: bool = True) -> TemporaryDirectory",
        "A new empty folder; `with … as d:` binds its path and removes it at the end.",
        temporary_directory,
    ),
    Entry::function(
        TEMPFILE,
        "mkdtemp(suffix: str|None = None, prefix: str|None = None, dir: str|None = None) -> str",
        "A new empty folder's path (not removed).",
        mkdtemp,
    ),
    Entry::function(
        TEMPFILE,
        "gettempdir() -> str",
        "The folder temporary files go in.",
        gettempdir,
    ),
    Entry::property(
        Receiver::TemporaryDirectory,
        "name",
        "The folder's path.",
        name,
    ),
    Entry::method(
        Receiver::TemporaryDirectory,
        "cleanup() -> None",
        "Removes the folder and what is in it.",
        cleanup,
    ),
    Entry::function(
        OS_PATH,
        "join(path: str, *paths: str) -> str",
        "Paths joined with `/` (an absolute part starts over).",
        join,
    ),
    Entry::function(
        OS_PATH,
        "exists(path: str) -> bool",
        "Whether it exists.",
        exists,
    ),
    Entry::function(
        OS_PATH,
        "isdir(path: str) -> bool",
        "Whether it is a folder.",
        isdir,
    ),
    Entry::function(
        OS_PATH,
        "isfile(path: str) -> bool",
        "Whether it is a file.",
        isfile,
    ),
    Entry::function(
        OS_PATH,
        "basename(p: str) -> str",
        "The last part of a path.",
        basename,
    ),
    Entry::function(
        OS_PATH,
        "dirname(p: str) -> str",
        "All but the last part of a path.",
        dirname,
    ),
    Entry::function(
        OS_PATH,
        "abspath(path: str) -> str",
        "The path made absolute against the working folder.",
        abspath,
    ),
];

/// A fresh folder under `dir` (or the system's), named like Python's `tmp…`.
fn make_dir(call: &Call) -> Result<String, LangError> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let opt = |p: &str| -> Result<String, LangError> { Ok(call.opt_str(p)?.unwrap_or_default()) };
    let (suffix, prefix) = (opt("suffix")?, call.opt_str("prefix")?);
    let base = match call.opt_str("dir")? {
        Some(d) => d.into(),
        None => std::env::temp_dir(),
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    for _ in 0..100 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tag = format!("{:x}{:x}{n:x}", std::process::id(), nanos);
        let name = format!("{}{tag}{suffix}", prefix.as_deref().unwrap_or("tmp"));
        let path = base.join(name);
        match std::fs::create_dir(&path) {
            Ok(()) => return Ok(path.to_string_lossy().into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(
                    LangError::new("OSError", format!("{}: {e}", path.display())).at(call.span),
                );
            }
        }
    }
    Err(LangError::new("FileExistsError", "no usable temporary folder name").at(call.span))
}

fn temporary_directory(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::TempDir(Arc::new(make_dir(&call)?)))
}

fn mkdtemp(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Str(make_dir(&call)?))
}

fn gettempdir(_: &mut dyn Context, _: Call) -> Result<Value, LangError> {
    Ok(Value::Str(
        std::env::temp_dir().to_string_lossy().into_owned(),
    ))
}

fn name(_: &mut dyn Context, v: Value) -> Result<Value, LangError> {
    match v {
        Value::TempDir(path) => Ok(Value::Str(path.to_string())),
        other => Err(LangError::type_error(format!(
            "'{}' object has no attribute 'name'",
            other.type_name()
        ))),
    }
}

fn cleanup(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    if let Value::TempDir(path) = &call.this {
        let _ = std::fs::remove_dir_all(path.as_str());
    }
    Ok(Value::None)
}

fn join(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let mut out = call.str("path")?;
    for (p, span) in call.rest() {
        let p = as_str(p, *span)?;
        if p.starts_with('/') || out.is_empty() {
            out = p;
        } else if out.ends_with('/') {
            out.push_str(&p);
        } else {
            out = format!("{out}/{p}");
        }
    }
    Ok(Value::Str(out))
}

fn exists(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Bool(Path::new(&call.str("path")?).exists()))
}

fn isdir(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Bool(Path::new(&call.str("path")?).is_dir()))
}

fn isfile(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    Ok(Value::Bool(Path::new(&call.str("path")?).is_file()))
}

fn basename(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = call.str("p")?;
    Ok(Value::Str(p.rsplit('/').next().unwrap_or("").to_string()))
}

fn dirname(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = call.str("p")?;
    Ok(Value::Str(match p.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => p[..i].to_string(),
        None => String::new(),
    }))
}

fn abspath(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let p = call.str("path")?;
    let abs = std::path::absolute(&p)
        .map_err(|e| LangError::new("OSError", e.to_string()).at(call.span_of("path")))?;
    Ok(Value::Str(abs.to_string_lossy().into_owned()))
}
