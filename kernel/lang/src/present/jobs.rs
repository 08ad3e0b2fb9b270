//! The job table, shared by `%jobs` and the jobs page.

use super::html::Html;
use crate::core::config::human_bytes;
use crate::core::job::{Job, JobStatus};

/// What a job reads: `1.0 GiB`, `345.0 MiB of 1.0 GiB` while it runs, or
/// `80.0 MiB in memory` when it read kept columns instead of its files.
fn input(j: &Job) -> String {
    let size = |b: u64| human_bytes(u128::from(b));
    if let Some(bytes) = j.in_memory {
        return format!("{} in memory", size(bytes));
    }
    match (j.status, j.bytes_read, j.bytes_total) {
        (JobStatus::Running, Some(read), Some(total)) => {
            format!("{} of {}", size(read), size(total))
        }
        (_, _, Some(total)) => size(total),
        _ => "-".into(),
    }
}

/// `[3]`, `12.5 ms`, `-`: a job's cells as shown in both tables.
fn cells(j: &Job) -> [String; 6] {
    [
        j.id.to_string(),
        format!("[{}]", j.cell),
        j.action.clone(),
        j.started_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        j.duration_ms.map_or("…".into(), |d| format!("{d:.1} ms")),
        j.rows.map_or("-".into(), |r| r.to_string()),
    ]
}

/// The job log as an HTML table, newest first. With `page` (the jobs page's address,
/// `""` on the page itself) each id links to the job's detail page.
pub fn jobs_table(jobs: &[Job], page: Option<&str>) -> Html {
    let mut h = Html::new();
    h.open("table", &[("id", "jobs"), ("class", "faisca-jobs")])
        .open("thead", &[])
        .open("tr", &[]);
    for title in [
        "Job Id",
        "Cell",
        "Action",
        "Submitted",
        "Status",
        "Duration",
        "Rows",
        "Input",
    ] {
        h.elem("th", title);
    }
    h.close().close().open("tbody", &[]);
    for j in jobs.iter().rev() {
        let [id, cell, action, started, duration, rows] = cells(j);
        let status = j.status.as_str();
        h.open(
            "tr",
            &[
                ("class", "job"),
                ("data-job-id", &id),
                ("data-action", &action),
            ],
        );
        match page {
            Some(base) => {
                let href = format!("{}/jobs/{id}", base.trim_end_matches('/'));
                h.open("td", &[])
                    .elem_with("a", &[("href", &href)], &id)
                    .close();
            }
            None => {
                h.elem("td", &id);
            }
        }
        h.elem("td", &cell)
            .elem("td", &action)
            .elem("td", &started)
            .elem_with("td", &[("class", status)], status)
            .elem("td", &duration)
            .elem("td", &rows)
            .elem_with("td", &[("class", "input")], &input(j))
            .close();
    }
    if jobs.is_empty() {
        h.open("tr", &[])
            .elem_with("td", &[("colspan", "8")], EMPTY)
            .close();
    }
    h
}

const EMPTY: &str = "no jobs yet: transformations are lazy; an action such as show() runs one";

/// The plain-text twin of [`jobs_table`], oldest first.
pub fn jobs_text(jobs: &[Job]) -> String {
    let mut text = String::from("id  cell  action  status  duration  rows\n");
    for j in jobs {
        let [id, cell, action, _, duration, rows] = cells(j);
        text.push_str(&format!(
            "{id}  {cell}  {action}  {}  {duration}  {rows}\n",
            j.status.as_str()
        ));
    }
    if jobs.is_empty() {
        text.push_str(&format!("({EMPTY})\n"));
    }
    text
}

/// One job's detail: its fields, the error if any, and the optimized plan.
pub fn job_detail(j: &Job) -> Html {
    let [id, cell, action, started, duration, rows] = cells(j);
    let status = j.status.as_str();
    let mut h = Html::new();
    h.open("table", &[]);
    for (k, v) in [
        ("Job", id.as_str()),
        ("Cell", &cell),
        ("Action", &action),
        ("Submitted", &started),
    ] {
        h.open("tr", &[]).elem("th", k).elem("td", v).close();
    }
    h.open("tr", &[])
        .elem("th", "Status")
        .elem_with("td", &[("class", status)], status)
        .close();
    for (k, v) in [
        ("Duration", duration.as_str()),
        ("Rows", &rows),
        ("Input", &input(j)),
    ] {
        h.open("tr", &[]).elem("th", k).elem("td", v).close();
    }
    if let Some(e) = &j.error {
        h.open("tr", &[]).elem("th", "Error").elem("td", e).close();
    }
    h.close()
        .elem("h2", "Optimized plan")
        .elem_with("pre", &[("id", "plan")], &j.plan);
    h
}

/// Key/value sections (the jobs page's Environment tab): a heading and a table each.
pub fn sections_html(sections: &[(String, Vec<(String, String)>)]) -> Html {
    let mut h = Html::new();
    for (title, rows) in sections {
        h.elem("h2", title)
            .open("table", &[("class", "faisca-env")]);
        for (k, v) in rows {
            h.open("tr", &[]).elem("th", k).elem("td", v).close();
        }
        h.close();
    }
    h
}
