//! The API layer: the registry of everything a cell can call, its argument binding, and
//! the implementations by family. Depends on `core` (and the syntax tree's operators)
//! only: data is reached through `core::context::Context` and its engine.

pub mod call;
pub mod collected;
pub mod column;
pub mod column_access;
pub mod column_ops;
pub mod common;
pub mod conf;
pub mod convert;
pub mod create;
pub mod dataframe;
pub mod entry;
pub mod errors;
pub mod functions;
pub mod grouped;
pub mod io;
pub mod magics;
pub mod ml;
pub mod operators;
pub mod plot;
pub mod pydatetime;
pub mod pydict;
pub mod pystr;
pub mod python;
pub mod registry;
pub mod session;
pub mod signature;
pub mod sql_expr;
pub mod sql_literals;
pub mod sql_params;
pub mod statements;
pub mod stdlib;
pub mod tables;
pub mod udf;
pub mod window;
