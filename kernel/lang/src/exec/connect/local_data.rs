//! Rows written in the notebook (`spark.createDataFrame([Row(id=1, dia=date(…)), …])`)
//! travel to the server as a `LocalRelation`: the plan's repr of the data is read back
//! into values, typed by the same code as a local `createDataFrame` (so both engines see
//! the same schema), and sent as the Arrow IPC stream Polars writes.

use faisca_connect::proto::relation::RelType;
use faisca_connect::proto::{LocalRelation, Relation};
use polars::prelude::{ArrowDataType, ArrowSchema, CompatLevel, DataFrame, PolarsResult};
use polars_arrow::array::{Array, ListArray, StructArray};
use polars_arrow::datatypes::Field;
use polars_arrow::io::ipc::write::{StreamWriter, WriteOptions};
use polars_arrow::offset::OffsetsBuffer;
use polars_arrow::record_batch::RecordBatchT;

use super::build::{relation, unsupported};
use crate::api::create::create_dataframe;
use crate::core::error::{LangError, Span, polars_error};
use crate::core::value::Value;
use crate::syntax::ast::{Expr, ExprKind, Stmt, UnOp};

/// The relation of `createDataFrame(data, schema)`, from the reprs the plan recorded.
pub fn local_relation(data: &str, schema: Option<&str>) -> Result<Relation, LangError> {
    let data = value_of_repr(data)?;
    let schema = match schema {
        Some(repr) => value_of_repr(repr)?,
        None => Value::None,
    };
    let span = Span::new(0, 0);
    let df = create_dataframe(&data, span, (&schema, span))?
        .collect()
        .map_err(polars_error)?;
    // Arrow timestamps without a zone are Spark's `timestamp_ntz`, not the `timestamp`
    // the local engine types: refused rather than typed differently.
    if df
        .dtypes()
        .iter()
        .any(|d| format!("{d:?}").contains("Datetime"))
    {
        return Err(unsupported("createDataFrame() of datetime values"));
    }
    Ok(relation(RelType::LocalRelation(LocalRelation {
        data: Some(arrow_stream(&df).map_err(polars_error)?),
        schema: None,
    })))
}

/// `df` as an Arrow IPC stream Spark reads: classic strings and lists, no views (the
/// oldest compat level), and lists with 32-bit offsets (Spark has no `LargeList`).
pub fn arrow_stream(df: &DataFrame) -> PolarsResult<Vec<u8>> {
    let mut fields = Vec::new();
    let mut arrays = Vec::new();
    for column in df.columns() {
        let array = narrow_lists(
            column
                .as_materialized_series()
                .rechunk()
                .to_arrow(0, CompatLevel::oldest()),
        )?;
        fields.push(Field::new(
            column.name().clone(),
            array.dtype().clone(),
            true,
        ));
        arrays.push(array);
    }
    let schema: ArrowSchema = fields.into_iter().map(|f| (f.name.clone(), f)).collect();
    let schema = std::sync::Arc::new(schema);
    let mut bytes = Vec::new();
    let mut writer = StreamWriter::new(&mut bytes, WriteOptions { compression: None });
    writer.start(&schema, None)?;
    writer.write(
        &RecordBatchT::try_new(df.height(), schema.clone(), arrays)?,
        None,
    )?;
    writer.finish()?;
    Ok(bytes)
}

/// The array with every `LargeList` inside it made a `List`.
fn narrow_lists(array: Box<dyn Array>) -> PolarsResult<Box<dyn Array>> {
    Ok(match array.dtype() {
        ArrowDataType::LargeList(inner) => {
            let list = array
                .as_any()
                .downcast_ref::<ListArray<i64>>()
                .expect("a LargeList is a ListArray<i64>");
            let values = narrow_lists(list.values().clone())?;
            let field = Field::new(inner.name.clone(), values.dtype().clone(), true);
            ListArray::<i32>::new(
                ArrowDataType::List(Box::new(field)),
                OffsetsBuffer::<i32>::try_from(list.offsets())?,
                values,
                list.validity().cloned(),
            )
            .boxed()
        }
        ArrowDataType::Struct(inner) => {
            let s = array
                .as_any()
                .downcast_ref::<StructArray>()
                .expect("a Struct is a StructArray");
            let values = s
                .values()
                .iter()
                .map(|v| narrow_lists(v.clone()))
                .collect::<PolarsResult<Vec<_>>>()?;
            let fields = inner
                .iter()
                .zip(&values)
                .map(|(f, v)| Field::new(f.name.clone(), v.dtype().clone(), true))
                .collect();
            StructArray::new(
                ArrowDataType::Struct(fields),
                s.len(),
                values,
                s.validity().cloned(),
            )
            .boxed()
        }
        _ => array,
    })
}

/// A plain value from its repr: constants, lists, tuples, dicts, `Row(…)`,
/// `datetime.date(…)` and `datetime.datetime(…)`.
fn value_of_repr(repr: &str) -> Result<Value, LangError> {
    let stmts = crate::syntax::parser::parse(repr)?;
    match stmts.as_slice() {
        [Stmt::Expr(e)] => value_of(e),
        _ => None,
    }
    .ok_or_else(|| unsupported(&format!("createDataFrame() of {repr}")))
}

fn value_of(e: &Expr) -> Option<Value> {
    let all = |items: &[Expr]| items.iter().map(value_of).collect::<Option<Vec<_>>>();
    Some(match &e.kind {
        ExprKind::None => Value::None,
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::Int(i) => Value::Int(*i),
        ExprKind::Float(f) => Value::Float(*f),
        ExprKind::Str(s) => Value::Str(s.clone()),
        ExprKind::Unary(UnOp::Neg, inner) => match value_of(inner)? {
            Value::Int(i) => Value::Int(i.checked_neg()?),
            Value::Float(f) => Value::Float(-f),
            _ => return None,
        },
        ExprKind::List(items) => Value::List(all(items)?.into()),
        ExprKind::Tuple(items) => Value::Tuple(all(items)?.into()),
        ExprKind::Dict(items) => Value::Dict(
            items
                .iter()
                .map(|(k, v)| Some((value_of(k)?, value_of(v)?)))
                .collect::<Option<Vec<_>>>()?
                .into(),
        ),
        ExprKind::Call(callee, args) => {
            let ints = || {
                args.iter()
                    .map(|a| match (&a.name, value_of(&a.value)?) {
                        (None, Value::Int(i)) => u32::try_from(i).ok(),
                        _ => None,
                    })
                    .collect::<Option<Vec<u32>>>()
            };
            match &callee.kind {
                ExprKind::Name(n) if n == "Row" => Value::Row(
                    args.iter()
                        .map(|a| Some((a.name.clone()?, value_of(&a.value)?)))
                        .collect::<Option<_>>()?,
                ),
                ExprKind::Attr(module, name, _) if matches!(&module.kind, ExprKind::Name(m) if m == "datetime") =>
                {
                    let parts = ints()?;
                    let part = |i: usize| parts.get(i).copied().unwrap_or(0);
                    let date = chrono::NaiveDate::from_ymd_opt(part(0) as i32, part(1), part(2))?;
                    match name.as_str() {
                        "date" if parts.len() == 3 => Value::Date(date),
                        "datetime" if parts.len() >= 3 => Value::Timestamp(
                            date.and_hms_micro_opt(part(3), part(4), part(5), part(6))?,
                        ),
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_from_their_reprs() {
        for v in [
            Value::Row(vec![
                ("id".into(), Value::Int(1)),
                (
                    "dia".into(),
                    Value::Date(chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
                ),
                (
                    "itens".into(),
                    Value::List(vec![Value::Str("livro".into()), Value::None].into()),
                ),
            ]),
            Value::Timestamp(
                chrono::NaiveDate::from_ymd_opt(2024, 1, 15)
                    .unwrap()
                    .and_hms_micro_opt(10, 30, 5, 7)
                    .unwrap(),
            ),
            Value::Dict(vec![(Value::Str("a".into()), Value::Float(-1.5))].into()),
            Value::Tuple(vec![Value::Int(-3), Value::Bool(true)].into()),
        ] {
            assert_eq!(value_of_repr(&v.repr()).unwrap().repr(), v.repr());
        }
        assert!(value_of_repr("col('a')").is_err());
    }
}
