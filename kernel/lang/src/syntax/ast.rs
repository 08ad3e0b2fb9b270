//! The syntax tree: expressions, call arguments, operators and statements, with spans.

use crate::core::error::Span;
/// An expression and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// Expression kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A variable or builtin.
    Name(String),
    /// `'text'`.
    Str(String),
    /// `42`.
    Int(i64),
    /// `4.2`.
    Float(f64),
    /// `True` / `False`.
    Bool(bool),
    /// `None`.
    None,
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `(a, b)`.
    Tuple(Vec<Expr>),
    /// `obj.name`.
    Attr(Box<Expr>, String, Span),
    /// `f(a, k=v)`.
    Call(Box<Expr>, Vec<Arg>),
    /// `obj[i]`.
    Index(Box<Expr>, Box<Expr>),
    /// `a + b`, `a & b`, `a == b`, …
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `-a`, `~a`, `not a`.
    Unary(UnOp, Box<Expr>),
}

/// A call argument.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// `Some(name)` for `name=value`.
    pub name: Option<String>,
    /// The value.
    pub value: Expr,
}

/// Binary operators.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    BitAnd,
    BitOr,
    And,
    Or,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            FloorDiv => "//",
            Mod => "%",
            Pow => "**",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            BitAnd => "&",
            BitOr => "|",
            And => "and",
            Or => "or",
        }
    }
}

/// Unary operators.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Pos,
    Invert,
    Not,
}

impl UnOp {
    /// How Python writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            UnOp::Neg => "-",
            UnOp::Pos => "+",
            UnOp::Invert => "~",
            UnOp::Not => "not ",
        }
    }
}

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// `a = expr` or `a, b = expr`.
    Assign(Vec<(String, Span)>, Expr),
    /// An expression statement.
    Expr(Expr),
    /// `import x` / `from x import y`: accepted for known modules.
    Import {
        /// The module path.
        module: String,
        /// Names brought in (`from … import a, b`), with their aliases.
        names: Vec<(String, String)>,
        /// Where the statement is.
        span: Span,
    },
}
