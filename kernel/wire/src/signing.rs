//! HMAC-SHA256 message signing and a replay guard, as jupyter_client's `Session` does it.

use std::collections::{HashSet, VecDeque};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Signs and verifies the four JSON frames of a message.
#[derive(Clone)]
pub struct Signer {
    mac: Option<HmacSha256>,
}

impl Signer {
    /// An empty key disables signing, as the protocol says.
    pub fn new(key: &str) -> Self {
        let mac = (!key.is_empty()).then(|| {
            HmacSha256::new_from_slice(key.as_bytes()).expect("HMAC takes any key length")
        });
        Signer { mac }
    }

    /// Whether messages are signed at all.
    pub fn is_enabled(&self) -> bool {
        self.mac.is_some()
    }

    /// Hex digest over the frames; empty when signing is off.
    pub fn sign(&self, frames: &[&[u8]]) -> String {
        match &self.mac {
            None => String::new(),
            Some(mac) => {
                let mut mac = mac.clone();
                for frame in frames {
                    mac.update(frame);
                }
                hex::encode(mac.finalize().into_bytes())
            }
        }
    }

    /// Constant-time check of a hex signature over the frames.
    pub fn verify(&self, signature: &[u8], frames: &[&[u8]]) -> bool {
        match &self.mac {
            None => true,
            Some(mac) => {
                let Ok(expected) = hex::decode(signature) else {
                    return false;
                };
                let mut mac = mac.clone();
                for frame in frames {
                    mac.update(frame);
                }
                mac.verify_slice(&expected).is_ok()
            }
        }
    }
}

/// Remembers the last `capacity` signatures so a captured message cannot be replayed.
pub struct ReplayGuard {
    seen: HashSet<Vec<u8>>,
    order: VecDeque<Vec<u8>>,
    capacity: usize,
}

impl ReplayGuard {
    /// jupyter_client keeps 2^16 digests; so do we.
    pub const DEFAULT_CAPACITY: usize = 1 << 16;

    /// A guard remembering at most `capacity` signatures.
    pub fn new(capacity: usize) -> Self {
        ReplayGuard {
            seen: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Records the signature; false if it was seen before.
    pub fn check_and_record(&mut self, signature: &[u8]) -> bool {
        // Hex decodes in either case: `AB` and `ab` are one signature, so one replay.
        let signature = signature.to_ascii_lowercase();
        if self.seen.contains(&signature) {
            return false;
        }
        if self.order.len() == self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.seen.remove(&oldest);
        }
        self.seen.insert(signature.clone());
        self.order.push_back(signature);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Computed with jupyter_client 8.10's Codec(key=b"faisca-test-key").sign([...]).
    const KEY: &str = "faisca-test-key";
    const HEADER: &[u8] = br#"{"msg_id":"1","session":"s","username":"u","date":"2026-01-01T00:00:00Z","msg_type":"kernel_info_request","version":"5.3"}"#;

    #[test]
    fn matches_jupyter_client_vectors() {
        let signer = Signer::new(KEY);
        let frames: [&[u8]; 4] = [HEADER, b"{}", b"{}", b"{}"];
        assert_eq!(
            signer.sign(&frames),
            crate::test_vectors::KERNEL_INFO_SIGNATURE
        );
        let frames: [&[u8]; 4] = [HEADER, b"{}", b"{}", br#"{"code":"1+1"}"#];
        assert_eq!(signer.sign(&frames), crate::test_vectors::EXECUTE_SIGNATURE);
    }

    #[test]
    fn verify_accepts_own_signature_and_rejects_tampering() {
        let signer = Signer::new(KEY);
        let frames: [&[u8]; 4] = [HEADER, b"{}", b"{}", b"{}"];
        let sig = signer.sign(&frames);
        assert!(signer.verify(sig.as_bytes(), &frames));
        let tampered: [&[u8]; 4] = [HEADER, b"{}", b"{}", b"{\"x\":1}"];
        assert!(!signer.verify(sig.as_bytes(), &tampered));
        assert!(!signer.verify(b"not-hex", &frames));
        assert!(!signer.verify(b"", &frames));
    }

    #[test]
    fn empty_key_disables_signing() {
        let signer = Signer::new("");
        assert!(!signer.is_enabled());
        assert_eq!(signer.sign(&[b"x"]), "");
        assert!(signer.verify(b"", &[b"x"]));
    }

    #[test]
    fn replay_guard_rejects_repeats_and_forgets_oldest() {
        let mut guard = ReplayGuard::new(2);
        assert!(guard.check_and_record(b"a"));
        assert!(!guard.check_and_record(b"a"));
        assert!(guard.check_and_record(b"b"));
        assert!(guard.check_and_record(b"c"));
        // "a" was evicted by "c", so it is accepted again.
        assert!(guard.check_and_record(b"a"));
        // The same signature in another case is the same signature.
        assert!(!guard.check_and_record(b"A"));
        assert!(!guard.check_and_record(b"c"));
    }
}
