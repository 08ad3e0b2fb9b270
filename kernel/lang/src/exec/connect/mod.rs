//! The remote engine: plans go to a Spark Connect server as relations, results come
//! back as Arrow batches that Polars reads. The kernel keeps an empty frame of each
//! DataFrame's schema (the server's analysis), so that the API's local checks — columns,
//! types, completion — work unchanged; the data lives on the cluster.

mod build;
mod expression;
mod literal;
mod local_data;
mod model;
mod relation;

use std::collections::HashMap;
use std::io::Cursor;

use faisca_connect::proto::command::CommandType;
use faisca_connect::proto::plan::OpType;
use faisca_connect::proto::write_operation::{SaveMode as WireSaveMode, SaveType};
use faisca_connect::proto::{
    Command, CreateDataFrameViewCommand, Plan as WirePlan, Relation, WriteOperation,
};
use faisca_connect::{ConnectError, Endpoint, Session};
use polars::prelude::{
    AllowedOptimizations, DataFrame, IntoLazy, IpcStreamReader, LazyFrame, PolarsError, SerReader,
};

use crate::core::cache::Cached;
use crate::core::config::Config;
use crate::core::engine::{Engine, JobSpec, Sink, Source, Written};
use crate::core::error::{LangError, interrupted, polars_error};
use crate::core::io::SaveMode;
use crate::core::job::JobStatus;
use crate::core::output::Watch;
use crate::core::value::Frame;
use crate::core::views::Views;
use crate::exec::jobs::JobLog;
use crate::exec::polars::{CacheStore, PolarsEngine};

/// What a shadow frame says if the kernel tries to compute over it.
const REMOTE_ROWS: &str = "the rows of this DataFrame are on the Spark Connect server";

pub use build::unsupported;

/// A session on a Spark Connect server.
pub struct ConnectEngine {
    session: Session,
    /// Runs what the kernel computes itself over rows fetched from the server.
    local: PolarsEngine,
    version: String,
    jobs: JobLog,
    config: Config,
}

impl ConnectEngine {
    /// Connects to `url` (`sc://host:port/;params`), logging jobs to `jobs`.
    pub fn connect(url: &str, jobs: JobLog, config: Config) -> Result<ConnectEngine, LangError> {
        let endpoint = Endpoint::parse(url).map_err(|e| {
            LangError::new("PySparkValueError", e.to_string())
                .with_hint("a Spark Connect URL looks like sc://host:15002")
        })?;
        let (session, version) = Session::connect(endpoint).map_err(remote_error)?;
        Ok(ConnectEngine {
            session,
            local: PolarsEngine::new(jobs.clone(), CacheStore::default(), config.clone()),
            version,
            jobs,
            config,
        })
    }

    /// The server this session talks to.
    pub fn endpoint(&self) -> &Endpoint {
        self.session.endpoint()
    }

    /// Paths as the server should read them: a server on this machine sees the kernel's
    /// files, so `/data/...` resolves as it does locally; a remote one gets them as
    /// written.
    fn server_path(&self, path: &str) -> String {
        let host = self.session.endpoint().host.as_str();
        if matches!(host, "localhost" | "127.0.0.1" | "::1" | "[::1]") {
            self.config.resolve(path).to_string_lossy().into_owned()
        } else {
            path.to_string()
        }
    }

    fn relation(
        &self,
        plan: &std::sync::Arc<crate::core::plan::Plan>,
    ) -> Result<Relation, LangError> {
        relation::frame(plan, &|p| self.server_path(p))
    }

    fn execute(&self, op: OpType, cancelled: &dyn Fn() -> bool) -> Result<DataFrame, LangError> {
        self.execute_as(Session::operation_id(), op, cancelled)
    }

    /// [`Self::execute`] as the operation `operation_id`.
    fn execute_as(
        &self,
        operation_id: String,
        op: OpType,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<DataFrame, LangError> {
        let executed = self
            .session
            .execute(operation_id, WirePlan { op_type: Some(op) }, cancelled)
            .map_err(remote_error)?;
        let mut out: Option<DataFrame> = None;
        for batch in executed.batches {
            let df = IpcStreamReader::new(Cursor::new(batch))
                .finish()
                .map_err(polars_error)?;
            match &mut out {
                None => out = Some(df),
                Some(all) => {
                    all.vstack_mut(&df).map_err(polars_error)?;
                }
            }
        }
        Ok(out.unwrap_or_default())
    }

    /// An empty frame of the relation's schema, as the server analyses it. It refuses to
    /// run here: its rows are on the server.
    fn shadow(&self, rel: Relation) -> Result<LazyFrame, LangError> {
        let df = self.execute(OpType::Root(relation::limit(rel, 0)), &|| false)?;
        let opaque = AllowedOptimizations::default()
            & !AllowedOptimizations::PROJECTION_PUSHDOWN
            & !AllowedOptimizations::PREDICATE_PUSHDOWN
            & !AllowedOptimizations::SLICE_PUSHDOWN;
        Ok(df.lazy().map(
            |_| Err(PolarsError::ComputeError(REMOTE_ROWS.into())),
            opaque,
            None,
            Some("spark connect"),
        ))
    }

    fn command(&self, command: CommandType) -> Result<(), LangError> {
        let op = OpType::Command(Command {
            command_type: Some(command),
        });
        self.execute(op, &|| false).map(|_| ())
    }
}

/// A server error as the cell's error, with PySpark's exception class.
fn remote_error(e: ConnectError) -> LangError {
    if e.is_interrupt() {
        return interrupted();
    }
    LangError::new(&e.class, e.message)
}

impl Engine for ConnectEngine {
    fn describe(&self) -> String {
        format!(
            "Spark Connect at {} (Spark {})",
            self.session.endpoint(),
            self.version
        )
    }

    fn analyze(&self, lf: LazyFrame) -> Result<Frame, LangError> {
        crate::exec::polars::analyze(lf)
    }

    fn read(&self, source: &Source<'_>) -> Result<LazyFrame, LangError> {
        let options: HashMap<String, String> = source
            .options
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let schema = options.get("schema").cloned();
        let rel = relation::read_files(
            source.format.name(),
            vec![self.server_path(source.path)],
            options,
            schema,
        );
        self.shadow(rel).map_err(|e| e.at(source.span))
    }

    fn sql(&self, query: &str, _views: &Views) -> Result<LazyFrame, LangError> {
        // The session's views are on the server already (`register_view`).
        self.shadow(relation::sql(query))
    }

    fn run(
        &self,
        job: JobSpec<'_>,
        lf: LazyFrame,
        watch: Watch<'_>,
    ) -> Result<DataFrame, LangError> {
        let Some(plan) = job.plan else {
            // A query the kernel computes itself, over rows fetched from the server (a
            // chart's aggregation); one over the server's rows refuses to run here.
            return self.local.run(job, lf, watch).map_err(|e| {
                if e.message.contains(REMOTE_ROWS) {
                    unsupported(&format!("`{}`", job.action))
                } else {
                    e
                }
            });
        };
        let plan = std::sync::Arc::new(plan.clone());
        let rel = self.relation(&plan)?;
        // The jobs page shows the operation id, to find it in the server's own UI and logs.
        let operation = Session::operation_id();
        let running = self.jobs.start(
            job.cell,
            job.action,
            format!("Spark Connect operation {operation}: {plan}"),
        );
        let outcome = self.execute_as(operation, OpType::Root(rel), &|| (watch.cancel)());
        match &outcome {
            Ok(df) => {
                self.jobs
                    .finish(running, JobStatus::Succeeded, Some(df.height()), None);
            }
            Err(e) => {
                let status = if e.ename == "KeyboardInterrupt" {
                    JobStatus::Cancelled
                } else {
                    JobStatus::Failed
                };
                self.jobs.finish(running, status, None, Some(e.to_string()));
            }
        }
        outcome
    }

    fn fetch(
        &self,
        job: JobSpec<'_>,
        frame: &Frame,
        watch: Watch<'_>,
    ) -> Result<Option<DataFrame>, LangError> {
        let job = JobSpec {
            plan: Some(&frame.plan),
            ..job
        };
        self.run(job, frame.lf.clone(), watch).map(Some)
    }

    fn write(
        &self,
        cell: u32,
        frame: &Frame,
        sink: &Sink<'_>,
        _watch: Watch<'_>,
    ) -> Result<Written, LangError> {
        let rel = self.relation(&frame.plan)?;
        let mode = match sink.mode {
            SaveMode::ErrorIfExists => WireSaveMode::ErrorIfExists,
            SaveMode::Overwrite => WireSaveMode::Overwrite,
            SaveMode::Append => WireSaveMode::Append,
            SaveMode::Ignore => WireSaveMode::Ignore,
        };
        let path = sink.target.to_string_lossy().into_owned();
        let write = WriteOperation {
            input: Some(rel),
            source: Some(sink.format.name().to_string()),
            mode: mode as i32,
            options: sink
                .options
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            save_type: Some(SaveType::Path(path)),
            ..Default::default()
        };
        let action = format!("write.{}", sink.format.name());
        let running = self
            .jobs
            .start(cell, &action, format!("Spark Connect: {}", frame.plan));
        let outcome = self.command(CommandType::WriteOperation(write));
        let (status, error) = match &outcome {
            Ok(()) => (JobStatus::Succeeded, None),
            Err(e) => (JobStatus::Failed, Some(e.to_string())),
        };
        self.jobs.finish(running, status, None, error);
        outcome.map(|()| Written::Done).map_err(|e| e.at(sink.span))
    }

    fn explain(&self, frame: &Frame) -> Result<String, LangError> {
        let rel = self.relation(&frame.plan)?;
        let plan = WirePlan {
            op_type: Some(OpType::Root(rel)),
        };
        // Spark's ExplainMode: 1 is SIMPLE (the physical plan).
        self.session.explain(plan, 1).map_err(remote_error)
    }

    fn count_plan(&self, lf: LazyFrame) -> LazyFrame {
        lf.select([polars::prelude::len()
            .cast(polars::prelude::DataType::Int64)
            .alias("count")])
    }

    fn input_files(&self, _frame: &Frame) -> Result<Vec<String>, LangError> {
        Err(unsupported("inputFiles()"))
    }

    fn persist(&self, frame: &Frame, _name: &str, level: &str) -> Cached {
        // The server decides how to keep rows; the kernel records the request.
        Cached {
            id: usize::MAX,
            level: level.to_string(),
            lf: frame.lf.clone(),
        }
    }

    fn unpersist(&self, _id: usize) -> bool {
        false
    }

    fn clear_cache(&self) {}

    fn use_remote(&self, _url: &str) -> Result<String, LangError> {
        Err(LangError::new(
            "PySparkRuntimeError",
            "this session is connected already; restart the kernel to connect elsewhere",
        ))
    }

    fn speaks_spark_sql(&self) -> bool {
        true
    }

    fn register_view(&self, name: &str, frame: &Frame) -> Result<(), LangError> {
        let rel = self.relation(&frame.plan)?;
        self.command(CommandType::CreateDataframeView(
            CreateDataFrameViewCommand {
                input: Some(rel),
                name: name.to_string(),
                is_global: false,
                replace: true,
            },
        ))
    }
}
