//! `spark.conf`: the session's runtime settings, Spark's keys with Spark's defaults.

use std::collections::BTreeMap;

/// Settings Spark defines, with the defaults `spark.conf.get` reports before a `set`.
const DEFAULTS: &[(&str, &str)] = &[
    ("spark.app.name", "faisca"),
    ("spark.master", "local[*]"),
    ("spark.sql.ansi.enabled", "true"),
    ("spark.sql.session.timeZone", "Etc/UTC"),
    ("spark.sql.shuffle.partitions", "200"),
    ("spark.sql.caseSensitive", "false"),
    ("spark.sql.repl.eagerEval.enabled", "false"),
    ("spark.sql.repl.eagerEval.maxNumRows", "20"),
    ("spark.sql.repl.eagerEval.truncate", "20"),
    ("spark.sql.mapKeyDedupPolicy", "EXCEPTION"),
    ("spark.sql.execution.arrow.pyspark.enabled", "false"),
];

/// The session's settings: what was `set`, over Spark's defaults.
#[derive(Clone, Debug, Default)]
pub struct RuntimeConf(BTreeMap<String, String>);

impl RuntimeConf {
    /// The value of `key`: set, else Spark's default, else `None`.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned().or_else(|| {
            DEFAULTS
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        })
    }
    /// Sets `key`.
    pub fn set(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    /// Back to the default.
    pub fn unset(&mut self, key: &str) {
        self.0.remove(key);
    }
    /// Every setting with a value, sorted by key.
    pub fn all(&self) -> Vec<(String, String)> {
        let mut all: BTreeMap<String, String> = DEFAULTS
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        all.extend(self.0.clone());
        all.into_iter().collect()
    }
    /// A boolean setting (`"true"` in any case).
    pub fn flag(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_overrides_the_default_and_unset_restores_it() {
        let mut c = RuntimeConf::default();
        assert_eq!(
            c.get("spark.sql.session.timeZone").as_deref(),
            Some("Etc/UTC")
        );
        c.set("spark.sql.session.timeZone", "America/Los_Angeles".into());
        assert_eq!(
            c.get("spark.sql.session.timeZone").as_deref(),
            Some("America/Los_Angeles")
        );
        c.unset("spark.sql.session.timeZone");
        assert_eq!(
            c.get("spark.sql.session.timeZone").as_deref(),
            Some("Etc/UTC")
        );
        assert_eq!(c.get("no.such.key"), None);
        c.set("my.key", "1".into());
        assert!(c.all().iter().any(|(k, v)| k == "my.key" && v == "1"));
    }
}
