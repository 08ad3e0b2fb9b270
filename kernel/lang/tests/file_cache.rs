//! Files read again are served from memory: the columns an action parsed are kept under
//! the file's path, size, modification time and read options, later actions that need
//! no other column read them, and a changed file is parsed afresh.
#![allow(clippy::result_large_err)]

use std::io::Write;
use std::path::{Path, PathBuf};

use faisca_lang::{Config, Emit, Job, Session};

fn run(s: &mut Session, code: &str) -> String {
    match s.execute(code, 1, &|| false, &mut |_| {}) {
        Ok(d) => d.map(|d| d.text).unwrap_or_default(),
        Err(e) => panic!("{code}\n{}", e.traceback.join("\n")),
    }
}

/// What a cell prints.
fn stdout(s: &mut Session, code: &str) -> String {
    let mut text = String::new();
    s.execute(code, 1, &|| false, &mut |e| {
        if let Emit::Stdout(t) = e {
            text.push_str(&t);
        }
    })
    .unwrap_or_else(|e| panic!("{code}\n{}", e.traceback.join("\n")));
    text
}

fn write_csv(path: &Path, rows: usize, cats: usize) {
    write_wide(path, rows, cats, "");
}

/// `cat` values are `c<n>` followed by `pad`.
fn write_wide(path: &Path, rows: usize, cats: usize, pad: &str) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "id,cat,note").unwrap();
    for i in 0..rows {
        writeln!(f, "{i},c{}{pad},n{}", i % cats, i % 7).unwrap();
    }
}

fn fixture(rows: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    write_csv(&path, rows, 3);
    (dir, path)
}

fn session(budget: u64) -> Session {
    Session::new(Config {
        file_cache: budget,
        ..Config::default()
    })
}

fn last_job(s: &Session) -> Job {
    s.jobs().snapshot().last().cloned().unwrap()
}

fn kept_columns(s: &Session) -> Vec<Vec<String>> {
    s.cache()
        .kept_files()
        .0
        .into_iter()
        .map(|k| k.columns)
        .collect()
}

const COUNTS: &str = "sorted(df.groupBy('cat').count().collect())";

fn read(s: &mut Session, path: &Path) {
    run(
        s,
        &format!(
            "df = spark.read.csv({:?}, header=True)",
            path.display().to_string()
        ),
    );
}

#[test]
fn the_second_action_reads_the_columns_the_first_parsed() {
    let (_dir, path) = fixture(300);
    let mut s = session(1 << 30);
    read(&mut s, &path);
    let first = run(&mut s, COUNTS);
    let job = last_job(&s);
    assert!(
        job.plan.contains("parsed and kept in memory"),
        "{}",
        job.plan
    );
    assert_eq!(job.in_memory, None);
    assert_eq!(kept_columns(&s), vec![vec!["cat".to_string()]]);

    assert_eq!(run(&mut s, COUNTS), first);
    let job = last_job(&s);
    assert!(job.plan.contains("read from memory"), "{}", job.plan);
    assert!(job.in_memory.is_some_and(|b| b > 0));
    assert_eq!(s.cache().kept_files().0[0].reads, 1);
    // A new read of the same file, unchanged, shares the kept columns.
    read(&mut s, &path);
    assert_eq!(run(&mut s, COUNTS), first);
    assert!(last_job(&s).in_memory.is_some());
    assert_eq!(s.cache().kept_files().0[0].reads, 2);
}

#[test]
fn the_first_action_keeps_what_its_own_parse_read_in_file_order() {
    // Enough rows for the streaming engine to split the file into many morsels.
    let (_dir, path) = fixture(300_000);
    let mut s = session(1 << 30);
    read(&mut s, &path);
    assert_eq!(
        run(&mut s, "df.select('id', 'cat').distinct().count()"),
        "300000"
    );
    let job = last_job(&s);
    assert!(
        job.plan.contains("kept from the query's own parse"),
        "{}",
        job.plan
    );
    assert_eq!(
        kept_columns(&s),
        vec![vec!["id".to_string(), "cat".to_string()]]
    );
    // Read from memory, rows come in the file's order.
    for i in [1, 150_001, 299_999] {
        let row = run(&mut s, &format!("df.select('id', 'cat').collect()[{i}]"));
        assert_eq!(row, format!("Row(id='{i}', cat='c{}')", i % 3));
        assert!(last_job(&s).in_memory.is_some());
    }
}

#[test]
fn a_changed_file_is_parsed_again() {
    let (_dir, path) = fixture(300);
    let mut s = session(1 << 30);
    read(&mut s, &path);
    assert_eq!(
        run(&mut s, COUNTS),
        "[Row(cat='c0', count=100), Row(cat='c1', count=100), Row(cat='c2', count=100)]"
    );
    // Same size, other content: only the modification time tells.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(",c1,", ",c2,");
    std::fs::write(&path, text).unwrap();
    assert_eq!(
        run(&mut s, COUNTS),
        "[Row(cat='c0', count=100), Row(cat='c2', count=200)]"
    );
    assert_eq!(last_job(&s).in_memory, None);
    // The old version is gone, not kept beside the new one.
    assert_eq!(s.cache().kept_files().0.len(), 1);
}

#[test]
fn another_column_is_parsed_and_added_to_the_kept_ones() {
    let (_dir, path) = fixture(50);
    let mut s = session(1 << 30);
    read(&mut s, &path);
    run(&mut s, "df.select('cat').collect()");
    // A filter's column counts as needed.
    let n = run(
        &mut s,
        "df.filter(df.id.cast('int') < 10).select('cat').count()",
    );
    assert_eq!(n, "10");
    assert_eq!(last_job(&s).in_memory, None);
    assert_eq!(
        kept_columns(&s),
        vec![vec!["cat".to_string(), "id".to_string()]]
    );
    assert_eq!(
        run(
            &mut s,
            "df.filter(df.id.cast('int') >= 45).select('id', 'cat').collect()[0]"
        ),
        "Row(id='45', cat='c0')"
    );
    assert!(last_job(&s).in_memory.is_some());
    // A plan built on the frame and written out reads memory too, and writes every row.
    let out = path.with_file_name("out");
    let write = |s: &mut Session, columns: &str, to: &str| {
        let code = format!(
            "df.withColumn('x', df.cat).select({columns}).write.csv({:?}, header=True)",
            path.with_file_name(to).display().to_string()
        );
        run(s, &code);
    };
    write(&mut s, "'id', 'x'", "out");
    assert!(last_job(&s).in_memory.is_some());
    // A write streams the columns it would have to parse, and keeps none of them.
    write(&mut s, "'note', 'x'", "out2");
    assert_eq!(last_job(&s).in_memory, None);
    assert_eq!(kept_columns(&s)[0].len(), 2);
    read(&mut s, &out);
    assert_eq!(run(&mut s, "df.count()"), "50");
}

#[test]
fn a_first_rows_peek_keeps_nothing_and_explain_shows_the_file() {
    let (_dir, path) = fixture(100);
    let mut s = session(1 << 30);
    read(&mut s, &path);
    run(&mut s, "df.show(3)");
    assert!(kept_columns(&s).is_empty());
    run(&mut s, "df.select('note').collect()");
    assert_eq!(kept_columns(&s).len(), 1);
    // Outside a job the plan reads the file, as it was written.
    let plan = stdout(&mut s, "df.explain()");
    assert!(
        plan.contains("Csv SCAN") && plan.contains("t.csv"),
        "{plan}"
    );
}

#[test]
fn headerless_files_and_sql_over_a_view_read_memory() {
    let (_dir, path) = fixture(30);
    let mut s = session(1 << 30);
    run(
        &mut s,
        &format!(
            "spark.read.csv({:?}).createOrReplaceTempView('t')",
            path.display().to_string()
        ),
    );
    let q = "spark.sql('SELECT _c1, count(*) AS n FROM t GROUP BY _c1 ORDER BY _c1').collect()";
    let first = run(&mut s, q);
    assert_eq!(run(&mut s, q), first);
    assert!(last_job(&s).in_memory.is_some());
    assert!(first.contains("Row(_c1='cat', n=1)"), "{first}");
}

#[test]
fn the_budget_keeps_the_most_recently_used_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    // `cat` is most of each file, so its parsed column fills most of its estimate.
    let pad = "x".repeat(40);
    write_wide(&a, 20_000, 5, &pad);
    write_wide(&b, 20_000, 5, &pad);
    let mut s = session(0);
    read(&mut s, &a);
    run(&mut s, COUNTS);
    run(&mut s, COUNTS);
    assert!(kept_columns(&s).is_empty(), "a budget of 0 keeps nothing");
    assert_eq!(last_job(&s).in_memory, None);

    // Room for one file's column, not two.
    let one = {
        let mut probe = session(1 << 30);
        read(&mut probe, &a);
        run(&mut probe, COUNTS);
        probe.cache().kept_files().0[0].bytes
    };
    let mut s = session(one + one / 2);
    read(&mut s, &a);
    run(&mut s, COUNTS);
    read(&mut s, &b);
    run(&mut s, COUNTS);
    let kept = s.cache().kept_files().0;
    assert_eq!(kept.len(), 1);
    assert!(kept[0].files[0].ends_with("b.csv"), "{kept:?}");
    // clearCache forgets kept files too.
    run(&mut s, "spark.catalog.clearCache()");
    assert!(kept_columns(&s).is_empty());
}
