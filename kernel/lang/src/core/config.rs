//! Settings fixed when the kernel starts.

use std::path::PathBuf;

use crate::core::error::LangError;

/// `1.5 GiB`, `8.0 TiB`.
pub fn human_bytes(bytes: u128) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

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
    /// The most memory one result the kernel builds itself may take (a range, collected
    /// rows): past it the cell is a `MemoryError`, not an aborted kernel.
    pub memory_budget: u64,
    /// A Spark Connect server for the session (`SPARK_REMOTE`), else local Polars.
    pub remote: Option<String>,
    /// The most memory files' columns kept for later actions may take (0: keep none).
    pub file_cache: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: None,
            model_dir: None,
            max_rows: 60,
            jobs_url: None,
            memory_budget: default_memory_budget(),
            remote: None,
            file_cache: default_file_cache(),
        }
    }
}

/// Half the machine's memory (`MemTotal`), or 4 GiB where that cannot be read.
fn default_memory_budget() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib * 1024 / 2)
        })
        .unwrap_or(4 << 30)
}

/// A quarter of the machine's memory: the files kept for later actions.
fn default_file_cache() -> u64 {
    default_memory_budget() / 2
}

/// Reads a size like `8589934592`, `512m` or `4g` (binary units).
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim().to_ascii_lowercase();
    let text = text.strip_suffix('b').unwrap_or(&text);
    let (digits, unit) = match text.char_indices().last()? {
        (i, 'k') => (&text[..i], 1u64 << 10),
        (i, 'm') => (&text[..i], 1 << 20),
        (i, 'g') => (&text[..i], 1 << 30),
        (i, 't') => (&text[..i], 1 << 40),
        _ => (text, 1),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(unit)
}

impl Config {
    /// Reads `FAISCA_DATA_DIR`, `FAISCA_MODEL_DIR`, `FAISCA_MAX_ROWS`,
    /// `FAISCA_MEMORY_LIMIT` and `FAISCA_CACHE_MEMORY` (bytes, or `512m`, `4g`; the file
    /// cache defaults to a quarter of the machine's memory) and `SPARK_REMOTE` (as PySpark
    /// does).
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
            memory_budget: std::env::var("FAISCA_MEMORY_LIMIT")
                .ok()
                .and_then(|v| parse_size(&v))
                .unwrap_or_else(default_memory_budget),
            remote: std::env::var("SPARK_REMOTE").ok().filter(|v| !v.is_empty()),
            file_cache: std::env::var("FAISCA_CACHE_MEMORY")
                .ok()
                .and_then(|v| parse_size(&v))
                .unwrap_or_else(default_file_cache),
        }
    }

    /// A `MemoryError` when `bytes` would pass the memory budget; `what` names the result.
    pub fn check_memory(&self, bytes: u128, what: &str) -> Result<(), LangError> {
        if bytes <= u128::from(self.memory_budget) {
            return Ok(());
        }
        Err(LangError::new(
            "MemoryError",
            format!(
                "{what} would take about {} in memory, past the kernel's budget of {}",
                human_bytes(bytes),
                human_bytes(u128::from(self.memory_budget))
            ),
        )
        .with_hint(
            "use limit(n) or write the result to a file; FAISCA_MEMORY_LIMIT sets the budget",
        ))
    }

    /// The settings as the jobs page's Environment tab lists them.
    pub fn settings(&self) -> Vec<(String, String)> {
        vec![
            (
                "data folder (/data)".into(),
                self.resolve("/data").display().to_string(),
            ),
            (
                "model folder (/model)".into(),
                self.resolve("/model").display().to_string(),
            ),
            ("FAISCA_MAX_ROWS".into(), self.max_rows.to_string()),
            (
                "FAISCA_MEMORY_LIMIT".into(),
                human_bytes(u128::from(self.memory_budget)),
            ),
            (
                "FAISCA_CACHE_MEMORY (files kept for later actions)".into(),
                human_bytes(u128::from(self.file_cache)),
            ),
        ]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(0), "0");
    }

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("512m"), Some(512 << 20));
        assert_eq!(parse_size("4G"), Some(4 << 30));
        assert_eq!(parse_size("2gb"), Some(2 << 30));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("99999999999t"), None);
    }

    #[test]
    fn the_budget_is_a_memory_error_past_it() {
        let config = Config {
            memory_budget: 1 << 20,
            ..Config::default()
        };
        assert!(config.check_memory(1 << 20, "x").is_ok());
        let e = config
            .check_memory(8 << 40, "spark.range(10**12)")
            .unwrap_err();
        assert_eq!(e.ename, "MemoryError");
        assert!(e.message.contains("8.0 TiB"), "{}", e.message);
    }
}
