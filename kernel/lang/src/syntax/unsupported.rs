//! Python statements and keywords outside the subset, each with what to use instead.

use super::lexer::Kw;

/// Keywords the language does not run, and the hint for each.
pub const UNSUPPORTED: &[(Kw, &str)] = &[
    (Kw::Class, "classes are not supported"),
    (
        Kw::Try,
        "`try` blocks are not supported; a failing cell keeps the session's variables",
    ),
    (Kw::Yield, "generators are not supported"),
    (
        Kw::Global,
        "`global` is not needed: every variable lives in the session",
    ),
    (
        Kw::Del,
        "`del` is not supported; reassign the variable instead",
    ),
    (Kw::Async, "async code is not supported"),
    (Kw::Await, "async code is not supported"),
    (Kw::Raise, "`raise` is not supported"),
    (
        Kw::Assert,
        "`assert` is not supported; use df.filter(...).count() to check data",
    ),
];
