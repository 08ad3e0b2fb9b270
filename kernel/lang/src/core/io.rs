//! What reads and writes are asked for: formats, options and save modes.

use super::error::{LangError, Span};

/// A file format for `spark.read` and `df.write`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Delimited text.
    Csv,
    /// Apache Parquet.
    Parquet,
    /// JSON lines.
    Json,
}

impl Format {
    /// Every format, for hints and docs.
    pub const ALL: [Format; 3] = [Format::Csv, Format::Parquet, Format::Json];

    /// `"csv"`, `"parquet"`, `"json"`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Json => "json",
        }
    }
    /// The format named `name` (any case); an error naming the supported ones otherwise.
    pub fn parse(name: &str, span: Span) -> Result<Format, LangError> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                LangError::unsupported(format!("format '{name}' is not supported"))
                    .at(span)
                    .with_hint("use csv, parquet or json")
            })
    }
    /// The options this format honours (lower case).
    pub fn read_options(self) -> &'static [&'static str] {
        match self {
            Format::Csv => &Format::READ_OPTIONS,
            Format::Parquet | Format::Json => &[],
        }
    }
    /// Options some reader honours.
    pub const READ_OPTIONS: [&'static str; 6] = [
        "header",
        "sep",
        "delimiter",
        "inferschema",
        "quote",
        "nullvalue",
    ];
    /// Options some writer honours.
    pub const WRITE_OPTIONS: [&'static str; 3] = ["header", "sep", "delimiter"];

    /// The options a write in this format honours (lower case).
    pub fn write_options(self) -> &'static [&'static str] {
        match self {
            Format::Csv => &Format::WRITE_OPTIONS,
            Format::Parquet | Format::Json => &[],
        }
    }
}

/// What a write does when its target exists (Spark's `SaveMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SaveMode {
    /// Refuse (the default).
    #[default]
    ErrorIfExists,
    /// Replace the old output once the new one is complete.
    Overwrite,
    /// Add part files beside the old ones.
    Append,
    /// Leave the old output and write nothing.
    Ignore,
}

impl SaveMode {
    /// Spark's accepted spellings.
    pub const NAMES: [&'static str; 6] = [
        "overwrite",
        "append",
        "error",
        "errorifexists",
        "ignore",
        "default",
    ];

    /// The mode named `name` (any case), or Spark's `IllegalArgumentException`.
    pub fn parse(name: &str, span: Span) -> Result<SaveMode, LangError> {
        Ok(match name.to_lowercase().as_str() {
            "overwrite" => SaveMode::Overwrite,
            "append" => SaveMode::Append,
            "error" | "errorifexists" | "default" => SaveMode::ErrorIfExists,
            "ignore" => SaveMode::Ignore,
            _ => {
                return Err(LangError::new(
                    "IllegalArgumentException",
                    format!("Unknown save mode: {name}. Accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'."),
                )
                .at(span));
            }
        })
    }
}

/// Reader or writer options: lower-cased keys, text values; a later one wins, as in Spark.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options(Vec<(String, String)>);

impl Options {
    /// Sets `key` (case-insensitive).
    pub fn set(&mut self, key: &str, value: String) {
        self.0.push((key.to_lowercase(), value));
    }
    /// The last value given for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    /// A boolean option ("true" in any case).
    pub fn flag(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
    /// The options in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
    /// Keys not in `known`, in the order given.
    pub fn unknown<'a>(&'a self, known: &[&str]) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for (k, _) in &self.0 {
            if !known.contains(&k.as_str()) && !out.contains(&k.as_str()) {
                out.push(k);
            }
        }
        out
    }
    /// The CSV separator from `sep` or `delimiter` (default `,`; `\t` means tab), one byte.
    pub fn separator(&self, span: Span) -> Result<u8, LangError> {
        let sep = self.get("sep").or(self.get("delimiter")).unwrap_or(",");
        match sep {
            "\\t" | "\t" => Ok(b'\t'),
            s if s.len() == 1 => Ok(s.as_bytes()[0]),
            _ => Err(LangError::new(
                "IllegalArgumentException",
                format!("the delimiter must be one character, got {sep:?}"),
            )
            .at(span)),
        }
    }
}
