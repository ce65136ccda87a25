//! Charts as SVG written on the server: no script, nothing to load, and they print.
//!
//! A chart only repeats what the table beside it says, so it is hidden from assistive
//! technology (`aria-hidden`) and the table is what a screen reader reads. Nothing is styled
//! inline (the pages' policy blocks `style` attributes): shapes carry class names and
//! `collector.css` colours them. Geometry is in the `viewBox`'s units, so a chart scales with
//! the column it sits in.

use crate::html::escape;
use std::fmt::Write as _;

/// The drawing's width, in its own units: about the width of the half-page column a chart sits
/// in, so its text is drawn at about the size the stylesheet gives it.
const WIDTH: u32 = 340;
/// The length of a full (100 %) bar.
const TRACK: u32 = 280;
/// Height of one row: a label above a bar.
const ROW: u32 = 36;
/// A bar's thickness.
const BAR: u32 = 14;
/// Labels longer than this are cut short in the chart (the table has them whole).
const LABEL_CHARS: usize = 60;
/// Colours the stacked charts cycle through (`series-0` to `series-5` in the stylesheet).
const SERIES: usize = 6;

/// One bar: a label and its share, in whole percent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub percent: u64,
}

/// One row of a stacked chart: a label and a count per series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    pub label: String,
    pub counts: Vec<u64>,
}

/// `count` out of `of` in whole percent, rounded half up; 0 when `of` is 0.
///
/// ```
/// use survey_collector::results::charts::percent;
/// assert_eq!((percent(1, 3), percent(2, 3), percent(1, 0)), (33, 67, 0));
/// ```
pub fn percent(count: u64, of: u64) -> u64 {
    count.saturating_mul(100).saturating_add(of / 2).checked_div(of).unwrap_or(0)
}

/// A horizontal bar chart: each bar's label above it, its percentage after it.
pub fn bars(bars: &[Bar]) -> String {
    let height = ROW * len_u32(bars.len());
    let mut svg = open(height);
    for (i, bar) in bars.iter().enumerate() {
        let y = ROW * len_u32(i);
        label(&mut svg, y, &bar.label);
        let width = TRACK * u32::try_from(bar.percent.min(100)).unwrap_or(100) / 100;
        let bar_y = y + 17;
        // `write!` into a String cannot fail; the results are ignored for that reason.
        let _ = writeln!(
            svg,
            "<rect class=\"chart-track\" x=\"0\" y=\"{bar_y}\" width=\"{TRACK}\" height=\"{BAR}\"/>\
             <rect class=\"chart-bar\" x=\"0\" y=\"{bar_y}\" width=\"{width}\" height=\"{BAR}\"/>\
             <text class=\"chart-value\" x=\"{WIDTH}\" y=\"{}\">{}%</text>",
            bar_y + BAR - 2,
            bar.percent,
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// A stacked bar per row, each segment a series' share of the row, under a legend of the
/// series.
pub fn stacked(series: &[String], rows: &[Stack]) -> String {
    let legend_height = ROW / 2 * len_u32(series.len()) + 8;
    let mut svg = open(legend_height + ROW * len_u32(rows.len()));
    for (k, name) in series.iter().enumerate() {
        let y = ROW / 2 * len_u32(k);
        let _ = writeln!(
            svg,
            "<rect class=\"series-{}\" x=\"0\" y=\"{}\" width=\"12\" height=\"12\"/>\
             <text class=\"chart-label\" x=\"18\" y=\"{}\">{}</text>",
            k % SERIES,
            y + 2,
            y + 12,
            escape(&shorten(name)),
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let y = legend_height + ROW * len_u32(i);
        label(&mut svg, y, &row.label);
        let bar_y = y + 17;
        let _ = write!(svg, "<rect class=\"chart-track\" x=\"0\" y=\"{bar_y}\" width=\"{TRACK}\" height=\"{BAR}\"/>");
        let total: u64 = row.counts.iter().sum();
        // Segments start where the share so far ends, so rounding never leaves a gap or
        // overruns the track.
        let mut done = 0;
        for (k, count) in row.counts.iter().enumerate() {
            let start = scale(done, total);
            done += count;
            let width = scale(done, total) - start;
            if width > 0 {
                let _ = write!(
                    svg,
                    "<rect class=\"series-{}\" x=\"{start}\" y=\"{bar_y}\" width=\"{width}\" height=\"{BAR}\"/>",
                    k % SERIES
                );
            }
        }
        svg.push('\n');
    }
    svg.push_str("</svg>\n");
    svg
}

/// The opening tag of a chart `height` units high.
fn open(height: u32) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" aria-hidden=\"true\" focusable=\"false\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n"
    )
}

/// A row's label, on the line above its bar.
fn label(svg: &mut String, y: u32, text: &str) {
    let _ = write!(svg, "<text class=\"chart-label\" x=\"0\" y=\"{}\">{}</text>", y + 13, escape(&shorten(text)));
}

/// Where `count` of `total` ends along the track.
fn scale(count: u64, total: u64) -> u32 {
    let end = u64::from(TRACK).saturating_mul(count).checked_div(total).unwrap_or(0);
    u32::try_from(end).unwrap_or(TRACK).min(TRACK)
}

/// `text`, cut to [`LABEL_CHARS`] with an ellipsis if longer.
fn shorten(text: &str) -> String {
    if text.chars().count() <= LABEL_CHARS {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(LABEL_CHARS - 1).collect();
    short.push('…');
    short
}

/// A count of rows as drawing units; a chart never has billions of rows.
fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX / ROW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_track_and_escape_labels() {
        let svg = bars(&[Bar { label: "<b>A</b>".into(), percent: 50 }, Bar { label: "B".into(), percent: 100 }]);
        assert!(svg.contains("aria-hidden=\"true\""));
        assert!(svg.contains("class=\"chart-bar\" x=\"0\" y=\"17\" width=\"140\""), "{svg}");
        assert!(svg.contains("class=\"chart-bar\" x=\"0\" y=\"53\" width=\"280\""), "{svg}");
        assert!(svg.contains("&lt;b&gt;A&lt;/b&gt;"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn stacked_segments_fill_the_track_exactly() {
        let svg = stacked(&["x".into(), "y".into(), "z".into()], &[Stack { label: "r".into(), counts: vec![1, 1, 1] }]);
        assert!(svg.contains("class=\"series-0\" x=\"0\" y=\"79\" width=\"93\""), "{svg}");
        assert!(svg.contains("class=\"series-2\" x=\"186\" y=\"79\" width=\"94\""), "{svg}");
        let empty = stacked(&["x".into()], &[Stack { label: "r".into(), counts: vec![0] }]);
        assert!(!empty.contains("series-0\" x=\"0\" y=\"43\""), "no segment for no answers: {empty}");
    }

    #[test]
    fn long_labels_are_cut_short() {
        let long = "a".repeat(80);
        assert_eq!(shorten(&long).chars().count(), LABEL_CHARS);
        assert!(shorten(&long).ends_with('…'));
    }
}
