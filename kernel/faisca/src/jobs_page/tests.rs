//! The page served for real on a port: tabs, escaping, the Host check and the REST shapes.

use super::*;

fn app() -> App {
    App {
        id: "local-1764112800000".into(),
        name: "Faísca".into(),
        started: Utc::now(),
        user: "jovyan".into(),
        environment: vec![(
            "Configuration".into(),
            vec![("FAISCA_MAX_ROWS".into(), "<60>".into())],
        )],
    }
}

fn json_of(response: &str) -> serde_json::Value {
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
}

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
    let url = serve("127.0.0.1", jobs.clone(), CacheStore::default(), app())
        .await
        .unwrap()
        .unwrap();
    let second = serve("127.0.0.1", jobs.clone(), CacheStore::default(), app())
        .await
        .unwrap()
        .unwrap();
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
    let url = serve("127.0.0.1", jobs, CacheStore::default(), app())
        .await
        .unwrap()
        .unwrap();
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

// Multi-threaded: the session runs Polars, which needs that runtime when inside one.
#[tokio::test(flavor = "multi_thread")]
async fn tabs_link_each_other_and_escape_what_they_show() {
    let jobs = JobLog::new();
    let url = serve("127.0.0.1", jobs, CacheStore::default(), app())
        .await
        .unwrap()
        .unwrap();
    for (path, title) in [
        ("jobs/", "Jobs"),
        ("storage/", "Storage"),
        ("environment/", "Environment"),
    ] {
        let (status, body) = get_text(&format!("{url}{path}")).await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains(&format!("<title>{title}</title>")), "{body}");
        for other in ["/jobs/", "/storage/", "/environment/"] {
            assert!(
                body.contains(&format!("href=\"{other}\"")),
                "{path} links {other}"
            );
        }
    }
    let (_, body) = get_text(&format!("{url}environment/")).await;
    assert!(body.contains("&lt;60&gt;"), "{body}");
    let (_, body) = get_text(&format!("{url}storage/")).await;
    assert!(body.contains("Nothing is cached"), "{body}");

    // A cached DataFrame appears once the session caches one; its size once materialised.
    let mut session = faisca_lang::Session::new(faisca_lang::Config::default());
    let url = serve("127.0.0.1", session.jobs(), session.cache(), app())
        .await
        .unwrap()
        .unwrap();
    let run = |s: &mut faisca_lang::Session, code: &str| {
        s.execute(code, 1, &|| false, &mut |_| {})
            .unwrap_or_else(|e| panic!("{}", e.traceback.join("\n")));
    };
    run(
        &mut session,
        "df = spark.range(1000).selectExpr('id', \"'<b>' AS tag\").cache()",
    );
    let (_, body) = get_text(&format!("{url}storage/")).await;
    assert!(body.contains("not materialised yet"), "{body}");
    assert!(body.contains("tag: string"), "{body}");
    run(&mut session, "df.count()");
    let (_, body) = get_text(&format!("{url}storage/")).await;
    assert!(body.contains("<td>1,000</td>"), "{body}");
    let (_, body) = get_text(&format!(
        "{url}api/v1/applications/local-1764112800000/storage/rdd"
    ))
    .await;
    let rdds = json_of(&body);
    assert_eq!(rdds[0]["numCachedPartitions"], 1, "{rdds}");
    assert!(rdds[0]["memoryUsed"].as_u64().unwrap() > 0, "{rdds}");

    // A file read whole is kept; the tab and the REST list show it, escaped, and the
    // next job's input reads "in memory".
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("<x>.csv");
    std::fs::write(&path, "a,b\n1,<i>\n2,y\n").unwrap();
    let read = format!(
        "f = spark.read.csv({:?}, header=True)",
        path.display().to_string()
    );
    run(&mut session, &read);
    run(&mut session, "f.select('b').collect()");
    run(&mut session, "f.select('b').collect()");
    let (_, body) = get_text(&format!("{url}storage/")).await;
    assert!(body.contains("Files kept in memory"), "{body}");
    assert!(
        body.contains("&lt;x&gt;.csv") && !body.contains("<x>.csv"),
        "{body}"
    );
    let (_, body) = get_text(&format!("{url}api/kept-files")).await;
    let kept = json_of(&body);
    assert_eq!(
        kept["files"][0]["columns"],
        serde_json::json!(["b"]),
        "{kept}"
    );
    assert_eq!(kept["files"][0]["reads"], 1, "{kept}");
    assert!(kept["budget"].as_u64().unwrap() > 0, "{kept}");
    let (_, body) = get_text(&format!("{url}jobs/")).await;
    assert!(body.contains(" in memory</td>"), "{body}");
}

#[tokio::test]
async fn the_rest_api_has_sparks_shapes() {
    let jobs = JobLog::new();
    let done = jobs.start(2, "count", "plan".into());
    jobs.finish(done, faisca_lang::JobStatus::Succeeded, Some(1), None);
    let stopped = jobs.start(3, "show", "plan".into());
    jobs.finish(
        stopped,
        faisca_lang::JobStatus::Cancelled,
        None,
        Some("interrupted".into()),
    );
    let running = jobs.start(4, "collect", "plan".into());
    jobs.progress(&running, 10, Some(100));
    let url = serve("127.0.0.1", jobs, CacheStore::default(), app())
        .await
        .unwrap()
        .unwrap();

    let (_, body) = get_text(&format!("{url}api/v1/applications")).await;
    let apps = json_of(&body);
    assert_eq!(apps[0]["id"], "local-1764112800000");
    let attempt = &apps[0]["attempts"][0];
    for key in [
        "startTime",
        "endTime",
        "lastUpdated",
        "duration",
        "sparkUser",
        "completed",
        "appSparkVersion",
        "startTimeEpoch",
        "endTimeEpoch",
        "lastUpdatedEpoch",
    ] {
        assert!(attempt.get(key).is_some(), "attempt lacks {key}: {attempt}");
    }
    assert_eq!(attempt["completed"], false);
    assert!(attempt["startTime"].as_str().unwrap().ends_with("GMT"));

    let base = format!("{url}api/v1/applications/local-1764112800000");
    let (_, body) = get_text(&format!("{base}/jobs")).await;
    let list = json_of(&body);
    let ids: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["jobId"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![2, 1, 0], "newest first");
    let statuses: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["RUNNING", "FAILED", "SUCCEEDED"]);
    for key in [
        "jobId",
        "name",
        "submissionTime",
        "stageIds",
        "jobTags",
        "status",
        "numTasks",
        "numActiveTasks",
        "numCompletedTasks",
        "numSkippedTasks",
        "numFailedTasks",
        "numKilledTasks",
        "numCompletedIndices",
        "numActiveStages",
        "numCompletedStages",
        "numSkippedStages",
        "numFailedStages",
        "killedTasksSummary",
    ] {
        assert!(list[0].get(key).is_some(), "JobData lacks {key}");
    }
    assert!(
        list[0].get("completionTime").is_none(),
        "a running job has no completion time"
    );
    assert!(list[2]["completionTime"].as_str().unwrap().ends_with("GMT"));
    assert_eq!(list[1]["numKilledTasks"], 1);

    let (_, body) = get_text(&format!("{base}/jobs?status=running")).await;
    assert_eq!(json_of(&body).as_array().unwrap().len(), 1);
    let (_, body) = get_text(&format!("{base}/jobs?status=succeeded&status=failed")).await;
    assert_eq!(json_of(&body).as_array().unwrap().len(), 2);
    let (_, body) = get_text(&format!("{base}/jobs/0")).await;
    assert_eq!(json_of(&body)["jobId"], 0);
    let (status, _) = get_text(&format!("{base}/jobs/9")).await;
    assert_eq!(status, 404);
    let (status, _) = get_text(&format!("{url}api/v1/applications/app-other/jobs")).await;
    assert_eq!(status, 404);
    let (_, body) = get_text(&format!("{url}api/v1/applications?status=completed")).await;
    assert_eq!(json_of(&body), serde_json::json!([]));
    let (_, body) = get_text(&format!("{base}/environment")).await;
    assert_eq!(json_of(&body)["sparkProperties"][0][0], "FAISCA_MAX_ROWS");
    let (_, body) = get_text(&format!("{base}/storage/rdd")).await;
    assert_eq!(json_of(&body), serde_json::json!([]));
    // The running job shows how far it has read.
    let (_, body) = get_text(&format!("{url}jobs/")).await;
    assert!(body.contains("10 bytes of 100 bytes"), "{body}");
}
