//! The kernel proper: binds the five channels, dispatches requests, owns execution counts,
//! history and busy/idle, and runs the [`Interpreter`] on a dedicated thread so control and
//! heartbeat stay responsive while a cell runs.

use std::collections::VecDeque;
use std::sync::Arc;

use serde_json::json;
use tokio::sync::mpsc;
use zeromq::{PubSocket, RepSocket, RouterSocket};

mod channels;
mod control;
mod fields;
mod publisher;
mod shell;
mod worker;

use channels::{drain_loop, heartbeat_loop, read_loop};
use control::Control;
use publisher::Publisher;
use shell::Shell;
use worker::Worker;

use crate::binding::{Channel, Limits, bind};

use crate::interpreter::{CancelToken, Interpreter};
use crate::{Codec, ConnectionInfo, WireError};

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
