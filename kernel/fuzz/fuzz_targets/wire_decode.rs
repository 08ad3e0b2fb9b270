//! The wire decoder on hostile multipart messages: frames are the input split at 0xFF
//! bytes, decoded with and without a signing key. Any outcome but a panic or abort is fine.
#![no_main]

use bytes::Bytes;
use faisca_wire::Codec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let frames: Vec<Bytes> = data
        .split(|b| *b == 0xFF)
        .map(|f| {
            // A frame spelled "D" stands for the delimiter, so decoding gets past it.
            if f == b"D" {
                Bytes::from_static(b"<IDS|MSG>")
            } else {
                Bytes::copy_from_slice(f)
            }
        })
        .collect();
    let _ = Codec::new("").decode(frames.clone());
    let _ = Codec::new("fuzz-key").decode(frames);
});
