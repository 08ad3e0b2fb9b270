//! The connection file a Jupyter client writes for the kernel.

use std::path::Path;

use serde::Deserialize;

use crate::WireError;

/// A connection file is a few hundred bytes; anything past this is not one.
const MAX_CONNECTION_FILE_BYTES: u64 = 1024 * 1024;

/// Everything a connection file says: where to bind and how to sign.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// `tcp` (the only transport the pure-Rust ZeroMQ build supports here).
    #[serde(default = "default_transport")]
    pub transport: String,
    /// The address to bind, exactly as given (never widened).
    pub ip: String,
    /// ROUTER socket for requests.
    pub shell_port: u16,
    /// PUB socket for outputs and status.
    pub iopub_port: u16,
    /// ROUTER socket for `input_request`.
    pub stdin_port: u16,
    /// ROUTER socket for interrupt and shutdown.
    pub control_port: u16,
    /// REP socket that echoes heartbeats.
    pub hb_port: u16,
    /// HMAC key; empty disables signing.
    #[serde(default)]
    pub key: String,
    /// Only `hmac-sha256` is supported.
    #[serde(default = "default_scheme")]
    pub signature_scheme: String,
    /// The kernelspec name the client started, when it says.
    #[serde(default)]
    pub kernel_name: Option<String>,
}

fn default_transport() -> String {
    "tcp".to_string()
}

fn default_scheme() -> String {
    "hmac-sha256".to_string()
}

impl ConnectionInfo {
    /// Reads and validates a connection file. Only a regular file of sensible size is read:
    /// a FIFO or device given as the connection file would otherwise block or never end.
    pub fn from_file(path: &Path) -> Result<Self, WireError> {
        let cannot = |e: &dyn std::fmt::Display| {
            WireError::ConnectionFile(format!("cannot read {}: {e}", path.display()))
        };
        let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
        if !meta.is_file() {
            return Err(cannot(&"not a regular file"));
        }
        if meta.len() > MAX_CONNECTION_FILE_BYTES {
            return Err(cannot(&format!(
                "{} bytes is not a connection file (limit {MAX_CONNECTION_FILE_BYTES})",
                meta.len()
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|e| cannot(&e))?;
        Self::from_json(&text)
    }

    /// Writes the ports actually bound back into the connection file when they differ from
    /// it (a port of 0 there), as ipykernel does, so the client that wrote 0 can find them.
    /// The file is replaced whole, never left half-written; its other fields are kept.
    pub fn write_bound_ports(
        &self,
        path: &Path,
        bound: &ConnectionInfo,
    ) -> Result<bool, WireError> {
        if self == bound {
            return Ok(false);
        }
        let fail = |e: &dyn std::fmt::Display| {
            WireError::ConnectionFile(format!("cannot update {}: {e}", path.display()))
        };
        let text = std::fs::read_to_string(path).map_err(|e| fail(&e))?;
        let mut json: serde_json::Value = serde_json::from_str(&text).map_err(|e| fail(&e))?;
        for (name, port) in [
            ("shell_port", bound.shell_port),
            ("iopub_port", bound.iopub_port),
            ("stdin_port", bound.stdin_port),
            ("control_port", bound.control_port),
            ("hb_port", bound.hb_port),
        ] {
            json[name] = port.into();
        }
        let tmp = path.with_extension("json.faisca-tmp");
        let body = serde_json::to_string_pretty(&json).map_err(|e| fail(&e))?;
        std::fs::write(&tmp, body).map_err(|e| fail(&e))?;
        std::fs::rename(&tmp, path).map_err(|e| fail(&e))?;
        Ok(true)
    }

    /// Parses and validates a connection file's JSON text.
    pub fn from_json(text: &str) -> Result<Self, WireError> {
        let info: ConnectionInfo = serde_json::from_str(text)
            .map_err(|e| WireError::ConnectionFile(format!("invalid connection file: {e}")))?;
        info.validate()?;
        Ok(info)
    }

    /// Rejects schemes and transports the kernel cannot serve.
    pub fn validate(&self) -> Result<(), WireError> {
        if self.signature_scheme != "hmac-sha256" {
            return Err(WireError::ConnectionFile(format!(
                "unsupported signature_scheme `{}` (only hmac-sha256 is supported)",
                self.signature_scheme
            )));
        }
        if self.transport != "tcp" {
            return Err(WireError::ConnectionFile(format!(
                "unsupported transport `{}` (only tcp is supported)",
                self.transport
            )));
        }
        Ok(())
    }

    /// The ZeroMQ endpoint for one of the ports.
    pub fn endpoint(&self, port: u16) -> String {
        if self.ip.contains(':') && !self.ip.starts_with('[') {
            format!("{}://[{}]:{port}", self.transport, self.ip)
        } else {
            format!("{}://{}:{port}", self.transport, self.ip)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
        "shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003,
        "control_port": 5004, "hb_port": 5005, "ip": "127.0.0.1",
        "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84", "transport": "tcp",
        "signature_scheme": "hmac-sha256", "kernel_name": "faisca"
    }"#;

    #[test]
    fn parses_every_field() {
        let info = ConnectionInfo::from_json(SAMPLE).unwrap();
        assert_eq!(info.shell_port, 5001);
        assert_eq!(info.iopub_port, 5002);
        assert_eq!(info.stdin_port, 5003);
        assert_eq!(info.control_port, 5004);
        assert_eq!(info.hb_port, 5005);
        assert_eq!(info.key, "a0436f6c-1916-498b-8eb9-e81ab9368e84");
        assert_eq!(info.kernel_name.as_deref(), Some("faisca"));
        assert_eq!(info.endpoint(info.shell_port), "tcp://127.0.0.1:5001");
    }

    #[test]
    fn rejects_unknown_signature_scheme() {
        let text = SAMPLE.replace("hmac-sha256", "hmac-md5");
        let err = ConnectionInfo::from_json(&text).unwrap_err();
        assert!(err.to_string().contains("hmac-md5"), "{err}");
    }

    #[test]
    fn rejects_ipc_transport() {
        let text = SAMPLE.replace("\"tcp\"", "\"ipc\"");
        assert!(ConnectionInfo::from_json(&text).is_err());
    }

    #[test]
    fn missing_port_is_an_error() {
        let text = SAMPLE.replace("\"hb_port\": 5005,", "");
        assert!(ConnectionInfo::from_json(&text).is_err());
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("conn.json");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let err = ConnectionInfo::from_file(&fifo).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn bound_ports_are_written_back_keeping_other_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("conn.json");
        let zero = SAMPLE.replace("5001", "0");
        std::fs::write(&path, &zero).unwrap();
        let asked = ConnectionInfo::from_file(&path).unwrap();
        assert!(
            !asked.write_bound_ports(&path, &asked).unwrap(),
            "nothing to write"
        );
        let mut bound = asked.clone();
        bound.shell_port = 40123;
        assert!(asked.write_bound_ports(&path, &bound).unwrap());
        let reread = ConnectionInfo::from_file(&path).unwrap();
        assert_eq!(reread, bound);
        assert_eq!(reread.key, "a0436f6c-1916-498b-8eb9-e81ab9368e84");
    }

    #[test]
    fn ipv6_endpoints_are_bracketed() {
        let text = SAMPLE.replace("127.0.0.1", "::1");
        let info = ConnectionInfo::from_json(&text).unwrap();
        assert_eq!(info.endpoint(1), "tcp://[::1]:1");
    }
}
