//! Evaluates statements and expressions: names, attributes and calls resolve through the
//! API registry; operators through `api::operators`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::api::call::{Args, bind};
use crate::api::entry::Kind;
use crate::api::operators::{binary, condition, truthy, unary};
use crate::api::registry::registry;
use crate::core::context::Context;
use crate::core::error::{LangError, Span, interrupted};
use crate::core::names::did_you_mean;
use crate::core::plan::{Arg as PlanArg, Plan};
use crate::core::value::{Callable, Module, Receiver, Value, dict_from};
use crate::syntax::ast::{Arg, BinOp, Expr, ExprKind, Stmt};

use super::context::CellContext;

/// One cell's evaluator: the session's variables and the running cell's context.
pub struct Eval<'s, 'c> {
    /// The variables assignments go to: the session's, or a running function's own.
    pub vars: &'s mut HashMap<String, Value>,
    /// Inside a function: the session's variables, read where the function's own lack a name.
    pub globals: Option<&'s HashMap<String, Value>>,
    /// How many function calls deep this evaluation is.
    pub depth: usize,
    /// The cell's view of the session.
    pub ctx: &'s mut CellContext<'c>,
}

impl Eval<'_, '_> {
    pub(super) fn simple(&mut self, stmt: &Stmt) -> Result<Option<Value>, LangError> {
        match stmt {
            Stmt::Import {
                module,
                names,
                span,
            } => {
                self.import(module, names, *span)?;
                Ok(None)
            }
            Stmt::Assign(targets, expr) => {
                let value = self.expr(expr)?;
                self.assign(targets, value, expr.span)?;
                Ok(None)
            }
            Stmt::Expr(e) => self.expr(e).map(Some),
            _ => Ok(None),
        }
    }

    /// Binds `targets` to `value` (unpacking a list or tuple into several names).
    pub fn assign(
        &mut self,
        targets: &[(String, Span)],
        value: Value,
        span: Span,
    ) -> Result<(), LangError> {
        if let [(name, _)] = targets {
            self.vars.insert(name.clone(), value);
            return Ok(());
        }
        let items = match value {
            Value::List(items) | Value::Tuple(items) => items,
            other => {
                return Err(LangError::type_error(format!(
                    "cannot unpack a {} into {} names",
                    other.type_name(),
                    targets.len()
                ))
                .at(span));
            }
        };
        if items.len() != targets.len() {
            return Err(LangError::new(
                "ValueError",
                format!(
                    "expected {} values to unpack, got {}",
                    targets.len(),
                    items.len()
                ),
            )
            .at(span));
        }
        for ((name, _), item) in targets.iter().zip(items.iter()) {
            self.vars.insert(name.clone(), item.clone());
        }
        Ok(())
    }

    fn import(
        &mut self,
        module: &str,
        names: &[(String, String)],
        span: Span,
    ) -> Result<(), LangError> {
        let Some(m) = Module::from_path(module) else {
            return Err(unknown_module(module).at(span));
        };
        let reg = registry();
        for (name, alias) in names {
            let value = if name.is_empty() {
                // `import a.b.c` binds `a`; `import a.b.c as x` binds x to a.b.c.
                match alias.split_once('.') {
                    Some((top, _)) => {
                        let top_module = Module::from_path(top).unwrap_or(m);
                        self.vars.insert(top.to_string(), Value::Module(top_module));
                        continue;
                    }
                    None => Value::Module(m),
                }
            } else if name == "*" {
                continue;
            } else if let Some(child) = m.child(name) {
                Value::Module(child)
            } else if let Some(id) = reg.in_module(m, name) {
                self.entry_value(id, Value::None, name)?
            } else {
                let known = reg.module_names(m);
                let hint = did_you_mean(name, known.iter().copied()).unwrap_or_else(|| {
                    format!("`{name}` is not available in Faísca; see docs/language.md")
                });
                return Err(LangError::new(
                    "ImportError",
                    format!("cannot import name '{name}' from '{module}'"),
                )
                .at(span)
                .with_hint(hint));
            };
            self.vars.insert(alias.clone(), value);
        }
        Ok(())
    }

    /// Evaluates an expression.
    pub fn expr(&mut self, e: &Expr) -> Result<Value, LangError> {
        if (self.ctx.cancel())() {
            return Err(interrupted());
        }
        let span = e.span;
        Ok(match &e.kind {
            ExprKind::None => Value::None,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::Float(f) => Value::Float(*f),
            ExprKind::Str(s) => Value::Str(s.clone()),
            ExprKind::List(items) => Value::List(Arc::new(self.exprs(items)?)),
            ExprKind::Tuple(items) => Value::Tuple(Arc::new(self.exprs(items)?)),
            ExprKind::Dict(items) => {
                let mut pairs = Vec::with_capacity(items.len());
                for (k, v) in items {
                    let key = self.expr(k)?;
                    if !key.is_hashable() {
                        return Err(LangError::type_error(format!(
                            "unhashable type: '{}'",
                            key.type_name()
                        ))
                        .at(k.span));
                    }
                    pairs.push((key, self.expr(v)?));
                }
                dict_from(pairs).map_err(|e| e.at(span))?
            }
            ExprKind::Name(n) => self.lookup(n, span)?,
            ExprKind::Attr(obj, name, name_span) => {
                let recv = self.expr(obj)?;
                self.attribute(recv, name, *name_span)?
            }
            ExprKind::Call(func, args) => {
                let f = self.expr(func)?;
                let args = self.args(args, span)?;
                self.call(f, args).map_err(|err| err.at(span))?
            }
            ExprKind::Index(obj, index) => {
                let recv = self.expr(obj)?;
                if let ExprKind::Slice(a, b, c) = &index.kind {
                    let mut bound = |e: &Option<Box<Expr>>| -> Result<Option<i64>, LangError> {
                        match e {
                            None => Ok(None),
                            Some(e) => match self.expr(e)? {
                                Value::None => Ok(None),
                                Value::Int(i) => Ok(Some(i)),
                                Value::Bool(b) => Ok(Some(b as i64)),
                                other => Err(LangError::type_error(format!(
                                    "slice indices must be integers or None, not {}",
                                    other.type_name()
                                ))
                                .at(e.span)),
                            },
                        }
                    };
                    let (a, b, c) = (bound(a)?, bound(b)?, bound(c)?);
                    return crate::api::python::slice(&recv, a, b, c).map_err(|e| e.at(index.span));
                }
                let idx = self.expr(index)?;
                match (&recv, &idx) {
                    // `df[df.age > 3]` is `df.filter(df.age > 3)`, as in PySpark.
                    (Value::Frame(_), Value::Column(_)) => {
                        let filter = registry()
                            .lookup(Receiver::DataFrame, "filter")
                            .map(|id| registry().callable(id))
                            .ok_or_else(|| LangError::type_error("filter is not available"))?;
                        let args = Args {
                            pos: vec![(idx, index.span)],
                            kw: Vec::new(),
                            span,
                        };
                        self.call(Value::Method(Box::new(recv), filter), args)
                            .map_err(|e| e.at(span))?
                    }
                    _ => index_value(recv, idx, index.span)?,
                }
            }
            ExprKind::ListComp(elt, clauses) => {
                let mut out = Vec::new();
                self.comprehension(clauses, &mut |ev| {
                    out.push(ev.expr(elt)?);
                    Ok(())
                })?;
                Value::List(out.into())
            }
            ExprKind::DictComp(key, value, clauses) => {
                let mut pairs = Vec::new();
                self.comprehension(clauses, &mut |ev| {
                    let k = ev.expr(key)?;
                    if !k.is_hashable() {
                        return Err(LangError::type_error(format!(
                            "unhashable type: '{}'",
                            k.type_name()
                        ))
                        .at(key.span));
                    }
                    pairs.push((k, ev.expr(value)?));
                    Ok(())
                })?;
                dict_from(pairs).map_err(|e| e.at(span))?
            }
            ExprKind::IfElse(cond, then, otherwise) => {
                let c = self.expr(cond)?;
                if condition(&c).map_err(|e| e.at(cond.span))? {
                    self.expr(then)?
                } else {
                    self.expr(otherwise)?
                }
            }
            // `and`/`or` on plain values stop at the first operand that decides, as in
            // Python (`x is not None and x > 1`); on a Column they are an error below.
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), l, r) => {
                let lv = self.expr(l)?;
                if !matches!(lv, Value::Column(_)) && truthy(&lv) == (*op == BinOp::Or) {
                    lv
                } else if !matches!(lv, Value::Column(_)) {
                    self.expr(r)?
                } else {
                    let rv = self.expr(r)?;
                    binary(*op, lv, rv).map_err(|err| err.at(span))?
                }
            }
            ExprKind::Binary(op, l, r) => {
                let lv = self.expr(l)?;
                let rv = self.expr(r)?;
                let plan = operator_plan(op.symbol(), &[&lv, &rv]);
                with_plan(binary(*op, lv, rv).map_err(|err| err.at(span))?, &plan)
            }
            ExprKind::Lambda(params, body) => self.lambda(params, body)?,
            ExprKind::Slice(..) => {
                return Err(LangError::parse("a slice goes inside `[…]`", span));
            }
            ExprKind::Unpack(..) => {
                return Err(LangError::parse(
                    "`*x` and `**x` go in a call's arguments",
                    span,
                ));
            }
            ExprKind::Unary(op, inner) => {
                let v = self.expr(inner)?;
                let plan = operator_plan(op.symbol(), &[&v]);
                with_plan(unary(*op, v).map_err(|err| err.at(span))?, &plan)
            }
        })
    }

    fn exprs(&mut self, items: &[Expr]) -> Result<Vec<Value>, LangError> {
        items.iter().map(|i| self.expr(i)).collect()
    }

    fn args(&mut self, args: &[Arg], span: Span) -> Result<Args, LangError> {
        let mut out = Args {
            span,
            ..Args::default()
        };
        for a in args {
            if let ExprKind::Unpack(inner, double) = &a.value.kind {
                let v = self.expr(inner)?;
                if *double {
                    let Value::Dict(items) = &v else {
                        return Err(LangError::type_error(format!(
                            "argument after ** must be a mapping, not {}",
                            v.type_name()
                        ))
                        .at(inner.span));
                    };
                    for (k, v) in items.iter() {
                        let Value::Str(k) = k else {
                            return Err(
                                LangError::type_error("keywords must be strings").at(inner.span)
                            );
                        };
                        out.kw.push((k.clone(), v.clone(), a.value.span));
                    }
                } else {
                    let items = crate::api::python::iterate(&v, inner.span)?;
                    out.pos.extend(items.into_iter().map(|v| (v, a.value.span)));
                }
                continue;
            }
            let v = self.expr(&a.value)?;
            match &a.name {
                Some(n) => out.kw.push((n.clone(), v, a.value.span)),
                None => out.pos.push((v, a.value.span)),
            }
        }
        Ok(out)
    }

    /// A registry entry reached from `recv`: a property's value or a bound method.
    fn entry_value(&mut self, id: usize, recv: Value, name: &str) -> Result<Value, LangError> {
        let reg = registry();
        Ok(match reg.entry(id).kind {
            Kind::Property(get) => get(self.ctx, recv)?,
            Kind::Method(_) if matches!(recv, Value::None) => {
                Value::Function(reg.callable_as(id, name))
            }
            Kind::Method(_) => Value::Method(Box::new(recv), reg.callable_as(id, name)),
        })
    }

    fn lookup(&mut self, name: &str, span: Span) -> Result<Value, LangError> {
        if let Some(v) = self.vars.get(name) {
            return Ok(v.clone());
        }
        if let Some(v) = self.globals.and_then(|g| g.get(name)) {
            return Ok(v.clone());
        }
        if let Some(id) = registry().bare(name) {
            return self
                .entry_value(id, Value::None, name)
                .map_err(|e| e.at(span));
        }
        let bare = registry().bare_names();
        let candidates = self
            .vars
            .keys()
            .map(String::as_str)
            .chain(bare.iter().copied());
        let mut err = LangError::new("NameError", format!("name '{name}' is not defined")).at(span);
        if let Some(hint) = did_you_mean(name, candidates) {
            err = err.with_hint(hint);
        } else if matches!(name, "pd" | "np" | "sc" | "sqlContext") {
            err = err.with_hint("the session object is `spark`; DataFrames come from spark.read / spark.createDataFrame");
        }
        Err(err)
    }

    fn attribute(&mut self, recv: Value, name: &str, span: Span) -> Result<Value, LangError> {
        let reg = registry();
        let found = match &recv {
            Value::Module(m) => {
                if let Some(child) = m.child(name) {
                    return Ok(Value::Module(child));
                }
                reg.in_module(*m, name).map(|id| (id, Value::None))
            }
            other => other
                .receiver()
                .and_then(|on| reg.lookup(on, name))
                .map(|id| (id, recv.clone())),
        };
        if let Some((id, this)) = found {
            return self.entry_value(id, this, name).map_err(|e| e.at(span));
        }
        match &recv {
            // `df.nome` is the column, as in PySpark.
            Value::Frame(f) if f.schema.contains(name) => {
                return Ok(Value::Column(Box::new(crate::api::convert::plain_col(
                    name,
                ))));
            }
            Value::Row(fields) => {
                if let Some((_, v)) = fields.iter().find(|(n, _)| n == name) {
                    return Ok(v.clone());
                }
            }
            // pandas Series methods, as a pandas UDF body might call them.
            Value::Column(_) if PANDAS_ONLY.contains(&name) => {
                return Err(LangError::unsupported(format!(
                    "`.{name}` is a pandas method; a column has none"
                ))
                .at(span)
                .with_hint("write the body as column arithmetic, or with pyspark.sql.functions"));
            }
            // `df.s.field`: a struct's field, as PySpark's Column.__getattr__.
            Value::Column(c) if !name.starts_with('_') => {
                let key = crate::api::column_access::Key::Name(name.to_string());
                return Ok(Value::Column(Box::new(crate::api::column_access::item(
                    c, key, true,
                ))));
            }
            _ => {}
        }
        Err(no_attribute(&recv, name, span))
    }

    pub(super) fn call(&mut self, f: Value, args: Args) -> Result<Value, LangError> {
        let (callable, this): (Callable, Value) = match f {
            Value::UserFn(f) => return self.call_user(&f, args),
            // `@pandas_udf("long")` applied to the function below it.
            Value::UdfDecorator(returns) => {
                return match args.pos.into_iter().next() {
                    Some((Value::UserFn(mut f), _)) if args.kw.is_empty() => {
                        f.returns = Some(returns);
                        Ok(Value::UserFn(f))
                    }
                    _ => Err(LangError::type_error(
                        "pandas_udf(...) decorates a function: put it on the line above `def`",
                    )),
                };
            }
            Value::Function(c) => (c, Value::None),
            Value::Method(recv, c) => (c, *recv),
            // A model called on a column predicts: `predict("descricao")`.
            model @ Value::Model(_) => match registry().lookup(Receiver::Model, "predict") {
                Some(id) => (registry().callable(id), model),
                None => return Err(LangError::type_error("the model cannot predict")),
            },
            // `df.plot(kind=...)` is the accessor's `__call__`.
            plot @ Value::Plot(_) => match registry().lookup(Receiver::PlotAccessor, "__call__") {
                Some(id) => (registry().callable(id), plot),
                None => return Err(LangError::type_error("the plot accessor cannot be called")),
            },
            other => {
                return Err(LangError::type_error(format!(
                    "'{}' object is not callable",
                    other.type_name()
                )));
            }
        };
        let reg = registry();
        let Kind::Method(run) = reg.entry(callable.id).kind else {
            return Err(LangError::type_error(format!(
                "'{}' is not callable",
                callable.name
            )));
        };
        let sig = reg.signature(callable.id);
        let mut call = bind(sig, this, args)?;
        call.name = callable.name;
        // Only results that carry a plan need the record of this call.
        let plan = sig.returns_plan().then(|| Arc::new(call.plan()));
        let value = self.run_entry(run, call)?;
        Ok(match &plan {
            Some(plan) => with_plan(value, plan),
            None => value,
        })
    }
}

/// `a op b` as a neutral plan.
fn operator_plan(op: &'static str, operands: &[&Value]) -> Arc<Plan> {
    let args = operands
        .iter()
        .map(|v| match v {
            Value::Column(c) => PlanArg::Plan(c.plan.clone()),
            other => PlanArg::Literal(other.repr()),
        })
        .collect();
    Arc::new(Plan::Op { op, args })
}

/// Records how a DataFrame, Column or grouping was made (see `core::plan`).
fn with_plan(v: Value, plan: &Arc<Plan>) -> Value {
    match v {
        Value::Frame(mut f) => {
            f.plan = plan.clone();
            Value::Frame(f)
        }
        Value::Column(mut c) => {
            c.plan = plan.clone();
            Value::Column(c)
        }
        Value::Grouped(mut g) => {
            g.plan = plan.clone();
            Value::Grouped(g)
        }
        // randomSplit: part i of the split.
        Value::List(items) if items.iter().all(|i| matches!(i, Value::Frame(_))) => Value::List(
            Arc::unwrap_or_clone(items)
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let part = Arc::new(Plan::Call {
                        name: "__getitem__",
                        receiver: Some(plan.clone()),
                        args: vec![("index", PlanArg::Literal(i.to_string()))],
                    });
                    with_plan(item, &part)
                })
                .collect::<Vec<_>>()
                .into(),
        ),
        other => other,
    }
}

fn unknown_module(module: &str) -> LangError {
    let hint = match module.split('.').next().unwrap_or("") {
        "pandas" | "numpy" => {
            "Faísca has no pandas/numpy: use DataFrame methods; toPandas() shows a pandas-style table"
        }
        "sklearn" | "joblib" | "pickle" => {
            "train with NaiveBayes(text=..., label=...).fit(df) and load with load_model(path)"
        }
        _ => "only pyspark modules are understood; their functions are built in",
    };
    LangError::new("ModuleNotFoundError", format!("no module named '{module}'")).with_hint(hint)
}

/// pandas Series methods that are not column functions.
const PANDAS_ONLY: &[&str] = &[
    "apply",
    "map",
    "astype",
    "tolist",
    "to_list",
    "values",
    "iloc",
    "loc",
    "str",
    "dt",
    "to_numpy",
    "iterrows",
    "itertuples",
    "applymap",
];

fn no_attribute(recv: &Value, name: &str, span: Span) -> LangError {
    if let Value::Module(Module::Pandas) = recv {
        return LangError::unsupported(format!("pandas.{name} is not supported"))
            .at(span)
            .with_hint(
                "pandas objects are out of scope: use DataFrame methods, and @pandas_udf with column arithmetic",
            );
    }
    let reg = registry();
    let (owner, names) = match recv {
        Value::Module(m) => (format!("module '{}'", m.path()), reg.module_names(*m)),
        other => (
            format!("'{}' object", other.type_name()),
            other.receiver().map(|on| reg.names(on)).unwrap_or_default(),
        ),
    };
    let mut err = LangError::new(
        "AttributeError",
        format!("{owner} has no attribute '{name}'"),
    )
    .at(span);
    if let Some(hint) = did_you_mean(name, names.iter().copied()) {
        err = err.with_hint(hint);
    } else if let Value::Frame(f) = recv {
        err = err.with_hint(format!("columns: {}", f.columns().join(", ")));
    }
    err
}

fn index_value(recv: Value, idx: Value, span: Span) -> Result<Value, LangError> {
    match (&recv, &idx) {
        (Value::Frame(f), Value::Str(name)) => {
            crate::api::common::check_columns(f, &[(name.as_str(), span)])?;
            Ok(Value::Column(Box::new(crate::api::convert::plain_col(
                name,
            ))))
        }
        // `df[0]`: the column at that position.
        (Value::Frame(f), Value::Int(i)) => {
            let names = f.columns();
            usize::try_from(*i)
                .ok()
                .and_then(|i| names.get(i))
                .map(|n| Value::Column(Box::new(crate::api::convert::plain_col(n))))
                .ok_or_else(|| {
                    LangError::new(
                        "IndexError",
                        format!("column index {i} out of range for {} columns", names.len()),
                    )
                    .at(span)
                })
        }
        // `df[df.age > 3]`: the rows where it holds.
        (Value::Frame(_), Value::Column(_)) => {
            Err(LangError::unsupported("df[condition] is not supported")
                .at(span)
                .with_hint("use df.filter(condition)"))
        }
        (Value::Str(text), Value::Int(i)) => {
            let chars: Vec<char> = text.chars().collect();
            let n = chars.len() as i64;
            let j = if *i < 0 { n + i } else { *i };
            (0..n)
                .contains(&j)
                .then(|| Value::Str(chars[j as usize].to_string()))
                .ok_or_else(|| LangError::new("IndexError", "string index out of range").at(span))
        }
        (Value::List(items) | Value::Tuple(items), Value::Int(i)) => {
            let n = items.len() as i64;
            let j = if *i < 0 { n + i } else { *i };
            (0..n)
                .contains(&j)
                .then(|| items[j as usize].clone())
                .ok_or_else(|| {
                    LangError::new(
                        "IndexError",
                        format!("index {i} out of range for {n} items"),
                    )
                    .at(span)
                })
        }
        (Value::Row(fields), Value::Int(i)) => usize::try_from(*i)
            .ok()
            .and_then(|i| fields.get(i))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                LangError::new("IndexError", format!("row index {i} out of range")).at(span)
            }),
        (Value::Dict(_), key) => recv
            .dict_get(key)
            .cloned()
            .ok_or_else(|| LangError::new("KeyError", key.repr()).at(span)),
        (Value::Column(c), _) => crate::api::column_access::index_column(c, &idx, span),
        (Value::Row(fields), Value::Str(name)) => fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| LangError::new("KeyError", format!("'{name}'")).at(span)),
        _ => Err(LangError::type_error(format!(
            "'{}' object is not subscriptable with {}",
            recv.type_name(),
            idx.type_name()
        ))
        .at(span)),
    }
}
