//! A running job's progress line and the one-line summary it turns into.

use super::html::Html;
use crate::core::config::{human_bytes, thousands};
use crate::core::job::{JobStatus, Progress};
use crate::core::output::Display;

/// Width of the text bar, in characters.
const BAR: usize = 30;

fn seconds(p: &Progress) -> String {
    format!("{:.1} s", p.elapsed.as_secs_f64())
}

/// Read so far as a fraction of the total, when the total is known.
fn fraction(p: &Progress) -> Option<f64> {
    p.bytes_total
        .filter(|t| *t > 0)
        .map(|t| (p.bytes_read as f64 / t as f64).clamp(0.0, 1.0))
}

/// `job 3 · count · 1.2 s · 345.0 MiB of 1.0 GiB read [=====>    ] 34%`.
pub fn progress_display(p: &Progress) -> Display {
    let mut text = format!("job {} · {} · {}", p.job, p.action, seconds(p));
    let read = match p.bytes_total {
        Some(total) => format!(
            "{} of {} read",
            human_bytes(u128::from(p.bytes_read)),
            human_bytes(u128::from(total))
        ),
        None => "running".to_string(),
    };
    text.push_str(&format!(" · {read}"));
    let mut h = Html::new();
    h.open(
        "div",
        &[
            ("class", "faisca-progress"),
            ("data-job-id", &p.job.to_string()),
        ],
    )
    .elem("span", &format!("job {} · {} ", p.job, p.action));
    if let Some(f) = fraction(p) {
        let done = (f * BAR as f64).round() as usize;
        text.push_str(&format!(
            " [{}{}] {:.0}%",
            "=".repeat(done),
            " ".repeat(BAR - done),
            f * 100.0
        ));
        h.open(
            "progress",
            &[
                ("max", "1000"),
                ("value", &((f * 1000.0) as u32).to_string()),
            ],
        )
        .close();
        h.text(&format!(" {:.0}% · ", f * 100.0));
    }
    h.elem("span", &format!("{read} · {}", seconds(p)));
    Display::rich(text, h.finish())
}

/// `job 3 · 10,000,000 rows · 1.2 s`, or how it failed.
pub fn summary_display(p: &Progress) -> Display {
    let outcome = match p.end {
        Some((JobStatus::Succeeded, Some(rows))) => {
            let unit = if rows == 1 { "row" } else { "rows" };
            format!("{} {unit}", thousands(rows as u64))
        }
        Some((JobStatus::Succeeded, None)) | None => p.action.clone(),
        Some((status, _)) => status.as_str().to_string(),
    };
    let text = format!("job {} · {outcome} · {}", p.job, seconds(p));
    let mut h = Html::new();
    h.elem_with(
        "div",
        &[
            ("class", "faisca-progress-done"),
            ("data-job-id", &p.job.to_string()),
        ],
        &text,
    );
    Display::rich(text, h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(
        read: u64,
        total: Option<u64>,
        end: Option<(JobStatus, Option<usize>)>,
    ) -> Progress {
        Progress {
            job: 3,
            action: "count".into(),
            elapsed: std::time::Duration::from_millis(1234),
            bytes_read: read,
            bytes_total: total,
            end,
        }
    }

    #[test]
    fn the_line_shows_elapsed_bytes_and_a_bar_when_the_total_is_known() {
        let d = progress_display(&progress(512 << 20, Some(1 << 30), None));
        assert_eq!(
            d.text,
            format!(
                "job 3 · count · 1.2 s · 512.0 MiB of 1.0 GiB read [{}{}] 50%",
                "=".repeat(15),
                " ".repeat(15)
            )
        );
        assert!(
            d.html
                .unwrap()
                .contains("<progress max=\"1000\" value=\"500\">")
        );
        let d = progress_display(&progress(0, None, None));
        assert_eq!(d.text, "job 3 · count · 1.2 s · running");
    }

    #[test]
    fn the_summary_counts_rows_or_names_the_failure() {
        let ok = summary_display(&progress(
            0,
            None,
            Some((JobStatus::Succeeded, Some(10_000_000))),
        ));
        assert_eq!(ok.text, "job 3 · 10,000,000 rows · 1.2 s");
        let cancelled = summary_display(&progress(0, None, Some((JobStatus::Cancelled, None))));
        assert_eq!(cancelled.text, "job 3 · CANCELLED · 1.2 s");
    }
}
