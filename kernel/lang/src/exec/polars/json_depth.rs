//! Nesting depth of JSON input, checked before Polars parses it: its parser recurses per
//! level on a worker thread, so a small hostile file nested a few thousand levels deep
//! would overflow that thread's stack and abort the kernel.

use std::io::Read;
use std::path::Path;

use crate::core::error::LangError;

/// Spark's JSON reader (Jackson) refuses documents nested deeper than this.
pub const MAX_JSON_DEPTH: usize = 1000;

/// An `AnalysisException` naming the file and line when any document in `path` nests
/// deeper than [`MAX_JSON_DEPTH`].
pub fn check_json_depth(path: &Path) -> Result<(), LangError> {
    let fail =
        |e: std::io::Error| LangError::new("AnalysisException", format!("{}: {e}", path.display()));
    let mut file = std::fs::File::open(path).map_err(fail)?;
    let mut scan = DepthScan::default();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(fail)?;
        if n == 0 {
            return Ok(());
        }
        if let Some(line) = scan.feed(&buf[..n]) {
            return Err(LangError::new(
                "AnalysisException",
                format!(
                    "[MALFORMED_RECORD_IN_PARSING] {}, line {line}: JSON nested deeper than {MAX_JSON_DEPTH} levels",
                    path.display()
                ),
            )
            .with_hint("flatten the data, or read it as text"));
        }
    }
}

/// A byte-at-a-time scanner: depth of `[`/`{` outside strings.
#[derive(Default)]
struct DepthScan {
    depth: usize,
    in_string: bool,
    escaped: bool,
    line: usize,
}

impl DepthScan {
    /// Scans `bytes`; the 1-based line where the limit is passed, if it is.
    fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        for &b in bytes {
            if self.in_string {
                match b {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    b'\n' => self.line += 1,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'[' | b'{' => {
                    self.depth += 1;
                    if self.depth > MAX_JSON_DEPTH {
                        return Some(self.line + 1);
                    }
                }
                b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                b'\n' => self.line += 1,
                _ => {}
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deepest(text: &str) -> Option<usize> {
        DepthScan::default().feed(text.as_bytes())
    }

    #[test]
    fn counts_brackets_outside_strings_only() {
        let at_limit = "[".repeat(MAX_JSON_DEPTH) + &"]".repeat(MAX_JSON_DEPTH);
        assert_eq!(deepest(&at_limit), None);
        let past = format!(
            "{{\"a\": 1}}\n{{\"b\": {}1{}}}",
            "[".repeat(MAX_JSON_DEPTH),
            "]".repeat(MAX_JSON_DEPTH)
        );
        assert_eq!(deepest(&past), Some(2));
        let quoted = format!(
            "{{\"s\": \"{}\\\"{}\"}}",
            "[".repeat(5000),
            "{".repeat(5000)
        );
        assert_eq!(deepest(&quoted), None);
    }
}
