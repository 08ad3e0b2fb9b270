//! The page's HTML tabs, built with the language's one HTML builder.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html as HtmlPage, IntoResponse};
use faisca_lang::core::config::{human_bytes, thousands};
use faisca_lang::present::html::Html;
use faisca_lang::present::jobs::{job_detail, jobs_table, sections_html};
use faisca_lang::{CacheStore, JobStatus};

use super::PageState;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f4f4f4}.SUCCEEDED{color:#1a7f37}.FAILED{color:#cf222e}.RUNNING{color:#9a6700}.CANCELLED{color:#57606a}pre{background:#f6f8fa;padding:1em;overflow:auto}.tabs{display:flex;gap:.3em;border-bottom:2px solid #e36209;margin-bottom:1em}.tabs a{padding:.4em .9em;text-decoration:none;color:#222;border-radius:4px 4px 0 0}.tabs a.active{background:#e36209;color:white}";

/// The tabs, in order: (path, title).
const TABS: [(&str, &str); 3] = [
    ("/jobs/", "Jobs"),
    ("/storage/", "Storage"),
    ("/environment/", "Environment"),
];

/// Seconds between reloads: quick while a job runs, so its progress moves.
fn refresh(running: bool) -> &'static str {
    if running { "1" } else { "3" }
}

/// A whole page: head, tab bar with `tab` active, and `body`.
fn page(title: &str, tab: &str, body: Html, reload_every: Option<&str>) -> HtmlPage<String> {
    let mut h = Html::new();
    h.doctype();
    h.open("html", &[])
        .open("head", &[])
        .void("meta", &[("charset", "utf-8")]);
    if let Some(seconds) = reload_every {
        h.void("meta", &[("http-equiv", "refresh"), ("content", seconds)]);
    }
    h.elem("title", title)
        .style(STYLE)
        .close()
        .open("body", &[]);
    h.elem("h1", &format!("⚡ Faísca — {title}"));
    h.open("div", &[("class", "tabs"), ("role", "tablist")]);
    for (href, name) in TABS {
        let class = if name == tab { "active" } else { "" };
        h.elem_with(
            "a",
            &[("href", href), ("class", class), ("role", "tab")],
            name,
        );
    }
    h.close().append(body);
    HtmlPage(h.finish())
}

pub async fn jobs(State(s): State<PageState>) -> HtmlPage<String> {
    let all = s.jobs.snapshot();
    let running = all.iter().any(|j| j.status == JobStatus::Running);
    let mut body = Html::new();
    body.elem(
        "p",
        &format!(
            "{} job(s), {} running. Transformations are lazy: only actions (show, count, collect, write, %%sql…) appear here.",
            all.len(),
            all.iter().filter(|j| j.status == JobStatus::Running).count()
        ),
    );
    body.append(jobs_table(&all, Some("")));
    page("Jobs", "Jobs", body, Some(refresh(running)))
}

pub async fn job(State(s): State<PageState>, Path(id): Path<usize>) -> impl IntoResponse {
    let mut body = Html::new();
    body.open("p", &[])
        .elem_with("a", &[("href", "/jobs/")], "All jobs")
        .close();
    match s.jobs.get(id) {
        None => {
            body.elem("p", &format!("No job {id}."));
            (
                StatusCode::NOT_FOUND,
                page("Job not found", "Jobs", body, None),
            )
        }
        Some(j) => {
            body.append(job_detail(&j));
            let running = j.status == JobStatus::Running;
            let reload = running.then(|| refresh(true));
            (
                StatusCode::OK,
                page(&format!("Job {}", j.id), "Jobs", body, reload),
            )
        }
    }
}

pub async fn storage(State(s): State<PageState>) -> HtmlPage<String> {
    let cached = s.cache.snapshot();
    let mut body = Html::new();
    body.elem("h2", "Cached DataFrames");
    body.open("table", &[("id", "storage")]).open("tr", &[]);
    for title in ["Id", "Name", "Storage level", "Rows", "Size in memory"] {
        body.elem("th", title);
    }
    body.close();
    for c in &cached {
        let (rows, size) = match c.materialised {
            Some((rows, bytes)) => (thousands(rows as u64), human_bytes(u128::from(bytes))),
            None => ("-".into(), "not materialised yet".into()),
        };
        body.open("tr", &[("class", "cached")])
            .elem("td", &c.id.to_string())
            .elem("td", &c.name)
            .elem("td", &c.level)
            .elem("td", &rows)
            .elem("td", &size)
            .close();
    }
    if cached.is_empty() {
        body.open("tr", &[]).elem_with(
            "td",
            &[("colspan", "5")],
            "Nothing is cached: df.cache(), spark.catalog.cacheTable(name) or CACHE TABLE keep rows in memory from the first action on.",
        );
        body.close();
    }
    body.close();
    kept_files(&mut body, &s.cache);
    page("Storage", "Storage", body, None)
}

pub async fn environment(State(s): State<PageState>) -> HtmlPage<String> {
    let mut body = Html::new();
    body.append(sections_html(&s.app.environment));
    page("Environment", "Environment", body, None)
}

/// The files whose parsed columns later actions read from memory, and the budget.
fn kept_files(body: &mut Html, cache: &CacheStore) {
    let (kept, budget) = cache.kept_files();
    let used: u64 = kept.iter().map(|k| k.bytes).sum();
    body.elem("h2", "Files kept in memory");
    body.elem(
        "p",
        &format!(
            "{} of {} (FAISCA_CACHE_MEMORY): columns an action parsed from a file, read again by later actions while the file is unchanged; least recently used out.",
            human_bytes(u128::from(used)),
            human_bytes(u128::from(budget))
        ),
    );
    body.open("table", &[("id", "kept-files")]).open("tr", &[]);
    for title in [
        "File",
        "Columns",
        "Rows",
        "Size in memory",
        "Reads from memory",
    ] {
        body.elem("th", title);
    }
    body.close();
    for k in &kept {
        body.open("tr", &[("class", "kept")])
            .elem("td", &k.files.join(", "))
            .elem("td", &k.columns.join(", "))
            .elem("td", &thousands(k.rows as u64))
            .elem("td", &human_bytes(u128::from(k.bytes)))
            .elem("td", &k.reads.to_string())
            .close();
    }
    if kept.is_empty() {
        body.open("tr", &[]).elem_with(
            "td",
            &[("colspan", "5")],
            if budget == 0 {
                "Off: FAISCA_CACHE_MEMORY is 0."
            } else {
                "No file kept yet: an action that reads a whole file keeps the columns it parsed."
            },
        );
        body.close();
    }
    body.close();
}
