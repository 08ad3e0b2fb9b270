//! `help(x)` and Shift-Tab: signatures and docs from the registry.

use crate::api::registry::registry;
use crate::core::output::{Display, Emit};
use crate::core::types::spark_type;
use crate::core::value::Value;

/// The help text for a value: a function's signature and doc, or an object's methods.
pub fn help_text(v: &Value) -> String {
    let reg = registry();
    match v {
        Value::Function(c) | Value::Method(_, c) => reg.help(c.id),
        Value::Module(m) => format!("module {}\n\n{}", m.path(), reg.module_names(*m).join(", ")),
        other => {
            let mut text = format!("{}: {}", other.type_name(), other.repr());
            if let Value::Frame(f) = other {
                text.push_str("\nroot\n");
                for (n, t) in f.schema.iter() {
                    text.push_str(&format!(" |-- {n}: {}\n", spark_type(t)));
                }
            }
            if let Some(on) = other.receiver() {
                text.push_str("\n\nmethods and attributes:\n");
                for (_, e) in reg.entries().filter(|(_, e)| e.on == on) {
                    let sig = e.sig.split(" -> ").next().unwrap_or(e.sig);
                    text.push_str(&format!("  {sig:<28} {}\n", e.doc));
                }
            }
            text
        }
    }
}

/// `help(x)` for the pager.
pub fn help_page(v: &Value) -> Emit {
    Emit::Page(Display::text(help_text(v)))
}
