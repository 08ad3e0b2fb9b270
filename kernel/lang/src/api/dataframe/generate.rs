//! `select` with a generator (`explode`, `posexplode`, `inline`): the other columns
//! repeat for each row the generator makes. Spark allows one generator per select.

use polars::prelude::*;

use crate::api::common::{derive_value, new_frame};
use crate::api::functions::generators::DEFAULT_NAME;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::types::{MAP_KEY, MAP_VALUE, map_parts};
use crate::core::value::{Column, Frame, Generator, Value};

/// The generated column while it is being exploded.
const GENERATED: &str = "__faisca_generated";
/// A generated element's position while it is being exploded.
const POSITION: &str = "__faisca_position";

/// `select(cols)` where one column is a generator.
pub fn select_generating(
    ctx: &dyn Context,
    f: Frame,
    cols: &[Column],
    span: Span,
) -> Result<Value, LangError> {
    let generators: Vec<&Column> = cols.iter().filter(|c| c.generator.is_some()).collect();
    let [generator] = generators[..] else {
        return Err(LangError::analysis(format!(
            "[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] only one generator allowed per select clause but found {}",
            generators.len()
        ))
        .at(span)
        .with_hint("explode in two steps: df.select('*', explode('a')).select('*', explode('b'))"));
    };
    let g = generator.generator.expect("filtered on it");
    let exprs: Vec<Expr> = cols
        .iter()
        .map(|c| {
            if c.generator.is_some() {
                c.expr.clone().alias(GENERATED)
            } else {
                c.named()
            }
        })
        .collect();
    // The generated column's type decides the output columns.
    let probe = new_frame(ctx, f.current_lf().select(exprs.clone()).limit(0), span)?;
    let dtype = probe
        .schema
        .get(GENERATED)
        .cloned()
        .unwrap_or(DataType::Null);
    let is_map = map_parts(&dtype).is_some();
    let inner_fields: Vec<String> = match &dtype {
        DataType::List(inner) => match inner.as_ref() {
            DataType::Struct(fields) => fields.iter().map(|f| f.name().to_string()).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    if !matches!(dtype, DataType::List(_)) {
        return Err(LangError::analysis(format!(
            "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{}\" due to data type mismatch: the input should be an array or a map, not \"{}\".",
            generator.name,
            crate::core::types::spark_type(&dtype)
        ))
        .at(span));
    }
    if g.inline && inner_fields.is_empty() {
        return Err(LangError::analysis(
            "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] inline needs an array of structs",
        )
        .at(span));
    }
    // Output names: the alias, or Spark's defaults.
    let aliased = generator.name != DEFAULT_NAME;
    let mut renames: Vec<(String, String)> = Vec::new();
    if is_map {
        renames.push((MAP_KEY.into(), "key".into()));
        renames.push((MAP_VALUE.into(), "value".into()));
    } else if !g.inline {
        let name = if aliased {
            generator.name.clone()
        } else {
            "col".into()
        };
        renames.push((GENERATED.into(), name));
    }
    let plan = move |lf: LazyFrame| generate(lf, exprs.clone(), g, is_map || g.inline, &renames);
    derive_value(ctx, f, span, plan)
}

fn generate(
    lf: LazyFrame,
    exprs: Vec<Expr>,
    g: Generator,
    unnest: bool,
    renames: &[(String, String)],
) -> LazyFrame {
    let mut lf = lf.select(exprs);
    if !g.outer {
        lf = lf.filter(col(GENERATED).list().len().gt(lit(0)));
    }
    let mut exploded = vec![GENERATED];
    if g.position {
        lf = lf.with_column(
            col(GENERATED)
                .list()
                .eval(int_range(lit(0), len(), 1, DataType::Int32))
                .alias(POSITION),
        );
        exploded.push(POSITION);
    }
    let options = ExplodeOptions {
        empty_as_null: true,
        keep_nulls: true,
    };
    lf = lf.explode(by_name(exploded, true, false), options);
    if g.position {
        // `pos` comes just before the generated columns.
        let names = lf
            .clone()
            .collect_schema()
            .map(|s| s.iter_names().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        let mut order: Vec<Expr> = Vec::new();
        for n in names.iter().filter(|n| n.as_str() != POSITION) {
            if n.as_str() == GENERATED {
                order.push(col(POSITION).alias("pos"));
            }
            order.push(col(n.clone()));
        }
        lf = lf.select(order);
    }
    if unnest {
        lf = lf.unnest(by_name([GENERATED], true, false), None);
    }
    let (old, new): (Vec<&str>, Vec<&str>) = renames
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .unzip();
    lf.rename(old, new, false)
}
