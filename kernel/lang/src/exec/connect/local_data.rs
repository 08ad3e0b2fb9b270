//! Rows written in the notebook (`spark.createDataFrame([(1, "a"), …], ["id", "s"])`)
//! travel to the server as a `LocalRelation`: an Arrow IPC stream Polars writes, typed as
//! PySpark types Python values (int → bigint, float → double, str → string).

use faisca_connect::proto::LocalRelation;
use faisca_connect::proto::relation::RelType;
use polars::prelude::{
    CompatLevel, DataFrame, IntoColumn, IpcStreamWriter, NamedFrom, PlSmallStr, SerWriter, Series,
};

use super::build::{relation, unsupported};
use super::literal::Py;
use crate::core::error::{LangError, polars_error};
use faisca_connect::proto::Relation;

/// The relation of `createDataFrame(data, schema)` with plain rows and column names.
pub fn local_relation(data: &Py, schema: Option<&Py>) -> Result<Relation, LangError> {
    let Py::List(rows) = data else {
        return Err(unsupported(
            "createDataFrame() of something other than a list",
        ));
    };
    let rows: Vec<&[Py]> = rows
        .iter()
        .map(|r| match r {
            Py::List(values) => Ok(values.as_slice()),
            _ => Err(unsupported("createDataFrame() rows that are not tuples")),
        })
        .collect::<Result<_, _>>()?;
    let width = rows.first().map_or(0, |r| r.len());
    if rows.iter().any(|r| r.len() != width) {
        return Err(unsupported("createDataFrame() rows of different lengths"));
    }
    let names: Vec<String> = match schema {
        None | Some(Py::None) => (1..=width).map(|i| format!("_{i}")).collect(),
        Some(Py::List(names)) if names.len() == width => {
            names.iter().map(Py::option_text).collect()
        }
        Some(_) => return Err(unsupported("createDataFrame() with this schema")),
    };
    let columns = names
        .iter()
        .enumerate()
        .map(|(j, name)| column(name, rows.iter().map(|r| &r[j])).map(|s| s.into_column()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut df = DataFrame::new_infer_height(columns).map_err(polars_error)?;
    let mut data = Vec::new();
    // Arrow's classic string type: Spark's Arrow reader has no string views.
    IpcStreamWriter::new(&mut data)
        .with_compat_level(CompatLevel::oldest())
        .finish(&mut df)
        .map_err(polars_error)?;
    Ok(relation(RelType::LocalRelation(LocalRelation {
        data: Some(data),
        schema: None,
    })))
}

/// One column, typed by its values.
fn column<'a>(
    name: &str,
    values: impl Iterator<Item = &'a Py> + Clone,
) -> Result<Series, LangError> {
    let present = values.clone().filter(|v| **v != Py::None);
    let all = |f: fn(&Py) -> bool| present.clone().all(f);
    let name: PlSmallStr = name.into();
    Ok(if all(|v| matches!(v, Py::Int(_))) {
        Series::new(
            name,
            values
                .map(|v| match v {
                    Py::Int(i) => Some(*i),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )
    } else if all(|v| matches!(v, Py::Int(_) | Py::Float(_))) {
        Series::new(
            name,
            values
                .map(|v| match v {
                    Py::Int(i) => Some(*i as f64),
                    Py::Float(f) => Some(*f),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )
    } else if all(|v| matches!(v, Py::Bool(_))) {
        Series::new(
            name,
            values
                .map(|v| match v {
                    Py::Bool(b) => Some(*b),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )
    } else if all(|v| matches!(v, Py::Str(_))) {
        Series::new(
            name,
            values
                .map(|v| match v {
                    Py::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )
    } else {
        return Err(unsupported(&format!(
            "createDataFrame() column `{name}` of mixed or nested values"
        )));
    })
}
