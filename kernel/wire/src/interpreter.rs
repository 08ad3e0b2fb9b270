//! The language side of a kernel, in the spirit of xeus' `xinterpreter`: the wire layer owns
//! sockets, signing, status, execution counts and history; an [`Interpreter`] only evaluates.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Map, Value};

/// A MIME bundle: `{"text/plain": "...", "text/html": "..."}`.
pub type MimeBundle = Map<String, Value>;

/// Builds a bundle from `(mime, text)` pairs.
pub fn bundle<'a>(items: impl IntoIterator<Item = (&'a str, String)>) -> MimeBundle {
    items
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v)))
        .collect()
}

/// Which stream a `stream` message writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamName {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Where an executing cell sends its side outputs; the wire layer turns each call into an
/// IOPub message parented to the request.
pub trait Output {
    /// A `stream` message.
    fn stream(&mut self, name: StreamName, text: &str);
    /// A `display_data` message; `display_id` makes it updatable later.
    fn display(&mut self, data: MimeBundle, display_id: Option<&str>);
    /// An `update_display_data` message for an earlier display.
    fn update_display(&mut self, data: MimeBundle, display_id: &str);
    /// A `clear_output` message.
    fn clear_output(&mut self, wait: bool);
    /// Text for the frontend's pager, sent as a `page` payload of the execute reply.
    fn page(&mut self, data: MimeBundle);
}

/// Cooperative cancellation: set by `interrupt_request`, polled by long-running work.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }
    /// Asks the running cell to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether an interrupt arrived.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    /// Clears a stale interrupt before the next cell.
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Called from the control task on `interrupt_request`.
pub type InterruptHook = Box<dyn Fn() + Send + Sync>;

/// What one execution may use besides the code.
pub struct ExecuteContext<'a> {
    /// The cell's execution count (already incremented when history is stored).
    pub execution_count: u32,
    /// Side outputs.
    pub output: &'a mut dyn Output,
    /// Interrupt flag.
    pub cancel: &'a CancelToken,
}

/// A failed execution, shown as an `error` message and an error reply.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionError {
    /// Exception class name, e.g. `AnalysisException`.
    pub ename: String,
    /// One-line message.
    pub evalue: String,
    /// The report, one entry per line.
    pub traceback: Vec<String>,
}

impl ExecutionError {
    /// The error an interrupted cell reports.
    pub fn interrupted() -> Self {
        ExecutionError {
            ename: "KeyboardInterrupt".into(),
            evalue: "execution interrupted".into(),
            traceback: vec!["KeyboardInterrupt: execution interrupted".into()],
        }
    }
}

/// A `complete_reply`'s content, positions in Unicode code points.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Completion {
    /// Candidate texts.
    pub matches: Vec<String>,
    /// Start of the text the matches replace.
    pub cursor_start: usize,
    /// End of the text the matches replace.
    pub cursor_end: usize,
}

/// An `is_complete_reply` status; `Unknown` when the interpreter cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum IsComplete {
    /// Ready to run.
    Complete,
    /// More lines expected, with the suggested indent.
    Incomplete(String),
    /// Cannot run as is.
    Invalid,
    /// The interpreter cannot tell.
    #[default]
    Unknown,
}

/// The language half of `kernel_info_reply`.
#[derive(Debug, Clone, PartialEq)]
pub struct KernelInfo {
    /// `implementation` (the kernel's name).
    pub implementation: String,
    /// `implementation_version`.
    pub implementation_version: String,
    /// The full `language_info` object.
    pub language_info: Value,
    /// Shown by consoles at start.
    pub banner: String,
    /// Links for the Help menu: `[{"text":..., "url":...}]`.
    pub help_links: Value,
}

/// The language: evaluation, completion, inspection. Runs on one dedicated thread, so it
/// may block and need not be `Sync`.
pub trait Interpreter: Send {
    /// Static facts for `kernel_info_reply`.
    fn kernel_info(&self) -> KernelInfo;

    /// Runs a cell. `Ok(Some(bundle))` becomes the `execute_result`.
    fn execute(
        &mut self,
        code: &str,
        ctx: &mut ExecuteContext<'_>,
    ) -> Result<Option<MimeBundle>, ExecutionError>;

    /// Completion candidates at `cursor_pos` (code points).
    fn complete(&mut self, code: &str, cursor_pos: usize) -> Completion;

    /// Help for the name at `cursor_pos`, if any.
    fn inspect(&mut self, code: &str, cursor_pos: usize, detail_level: u8) -> Option<MimeBundle>;

    /// Whether `code` is ready to run.
    fn is_complete(&mut self, code: &str) -> IsComplete;

    /// Extra work to do on the control task when an interrupt arrives, after the wire layer
    /// has set the [`CancelToken`] (e.g. stopping a query engine). Asked for once, at start.
    fn interrupt_hook(&self) -> Option<InterruptHook> {
        None
    }
}
