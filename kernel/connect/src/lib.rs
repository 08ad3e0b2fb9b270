//! A Spark Connect client for the kernel: the protocol generated from Spark's own
//! descriptors, the `sc://` connection string, and a blocking session over gRPC.
//! It knows nothing of Polars or the notebook language; the engine that translates
//! plans lives in `faisca-lang`.

mod client;
mod url;

pub use client::{ConnectError, Executed, Session};
pub use url::{Endpoint, UrlError};

/// Spark Connect's messages and service client (package `spark.connect`).
#[allow(clippy::all, missing_docs, rustdoc::all)]
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/spark.connect.rs"));
}
