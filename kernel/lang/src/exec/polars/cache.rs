//! The session's cached DataFrames. A cached frame's plan is a placeholder that, when a job
//! first runs it, materialises the original plan in memory (on its own thread, so the
//! query running the placeholder never waits on itself); later jobs read the rows kept.
//! Once unpersisted, the placeholder computes the original plan again, as Spark does.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use polars::prelude::*;

use crate::core::cache::{CacheInfo, Cached, KeptFile};

use super::files::FileCache;

/// One cached DataFrame.
struct Slot {
    id: usize,
    name: String,
    level: String,
    /// Its rows, once materialised.
    rows: Option<DataFrame>,
}

/// A cheaply cloneable handle on the cached DataFrames and the files kept in memory,
/// shared with the jobs page.
#[derive(Clone, Default)]
pub struct CacheStore {
    slots: Arc<Mutex<Vec<Slot>>>,
    next: Arc<AtomicUsize>,
    files: FileCache,
}

impl CacheStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Slot>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers `source` for caching; returns what reads it.
    pub fn persist(&self, source: LazyFrame, schema: SchemaRef, name: &str, level: &str) -> Cached {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        self.lock().push(Slot {
            id,
            name: name.to_string(),
            level: level.to_string(),
            rows: None,
        });
        let store = self.clone();
        let empty = DataFrame::empty_with_schema(&schema);
        // The placeholder returns whole rows: nothing may be pushed into it.
        let opaque = AllowedOptimizations::default()
            & !AllowedOptimizations::PROJECTION_PUSHDOWN
            & !AllowedOptimizations::PREDICATE_PUSHDOWN
            & !AllowedOptimizations::SLICE_PUSHDOWN;
        let lf = empty.lazy().map(
            move |_| store.rows(id, &source),
            opaque,
            None,
            Some("cached"),
        );
        Cached {
            id,
            level: level.to_string(),
            lf,
        }
    }

    /// The rows of cache `id`, materialising them from `source` the first time (and every
    /// time once it is unpersisted).
    fn rows(&self, id: usize, source: &LazyFrame) -> PolarsResult<DataFrame> {
        if let Some(rows) = self
            .lock()
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.rows.clone())
        {
            return Ok(rows);
        }
        let source = source.clone();
        // Its own thread: the engine thread running the placeholder stays free.
        let rows = std::thread::Builder::new()
            .name("cache-fill".into())
            .stack_size(256 << 20)
            .spawn(move || super::run::collect_streaming(source))
            .map_err(|e| polars_err!(ComputeError: "cannot start the cache fill: {e}"))?
            .join()
            .map_err(|_| polars_err!(ComputeError: "the cache fill failed"))??;
        let mut rows = rows;
        rows.rechunk_mut_par();
        if let Some(slot) = self.lock().iter_mut().find(|s| s.id == id) {
            slot.rows = Some(rows.clone());
        }
        Ok(rows)
    }

    /// Forgets cache `id` and its rows; false if there was none.
    pub fn unpersist(&self, id: usize) -> bool {
        let mut slots = self.lock();
        let before = slots.len();
        slots.retain(|s| s.id != id);
        slots.len() != before
    }

    /// Forgets every cache, and the files kept in memory.
    pub fn clear(&self) {
        self.lock().clear();
        self.files.clear();
    }

    /// The files kept in memory, most recently used first, and their budget in bytes.
    pub fn kept_files(&self) -> (Vec<KeptFile>, u64) {
        (self.files.snapshot(), self.files.budget())
    }

    pub(super) fn files(&self) -> &FileCache {
        &self.files
    }

    /// What is cached, oldest first.
    pub fn snapshot(&self) -> Vec<CacheInfo> {
        self.lock()
            .iter()
            .map(|s| CacheInfo {
                id: s.id,
                name: s.name.clone(),
                level: s.level.clone(),
                materialised: s
                    .rows
                    .as_ref()
                    .map(|r| (r.height(), r.estimated_size() as u64)),
            })
            .collect()
    }
}
