//! Python signatures as written in the registry, parsed once: parameter kinds, accepted
//! types and defaults.

use std::sync::Arc;

use crate::core::value::Value;

/// How a parameter takes its argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// By position or by keyword.
    Positional,
    /// Only by keyword (after `*` or `*args`).
    KeywordOnly,
    /// `*args`: the remaining positional arguments.
    VarArgs,
    /// `**kwargs`: the remaining keyword arguments.
    VarKw,
}

/// The Python types a parameter accepts, as a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ty(u16);

const ATOMS: [(&str, u16); 12] = [
    ("str", 1),
    ("int", 2),
    ("float", 4),
    ("bool", 8),
    ("list", 16),
    ("Column", 32),
    ("DataFrame", 64),
    ("DataType", 128),
    ("None", 256),
    ("dict", 512),
    ("Callable", 1024),
    ("any", 0xffff),
];

impl Ty {
    /// Accepts anything.
    pub const ANY: Ty = Ty(0xffff);

    fn parse(text: &str) -> Result<Ty, String> {
        let mut bits = 0;
        for part in text.split('|').map(str::trim) {
            bits |= match part {
                "ColumnOrName" => 1 | 32,
                "Optional" => 256,
                _ => ATOMS
                    .iter()
                    .find(|(n, _)| *n == part)
                    .map(|(_, b)| *b)
                    .ok_or_else(|| format!("unknown type `{part}`"))?,
            };
        }
        Ok(Ty(bits))
    }

    /// Whether `v` is one of the accepted types (Python's `bool` is an `int`; an `int`
    /// is a `float` argument).
    pub fn accepts(self, v: &Value) -> bool {
        let bit = match v {
            Value::Str(_) => 1,
            Value::Int(_) => 2 | 4,
            Value::Float(_) => 4,
            Value::Bool(_) => 8 | 2 | 4,
            Value::List(_) | Value::Tuple(_) => 16,
            Value::Column(_) => 32,
            Value::Frame(_) => 64,
            Value::Type(_) => 128,
            Value::None => 256,
            Value::Dict(_) => 512,
            Value::UserFn(_) | Value::Function(_) | Value::Method(..) => 1024,
            _ => 0,
        };
        self.0 == 0xffff || self.0 & bit != 0
    }

    /// A column or a column's name (`ColumnOrName`): a string here names a column.
    pub fn names_columns(self) -> bool {
        self.0 != 0xffff && self.0 & 33 == 33
    }

    /// `str or Column`, for messages.
    pub fn describe(self) -> String {
        if self.0 == 0xffff {
            return "any".into();
        }
        let names: Vec<&str> = ATOMS[..ATOMS.len() - 1]
            .iter()
            .filter(|(_, b)| self.0 & b != 0)
            .map(|(n, _)| *n)
            .collect();
        names.join(" or ")
    }
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Its name.
    pub name: &'static str,
    /// How it binds.
    pub kind: ParamKind,
    /// What it accepts.
    pub ty: Ty,
    /// Its default, if it has one (a literal in the signature).
    pub default: Option<Value>,
}

impl Param {
    /// Bound by name: positional or keyword-only, not `*args` / `**kwargs`.
    pub fn is_named(&self) -> bool {
        matches!(self.kind, ParamKind::Positional | ParamKind::KeywordOnly)
    }
}

/// A parsed signature.
#[derive(Debug, Clone)]
pub struct Signature {
    /// The function's name.
    pub name: &'static str,
    /// Its parameters in order.
    pub params: Vec<Param>,
    /// The return annotation (`DataFrame`, `Column`, …), empty when there is none.
    pub returns: &'static str,
}

impl Signature {
    /// Parses `name(a: str, b: int = 1, *cols: Column, flag: bool = False, **options) -> T`.
    pub fn parse(sig: &'static str) -> Result<Signature, String> {
        let Some(open) = sig.find('(') else {
            return Ok(Signature {
                name: sig,
                params: vec![],
                returns: "",
            });
        };
        let close = sig.rfind(')').ok_or("no `)`")?;
        let name = &sig[..open];
        let mut params = Vec::new();
        let mut keyword_only = false;
        for raw in sig[open + 1..close]
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if raw == "*" {
                keyword_only = true;
                continue;
            }
            let (head, default) = match raw.split_once('=') {
                Some((h, d)) => (h.trim(), Some(parse_default(d.trim())?)),
                None => (raw, None),
            };
            let (pname, ty) = match head.split_once(':') {
                Some((n, t)) => (n.trim(), Ty::parse(t)?),
                None => (head, Ty::ANY),
            };
            let ty = if matches!(default, Some(Value::None)) {
                Ty(ty.0 | 256)
            } else {
                ty
            };
            let (pname, kind) = if let Some(n) = pname.strip_prefix("**") {
                (n, ParamKind::VarKw)
            } else if let Some(n) = pname.strip_prefix('*') {
                keyword_only = true;
                (n, ParamKind::VarArgs)
            } else if keyword_only {
                (pname, ParamKind::KeywordOnly)
            } else {
                (pname, ParamKind::Positional)
            };
            params.push(Param {
                name: pname,
                kind,
                ty,
                default,
            });
        }
        let returns = sig[close..].split_once("->").map_or("", |(_, r)| r.trim());
        Ok(Signature {
            name,
            params,
            returns,
        })
    }

    /// Whether what it returns carries an engine-neutral plan worth recording.
    pub fn returns_plan(&self) -> bool {
        matches!(
            self.returns,
            "DataFrame" | "Column" | "GroupedData" | "list"
        )
    }

    /// The parameter called `name`, if any (not `*args` / `**kwargs`).
    pub fn param(&self, name: &str) -> Option<usize> {
        self.params
            .iter()
            .position(|p| p.name == name && p.is_named())
    }
}

fn parse_default(text: &str) -> Result<Value, String> {
    Ok(match text {
        "None" => Value::None,
        "True" => Value::Bool(true),
        "False" => Value::Bool(false),
        "[]" => Value::List(Arc::new(vec![])),
        t if t.len() >= 2 && (t.starts_with('\'') || t.starts_with('"')) => {
            Value::Str(t[1..t.len() - 1].replace("\\n", "\n"))
        }
        t => match t.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(t.parse::<f64>().map_err(|_| format!("bad default `{t}`"))?),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kinds_types_and_defaults() {
        let s = Signature::parse(
            "show(n: int = 20, truncate: bool|int = True, *cols: ColumnOrName, vertical: bool = False, **options) -> None",
        )
        .unwrap();
        assert_eq!((s.name, s.returns), ("show", "None"));
        let kinds: Vec<ParamKind> = s.params.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                ParamKind::Positional,
                ParamKind::Positional,
                ParamKind::VarArgs,
                ParamKind::KeywordOnly,
                ParamKind::VarKw
            ]
        );
        assert_eq!(
            s.params[0].default.as_ref().map(Value::repr).as_deref(),
            Some("20")
        );
        assert!(s.params[1].ty.accepts(&Value::Int(3)));
        assert!(!s.params[1].ty.accepts(&Value::Str("x".into())));
        assert_eq!(s.params[2].ty.describe(), "str or Column");
        assert!(Signature::parse("f(x: Strng)").is_err());
    }
}
