//! Caching as Spark's `df.cache()`: a mark shared by every copy of one DataFrame (the call
//! marks `df` itself), and what the engine hands back to read the cached data.

use std::sync::{Arc, Mutex};

use polars::prelude::LazyFrame;

/// A cached DataFrame as the engine holds it.
#[derive(Clone)]
pub struct Cached {
    /// The engine's id for it (Storage tab, `unpersist`).
    pub id: usize,
    /// Spark's storage level name, e.g. `MEMORY_AND_DISK_DESER`.
    pub level: String,
    /// Reads the cached rows; the first action to run it materialises them.
    pub lf: LazyFrame,
}

/// Whether (and where) a DataFrame is cached; cloning shares it.
#[derive(Clone, Default)]
pub struct Storage(Arc<Mutex<Option<Cached>>>);

impl Storage {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Cached>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// The cache, if the DataFrame is marked.
    pub fn get(&self) -> Option<Cached> {
        self.lock().clone()
    }
    /// Marks the DataFrame (`Some`) or clears the mark (`None`), returning the old one.
    pub fn set(&self, cached: Option<Cached>) -> Option<Cached> {
        std::mem::replace(&mut *self.lock(), cached)
    }
}

/// One cached DataFrame as the Storage tab lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheInfo {
    /// The engine's id.
    pub id: usize,
    /// What was cached: a view's name or the DataFrame's columns.
    pub name: String,
    /// Spark's storage level name.
    pub level: String,
    /// Rows and bytes in memory, once an action materialised it.
    pub materialised: Option<(usize, u64)>,
}

/// Columns of a file kept in memory after an action parsed them (the Storage tab).
#[derive(Debug, Clone, PartialEq)]
pub struct KeptFile {
    /// The files read (one, or a folder's part files).
    pub files: Vec<String>,
    /// The columns kept.
    pub columns: Vec<String>,
    /// Rows kept.
    pub rows: usize,
    /// Bytes in memory.
    pub bytes: u64,
    /// Actions that read them instead of parsing the file.
    pub reads: usize,
}
