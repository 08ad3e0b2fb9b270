//! `pandas_udf` and `udf`: a notebook function made a UDF runs once on whole columns, so
//! a body of column arithmetic (`s + 1`, `sf.upper(s)`, `when(...)`) compiles to a native
//! column expression — no Python, no pandas. A body that needs pandas itself is an error
//! that names the construct (see `session::functions::udf_result`).

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::types::parse_type;
use crate::core::value::{Module, Value};

const F: &[Module] = &[Module::Functions];

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::function(
        F,
        "pandas_udf(f: any = None, returnType: any = None, functionType: any = None) -> any",
        "Makes a function of columns a UDF returning `returnType`; as a decorator: @pandas_udf(\"long\").",
        pandas_udf,
    ),
    Entry::function(
        F,
        "udf(f: any = None, returnType: any = 'string', useArrow: bool = None) -> any",
        "As pandas_udf: the function's body must be column arithmetic.",
        pandas_udf,
    ),
];

/// A type argument: a DDL name or a DataType object.
fn return_type(
    call: &Call,
    v: &Value,
    param: &str,
) -> Result<polars::prelude::DataType, LangError> {
    match v {
        Value::Type(t) => Ok(t.clone()),
        Value::Str(name) => parse_type(name).ok_or_else(|| {
            LangError::new("ParseException", format!("unknown data type '{name}'"))
                .at(call.span_of(param))
        }),
        other => Err(LangError::type_error(format!(
            "{}() takes a return type (a type name or DataType), not {}",
            call.name,
            other.type_name()
        ))
        .at(call.span_of(param))),
    }
}

fn pandas_udf(_: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    match call.value("f") {
        // `pandas_udf(f, "long")`.
        Value::UserFn(f) => {
            let returns = match call.value("returnType") {
                Value::None => return_type(&call, &Value::Str("string".into()), "returnType")?,
                v => return_type(&call, v, "returnType")?,
            };
            let mut f = f.clone();
            f.returns = Some(Box::new(returns));
            Ok(Value::UserFn(f))
        }
        // `@pandas_udf("long")`, `@udf(returnType="long")`.
        Value::Str(_) | Value::Type(_) => Ok(Value::UdfDecorator(Box::new(return_type(
            &call,
            call.value("f"),
            "f",
        )?))),
        Value::None => {
            let returns = match call.value("returnType") {
                Value::None => return_type(&call, &Value::Str("string".into()), "returnType")?,
                v => return_type(&call, v, "returnType")?,
            };
            Ok(Value::UdfDecorator(Box::new(returns)))
        }
        other => Err(LangError::type_error(format!(
            "{}() takes a function or a return type, not {}",
            call.name,
            other.type_name()
        ))
        .at(call.span_of("f"))),
    }
}
