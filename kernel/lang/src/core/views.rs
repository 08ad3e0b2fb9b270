//! Temp views: case-insensitive names, as Spark's catalog has them.

use std::collections::BTreeMap;

use super::error::LangError;
use super::names::closest;
use super::value::Frame;

/// The session's temp views, keyed by lower-cased name.
#[derive(Clone, Default)]
pub struct Views(BTreeMap<String, Frame>);

impl Views {
    /// The view called `name`, in any case.
    pub fn get(&self, name: &str) -> Option<&Frame> {
        self.0.get(&name.to_lowercase())
    }
    /// Whether `name` exists, in any case.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(&name.to_lowercase())
    }
    /// Registers or replaces a view.
    pub fn insert(&mut self, name: &str, frame: Frame) {
        self.0.insert(name.to_lowercase(), frame);
    }
    /// Drops a view; whether it existed.
    pub fn remove(&mut self, name: &str) -> bool {
        self.0.remove(&name.to_lowercase()).is_some()
    }
    /// Names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
    /// Views in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Frame)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
    /// How many views there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Spark's error for an unknown table, with the closest view name.
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
