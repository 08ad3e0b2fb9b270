//! The session catalog: temp views, views and tables under case-insensitive names, as
//! Spark's in-memory catalog has them. Tables hold their rows in memory for the session;
//! there is one catalog (`spark_catalog`), and qualified names (`default.t`,
//! `spark_catalog.default.t`) resolve to the same relation as `t`.

use std::collections::{BTreeMap, BTreeSet};

use super::error::LangError;
use super::names::closest;
use super::value::Frame;

/// The catalog's one name.
pub const CATALOG: &str = "spark_catalog";
/// The database every session starts in.
pub const DEFAULT_DATABASE: &str = "default";

/// What a name in the catalog is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RelationKind {
    /// `createOrReplaceTempView`, `CREATE TEMP VIEW`.
    TempView,
    /// `CREATE VIEW … AS`.
    View,
    /// `CREATE TABLE`, `saveAsTable`: rows held by the catalog, in `provider`'s format.
    Table {
        /// `parquet`, `csv`, …: what `USING` named.
        provider: String,
    },
}

/// A relation and what it is.
#[derive(Clone)]
pub struct Relation {
    /// Its rows' plan.
    pub frame: Frame,
    /// Its kind.
    pub kind: RelationKind,
    /// The database it is in (`None` for temp views).
    pub database: Option<String>,
}

/// The session's relations, keyed by lower-cased unqualified name, and its databases.
#[derive(Clone)]
pub struct Views {
    relations: BTreeMap<String, Relation>,
    databases: BTreeSet<String>,
    current: String,
}

impl Default for Views {
    fn default() -> Self {
        Views {
            relations: BTreeMap::new(),
            databases: BTreeSet::from([DEFAULT_DATABASE.to_string()]),
            current: DEFAULT_DATABASE.to_string(),
        }
    }
}

/// `spark_catalog.default.T` → `t`.
fn key(name: &str) -> String {
    let name = name.trim().trim_matches('`');
    name.rsplit('.')
        .next()
        .unwrap_or(name)
        .trim_matches('`')
        .to_lowercase()
}

impl Views {
    /// The relation called `name`, in any case, qualified or not.
    pub fn get(&self, name: &str) -> Option<&Frame> {
        self.relation(name).map(|r| &r.frame)
    }
    /// The relation and its kind.
    pub fn relation(&self, name: &str) -> Option<&Relation> {
        self.relations.get(&key(name))
    }
    /// Whether `name` exists, in any case.
    pub fn contains(&self, name: &str) -> bool {
        self.relations.contains_key(&key(name))
    }
    /// Registers or replaces a temp view.
    pub fn insert(&mut self, name: &str, frame: Frame) {
        self.put(name, frame, RelationKind::TempView);
    }
    /// Registers or replaces a relation of any kind, in the current database.
    pub fn put(&mut self, name: &str, frame: Frame, kind: RelationKind) {
        let database = (kind != RelationKind::TempView).then(|| self.current.clone());
        self.relations.insert(
            key(name),
            Relation {
                frame,
                kind,
                database,
            },
        );
    }
    /// Drops a relation; whether it existed.
    pub fn remove(&mut self, name: &str) -> bool {
        self.relations.remove(&key(name)).is_some()
    }
    /// Names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.relations.keys().map(String::as_str)
    }
    /// Relations in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Frame)> {
        self.relations.iter().map(|(k, v)| (k.as_str(), &v.frame))
    }
    /// Relations with their kinds, in name order.
    pub fn relations(&self) -> impl Iterator<Item = (&str, &Relation)> {
        self.relations.iter().map(|(k, v)| (k.as_str(), v))
    }
    /// How many relations there are.
    pub fn len(&self) -> usize {
        self.relations.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.relations.is_empty()
    }
    /// The databases, in name order.
    pub fn databases(&self) -> impl Iterator<Item = &str> {
        self.databases.iter().map(String::as_str)
    }
    /// Whether database `name` exists (`spark_catalog.name` too).
    pub fn has_database(&self, name: &str) -> bool {
        self.databases.contains(&key(name))
    }
    /// Creates a database; false if it existed.
    pub fn create_database(&mut self, name: &str) -> bool {
        self.databases.insert(key(name))
    }
    /// Drops a database and its relations; false if there was none.
    pub fn drop_database(&mut self, name: &str) -> bool {
        let name = key(name);
        if !self.databases.remove(&name) {
            return false;
        }
        self.relations
            .retain(|_, r| r.database.as_deref() != Some(&name));
        if self.current == name {
            self.current = DEFAULT_DATABASE.to_string();
        }
        true
    }
    /// The current database.
    pub fn current_database(&self) -> &str {
        &self.current
    }
    /// Makes `name` the current database; an error if there is none.
    pub fn use_database(&mut self, name: &str) -> Result<(), LangError> {
        if !self.has_database(name) {
            return Err(LangError::analysis(format!(
                "[SCHEMA_NOT_FOUND] The schema `{name}` cannot be found."
            )));
        }
        self.current = key(name);
        Ok(())
    }
    /// Spark's error for an unknown table, with the closest name.
    pub fn not_found(&self, name: &str) -> LangError {
        let err = LangError::analysis(format!(
            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `{name}` cannot be found."
        ));
        let names: Vec<&str> = self.names().collect();
        match closest(name, names.iter().copied()) {
            Some(c) => err.with_hint(format!("did you mean `{c}`?")),
            None if names.is_empty() => err.with_hint(
                "no temp views yet: register one with df.createOrReplaceTempView(\"name\")",
            ),
            None => err.with_hint(format!("views: {}", names.join(", "))),
        }
    }
}
