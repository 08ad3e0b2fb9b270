//! The model file reader on damaged or hostile files: a clear error, never a panic or a
//! huge allocation.
#![no_main]

use faisca_model::Classifier;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(model) = Classifier::from_bytes(data, "fuzz") {
        let _ = model.predict("bola azul");
    }
});
