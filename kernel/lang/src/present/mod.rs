//! The present layer: every renderer. Values and outputs in, text and HTML out; all HTML
//! through [`html::Html`].

pub mod chart;
pub mod chart_style;
pub mod chart_svg;
pub mod grid;
pub mod html;
pub mod jobs;
pub mod pandas;
pub mod progress;
pub mod reports;
pub mod values;
