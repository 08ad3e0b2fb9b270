//! The model file reader on damaged or hostile files: a clear error, never a panic or a
//! huge allocation. The input is tried as a whole file and as the payload of a file with a
//! correct header and checksum, so mutations reach the decoder behind the checksum.
#![no_main]

use faisca_model::Classifier;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

fuzz_target!(|data: &[u8]| {
    if let Ok(model) = Classifier::from_bytes(data, "fuzz") {
        let _ = model.predict("bola azul");
    }
    let mut file = b"FAISCANB".to_vec();
    let version = if data.first().is_some_and(|b| b % 2 == 0) {
        1u16
    } else {
        2
    };
    file.extend_from_slice(&version.to_le_bytes());
    file.extend_from_slice(&(data.len() as u64).to_le_bytes());
    file.extend_from_slice(&Sha256::digest(data));
    file.extend_from_slice(data);
    if let Ok(model) = Classifier::from_bytes(&file, "fuzz") {
        let _ = model.predict("bola azul");
        let _ = model.predict_proba("livro de contos");
    }
});
