//! Set operations between DataFrames: `intersect`, `intersectAll`, `subtract`,
//! `exceptAll`. Columns pair up by position, as in Spark, and nulls are equal to each
//! other here (Spark compares rows, not values).

use polars::prelude::*;

use crate::api::call::Call;
use crate::api::common::frame_value;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Frame, Receiver, Value};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "intersect(other: DataFrame) -> DataFrame",
        "Distinct rows found in both frames.",
        intersect,
    ),
    Entry::method(
        DF,
        "intersectAll(other: DataFrame) -> DataFrame",
        "Rows found in both frames, each as often as in both.",
        intersect_all,
    ),
    Entry::method(
        DF,
        "subtract(other: DataFrame) -> DataFrame",
        "Distinct rows not in `other` (SQL's EXCEPT DISTINCT).",
        subtract,
    ),
    Entry::method(
        DF,
        "exceptAll(other: DataFrame) -> DataFrame",
        "Rows not in `other`, duplicates counted (SQL's EXCEPT ALL).",
        except_all,
    ),
];

/// Which rows of the left frame a set operation keeps.
#[derive(Clone, Copy, PartialEq)]
enum Keep {
    InBoth,
    NotInOther,
}

/// The column holding a row's occurrence number among its equal rows.
const OCCURRENCE: &str = "__faisca_occurrence";

fn set_op(
    ctx: &mut dyn Context,
    call: &Call,
    keep: Keep,
    distinct: bool,
) -> Result<Value, LangError> {
    let f = call.this_frame()?;
    let other: Frame = call.frame("other")?;
    if other.schema.len() != f.schema.len() {
        return Err(LangError::analysis(format!(
            "[NUM_COLUMNS_MISMATCH] {} can only be performed on inputs with the same number of columns, but the first input has {} columns and the second input has {} columns.",
            call.name,
            f.schema.len(),
            other.schema.len()
        ))
        .at(call.span_of("other")));
    }
    // The other side under this side's names and types, by position.
    let aligned: Vec<Expr> = f
        .schema
        .iter()
        .zip(other.schema.iter_names())
        .map(|((name, dtype), theirs)| col(theirs.clone()).cast(dtype.clone()).alias(name.clone()))
        .collect();
    let mut left = f.current_lf();
    let mut right = other.current_lf().select(aligned);
    let mut keys: Vec<Expr> = f.columns().iter().map(|c| col(c.as_str())).collect();
    if distinct {
        left = left.unique_stable(None, UniqueKeepStrategy::First);
        right = right.unique_stable(None, UniqueKeepStrategy::First);
    } else {
        // The n-th copy of a row matches the n-th copy on the other side.
        let occurrence = int_range(lit(0), len(), 1, DataType::Int64)
            .over(keys.clone())
            .map_err(|e| LangError::analysis(e.to_string()).at(call.span))?
            .alias(OCCURRENCE);
        left = left.with_column(occurrence.clone());
        right = right.with_column(occurrence);
        keys.push(col(OCCURRENCE));
    }
    let how = match keep {
        Keep::InBoth => JoinType::Semi,
        Keep::NotInOther => JoinType::Anti,
    };
    let mut args = JoinArgs::new(how);
    args.nulls_equal = true;
    let mut lf = left.join(right, keys.clone(), keys, args);
    if !distinct {
        lf = lf.drop(by_name([OCCURRENCE], true, false));
    }
    frame_value(ctx, lf, call.span)
}

fn intersect(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    set_op(ctx, &call, Keep::InBoth, true)
}
fn intersect_all(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    set_op(ctx, &call, Keep::InBoth, false)
}
fn subtract(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    set_op(ctx, &call, Keep::NotInOther, true)
}
fn except_all(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    set_op(ctx, &call, Keep::NotInOther, false)
}
