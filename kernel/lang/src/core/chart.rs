//! A chart as the engine computed it: only the points it draws, already aggregated
//! (histogram bins, box statistics, density curves, sampled scatters). The present layer
//! turns it into Vega-Lite and SVG; nothing here knows either.

/// PySpark 4's plot kinds (`df.plot.<kind>` / `df.plot(kind=...)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars per x value.
    Bar,
    /// Horizontal bars per x value.
    Barh,
    /// Lines through the points, in x order.
    Line,
    /// Points.
    Scatter,
    /// Stacked areas under lines.
    Area,
    /// Slices of a whole.
    Pie,
    /// Counts per bin.
    Hist,
    /// Quartiles, whiskers and outliers.
    Box,
    /// A Gaussian kernel density estimate.
    Kde,
}

impl ChartKind {
    /// Every kind with its PySpark name.
    pub const ALL: [(ChartKind, &'static str); 9] = [
        (ChartKind::Bar, "bar"),
        (ChartKind::Barh, "barh"),
        (ChartKind::Line, "line"),
        (ChartKind::Scatter, "scatter"),
        (ChartKind::Area, "area"),
        (ChartKind::Pie, "pie"),
        (ChartKind::Hist, "hist"),
        (ChartKind::Box, "box"),
        (ChartKind::Kde, "kde"),
    ];

    /// The kind PySpark calls `name`.
    pub fn from_name(name: &str) -> Option<ChartKind> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }

    /// Its PySpark name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("line", |(_, n)| n)
    }
}

/// The x values of an x/y chart.
#[derive(Debug, Clone, PartialEq)]
pub enum Xs {
    /// Numbers, placed on a linear axis.
    Numbers(Vec<f64>),
    /// Labels (strings, dates), one slot each in order.
    Labels(Vec<String>),
}

impl Xs {
    /// How many x values.
    pub fn len(&self) -> usize {
        match self {
            Xs::Numbers(v) => v.len(),
            Xs::Labels(v) => v.len(),
        }
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One named series of y values (nulls as `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The column it came from.
    pub name: String,
    /// One value per x (or per bin / grid point).
    pub values: Vec<Option<f64>>,
}

/// A column's box statistics (Tukey: whiskers at the last values within 1.5 IQR).
#[derive(Debug, Clone, PartialEq)]
pub struct BoxStats {
    /// The column.
    pub name: String,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Mean.
    pub mean: f64,
    /// Lowest value at or above `q1 - 1.5 IQR`.
    pub whisker_low: f64,
    /// Highest value at or below `q3 + 1.5 IQR`.
    pub whisker_high: f64,
    /// Values outside the whiskers (at most a bounded number).
    pub outliers: Vec<f64>,
}

/// What the chart draws.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartData {
    /// bar, barh, line, scatter, area, pie: x values and one series per y column.
    Xy {
        /// The x column.
        x_name: String,
        /// Its values.
        xs: Xs,
        /// One per y column.
        series: Vec<Series>,
    },
    /// hist: `edges` has one more value than each series has counts.
    Bins {
        /// Bin edges, ascending.
        edges: Vec<f64>,
        /// Counts per bin, one series per column.
        series: Vec<Series>,
    },
    /// box: statistics per column.
    Boxes(Vec<BoxStats>),
    /// kde: densities on `grid`, one series per column.
    Density {
        /// Where the density is evaluated.
        grid: Vec<f64>,
        /// Densities, one series per column.
        series: Vec<Series>,
    },
}

/// A chart ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Which kind.
    pub kind: ChartKind,
    /// The title, if one was given.
    pub title: Option<String>,
    /// The points.
    pub data: ChartData,
    /// Said under the chart: sampling, truncation.
    pub note: Option<String>,
}

impl Chart {
    /// How many data points the chart carries to the frontend.
    pub fn points(&self) -> usize {
        let series_points = |s: &[Series]| s.iter().map(|s| s.values.len()).sum::<usize>();
        match &self.data {
            ChartData::Xy { series, .. } => series_points(series),
            ChartData::Bins { series, .. } | ChartData::Density { series, .. } => {
                series_points(series)
            }
            ChartData::Boxes(b) => b.iter().map(|b| 6 + b.outliers.len()).sum(),
        }
    }
}
