//! Walks the API registry: every entry has a doc, is in docs/language.md, is offered by
//! completion where it applies, and rejects an unknown keyword as Python does.
#![allow(clippy::result_large_err)]

use std::path::PathBuf;

use faisca_lang::api::entry::Kind;
use faisca_lang::api::registry::registry;
use faisca_lang::api::signature::ParamKind;
use faisca_lang::core::value::{Module, Receiver};
use faisca_lang::{Config, Emit, Session};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A variable holding a value of each receiver kind.
const SETUP: &str = r#"import sys
import findspark
df = spark.createDataFrame([(1, "livro bom"), (2, "jogo bom"), (1, "livro novo")], ["id", "s"])
c = col("s")
g = df.groupBy("id")
na = df.na
r = spark.read
w = df.write
cat = spark.catalog
cls = SparkSession
b = SparkSession.builder
sc = spark.sparkContext
est = NaiveBayes(text="s", label="id")
model = est.fit(df)
mw = model.write()
pdf = df.toPandas()
row = df.first()
pl = df.plot
fig = df.plot.bar(x="s", y="id")
conf = spark.conf
import tempfile
tmp = tempfile.TemporaryDirectory()
from pyspark.sql import Window
win = Window.partitionBy("s")
text = "a b"
d = {"k": 1}"#;

fn variable(on: Receiver) -> &'static str {
    match on {
        Receiver::Global => "",
        Receiver::DataFrame => "df",
        Receiver::Column => "c",
        Receiver::GroupedData => "g",
        Receiver::NaFunctions => "na",
        Receiver::SparkSession => "spark",
        Receiver::SessionClass => "cls",
        Receiver::Builder => "b",
        Receiver::SparkContext => "sc",
        Receiver::Reader => "r",
        Receiver::Writer => "w",
        Receiver::Catalog => "cat",
        Receiver::Estimator => "est",
        Receiver::Model => "model",
        Receiver::ModelWriter => "mw",
        Receiver::Pandas => "pdf",
        Receiver::Row => "row",
        Receiver::PlotAccessor => "pl",
        Receiver::Figure => "fig",
        Receiver::RuntimeConfig => "conf",
        Receiver::TemporaryDirectory => "tmp",
        Receiver::WindowSpec => "win",
        Receiver::Str => "text",
        Receiver::Dict => "d",
    }
}

fn session() -> Session {
    let mut s = Session::new(Config {
        data_dir: Some(repo().join("data")),
        ..Config::default()
    });
    s.execute(SETUP, 1, &|| false, &mut |_| {})
        .unwrap_or_else(|e| panic!("{}", e.traceback.join("\n")));
    s
}

/// How a cell reaches entry `id`: `df.select`, `col`, `sys.stdout`, `findspark.init`.
fn reach(id: usize) -> String {
    let reg = registry();
    let e = reg.entry(id);
    match e.on {
        Receiver::Global if reg.bare(e.name()).is_some() => e.name().to_string(),
        Receiver::Global => {
            let module = match e.modules[0] {
                Module::Sys => "sys",
                Module::Findspark => "findspark",
                other => panic!("no variable for {other:?}"),
            };
            format!("{module}.{}", e.name())
        }
        on => format!("{}.{}", variable(on), e.name()),
    }
}

#[test]
fn every_entry_has_a_doc_and_a_parsed_signature() {
    let reg = registry();
    let mut count = 0;
    for (id, e) in reg.entries() {
        assert!(!e.doc.trim().is_empty(), "{} has no doc", e.sig);
        assert!(e.doc.ends_with('.'), "{}: the doc is one sentence", e.sig);
        assert_eq!(reg.signature(id).name, e.name());
        count += 1;
    }
    assert!(count > 100, "only {count} entries");
}

#[test]
fn docs_language_md_lists_every_entry() {
    let path = repo().join("docs/language.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = ("<!-- api:begin -->\n", "<!-- api:end -->");
    let start = doc
        .find(begin)
        .expect("docs/language.md has the api markers")
        + begin.len();
    let stop = doc.find(end).expect("api:end marker");
    let generated = registry().markdown() + &faisca_lang::api::magics::markdown();
    if std::env::var_os("FAISCA_UPDATE_DOCS").is_some() {
        let updated = format!("{}{generated}{}", &doc[..start], &doc[stop..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        doc[start..stop] == generated,
        "docs/language.md's API tables are stale: run FAISCA_UPDATE_DOCS=1 cargo test -p faisca-lang --test registry"
    );
    for (_, e) in registry().entries() {
        assert!(
            doc.contains(&format!("`{}`", e.name())),
            "{} missing",
            e.name()
        );
    }
}

#[test]
fn completion_offers_every_entry_where_it_applies() {
    let s = session();
    let reg = registry();
    for (id, e) in reg.entries() {
        let code = reach(id);
        let (offered, _, _) = s.complete(&code, code.chars().count());
        let names: Vec<&str> = std::iter::once(e.name())
            .chain(e.aliases.iter().copied())
            .collect();
        for name in names {
            let code = code.replace(e.name(), name);
            let (alias_offered, _, _) = s.complete(&code, code.chars().count());
            assert!(
                alias_offered.iter().any(|m| m == name),
                "completing `{code}` does not offer {name}: {alias_offered:?}"
            );
        }
        assert!(!offered.is_empty());
    }
}

#[test]
fn completion_offers_nothing_the_registry_cannot_run() {
    let s = session();
    for on in Receiver::ALL {
        if on == Receiver::Global {
            continue;
        }
        let code = format!("{}.", variable(on));
        let (offered, _, _) = s.complete(&code, code.len());
        let runnable = registry().names(on);
        for m in offered {
            let column = on == Receiver::DataFrame && ["id", "s"].contains(&m.as_str());
            assert!(
                runnable.contains(&m.as_str()) || column,
                "{code} offers {m}, which nothing runs"
            );
        }
    }
}

#[test]
fn every_callable_entry_rejects_an_unknown_keyword() {
    let mut s = session();
    let reg = registry();
    for (id, e) in reg.entries() {
        if matches!(e.kind, Kind::Property(_)) {
            continue;
        }
        let code = format!("{}(bogus_kw=1)", reach(id));
        let mut emitted = Vec::new();
        let result = s.execute(&code, 2, &|| false, &mut |e| emitted.push(e));
        let takes_options = reg
            .signature(id)
            .params
            .iter()
            .any(|p| p.kind == ParamKind::VarKw);
        let takes_fields = reg
            .signature(id)
            .params
            .iter()
            .any(|p| p.kind == ParamKind::VarKw && p.name == "fields");
        let takes_values = reg
            .signature(id)
            .params
            .iter()
            .any(|p| p.kind == ParamKind::VarKw && p.name == "values");
        if takes_values {
            // `str.format(**values)`: Python leaves unused names unused.
            assert!(result.is_ok(), "{code}");
            continue;
        }
        if takes_fields {
            // `Row(**fields)`: keywords are the data, so the value carries them.
            let shown = match &result {
                Ok(Some(d)) => format!("{d:?}"),
                other => panic!("{code}: {other:?}"),
            };
            assert!(shown.contains("bogus_kw"), "{code}: {shown}");
            continue;
        }
        if takes_options {
            // `**options`: Spark keeps unknown options; Faísca says they do nothing.
            let warned = emitted
                .iter()
                .any(|e| matches!(e, Emit::Stderr(t) if t.contains("bogus_kw")));
            let rejected = result.is_err();
            assert!(
                warned || rejected,
                "{code}: an unknown option passed silently"
            );
            continue;
        }
        let err = result.expect_err(&code).error;
        assert_eq!(err.ename, "TypeError", "{code}: {err}");
        assert_eq!(
            err.message,
            format!(
                "{}() got an unexpected keyword argument 'bogus_kw'",
                e.name()
            ),
            "{code}"
        );
    }
}

#[test]
fn help_and_inspection_come_from_the_registry() {
    let s = session();
    let help = s.inspect("df.withColumn", 8).expect("help for a method");
    assert!(
        help.text.contains("withColumn(colName: str, col: Column)")
            && help.text.contains("Adds a column"),
        "{}",
        help.text
    );
    let help = s.inspect("concat_ws", 3).expect("help for a function");
    assert!(
        help.text
            .contains("pyspark.sql.functions.concat_ws(sep: str"),
        "{}",
        help.text
    );
}
