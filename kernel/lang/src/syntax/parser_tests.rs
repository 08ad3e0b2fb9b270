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
        ExprKind::Dict(items) => format!(
            "{{{}}}",
            items
                .iter()
                .map(|(k, v)| format!("{}: {}", sexpr(k), sexpr(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        ExprKind::Index(o, i) => format!("(index {} {})", sexpr(o), sexpr(i)),
        ExprKind::Slice(a, b, c) => {
            let part = |e: &Option<Box<Expr>>| e.as_ref().map_or("_".to_string(), |e| sexpr(e));
            format!("(slice {} {} {})", part(a), part(b), part(c))
        }
        ExprKind::Unpack(e, double) => {
            format!("({} {})", if *double { "**" } else { "*" }, sexpr(e))
        }
        ExprKind::Binary(op, l, r) => format!("({} {} {})", op.symbol(), sexpr(l), sexpr(r)),
        ExprKind::IfElse(c, a, b) => format!("(ifelse {} {} {})", sexpr(c), sexpr(a), sexpr(b)),
        ExprKind::Lambda(params, body) => {
            format!("(lambda [{}] {})", params_text(params), sexpr(body))
        }
        ExprKind::ListComp(elt, clauses) => {
            format!("(listcomp {}{})", sexpr(elt), clauses_text(clauses))
        }
        ExprKind::DictComp(k, v, clauses) => {
            format!(
                "(dictcomp {}: {}{})",
                sexpr(k),
                sexpr(v),
                clauses_text(clauses)
            )
        }
        ExprKind::Unary(op, e) => format!("({op:?} {})", sexpr(e)),
    }
}

fn params_text(params: &[crate::syntax::ast::Param]) -> String {
    params
        .iter()
        .map(|p| match &p.default {
            Some(d) => format!("{}={}", p.name, sexpr(d)),
            None => p.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn clauses_text(clauses: &[crate::syntax::ast::CompFor]) -> String {
    clauses
        .iter()
        .map(|c| {
            format!(
                " for {:?} in {} if [{}]",
                c.targets
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>(),
                sexpr(&c.iter),
                c.conds.iter().map(sexpr).collect::<Vec<_>>().join(", ")
            )
        })
        .collect()
}

fn tree(src: &str) -> String {
    stmts(&parse(src).unwrap())
}

fn stmts(list: &[Stmt]) -> String {
    list.iter()
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
            Stmt::For {
                targets,
                iter,
                body,
                ..
            } => format!(
                "(for {:?} in {} [{}])",
                targets.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
                sexpr(iter),
                stmts(body).replace('\n', "; ")
            ),
            Stmt::While { cond, body, .. } => {
                format!(
                    "(while {} [{}])",
                    sexpr(cond),
                    stmts(body).replace('\n', "; ")
                )
            }
            Stmt::If {
                branches, orelse, ..
            } => {
                let b: Vec<String> = branches
                    .iter()
                    .map(|(c, body)| format!("{} [{}]", sexpr(c), stmts(body).replace('\n', "; ")))
                    .collect();
                format!(
                    "(if {} else [{}])",
                    b.join(" elif "),
                    stmts(orelse).replace('\n', "; ")
                )
            }
            Stmt::With { items, body, .. } => format!(
                "(with {} [{}])",
                items
                    .iter()
                    .map(|(e, n)| format!("{} as {:?}", sexpr(e), n.as_ref().map(|(n, _)| n)))
                    .collect::<Vec<_>>()
                    .join(", "),
                stmts(body).replace('\n', "; ")
            ),
            Stmt::Def {
                name,
                decorators,
                params,
                body,
                ..
            } => format!(
                "({}def {name} [{}] [{}])",
                decorators
                    .iter()
                    .map(|d| format!("@{} ", sexpr(d)))
                    .collect::<String>(),
                params_text(params),
                stmts(body).replace('\n', "; ")
            ),
            Stmt::Return(v, _) => match v {
                Some(v) => format!("return {}", sexpr(v)),
                None => "return".into(),
            },
            Stmt::Try {
                body,
                handlers,
                orelse,
                finalbody,
                ..
            } => format!(
                "(try [{}]{} else [{}] finally [{}])",
                stmts(body).replace('\n', "; "),
                handlers
                    .iter()
                    .map(|h| format!(
                        " except {:?} as {:?} [{}]",
                        h.classes
                            .iter()
                            .map(|(c, _)| c.as_str())
                            .collect::<Vec<_>>(),
                        h.name.as_ref().map(|(n, _)| n),
                        stmts(&h.body).replace('\n', "; ")
                    ))
                    .collect::<String>(),
                stmts(orelse).replace('\n', "; "),
                stmts(finalbody).replace('\n', "; ")
            ),
            Stmt::Assert { cond, msg, .. } => match msg {
                Some(m) => format!("(assert {} {})", sexpr(cond), sexpr(m)),
                None => format!("(assert {})", sexpr(cond)),
            },
            Stmt::Del(names) => format!(
                "(del {:?})",
                names.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>()
            ),
            Stmt::Break(_) => "break".into(),
            Stmt::Continue(_) => "continue".into(),
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
fn blocks_nest_by_indentation() {
    assert_eq!(
        tree(
            "for i, c in xs:\n    if i:\n        continue\n    elif c:\n        break\n    else:\n        n = i\nn"
        ),
        "(for [\"i\", \"c\"] in xs [(if i [continue] elif c [break] else [n = i])])\nn"
    );
    assert_eq!(tree("while a: b; c\nd"), "(while a [b; c])\nd");
    assert_eq!(
        tree("with t() as d, u():\n\n    x = {'k': [1]}\n"),
        "(with (call t ) as Some(\"d\"), (call u ) as None [x = {\"k\": [1]}])"
    );
    assert_eq!(tree("if a:\n\tb\nelse:\n  c"), "(if a [b] else [c])");
    // A block still being typed is incomplete, so the frontend waits for more lines.
    assert!(parse("for x in y:\n").unwrap_err().incomplete);
    // Blocks nest 20 deep, as in CPython; deeper is a clear error, not a deep recursion.
    let deep: String = (0..25)
        .map(|i| format!("{}if a:\n", " ".repeat(i)))
        .collect::<String>()
        + &" ".repeat(25)
        + "b";
    assert!(error(&deep).contains("too many statically nested blocks"));
}

#[test]
fn try_assert_del_and_augmented_assignment_parse() {
    assert_eq!(
        tree(
            "try:\n    a\nexcept (KeyError, sf.X) as e:\n    b\nexcept:\n    c\nelse:\n    d\nfinally:\n    f"
        ),
        "(try [a] except [\"KeyError\", \"X\"] as Some(\"e\") [b] except [] as None [c] else [d] finally [f])"
    );
    assert_eq!(tree("try: a\nfinally: b"), "(try [a] else [] finally [b])");
    assert_eq!(tree("assert a, 'm'"), "(assert a \"m\")");
    assert_eq!(tree("del a, b"), "(del [\"a\", \"b\"])");
    assert_eq!(tree("n += 2"), "n = (+ n 2)");
    assert_eq!(
        tree("@pandas_udf('long')\ndef f(s):\n    return s + 1"),
        "(@(call pandas_udf \"long\") def f [s] [return (+ s 1)])"
    );
    assert!(error("@d\nx = 1").contains("before a `def`"));
    // Comparisons chain as in Python; parentheses keep them apart.
    assert_eq!(tree("a < b == c"), "(and (< a b) (== b c))");
    assert_eq!(tree("(a == b) == c"), "(== (== a b) c)");
    // `try` waits for its handler; `else` needs a handler; `except` needs a class.
    assert!(parse("try:\n    a\n").unwrap_err().incomplete);
    assert!(parse("try:\n    a\nelse:\n    b").is_err());
    assert!(error("try:\n    a\nexcept 1:\n    b").contains("exception class"));
}

#[test]
fn functions_comprehensions_and_conditionals_parse() {
    assert_eq!(
        tree("def f(a, b=2) -> int:\n    return a + b\nf(1)"),
        "(def f [a, b=2] [return (+ a b)])\n(call f 1)"
    );
    assert_eq!(
        tree("g = lambda x, y=1: x * y"),
        "g = (lambda [x, y=1] (* x y))"
    );
    assert_eq!(
        tree("[c.upper() for c in cols if c != 'b']"),
        "(listcomp (call (. c upper) ) for [\"c\"] in cols if [(!= c \"b\")])"
    );
    assert_eq!(
        tree("a if x is not None else b"),
        "(ifelse (is not x None) a b)"
    );
    assert_eq!(tree("x not in y"), "(not in x y)");
    assert_eq!(
        tree("f'a{x}b{{c}}{y[0]:>3}'"),
        "(call (. \"a{}b{{c}}{:>3}\" format) x (index y 0))"
    );
    assert_eq!(
        tree("sum(v for v in xs)"),
        "(call sum (listcomp v for [\"v\"] in xs if []))"
    );
}

#[test]
fn slices_and_unpacking_parse() {
    assert_eq!(tree("xs[1:3]"), "(index xs (slice 1 3 _))");
    assert_eq!(tree("xs[:2]"), "(index xs (slice _ 2 _))");
    assert_eq!(tree("xs[1:]"), "(index xs (slice 1 _ _))");
    assert_eq!(tree("s[::2]"), "(index s (slice _ _ 2))");
    assert_eq!(tree("s[:]"), "(index s (slice _ _ _))");
    assert_eq!(tree("f(*xs, k=1, **kw)"), "(call f (* xs) k=1 (** kw))");
    assert_eq!(
        tree("df.select(*sorted(cols))"),
        "(call (. df select) (* (call sorted cols)))"
    );
    assert!(error("xs[1:2:3:4]").contains("ParseException"));
    assert!(error("f(*)").contains("ParseException"));
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
    insta::assert_snapshot!(error("for row in df.collect():\nprint(row)"), @r"
    ParseException: expected an indented block
      line 2:
        print(row)
        ^^^^^
    hint: indent the lines of the block, e.g. by 4 spaces
    ");
    insta::assert_snapshot!(error("if x:\n    a\n      b"), @r"
    ParseException: unexpected indentation
      line 3:
              b
              ^
    hint: the lines of a block share one indentation
    ");
    insta::assert_snapshot!(error("break"), @r"
    ParseException: 'break' outside loop
      line 1:
        break
        ^^^^^
    ");
    insta::assert_snapshot!(error("x = 1; for a in b: pass"), @r"
    ParseException: `for` must start its own line
      line 1:
        x = 1; for a in b: pass
               ^^^
    ");
    insta::assert_snapshot!(error("{1, 2}"), @r"
    NotSupportedError: sets are not supported
      line 1:
        {1, 2}
         ^
    hint: use a list: [a, b]
    ");
    insta::assert_snapshot!(error("def f(a=1, b):\n    pass"), @r"
    ParseException: non-default argument follows default argument
      line 1:
        def f(a=1, b):
                   ^
    ");
    insta::assert_snapshot!(error("def f(*args):\n    pass"), @r"
    NotSupportedError: `*args`, `**kwargs` and `/` in parameters are not supported
      line 1:
        def f(*args):
              ^
    hint: name every parameter: def f(a, b=1)
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
    "df",
    ".",
    "select",
    "(",
    ")",
    "[",
    "]",
    "'a'",
    "\"b",
    ",",
    "=",
    "\n",
    " ",
    "col",
    "1",
    "2.5",
    "&",
    "|",
    "~",
    "not",
    "and",
    "**",
    "-",
    "#",
    "\\",
    "'''",
    "lambda",
    "for",
    "import",
    "from",
    "as",
    "{",
    "}",
    ":",
    "%",
    "é",
    "None",
    "r'",
    "f'",
    "\t",
    "+=",
    "if ",
    "elif ",
    "else",
    "while ",
    "with ",
    " in ",
    "break",
    "continue",
    "\n    ",
    "\n  ",
    "pass",
    "x",
    "def ",
    "return ",
    " is ",
    " not ",
    "lambda x: ",
    " for ",
    "f(",
    "=",
    "try:",
    "except ",
    "except:",
    "finally:",
    " as e",
    "assert ",
    "del ",
    "-=",
    "*=",
    "(KeyError, ValueError)",
    "@",
    "@pandas_udf('long')\n",
    "[1:",
    ":]",
    "::",
    "[::-1]",
    "*xs",
    "**kw",
    "f(*",
];
