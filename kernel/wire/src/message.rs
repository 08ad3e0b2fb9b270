//! Jupyter messages and their multipart framing: `identities… <IDS|MSG> signature header
//! parent_header metadata content buffers…`.

use std::sync::Mutex;

use bytes::Bytes;
use serde_json::{Value, json};

use crate::WireError;
use crate::signing::{ReplayGuard, Signer};

/// The frame that separates routing identities from the message proper.
pub const DELIMITER: &[u8] = b"<IDS|MSG>";
/// The protocol version the kernel speaks and stamps in every header.
pub const PROTOCOL_VERSION: &str = "5.3";

/// One decoded message. JSON parts stay `Value`s so unknown fields survive a round trip.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// ROUTER identities (or the IOPub topic) before the delimiter.
    pub identities: Vec<Bytes>,
    /// The header object.
    pub header: Value,
    /// The parent's header, or `{}`.
    pub parent_header: Value,
    /// Free-form metadata.
    pub metadata: Value,
    /// The message-type-specific content.
    pub content: Value,
    /// Binary buffers: carried but never signed.
    pub buffers: Vec<Bytes>,
}

impl Message {
    /// The header's `msg_type`.
    pub fn msg_type(&self) -> &str {
        self.header["msg_type"].as_str().unwrap_or("")
    }

    /// The header's `msg_id`.
    pub fn msg_id(&self) -> &str {
        self.header["msg_id"].as_str().unwrap_or("")
    }
}

/// Encodes and decodes wire messages for one kernel run: signing key, session id (the
/// header field Jupyter calls `session`), replay memory.
pub struct Codec {
    signer: Signer,
    replay: Mutex<ReplayGuard>,
    session_id: String,
    username: String,
}

/// serde_json's message, plus what it means when a `\\uD800`–`\\uDFFF` escape stands alone
/// (Python's `json` accepts it; no Unicode text can hold it).
fn explain_json_error(error: &serde_json::Error, text: &[u8]) -> String {
    let surrogate_escape = text.windows(4).any(|w| {
        w[0] == b'\\'
            && w[1] == b'u'
            && w[2].eq_ignore_ascii_case(&b'd')
            && b"89abcdefABCDEF".contains(&w[3])
    });
    if surrogate_escape {
        format!(
            "{error} (a UTF-16 surrogate escape such as \\ud800 without its pair, which is not a character)"
        )
    } else {
        error.to_string()
    }
}

impl Codec {
    /// A codec signing with `key` (empty disables signing).
    pub fn new(key: &str) -> Self {
        Codec {
            signer: Signer::new(key),
            replay: Mutex::new(ReplayGuard::new(ReplayGuard::DEFAULT_CAPACITY)),
            session_id: uuid::Uuid::new_v4().to_string(),
            username: "faisca".to_string(),
        }
    }

    /// The id stamped into every outgoing header.
    pub fn id(&self) -> &str {
        &self.session_id
    }

    /// Splits, verifies and parses a multipart message. Frame count and signature are
    /// checked before any JSON is parsed.
    pub fn decode(&self, frames: Vec<Bytes>) -> Result<Message, WireError> {
        let delimiter = frames
            .iter()
            .position(|f| f.as_ref() == DELIMITER)
            .ok_or(WireError::Malformed("no <IDS|MSG> delimiter"))?;
        let mut rest = frames.into_iter();
        let identities: Vec<Bytes> = rest.by_ref().take(delimiter).collect();
        rest.next(); // the delimiter
        let parts: Vec<Bytes> = rest.collect();
        if parts.len() < 5 {
            return Err(WireError::Malformed(
                "fewer than five frames after <IDS|MSG>",
            ));
        }
        let signature = &parts[0];
        let signed: [&[u8]; 4] = [&parts[1], &parts[2], &parts[3], &parts[4]];
        if !self.signer.verify(signature, &signed) {
            return Err(WireError::BadSignature);
        }
        if self.signer.is_enabled() {
            let mut replay = self.replay.lock().unwrap_or_else(|p| p.into_inner());
            if !replay.check_and_record(signature) {
                return Err(WireError::Replayed);
            }
        }
        let parse = |bytes: &Bytes, what: &'static str| -> Result<Value, WireError> {
            serde_json::from_slice(bytes).map_err(|_| WireError::InvalidJson(what))
        };
        let header = parse(&parts[1], "header")?;
        if !header["msg_type"].is_string() {
            return Err(WireError::Malformed("header has no msg_type"));
        }
        let content =
            serde_json::from_slice(&parts[4]).map_err(|e| explain_json_error(&e, &parts[4]));
        let mut message = Message {
            identities,
            header,
            parent_header: parse(&parts[2], "parent_header")?,
            metadata: parse(&parts[3], "metadata")?,
            content: Value::Object(Default::default()),
            buffers: parts.into_iter().skip(5).collect(),
        };
        match content {
            Ok(content) => {
                message.content = content;
                Ok(message)
            }
            Err(e) => Err(WireError::UnreadableContent {
                request: Box::new(message),
                reason: e,
            }),
        }
    }

    /// Serialises and signs a message into frames.
    pub fn encode(&self, message: &Message) -> Vec<Bytes> {
        let header = Bytes::from(message.header.to_string());
        let parent = Bytes::from(message.parent_header.to_string());
        let metadata = Bytes::from(message.metadata.to_string());
        let content = Bytes::from(message.content.to_string());
        let signature = self.signer.sign(&[&header, &parent, &metadata, &content]);
        let mut frames = Vec::with_capacity(message.identities.len() + 6 + message.buffers.len());
        frames.extend(message.identities.iter().cloned());
        frames.push(Bytes::from_static(DELIMITER));
        frames.push(Bytes::from(signature));
        frames.extend([header, parent, metadata, content]);
        frames.extend(message.buffers.iter().cloned());
        frames
    }

    /// A fresh header for an outgoing message.
    pub fn header(&self, msg_type: &str) -> Value {
        json!({
            "msg_id": uuid::Uuid::new_v4().to_string(),
            "session": self.session_id,
            "username": self.username,
            "date": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "msg_type": msg_type,
            "version": PROTOCOL_VERSION,
        })
    }

    /// A reply on the request's socket: same identities, parent = the request's header.
    pub fn reply(&self, request: &Message, msg_type: &str, content: Value) -> Message {
        Message {
            identities: request.identities.clone(),
            header: self.header(msg_type),
            parent_header: request.header.clone(),
            metadata: json!({}),
            content,
            buffers: Vec::new(),
        }
    }

    /// An IOPub message: topic `kernel.<session>.<msg_type>`, parent = the request's header.
    pub fn broadcast(&self, parent: Option<&Message>, msg_type: &str, content: Value) -> Message {
        Message {
            identities: vec![Bytes::from(format!(
                "kernel.{}.{msg_type}",
                self.session_id
            ))],
            header: self.header(msg_type),
            parent_header: parent.map_or_else(|| json!({}), |p| p.header.clone()),
            metadata: json!({}),
            content,
            buffers: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(codec: &Codec, ids: &[&'static [u8]], content: Value) -> Vec<Bytes> {
        let msg = Message {
            identities: ids.iter().map(|i| Bytes::from_static(i)).collect(),
            header: codec.header("execute_request"),
            parent_header: json!({}),
            metadata: json!({}),
            content,
            buffers: vec![Bytes::from_static(b"\x00\x01binary")],
        };
        codec.encode(&msg)
    }

    #[test]
    fn round_trip_keeps_identities_and_buffers() {
        let codec = Codec::new("key");
        let frames = request(&codec, &[b"id-1", b"id-2"], json!({"code": "1+1"}));
        assert_eq!(frames[2].as_ref(), DELIMITER);
        let msg = codec.decode(frames).unwrap();
        assert_eq!(
            msg.identities,
            vec![Bytes::from_static(b"id-1"), Bytes::from_static(b"id-2")]
        );
        assert_eq!(msg.msg_type(), "execute_request");
        assert_eq!(msg.content["code"], "1+1");
        assert_eq!(msg.buffers, vec![Bytes::from_static(b"\x00\x01binary")]);
    }

    #[test]
    fn buffers_are_not_signed() {
        let codec = Codec::new("key");
        let mut frames = request(&codec, &[b"id"], json!({}));
        // A client may attach buffers after signing; the signature covers only JSON frames.
        frames.push(Bytes::from_static(b"extra"));
        let msg = codec.decode(frames).unwrap();
        assert_eq!(msg.buffers.len(), 2);
    }

    #[test]
    fn forged_signature_is_rejected() {
        let codec = Codec::new("key");
        let other = Codec::new("other-key");
        let frames = request(&other, &[b"id"], json!({}));
        assert!(matches!(codec.decode(frames), Err(WireError::BadSignature)));
    }

    #[test]
    fn replayed_message_is_rejected() {
        let codec = Codec::new("key");
        let frames = request(&codec, &[b"id"], json!({}));
        codec.decode(frames.clone()).unwrap();
        assert!(matches!(
            codec.decode(frames.clone()),
            Err(WireError::Replayed)
        ));
        // Hex is case-insensitive, so a re-cased signature is the same message again.
        let mut recased = frames;
        let at = recased
            .iter()
            .position(|f| f.as_ref() == b"<IDS|MSG>")
            .unwrap()
            + 1;
        recased[at] = Bytes::from(recased[at].to_ascii_uppercase());
        assert!(matches!(codec.decode(recased), Err(WireError::Replayed)));
    }

    #[test]
    fn truncated_message_is_rejected() {
        let codec = Codec::new("key");
        let frames = request(&codec, &[b"id"], json!({}));
        for keep in 0..frames.len() - 2 {
            let short = frames[..keep].to_vec();
            assert!(codec.decode(short).is_err(), "kept {keep} frames");
        }
    }

    #[test]
    fn non_json_frames_are_rejected_after_signature_check() {
        let codec = Codec::new("key");
        let signer = Signer::new("key");
        let header: &[u8] = b"not json";
        let sig = signer.sign(&[header, b"{}", b"{}", b"{}"]);
        let frames = vec![
            Bytes::from_static(DELIMITER),
            Bytes::from(sig),
            Bytes::from_static(b"not json"),
            Bytes::from_static(b"{}"),
            Bytes::from_static(b"{}"),
            Bytes::from_static(b"{}"),
        ];
        assert!(matches!(
            codec.decode(frames),
            Err(WireError::InvalidJson("header"))
        ));
    }

    #[test]
    fn replies_carry_parent_and_protocol_version() {
        let codec = Codec::new("");
        let req = codec.decode(request(&codec, &[b"id"], json!({}))).unwrap();
        let reply = codec.reply(&req, "execute_reply", json!({"status": "ok"}));
        assert_eq!(reply.parent_header, req.header);
        assert_eq!(reply.identities, req.identities);
        assert_eq!(reply.header["version"], PROTOCOL_VERSION);
        assert_eq!(reply.header["session"], codec.id());
        assert_ne!(reply.header["msg_id"], req.header["msg_id"]);
        let date = reply.header["date"].as_str().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(date).is_ok(), "{date}");
        let status = codec.broadcast(Some(&req), "status", json!({"execution_state": "busy"}));
        assert!(status.identities[0].starts_with(b"kernel."));
    }
}
