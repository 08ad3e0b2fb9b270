//! Binding a call's arguments to a signature, as Python does: positional then keyword,
//! defaults, `*args` and `**kwargs`; unknown keywords, missing, doubled and mistyped
//! arguments are `TypeError`s naming the parameter.

use crate::core::error::{LangError, Span};
use crate::core::names::did_you_mean;
use crate::core::plan::{Arg as PlanArg, Plan};
use crate::core::value::{Column, Frame, Value};

use super::convert;
use super::signature::{Param, ParamKind, Signature, Ty};

/// Evaluated call arguments with their spans.
#[derive(Clone, Default)]
pub struct Args {
    /// Positional arguments.
    pub pos: Vec<(Value, Span)>,
    /// Keyword arguments.
    pub kw: Vec<(String, Value, Span)>,
    /// The whole call.
    pub span: Span,
}

/// One named parameter's value: given (with its span) or the default.
#[derive(Clone)]
struct Slot {
    name: &'static str,
    value: Value,
    span: Option<Span>,
}

/// A call bound to its signature; what an implementation reads its arguments from.
pub struct Call {
    /// The receiver (`Value::None` for functions).
    pub this: Value,
    /// The function's name, for messages.
    pub name: &'static str,
    /// The whole call, for carets.
    pub span: Span,
    slots: Vec<Slot>,
    rest: Vec<(Value, Span)>,
    rest_name: &'static str,
    extra: Vec<(String, Value, Span)>,
}

/// A frame to build on: a cached one reads its cached rows.
fn building_on(f: &Frame) -> Frame {
    let mut f = f.clone();
    f.lf = f.current_lf();
    f
}

/// Binds `args` to `sig`.
pub fn bind(sig: &Signature, this: Value, args: Args) -> Result<Call, LangError> {
    let named: Vec<&Param> = sig.params.iter().filter(|p| p.is_named()).collect();
    let mut call = Call {
        this,
        name: sig.name,
        span: args.span,
        slots: named
            .iter()
            .map(|p| Slot {
                name: p.name,
                value: p.default.clone().unwrap_or(Value::None),
                span: None,
            })
            .collect(),
        rest: Vec::new(),
        rest_name: sig
            .params
            .iter()
            .find(|p| p.kind == ParamKind::VarArgs)
            .map_or("args", |p| p.name),
        extra: Vec::new(),
    };
    call.bind_positional(sig, &named, args.pos)?;
    call.bind_keywords(sig, args.kw)?;
    call.check(&named)?;
    Ok(call)
}

impl Call {
    /// Positional arguments fill positional parameters, then `*args`.
    fn bind_positional(
        &mut self,
        sig: &Signature,
        named: &[&Param],
        pos: Vec<(Value, Span)>,
    ) -> Result<(), LangError> {
        let positional: Vec<usize> = (0..named.len())
            .filter(|&i| named[i].kind == ParamKind::Positional)
            .collect();
        let var_args = sig.params.iter().find(|p| p.kind == ParamKind::VarArgs);
        for (i, (v, s)) in pos.into_iter().enumerate() {
            if let Some(&slot) = positional.get(i) {
                self.slots[slot].value = v;
                self.slots[slot].span = Some(s);
            } else if let Some(p) = var_args {
                check_type(self.name, p.name, p.ty, &v, s)?;
                self.rest.push((v, s));
            } else {
                let n = positional.len();
                return Err(LangError::type_error(format!(
                    "{}() takes {n} positional argument{} but {} {} given",
                    self.name,
                    if n == 1 { "" } else { "s" },
                    i + 1,
                    if i == 0 { "was" } else { "were" }
                ))
                .at(s));
            }
        }
        Ok(())
    }

    /// Keywords fill the parameter of that name, then `**kwargs`.
    fn bind_keywords(
        &mut self,
        sig: &Signature,
        kw: Vec<(String, Value, Span)>,
    ) -> Result<(), LangError> {
        let var_kw = sig.params.iter().any(|p| p.kind == ParamKind::VarKw);
        for (k, v, s) in kw {
            match self.slots.iter().position(|slot| slot.name == k) {
                Some(i) if self.slots[i].span.is_some() => {
                    return Err(LangError::type_error(format!(
                        "{}() got multiple values for argument '{k}'",
                        self.name
                    ))
                    .at(s));
                }
                Some(i) => {
                    self.slots[i].value = v;
                    self.slots[i].span = Some(s);
                }
                None if var_kw => self.extra.push((k, v, s)),
                None => return Err(self.unexpected_keyword(&k, s)),
            }
        }
        Ok(())
    }

    fn unexpected_keyword(&self, k: &str, s: Span) -> LangError {
        let name = self.name;
        let names: Vec<&str> = self.slots.iter().map(|s| s.name).collect();
        let hint = did_you_mean(k, names.iter().copied()).unwrap_or_else(|| {
            if names.is_empty() {
                format!("{name}() takes no keyword arguments")
            } else {
                format!("{name}() accepts: {}", names.join(", "))
            }
        });
        LangError::type_error(format!("{name}() got an unexpected keyword argument '{k}'"))
            .at(s)
            .with_hint(hint)
    }

    /// Every given argument has an accepted type; every parameter without a default is given.
    fn check(&self, named: &[&Param]) -> Result<(), LangError> {
        for (p, slot) in named.iter().zip(&self.slots) {
            match slot.span {
                Some(s) => check_type(self.name, p.name, p.ty, &slot.value, s)?,
                None if p.default.is_none() => {
                    let kind = if p.kind == ParamKind::KeywordOnly {
                        "keyword-only"
                    } else {
                        "positional"
                    };
                    return Err(LangError::type_error(format!(
                        "{}() missing 1 required {kind} argument: '{}'",
                        self.name, p.name
                    ))
                    .at(self.span));
                }
                None => {}
            }
        }
        Ok(())
    }
}

fn check_type(func: &str, param: &str, ty: Ty, v: &Value, span: Span) -> Result<(), LangError> {
    if ty.accepts(v) {
        return Ok(());
    }
    let mut err = LangError::type_error(format!(
        "{func}() argument '{param}' must be {}, not {}",
        ty.describe(),
        v.type_name()
    ))
    .at(span);
    if ty.accepts(&Value::Column(Box::new(convert::plain_col("x")))) {
        err = err.with_hint(match v {
            Value::Str(t) => {
                format!("use col(\"{t}\") for a column or lit(\"{t}\") for a constant")
            }
            _ => "wrap constants in lit(...)".to_string(),
        });
    }
    Err(err)
}

static NONE: Value = Value::None;

impl Call {
    fn slot(&self, param: &str) -> Option<&Slot> {
        let found = self.slots.iter().find(|s| s.name == param);
        debug_assert!(found.is_some(), "{}() has no parameter {param}", self.name);
        found
    }
    /// The argument for `param`, or its default.
    pub fn value(&self, param: &str) -> &Value {
        self.slot(param).map_or(&NONE, |s| &s.value)
    }
    /// Whether the caller passed `param`.
    pub fn given(&self, param: &str) -> bool {
        self.slot(param).is_some_and(|s| s.span.is_some())
    }
    /// Where `param`'s argument is, or the whole call.
    pub fn span_of(&self, param: &str) -> Span {
        self.slot(param).and_then(|s| s.span).unwrap_or(self.span)
    }
    /// Whether `param` is `None`.
    pub fn is_none(&self, param: &str) -> bool {
        matches!(self.value(param), Value::None)
    }
    /// `param` as a string.
    pub fn str(&self, param: &str) -> Result<String, LangError> {
        convert::as_str(self.value(param), self.span_of(param))
    }
    /// `param` as a string, `None` when it is `None`.
    pub fn opt_str(&self, param: &str) -> Result<Option<String>, LangError> {
        self.optional(param, convert::as_str)
    }
    /// `param` as an integer.
    pub fn int(&self, param: &str) -> Result<i64, LangError> {
        convert::as_int(self.value(param), self.span_of(param))
    }
    /// `param` as an integer, `None` when it is `None`.
    pub fn opt_int(&self, param: &str) -> Result<Option<i64>, LangError> {
        self.optional(param, convert::as_int)
    }
    /// `param` as a float.
    pub fn float(&self, param: &str) -> Result<f64, LangError> {
        convert::as_float(self.value(param), self.span_of(param))
    }
    /// `param` as a boolean.
    pub fn bool(&self, param: &str) -> Result<bool, LangError> {
        convert::as_bool(self.value(param), self.span_of(param))
    }
    /// `param` as a column (a name counts).
    pub fn column(&self, param: &str) -> Result<Column, LangError> {
        convert::to_column(self.value(param), self.span_of(param))
    }
    /// `param` as a DataFrame.
    pub fn frame(&self, param: &str) -> Result<Frame, LangError> {
        match self.value(param) {
            Value::Frame(f) => Ok(building_on(f)),
            other => Err(LangError::type_error(format!(
                "{}() needs a DataFrame, got {}",
                self.name,
                other.type_name()
            ))
            .at(self.span_of(param))),
        }
    }
    /// `param` as column names: one name or a list, `None` when it is `None`.
    pub fn opt_names(&self, param: &str) -> Result<Option<Vec<String>>, LangError> {
        self.optional(param, convert::as_names)
    }
    /// The `*args` arguments.
    pub fn rest(&self) -> &[(Value, Span)] {
        &self.rest
    }
    /// The `*args` arguments, one list argument spread out (`select(["a", "b"])`).
    pub fn rest_flat(&self) -> Vec<(Value, Span)> {
        if let [(Value::List(items) | Value::Tuple(items), span)] = self.rest.as_slice() {
            return items.iter().map(|v| (v.clone(), *span)).collect();
        }
        self.rest.clone()
    }
    /// The `**kwargs` arguments.
    pub fn extra(&self) -> &[(String, Value, Span)] {
        &self.extra
    }
    /// The engine-neutral record of this call: `receiver.name(param=arg, …)` with the
    /// arguments the caller gave (defaults are the engine's to know).
    pub fn plan(&self) -> Plan {
        let arg = |v: &Value| {
            v.plan()
                .map_or_else(|| PlanArg::Literal(v.repr()), PlanArg::Plan)
        };
        let mut args: Vec<(&'static str, PlanArg)> = self
            .slots
            .iter()
            .filter(|s| s.span.is_some())
            .map(|s| (s.name, arg(&s.value)))
            .collect();
        args.extend(self.rest.iter().map(|(v, _)| (self.rest_name, arg(v))));
        args.extend(
            self.extra
                .iter()
                .map(|(k, v, _)| ("options", PlanArg::Literal(format!("{k}={}", v.repr())))),
        );
        Plan::Call {
            name: self.name,
            receiver: self.this.plan(),
            args,
        }
    }

    /// The receiver as a DataFrame.
    pub fn this_frame(&self) -> Result<Frame, LangError> {
        match &self.this {
            Value::Frame(f) | Value::Na(f) | Value::Plot(f) => Ok(building_on(f)),
            other => Err(self.wrong_receiver(other)),
        }
    }
    /// The receiver as a Column.
    pub fn this_column(&self) -> Result<Column, LangError> {
        match &self.this {
            Value::Column(c) => Ok((**c).clone()),
            other => Err(self.wrong_receiver(other)),
        }
    }
    /// An error for a receiver the registry should not have dispatched here.
    pub fn wrong_receiver(&self, v: &Value) -> LangError {
        LangError::type_error(format!(
            "{}() cannot be called on {}",
            self.name,
            v.type_name()
        ))
        .at(self.span)
    }

    fn optional<T>(
        &self,
        param: &str,
        f: fn(&Value, Span) -> Result<T, LangError>,
    ) -> Result<Option<T>, LangError> {
        match self.value(param) {
            Value::None => Ok(None),
            v => f(v, self.span_of(param)).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pos: Vec<Value>, kw: Vec<(&str, Value)>) -> Args {
        Args {
            pos: pos.into_iter().map(|v| (v, Span::new(0, 1))).collect(),
            kw: kw
                .into_iter()
                .map(|(k, v)| (k.to_string(), v, Span::new(2, 3)))
                .collect(),
            span: Span::new(0, 10),
        }
    }

    fn sig() -> Signature {
        Signature::parse("show(n: int = 20, truncate: bool|int = True, vertical: bool = False)")
            .unwrap()
    }

    #[test]
    fn binds_positionally_then_by_keyword_with_defaults() {
        let c = bind(
            &sig(),
            Value::None,
            args(vec![Value::Int(5)], vec![("vertical", Value::Bool(true))]),
        )
        .unwrap();
        assert_eq!(c.int("n").unwrap(), 5);
        assert!(c.bool("truncate").unwrap());
        assert!(c.bool("vertical").unwrap() && c.given("vertical") && !c.given("truncate"));
    }

    #[test]
    fn rejects_what_python_rejects() {
        let message = |a| bind(&sig(), Value::None, a).err().unwrap().message;
        assert_eq!(
            message(args(vec![], vec![("bogus", Value::Int(1))])),
            "show() got an unexpected keyword argument 'bogus'"
        );
        assert_eq!(
            message(args(vec![Value::Int(1)], vec![("n", Value::Int(1))])),
            "show() got multiple values for argument 'n'"
        );
        assert_eq!(
            message(args(
                vec![Value::Int(1), Value::Int(1), Value::Int(1), Value::Int(1)],
                vec![]
            )),
            "show() takes 3 positional arguments but 4 were given"
        );
        assert_eq!(
            message(args(vec![Value::Str("x".into())], vec![])),
            "show() argument 'n' must be int, not str"
        );
        let needs = Signature::parse("col(col: str)").unwrap();
        assert_eq!(
            bind(&needs, Value::None, args(vec![], vec![]))
                .err()
                .unwrap()
                .message,
            "col() missing 1 required positional argument: 'col'"
        );
    }
}
