//! Reading a delimited file into plain string columns, for callers outside the DSL (the
//! `train` command, benchmarks).

use std::path::Path;

use polars::prelude::*;

use crate::core::error::{LangError, polars_error};

/// Reads `columns` of a CSV with a header as strings; empty fields are `None`.
pub fn read_string_columns(
    path: &Path,
    separator: u8,
    columns: &[&str],
) -> Result<Vec<Vec<Option<String>>>, LangError> {
    if !path.exists() {
        return Err(LangError::analysis(format!(
            "[PATH_NOT_FOUND] Path does not exist: {}",
            path.display()
        )));
    }
    let lf = LazyCsvReader::new(PlRefPath::new(path.to_string_lossy().as_ref()))
        .with_separator(separator)
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_missing_is_null(true)
        .finish()
        .map_err(polars_error)?;
    let mut lf = lf;
    let schema = lf.collect_schema().map_err(polars_error)?;
    if let Some(missing) = columns.iter().find(|c| !schema.contains(c)) {
        let found: Vec<&str> = schema.iter_names().map(|n| n.as_str()).collect();
        return Err(LangError::analysis(format!(
            "{}: no column `{missing}` (found: {}); expected {} separated by {:?}",
            path.display(),
            found.join(", "),
            columns.join(", "),
            separator as char
        )));
    }
    let df = lf
        .select(columns.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()
        .map_err(polars_error)?;
    columns
        .iter()
        .map(|c| {
            let ca = df
                .column(c)
                .map_err(polars_error)?
                .str()
                .map_err(polars_error)?
                .clone();
            Ok(ca.iter().map(|v| v.map(str::to_string)).collect())
        })
        .collect()
}
