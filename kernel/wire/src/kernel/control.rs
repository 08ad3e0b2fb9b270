//! The control channel: answered while a cell runs (interrupt, shutdown, kernel info).

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::sync::mpsc;
use zeromq::{RouterSocket, SocketRecv};

use super::channels::{send_frames, unreadable_reply};
use super::fields::kernel_info_content;
use super::publisher::Publisher;
use crate::interpreter::{CancelToken, InterruptHook, KernelInfo};
use crate::{Codec, WireError};

pub(super) struct Control {
    pub(super) codec: Arc<Codec>,
    pub(super) socket: RouterSocket,
    pub(super) publisher: Publisher,
    pub(super) info: KernelInfo,
    pub(super) cancel: CancelToken,
    pub(super) hook: Option<InterruptHook>,
    pub(super) shutdown: mpsc::UnboundedSender<bool>,
}

impl Control {
    /// Control requests are answered even while a cell runs on the interpreter thread.
    pub(super) async fn serve(mut self) {
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
