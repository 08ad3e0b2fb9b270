//! The shell channel: requests in order, execution counts, history, and aborting queued
//! cells after an error.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::channels::{Incoming, send_frames, unreadable_reply};
use super::fields::{kernel_info_content, str_field, usize_field};
use super::publisher::Publisher;
use super::worker::Worker;
use crate::interpreter::{ExecutionError, IsComplete, KernelInfo};
use crate::{Codec, Message};

/// How long after a failed cell queued `execute_request`s are still aborted; covers
/// requests a client sent back to back that are still in flight ("Run All").
const ABORT_GRACE: Duration = Duration::from_millis(20);

pub(super) struct Shell {
    pub(super) codec: Arc<Codec>,
    pub(super) socket: zeromq::RouterSendHalf,
    pub(super) publisher: Publisher,
    pub(super) worker: Worker,
    pub(super) info: KernelInfo,
    pub(super) execution_count: u32,
    pub(super) history: Vec<(u32, String)>,
    pub(super) pending: VecDeque<Message>,
    pub(super) incoming: mpsc::UnboundedReceiver<Incoming>,
    pub(super) shutdown: mpsc::UnboundedSender<bool>,
}

impl Shell {
    pub(super) async fn serve(mut self) {
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

    pub(super) async fn reply(&mut self, request: &Message, msg_type: &str, content: Value) {
        let reply = self.codec.reply(request, msg_type, content);
        // Outputs first: the client sees the reply only after every output of the request.
        self.publisher.flush().await;
        if let Err(e) = send_frames(&mut self.socket, self.codec.encode(&reply)).await {
            tracing::warn!("shell send failed: {e}");
        }
    }

    pub(super) async fn answer_unreadable(&mut self, request: &Message, reason: &str) {
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

    pub(super) async fn dispatch(&mut self, request: &Message) {
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

    pub(super) async fn execute(&mut self, request: &Message) {
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
    pub(super) async fn take_queued_executes(&mut self) -> Vec<Message> {
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
    pub(super) fn history_entries(&self, content: &Value) -> Vec<Value> {
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
