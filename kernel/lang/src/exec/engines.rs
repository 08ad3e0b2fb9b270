//! The session's engine: local Polars until the notebook (or `SPARK_REMOTE` at start)
//! asks for a Spark Connect server; then every query goes there.

use std::sync::{Arc, Mutex, RwLock};

use polars::prelude::{DataFrame, LazyFrame};

use crate::core::cache::Cached;
use crate::core::config::Config;
use crate::core::engine::{Engine, JobSpec, Sink, Source, Written};
use crate::core::error::LangError;
use crate::core::output::Watch;
use crate::core::value::Frame;
use crate::core::views::Views;
use crate::exec::connect::ConnectEngine;
use crate::exec::jobs::JobLog;
use crate::exec::polars::PolarsEngine;

/// Local Polars, or a Spark Connect session once one is asked for.
pub struct Engines {
    local: PolarsEngine,
    remote: RwLock<Option<Arc<ConnectEngine>>>,
    /// `SPARK_REMOTE`: connected at the first query, so that the kernel starts at once
    /// and a server that is down is that cell's error.
    pending: Mutex<Option<String>>,
    jobs: JobLog,
    config: Config,
}

impl Engines {
    /// Starts local; `remote` (`SPARK_REMOTE`) is connected on first use.
    pub fn new(local: PolarsEngine, remote: Option<String>, jobs: JobLog, config: Config) -> Self {
        Engines {
            local,
            remote: RwLock::new(None),
            pending: Mutex::new(remote),
            jobs,
            config,
        }
    }

    /// The remote engine, connecting to a pending `SPARK_REMOTE` first.
    fn remote(&self) -> Result<Option<Arc<ConnectEngine>>, LangError> {
        if let Some(r) = self
            .remote
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            return Ok(Some(r.clone()));
        }
        let url = self
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match url {
            Some(url) => {
                self.connect(&url)?;
                *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = None;
                Ok(self
                    .remote
                    .read()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone())
            }
            None => Ok(None),
        }
    }

    fn connect(&self, url: &str) -> Result<String, LangError> {
        let engine = ConnectEngine::connect(url, self.jobs.clone(), self.config.clone())?;
        let shown = engine.describe();
        *self.remote.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(engine));
        Ok(shown)
    }

    /// The engine for this call, as a trait object.
    fn with<T>(&self, f: impl FnOnce(&dyn Engine) -> T) -> Result<T, LangError> {
        Ok(match self.remote()? {
            Some(r) => f(r.as_ref()),
            None => f(&self.local),
        })
    }
}

impl Engine for Engines {
    fn describe(&self) -> String {
        match self.remote() {
            Ok(Some(r)) => r.describe(),
            Ok(None) => self.local.describe(),
            Err(e) => format!("not connected: {e}"),
        }
    }

    fn analyze(&self, lf: LazyFrame) -> Result<Frame, LangError> {
        self.with(|e| e.analyze(lf))?
    }

    fn read(&self, source: &Source<'_>) -> Result<LazyFrame, LangError> {
        self.with(|e| e.read(source))?
    }

    fn sql(&self, query: &str, views: &Views) -> Result<LazyFrame, LangError> {
        self.with(|e| e.sql(query, views))?
    }

    fn run(
        &self,
        job: JobSpec<'_>,
        lf: LazyFrame,
        watch: Watch<'_>,
    ) -> Result<DataFrame, LangError> {
        self.with(|e| e.run(job, lf, watch))?
    }

    fn write(
        &self,
        cell: u32,
        frame: &Frame,
        sink: &Sink<'_>,
        watch: Watch<'_>,
    ) -> Result<Written, LangError> {
        self.with(|e| e.write(cell, frame, sink, watch))?
    }

    fn fetch(
        &self,
        job: JobSpec<'_>,
        frame: &Frame,
        watch: Watch<'_>,
    ) -> Result<Option<DataFrame>, LangError> {
        self.with(|e| e.fetch(job, frame, watch))?
    }

    fn explain(&self, frame: &Frame) -> Result<String, LangError> {
        self.with(|e| e.explain(frame))?
    }

    fn count_plan(&self, lf: LazyFrame) -> LazyFrame {
        match self.remote() {
            Ok(Some(r)) => r.count_plan(lf),
            _ => self.local.count_plan(lf),
        }
    }

    fn input_files(&self, frame: &Frame) -> Result<Vec<String>, LangError> {
        self.with(|e| e.input_files(frame))?
    }

    fn persist(&self, frame: &Frame, name: &str, level: &str) -> Cached {
        match self.remote() {
            Ok(Some(r)) => r.persist(frame, name, level),
            _ => self.local.persist(frame, name, level),
        }
    }

    fn unpersist(&self, id: usize) -> bool {
        match self.remote() {
            Ok(Some(r)) => r.unpersist(id),
            _ => self.local.unpersist(id),
        }
    }

    fn clear_cache(&self) {
        match self.remote() {
            Ok(Some(r)) => r.clear_cache(),
            _ => self.local.clear_cache(),
        }
    }

    fn use_remote(&self, url: &str) -> Result<String, LangError> {
        if let Some(r) = self.remote()? {
            // Running the cell again asks for the same server: nothing to do.
            if let Ok(endpoint) = faisca_connect::Endpoint::parse(url)
                && r.endpoint() == &endpoint
            {
                return Ok(r.describe());
            }
            return Err(LangError::new(
                "PySparkRuntimeError",
                format!(
                    "this session is connected to {} already; restart the kernel to connect elsewhere",
                    r.describe()
                ),
            ));
        }
        self.connect(url)
    }

    fn speaks_spark_sql(&self) -> bool {
        matches!(self.remote(), Ok(Some(_)))
    }

    fn register_view(&self, name: &str, frame: &Frame) -> Result<(), LangError> {
        self.with(|e| e.register_view(name, frame))?
    }
}
