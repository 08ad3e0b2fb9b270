//! Binding the five channels: which socket each one is, the limits every socket enforces on
//! what a peer sends, and which port a channel actually took.

use zeromq::{Endpoint, Socket, SocketOptions};

use crate::{ConnectionInfo, WireError};

/// The largest message a peer may send unless configured otherwise: generous for notebook
/// cells (a 50 MB cell is fine) and far below what would exhaust memory.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// What every socket refuses from a peer, checked before anything is allocated for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A message (all its frames) longer than this drops the peer's connection.
    pub max_message_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
        }
    }
}

/// The five channels of a connection file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Channel {
    Shell,
    Control,
    Stdin,
    Iopub,
    Heartbeat,
}

impl Channel {
    fn name(self) -> &'static str {
        match self {
            Channel::Shell => "shell",
            Channel::Control => "control",
            Channel::Stdin => "stdin",
            Channel::Iopub => "iopub",
            Channel::Heartbeat => "heartbeat",
        }
    }

    fn port(self, conn: &mut ConnectionInfo) -> &mut u16 {
        match self {
            Channel::Shell => &mut conn.shell_port,
            Channel::Control => &mut conn.control_port,
            Channel::Stdin => &mut conn.stdin_port,
            Channel::Iopub => &mut conn.iopub_port,
            Channel::Heartbeat => &mut conn.hb_port,
        }
    }
}

/// Binds one channel's socket with `limits`, recording in `conn` the port it took (a port
/// of 0 in the file means any free one, as ipykernel does).
pub(crate) async fn bind<S: Socket>(
    conn: &mut ConnectionInfo,
    channel: Channel,
    limits: Limits,
) -> Result<S, WireError> {
    let mut options = SocketOptions::default();
    options.max_message_size(Some(limits.max_message_bytes));
    let mut socket = S::with_options(options);
    let requested = *channel.port(conn);
    let endpoint = socket
        .bind(&conn.endpoint(requested))
        .await
        .map_err(|source| WireError::Socket {
            channel: channel.name(),
            source,
        })?;
    if let Endpoint::Tcp(_, port) = endpoint {
        *channel.port(conn) = port;
    }
    Ok(socket)
}
