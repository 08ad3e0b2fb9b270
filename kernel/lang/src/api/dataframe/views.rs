//! Registering a DataFrame as a temp view for SQL.

use crate::api::call::Call;
use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Receiver, Value};

const DF: Receiver = Receiver::DataFrame;

/// The entries.
pub const ENTRIES: &[Entry] = &[
    Entry::method(
        DF,
        "createTempView(name: str) -> None",
        "Registers the frame as a view for SQL; an error if the name is taken.",
        create_temp_view,
    ),
    Entry::method(
        DF,
        "createOrReplaceTempView(name: str) -> None",
        "Registers the frame as a view for SQL, replacing any of that name.",
        create_or_replace_temp_view,
    ),
    Entry::method(
        DF,
        "registerTempTable(name: str) -> None",
        "The old name of createOrReplaceTempView.",
        create_or_replace_temp_view,
    ),
    Entry::method(
        DF,
        "createGlobalTempView(name: str) -> None",
        "Registers the frame as `global_temp.name`; an error if the name is taken.",
        create_temp_view,
    ),
    Entry::method(
        DF,
        "createOrReplaceGlobalTempView(name: str) -> None",
        "Registers the frame as `global_temp.name`, replacing any of that name.",
        create_or_replace_temp_view,
    ),
];

fn create_temp_view(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("name")?;
    if ctx.views().contains(&name) {
        return Err(LangError::new(
            "AnalysisException",
            format!("[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `{name}` because it already exists."),
        )
        .at(call.span_of("name"))
        .with_hint("use createOrReplaceTempView to replace it"));
    }
    create_or_replace_temp_view(ctx, call)
}

fn create_or_replace_temp_view(ctx: &mut dyn Context, call: Call) -> Result<Value, LangError> {
    let name = call.str("name")?;
    let f = call.this_frame()?;
    ctx.engine()
        .register_view(&name, &f)
        .map_err(|e| e.at(call.span))?;
    ctx.views_mut().insert(&name, f);
    Ok(Value::None)
}
