//! The pandas-style table `toPandas()` shows: index, dtypes, shape, capped rows.

use polars::prelude::*;
use unicode_width::UnicodeWidthStr;

use super::grid::{fit_cell, names};
use super::html::Html;
use crate::core::rows::cell_text;

fn pandas_dtype(dtype: &DataType) -> &'static str {
    match dtype {
        DataType::String => "object",
        DataType::Boolean => "bool",
        DataType::Int8 => "int8",
        DataType::Int16 => "int16",
        DataType::Int32 => "int32",
        DataType::Int64 => "int64",
        DataType::UInt8 => "uint8",
        DataType::UInt16 => "uint16",
        DataType::UInt32 => "uint32",
        DataType::UInt64 => "uint64",
        DataType::Float32 => "float32",
        DataType::Float64 => "float64",
        DataType::Date | DataType::Datetime(_, _) => "datetime64[ns]",
        _ => "object",
    }
}

fn pandas_cell(value: &AnyValue<'_>) -> String {
    match value {
        AnyValue::Null => "None".into(),
        AnyValue::Boolean(true) => "True".into(),
        AnyValue::Boolean(false) => "False".into(),
        other => cell_text(other),
    }
}

/// A pandas-style HTML table of `df` (already fully collected): index column, dtypes, the
/// shape, and at most `max_rows` rows with a "… N more rows" footer.
pub fn pandas_html(df: &DataFrame, max_rows: usize) -> String {
    let shown = df.height().min(max_rows);
    let mut h = Html::new();
    h.open("div", &[("class", "faisca-pandas")]).newline();
    h.open("table", &[("class", "dataframe"), ("border", "1")])
        .newline();
    h.open("thead", &[]).newline();
    h.open("tr", &[("style", "text-align: right;")])
        .elem("th", "");
    for name in names(df) {
        h.elem("th", &name);
    }
    h.close()
        .newline()
        .close()
        .newline()
        .open("tbody", &[])
        .newline();
    let columns = df.columns();
    for i in 0..shown {
        h.open("tr", &[]).elem("th", &i.to_string());
        for c in columns {
            let text = c.get(i).map(|v| pandas_cell(&v)).unwrap_or_default();
            h.elem("td", &text);
        }
        h.close().newline();
    }
    h.close().newline().close().newline();
    if df.height() > shown {
        h.elem("p", &format!("… {} more rows", df.height() - shown))
            .newline();
    }
    let dtypes: Vec<String> = columns
        .iter()
        .map(|c| format!("{}: {}", c.name(), pandas_dtype(c.dtype())))
        .collect();
    h.elem(
        "p",
        &format!("{} rows × {} columns", df.height(), df.width()),
    )
    .newline()
    .elem_with(
        "p",
        &[("class", "dtypes")],
        &format!("dtypes: {}", dtypes.join(", ")),
    )
    .newline();
    h.close().newline();
    h.finish()
}

/// The plain-text twin of [`pandas_html`].
pub fn pandas_text(df: &DataFrame, max_rows: usize) -> String {
    let shown = df.height().min(max_rows);
    let header = names(df);
    let columns = df.columns();
    let rows: Vec<Vec<String>> = (0..shown)
        .map(|i| {
            let mut r = vec![i.to_string()];
            r.extend(columns.iter().map(|c| {
                let t = c.get(i).map(|v| pandas_cell(&v)).unwrap_or_default();
                fit_cell(&t, 50)
            }));
            r
        })
        .collect();
    let mut widths: Vec<usize> = std::iter::once(0)
        .chain(header.iter().map(|h| h.width()))
        .collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.width());
        }
    }
    let pad = |s: &str, w: usize| format!("{}{}", " ".repeat(w.saturating_sub(s.width())), s);
    let mut out = Vec::new();
    let mut head = pad("", widths[0]);
    for (h, w) in header.iter().zip(&widths[1..]) {
        head.push_str("  ");
        head.push_str(&pad(h, *w));
    }
    out.push(head);
    for r in &rows {
        let line: Vec<String> = r.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        out.push(line.join("  "));
    }
    if df.height() > shown {
        out.push(format!("… {} more rows", df.height() - shown));
    }
    out.push(String::new());
    out.push(format!("[{} rows x {} columns]", df.height(), df.width()));
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::grid::show_html;

    #[test]
    fn html_escapes_every_value() {
        let df = df!("<b>nome</b>" => ["<img src=x onerror=alert(1)>", "a & \"b\""]).unwrap();
        for html in [show_html(&df, 20, 0, &|| false), pandas_html(&df, 10)] {
            assert!(!html.contains("<img"), "{html}");
            assert!(!html.contains("<b>"), "{html}");
            assert!(
                html.contains("&lt;img src=x onerror=alert(1)&gt;"),
                "{html}"
            );
        }
        insta::assert_snapshot!(pandas_html(&df, 10));
    }

    #[test]
    fn pandas_view_caps_rows() {
        let df = df!("id" => (0..1000i64).collect::<Vec<_>>()).unwrap();
        let html = pandas_html(&df, 5);
        assert_eq!(html.matches("<tr><th>").count(), 5);
        assert!(html.contains("… 995 more rows"));
        assert!(html.contains("1000 rows × 1 columns"));
        assert!(html.contains("id: int64"));
        let text = pandas_text(&df, 5);
        assert!(text.ends_with("[1000 rows x 1 columns]"), "{text}");
    }
}
