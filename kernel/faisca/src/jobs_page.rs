//! The jobs page, Spark's Web UI in miniature: every action with its status and plan.
//! Read-only; served on the kernel's runtime on the first free port from 4040.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html as HtmlPage, IntoResponse, Json};
use axum::routing::get;
use faisca_lang::present::html::Html;
use faisca_lang::present::jobs::{job_detail, jobs_table};
use faisca_lang::{Job, JobLog};
use serde_json::json;

/// Binds the first free port from `FAISCA_UI_PORT` (default 4040) and serves the page.
/// `FAISCA_UI=off` disables it. Returns the page's address.
pub async fn serve(ip: &str, jobs: JobLog) -> anyhow::Result<Option<String>> {
    if std::env::var("FAISCA_UI").is_ok_and(|v| v == "off" || v == "0") {
        return Ok(None);
    }
    let first: u16 = std::env::var("FAISCA_UI_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(4040);
    let mut bound = None;
    for port in first..first.saturating_add(100) {
        if let Ok(listener) = tokio::net::TcpListener::bind((ip, port)).await {
            bound = Some((listener, port));
            break;
        }
    }
    let Some((listener, port)) = bound else {
        anyhow::bail!("no free port in {first}..{}", first.saturating_add(100));
    };
    let app = router(jobs);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!("jobs page stopped: {e}");
        }
    });
    let host = if ip == "0.0.0.0" || ip == "::" {
        "localhost"
    } else {
        ip
    };
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    Ok(Some(format!("http://{host}:{port}/")))
}

pub fn router(jobs: JobLog) -> Router {
    let allowed = AllowedHosts::from_env();
    Router::new()
        .route("/", get(index))
        .route("/jobs/", get(index))
        .route("/jobs/{id}", get(detail))
        .route("/api/jobs", get(api))
        .with_state(jobs)
        .layer(axum::middleware::from_fn(move |request, next| {
            check_host(allowed.clone(), request, next)
        }))
}

/// Which `Host` headers the page answers. A DNS-rebinding page reaches us under its own
/// domain name, so only IP literals, `localhost` and names listed in
/// `FAISCA_UI_ALLOWED_HOSTS` (comma-separated, e.g. a container's name) are served, as
/// Jupyter Server does.
#[derive(Clone)]
struct AllowedHosts(std::sync::Arc<Vec<String>>);

impl AllowedHosts {
    fn from_env() -> Self {
        let names = std::env::var("FAISCA_UI_ALLOWED_HOSTS").unwrap_or_default();
        AllowedHosts(std::sync::Arc::new(
            names
                .split(',')
                .map(|n| n.trim().to_ascii_lowercase())
                .filter(|n| !n.is_empty())
                .collect(),
        ))
    }

    fn allows(&self, host_header: &str) -> bool {
        let host = host_header.trim().to_ascii_lowercase();
        // Strip the port: `[::1]:4040`, `127.0.0.1:4040`, `localhost:4040`.
        let name = if let Some(rest) = host.strip_prefix('[') {
            rest.split(']').next().unwrap_or("")
        } else {
            host.rsplit_once(':')
                .map_or(host.as_str(), |(name, _)| name)
        };
        name.parse::<std::net::IpAddr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
            || self.0.iter().any(|allowed| allowed == name)
    }
}

async fn check_host(
    allowed: AllowedHosts,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let host = request
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if allowed.allows(host) {
        next.run(request).await
    } else {
        tracing::warn!("jobs page: refused a request for host {host:?}");
        (
            StatusCode::FORBIDDEN,
            "Host not allowed: open the jobs page by IP address or localhost, \
             or list the name in FAISCA_UI_ALLOWED_HOSTS.\n",
        )
            .into_response()
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f4f4f4}.SUCCEEDED{color:#1a7f37}.FAILED{color:#cf222e}.RUNNING{color:#9a6700}.CANCELLED{color:#57606a}pre{background:#f6f8fa;padding:1em;overflow:auto}";

/// A whole page around `body`, built with the language's one HTML builder.
fn page(title: &str, body: Html, refresh: bool) -> HtmlPage<String> {
    let mut h = Html::new();
    h.doctype();
    h.open("html", &[])
        .open("head", &[])
        .void("meta", &[("charset", "utf-8")]);
    if refresh {
        h.void("meta", &[("http-equiv", "refresh"), ("content", "2")]);
    }
    h.elem("title", title)
        .style(STYLE)
        .close()
        .open("body", &[]);
    h.elem("h1", &format!("⚡ Faísca — {title}")).append(body);
    HtmlPage(h.finish())
}

async fn index(State(jobs): State<JobLog>) -> HtmlPage<String> {
    let all = jobs.snapshot();
    let mut body = Html::new();
    body.elem(
        "p",
        &format!(
            "{} job(s). Transformations are lazy: only actions (show, count, collect, write, %%sql…) appear here.",
            all.len()
        ),
    );
    let table = jobs_table(&all, Some(""));
    body.append(table);
    page("Jobs", body, true)
}

async fn detail(State(jobs): State<JobLog>, Path(id): Path<usize>) -> impl IntoResponse {
    let mut body = Html::new();
    body.open("p", &[])
        .elem_with("a", &[("href", "/")], "All jobs")
        .close();
    match jobs.get(id) {
        None => {
            body.elem("p", &format!("No job {id}."));
            (StatusCode::NOT_FOUND, page("Job not found", body, false))
        }
        Some(j) => {
            body.append(job_detail(&j));
            let running = j.status == faisca_lang::JobStatus::Running;
            (
                StatusCode::OK,
                page(&format!("Job {}", j.id), body, running),
            )
        }
    }
}

fn job_json(j: &Job) -> serde_json::Value {
    json!({
        "id": j.id,
        "cell": j.cell,
        "action": j.action,
        "status": j.status.as_str(),
        "started_at": j.started_at.to_rfc3339(),
        "duration_ms": j.duration_ms,
        "rows": j.rows,
        "plan": j.plan,
        "error": j.error,
    })
}

async fn api(State(jobs): State<JobLog>) -> Json<serde_json::Value> {
    Json(json!(
        jobs.snapshot().iter().map(job_json).collect::<Vec<_>>()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get_text(url: &str) -> (u16, String) {
        let rest = url.trim_start_matches("http://");
        let host = rest.split_once('/').unwrap().0;
        get_with_host(url, host).await
    }

    async fn get_with_host(url: &str, host_header: &str) -> (u16, String) {
        // A tiny HTTP/1.0 client keeps test dependencies down.
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let rest = url.trim_start_matches("http://");
        let (host, path) = rest.split_once('/').unwrap();
        let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
        stream
            .write_all(format!("GET /{path} HTTP/1.0\r\nHost: {host_header}\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut buf = String::new();
        stream.read_to_string(&mut buf).await.unwrap();
        let status = buf.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, buf)
    }

    #[tokio::test]
    async fn lists_jobs_escapes_and_serves_details() {
        let jobs = JobLog::new();
        let job = jobs.start(3, "show", "SELECT <script>".into());
        jobs.finish(job, faisca_lang::JobStatus::Succeeded, Some(4), None);
        // SAFETY of the environment: tests in this module do not read FAISCA_UI*.
        let url = serve("127.0.0.1", jobs.clone()).await.unwrap().unwrap();
        let second = serve("127.0.0.1", jobs.clone()).await.unwrap().unwrap();
        assert_ne!(url, second, "each kernel takes the next free port");
        let (status, body) = get_text(&url).await;
        assert_eq!(status, 200);
        assert!(
            body.contains("data-action=\"show\"") && body.contains("SUCCEEDED"),
            "{body}"
        );
        let (status, body) = get_text(&format!("{url}jobs/0")).await;
        assert_eq!(status, 200);
        assert!(body.contains("SELECT &lt;script&gt;"), "{body}");
        let (status, _) = get_text(&format!("{url}jobs/9")).await;
        assert_eq!(status, 404);
        let (_, body) = get_text(&format!("{url}api/jobs")).await;
        assert!(body.contains("\"rows\":4"), "{body}");
    }

    #[tokio::test]
    async fn a_dns_rebinding_host_is_refused() {
        let jobs = JobLog::new();
        let job = jobs.start(1, "count", "secret/path.csv".into());
        jobs.finish(job, faisca_lang::JobStatus::Succeeded, Some(1), None);
        let url = serve("127.0.0.1", jobs).await.unwrap().unwrap();
        for host in [
            "attacker.example",
            "attacker.example:4040",
            "127.0.0.1.nip.io",
            "",
        ] {
            let (status, body) = get_with_host(&format!("{url}api/jobs"), host).await;
            assert_eq!(status, 403, "Host {host:?}");
            assert!(!body.contains("secret"), "Host {host:?}: {body}");
        }
        for host in ["localhost:4040", "127.0.0.1", "[::1]:4040", "LOCALHOST"] {
            let (status, _) = get_with_host(&format!("{url}api/jobs"), host).await;
            assert_eq!(status, 200, "Host {host:?}");
        }
    }
}
