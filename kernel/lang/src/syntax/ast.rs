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
    /// `{k: v, …}`.
    Dict(Vec<(Expr, Expr)>),
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
    /// `then if cond else otherwise`: (cond, then, otherwise).
    IfElse(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `[elt for x in xs if c]`.
    ListComp(Box<Expr>, Vec<CompFor>),
    /// `{k: v for x in xs if c}`.
    DictComp(Box<Expr>, Box<Expr>, Vec<CompFor>),
    /// `lambda a, b=1: body`.
    Lambda(Vec<Param>, Box<Expr>),
    /// `start:stop:step` inside `obj[…]`; each part may be left out.
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `*xs` (false) or `**d` (true) as a call's argument.
    Unpack(Box<Expr>, bool),
}

/// One `for targets in iter if cond …` clause of a comprehension.
/// `except A, B as e:` and its body; no classes catches everything.
#[derive(Debug, Clone, PartialEq)]
pub struct Handler {
    /// The exception classes caught, by name.
    pub classes: Vec<(String, Span)>,
    /// The name the exception is bound to.
    pub name: Option<(String, Span)>,
    /// The body.
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompFor {
    /// The names each item is unpacked into.
    pub targets: Vec<(String, Span)>,
    /// What is iterated.
    pub iter: Expr,
    /// The `if` filters.
    pub conds: Vec<Expr>,
}

/// A function's parameter: `name` or `name=default`.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Its default, evaluated when the function is defined.
    pub default: Option<Expr>,
    /// Where it is.
    pub span: Span,
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
    Is,
    IsNot,
    In,
    NotIn,
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
            Is => "is",
            IsNot => "is not",
            In => "in",
            NotIn => "not in",
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
    /// `for a, b in items:` and its body.
    For {
        /// The names each item is unpacked into.
        targets: Vec<(String, Span)>,
        /// What is iterated.
        iter: Expr,
        /// The body.
        body: Vec<Stmt>,
        /// The `for` line.
        span: Span,
    },
    /// `while cond:` and its body.
    While {
        /// The condition.
        cond: Expr,
        /// The body.
        body: Vec<Stmt>,
        /// The `while` line.
        span: Span,
    },
    /// `if`/`elif` branches and the `else` body.
    If {
        /// Each condition with its body, in order.
        branches: Vec<(Expr, Vec<Stmt>)>,
        /// The `else` body (empty without one).
        orelse: Vec<Stmt>,
        /// The `if` line.
        span: Span,
    },
    /// `with manager as name:` and its body.
    With {
        /// Each context manager and the name its value is bound to.
        items: Vec<(Expr, Option<(String, Span)>)>,
        /// The body.
        body: Vec<Stmt>,
        /// The `with` line.
        span: Span,
    },
    /// `def name(params): body`, after its decorators.
    Def {
        /// The function's name.
        name: String,
        /// `@decorator` lines above it, outermost first.
        decorators: Vec<Expr>,
        /// Its parameters.
        params: Vec<Param>,
        /// Its body.
        body: Vec<Stmt>,
        /// The `def` line.
        span: Span,
    },
    /// `try:` with its `except` handlers, `else` and `finally` bodies.
    Try {
        /// The guarded body.
        body: Vec<Stmt>,
        /// The handlers, tried in order.
        handlers: Vec<Handler>,
        /// Runs when the body raised nothing.
        orelse: Vec<Stmt>,
        /// Runs last, whatever happened.
        finalbody: Vec<Stmt>,
        /// The `try` line.
        span: Span,
    },
    /// `assert cond, message`.
    Assert {
        /// What must hold.
        cond: Expr,
        /// The `AssertionError`'s message.
        msg: Option<Expr>,
        /// The `assert` line.
        span: Span,
    },
    /// `del a, b`.
    Del(Vec<(String, Span)>),
    /// `return` or `return value`.
    Return(Option<Expr>, Span),
    /// `break`.
    Break(Span),
    /// `continue`.
    Continue(Span),
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
