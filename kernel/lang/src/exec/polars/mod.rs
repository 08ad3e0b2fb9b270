//! The local engine: lazy Polars plans, run on Polars' streaming engine.

mod cache;
mod files;
mod json_depth;
mod progress;
mod read;
mod run;
mod sql;
mod write;

use polars::prelude::{DataFrame, LazyFrame};

use crate::core::cache::Cached;
use crate::core::config::Config;
use crate::core::engine::{Engine, JobSpec, Sink, Source, Written};
use crate::core::error::{LangError, polars_error};
use crate::core::output::Watch;
use crate::core::plan::Plan;
use crate::core::value::{Frame, MAX_PLAN_DEPTH, plan_too_deep};
use crate::core::views::Views;
use crate::exec::jobs::JobLog;

pub use cache::CacheStore;

/// Polars on this machine; records every action in the job log and keeps cached
/// DataFrames in `cache`.
pub struct PolarsEngine {
    jobs: JobLog,
    cache: CacheStore,
    config: Config,
}

impl PolarsEngine {
    /// An engine that logs jobs to `jobs`, caches in `cache` and resolves paths with
    /// `config`.
    pub fn new(jobs: JobLog, cache: CacheStore, config: Config) -> Self {
        cache.files().set_budget(config.file_cache);
        PolarsEngine {
            jobs,
            cache,
            config,
        }
    }
}

impl Engine for PolarsEngine {
    fn describe(&self) -> String {
        "lazy Polars".into()
    }

    fn analyze(&self, lf: LazyFrame) -> Result<Frame, LangError> {
        analyze(lf)
    }

    fn read(&self, source: &Source<'_>) -> Result<LazyFrame, LangError> {
        read::read(&self.config, source)
    }

    fn sql(&self, query: &str, views: &Views) -> Result<LazyFrame, LangError> {
        sql::run_sql(query, views)
    }

    fn run(
        &self,
        job: JobSpec<'_>,
        lf: LazyFrame,
        watch: Watch<'_>,
    ) -> Result<DataFrame, LangError> {
        run::run_job(&self.jobs, self.cache.files(), job, lf, watch)
    }

    fn write(
        &self,
        cell: u32,
        frame: &Frame,
        sink: &Sink<'_>,
        watch: Watch<'_>,
    ) -> Result<Written, LangError> {
        write::write(&self.jobs, self.cache.files(), cell, frame, sink, watch)
    }

    fn explain(&self, frame: &Frame) -> Result<String, LangError> {
        let plan = frame.lf.describe_optimized_plan().map_err(polars_error)?;
        Ok(format!("== Optimized Plan (Polars) ==\n{plan}"))
    }

    fn count_plan(&self, lf: LazyFrame) -> LazyFrame {
        // A bare `len()` lets Polars count a CSV's lines without parsing it; elsewhere it
        // can trip Polars (a sum of lengths over a union as UInt128), so the cast stays.
        let bare = lf.clone().select([polars::prelude::len().alias("count")]);
        if bare
            .clone()
            .to_alp_optimized()
            .is_ok_and(|ir| run::counts_rows(&ir))
        {
            bare
        } else {
            lf.select([polars::prelude::len()
                .cast(polars::prelude::DataType::Int64)
                .alias("count")])
        }
    }

    fn input_files(&self, frame: &Frame) -> Result<Vec<String>, LangError> {
        let ir = frame.lf.clone().to_alp_optimized().map_err(polars_error)?;
        Ok(progress::Inputs::of(&ir).files())
    }

    fn persist(&self, frame: &Frame, name: &str, level: &str) -> Cached {
        self.cache
            .persist(frame.lf.clone(), frame.schema.clone(), name, level)
    }

    fn unpersist(&self, id: usize) -> bool {
        self.cache.unpersist(id)
    }

    fn clear_cache(&self) {
        self.cache.clear();
    }

    fn speaks_spark_sql(&self) -> bool {
        false
    }

    fn fetch(
        &self,
        _job: JobSpec<'_>,
        _frame: &Frame,
        _watch: Watch<'_>,
    ) -> Result<Option<DataFrame>, LangError> {
        Ok(None)
    }

    fn register_view(&self, _name: &str, _frame: &Frame) -> Result<(), LangError> {
        // The session's views are what Polars' SQL context reads.
        Ok(())
    }

    fn use_remote(&self, _url: &str) -> Result<String, LangError> {
        Err(LangError::new(
            "PySparkRuntimeError",
            "this session's engine is fixed to lazy Polars",
        ))
    }
}

/// Resolves a plan's schema, refusing plans past [`MAX_PLAN_DEPTH`].
pub fn analyze(mut lf: LazyFrame) -> Result<Frame, LangError> {
    // Count before Polars walks the plan recursively; shared subtrees count each time,
    // so this is at least the depth.
    let depth = (&lf.logical_plan)
        .into_iter()
        .take(MAX_PLAN_DEPTH + 1)
        .count();
    if depth > MAX_PLAN_DEPTH {
        return Err(plan_too_deep(depth));
    }
    let schema = lf.collect_schema().map_err(polars_error)?;
    // The session records the neutral plan of the call that asked for this.
    Ok(Frame {
        lf,
        schema,
        plan: Plan::leaf("DataFrame"),
        depth,
        storage: Default::default(),
    })
}
