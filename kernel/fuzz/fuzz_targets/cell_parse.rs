//! Cells and `is_complete` requests: the lexer, the parser and the readiness check.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(code) = std::str::from_utf8(data) {
        let _ = faisca_lang::syntax::parser::parse(code);
        let session = faisca_lang::Session::new(faisca_lang::Config::default());
        let _ = session.readiness(code);
    }
});
