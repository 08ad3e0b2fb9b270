//! Spark's `show()`: the text grid, `-RECORD` blocks, and the grid's HTML twin.

use polars::prelude::*;
use unicode_width::UnicodeWidthStr;

use super::html::Html;
use crate::core::output::CancelCheck;
use crate::core::rows::cell_text;

/// The rows of `df` as display strings (at most `limit`); fewer when `cancel` says stop
/// (the session then reports the interrupt).
pub fn cells(df: &DataFrame, limit: usize, cancel: CancelCheck<'_>) -> Vec<Vec<String>> {
    let n = df.height().min(limit);
    let columns = df.columns();
    (0..n)
        .take_while(|i| i % 4096 != 0 || !cancel())
        .map(|i| {
            columns
                .iter()
                .map(|c| {
                    c.get(i)
                        .map(|v| cell_text(&v))
                        .unwrap_or_else(|_| "NULL".into())
                })
                .collect()
        })
        .collect()
}

/// Column names in order.
pub fn names(df: &DataFrame) -> Vec<String> {
    df.get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect()
}

/// Spark's `show(n, truncate)` grid. `df` holds up to `n + 1` rows; the extra row only
/// tells whether to print "only showing top n rows". `truncate` is Spark's: 0 = off,
/// otherwise the maximum cell width (20 by default).
pub fn show_grid(df: &DataFrame, n: usize, truncate: usize, cancel: CancelCheck<'_>) -> String {
    let header = names(df);
    let rows = fitted_cells(df, n, truncate, cancel);
    // Spark truncates cells, never the header.
    let mut widths: Vec<usize> = header.iter().map(|h| h.width().max(3)).collect();
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
    let mut out = vec![sep.clone(), line(&header), sep.clone()];
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
pub fn show_vertical(df: &DataFrame, n: usize, truncate: usize, cancel: CancelCheck<'_>) -> String {
    let header = names(df);
    let rows = fitted_cells(df, n, truncate, cancel);
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
fn fitted_cells(
    df: &DataFrame,
    n: usize,
    truncate: usize,
    cancel: CancelCheck<'_>,
) -> Vec<Vec<String>> {
    cells(df, n, cancel)
        .into_iter()
        .map(|row| row.into_iter().map(|c| fit_cell(&c, truncate)).collect())
        .collect()
}

/// Keeps the grid one line per row and cuts long cells like Spark (`first…` + `...`).
pub fn fit_cell(text: &str, truncate: usize) -> String {
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
pub fn show_html(df: &DataFrame, n: usize, truncate: usize, cancel: CancelCheck<'_>) -> String {
    let header = names(df);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut html = Html::new();
    html.table(
        &[("class", "faisca-show")],
        &header,
        fitted_cells(df, n, truncate, cancel),
    );
    if df.height() > n {
        html.elem("p", &format!("only showing top {n} rows"))
            .newline();
    }
    html.finish()
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
        insta::assert_snapshot!(show_grid(&sample(), 20, 20, &|| false), @r"
        +---------+-----+
        |categoria|count|
        +---------+-----+
        |    livro| 1033|
        |     game| 1075|
        |brinquedo| 1033|
        |maquiagem|  939|
        +---------+-----+
        ");
        insta::assert_snapshot!(show_grid(&sample(), 2, 0, &|| false), @r"
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
        insta::assert_snapshot!(show_vertical(&sample(), 2, 20, &|| false), @r"
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
        insta::assert_snapshot!(show_grid(&df, 20, 20, &|| false), @r"
        +--------------------+---+
        |           descricao|  x|
        +--------------------+---+
        |Figura Transforme...|1.0|
        |                NULL|2.5|
        |                a\nb|NaN|
        +--------------------+---+
        ");
    }
}
