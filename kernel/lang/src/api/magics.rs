//! Magics: `%%sql`, `%show_tables`, `%jobs`, `%lsmagic`, and the IPython ones the chapter
//! loads (`%load_ext sparksql_magic`, `%alias_magic`), which have nothing to do here.

use crate::api::common::run_shown;
use crate::core::context::Context;
use crate::core::error::{LangError, Span};
use crate::core::output::Output;
use crate::core::value::{Frame, Value};

/// Line (`%x`) or cell (`%%x`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MagicKind {
    /// `%name args`.
    Line,
    /// `%%name args` then a body.
    Cell,
}

/// What a magic was given.
pub struct MagicCall<'a> {
    /// The words after the name.
    pub args: Vec<&'a str>,
    /// The cell's body (empty for line magics).
    pub body: &'a str,
    /// Where the body starts in the cell, for carets.
    pub body_offset: usize,
    /// The magic's first line, for carets.
    pub head: Span,
}

/// What a magic returns: the cell's result, and a variable to set.
#[derive(Default)]
pub struct MagicResult {
    /// Shown as the cell's result.
    pub output: Option<Output>,
    /// `(name, value)` to store in the session.
    pub store: Option<(String, Value)>,
    /// Forget every variable the notebook defined (`%reset -f`).
    pub reset: bool,
}

/// A magic's implementation.
pub type MagicFn = fn(&mut dyn Context, MagicCall<'_>) -> Result<MagicResult, LangError>;

/// One magic: name, kind, usage, doc, implementation.
pub struct Magic {
    /// Without the `%`.
    pub name: &'static str,
    /// Line or cell.
    pub kind: MagicKind,
    /// `%%sql [-o name | name <<] [-v view] [-l limit]`.
    pub usage: &'static str,
    /// One line.
    pub doc: &'static str,
    /// The implementation.
    pub run: MagicFn,
}

/// Every magic.
pub const MAGICS: &[Magic] = &[
    Magic {
        name: "sql",
        kind: MagicKind::Cell,
        usage: "%%sql [-o name | name <<] [-v view] [-l limit]",
        doc: "Runs the cell's SQL over the temp views and shows up to 20 rows; -o stores the DataFrame, -v registers it as a view.",
        run: sql,
    },
    Magic {
        name: "sparksql",
        kind: MagicKind::Cell,
        usage: "%%sparksql [options]",
        doc: "The same as %%sql (sparksql-magic's name).",
        run: sql,
    },
    Magic {
        name: "show_tables",
        kind: MagicKind::Line,
        usage: "%show_tables",
        doc: "Every temp view with its columns and types.",
        run: show_tables,
    },
    Magic {
        name: "jobs",
        kind: MagicKind::Line,
        usage: "%jobs",
        doc: "The job log: every action with its status, time and rows.",
        run: jobs,
    },
    Magic {
        name: "reset",
        kind: MagicKind::Line,
        usage: "%reset -f",
        doc: "Forgets every variable the notebook defined (`spark` stays); temp views and cached data stay, as in IPython.",
        run: reset,
    },
    Magic {
        name: "lsmagic",
        kind: MagicKind::Line,
        usage: "%lsmagic",
        doc: "Lists the magics.",
        run: lsmagic,
    },
    Magic {
        name: "load_ext",
        kind: MagicKind::Line,
        usage: "%load_ext name",
        doc: "Accepted: the extensions it loads are built in.",
        run: nothing,
    },
    Magic {
        name: "reload_ext",
        kind: MagicKind::Line,
        usage: "%reload_ext name",
        doc: "Accepted: the extensions it reloads are built in.",
        run: nothing,
    },
    Magic {
        name: "alias_magic",
        kind: MagicKind::Line,
        usage: "%alias_magic new old",
        doc: "Accepted: %%sql and %%sparksql are both defined already.",
        run: nothing,
    },
    Magic {
        name: "config",
        kind: MagicKind::Line,
        usage: "%config setting",
        doc: "Accepted: IPython settings do not apply to this kernel.",
        run: nothing,
    },
    Magic {
        name: "matplotlib",
        kind: MagicKind::Line,
        usage: "%matplotlib inline",
        doc: "Accepted: no plotting backend to configure.",
        run: nothing,
    },
    Magic {
        name: "autoreload",
        kind: MagicKind::Line,
        usage: "%autoreload",
        doc: "Accepted: there are no Python modules to reload.",
        run: nothing,
    },
];

/// The magic `name` of `kind`.
pub fn find(name: &str, kind: MagicKind) -> Option<&'static Magic> {
    MAGICS.iter().find(|m| m.name == name && m.kind == kind)
}

fn reset(_: &mut dyn Context, call: MagicCall<'_>) -> Result<MagicResult, LangError> {
    // IPython asks for confirmation without -f; a kernel cannot, so it wants the flag.
    match call.args.as_slice() {
        ["-f"] => Ok(MagicResult {
            reset: true,
            ..MagicResult::default()
        }),
        _ => Err(LangError::new(
            "UsageError",
            "%reset asks for confirmation, which a notebook cell cannot give",
        )
        .with_hint("write `%reset -f` to forget every variable")),
    }
}

fn nothing(_: &mut dyn Context, _: MagicCall<'_>) -> Result<MagicResult, LangError> {
    Ok(MagicResult::default())
}

fn show_tables(ctx: &mut dyn Context, _: MagicCall<'_>) -> Result<MagicResult, LangError> {
    let views = ctx
        .views()
        .iter()
        .map(|(n, f)| (n.to_string(), f.schema.clone()))
        .collect();
    Ok(MagicResult {
        output: Some(Output::Views(views)),
        ..MagicResult::default()
    })
}

fn jobs(ctx: &mut dyn Context, _: MagicCall<'_>) -> Result<MagicResult, LangError> {
    Ok(MagicResult {
        output: Some(Output::Jobs(ctx.jobs())),
        ..MagicResult::default()
    })
}

fn lsmagic(_: &mut dyn Context, _: MagicCall<'_>) -> Result<MagicResult, LangError> {
    let list = |kind: MagicKind, pct: &str| {
        MAGICS
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| format!("{pct}{}", m.name))
            .collect::<Vec<_>>()
            .join(" ")
    };
    Ok(MagicResult {
        output: Some(Output::Text(format!(
            "line magics: {}\ncell magics: {}",
            list(MagicKind::Line, "%"),
            list(MagicKind::Cell, "%%")
        ))),
        ..MagicResult::default()
    })
}

/// `%%sql` options.
struct SqlOptions {
    store: Option<String>,
    view: Option<String>,
    limit: usize,
}

fn sql_options(args: &[&str]) -> Result<SqlOptions, LangError> {
    let mut o = SqlOptions {
        store: None,
        view: None,
        limit: 20,
    };
    let mut i = 0;
    while i < args.len() {
        let next = args.get(i + 1).copied();
        match (args[i], next) {
            ("-o" | "--output", Some(name)) => o.store = Some(name.to_string()),
            ("-v" | "--view", Some(view)) => o.view = Some(view.to_string()),
            ("-l" | "--limit", Some(n)) => {
                o.limit = n.parse().map_err(|_| {
                    LangError::new("UsageError", format!("--limit takes a number, got {n:?}"))
                })?;
            }
            ("-c" | "--cache" | "-e" | "--eager", _) => {
                i += 1;
                continue;
            }
            (name, Some("<<")) => o.store = Some(name.to_string()),
            (other, _) => {
                return Err(LangError::new(
                    "UsageError",
                    format!("unknown %%sql option {other:?}"),
                )
                .with_hint("usage: %%sql [-o name | name <<] [-v view] [-l limit]"));
            }
        }
        i += 2;
    }
    Ok(o)
}

fn sql(ctx: &mut dyn Context, call: MagicCall<'_>) -> Result<MagicResult, LangError> {
    let o = sql_options(&call.args).map_err(|e| e.at(call.head))?;
    let query = call.body.trim();
    if query.is_empty() {
        return Err(LangError::new("UsageError", "the %%sql cell has no query").at(call.head));
    }
    // Point at the query when the engine cannot say where.
    let at = call.body_offset + (call.body.len() - call.body.trim_start().len());
    let query_span = Span::new(at, at + query.lines().next().unwrap_or("").len());
    let lf = crate::api::statements::run_sql(ctx, query).map_err(|e| e.at(query_span))?;
    let mut frame: Frame = ctx.engine().analyze(lf).map_err(|e| e.at(query_span))?;
    frame.plan = crate::api::statements::sql_plan(query);
    if let Some(v) = &o.view {
        ctx.engine().register_view(v, &frame)?;
        ctx.views_mut().insert(v, frame.clone());
    }
    let df = run_shown(ctx, "%%sql", &frame, o.limit)?;
    Ok(MagicResult {
        output: Some(Output::Grid {
            df,
            n: o.limit,
            truncate: 0,
            vertical: false,
        }),
        store: o.store.map(|name| (name, Value::Frame(Box::new(frame)))),
        reset: false,
    })
}

/// The magics table of docs/language.md.
pub fn markdown() -> String {
    let mut out = String::from("### Magics\n\n| magic | usage | does |\n|---|---|---|\n");
    for m in MAGICS {
        let pct = if m.kind == MagicKind::Cell { "%%" } else { "%" };
        out.push_str(&format!(
            "| `{pct}{}` | `{}` | {} |\n",
            m.name,
            m.usage.replace('|', "\\|"),
            m.doc
        ));
    }
    out
}
