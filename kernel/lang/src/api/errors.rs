//! `pyspark.errors`: the exception classes a notebook imports to name in `except`. An
//! `except` clause matches by class name (see `LangError::is_instance`), so these only
//! need to exist; the value is the class, shown as Python shows it.

use crate::api::entry::Entry;
use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Module, Value};

const E: &[Module] = &[Module::Errors];

macro_rules! class {
    ($name:literal) => {{
        fn get(_: &mut dyn Context, _: Value) -> Result<Value, LangError> {
            Ok(Value::Exception(std::sync::Arc::new((
                $name.to_string(),
                String::new(),
            ))))
        }
        Entry::constant(
            E,
            $name,
            concat!("The ", $name, " class, for `except`."),
            get,
        )
    }};
}

/// The entries.
pub const ENTRIES: &[Entry] = &[
    class!("PySparkException"),
    class!("AnalysisException"),
    class!("ParseException"),
    class!("IllegalArgumentException"),
    class!("ArithmeticException"),
    class!("SparkRuntimeException"),
    class!("SparkNoSuchElementException"),
    class!("PySparkTypeError"),
    class!("PySparkValueError"),
    class!("PySparkRuntimeError"),
    class!("PythonException"),
    class!("TempTableAlreadyExistsException"),
    class!("StreamingQueryException"),
    class!("QueryExecutionException"),
    class!("UnknownException"),
];
