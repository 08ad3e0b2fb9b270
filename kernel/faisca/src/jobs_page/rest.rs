//! JSON shaped like Spark's monitoring REST API (`/api/v1/...`), so tools that read a
//! Spark driver's UI read this kernel's; plus `/api/jobs`, the job log as it is.
//!
//! One kernel is one application with one attempt. A job is one action run as one stage of
//! one task (Polars parallelises inside it), so the task and stage counts are 0 or 1.

use std::collections::HashSet;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use chrono::{DateTime, Utc};
use faisca_lang::{Job, JobStatus};
use serde_json::{Value, json};

use super::PageState;

/// Spark's timestamps: `2026-11-25T23:20:01.123GMT`.
fn spark_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fGMT").to_string()
}

/// Spark's `JobExecutionStatus`; a cancelled job is a failed one there.
fn spark_status(s: JobStatus) -> &'static str {
    match s {
        JobStatus::Running => "RUNNING",
        JobStatus::Succeeded => "SUCCEEDED",
        JobStatus::Failed | JobStatus::Cancelled => "FAILED",
    }
}

/// One job as Spark's `JobData`.
fn job_data(j: &Job) -> Value {
    let running = j.status == JobStatus::Running;
    let done = !running as u32;
    let failed = matches!(j.status, JobStatus::Failed | JobStatus::Cancelled) as u32;
    let killed = (j.status == JobStatus::Cancelled) as u32;
    let mut data = json!({
        "jobId": j.id,
        "name": format!("{} at cell [{}]", j.action, j.cell),
        "description": j.action,
        "submissionTime": spark_time(j.started_at),
        "stageIds": [j.id],
        "jobTags": [],
        "status": spark_status(j.status),
        "numTasks": 1,
        "numActiveTasks": running as u32,
        "numCompletedTasks": done - failed,
        "numSkippedTasks": 0,
        "numFailedTasks": failed - killed,
        "numKilledTasks": killed,
        "numCompletedIndices": done - failed,
        "numActiveStages": running as u32,
        "numCompletedStages": done - failed,
        "numSkippedStages": 0,
        "numFailedStages": failed,
        "killedTasksSummary": if killed == 1 { json!({"interrupted": 1}) } else { json!({}) },
    });
    if let Some(ms) = j.duration_ms {
        let end = j.started_at + chrono::Duration::microseconds((ms * 1000.0) as i64);
        data["completionTime"] = json!(spark_time(end));
    }
    data
}

fn application_json(s: &PageState) -> Value {
    let app = &s.app;
    let now = Utc::now();
    json!({
        "id": app.id,
        "name": app.name,
        "attempts": [{
            "startTime": spark_time(app.started),
            // A live application has no end yet: Spark writes the epoch minus 1 ms.
            "endTime": "1969-12-31T23:59:59.999GMT",
            "lastUpdated": spark_time(now),
            "duration": (now - app.started).num_milliseconds(),
            "sparkUser": app.user,
            "completed": false,
            "appSparkVersion": format!("faisca-{}", env!("CARGO_PKG_VERSION")),
            "startTimeEpoch": app.started.timestamp_millis(),
            "endTimeEpoch": -1,
            "lastUpdatedEpoch": now.timestamp_millis(),
        }],
    })
}

/// Spark's answer for an application id it does not know.
fn unknown_app(id: &str) -> Response {
    (StatusCode::NOT_FOUND, format!("unknown app: {id}\n")).into_response()
}

/// The `status` values of `?status=running&status=succeeded` (Spark's filters, which
/// ignore case), upper-cased.
fn statuses(query: Option<&str>) -> HashSet<String> {
    query
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(k, _)| *k == "status")
        .map(|(_, v)| v.to_ascii_uppercase())
        .collect()
}

pub async fn applications(State(s): State<PageState>, RawQuery(query): RawQuery) -> Json<Value> {
    // The kernel's application is running; `?status=completed` lists nothing.
    let wanted = statuses(query.as_deref());
    if !wanted.is_empty() && !wanted.contains("RUNNING") {
        return Json(json!([]));
    }
    Json(json!([application_json(&s)]))
}

pub async fn application(State(s): State<PageState>, Path(app): Path<String>) -> Response {
    if app != s.app.id {
        return unknown_app(&app);
    }
    Json(application_json(&s)).into_response()
}

pub async fn jobs(
    State(s): State<PageState>,
    Path(app): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if app != s.app.id {
        return unknown_app(&app);
    }
    let wanted = statuses(query.as_deref());
    let all = s.jobs.snapshot();
    // Newest first, as Spark lists them.
    let listed: Vec<Value> = all
        .iter()
        .rev()
        .filter(|j| wanted.is_empty() || wanted.contains(spark_status(j.status)))
        .map(job_data)
        .collect();
    Json(json!(listed)).into_response()
}

pub async fn job(State(s): State<PageState>, Path((app, id)): Path<(String, usize)>) -> Response {
    if app != s.app.id {
        return unknown_app(&app);
    }
    match s.jobs.get(id) {
        Some(j) => Json(job_data(&j)).into_response(),
        None => (StatusCode::NOT_FOUND, format!("unknown job: {id}\n")).into_response(),
    }
}

pub async fn environment(State(s): State<PageState>, Path(app): Path<String>) -> Response {
    if app != s.app.id {
        return unknown_app(&app);
    }
    let pairs = |section: &str| -> Vec<[String; 2]> {
        s.app
            .environment
            .iter()
            .filter(|(title, _)| title == section)
            .flat_map(|(_, rows)| rows.iter().map(|(k, v)| [k.clone(), v.clone()]))
            .collect()
    };
    Json(json!({
        "runtime": {
            "javaVersion": "",
            "javaHome": "",
            "scalaVersion": "",
        },
        "sparkProperties": pairs("Configuration"),
        "hadoopProperties": [],
        "systemProperties": pairs("Runtime"),
        "metricsProperties": [],
        "classpathEntries": [],
        "resourceProfiles": [],
    }))
    .into_response()
}

/// Spark's description of a storage level.
fn level_description(level: &str) -> &'static str {
    match level {
        "MEMORY_AND_DISK_DESER" => "Disk Memory Deserialized 1x Replicated",
        _ => "Memory Deserialized 1x Replicated",
    }
}

pub async fn storage(State(s): State<PageState>, Path(app): Path<String>) -> Response {
    if app != s.app.id {
        return unknown_app(&app);
    }
    // Spark's `RDDStorageInfo`: one partition, in memory once materialised.
    let cached: Vec<Value> = s
        .cache
        .snapshot()
        .iter()
        .map(|c| {
            let (done, bytes) = c.materialised.map_or((0, 0), |(_, b)| (1, b));
            json!({
                "id": c.id,
                "name": c.name,
                "numPartitions": 1,
                "numCachedPartitions": done,
                "storageLevel": level_description(&c.level),
                "memoryUsed": bytes,
                "diskUsed": 0,
            })
        })
        .collect();
    Json(json!(cached)).into_response()
}

/// The job log in its own terms (fields Spark's shape has no place for: plan, rows, bytes).
pub async fn jobs_log(State(s): State<PageState>) -> Json<Value> {
    Json(json!(
        s.jobs
            .snapshot()
            .iter()
            .map(|j| json!({
                "id": j.id,
                "cell": j.cell,
                "action": j.action,
                "status": j.status.as_str(),
                "started_at": j.started_at.to_rfc3339(),
                "duration_ms": j.duration_ms,
                "rows": j.rows,
                "bytes_read": j.bytes_read,
                "bytes_total": j.bytes_total,
                "in_memory": j.in_memory,
                "plan": j.plan,
                "error": j.error,
            }))
            .collect::<Vec<_>>()
    ))
}

/// The files kept in memory for later actions, and the budget (`FAISCA_CACHE_MEMORY`).
pub async fn kept_files(State(s): State<PageState>) -> Json<Value> {
    let (kept, budget) = s.cache.kept_files();
    Json(json!({
        "budget": budget,
        "used": kept.iter().map(|k| k.bytes).sum::<u64>(),
        "files": kept
            .iter()
            .map(|k| json!({
                "files": k.files,
                "columns": k.columns,
                "rows": k.rows,
                "bytes": k.bytes,
                "reads": k.reads,
            }))
            .collect::<Vec<_>>(),
    }))
}
