//! Settings fixed when the kernel starts.

use std::path::PathBuf;

/// Settings fixed when the kernel starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where `/data/...` paths point when `/data` itself does not exist.
    pub data_dir: Option<PathBuf>,
    /// Where `/model/...` paths point when `/model` itself does not exist.
    pub model_dir: Option<PathBuf>,
    /// The most rows a pandas-style table renders.
    pub max_rows: usize,
    /// The jobs page, shown when `spark` is evaluated.
    pub jobs_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: None,
            model_dir: None,
            max_rows: 60,
            jobs_url: None,
        }
    }
}

impl Config {
    /// Reads `FAISCA_DATA_DIR`, `FAISCA_MODEL_DIR` and `FAISCA_MAX_ROWS`.
    pub fn from_env() -> Self {
        let dir = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Config {
            data_dir: dir("FAISCA_DATA_DIR"),
            model_dir: dir("FAISCA_MODEL_DIR"),
            max_rows: std::env::var("FAISCA_MAX_ROWS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(60),
            jobs_url: None,
        }
    }

    /// Maps `/data/...` and `/model/...` to the configured directories, so notebooks work the
    /// same in the container and on a laptop.
    pub fn resolve(&self, path: &str) -> PathBuf {
        for (prefix, dir) in [("/data", &self.data_dir), ("/model", &self.model_dir)] {
            if let Some(dir) = dir
                && (path == prefix || path.starts_with(&format!("{prefix}/")))
            {
                return dir.join(path[prefix.len()..].trim_start_matches('/'));
            }
        }
        PathBuf::from(path)
    }
}
