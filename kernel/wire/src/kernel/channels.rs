//! Socket loops: sending frames, heartbeat, draining stdin, and reading a channel into
//! requests (answering unreadable ones).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use zeromq::{RepSocket, RouterSocket, SocketRecv, SocketSend, ZmqMessage};

use crate::{Codec, Message, WireError};

pub(super) async fn send_frames<S: SocketSend>(
    socket: &mut S,
    frames: Vec<Bytes>,
) -> Result<(), String> {
    let message = ZmqMessage::try_from(frames).map_err(|e| e.to_string())?;
    socket.send(message).await.map_err(|e| e.to_string())
}

pub(super) async fn heartbeat_loop(mut socket: RepSocket) {
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
pub(super) async fn drain_loop(mut socket: RouterSocket, channel: &'static str) {
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
pub(super) enum Incoming {
    Request(Box<Message>),
    Unreadable(Box<Message>, String),
}

pub(super) async fn read_loop<R: SocketRecv>(
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
pub(super) fn unreadable_reply(request: &Message, reason: &str) -> Option<(String, Value)> {
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
