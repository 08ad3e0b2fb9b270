//! Hostile and careless input at the language level: each case states the input and the
//! outcome — an error naming the problem (never a panic, a wrap or a silent no-op), or the
//! value Python gives — and the session keeps its variables afterwards.
#![allow(clippy::result_large_err)]

use faisca_lang::{Config, Session};

fn session() -> Session {
    let mut s = Session::new(Config::default());
    s.execute("keep = 42", 1, &|| false, &mut |_| {})
        .unwrap_or_else(|e| panic!("{}", e.traceback.join("\n")));
    s
}

/// The cell's error class and message.
fn error(s: &mut Session, code: &str) -> (String, String) {
    let e = s
        .execute(code, 1, &|| false, &mut |_| {})
        .err()
        .unwrap_or_else(|| panic!("{:?} ran without an error", &code[..code.len().min(200)]));
    (e.error.ename, e.error.message)
}

/// The cell's printed text.
fn printed(s: &mut Session, code: &str) -> String {
    let mut out = String::new();
    let result = s.execute(code, 1, &|| false, &mut |e| {
        if let faisca_lang::Emit::Stdout(t) = e {
            out.push_str(&t);
        }
    });
    if let Err(e) = result {
        let head: String = code.chars().take(200).collect();
        panic!("{head:?}: {}", e.traceback.join("\n"));
    }
    out
}

fn kept(s: &mut Session) {
    assert_eq!(
        printed(s, "print(keep)"),
        "42\n",
        "the session lost its variables"
    );
}

#[test]
fn integers_overflow_as_errors_never_wrap_or_turn_into_floats() {
    let mut s = session();
    for (code, class) in [
        ("(-9223372036854775807-1) // -1", "OverflowError"),
        ("-(-9223372036854775807-1)", "OverflowError"),
        ("9223372036854775807 + 1", "OverflowError"),
        ("(-9223372036854775807-1) - 1", "OverflowError"),
        ("3037000500 * 3037000500", "OverflowError"),
        ("2**64", "OverflowError"),
        ("10**10**10", "OverflowError"),
        ("0**-1", "ZeroDivisionError"),
        ("0.0**-2", "ZeroDivisionError"),
        ("1 // 0", "ZeroDivisionError"),
        ("1 % 0", "ZeroDivisionError"),
        ("1.5 // 0.0", "ZeroDivisionError"),
        ("1 / 0", "ZeroDivisionError"),
        ("10.0**400", "OverflowError"),
        ("int(float('nan'))", "ValueError"),
        ("int(float('inf'))", "OverflowError"),
        ("int(1e30)", "OverflowError"),
        ("int('1.5')", "ValueError"),
        ("int('99999999999999999999')", "OverflowError"),
    ] {
        assert_eq!(error(&mut s, code).0, class, "{code}");
    }
    kept(&mut s);
}

#[test]
fn arithmetic_matches_python() {
    let mut s = session();
    let out = printed(
        &mut s,
        "print(7 // -2, 7 % -2, -7 // 2, -7 % 2, 7.5 % -2, -7.5 // 2, 2**-1, (-1)**(2**40+1), 1**(2**40), 2**62, int(-2.0**63), int('-12'))",
    );
    assert_eq!(
        out,
        "-4 -1 -4 1 -0.5 -4.0 0.5 -1 1 4611686018427387904 -9223372036854775808 -12\n"
    );
}

#[test]
fn string_escapes_are_python_s_and_bad_ones_are_syntax_errors() {
    let mut s = session();
    assert_eq!(
        printed(
            &mut s,
            r#"print('a\x41\u00e9\U0001F600\101\t|', r'a\'b', '\q')"#
        ),
        "aAé😀A\t| a\\'b \\q\n"
    );
    for code in [
        r"'\u12'",
        r"'\x4'",
        r"'\U00110000'",
        r"'\ud800'",
        r"r'\'",
        r"'\N{BULLET}'",
    ] {
        assert_eq!(error(&mut s, code).0, "ParseException", "{code}");
    }
    kept(&mut s);
}

#[test]
fn huge_results_are_memory_errors_before_allocation() {
    let mut s = session();
    for code in [
        "spark.range(10**12).count()",
        "spark.range(2**62).count()",
        "spark.range(-2**62, 2**62, 3).count()",
        "'ab' * 10**12",
    ] {
        assert_eq!(error(&mut s, code).0, "MemoryError", "{code}");
    }
    assert_eq!(
        printed(&mut s, "print(spark.range(5, 0, -2).count())"),
        "3\n"
    );
    kept(&mut s);
}

#[test]
fn sql_statements_change_the_session_or_are_refused() {
    let mut s = session();
    printed(
        &mut s,
        "spark.createDataFrame([(1, 'a'), (2, 'b')], 'id int, s string').createOrReplaceTempView('TableA')",
    );
    for code in [
        "spark.sql('DELETE FROM tablea WHERE id = 1')",
        "spark.sql('TRUNCATE TABLE TableA')",
        "spark.sql('INSERT INTO tablea VALUES (3, \"c\")')",
        "spark.sql('UPDATE tablea SET id = 0')",
        "spark.sql('CREATE TABLE tablea (a int)')",
        "spark.sql('DROP VIEW nope')",
        "spark.sql('CREATE TEMP VIEW tablea AS SELECT 1')",
    ] {
        assert_eq!(error(&mut s, code).0, "AnalysisException", "{code}");
    }
    // Nothing was deleted or truncated.
    assert_eq!(
        printed(&mut s, "print(spark.sql('select * from TABLEA').count())"),
        "2\n"
    );
    printed(
        &mut s,
        "spark.sql('CREATE OR REPLACE TEMP VIEW b AS SELECT id * 10 AS x FROM tableA')",
    );
    assert_eq!(
        printed(&mut s, "print(spark.table('B').collect())"),
        "[Row(x=10), Row(x=20)]\n"
    );
    printed(&mut s, "spark.sql('DROP TABLE tablea')");
    printed(&mut s, "spark.sql('DROP VIEW IF EXISTS tablea')");
    assert_eq!(
        printed(
            &mut s,
            "print(spark.catalog.tableExists('tablea'), spark.catalog.tableExists('b'))"
        ),
        "False True\n"
    );
    kept(&mut s);
}

#[test]
fn values_stay_small_so_collected_rows_do_too() {
    // A collected cell is a Value: 432 bytes each once made collect() of a 38 MB CSV take
    // 4.7 GB. Large variants are boxed.
    assert!(std::mem::size_of::<faisca_lang::core::value::Value>() <= 56);
}

#[test]
fn a_plan_deeper_than_the_limit_is_an_error_and_a_checkpoint_resets_it() {
    // Cells run on the kernel's interpreter thread, which has room for deep plans.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(deep_plan_cells)
        .unwrap()
        .join()
        .unwrap();
}

fn deep_plan_cells() {
    let mut s = session();
    // One call per line, as a loop would build it: analysis stays cheap however deep.
    let code = "x = spark.range(100)\n".to_string() + &"x = x.filter(col('id') > 0)\n".repeat(990);
    let started = std::time::Instant::now();
    printed(&mut s, &code);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let more = format!("y = x{}", ".filter(col('id') > 1)".repeat(20));
    let (class, message) = error(&mut s, &more);
    assert_eq!(class, "RecursionError", "{message}");
    printed(&mut s, "x = x.localCheckpoint()");
    assert_eq!(
        printed(&mut s, "print(x.filter(col('id') > 1).count())"),
        "98\n"
    );
    kept(&mut s);
}
