//! Renderers: Spark's `show()` grid, HTML tables, and the pandas-like `toPandas()` view.
//! Every value that reaches HTML goes through [`escape`].

use polars::prelude::*;
use unicode_width::UnicodeWidthStr;

/// HTML-escapes text (element content and attribute values).
pub fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

/// Spark's name for a Polars type, as in `DataFrame[a: string]` and `printSchema`.
pub fn spark_type(dtype: &DataType) -> String {
    match dtype {
        DataType::String => "string".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Int8 => "tinyint".into(),
        DataType::Int16 => "smallint".into(),
        DataType::Int32 => "int".into(),
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "bigint".into(),
        DataType::UInt8 | DataType::UInt16 => "int".into(),
        DataType::Float32 => "float".into(),
        DataType::Float64 => "double".into(),
        DataType::Date => "date".into(),
        DataType::Datetime(_, _) => "timestamp".into(),
        DataType::Null => "void".into(),
        DataType::List(inner) => format!("array<{}>", spark_type(inner)),
        other => other.to_string(),
    }
}

/// A cell as Spark prints it: `null`, `true`, Java-style doubles, ISO dates.
pub fn cell_text(value: &AnyValue<'_>) -> String {
    match value {
        AnyValue::Null => "null".into(),
        AnyValue::Boolean(b) => b.to_string(),
        AnyValue::String(s) => (*s).to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Float64(f) => java_double(*f),
        AnyValue::Float32(f) => java_double(f64::from(*f)),
        AnyValue::List(series) => {
            let items: Vec<String> = series.iter().map(|v| cell_text(&v)).collect();
            format!("[{}]", items.join(", "))
        }
        other => {
            let s = other.to_string();
            s.trim_matches('"').to_string()
        }
    }
}

fn java_double(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else if f == f.trunc() && f.abs() < 1e7 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// The rows of `df` as display strings (at most `limit`).
pub fn cells(df: &DataFrame, limit: usize) -> Vec<Vec<String>> {
    let n = df.height().min(limit);
    let columns = df.columns();
    (0..n)
        .map(|i| {
            columns
                .iter()
                .map(|c| {
                    c.get(i)
                        .map(|v| cell_text(&v))
                        .unwrap_or_else(|_| "null".into())
                })
                .collect()
        })
        .collect()
}

fn names(df: &DataFrame) -> Vec<String> {
    df.get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect()
}

/// Spark's `show(n, truncate)` grid. `df` holds up to `n + 1` rows; the extra row only
/// tells whether to print "only showing top n rows". `truncate` is Spark's: 0 = off,
/// otherwise the maximum cell width (20 by default).
pub fn show_grid(df: &DataFrame, n: usize, truncate: usize) -> String {
    let header = names(df);
    let rows = fitted_cells(df, n, truncate);
    let mut widths: Vec<usize> = header
        .iter()
        .map(|h| fit_cell(h, truncate).width().max(3))
        .collect();
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.width());
        }
    }
    let sep: String = {
        let mut s = String::from("+");
        for w in &widths {
            s.push_str(&"-".repeat(*w));
            s.push('+');
        }
        s
    };
    let line = |cells: &[String]| {
        let mut s = String::from("|");
        for (c, w) in cells.iter().zip(&widths) {
            let pad = " ".repeat(w.saturating_sub(c.width()));
            // Spark right-aligns when truncating and left-aligns otherwise.
            if truncate > 0 {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&pad);
            }
            s.push('|');
        }
        s
    };
    let header_cells: Vec<String> = header.iter().map(|h| fit_cell(h, truncate)).collect();
    let mut out = vec![sep.clone(), line(&header_cells), sep.clone()];
    out.extend(rows.iter().map(|r| line(r)));
    out.push(sep);
    let mut text = out.join("\n");
    text.push('\n');
    if df.height() > n {
        let noun = if n == 1 { "row" } else { "rows" };
        text.push_str(&format!("only showing top {n} {noun}\n"));
    }
    text
}

/// Spark's `show(vertical=True)`: one `-RECORD i` block per row.
pub fn show_vertical(df: &DataFrame, n: usize, truncate: usize) -> String {
    let header = names(df);
    let rows = fitted_cells(df, n, truncate);
    let name_width = header.iter().map(|h| h.width()).max().unwrap_or(0);
    let data_width = rows.iter().flatten().map(|c| c.width()).max().unwrap_or(0);
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.width())));
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str("(0 rows)\n");
    }
    for (i, row) in rows.iter().enumerate() {
        let title = format!("-RECORD {i}");
        out.push_str(&title);
        out.push_str(&"-".repeat((name_width + data_width + 5).saturating_sub(title.width())));
        out.push('\n');
        for (name, cell) in header.iter().zip(row) {
            out.push_str(&format!(
                " {} | {} \n",
                pad(name, name_width),
                pad(cell, data_width)
            ));
        }
    }
    if df.height() > n {
        let noun = if n == 1 { "row" } else { "rows" };
        out.push_str(&format!("only showing top {n} {noun}\n"));
    }
    out
}

/// The first `n` rows as `show()` prints them: one line each, cut to `truncate`.
fn fitted_cells(df: &DataFrame, n: usize, truncate: usize) -> Vec<Vec<String>> {
    cells(df, n)
        .into_iter()
        .map(|row| row.into_iter().map(|c| fit_cell(&c, truncate)).collect())
        .collect()
}

/// Keeps the grid one line per row and cuts long cells like Spark (`first…` + `...`).
fn fit_cell(text: &str, truncate: usize) -> String {
    let text = text.replace('\r', "\\r").replace('\n', "\\n");
    if truncate == 0 || text.chars().count() <= truncate {
        return text;
    }
    if truncate < 4 {
        return text.chars().take(truncate).collect();
    }
    let mut cut: String = text.chars().take(truncate - 3).collect();
    cut.push_str("...");
    cut
}

/// The same rows as [`show_grid`], as an HTML table.
pub fn show_html(df: &DataFrame, n: usize, truncate: usize) -> String {
    let header = names(df);
    let mut html = String::from("<table class=\"faisca-show\">\n<thead><tr>");
    for h in &header {
        html.push_str(&format!("<th>{}</th>", escape(h)));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for row in fitted_cells(df, n, truncate) {
        html.push_str("<tr>");
        for c in row {
            html.push_str(&format!("<td>{}</td>", escape(&c)));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n");
    if df.height() > n {
        html.push_str(&format!("<p>only showing top {n} rows</p>\n"));
    }
    html
}

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
    let mut html = String::from(
        "<div class=\"faisca-pandas\">\n<table class=\"dataframe\" border=\"1\">\n<thead>\n<tr style=\"text-align: right;\"><th></th>",
    );
    for name in names(df) {
        html.push_str(&format!("<th>{}</th>", escape(&name)));
    }
    html.push_str("</tr>\n</thead>\n<tbody>\n");
    let columns = df.columns();
    for i in 0..shown {
        html.push_str(&format!("<tr><th>{i}</th>"));
        for c in columns {
            let text = c.get(i).map(|v| pandas_cell(&v)).unwrap_or_default();
            html.push_str(&format!("<td>{}</td>", escape(&text)));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n");
    if df.height() > shown {
        html.push_str(&format!("<p>… {} more rows</p>\n", df.height() - shown));
    }
    let dtypes: Vec<String> = df
        .columns()
        .iter()
        .map(|c| format!("{}: {}", escape(c.name()), pandas_dtype(c.dtype())))
        .collect();
    html.push_str(&format!(
        "<p>{} rows × {} columns</p>\n<p class=\"dtypes\">dtypes: {}</p>\n</div>\n",
        df.height(),
        df.width(),
        dtypes.join(", ")
    ));
    html
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

    fn sample() -> DataFrame {
        df!(
            "categoria" => ["livro", "game", "brinquedo", "maquiagem"],
            "count" => [1033i64, 1075, 1033, 939],
        )
        .unwrap()
    }

    #[test]
    fn grid_matches_spark() {
        insta::assert_snapshot!(show_grid(&sample(), 20, 20), @r"
        +---------+-----+
        |categoria|count|
        +---------+-----+
        |    livro| 1033|
        |     game| 1075|
        |brinquedo| 1033|
        |maquiagem|  939|
        +---------+-----+
        ");
        insta::assert_snapshot!(show_grid(&sample(), 2, 0), @r"
        +---------+-----+
        |categoria|count|
        +---------+-----+
        |livro    |1033 |
        |game     |1075 |
        +---------+-----+
        only showing top 2 rows
        ");
    }

    #[test]
    fn vertical_matches_spark() {
        insta::assert_snapshot!(show_vertical(&sample(), 2, 20), @r"
        -RECORD 0----------
         categoria | livro 
         count     | 1033  
        -RECORD 1----------
         categoria | game  
         count     | 1075  
        only showing top 2 rows
        ");
    }

    #[test]
    fn grid_truncates_long_cells_and_keeps_one_line_per_row() {
        let df = df!(
            "descricao" => [Some("Figura Transformers Prime War Deluxe"), None, Some("a\nb")],
            "x" => [1.0f64, 2.5, f64::NAN],
        )
        .unwrap();
        insta::assert_snapshot!(show_grid(&df, 20, 20), @r"
        +--------------------+---+
        |           descricao|  x|
        +--------------------+---+
        |Figura Transforme...|1.0|
        |                null|2.5|
        |                a\nb|NaN|
        +--------------------+---+
        ");
    }

    #[test]
    fn html_escapes_every_value() {
        let df = df!("<b>nome</b>" => ["<img src=x onerror=alert(1)>", "a & \"b\""]).unwrap();
        for html in [show_html(&df, 20, 0), pandas_html(&df, 10)] {
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
