//! The registry: every entry of every family, parsed once and indexed by receiver and
//! name (aliases included). Everything that needs to know the API asks here.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::core::value::{Callable, Module, Receiver};

use super::entry::Entry;
use super::functions::{
    aggregates, arithmetic, array_edit, arrays, basics, bits, calendar, characters, combining,
    dates, generators, hashes, json, json_paths, lambdas, maps, math, nulls, parsing, random,
    regex, session_info, statistics, strings, substrings, text, timestamps, types, variant, zones,
};
use super::signature::Signature;
use super::{
    collected, column, column_access, column_ops, conf, dataframe, errors, grouped, io, ml, plot,
    pydatetime, pydict, pystr, python, session, sql_expr, stdlib, tables, udf, window,
};

/// Every family's entries, in documentation order.
const FAMILIES: &[&[Entry]] = &[
    session::ENTRIES,
    tables::ENTRIES,
    conf::ENTRIES,
    io::ENTRIES,
    dataframe::transforms::ENTRIES,
    dataframe::combine::ENTRIES,
    dataframe::setops::ENTRIES,
    dataframe::columns::ENTRIES,
    dataframe::partitions::ENTRIES,
    dataframe::stat::ENTRIES,
    dataframe::reshape::ENTRIES,
    dataframe::actions::ENTRIES,
    dataframe::inspect::ENTRIES,
    dataframe::views::ENTRIES,
    dataframe::properties::ENTRIES,
    dataframe::na::ENTRIES,
    dataframe::storage::ENTRIES,
    grouped::ENTRIES,
    column::ENTRIES,
    column_access::ENTRIES,
    column_ops::ENTRIES,
    basics::ENTRIES,
    sql_expr::ENTRIES,
    udf::ENTRIES,
    errors::ENTRIES,
    nulls::ENTRIES,
    strings::ENTRIES,
    regex::ENTRIES,
    substrings::ENTRIES,
    text::ENTRIES,
    random::ENTRIES,
    session_info::ENTRIES,
    characters::ENTRIES,
    math::ENTRIES,
    arithmetic::ENTRIES,
    bits::ENTRIES,
    aggregates::ENTRIES,
    combining::ENTRIES,
    statistics::ENTRIES,
    statistics::REGRESSION,
    arrays::ENTRIES,
    array_edit::ENTRIES,
    lambdas::ENTRIES,
    zones::ENTRIES,
    timestamps::ENTRIES,
    hashes::ENTRIES,
    parsing::ENTRIES,
    json_paths::ENTRIES,
    variant::ENTRIES,
    maps::ENTRIES,
    generators::ENTRIES,
    json::ENTRIES,
    dates::ENTRIES,
    calendar::ENTRIES,
    types::ENTRIES,
    python::ENTRIES,
    ml::ENTRIES,
    plot::ENTRIES,
    collected::ENTRIES,
    stdlib::ENTRIES,
    pydatetime::ENTRIES,
    pystr::ENTRIES,
    pydict::ENTRIES,
    window::ENTRIES,
];

/// The parsed, indexed API.
pub struct Registry {
    entries: Vec<&'static Entry>,
    signatures: Vec<Signature>,
    by_name: HashMap<(Receiver, &'static str), usize>,
    /// Functions by the module they are imported from: two modules may each have an
    /// `exists` (`os.path.exists`, `pyspark.sql.functions.exists`).
    by_module: HashMap<(Module, &'static str), usize>,
}

/// The registry, built on first use.
pub fn registry() -> &'static Registry {
    static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::build);
    &REGISTRY
}

impl Registry {
    fn build() -> Registry {
        let entries: Vec<&'static Entry> = FAMILIES.iter().flat_map(|f| f.iter()).collect();
        let signatures = entries
            .iter()
            .map(|e| {
                Signature::parse(e.sig)
                    .unwrap_or_else(|err| panic!("bad signature `{}`: {err}", e.sig))
            })
            .collect();
        let mut by_name: HashMap<(Receiver, &'static str), usize> = HashMap::new();
        let mut by_module = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for name in std::iter::once(e.name()).chain(e.aliases.iter().copied()) {
                for &m in e.modules {
                    let previous = by_module.insert((m, name), i);
                    assert!(
                        previous.is_none(),
                        "{}.{name} is registered twice",
                        m.path()
                    );
                }
                match by_name.get(&(e.on, name)) {
                    // A function of a module imported by path (`os.path.exists`) leaves the
                    // bare name to PySpark's.
                    Some(&j) if e.on == Receiver::Global => {
                        if entries[j].modules.first() != Some(&Module::Functions) {
                            by_name.insert((e.on, name), i);
                        }
                    }
                    Some(_) => panic!("{:?}.{name} is registered twice", e.on),
                    None => {
                        by_name.insert((e.on, name), i);
                    }
                }
            }
        }
        Registry {
            entries,
            signatures,
            by_name,
            by_module,
        }
    }

    /// Every entry with its index.
    pub fn entries(&self) -> impl Iterator<Item = (usize, &'static Entry)> + '_ {
        self.entries.iter().copied().enumerate()
    }

    /// The entry `id`.
    pub fn entry(&self, id: usize) -> &'static Entry {
        self.entries[id]
    }

    /// The parsed signature of entry `id`.
    pub fn signature(&self, id: usize) -> &Signature {
        &self.signatures[id]
    }

    /// `on.name`, by name or alias.
    pub fn lookup(&self, on: Receiver, name: &str) -> Option<usize> {
        self.by_name.get(&(on, name)).copied()
    }

    /// The function `name` as importable from `module`.
    pub fn in_module(&self, module: Module, name: &str) -> Option<usize> {
        self.by_module.get(&(module, name)).copied()
    }

    /// A function reachable by bare name, without importing it (pyspark's functions and
    /// types, Python's builtins, Faísca's helpers, as notebooks expect).
    pub fn bare(&self, name: &str) -> Option<usize> {
        self.lookup(Receiver::Global, name).filter(|&id| {
            !matches!(
                self.entries[id].modules.first(),
                Some(Module::Sys | Module::Findspark)
            )
        })
    }

    /// Names (and aliases) reachable on `on`, sorted.
    pub fn names(&self, on: Receiver) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self
            .by_name
            .keys()
            .filter(|(r, _)| *r == on)
            .map(|(_, n)| *n)
            .collect();
        names.sort_unstable();
        names
    }

    /// Names of the functions reachable by bare name, sorted.
    pub fn bare_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self
            .names(Receiver::Global)
            .into_iter()
            .filter(|n| self.bare(n).is_some())
            .collect();
        names.dedup();
        names
    }

    /// Names importable from `module`, sorted.
    pub fn module_names(&self, module: Module) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self
            .by_module
            .keys()
            .filter(|(m, _)| *m == module)
            .map(|(_, n)| *n)
            .collect();
        names.sort_unstable();
        names
    }

    /// A handle on entry `id`, for values.
    pub fn callable(&self, id: usize) -> Callable {
        Callable {
            id,
            name: self.entries[id].name(),
        }
    }

    /// The entry as called by `name`, which may be one of its aliases: Spark names a
    /// result after the name used (`every(flag)`, `lcase(s)`).
    pub fn callable_as(&self, id: usize, name: &str) -> Callable {
        let e = self.entries[id];
        let name = e
            .aliases
            .iter()
            .copied()
            .find(|a| *a == name)
            .unwrap_or(e.name());
        Callable { id, name }
    }

    /// `help()` and Shift-Tab text: the signature, the doc, the aliases.
    pub fn help(&self, id: usize) -> String {
        let e = self.entries[id];
        let owner = match e.on {
            Receiver::Global => e
                .modules
                .first()
                .map(|m| format!("{}.", m.path()))
                .unwrap_or_default(),
            on => format!("{}.", on.class_name()),
        };
        let mut text = format!("{owner}{}\n    {}", e.sig, e.doc);
        if !e.aliases.is_empty() {
            text.push_str(&format!("\n    Also: {}", e.aliases.join(", ")));
        }
        text
    }

    /// The API reference tables of docs/language.md.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for on in Receiver::ALL {
            let rows: Vec<&Entry> = self
                .entries
                .iter()
                .copied()
                .filter(|e| e.on == on)
                .collect();
            if rows.is_empty() {
                continue;
            }
            let title = match on {
                Receiver::Global => "Functions".to_string(),
                Receiver::SessionClass => "SparkSession (the class)".to_string(),
                other => other.class_name().to_string(),
            };
            out.push_str(&format!(
                "### {title}\n\n| name | signature | does |\n|---|---|---|\n"
            ));
            for e in rows {
                let mut name = format!("`{}`", e.name());
                for a in e.aliases {
                    name.push_str(&format!(", `{a}`"));
                }
                if on == Receiver::Global {
                    name.push_str(&format!(
                        " ({})",
                        e.modules.first().map_or("builtins", |m| m.path())
                    ));
                }
                let sig = e.sig.replace('|', "\\|");
                out.push_str(&format!(
                    "| {name} | `{sig}` | {} |\n",
                    e.doc.replace('|', "\\|")
                ));
            }
            out.push('\n');
        }
        out
    }
}
