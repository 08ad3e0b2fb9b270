//! Connection files as a client (or an attacker with write access) might write them.
#![no_main]

use faisca_wire::ConnectionInfo;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(info) = ConnectionInfo::from_json(text)
    {
        let _ = info.endpoint(info.shell_port);
    }
});
