//! Reading fields of a request's content, and the kernel-info reply's content.

use serde_json::{Value, json};

use crate::PROTOCOL_VERSION;
use crate::interpreter::KernelInfo;

/// A string field of a request's content, empty when absent or not a string.
pub(super) fn str_field<'a>(content: &'a Value, key: &str) -> &'a str {
    content[key].as_str().unwrap_or("")
}

/// A count field of a request's content, `default` when absent.
pub(super) fn usize_field(content: &Value, key: &str, default: usize) -> usize {
    content[key].as_u64().map_or(default, |v| v as usize)
}

/// The content of a `kernel_info_reply`.
pub(super) fn kernel_info_content(info: &KernelInfo) -> Value {
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
