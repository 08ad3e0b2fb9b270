//! The jobs page, Spark's Web UI in miniature: jobs (running ones updating), each job's
//! plan and timing, storage, environment, and JSON shaped like Spark's monitoring REST
//! API. Read-only; served on the kernel's runtime on the first free port from 4040.

mod pages;
mod rest;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{DateTime, Utc};
use faisca_lang::{CacheStore, JobLog};

/// The application the page describes: this kernel, as Spark's UI describes a driver.
#[derive(Debug, Clone)]
pub struct App {
    /// `local-<start in ms>`, as Spark names local applications.
    pub id: String,
    /// Shown as the application's name.
    pub name: String,
    /// When the kernel started.
    pub started: DateTime<Utc>,
    /// Who runs it.
    pub user: String,
    /// The Environment tab: titled sections of key/value rows.
    pub environment: Vec<(String, Vec<(String, String)>)>,
}

/// What every handler reads.
#[derive(Clone)]
pub struct PageState {
    jobs: JobLog,
    cache: CacheStore,
    app: Arc<App>,
}

/// Binds the first free port from `FAISCA_UI_PORT` (default 4040) and serves the page.
/// `FAISCA_UI=off` disables it. Returns the page's address.
pub async fn serve(
    ip: &str,
    jobs: JobLog,
    cache: CacheStore,
    app: App,
) -> anyhow::Result<Option<String>> {
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
    let routes = router(jobs, cache, app);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, routes).await {
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

pub fn router(jobs: JobLog, cache: CacheStore, app: App) -> Router {
    let allowed = AllowedHosts::from_env();
    let v1 = "/api/v1/applications";
    Router::new()
        .route("/", get(pages::jobs))
        .route("/jobs/", get(pages::jobs))
        .route("/jobs/{id}", get(pages::job))
        .route("/storage/", get(pages::storage))
        .route("/environment/", get(pages::environment))
        .route("/api/jobs", get(rest::jobs_log))
        .route("/api/kept-files", get(rest::kept_files))
        .route(v1, get(rest::applications))
        .route(&format!("{v1}/{{app}}"), get(rest::application))
        .route(&format!("{v1}/{{app}}/jobs"), get(rest::jobs))
        .route(&format!("{v1}/{{app}}/jobs/{{job}}"), get(rest::job))
        .route(&format!("{v1}/{{app}}/environment"), get(rest::environment))
        .route(&format!("{v1}/{{app}}/storage/rdd"), get(rest::storage))
        .with_state(PageState {
            jobs,
            cache,
            app: Arc::new(app),
        })
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
