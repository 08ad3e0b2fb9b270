//! `faisca`: the Jupyter kernel binary. Wires the wire layer to the language, serves the
//! jobs page, installs the kernelspec and trains the classifier from the command line.

mod cpu;
mod install;
mod interpreter;
mod jobs_page;
mod train;
mod trim;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "faisca",
    version,
    about = "A Jupyter kernel with the Spark notebook workflow on lazy Polars"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install the kernelspec so Jupyter lists the Faísca kernel.
    Install(install::InstallArgs),
    /// Run the kernel (Jupyter calls this with a connection file).
    Kernel {
        /// The connection file Jupyter wrote.
        #[arg(long, short = 'f')]
        connection_file: PathBuf,
        /// Largest message a client may send, in bytes; a peer declaring more is
        /// disconnected before anything is allocated for it.
        #[arg(long, env = "FAISCA_MAX_MESSAGE_BYTES", default_value_t = faisca_wire::DEFAULT_MAX_MESSAGE_BYTES)]
        max_message_bytes: usize,
    },
    /// Train the product classifier from a CSV and save it.
    Train(train::TrainArgs),
}

#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Stack for threads the engine spawns without naming a size (Polars' executor and rayon
/// workers): its parsers recurse per nesting level of the data. Address space only; pages
/// are touched as used.
const ENGINE_THREAD_STACK: &str = "67108864";

fn main() -> anyhow::Result<()> {
    // The kernel and training are the hot paths; `install` records this binary's path.
    if matches!(std::env::args().nth(1).as_deref(), Some("kernel" | "train")) {
        cpu::run_fastest_build();
    }
    if std::env::var_os("RUST_MIN_STACK").is_none() {
        // SAFETY: first thing in main, before any thread exists to read the environment.
        unsafe { std::env::set_var("RUST_MIN_STACK", ENGINE_THREAD_STACK) };
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FAISCA_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Install(args) => install::run(args),
        Command::Train(args) => train::run(args),
        Command::Kernel {
            connection_file,
            max_message_bytes,
        } => run_kernel(&connection_file, faisca_wire::Limits { max_message_bytes }),
    }
}

fn run_kernel(
    connection_file: &std::path::Path,
    limits: faisca_wire::Limits,
) -> anyhow::Result<()> {
    let conn = faisca_wire::ConnectionInfo::from_file(connection_file)
        .with_context(|| format!("reading {}", connection_file.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let restart = runtime.block_on(async {
        let kernel = faisca_wire::Kernel::bind(&conn, limits).await?;
        let bound = kernel.connection().clone();
        if conn.write_bound_ports(connection_file, &bound)? {
            tracing::info!(
                "ports chosen for 0 written to {}",
                connection_file.display()
            );
        }
        faisca_lang::install_query_abort();
        let config = faisca_lang::Config::from_env();
        let app = application(&config);
        let mut session = faisca_lang::Session::new(config);
        let bind_ip = std::env::var("FAISCA_UI_BIND").unwrap_or_else(|_| conn.ip.clone());
        match jobs_page::serve(&bind_ip, session.jobs(), session.cache(), app).await {
            Ok(Some(url)) => {
                tracing::info!("jobs page: {url}");
                session.set_jobs_url(Some(url));
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("jobs page unavailable: {e:#}"),
        }
        tracing::info!(
            "Faísca kernel {} listening on {}",
            env!("CARGO_PKG_VERSION"),
            bound.endpoint(bound.shell_port)
        );
        let handle = kernel
            .run(Box::new(interpreter::FaiscaInterpreter::new(session)))
            .await;
        anyhow::Ok(handle.restart)
    })?;
    tracing::info!("shutting down (restart requested: {restart})");
    // The interpreter thread may be inside an abandoned query; do not wait for it.
    std::process::exit(0)
}

/// This kernel as the jobs page describes it (Spark's application and Environment tab).
fn application(config: &faisca_lang::Config) -> jobs_page::App {
    let started = chrono::Utc::now();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runtime = vec![
        ("Faísca".to_string(), env!("CARGO_PKG_VERSION").to_string()),
        (
            "Polars".to_string(),
            faisca_lang::POLARS_VERSION.to_string(),
        ),
        ("Engine".to_string(), "lazy Polars, streaming".to_string()),
        (
            "Platform".to_string(),
            format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        ),
        ("CPUs".to_string(), cpus.to_string()),
        ("Build".to_string(), cpu::build_name().to_string()),
        ("Process id".to_string(), std::process::id().to_string()),
        ("Started".to_string(), started.to_rfc3339()),
    ];
    let mut configuration = config.settings();
    // Every FAISCA_ variable set, as Spark lists its properties; secrets redacted as Spark
    // redacts them.
    let mut vars: Vec<(String, String)> = std::env::vars()
        .filter(|(k, _)| k.starts_with("FAISCA_") || k == "RUST_LOG")
        .map(|(k, v)| {
            let secret = ["SECRET", "TOKEN", "PASSWORD", "KEY"]
                .iter()
                .any(|s| k.to_ascii_uppercase().contains(s));
            (
                k,
                if secret {
                    "*********(redacted)".into()
                } else {
                    v
                },
            )
        })
        .collect();
    vars.sort();
    configuration.extend(vars);
    jobs_page::App {
        id: format!("local-{}", started.timestamp_millis()),
        name: "Faísca".into(),
        started,
        user: std::env::var("USER").unwrap_or_else(|_| "faisca".into()),
        environment: vec![
            ("Runtime".into(), runtime),
            ("Configuration".into(), configuration),
        ],
    }
}
