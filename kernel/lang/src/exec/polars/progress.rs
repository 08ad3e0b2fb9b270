//! How far a running query has read. Polars has no progress hook, but it memory-maps the
//! local files it scans: the resident part of those mappings is what it has read so far
//! (formats read with `read(2)` show elapsed time only). The total is the files' sizes.

use std::collections::HashSet;
use std::path::PathBuf;

use polars_plan::prelude::{IR, IRPlan, Node};

/// The files a plan scans, with their sizes.
#[derive(Debug, Default, Clone)]
pub struct Inputs {
    paths: HashSet<PathBuf>,
    /// Their total size in bytes, when every one has a size.
    pub total: Option<u64>,
}

impl Inputs {
    /// The local files the optimized plan scans.
    pub fn of(plan: &IRPlan) -> Self {
        let mut paths = HashSet::new();
        for i in 0..plan.lp_arena.len() {
            let node = Node(i);
            if let IR::Scan { sources, .. } = plan.lp_arena.get(node)
                && let Some(list) = sources.as_paths()
            {
                // The mappings name files by their real, absolute path.
                paths.extend(list.iter().map(|p| {
                    std::fs::canonicalize(p.as_str()).unwrap_or_else(|_| PathBuf::from(p.as_str()))
                }));
            }
        }
        let sizes: Option<u64> = paths
            .iter()
            .map(|p| std::fs::metadata(p).ok().map(|m| m.len()))
            .sum();
        Inputs {
            total: if paths.is_empty() { None } else { sizes },
            paths,
        }
    }

    /// The files, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = self.paths.iter().map(|p| p.display().to_string()).collect();
        files.sort();
        files
    }

    /// Bytes of the input files resident in this process' mappings of them.
    pub fn mapped(&self) -> u64 {
        if self.paths.is_empty() {
            return 0;
        }
        let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else {
            return 0;
        };
        mapped_in(&smaps, &self.paths)
    }
}

/// Sums `Rss` over the mappings of `paths` in an smaps text.
fn mapped_in(smaps: &str, paths: &HashSet<PathBuf>) -> u64 {
    let mut total = 0;
    let mut counting = false;
    for line in smaps.lines() {
        let mut fields = line.split_whitespace();
        let first = fields.next().unwrap_or("");
        // A mapping header: `start-end perms offset dev inode [path]`.
        if first.contains('-') && first.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            let path = line.splitn(6, char::is_whitespace).nth(5).map(str::trim);
            counting = path.is_some_and(|p| paths.contains(&PathBuf::from(p)));
        } else if counting && first == "Rss:" {
            let kb: u64 = fields.next().and_then(|v| v.parse().ok()).unwrap_or(0);
            total += kb * 1024;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_the_resident_part_of_the_input_mappings() {
        let smaps = "\
7f00-7f10 r--s 00000000 fd:00 123                        /data/a.csv
Size:                 64 kB
Rss:                  16 kB
7f10-7f20 r--p 00000000 fd:00 124                        /usr/lib/libc.so
Rss:                 900 kB
7f20-7f30 r--s 00000000 fd:00 125                        /data/my file.csv
Rss:                   8 kB
7f30-7f40 rw-p 00000000 00:00 0
Rss:                  4 kB
";
        let paths: HashSet<PathBuf> = ["/data/a.csv", "/data/my file.csv"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(mapped_in(smaps, &paths), 24 * 1024);
    }
}
