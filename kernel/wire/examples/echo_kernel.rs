//! The benchmark's floor: the wire layer with an interpreter that does no work (every cell
//! "evaluates" to `2`). Same messages as a real cell, so the difference to the Faísca kernel
//! is the language's cost.
//!
//!     cargo run --release -p faisca-wire --example echo_kernel -- CONNECTION_FILE

use faisca_wire::{
    Completion, ConnectionInfo, ExecuteContext, ExecutionError, Interpreter, IsComplete, Kernel,
    KernelInfo, MimeBundle, bundle,
};
use serde_json::json;

struct Echo;

impl Interpreter for Echo {
    fn kernel_info(&self) -> KernelInfo {
        KernelInfo {
            implementation: "echo".into(),
            implementation_version: "0".into(),
            language_info: json!({"name": "echo", "version": "0", "mimetype": "text/plain", "file_extension": ".txt"}),
            banner: String::new(),
            help_links: json!([]),
        }
    }
    fn execute(
        &mut self,
        _: &str,
        _: &mut ExecuteContext<'_>,
    ) -> Result<Option<MimeBundle>, ExecutionError> {
        Ok(Some(bundle([("text/plain", "2".to_string())])))
    }
    fn complete(&mut self, _: &str, cursor_pos: usize) -> Completion {
        Completion {
            matches: vec![],
            cursor_start: cursor_pos,
            cursor_end: cursor_pos,
        }
    }
    fn inspect(&mut self, _: &str, _: usize, _: u8) -> Option<MimeBundle> {
        None
    }
    fn is_complete(&mut self, _: &str) -> IsComplete {
        IsComplete::Complete
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: echo_kernel CONNECTION_FILE");
    let conn = ConnectionInfo::from_file(std::path::Path::new(&path)).expect("connection file");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let kernel = Kernel::bind(&conn, Default::default()).await.expect("bind");
        kernel.run(Box::new(Echo)).await;
    });
    std::process::exit(0);
}
