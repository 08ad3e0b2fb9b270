//! Adapts the language session to the wire layer's `Interpreter` trait.

use faisca_lang::{Emit, Readiness, Session};
use faisca_wire::{
    Completion, ExecuteContext, ExecutionError, Interpreter, IsComplete, KernelInfo, MimeBundle,
    StreamName, bundle,
};
use serde_json::json;

use crate::trim::Trimmer;

/// Cells that ran at least this long ask for freed memory to go back to the system.
const TRIM_AFTER: std::time::Duration = std::time::Duration::from_millis(50);

/// The Faísca language behind the Jupyter protocol.
pub struct FaiscaInterpreter {
    session: Session,
    trimmer: Trimmer,
}

impl FaiscaInterpreter {
    pub fn new(session: Session) -> Self {
        FaiscaInterpreter {
            session,
            trimmer: Trimmer::start(),
        }
    }
}

fn to_bundle(d: faisca_lang::Display) -> MimeBundle {
    let mut items = vec![("text/plain", d.text)];
    if let Some(html) = d.html {
        items.push(("text/html", html));
    }
    let mut b = bundle(items);
    for (mime, data) in d.extra {
        b.insert(mime.to_string(), data);
    }
    b
}

impl Interpreter for FaiscaInterpreter {
    fn kernel_info(&self) -> KernelInfo {
        KernelInfo {
            implementation: "faisca".into(),
            implementation_version: env!("CARGO_PKG_VERSION").into(),
            language_info: json!({
                "name": "faisca",
                "version": env!("CARGO_PKG_VERSION"),
                "mimetype": "text/x-python",
                "file_extension": ".py",
                "pygments_lexer": "python",
                "codemirror_mode": {"name": "python", "version": 3},
                "nbconvert_exporter": "script",
            }),
            banner: format!(
                "Faísca {} — the PySpark notebook workflow on lazy Polars. `spark` is ready.",
                env!("CARGO_PKG_VERSION")
            ),
            help_links: json!([
                {"text": "Faísca language reference", "url": "https://github.com/faisca/faisca/blob/main/docs/language.md"},
                {"text": "PySpark DataFrame API", "url": "https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/dataframe.html"}
            ]),
        }
    }

    fn execute(
        &mut self,
        code: &str,
        ctx: &mut ExecuteContext<'_>,
    ) -> Result<Option<MimeBundle>, ExecutionError> {
        let started = std::time::Instant::now();
        let cancel = ctx.cancel.clone();
        let is_cancelled = move || cancel.is_cancelled();
        let output = &mut *ctx.output;
        let result =
            self.session.execute(
                code,
                ctx.execution_count,
                &is_cancelled,
                &mut |emit| match emit {
                    Emit::Stdout(text) => output.stream(StreamName::Stdout, &text),
                    Emit::Display(d) => output.display(to_bundle(d), None),
                    Emit::ClearOutput(wait) => output.clear_output(wait),
                    Emit::Stderr(text) => output.stream(StreamName::Stderr, &text),
                    Emit::Page(d) => output.page(to_bundle(d)),
                    Emit::Live { id, display, first } if first => {
                        output.display(to_bundle(display), Some(&id))
                    }
                    Emit::Live { id, display, .. } => {
                        output.update_display(to_bundle(display), &id)
                    }
                },
            );
        // Only cells that did real work can have freed much; quick ones cost nothing.
        if started.elapsed() >= TRIM_AFTER {
            self.trimmer.request();
        }
        match result {
            Ok(value) => Ok(value.map(to_bundle)),
            Err(e) => Err(ExecutionError {
                ename: e.error.ename.clone(),
                evalue: e.error.message.clone(),
                traceback: e.traceback,
            }),
        }
    }

    fn complete(&mut self, code: &str, cursor_pos: usize) -> Completion {
        let (matches, cursor_start, cursor_end) = self.session.complete(code, cursor_pos);
        Completion {
            matches,
            cursor_start,
            cursor_end,
        }
    }

    fn inspect(&mut self, code: &str, cursor_pos: usize, _detail_level: u8) -> Option<MimeBundle> {
        self.session.inspect(code, cursor_pos).map(to_bundle)
    }

    fn interrupt_hook(&self) -> Option<faisca_wire::InterruptHook> {
        Some(Box::new(faisca_lang::abort_running_queries))
    }

    fn is_complete(&mut self, code: &str) -> IsComplete {
        match self.session.readiness(code) {
            Readiness::Complete => IsComplete::Complete,
            Readiness::Incomplete => IsComplete::Incomplete("    ".into()),
            Readiness::Invalid => IsComplete::Invalid,
        }
    }
}
