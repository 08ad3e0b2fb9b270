//! The Jupyter wire protocol over ZeroMQ, and nothing else: connection files, the five
//! channels, HMAC signing, message framing and the [`Interpreter`] trait a language plugs
//! into. This crate knows nothing about dataframes.

pub mod binding;
pub mod connection;
pub mod interpreter;
pub mod kernel;
pub mod message;
pub mod signing;
#[cfg(test)]
mod test_vectors;

pub use binding::{DEFAULT_MAX_MESSAGE_BYTES, Limits};
pub use connection::ConnectionInfo;
pub use interpreter::{
    CancelToken, Completion, ExecuteContext, ExecutionError, Interpreter, InterruptHook,
    IsComplete, KernelInfo, MimeBundle, Output, StreamName, bundle,
};
pub use kernel::{Kernel, KernelHandle};
pub use message::{Codec, Message, PROTOCOL_VERSION};

/// Everything that can go wrong below the interpreter.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The connection file is missing, unreadable or unusable.
    #[error("connection file: {0}")]
    ConnectionFile(String),
    /// A multipart message is not shaped like a Jupyter message.
    #[error("malformed message: {0}")]
    Malformed(&'static str),
    /// The HMAC does not match.
    #[error("bad signature")]
    BadSignature,
    /// The signature was seen before.
    #[error("replayed message")]
    Replayed,
    /// A JSON frame does not parse.
    #[error("invalid JSON in {0}")]
    InvalidJson(&'static str),
    /// A correctly signed request whose content is not valid JSON text (a lone UTF-16
    /// surrogate, say): it is answered with an error rather than left unanswered.
    #[error("unreadable content: {reason}")]
    UnreadableContent {
        /// The request, with empty content.
        request: Box<Message>,
        /// What the JSON parser said.
        reason: String,
    },
    /// A socket could not be bound or used.
    #[error("socket {channel}: {source}")]
    Socket {
        /// Which channel.
        channel: &'static str,
        /// The ZeroMQ error.
        source: zeromq::ZmqError,
    },
}
