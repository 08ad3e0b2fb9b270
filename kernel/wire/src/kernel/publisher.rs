//! IOPub: one task publishes every message in order; cells' outputs become messages.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};
use zeromq::PubSocket;

use super::channels::send_frames;
use crate::interpreter::{MimeBundle, Output, StreamName};
use crate::{Codec, Message};

/// Feeds IOPub from one task so messages leave in the order they were produced.
#[derive(Clone)]
pub(super) struct Publisher {
    pub(super) tx: mpsc::UnboundedSender<IopubCommand>,
    pub(super) codec: Arc<Codec>,
}

pub(super) enum IopubCommand {
    Publish(Box<Message>),
    Flush(oneshot::Sender<()>),
}

impl Publisher {
    pub(super) fn spawn(mut socket: PubSocket, codec: Arc<Codec>) -> Self {
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

    pub(super) fn publish(&self, parent: Option<&Message>, msg_type: &str, content: Value) {
        let message = self.codec.broadcast(parent, msg_type, content);
        let _ = self.tx.send(IopubCommand::Publish(Box::new(message)));
    }

    pub(super) fn status(&self, parent: &Message, state: &str) {
        self.publish(Some(parent), "status", json!({"execution_state": state}));
    }

    /// Resolves once everything published before has been handed to the socket.
    pub(super) async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(IopubCommand::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

/// Turns an interpreter's side outputs into IOPub messages parented to the request.
pub(super) struct IopubOutput<'a> {
    pub(super) publisher: &'a Publisher,
    pub(super) parent: &'a Message,
    /// `page` payloads for the execute reply.
    pub(super) pages: Vec<Value>,
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
