//! Hostile data files: the bytes as CSV and as JSON lines, read and collected through a
//! session. Errors are fine; an abort (stack overflow, failed allocation) is not.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;

thread_local! {
    static SESSION: RefCell<faisca_lang::Session> =
        RefCell::new(faisca_lang::Session::new(faisca_lang::Config::default()));
}

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let (csv, json) = (dir.path().join("f.csv"), dir.path().join("f.json"));
    std::fs::write(&csv, data).expect("write");
    std::fs::write(&json, data).expect("write");
    SESSION.with(|s| {
        let mut s = s.borrow_mut();
        for code in [
            format!("spark.read.csv({:?}).collect()", csv.display().to_string()),
            format!(
                "spark.read.option('header', 'true').csv({:?}).show()",
                csv.display().to_string()
            ),
            format!(
                "spark.read.json({:?}).collect()",
                json.display().to_string()
            ),
        ] {
            let _ = s.execute(&code, 1, &|| false, &mut |_| {});
        }
    });
});
