//! Errors with Spark's names and a report that points at the code: line, caret, hint.

use std::fmt;

/// A byte range in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// An error shown to the notebook user.
#[derive(Debug, Clone, PartialEq)]
pub struct LangError {
    /// Exception class name: `ParseException`, `AnalysisException`, `TypeError`, …
    pub ename: String,
    /// One-line message.
    pub message: String,
    /// Where in the cell, when known.
    pub span: Option<Span>,
    /// A second place worth pointing at (e.g. the bracket a `)` fails to match).
    pub related: Option<Span>,
    /// What to do about it.
    pub hint: Option<String>,
    /// More input would fix it (an unclosed bracket or string): drives `is_complete`.
    pub incomplete: bool,
}

impl LangError {
    /// An error of class `ename`.
    pub fn new(ename: &str, message: impl Into<String>) -> Self {
        LangError {
            ename: ename.to_string(),
            message: message.into(),
            span: None,
            related: None,
            hint: None,
            incomplete: false,
        }
    }
    /// Whether `except class` catches this error, by the class hierarchies of Python and
    /// PySpark (`PySparkTypeError` is a `TypeError`, `ParseException` an
    /// `AnalysisException`). An interrupt is never caught, so ■ always stops a cell.
    pub fn is_instance(&self, class: &str) -> bool {
        let e = self.ename.as_str();
        if e == "KeyboardInterrupt" {
            return false;
        }
        let spark = |n: &str| {
            n.ends_with("Exception") && n != "Exception"
                || n.starts_with("PySpark")
                || n.starts_with("Spark")
        };
        e == class
            || e.strip_prefix("PySpark") == Some(class)
            || match class {
                "BaseException" | "Exception" => true,
                "PySparkException" | "CapturedException" => spark(e),
                "AnalysisException" => e == "ParseException",
                "ArithmeticError" => matches!(e, "ZeroDivisionError" | "OverflowError"),
                "LookupError" => matches!(e, "KeyError" | "IndexError"),
                "OSError" | "IOError" | "EnvironmentError" => matches!(
                    e,
                    "FileNotFoundError"
                        | "PermissionError"
                        | "IsADirectoryError"
                        | "FileExistsError"
                ),
                _ => false,
            }
    }
    /// A syntax error at `span`.
    pub fn parse(message: impl Into<String>, span: Span) -> Self {
        LangError::new("ParseException", message).at(span)
    }
    /// A semantic error (unknown column, wrong type of argument).
    pub fn analysis(message: impl Into<String>) -> Self {
        LangError::new("AnalysisException", message)
    }
    /// A wrong argument or receiver type.
    pub fn type_error(message: impl Into<String>) -> Self {
        LangError::new("TypeError", message)
    }
    /// An unsupported construct.
    pub fn unsupported(message: impl Into<String>) -> Self {
        LangError::new("NotSupportedError", message)
    }
    /// Sets the span unless one is set already (the innermost span wins).
    pub fn at(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self
    }
    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// Adds a related span.
    pub fn with_related(mut self, span: Span) -> Self {
        self.related = Some(span);
        self
    }
    /// Marks the error as fixable by typing more.
    pub fn incomplete(mut self) -> Self {
        self.incomplete = true;
        self
    }

    /// The report, one entry per line: the message, the offending line with a caret under
    /// the span, and the hint. `source` is the code the span refers to.
    pub fn report(&self, source: &str) -> Vec<String> {
        let mut lines = vec![format!("{}: {}", self.ename, self.message)];
        if let Some(span) = self.span {
            lines.extend(point_at(source, span));
        }
        if let Some(related) = self.related {
            let (line, _) = line_col(source, related.start);
            lines.push(format!("  (opened on line {line})"));
        }
        if let Some(hint) = &self.hint {
            lines.push(format!("hint: {hint}"));
        }
        lines
    }
}

impl fmt::Display for LangError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.ename, self.message)
    }
}

impl std::error::Error for LangError {}

/// The interrupt error: a cell stopped by ■.
pub fn interrupted() -> LangError {
    LangError::new(
        "KeyboardInterrupt",
        "the running job was cancelled; the session's variables are intact",
    )
}

/// Polars' errors under Spark's names.
pub fn polars_error(e: polars::prelude::PolarsError) -> LangError {
    use polars::prelude::PolarsError;
    match e {
        PolarsError::ColumnNotFound(msg) => {
            LangError::analysis(format!("[UNRESOLVED_COLUMN] {}", first_line(&msg)))
        }
        PolarsError::SQLSyntax(msg) => LangError::new("ParseException", first_line(&msg)),
        PolarsError::SQLInterface(msg) => LangError::analysis(first_line(&msg)),
        PolarsError::IO { error, msg } => LangError::new(
            "IOException",
            format!(
                "{error}{}",
                msg.map(|m| format!(": {m}")).unwrap_or_default()
            ),
        ),
        PolarsError::ComputeError(msg) => LangError::new("PolarsComputeError", first_line(&msg)),
        PolarsError::SchemaMismatch(msg) | PolarsError::InvalidOperation(msg) => {
            LangError::analysis(first_line(&msg))
        }
        PolarsError::Context { error, msg } => {
            let inner = polars_error(*error);
            LangError {
                message: format!("{} ({})", inner.message, first_line(&msg)),
                ..inner
            }
        }
        other => LangError::new("PolarsError", first_line(&other.to_string())),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// 1-based line and 0-based column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count();
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn point_at(source: &str, span: Span) -> Vec<String> {
    let (line_no, col) = line_col(source, span.start);
    let line_text = source.lines().nth(line_no - 1).unwrap_or("");
    let start = floor_char_boundary(source, span.start.min(source.len()));
    let end = floor_char_boundary(source, span.end.min(source.len()));
    // Underline only up to the end of the first line.
    let width = source[start..end]
        .split('\n')
        .next()
        .unwrap_or("")
        .chars()
        .count()
        .max(1);
    let width = width.min(line_text.chars().count().saturating_sub(col).max(1));
    vec![
        format!("  line {line_no}:"),
        format!("    {line_text}"),
        format!("    {}{}", " ".repeat(col), "^".repeat(width)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_span_on_its_line() {
        let src = "df = spark.read.csv('x')\ndf.select(col('nme'))";
        let start = src.find("'nme'").unwrap();
        let err = LangError::analysis("column `nme` does not exist")
            .at(Span::new(start, start + 5))
            .with_hint("did you mean `nome`?");
        assert_eq!(
            err.report(src),
            [
                "AnalysisException: column `nme` does not exist",
                "  line 2:",
                "    df.select(col('nme'))",
                "                  ^^^^^",
                "hint: did you mean `nome`?",
            ]
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(line_col("anéis x", "anéis ".len()), (1, 6));
    }
}
