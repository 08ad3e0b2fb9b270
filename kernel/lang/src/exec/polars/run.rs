//! Running a plan as a job: on its own thread, on the streaming engine, interruptible.

use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use polars::prelude::*;

use crate::core::engine::JobSpec;
use crate::core::error::{LangError, interrupted, polars_error};
use crate::core::job::{JobRows, JobStatus, Progress};
use crate::core::output::Watch;
use crate::exec::jobs::JobLog;

use polars_plan::prelude::{DslPlan, FunctionIR, IR, IRPlan, Node};

use super::files::{FileCache, Fill, Plan, Swapped};
use super::progress::Inputs;

/// A job's first progress report comes after this long (when the frontend's line may
/// appear); fast jobs never measure.
const REPORT_AFTER: Duration = Duration::from_millis(500);
/// Then one report this often.
const REPORT_EVERY: Duration = Duration::from_millis(250);
/// How often the bytes read are measured: `/proc/self/smaps` walks the page tables of every
/// mapping, ~15 ms for a 700 MB file; sampled every 250 ms it took 3.6 % of a 10M-row
/// group-by's CPU (perf).
const MEASURE_EVERY: Duration = Duration::from_secs(1);

/// How a query thread ended.
enum QueryOutcome<T = DataFrame> {
    Done(PolarsResult<T>),
    Aborted,
    Broken(String),
}

/// Runs `lf` as a job, polling `watch.cancel` and reporting progress to `watch.report`
/// (and the job log); records it in `jobs` with the row count `spec.rows` says. Files
/// kept in `files` are read from memory.
pub(super) fn run_job(
    jobs: &JobLog,
    files: &FileCache,
    spec: JobSpec<'_>,
    lf: LazyFrame,
    watch: Watch<'_>,
) -> Result<DataFrame, LangError> {
    let reuse = files.plan(&lf);
    let (plan, inputs, first) = match lf.clone().to_alp_optimized() {
        Ok(ir) => (ir.describe(), Inputs::of(&ir), engine_for(&ir)),
        Err(e) => (
            format!("(plan unavailable: {e})"),
            Inputs::default(),
            Engine::Streaming,
        ),
    };
    let plan = match reuse.is_empty() {
        true => plan,
        false => format!("{plan}\n{}", reuse.describe()),
    };
    let job = jobs.start(spec.cell, spec.action, plan);
    let started = Instant::now();
    let progress = |bytes_read: u64, end: Option<(JobStatus, Option<usize>)>| Progress {
        job: job.id(),
        action: spec.action.to_string(),
        elapsed: started.elapsed(),
        bytes_read,
        bytes_total: inputs.total,
        end,
    };
    let mut next_report = REPORT_AFTER;
    let mut next_measure = REPORT_AFTER;
    let mut bytes_read = 0;
    let (tx, rx) = std::sync::mpsc::channel();
    let ticket = reuse.ticket();
    let abandon = files.clone();
    let files = files.clone();
    std::thread::Builder::new()
        .name(format!("job-{}", spec.action))
        // Planning recurses over the expression tree; deep (bounded) trees need room.
        .stack_size(256 << 20)
        .spawn(move || {
            let _ = tx.send(collect_reusing(&files, reuse, lf, first));
        })
        .map_err(|e| LangError::new("RuntimeError", format!("cannot start job: {e}")))?;
    let outcome = loop {
        match rx.recv_timeout(Duration::from_millis(10)) {
            Ok((outcome, reused)) => {
                if reused.bytes > 0 {
                    jobs.in_memory(&job, reused.bytes);
                }
                if let Some(how) = reused.how {
                    jobs.add_to_plan(&job, how);
                }
                break outcome;
            }
            // The query thread is abandoned; its result is dropped when it ends.
            Err(RecvTimeoutError::Timeout) if (watch.cancel)() => {
                abandon.abandon(ticket);
                break QueryOutcome::Aborted;
            }
            Err(RecvTimeoutError::Timeout) => {
                if started.elapsed() >= next_report {
                    if started.elapsed() >= next_measure {
                        // The mappings come and go as Polars moves through the files.
                        bytes_read = bytes_read.max(inputs.mapped());
                        next_measure = started.elapsed() + MEASURE_EVERY;
                    }
                    jobs.progress(&job, bytes_read, inputs.total);
                    watch.report.report(&progress(bytes_read, None));
                    next_report = started.elapsed() + REPORT_EVERY;
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                break QueryOutcome::Broken("the query thread stopped".into());
            }
        }
    };
    let (status, rows, result) = match outcome {
        QueryOutcome::Done(Ok(df)) => {
            let shown = match spec.rows {
                JobRows::All => Some(df.height()),
                JobRows::AtMost(n) => Some(df.height().min(n)),
                JobRows::Unknown => None,
            };
            (JobStatus::Succeeded, shown, Ok(df))
        }
        QueryOutcome::Aborted => (JobStatus::Cancelled, None, Err(interrupted())),
        QueryOutcome::Done(Err(e)) => (JobStatus::Failed, None, Err(polars_error(e))),
        QueryOutcome::Broken(panic) => (JobStatus::Failed, None, Err(engine_failure(&panic))),
    };
    let error = match (&result, status) {
        (Err(_), JobStatus::Cancelled) => Some("interrupted".to_string()),
        (Err(e), _) => Some(e.to_string()),
        _ => None,
    };
    jobs.progress(&job, bytes_read, inputs.total);
    watch
        .report
        .report(&progress(bytes_read, Some((status, rows))));
    jobs.finish(job, status, rows, error);
    result
}

/// The engine a plan runs on first: streaming, except a row count of a CSV file, which
/// the in-memory engine answers by counting lines without parsing them (Polars rewrites
/// `select(len())` over a CSV scan into a fast count only that engine runs).
/// `FAISCA_ENGINE=in-memory` picks the in-memory engine for every plan, for comparing.
fn engine_for(ir: &IRPlan) -> Engine {
    if std::env::var("FAISCA_ENGINE").as_deref() == Ok("in-memory") {
        return Engine::InMemory;
    }
    if counts_rows(ir) {
        Engine::InMemory
    } else {
        Engine::Streaming
    }
}

/// Whether Polars rewrote the plan into a count of a CSV file's lines.
pub(super) fn counts_rows(ir: &IRPlan) -> bool {
    (0..ir.lp_arena.len()).any(|i| {
        matches!(
            ir.lp_arena.get(Node(i)),
            IR::MapFunction {
                function: FunctionIR::FastCount { .. },
                ..
            }
        )
    })
}

impl<T> From<PolarsError> for QueryOutcome<T> {
    fn from(e: PolarsError) -> Self {
        QueryOutcome::Done(Err(e))
    }
}

/// What a job read from memory, and how it parsed the columns it kept.
#[derive(Default)]
struct Reused {
    bytes: u64,
    how: Option<&'static str>,
}

const KEPT_IN_ONE_PASS: &str = "(kept from the query's own parse)";
const KEPT_BEFORE: &str = "(parsed before the query: Polars could not share the scan)";

/// Collects `lf` reading the files `reuse` names from memory, parsing and keeping the
/// others it says to; with what it read from memory. Should the plan fail over the
/// in-memory scans, it runs again over the files: the kept columns are an optimisation,
/// never a new way to fail.
fn collect_reusing(
    files: &FileCache,
    reuse: Plan,
    lf: LazyFrame,
    first: Engine,
) -> (QueryOutcome, Reused) {
    let none = Reused::default;
    if reuse.is_empty() {
        return (collect(lf, first), none());
    }
    let (mut swapped, fills) = match files.supply(reuse) {
        Ok(supplied) => supplied,
        Err(e) => return (e.into(), none()),
    };
    let optimizations = lf.get_current_optimizations();
    // A LazyFrame without Polars' cached arenas, so the scans are resolved anew.
    let fresh = LazyFrame::from(lf.logical_plan.clone()).with_optimizations(optimizations);
    // The files get their scans back (dropping `swapped`) before the plan reads them.
    let from_files = |swapped: Swapped, why: &str| {
        drop(swapped);
        tracing::warn!("{why}; reading the files");
        (collect(lf.clone(), first), none())
    };
    let mut how = None;
    if !fills.is_empty() {
        // The query and the columns to keep in one run, one parse of each file feeding
        // both (Polars' common subplan elimination, as in its `collect_all`): the first
        // action costs what it costs without keeping.
        let mut plans = vec![fresh.logical_plan.clone()];
        plans.extend(fills.iter().map(|f| f.read().logical_plan));
        let together = LazyFrame::from(DslPlan::SinkMultiple { inputs: plans })
            .with_optimizations(optimizations);
        let shared = together
            .clone()
            .to_alp_optimized()
            .is_ok_and(|ir| swapped.covers(&ir) && Fill::share_scans(&fills, &ir));
        if shared {
            return match collect_all(together, first) {
                QueryOutcome::Done(Ok(mut results)) => {
                    let result = results.remove(0);
                    for (fill, parsed) in fills.into_iter().zip(results) {
                        if let Err(e) = swapped.keep(fill, parsed, false) {
                            tracing::warn!("columns not kept: {e}");
                        }
                    }
                    let reused = Reused {
                        bytes: swapped.bytes,
                        how: Some(KEPT_IN_ONE_PASS),
                    };
                    (QueryOutcome::Done(Ok(result)), reused)
                }
                QueryOutcome::Aborted => (QueryOutcome::Aborted, none()),
                QueryOutcome::Done(Err(e)) => {
                    from_files(swapped, &format!("the plan failed keeping columns ({e})"))
                }
                QueryOutcome::Broken(panic) => from_files(
                    swapped,
                    &format!("the plan failed keeping columns ({panic})"),
                ),
            };
        }
        // Polars would parse each file twice: parse and keep first, then query memory.
        for fill in fills {
            let parsed = match collect(fill.read(), Engine::Streaming) {
                QueryOutcome::Done(Ok(df)) => df,
                other => return (other, none()),
            };
            if let Err(e) = swapped.keep(fill, parsed, true) {
                return (e.into(), none());
            }
            how = Some(KEPT_BEFORE);
        }
    }
    if !fresh
        .clone()
        .to_alp_optimized()
        .is_ok_and(|ir| swapped.covers(&ir))
    {
        return from_files(swapped, "the plan needs columns that were not kept");
    }
    match collect(fresh, first) {
        QueryOutcome::Done(Err(e)) => {
            from_files(swapped, &format!("the plan failed over kept columns ({e})"))
        }
        QueryOutcome::Broken(panic) => from_files(
            swapped,
            &format!("the plan failed over kept columns ({panic})"),
        ),
        outcome => {
            let bytes = swapped.bytes;
            (outcome, Reused { bytes, how })
        }
    }
}

/// Collects on `first`; if the streaming engine hits one of its own bugs (a panic), the
/// in-memory engine runs the plan instead.
fn collect(lf: LazyFrame, first: Engine) -> QueryOutcome {
    // One plan gives one result; `Multiple` only comes from multi-sink plans.
    run_on(lf, first, |lf, engine| {
        lf.collect_with_engine(engine).map(|r| r.unwrap_single())
    })
}

/// [`collect`] for a multi-sink plan: a result per sink.
fn collect_all(lf: LazyFrame, first: Engine) -> QueryOutcome<Vec<DataFrame>> {
    run_on(lf, first, |lf, engine| {
        lf.collect_with_engine(engine).map(|r| r.unwrap_multiple())
    })
}

/// Runs `collect` on `first`, on the in-memory engine should streaming panic; catching
/// aborts and panics.
fn run_on<T>(
    lf: LazyFrame,
    first: Engine,
    collect: impl Fn(LazyFrame, Engine) -> PolarsResult<T>,
) -> QueryOutcome<T> {
    // Polars checks its abort flag as the streaming engine polls its tasks; an interrupt
    // sets it (`abort_running_queries`) and the query unwinds to here.
    let run = |engine: Engine| {
        let lf = lf.clone();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            polars::error::abort::catch_polars_abort(std::panic::AssertUnwindSafe(|| {
                collect(lf, engine)
            }))
        }))
    };
    let caught = match run(first) {
        Err(panic) if first == Engine::Streaming => {
            tracing::warn!(
                "streaming engine failed ({}); retrying in memory",
                panic_text(panic.as_ref())
            );
            run(Engine::InMemory)
        }
        ok => ok,
    };
    match caught {
        Ok(Ok(result)) => QueryOutcome::Done(result),
        Ok(Err(_aborted)) => QueryOutcome::Aborted,
        Err(panic) => QueryOutcome::Broken(panic_text(panic.as_ref())),
    }
}

/// Collects on the streaming engine, falling back to the in-memory one where it panics;
/// for work inside another job (filling a cache), whose own job reports the outcome.
pub(super) fn collect_streaming(lf: LazyFrame) -> PolarsResult<DataFrame> {
    match collect(lf, Engine::Streaming) {
        QueryOutcome::Done(result) => result,
        QueryOutcome::Aborted => Err(polars_err!(ComputeError: "interrupted")),
        QueryOutcome::Broken(panic) => Err(polars_err!(ComputeError: "{panic}")),
    }
}

/// A panic inside the engine under Spark's names: arithmetic overflow as Spark reports it
/// with ANSI mode, a failed allocation as a `MemoryError`, anything else as an internal
/// error — never the raw panic text alone.
fn engine_failure(panic: &str) -> LangError {
    if panic.contains("overflow") && panic.contains("attempt to") {
        return LangError::new(
            "ArithmeticException",
            format!(
                "[ARITHMETIC_OVERFLOW] {panic}. Use 'try_' functions or a wider type to tolerate overflow."
            ),
        );
    }
    if panic.contains("capacity overflow") || panic.contains("memory allocation") {
        return LangError::new(
            "MemoryError",
            format!("the query needs more memory than it can get ({panic})"),
        )
        .with_hint("use limit(n), a filter, or write the result to a file");
    }
    LangError::new(
        "SparkException",
        format!("[INTERNAL_ERROR] the query engine failed: {panic}"),
    )
    .with_hint("this is a bug in the engine, not in your code; the session's variables are intact")
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_columns_come_from_the_querys_own_parse_or_else_a_parse_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let rows: String = (0..1000).map(|i| format!("{i},c{}\n", i % 3)).collect();
        std::fs::write(&path, format!("a,b\n{rows}")).unwrap();
        let lf = LazyCsvReader::new(PlRefPath::new(path.to_str().unwrap()))
            .with_has_header(true)
            .finish()
            .unwrap()
            .group_by([col("b")])
            .agg([len()])
            .sort(["b"], Default::default());
        // Without common subplan elimination Polars would parse the file twice.
        for (shared, how) in [(true, KEPT_IN_ONE_PASS), (false, KEPT_BEFORE)] {
            let cache = FileCache::default();
            cache.set_budget(1 << 20);
            let lf = lf.clone().with_comm_subplan_elim(shared);
            let (outcome, reused) =
                collect_reusing(&cache, cache.plan(&lf), lf.clone(), Engine::Streaming);
            let QueryOutcome::Done(Ok(df)) = outcome else {
                panic!("the query failed")
            };
            assert_eq!(df.column("len").unwrap().u32().unwrap().get(0), Some(334));
            assert_eq!(reused.how, Some(how));
            let kept = cache.snapshot();
            assert_eq!(kept[0].columns, ["b"]);
            assert_eq!(kept[0].rows, 1000);
        }
    }
}
