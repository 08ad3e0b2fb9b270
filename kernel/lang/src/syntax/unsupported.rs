//! Python statements and keywords outside the subset, each with what to use instead.

use super::lexer::Kw;

/// Keywords the language does not run, and the hint for each.
pub const UNSUPPORTED: &[(Kw, &str)] = &[
    (Kw::Class, "classes are not supported"),
    (Kw::Yield, "generators are not supported"),
    (
        Kw::Global,
        "`global` is not needed: every variable lives in the session",
    ),
    (Kw::Async, "async code is not supported"),
    (Kw::Await, "async code is not supported"),
    (Kw::Raise, "`raise` is not supported"),
];
