//! What a chart's two renderings share, so the Vega view and the SVG look alike.

/// Vega's default categorical colours (tableau10); the SVG uses the same ones.
pub const PALETTE: [&str; 10] = [
    "#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6",
    "#9d755d", "#bab0ac",
];

/// Width and height of the drawing area, in pixels.
pub const SIZE: (u32, u32) = (560, 340);
