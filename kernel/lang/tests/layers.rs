//! The module graph of every crate under kernel/: no circles anywhere, and in this crate
//! no module imports from a layer above its own (core < syntax < api < exec, present <
//! session). An import is a `crate::…` or `super::…` path; `mod x;` is not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

/// Modules of one crate: module path (`api::call`) → source text, tests stripped.
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".rs") || name.ends_with("_tests.rs") || name == "tests.rs" {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().to_string())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests sit at the end of a file and may reach anywhere.
            let text = match text.find("#[cfg(test)]") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            out.insert(parts.join("::"), text);
        }
    }
    out
}

/// `a::{b, c::d}` → `a::b`, `a::c::d`.
fn expand(path: &str) -> Vec<String> {
    match path.split_once("::{") {
        Some((head, rest)) => rest
            .trim_end_matches('}')
            .split(',')
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .map(|p| format!("{head}::{p}"))
            .collect(),
        None => vec![path.to_string()],
    }
}

/// Edges module → module it imports from.
fn imports(mods: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let path = Regex::new(r"\b(crate|super)((?:::(?:\w+|\{[^{}]*\}))+)").unwrap();
    let declared = Regex::new(r"(?m)^\s*(?:pub(?:\([^)]*\))? )?mod (\w+);").unwrap();
    let mut graph = BTreeMap::new();
    for (module, text) in mods {
        let mut targets = BTreeSet::new();
        for cap in path.captures_iter(text) {
            let base: Vec<&str> = match &cap[1] {
                "crate" => vec![],
                _ => {
                    let mut parts: Vec<&str> =
                        module.split("::").filter(|p| !p.is_empty()).collect();
                    parts.pop();
                    parts
                }
            };
            for tail in expand(cap[2].trim_start_matches("::")) {
                let mut parts: Vec<String> = base.iter().map(|p| p.to_string()).collect();
                parts.extend(tail.split("::").map(|p| p.trim().to_string()));
                // The longest prefix that is a module is what the path imports from.
                let target = (0..=parts.len())
                    .rev()
                    .map(|n| parts[..n].join("::"))
                    .find(|p| mods.contains_key(p))
                    .unwrap_or_default();
                // An import from an ancestor module is an edge too.
                if !target.is_empty() && &target != module {
                    targets.insert(target);
                }
            }
        }
        // A parent using its child by a relative path (`use child::X`).
        for cap in declared.captures_iter(text) {
            let child = if module.is_empty() {
                cap[1].to_string()
            } else {
                format!("{module}::{}", &cap[1])
            };
            let used = text.lines().any(|l| {
                let code = l.split("//").next().unwrap_or("");
                code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .any(|w| w.starts_with(&format!("{}::", &cap[1])))
            });
            if used && mods.contains_key(&child) {
                targets.insert(child);
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// A cycle, if the graph has one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let at = stack.iter().position(|s| s == n).unwrap();
                let mut c = stack[at..].to_vec();
                c.push(n.to_string());
                return Some(c);
            }
            _ => {}
        }
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if let Some(c) = visit(n, graph, &mut state, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

fn kernel() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn no_crate_under_kernel_has_a_module_cycle() {
    let mut crates = 0;
    for entry in std::fs::read_dir(kernel()).unwrap() {
        let src = entry.unwrap().path().join("src");
        if !src.is_dir() {
            continue;
        }
        crates += 1;
        let mut graph = imports(&modules(&src));
        // The crate root only declares and re-exports.
        graph.remove("");
        for targets in graph.values_mut() {
            targets.remove("");
        }
        if let Some(c) = cycle(&graph) {
            panic!(
                "{}: modules import each other in a circle: {}",
                src.display(),
                c.join(" → ")
            );
        }
    }
    assert_eq!(crates, 5);
}

fn layer(module: &str) -> Option<(&'static str, u8)> {
    let top = module.split("::").next().unwrap_or("");
    Some(match top {
        "core" => ("core", 0),
        "syntax" => ("syntax", 1),
        "api" => ("api", 2),
        "exec" => ("exec", 3),
        "present" => ("present", 3),
        "session" => ("session", 4),
        _ => return None,
    })
}

#[test]
fn lang_imports_only_from_its_own_layer_or_below() {
    let graph = imports(&modules(&kernel().join("lang/src")));
    let mut checked = 0;
    for (from, targets) in &graph {
        let Some((from_layer, from_rank)) = layer(from) else {
            continue;
        };
        for to in targets {
            let Some((to_layer, to_rank)) = layer(to) else {
                continue;
            };
            checked += 1;
            assert!(
                to_layer == from_layer || to_rank < from_rank,
                "{from} ({from_layer}) imports {to} ({to_layer}), which is not below it"
            );
        }
    }
    assert!(
        checked > 50,
        "only {checked} imports seen: is the scan broken?"
    );
}

#[test]
fn the_scan_sees_a_planted_cycle_and_an_upward_import() {
    let mut mods = BTreeMap::new();
    mods.insert(
        "core".to_string(),
        "use crate::session::Session;".to_string(),
    );
    mods.insert(
        "session".to_string(),
        "use crate::core::{value::Value, error};".to_string(),
    );
    mods.insert("core::value".to_string(), String::new());
    mods.insert("api".to_string(), "mod call;\nuse call::Args;".to_string());
    mods.insert("api::call".to_string(), "use super::Entry;".to_string());
    let graph = imports(&mods);
    assert!(graph["api"].contains("api::call") && graph["api::call"].contains("api"));
    assert!(graph["core"].contains("session"));
    assert!(graph["session"].contains("core::value") && graph["session"].contains("core"));
    assert!(cycle(&graph).is_some());
}
