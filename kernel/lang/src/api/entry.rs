//! One entry of the API registry: a name with its aliases, a Python signature, a one-line
//! doc and the implementation. Dispatch, argument checking, completion, help, hints and the
//! reference tables in docs/language.md all come from these.

use crate::core::context::Context;
use crate::core::error::LangError;
use crate::core::value::{Module, Receiver, Value};

use super::call::Call;

/// A method or function: runs with its arguments bound to the signature.
pub type CallFn = fn(&mut dyn Context, Call) -> Result<Value, LangError>;
/// A property: computed from the receiver (`df.columns`, `spark.read`).
pub type GetFn = fn(&mut dyn Context, Value) -> Result<Value, LangError>;

/// What an entry does when reached.
#[derive(Clone, Copy)]
pub enum Kind {
    /// Called with arguments.
    Method(CallFn),
    /// Read as an attribute.
    Property(GetFn),
}

/// One name a cell can reach.
#[derive(Clone, Copy)]
pub struct Entry {
    /// The object it belongs to (`Global` for functions).
    pub on: Receiver,
    /// For functions: the modules it can be imported from, the first being its home.
    pub modules: &'static [Module],
    /// Python's signature, e.g. `withColumn(colName: str, col: Column) -> DataFrame`;
    /// properties give just the name.
    pub sig: &'static str,
    /// Other names for the same entry (`where` for `filter`).
    pub aliases: &'static [&'static str],
    /// One line: what it does.
    pub doc: &'static str,
    /// The implementation.
    pub kind: Kind,
}

impl Entry {
    /// A method of `on`.
    pub const fn method(on: Receiver, sig: &'static str, doc: &'static str, run: CallFn) -> Self {
        Entry {
            on,
            modules: &[],
            sig,
            aliases: &[],
            doc,
            kind: Kind::Method(run),
        }
    }
    /// A property of `on`.
    pub const fn property(on: Receiver, name: &'static str, doc: &'static str, get: GetFn) -> Self {
        Entry {
            on,
            modules: &[],
            sig: name,
            aliases: &[],
            doc,
            kind: Kind::Property(get),
        }
    }
    /// A function importable from `modules`.
    pub const fn function(
        modules: &'static [Module],
        sig: &'static str,
        doc: &'static str,
        run: CallFn,
    ) -> Self {
        Entry {
            on: Receiver::Global,
            modules,
            sig,
            aliases: &[],
            doc,
            kind: Kind::Method(run),
        }
    }
    /// A named value importable from `modules` (`SparkSession`, `sys.stdout`).
    pub const fn constant(
        modules: &'static [Module],
        name: &'static str,
        doc: &'static str,
        get: GetFn,
    ) -> Self {
        Entry {
            on: Receiver::Global,
            modules,
            sig: name,
            aliases: &[],
            doc,
            kind: Kind::Property(get),
        }
    }
    /// The same entry under other names too.
    pub const fn aliases(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }
    /// Its name: the signature up to `(`.
    pub fn name(&self) -> &'static str {
        let sig: &'static str = self.sig;
        match sig.find('(') {
            Some(i) => &sig[..i],
            None => sig,
        }
    }
    /// Whether it is read as an attribute rather than called.
    pub fn is_property(&self) -> bool {
        matches!(self.kind, Kind::Property(_))
    }
}
