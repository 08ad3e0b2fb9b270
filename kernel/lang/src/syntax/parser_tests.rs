//! Parser tests: the chapter's cells, operators, and errors that point at the code.
use super::*;

fn sexpr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Float(f) => format!("{f:?}"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::None => "None".into(),
        ExprKind::List(items) => format!(
            "[{}]",
            items.iter().map(sexpr).collect::<Vec<_>>().join(" ")
        ),
        ExprKind::Tuple(items) => format!(
            "(tuple {})",
            items.iter().map(sexpr).collect::<Vec<_>>().join(" ")
        ),
        ExprKind::Attr(obj, name, _) => format!("(. {} {name})", sexpr(obj)),
        ExprKind::Call(f, args) => {
            let args: Vec<String> = args
                .iter()
                .map(|a| match &a.name {
                    Some(n) => format!("{n}={}", sexpr(&a.value)),
                    None => sexpr(&a.value),
                })
                .collect();
            format!("(call {} {})", sexpr(f), args.join(" "))
        }
        ExprKind::Index(o, i) => format!("(index {} {})", sexpr(o), sexpr(i)),
        ExprKind::Binary(op, l, r) => format!("({} {} {})", op.symbol(), sexpr(l), sexpr(r)),
        ExprKind::Unary(op, e) => format!("({op:?} {})", sexpr(e)),
    }
}

fn tree(src: &str) -> String {
    parse(src)
        .unwrap()
        .iter()
        .map(|s| match s {
            Stmt::Assign(t, e) => format!(
                "{} = {}",
                t.iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                sexpr(e)
            ),
            Stmt::Expr(e) => sexpr(e),
            Stmt::Import { module, names, .. } => format!("import {module} {names:?}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn chapter_cells_parse() {
    insta::assert_snapshot!(tree(
        "df_input = spark.read.option(\"delimiter\", ';').option(\"header\",\"true\").csv(\"/data/produtos.csv\")\n\
         from pyspark.sql.functions import concat, lit\n\
         df_trans1 = df_input.withColumn(\"nova_coluna\", concat(lit(\"Prefixo\"),\"descricao\"))\n\
         df_teste = spark.createDataFrame([(1, \"Senhor dos aneis\"), (2, \"x\")], [\"id\", \"descricao\"])\n\
         train, test = df.randomSplit([0.8, 0.2], seed=10)\n\
         df.filter((col(\"a\") > 3) & ~col(\"b\").isNull() | (col(\"c\") == 'x')).show(5, truncate=False)"
    ));
}

#[test]
fn precedence_follows_python() {
    assert_eq!(tree("1 + 2 * 3 ** 2 ** 1"), "(+ 1 (* 2 (** 3 (** 2 1))))");
    assert_eq!(tree("a > 1 & b"), "(> a (& 1 b))");
    assert_eq!(tree("-a.b(c)[0]"), "(Neg (index (call (. a b) c) 0))");
    assert_eq!(
        tree("not a == b and c or d"),
        "(or (and (Not (== a b)) c) d)"
    );
}

fn error(src: &str) -> String {
    let e = parse(src).unwrap_err();
    e.report(src).join("\n")
}

#[test]
fn errors_point_at_the_problem() {
    insta::assert_snapshot!(error("df.select('a'"), @r"
    ParseException: `(` was never closed
      line 1:
        df.select('a'
                 ^
    ");
    insta::assert_snapshot!(error("for row in df.collect():\n    print(row)"), @r"
    NotSupportedError: `for` is not supported
      line 1:
        for row in df.collect():
        ^^^
    hint: loops are not supported; DataFrame operations already work on every row
    ");
    insta::assert_snapshot!(error("df.filter(lambda r: r)"), @r"
    NotSupportedError: `lambda` is not supported here
      line 1:
        df.filter(lambda r: r)
                  ^^^^^^
    hint: lambdas are not supported; use column functions such as when(...).otherwise(...)
    ");
    insta::assert_snapshot!(error("x = 1\n  y = 2"), @r"
    ParseException: unexpected indentation
      line 2:
          y = 2
          ^
    hint: statements start at the beginning of the line; wrap long chains in ( ) to continue them
    ");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    #[test]
    fn parser_never_panics_on_arbitrary_text(src in "\\PC{0,80}") {
        if let Err(e) = parse(&src) {
            let _ = e.report(&src);
        }
    }

    #[test]
    fn parser_never_panics_on_code_like_text(
        parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS.to_vec()), 0..40)
    ) {
        let code: String = parts.concat();
        if let Err(e) = parse(&code) {
            // Every error can be reported, caret and all.
            let _ = e.report(&code);
        }
    }
}

const FRAGMENTS: &[&str] = &[
    "df", ".", "select", "(", ")", "[", "]", "'a'", "\"b", ",", "=", "\n", " ", "col", "1", "2.5",
    "&", "|", "~", "not", "and", "**", "-", "#", "\\", "'''", "lambda", "for", "import", "from",
    "as", "{", "}", ":", "%", "é", "None", "r'", "f'", "\t", "+=",
];
