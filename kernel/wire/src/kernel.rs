//! The kernel proper: binds the five channels, dispatches requests, owns execution counts,
//! history and busy/idle, and runs the [`Interpreter`] on a dedicated thread so control and
//! heartbeat stay responsive while a cell runs.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};
use zeromq::{PubSocket, RepSocket, RouterSocket, SocketRecv, SocketSend, ZmqMessage};

use crate::binding::{Channel, Limits, bind};

use crate::interpreter::{
    CancelToken, Completion, ExecuteContext, ExecutionError, Interpreter, InterruptHook,
    IsComplete, KernelInfo, MimeBundle, Output, StreamName,
};
use crate::{Codec, ConnectionInfo, Message, PROTOCOL_VERSION, WireError};

/// How long after a failed cell queued `execute_request`s are still aborted; covers
/// requests a client sent back to back that are still in flight ("Run All").
const ABORT_GRACE: Duration = Duration::from_millis(20);

/// A kernel bound to its connection file's ports, ready to [`Kernel::run`].
pub struct Kernel {
    codec: Arc<Codec>,
    shell: RouterSocket,
    control: RouterSocket,
    stdin: RouterSocket,
    iopub: PubSocket,
    heartbeat: RepSocket,
    connection: ConnectionInfo,
}

/// What [`Kernel::run`] ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelHandle {
    /// The client asked for a restart in its `shutdown_request`.
    pub restart: bool,
}

impl Kernel {
    /// Binds shell, control and stdin (ROUTER), iopub (PUB) and heartbeat (REP) exactly to
    /// the connection file's `ip` and ports, every socket refusing messages over `limits`.
    /// A port of 0 takes a free one; [`Kernel::connection`] tells which.
    pub async fn bind(conn: &ConnectionInfo, limits: Limits) -> Result<Self, WireError> {
        conn.validate()?;
        let mut bound = conn.clone();
        Ok(Kernel {
            codec: Arc::new(Codec::new(&conn.key)),
            shell: bind(&mut bound, Channel::Shell, limits).await?,
            control: bind(&mut bound, Channel::Control, limits).await?,
            stdin: bind(&mut bound, Channel::Stdin, limits).await?,
            iopub: bind(&mut bound, Channel::Iopub, limits).await?,
            heartbeat: bind(&mut bound, Channel::Heartbeat, limits).await?,
            connection: bound,
        })
    }

    /// The connection as bound: the file's, with any port 0 replaced by the port taken.
    pub fn connection(&self) -> &ConnectionInfo {
        &self.connection
    }

    /// Serves until a `shutdown_request`. Must run inside a multi-threaded tokio runtime.
    pub async fn run(self, interpreter: Box<dyn Interpreter>) -> KernelHandle {
        let Kernel {
            codec,
            shell,
            control,
            stdin,
            iopub,
            heartbeat,
            connection: _,
        } = self;
        let info = interpreter.kernel_info();
        let hook = interpreter.interrupt_hook();
        let cancel = CancelToken::new();

        let publisher = Publisher::spawn(iopub, codec.clone());
        publisher.publish(None, "status", json!({"execution_state": "starting"}));

        tokio::spawn(heartbeat_loop(heartbeat));
        tokio::spawn(drain_loop(stdin, "stdin"));

        let worker = Worker::spawn(interpreter, publisher.clone(), cancel.clone());
        let (shutdown_tx, mut shutdown_rx) = mpsc::unbounded_channel::<bool>();

        let (shell_send, shell_recv) = shell.split();
        let (shell_tx, shell_rx) = mpsc::unbounded_channel();
        tokio::spawn(read_loop(shell_recv, codec.clone(), shell_tx, "shell"));
        let shell = Shell {
            codec: codec.clone(),
            socket: shell_send,
            publisher: publisher.clone(),
            worker,
            info: info.clone(),
            execution_count: 0,
            history: Vec::new(),
            pending: VecDeque::new(),
            incoming: shell_rx,
            shutdown: shutdown_tx.clone(),
        };
        tokio::spawn(shell.serve());
        let control = Control {
            codec,
            socket: control,
            publisher: publisher.clone(),
            info,
            cancel,
            hook,
            shutdown: shutdown_tx,
        };
        tokio::spawn(control.serve());

        let restart = shutdown_rx.recv().await.unwrap_or(false);
        publisher.flush().await;
        KernelHandle { restart }
    }
}

/// Feeds IOPub from one task so messages leave in the order they were produced.
#[derive(Clone)]
struct Publisher {
    tx: mpsc::UnboundedSender<IopubCommand>,
    codec: Arc<Codec>,
}

enum IopubCommand {
    Publish(Box<Message>),
    Flush(oneshot::Sender<()>),
}

impl Publisher {
    fn spawn(mut socket: PubSocket, codec: Arc<Codec>) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<IopubCommand>();
        let encoder = codec.clone();
        tokio::spawn(async move {
            while let Some(command) = rx.recv().await {
                match command {
                    IopubCommand::Publish(message) => {
                        let frames = encoder.encode(&message);
                        if let Err(e) = send_frames(&mut socket, frames).await {
                            tracing::warn!("iopub send failed: {e}");
                        }
                    }
                    IopubCommand::Flush(done) => {
                        let _ = done.send(());
                    }
                }
            }
        });
        Publisher { tx, codec }
    }

    fn publish(&self, parent: Option<&Message>, msg_type: &str, content: Value) {
        let message = self.codec.broadcast(parent, msg_type, content);
        let _ = self.tx.send(IopubCommand::Publish(Box::new(message)));
    }

    fn status(&self, parent: &Message, state: &str) {
        self.publish(Some(parent), "status", json!({"execution_state": state}));
    }

    /// Resolves once everything published before has been handed to the socket.
    async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(IopubCommand::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

async fn send_frames<S: SocketSend>(socket: &mut S, frames: Vec<Bytes>) -> Result<(), String> {
    let message = ZmqMessage::try_from(frames).map_err(|e| e.to_string())?;
    socket.send(message).await.map_err(|e| e.to_string())
}

async fn heartbeat_loop(mut socket: RepSocket) {
    loop {
        match socket.recv().await {
            Ok(ping) => {
                if let Err(e) = socket.send(ping).await {
                    tracing::warn!("heartbeat send failed: {e}");
                }
            }
            Err(e) => {
                tracing::warn!("heartbeat recv failed: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

/// The stdin channel is bound so clients can connect; the language never asks for input.
async fn drain_loop(mut socket: RouterSocket, channel: &'static str) {
    loop {
        if let Err(e) = socket.recv().await {
            tracing::debug!("{channel} recv failed: {e}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Receives, verifies and forwards; anything that fails to decode is logged and dropped.
/// What the shell's reader hands the shell: a request, or a signed request whose content
/// could not be read, which still gets its reply.
enum Incoming {
    Request(Box<Message>),
    Unreadable(Box<Message>, String),
}

async fn read_loop<R: SocketRecv>(
    mut socket: R,
    codec: Arc<Codec>,
    tx: mpsc::UnboundedSender<Incoming>,
    channel: &'static str,
) {
    loop {
        let incoming = match socket.recv().await {
            Ok(frames) => match codec.decode(frames.into_vec()) {
                Ok(message) => Incoming::Request(Box::new(message)),
                Err(WireError::UnreadableContent { request, reason }) => {
                    tracing::warn!("{channel}: unreadable content: {reason}");
                    Incoming::Unreadable(request, reason)
                }
                Err(e) => {
                    tracing::warn!("{channel}: dropped message: {e}");
                    continue;
                }
            },
            Err(e) => {
                tracing::debug!("{channel} recv failed: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        if tx.send(incoming).is_err() {
            return;
        }
    }
}

/// The reply to a request whose content could not be read: `<name>_reply` with an error,
/// as Python's `ValueError` (what `json.loads` would raise for text it rejects). Requests
/// that take no reply (`comm_msg`, say) get none.
fn unreadable_reply(request: &Message, reason: &str) -> Option<(String, Value)> {
    let name = request.msg_type().strip_suffix("_request")?;
    let evalue = format!("the request's content is not valid JSON text: {reason}");
    Some((
        format!("{name}_reply"),
        json!({
            "status": "error",
            "ename": "ValueError",
            "evalue": evalue,
            "traceback": [format!("ValueError: {evalue}")],
        }),
    ))
}

fn kernel_info_content(info: &KernelInfo) -> Value {
    json!({
        "status": "ok",
        "protocol_version": PROTOCOL_VERSION,
        "implementation": info.implementation,
        "implementation_version": info.implementation_version,
        "language_info": info.language_info,
        "banner": info.banner,
        "help_links": info.help_links,
        "debugger": false,
    })
}

struct Shell {
    codec: Arc<Codec>,
    socket: zeromq::RouterSendHalf,
    publisher: Publisher,
    worker: Worker,
    info: KernelInfo,
    execution_count: u32,
    history: Vec<(u32, String)>,
    pending: VecDeque<Message>,
    incoming: mpsc::UnboundedReceiver<Incoming>,
    shutdown: mpsc::UnboundedSender<bool>,
}

impl Shell {
    async fn serve(mut self) {
        loop {
            let request = match self.pending.pop_front() {
                Some(request) => request,
                None => match self.incoming.recv().await {
                    Some(Incoming::Request(request)) => *request,
                    Some(Incoming::Unreadable(request, reason)) => {
                        self.answer_unreadable(&request, &reason).await;
                        continue;
                    }
                    None => return,
                },
            };
            self.publisher.status(&request, "busy");
            self.dispatch(&request).await;
            self.publisher.status(&request, "idle");
        }
    }

    async fn reply(&mut self, request: &Message, msg_type: &str, content: Value) {
        let reply = self.codec.reply(request, msg_type, content);
        // Outputs first: the client sees the reply only after every output of the request.
        self.publisher.flush().await;
        if let Err(e) = send_frames(&mut self.socket, self.codec.encode(&reply)).await {
            tracing::warn!("shell send failed: {e}");
        }
    }

    async fn answer_unreadable(&mut self, request: &Message, reason: &str) {
        self.publisher.status(request, "busy");
        if let Some((msg_type, mut content)) = unreadable_reply(request, reason) {
            if request.msg_type() == "execute_request" {
                content["execution_count"] = self.execution_count.into();
                content["user_expressions"] = json!({});
                content["payload"] = json!([]);
                let error = json!({
                    "ename": content["ename"], "evalue": content["evalue"],
                    "traceback": content["traceback"],
                });
                self.publisher.publish(Some(request), "error", error);
            }
            self.reply(request, &msg_type, content).await;
        }
        self.publisher.status(request, "idle");
    }

    async fn dispatch(&mut self, request: &Message) {
        let content = &request.content;
        match request.msg_type() {
            "kernel_info_request" => {
                let content = kernel_info_content(&self.info);
                self.reply(request, "kernel_info_reply", content).await;
            }
            "execute_request" => self.execute(request).await,
            "complete_request" => {
                let code = str_field(content, "code");
                let cursor = usize_field(content, "cursor_pos", code.chars().count());
                let c = self.worker.complete(code, cursor).await;
                let reply = json!({
                    "status": "ok",
                    "matches": c.matches,
                    "cursor_start": c.cursor_start,
                    "cursor_end": c.cursor_end,
                    "metadata": {},
                });
                self.reply(request, "complete_reply", reply).await;
            }
            "inspect_request" => {
                let code = str_field(content, "code");
                let cursor = usize_field(content, "cursor_pos", code.chars().count());
                let detail = content["detail_level"].as_u64().unwrap_or(0).min(1) as u8;
                let found = self.worker.inspect(code, cursor, detail).await;
                let reply = json!({
                    "status": "ok",
                    "found": found.is_some(),
                    "data": found.unwrap_or_default(),
                    "metadata": {},
                });
                self.reply(request, "inspect_reply", reply).await;
            }
            "is_complete_request" => {
                let status = self.worker.is_complete(str_field(content, "code")).await;
                let reply = match status {
                    IsComplete::Complete => json!({"status": "complete"}),
                    IsComplete::Incomplete(indent) => {
                        json!({"status": "incomplete", "indent": indent})
                    }
                    IsComplete::Invalid => json!({"status": "invalid"}),
                    IsComplete::Unknown => json!({"status": "unknown"}),
                };
                self.reply(request, "is_complete_reply", reply).await;
            }
            "history_request" => {
                let history = self.history_entries(content);
                let reply = json!({"status": "ok", "history": history});
                self.reply(request, "history_reply", reply).await;
            }
            "comm_info_request" => {
                self.reply(
                    request,
                    "comm_info_reply",
                    json!({"status": "ok", "comms": {}}),
                )
                .await;
            }
            "comm_open" => {
                // No comm targets exist: close it so the frontend does not wait.
                let comm_id = content["comm_id"].clone();
                self.publisher.publish(
                    Some(request),
                    "comm_close",
                    json!({"comm_id": comm_id, "data": {}}),
                );
            }
            "comm_msg" | "comm_close" => {}
            "shutdown_request" => {
                let restart = content["restart"].as_bool().unwrap_or(false);
                let reply = json!({"status": "ok", "restart": restart});
                self.reply(request, "shutdown_reply", reply).await;
                let _ = self.shutdown.send(restart);
            }
            other => tracing::warn!("shell: unsupported message type {other:?}"),
        }
    }

    async fn execute(&mut self, request: &Message) {
        let content = &request.content;
        let code = str_field(content, "code").to_string();
        let silent = content["silent"].as_bool().unwrap_or(false);
        let store_history = content["store_history"].as_bool().unwrap_or(true) && !silent;
        let stop_on_error = content["stop_on_error"].as_bool().unwrap_or(true);
        if store_history {
            self.execution_count += 1;
            self.history.push((self.execution_count, code.clone()));
        }
        let count = self.execution_count;
        if !silent {
            self.publisher.publish(
                Some(request),
                "execute_input",
                json!({"code": code, "execution_count": count}),
            );
        }
        let (result, pages) = self.worker.execute(code, count, request.clone()).await;
        match result {
            Ok(value) => {
                if let (Some(data), false) = (value, silent) {
                    self.publisher.publish(
                        Some(request),
                        "execute_result",
                        json!({"execution_count": count, "data": data, "metadata": {}}),
                    );
                }
                let reply = json!({
                    "status": "ok",
                    "execution_count": count,
                    "user_expressions": {},
                    "payload": pages,
                });
                self.reply(request, "execute_reply", reply).await;
            }
            Err(error) => {
                let ExecutionError {
                    ename,
                    evalue,
                    traceback,
                } = error;
                if !silent {
                    self.publisher.publish(
                        Some(request),
                        "error",
                        json!({"ename": ename, "evalue": evalue, "traceback": traceback}),
                    );
                }
                let reply = json!({
                    "status": "error",
                    "execution_count": count,
                    "ename": ename,
                    "evalue": evalue,
                    "traceback": traceback,
                    "user_expressions": {},
                    "payload": [],
                });
                // Collect what was queued *before* replying, so a cell sent after the user
                // saw the error is not aborted; answer the queued ones after the error.
                let queued = if stop_on_error {
                    self.take_queued_executes().await
                } else {
                    vec![]
                };
                self.reply(request, "execute_reply", reply).await;
                for queued in queued {
                    self.publisher.status(&queued, "busy");
                    let reply = json!({
                        "status": "aborted",
                        "execution_count": self.execution_count,
                        "user_expressions": {},
                        "payload": [],
                    });
                    self.reply(&queued, "execute_reply", reply).await;
                    self.publisher.status(&queued, "idle");
                }
            }
        }
    }

    /// Removes the execute_requests already queued; other requests keep their place.
    async fn take_queued_executes(&mut self) -> Vec<Message> {
        tokio::time::sleep(ABORT_GRACE).await;
        while let Ok(incoming) = self.incoming.try_recv() {
            match incoming {
                Incoming::Request(request) => self.pending.push_back(*request),
                Incoming::Unreadable(request, reason) => {
                    self.answer_unreadable(&request, &reason).await;
                }
            }
        }
        let mut executes = Vec::new();
        for request in std::mem::take(&mut self.pending) {
            if request.msg_type() == "execute_request" {
                executes.push(request);
            } else {
                self.pending.push_back(request);
            }
        }
        executes
    }

    /// `tail` and `range` over this session's inputs, as `(session, line, input)` triples.
    fn history_entries(&self, content: &Value) -> Vec<Value> {
        let with_output = content["output"].as_bool().unwrap_or(false);
        let entry = |(line, code): &(u32, String)| {
            if with_output {
                json!([0, line, [code, null]])
            } else {
                json!([0, line, code])
            }
        };
        match str_field(content, "hist_access_type") {
            "tail" => {
                let n = content["n"].as_u64().unwrap_or(10) as usize;
                let skip = self.history.len().saturating_sub(n);
                self.history[skip..].iter().map(entry).collect()
            }
            "range" => {
                let start = content["start"].as_i64().unwrap_or(0);
                let stop = content["stop"].as_i64().unwrap_or(i64::MAX);
                self.history
                    .iter()
                    .filter(|(line, _)| i64::from(*line) >= start && i64::from(*line) < stop)
                    .map(entry)
                    .collect()
            }
            "search" => {
                // IPython's search: a glob over inputs, newest last, optionally unique.
                let pattern = wildmatch::WildMatch::new(str_field(content, "pattern"));
                let n = content["n"].as_u64().map_or(usize::MAX, |n| n as usize);
                let unique = content["unique"].as_bool().unwrap_or(false);
                let mut seen = std::collections::HashSet::new();
                let mut hits: Vec<&(u32, String)> = self
                    .history
                    .iter()
                    .rev()
                    .filter(|(_, code)| pattern.matches(code))
                    .filter(|(_, code)| !unique || seen.insert(code.as_str()))
                    .take(n)
                    .collect();
                hits.reverse();
                hits.into_iter().map(entry).collect()
            }
            _ => Vec::new(),
        }
    }
}

struct Control {
    codec: Arc<Codec>,
    socket: RouterSocket,
    publisher: Publisher,
    info: KernelInfo,
    cancel: CancelToken,
    hook: Option<InterruptHook>,
    shutdown: mpsc::UnboundedSender<bool>,
}

impl Control {
    /// Control requests are answered even while a cell runs on the interpreter thread.
    async fn serve(mut self) {
        loop {
            let frames = match self.socket.recv().await {
                Ok(frames) => frames,
                Err(e) => {
                    tracing::debug!("control recv failed: {e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            };
            let request = match self.codec.decode(frames.into_vec()) {
                Ok(request) => request,
                Err(WireError::UnreadableContent { request, reason }) => {
                    tracing::warn!("control: unreadable content: {reason}");
                    if let Some((msg_type, content)) = unreadable_reply(&request, &reason) {
                        let reply = self.codec.reply(&request, &msg_type, content);
                        if let Err(e) =
                            send_frames(&mut self.socket, self.codec.encode(&reply)).await
                        {
                            tracing::warn!("control send failed: {e}");
                        }
                    }
                    continue;
                }
                Err(e) => {
                    tracing::warn!("control: dropped message: {e}");
                    continue;
                }
            };
            self.publisher.status(&request, "busy");
            let (msg_type, content, stop) = match request.msg_type() {
                "kernel_info_request" => {
                    ("kernel_info_reply", kernel_info_content(&self.info), None)
                }
                "interrupt_request" => {
                    self.cancel.cancel();
                    if let Some(hook) = &self.hook {
                        hook();
                    }
                    ("interrupt_reply", json!({"status": "ok"}), None)
                }
                "shutdown_request" => {
                    let restart = request.content["restart"].as_bool().unwrap_or(false);
                    self.cancel.cancel();
                    (
                        "shutdown_reply",
                        json!({"status": "ok", "restart": restart}),
                        Some(restart),
                    )
                }
                other => {
                    tracing::warn!("control: unsupported message type {other:?}");
                    self.publisher.status(&request, "idle");
                    continue;
                }
            };
            let reply = self.codec.reply(&request, msg_type, content);
            self.publisher.flush().await;
            if let Err(e) = send_frames(&mut self.socket, self.codec.encode(&reply)).await {
                tracing::warn!("control send failed: {e}");
            }
            self.publisher.status(&request, "idle");
            if let Some(restart) = stop {
                let _ = self.shutdown.send(restart);
            }
        }
    }
}

fn str_field<'a>(content: &'a Value, key: &str) -> &'a str {
    content[key].as_str().unwrap_or("")
}

fn usize_field(content: &Value, key: &str, default: usize) -> usize {
    content[key].as_u64().map_or(default, |v| v as usize)
}

/// A cell's result and its pager payloads.
type ExecuteOutcome = (Result<Option<MimeBundle>, ExecutionError>, Vec<Value>);

enum Job {
    Execute {
        code: String,
        count: u32,
        parent: Box<Message>,
        done: oneshot::Sender<ExecuteOutcome>,
    },
    Complete {
        code: String,
        cursor: usize,
        done: oneshot::Sender<Completion>,
    },
    Inspect {
        code: String,
        cursor: usize,
        detail: u8,
        done: oneshot::Sender<Option<MimeBundle>>,
    },
    IsComplete {
        code: String,
        done: oneshot::Sender<IsComplete>,
    },
}

/// The interpreter's own thread. A panic inside the language becomes an error reply and
/// the kernel keeps serving.
/// The interpreter thread's stack: deep (but bounded) expressions and the query planner's
/// recursion fit with room to spare; only the pages touched are committed.
const INTERPRETER_STACK: usize = 256 << 20;

struct Worker {
    jobs: std::sync::mpsc::Sender<Job>,
}

impl Worker {
    fn spawn(
        mut interpreter: Box<dyn Interpreter>,
        publisher: Publisher,
        cancel: CancelToken,
    ) -> Self {
        let (jobs, rx) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("interpreter".into())
            .stack_size(INTERPRETER_STACK)
            .spawn(move || {
                for job in rx {
                    run_job(interpreter.as_mut(), job, &publisher, &cancel);
                }
            })
            .expect("spawning the interpreter thread");
        Worker { jobs }
    }

    async fn ask<T: Default>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Job) -> T {
        let (done, wait) = oneshot::channel();
        if self.jobs.send(make(done)).is_err() {
            return T::default();
        }
        wait.await.unwrap_or_default()
    }

    /// Runs a cell; returns its result and any pager payloads.
    async fn execute(&self, code: String, count: u32, parent: Message) -> ExecuteOutcome {
        let stopped = || internal_error("the interpreter thread has stopped");
        let (done, wait) = oneshot::channel();
        let job = Job::Execute {
            code,
            count,
            parent: Box::new(parent),
            done,
        };
        if self.jobs.send(job).is_err() {
            return (Err(stopped()), Vec::new());
        }
        wait.await.unwrap_or_else(|_| (Err(stopped()), Vec::new()))
    }

    async fn complete(&self, code: &str, cursor: usize) -> Completion {
        let code = code.to_string();
        self.ask(|done| Job::Complete { code, cursor, done }).await
    }

    async fn inspect(&self, code: &str, cursor: usize, detail: u8) -> Option<MimeBundle> {
        let code = code.to_string();
        self.ask(|done| Job::Inspect {
            code,
            cursor,
            detail,
            done,
        })
        .await
    }

    async fn is_complete(&self, code: &str) -> IsComplete {
        let code = code.to_string();
        self.ask(|done| Job::IsComplete { code, done }).await
    }
}

fn internal_error(what: &str) -> ExecutionError {
    ExecutionError {
        ename: "InternalError".into(),
        evalue: what.into(),
        traceback: vec![
            format!("InternalError: {what}"),
            "The kernel is still running; please report this.".into(),
        ],
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

fn run_job(
    interpreter: &mut dyn Interpreter,
    job: Job,
    publisher: &Publisher,
    cancel: &CancelToken,
) {
    match job {
        Job::Execute {
            code,
            count,
            parent,
            done,
        } => {
            cancel.reset();
            let mut output = IopubOutput {
                publisher,
                parent: &parent,
                pages: Vec::new(),
            };
            let result = catch_unwind(AssertUnwindSafe(|| {
                let mut ctx = ExecuteContext {
                    execution_count: count,
                    output: &mut output,
                    cancel,
                };
                interpreter.execute(&code, &mut ctx)
            }))
            .unwrap_or_else(|payload| Err(internal_error(&panic_message(payload.as_ref()))));
            let _ = done.send((result, output.pages));
        }
        Job::Complete { code, cursor, done } => {
            let result = catch_unwind(AssertUnwindSafe(|| interpreter.complete(&code, cursor)));
            let _ = done.send(result.unwrap_or_default());
        }
        Job::Inspect {
            code,
            cursor,
            detail,
            done,
        } => {
            let result = catch_unwind(AssertUnwindSafe(|| {
                interpreter.inspect(&code, cursor, detail)
            }));
            let _ = done.send(result.unwrap_or_default());
        }
        Job::IsComplete { code, done } => {
            let result = catch_unwind(AssertUnwindSafe(|| interpreter.is_complete(&code)));
            let _ = done.send(result.unwrap_or_default());
        }
    }
}

/// Turns an interpreter's side outputs into IOPub messages parented to the request.
struct IopubOutput<'a> {
    publisher: &'a Publisher,
    parent: &'a Message,
    /// `page` payloads for the execute reply.
    pages: Vec<Value>,
}

impl Output for IopubOutput<'_> {
    fn stream(&mut self, name: StreamName, text: &str) {
        let name = match name {
            StreamName::Stdout => "stdout",
            StreamName::Stderr => "stderr",
        };
        self.publisher.publish(
            Some(self.parent),
            "stream",
            json!({"name": name, "text": text}),
        );
    }

    fn display(&mut self, data: MimeBundle, display_id: Option<&str>) {
        let transient = display_id.map_or_else(|| json!({}), |id| json!({"display_id": id}));
        self.publisher.publish(
            Some(self.parent),
            "display_data",
            json!({"data": data, "metadata": {}, "transient": transient}),
        );
    }

    fn update_display(&mut self, data: MimeBundle, display_id: &str) {
        self.publisher.publish(
            Some(self.parent),
            "update_display_data",
            json!({"data": data, "metadata": {}, "transient": {"display_id": display_id}}),
        );
    }

    fn page(&mut self, data: MimeBundle) {
        self.pages
            .push(json!({"source": "page", "data": data, "start": 0}));
    }

    fn clear_output(&mut self, wait: bool) {
        self.publisher
            .publish(Some(self.parent), "clear_output", json!({"wait": wait}));
    }
}
