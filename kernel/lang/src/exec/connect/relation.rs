//! DataFrames of a neutral plan as Spark Connect relations: the PySpark call that made
//! each step, by name, becomes the relation PySpark's own Connect client would send.

use std::collections::HashMap;
use std::sync::Arc;

use faisca_connect::proto::aggregate::GroupType;
use faisca_connect::proto::expression::ExprType;
use faisca_connect::proto::join::JoinType;
use faisca_connect::proto::read::{DataSource, NamedTable, ReadType};
use faisca_connect::proto::relation::RelType;
use faisca_connect::proto::set_operation::SetOpType;
use faisca_connect::proto::with_columns_renamed::Rename;
use faisca_connect::proto::{
    Aggregate, Deduplicate, Drop, Expression, Filter, Join, Limit, Project, Range, Read, Relation,
    Sample, SetOperation, Sort, Sql, SubqueryAlias, WithColumns, WithColumnsRenamed,
};

use super::build::{alias, function, relation, unsupported};
use super::expression::{column, column_arg, columns, literal_of, sort_order};
use super::literal::Py;
use super::model;
use crate::core::error::LangError;
use crate::core::plan::{Arg, Plan};

/// Turns paths as the notebook wrote them into paths the server reads.
pub type PathMap<'a> = &'a dyn Fn(&str) -> String;

/// A read of files.
pub fn read_files(
    format: &str,
    paths: Vec<String>,
    options: HashMap<String, String>,
    schema: Option<String>,
) -> Relation {
    relation(RelType::Read(Read {
        is_streaming: false,
        read_type: Some(ReadType::DataSource(DataSource {
            format: Some(format.to_string()),
            schema,
            options,
            paths,
            predicates: Vec::new(),
            source_name: None,
        })),
    }))
}

/// Part `index` of `input.randomSplit(weights, seed)`, as PySpark's Connect client
/// sends it: a sample between the normalised cumulative weights, in a deterministic order.
fn random_split_part(
    input: Relation,
    split: &[(&'static str, Arg)],
    call: &Arc<Plan>,
    index: &[(&'static str, Arg)],
) -> Result<Relation, LangError> {
    let weights: Vec<f64> = match literal_of(split, "weights")? {
        Some(Py::List(ws)) => ws
            .iter()
            .map(|w| match w {
                Py::Int(i) => Ok(*i as f64),
                Py::Float(f) => Ok(*f),
                _ => Err(unsupported("randomSplit() weights that are not numbers")),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(unsupported("randomSplit() without a list of weights")),
    };
    let Some(Py::Int(i)) = literal_of(index, "index")? else {
        return Err(unsupported(
            "a part of randomSplit() not taken by its index",
        ));
    };
    let total: f64 = weights.iter().sum();
    // PySpark's arithmetic: cumulative sums of the proportions.
    let mut bounds = vec![0.0];
    for w in &weights {
        bounds.push(bounds[bounds.len() - 1] + w / total);
    }
    let i = i as usize;
    let (Some(&lower), Some(&upper)) = (bounds.get(i), bounds.get(i + 1)) else {
        return Err(unsupported("a part of randomSplit() past its weights"));
    };
    // Without a seed every part must still draw with the same one: the split's recorded
    // call is one value shared by its parts, so a seed derived from it is.
    let seed = match literal_of(split, "seed")? {
        Some(Py::Int(s)) => s,
        _ => {
            use std::hash::BuildHasher;
            static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> =
                std::sync::OnceLock::new();
            let key = KEY.get_or_init(Default::default);
            (key.hash_one(Arc::as_ptr(call) as usize) >> 1) as i64
        }
    };
    Ok(relation(RelType::Sample(Box::new(Sample {
        input: Some(Box::new(input)),
        lower_bound: lower,
        upper_bound: upper,
        with_replacement: Some(false),
        seed: Some(seed),
        deterministic_order: true,
    }))))
}

/// `spark.sql(query)`.
pub fn sql(query: &str) -> Relation {
    relation(RelType::Sql(Sql {
        query: query.to_string(),
        ..Default::default()
    }))
}

/// `input.limit(n)`.
pub fn limit(input: Relation, n: i32) -> Relation {
    relation(RelType::Limit(Box::new(Limit {
        input: Some(Box::new(input)),
        limit: n,
    })))
}

/// The relation a DataFrame's plan describes.
pub fn frame(plan: &Arc<Plan>, paths: PathMap<'_>) -> Result<Relation, LangError> {
    let Plan::Call {
        name,
        receiver: Some(receiver),
        args,
    } = plan.as_ref()
    else {
        return Err(unsupported(&format!("a DataFrame made by {plan}")));
    };
    if let Some(read) = read_call(name, receiver, args, paths)? {
        return Ok(read);
    }
    if matches!(receiver.as_ref(), Plan::Leaf(s) if s == "spark") {
        return session_call(name, args);
    }
    if let Plan::Call {
        name: "groupBy" | "groupby",
        receiver: Some(input),
        args: keys,
    } = receiver.as_ref()
    {
        let both: Vec<_> = keys.iter().chain(args).cloned().collect();
        let (input, scopes) = scored_input(frame(input, paths)?, &both)?;
        return model::in_scope(scopes, || {
            aggregate(input, columns(keys, "cols")?, name, args)
        });
    }
    if let (
        "__getitem__",
        Plan::Call {
            name: "randomSplit",
            receiver: Some(input),
            args: split,
        },
    ) = (*name, receiver.as_ref())
    {
        return random_split_part(frame(input, paths)?, split, receiver, args);
    }
    // Steps of columns (not of other DataFrames) may score the classifier: its scores
    // join the input as columns first, and leave again after the step.
    if !matches!(*name, "join" | "union" | "unionAll" | "unionByName")
        && !model::calls(args).is_empty()
    {
        let (input, scopes) = scored_input(frame(receiver, paths)?, args)?;
        let temps: Vec<String> = scopes.iter().flat_map(model::Scope::columns).collect();
        let rel = model::in_scope(scopes, || step(name, receiver, args, paths, Some(input)))?;
        // An aggregate's rows have no such columns; any other step may (`select("*", …)`).
        return Ok(if *name == "agg" {
            rel
        } else {
            relation(RelType::Drop(Box::new(Drop {
                input: Some(Box::new(rel)),
                columns: Vec::new(),
                column_names: temps,
            })))
        });
    }
    step(name, receiver, args, paths, None)
}

/// `input` with the scores of every classifier call among `args` (see `model`).
fn scored_input(
    input: Relation,
    args: &[(&'static str, Arg)],
) -> Result<(Relation, Vec<model::Scope>), LangError> {
    let calls = model::calls(args)
        .into_iter()
        .map(|(m, text)| Ok((m, column_arg(&text)?, text)))
        .collect::<Result<Vec<_>, LangError>>()?;
    model::with_scores(input, calls)
}

/// One DataFrame step on `given` (or on its receiver's relation).
fn step(
    name: &'static str,
    receiver: &Arc<Plan>,
    args: &[(&'static str, Arg)],
    paths: PathMap<'_>,
    mut given: Option<Relation>,
) -> Result<Relation, LangError> {
    let mut input = || match given.take() {
        Some(rel) => Ok(Some(Box::new(rel))),
        None => frame(receiver, paths).map(Box::new).map(Some),
    };
    let rel = match name {
        "sample" => {
            let number = |p: &str| -> Result<Option<f64>, LangError> {
                Ok(match literal_of(args, p)? {
                    Some(Py::Float(x)) => Some(x),
                    Some(Py::Int(i)) => Some(i as f64),
                    _ => None,
                })
            };
            // `sample(0.1, seed=1)`: the fraction may come first, as the local entry reads it.
            let fraction = number("fraction")?.or(number("withReplacement")?);
            let Some(fraction) = fraction else {
                return Err(unsupported("sample() without a fraction"));
            };
            let seed = match literal_of(args, "seed")? {
                Some(Py::Int(s)) => s,
                _ => 0,
            };
            RelType::Sample(Box::new(Sample {
                input: input()?,
                lower_bound: 0.0,
                upper_bound: fraction,
                with_replacement: Some(false),
                seed: Some(seed),
                deterministic_order: false,
            }))
        }
        "select" => RelType::Project(Box::new(Project {
            input: input()?,
            expressions: columns(args, "cols")?,
        })),
        "selectExpr" => {
            let mut expressions = Vec::new();
            for (_, arg) in args {
                let texts = match arg {
                    Arg::Literal(repr) => match Py::parse(repr)? {
                        Py::List(items) => items,
                        one => vec![one],
                    },
                    Arg::Plan(_) => return Err(unsupported("selectExpr() of columns")),
                };
                for text in texts {
                    match text {
                        Py::Str(t) => expressions.push(sql_expression(t)),
                        _ => return Err(unsupported("selectExpr() of non-strings")),
                    }
                }
            }
            RelType::Project(Box::new(Project {
                input: input()?,
                expressions,
            }))
        }
        "filter" | "where" => {
            let condition = match args.first() {
                Some((_, Arg::Literal(repr))) => match Py::parse(repr)? {
                    Py::Str(text) => sql_expression(text),
                    other => other.literal()?,
                },
                Some((_, Arg::Plan(p))) => column(p)?,
                None => return Err(unsupported("filter() without a condition")),
            };
            RelType::Filter(Box::new(Filter {
                input: input()?,
                condition: Some(condition),
            }))
        }
        "withColumn" => {
            let Some(Py::Str(col_name)) = literal_of(args, "colName")? else {
                return Err(unsupported("withColumn() without a name"));
            };
            let expr = match args.iter().find(|(n, _)| *n == "col") {
                Some((_, a)) => super::expression::value_arg(a)?,
                None => return Err(unsupported("withColumn() without a column")),
            };
            let Some(ExprType::Alias(aliased)) = alias(expr, &col_name).expr_type else {
                unreachable!("alias() makes an Alias")
            };
            RelType::WithColumns(Box::new(WithColumns {
                input: input()?,
                aliases: vec![*aliased],
            }))
        }
        "withColumnRenamed" => {
            let (Some(Py::Str(from)), Some(Py::Str(to))) =
                (literal_of(args, "existing")?, literal_of(args, "new")?)
            else {
                return Err(unsupported("withColumnRenamed() without two names"));
            };
            RelType::WithColumnsRenamed(Box::new(WithColumnsRenamed {
                input: input()?,
                renames: vec![Rename {
                    col_name: from,
                    new_col_name: to,
                }],
                ..Default::default()
            }))
        }
        "drop" => {
            let mut column_names = Vec::new();
            let mut cols = Vec::new();
            for (_, arg) in args {
                match arg {
                    Arg::Literal(repr) => column_names.push(Py::parse(repr)?.option_text()),
                    Arg::Plan(p) => cols.push(column(p)?),
                }
            }
            RelType::Drop(Box::new(Drop {
                input: input()?,
                columns: cols,
                column_names,
            }))
        }
        "limit" => {
            let Some(Py::Int(n)) = literal_of(args, "num")? else {
                return Err(unsupported("limit() without a number"));
            };
            RelType::Limit(Box::new(Limit {
                input: input()?,
                limit: n.clamp(0, i32::MAX as i64) as i32,
            }))
        }
        "orderBy" | "sort" => RelType::Sort(Box::new(Sort {
            input: input()?,
            order: sort_keys(args)?,
            is_global: Some(true),
        })),
        "distinct" => RelType::Deduplicate(Box::new(Deduplicate {
            input: input()?,
            all_columns_as_keys: Some(true),
            ..Default::default()
        })),
        "dropDuplicates" | "drop_duplicates" => {
            let subset = match literal_of(args, "subset")? {
                Some(Py::List(items)) => items.iter().map(Py::option_text).collect(),
                _ => Vec::new(),
            };
            RelType::Deduplicate(Box::new(Deduplicate {
                input: input()?,
                all_columns_as_keys: Some(subset.is_empty()),
                column_names: subset,
                ..Default::default()
            }))
        }
        "union" | "unionAll" | "unionByName" => {
            let other = frame_arg(args, "other", paths)?;
            let missing = matches!(
                literal_of(args, "allowMissingColumns")?,
                Some(Py::Bool(true))
            );
            RelType::SetOp(Box::new(SetOperation {
                left_input: input()?,
                right_input: Some(Box::new(other)),
                set_op_type: SetOpType::Union as i32,
                is_all: Some(true),
                by_name: Some(name == "unionByName"),
                allow_missing_columns: Some(missing),
            }))
        }
        "join" => join(input()?, args, paths)?,
        "agg" => {
            let input = *input()?.expect("input() gives a relation");
            return aggregate(input, Vec::new(), "agg", args);
        }
        "alias" => {
            let Some(Py::Str(name)) = literal_of(args, "alias")? else {
                return Err(unsupported("alias() without a name"));
            };
            RelType::SubqueryAlias(Box::new(SubqueryAlias {
                input: input()?,
                alias: name,
                qualifier: Vec::new(),
            }))
        }
        // Storage and layout hints: the server decides; the rows are the same.
        "cache" | "persist" | "coalesce" | "repartition" | "hint" => {
            return Ok(*input()?.expect("input() gives a relation"));
        }
        other => return Err(unsupported(&format!("DataFrame.{other}"))),
    };
    Ok(relation(rel))
}

/// A SQL expression as written (`"x > 1"`, `"length(d) AS n"`).
fn sql_expression(text: String) -> Expression {
    Expression {
        common: None,
        expr_type: Some(ExprType::ExpressionString(
            faisca_connect::proto::expression::ExpressionString { expression: text },
        )),
    }
}

fn frame_arg(
    args: &[(&'static str, Arg)],
    param: &str,
    paths: PathMap<'_>,
) -> Result<Relation, LangError> {
    match args.iter().find(|(n, _)| *n == param) {
        Some((_, Arg::Plan(p))) => frame(p, paths),
        _ => Err(unsupported(&format!("`{param}` that is not a DataFrame"))),
    }
}

/// `spark.sql(...)`, `spark.table(...)`, `spark.range(...)`.
fn session_call(name: &str, args: &[(&'static str, Arg)]) -> Result<Relation, LangError> {
    Ok(match name {
        "sql" => match literal_of(args, "sqlQuery")? {
            Some(Py::Str(q)) => sql(&q),
            _ => return Err(unsupported("spark.sql() with query arguments")),
        },
        "table" => match literal_of(args, "tableName")? {
            Some(Py::Str(t)) => relation(RelType::Read(Read {
                is_streaming: false,
                read_type: Some(ReadType::NamedTable(NamedTable {
                    unparsed_identifier: t,
                    options: HashMap::new(),
                })),
            })),
            _ => return Err(unsupported("spark.table() without a name")),
        },
        "range" => {
            let int = |p: &str| -> Result<Option<i64>, LangError> {
                Ok(match literal_of(args, p)? {
                    Some(Py::Int(i)) => Some(i),
                    _ => None,
                })
            };
            let (start, end) = match int("end")? {
                Some(end) => (int("start")?.unwrap_or(0), end),
                None => (0, int("start")?.unwrap_or(0)),
            };
            relation(RelType::Range(Range {
                start: Some(start),
                end,
                step: int("step")?.unwrap_or(1),
                num_partitions: int("numPartitions")?.map(|n| n as i32),
            }))
        }
        "createDataFrame" => {
            let repr = |param: &str| match args.iter().find(|(n, _)| *n == param) {
                Some((_, Arg::Literal(repr))) => Ok(Some(repr.as_str())),
                Some((_, Arg::Plan(_))) => Err(unsupported(&format!("a DataFrame as `{param}`"))),
                None => Ok(None),
            };
            match repr("data")? {
                Some(data) => super::local_data::local_relation(data, repr("schema")?)?,
                None => return Err(unsupported("createDataFrame() without data")),
            }
        }
        other => return Err(unsupported(&format!("spark.{other}"))),
    })
}

/// `spark.read…csv(path, **options)` and friends; `None` if `receiver` is no reader.
fn read_call(
    name: &str,
    receiver: &Arc<Plan>,
    args: &[(&'static str, Arg)],
    paths: PathMap<'_>,
) -> Result<Option<Relation>, LangError> {
    let Some((mut format, mut options)) = reader(receiver)? else {
        return Ok(None);
    };
    match name {
        "csv" | "json" | "parquet" | "text" | "orc" => format = Some(name.to_string()),
        "load" => {}
        "table" => return session_call("table", args).map(Some),
        _ => return Ok(None),
    }
    let mut files = Vec::new();
    let mut schema = options.remove("schema");
    for (param, arg) in args {
        if let Some((key, value)) = keyword_option(param, arg)? {
            options.insert(key, value);
            continue;
        }
        let value = match arg {
            Arg::Literal(repr) => Py::parse(repr)?,
            Arg::Plan(_) => return Err(unsupported(&format!("`{param}` as a column"))),
        };
        match (*param, value) {
            (_, Py::None) => {}
            ("path" | "paths", Py::List(items)) => {
                files.extend(items.iter().map(|p| paths(&p.option_text())))
            }
            ("path" | "paths", p) => files.push(paths(&p.option_text())),
            ("format", f) => format = Some(f.option_text()),
            ("schema", Py::Str(s)) => schema = Some(s),
            ("schema", _) => return Err(unsupported("a schema that is not a DDL string")),
            (key, v) => {
                options.insert(key.to_string(), v.option_text());
            }
        }
    }
    let format = format.unwrap_or_else(|| "parquet".to_string());
    Ok(Some(read_files(&format, files, options, schema)))
}

/// A `**options` keyword, which the plan records as `options='key=repr'`.
fn keyword_option(param: &str, arg: &Arg) -> Result<Option<(String, String)>, LangError> {
    match (param, arg) {
        ("options", Arg::Literal(text)) => match text.split_once('=') {
            Some((key, repr)) => Ok(Some((key.to_string(), Py::parse(repr)?.option_text()))),
            None => Err(unsupported(&format!("the option {text}"))),
        },
        _ => Ok(None),
    }
}

/// A reader's format (if set) and options.
type ReaderSettings = (Option<String>, HashMap<String, String>);

/// The format and options of `spark.read.format(…).option(…)…`; `None` if `plan` is
/// not a reader.
fn reader(plan: &Arc<Plan>) -> Result<Option<ReaderSettings>, LangError> {
    match plan.as_ref() {
        Plan::Attr {
            receiver,
            name: "read",
        } if matches!(receiver.as_ref(), Plan::Leaf(s) if s == "spark") => {
            Ok(Some((None, HashMap::new())))
        }
        Plan::Call {
            name,
            receiver: Some(inner),
            args,
        } if matches!(*name, "format" | "option") => {
            // `core::value::reader_plan` writes a reader as these two calls only.
            let Some((mut format, mut options)) = reader(inner)? else {
                return Ok(None);
            };
            if *name == "format" {
                format = literal_of(args, "source")?.map(|f| f.option_text());
            } else if let (Some(k), Some(v)) =
                (literal_of(args, "key")?, literal_of(args, "value")?)
            {
                options.insert(k.option_text(), v.option_text());
            }
            Ok(Some((format, options)))
        }
        _ => Ok(None),
    }
}

/// `orderBy(cols, ascending=…)`: sort keys as given, plain columns by `ascending`.
fn sort_keys(
    args: &[(&'static str, Arg)],
) -> Result<Vec<faisca_connect::proto::expression::SortOrder>, LangError> {
    let ascending = match literal_of(args, "ascending")? {
        Some(Py::Bool(b)) => vec![b],
        Some(Py::Int(i)) => vec![i != 0],
        Some(Py::List(items)) => items
            .iter()
            .map(|i| i != &Py::Bool(false) && i != &Py::Int(0))
            .collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for (i, key) in columns(args, "cols")?.into_iter().enumerate() {
        let key = match key.expr_type {
            Some(ExprType::SortOrder(_)) => key,
            _ => {
                let asc = ascending
                    .get(i)
                    .or(ascending.first())
                    .copied()
                    .unwrap_or(true);
                sort_order(key, if asc { "asc" } else { "desc" })
            }
        };
        if let Some(ExprType::SortOrder(order)) = key.expr_type {
            out.push(*order);
        }
    }
    Ok(out)
}

fn join(
    left: Option<Box<Relation>>,
    args: &[(&'static str, Arg)],
    paths: PathMap<'_>,
) -> Result<RelType, LangError> {
    let right = frame_arg(args, "other", paths)?;
    let how = match literal_of(args, "how")? {
        Some(Py::Str(h)) => h.to_ascii_lowercase().replace('_', ""),
        _ => "inner".to_string(),
    };
    let join_type = match how.as_str() {
        "inner" => JoinType::Inner,
        "outer" | "full" | "fullouter" => JoinType::FullOuter,
        "left" | "leftouter" => JoinType::LeftOuter,
        "right" | "rightouter" => JoinType::RightOuter,
        "semi" | "leftsemi" => JoinType::LeftSemi,
        "anti" | "leftanti" => JoinType::LeftAnti,
        "cross" => JoinType::Cross,
        other => return Err(unsupported(&format!("a join of type {other}"))),
    };
    let (mut using_columns, mut condition) = (Vec::new(), None);
    match args.iter().find(|(n, _)| *n == "on") {
        Some((_, Arg::Literal(repr))) => match Py::parse(repr)? {
            Py::Str(c) => using_columns.push(c),
            Py::List(items) => using_columns.extend(items.iter().map(Py::option_text)),
            Py::None => {}
            _ => return Err(unsupported("this join condition")),
        },
        Some((_, Arg::Plan(p))) => condition = Some(column(p)?),
        None => {}
    }
    Ok(RelType::Join(Box::new(Join {
        left,
        right: Some(Box::new(right)),
        join_condition: condition,
        join_type: join_type as i32,
        using_columns,
        join_data_type: None,
    })))
}

/// `groupBy(keys).name(args)`, or `df.agg(args)` with no keys.
fn aggregate(
    input: Relation,
    keys: Vec<Expression>,
    name: &str,
    args: &[(&'static str, Arg)],
) -> Result<Relation, LangError> {
    let aggregates = match name {
        "count" => vec![alias(
            function("count", vec![Py::Int(1).literal()?], false),
            "count",
        )],
        "agg" => columns(args, "exprs")?,
        "sum" | "avg" | "mean" | "max" | "min" => {
            let f = if name == "mean" { "avg" } else { name };
            columns(args, "cols")?
                .into_iter()
                .map(|c| function(f, vec![c], false))
                .collect()
        }
        other => return Err(unsupported(&format!("GroupedData.{other}"))),
    };
    Ok(relation(RelType::Aggregate(Box::new(Aggregate {
        input: Some(Box::new(input)),
        group_type: GroupType::Groupby as i32,
        grouping_expressions: keys,
        aggregate_expressions: aggregates,
        pivot: None,
        grouping_sets: Vec::new(),
    }))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &'static str, receiver: Arc<Plan>, args: Vec<(&'static str, Arg)>) -> Arc<Plan> {
        Arc::new(Plan::Call {
            name,
            receiver: Some(receiver),
            args,
        })
    }

    fn lit(repr: &str) -> Arg {
        Arg::Literal(repr.to_string())
    }

    fn rel_type(r: &Relation) -> &RelType {
        r.rel_type.as_ref().unwrap()
    }

    /// `spark.read.option('inferSchema', 'true').csv('/data/p.csv', sep=';', header=True)
    ///  .withColumn('n', length('nome')).groupBy('categoria').count()`
    fn chapter() -> Arc<Plan> {
        let spark = Plan::leaf("spark");
        let reader = Arc::new(Plan::Attr {
            receiver: spark,
            name: "read",
        });
        let reader = call(
            "option",
            reader,
            vec![("key", lit("'inferSchema'")), ("value", lit("'true'"))],
        );
        let read = call(
            "csv",
            reader,
            vec![
                ("path", lit("'/data/p.csv'")),
                ("sep", lit("';'")),
                ("header", lit("True")),
            ],
        );
        let length = Arc::new(Plan::Call {
            name: "length",
            receiver: None,
            args: vec![("col", lit("'nome'"))],
        });
        let with = call(
            "withColumn",
            read,
            vec![("colName", lit("'n'")), ("col", Arg::Plan(length))],
        );
        let grouped = call("groupBy", with, vec![("cols", lit("'categoria'"))]);
        call("count", grouped, vec![])
    }

    #[test]
    fn the_chapter_becomes_aggregate_over_with_columns_over_a_csv_read() {
        let paths = |p: &str| p.replace("/data", "/srv/data");
        let rel = frame(&chapter(), &paths).unwrap();
        let RelType::Aggregate(agg) = rel_type(&rel) else {
            panic!("{rel:?}")
        };
        assert_eq!(agg.grouping_expressions.len(), 1);
        assert_eq!(agg.group_type, GroupType::Groupby as i32);
        let Some(ExprType::Alias(count)) = &agg.aggregate_expressions[0].expr_type else {
            panic!()
        };
        assert_eq!(count.name, vec!["count".to_string()]);
        let RelType::WithColumns(with) = rel_type(agg.input.as_ref().unwrap()) else {
            panic!()
        };
        assert_eq!(with.aliases[0].name, vec!["n".to_string()]);
        let RelType::Read(read) = rel_type(with.input.as_ref().unwrap()) else {
            panic!()
        };
        let Some(ReadType::DataSource(source)) = &read.read_type else {
            panic!()
        };
        assert_eq!(source.format.as_deref(), Some("csv"));
        assert_eq!(source.paths, vec!["/srv/data/p.csv".to_string()]);
        assert_eq!(source.options["header"], "true");
        assert_eq!(source.options["sep"], ";");
        assert_eq!(source.options["inferSchema"], "true");
    }

    #[test]
    fn random_split_parts_sample_between_cumulative_weights_with_one_seed() {
        let split = call("randomSplit", chapter(), vec![("weights", lit("[3, 1]"))]);
        let part = |i: usize| {
            let plan = call(
                "__getitem__",
                split.clone(),
                vec![("index", lit(&i.to_string()))],
            );
            match rel_type(&frame(&plan, &|p: &str| p.to_string()).unwrap()) {
                RelType::Sample(s) => (s.lower_bound, s.upper_bound, s.seed, s.deterministic_order),
                other => panic!("{other:?}"),
            }
        };
        let (first, second) = (part(0), part(1));
        assert_eq!((first.0, first.1), (0.0, 0.75));
        assert_eq!((second.0, second.1), (0.75, 1.0));
        // Without a seed the parts still share one, or rows would be drawn twice.
        assert!(first.2.is_some() && first.2 == second.2);
        assert!(first.3 && second.3);
    }

    #[test]
    fn predict_joins_broadcast_scores_of_distinct_texts_and_drops_them_after() {
        let model = faisca_model::Classifier::train(
            &["livro de aventura", "boneca de pano"],
            &["livro", "brinquedo"],
            Default::default(),
            faisca_model::Columns {
                text: vec!["d".into()],
                label: "c".into(),
            },
        )
        .unwrap();
        let predict = Arc::new(Plan::Call {
            name: "predict",
            receiver: Some(Arc::new(Plan::Model(Arc::new(model)))),
            args: vec![("col", lit("'descricao'"))],
        });
        let plan = call(
            "withColumn",
            chapter(),
            vec![("colName", lit("'p'")), ("col", Arg::Plan(predict))],
        );
        let rel = frame(&plan, &|p: &str| p.to_string()).unwrap();
        let RelType::Drop(drop) = rel_type(&rel) else {
            panic!("{rel:?}")
        };
        assert_eq!(
            drop.column_names,
            ["__faisca_key_0", "__faisca_hash_0", "__faisca_scores_0"]
        );
        let RelType::WithColumns(with) = rel_type(drop.input.as_ref().unwrap()) else {
            panic!()
        };
        let RelType::Join(join) = rel_type(with.input.as_ref().unwrap()) else {
            panic!()
        };
        assert_eq!(join.join_type, JoinType::LeftOuter as i32);
        // Joined back on the text's hashes: the broadcast side holds no texts.
        assert_eq!(join.using_columns, ["__faisca_key_0", "__faisca_hash_0"]);
        let RelType::Hint(hint) = rel_type(join.right.as_ref().unwrap()) else {
            panic!()
        };
        assert_eq!(hint.name, "broadcast");
        // Out of a step, a model call has no scores to read: an error, not a guess.
        let err = column(&Arc::new(Plan::Call {
            name: "predict",
            receiver: Some(Arc::new(Plan::Model(Arc::new(
                faisca_model::Classifier::train(
                    &["aa bb", "cc dd"],
                    &["x", "y"],
                    Default::default(),
                    faisca_model::Columns {
                        text: vec!["d".into()],
                        label: "c".into(),
                    },
                )
                .unwrap(),
            )))),
            args: vec![("col", lit("'d'"))],
        }))
        .unwrap_err();
        assert_eq!(err.ename, "PySparkNotImplementedError");
    }

    #[test]
    fn what_cannot_be_sent_is_an_error_naming_it() {
        let odd = call("summary", chapter(), vec![]);
        let err = frame(&odd, &|p: &str| p.to_string()).unwrap_err();
        assert_eq!(err.ename, "PySparkNotImplementedError");
        assert!(err.message.contains("DataFrame.summary"), "{}", err.message);
        let leaf = frame(&Plan::leaf("DataFrame"), &|p: &str| p.to_string()).unwrap_err();
        assert_eq!(leaf.ename, "PySparkNotImplementedError");
    }

    #[test]
    fn sort_keys_follow_ascending_and_keep_explicit_orders() {
        let input = Plan::leaf("spark");
        let sorted = call(
            "orderBy",
            call(
                "sql",
                input,
                vec![("sqlQuery", lit("'select 1 as a, 2 as b'"))],
            ),
            vec![
                ("cols", lit("'a'")),
                ("cols", lit("'b'")),
                ("ascending", lit("[False, True]")),
            ],
        );
        let rel = frame(&sorted, &|p: &str| p.to_string()).unwrap();
        let RelType::Sort(sort) = rel_type(&rel) else {
            panic!()
        };
        assert_eq!(sort.order.len(), 2);
        assert_eq!(sort.order[0].direction, 2, "descending");
        assert_eq!(sort.order[1].direction, 1, "ascending");
    }
}
