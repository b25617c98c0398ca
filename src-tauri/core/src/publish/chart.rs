//! The tally as an inline SVG chart: one stacked bar per half (or per department), a segment per
//! symbol. Each series has a pattern as well as a colour and each segment wide enough its glyph
//! and count, so nothing is told by colour alone; the chart's text alternative lists every count.

use std::fmt::Write as _;

use super::escape;
use crate::export::tally::{Counts, COLUMNS};
use crate::indicator::Indicator;

const WIDTH: u32 = 960;
/// Room for the row labels on the left and the totals on the right.
const LABEL_W: u32 = 220;
const TOTAL_W: u32 = 70;
const BAR_H: u32 = 24;
const GAP: u32 = 8;
/// A chart of many rows (the departments) packs them closer, so that it prints on one page
/// without shrinking its text much.
const MANY_ROWS: usize = 12;
const PACKED_GAP: u32 = 3;
const PACKED_BAR_H: u32 = 19;
/// The legend's band above the bars.
const TOP: u32 = 36;
/// Pixels per character of the 12 px labels: full-width, and digits or spaces.
const WIDE_PX: u32 = 13;
const NARROW_PX: u32 = 7;

/// One series: its fill colour, the pattern drawn over it and the colour of text on it. The
/// colours differ in lightness too, and text on each has at least 4.5:1 contrast.
struct Series {
    fill: &'static str,
    ink: &'static str,
    /// SVG drawn over the fill in a 8 × 8 tile, in a colour that contrasts with it.
    pattern: &'static str,
}

const SERIES: [Series; 6] = [
    // ☆: solid dark blue.
    Series {
        fill: "#1d4e89",
        ink: "#ffffff",
        pattern: "",
    },
    // ○: light blue, diagonal lines.
    Series {
        fill: "#a9c8ea",
        ink: "#000000",
        pattern: "<path d=\"M-2 10 L10 -2 M6 10 L10 6 M-2 2 L2 -2\" stroke=\"#1d4e89\" stroke-width=\"1.2\"/>",
    },
    // △: yellow, dots.
    Series {
        fill: "#f6d365",
        ink: "#000000",
        pattern: "<circle cx=\"4\" cy=\"4\" r=\"1.4\" fill=\"#6b4e00\"/>",
    },
    // ×: dark red, cross-hatched.
    Series {
        fill: "#9b2226",
        ink: "#ffffff",
        pattern: "<path d=\"M0 0 L8 8 M8 0 L0 8\" stroke=\"#f4c7c3\" stroke-width=\"1\"/>",
    },
    // 空欄: white.
    Series {
        fill: "#ffffff",
        ink: "#000000",
        pattern: "",
    },
    // その他: grey, horizontal lines.
    Series {
        fill: "#d9d9d9",
        ink: "#000000",
        pattern: "<path d=\"M0 4 L8 4\" stroke=\"#404040\" stroke-width=\"1\"/>",
    },
];

/// The width of a label in pixels, roughly.
fn text_px(text: &str) -> u32 {
    text.chars()
        .map(|c| if c.is_ascii() { NARROW_PX } else { WIDE_PX })
        .sum()
}

/// What a column is called in the legend and the text alternative: ☆（実施済み、目標達成）.
fn series_name(c: usize) -> String {
    match Indicator::ALL.get(c) {
        Some(mark) => format!("{}（{}）", mark.glyph(), mark.meaning()),
        None => COLUMNS[c].to_string(),
    }
}

/// Appends a figure: the chart with `title`, `rows` as its bars, ids prefixed by `id`.
pub fn figure(out: &mut String, id: &str, title: &str, rows: &[(String, Counts)]) {
    let (bar_h, gap) = if rows.len() > MANY_ROWS {
        (PACKED_BAR_H, PACKED_GAP)
    } else {
        (BAR_H, GAP)
    };
    let height = TOP + rows.len() as u32 * (bar_h + gap) + gap;
    let _ = write!(
        out,
        "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\">\n<title id=\"{id}-t\">"
    );
    escape(out, title);
    let _ = write!(out, "</title>\n<desc id=\"{id}-d\">");
    for (i, (label, counts)) in rows.iter().enumerate() {
        if i > 0 {
            out.push('。');
        }
        escape(out, label);
        out.push('：');
        for (c, n) in counts.0.iter().enumerate() {
            if c > 0 {
                out.push('、');
            }
            let _ = write!(out, "{} {n} 件", COLUMNS[c]);
        }
    }
    out.push_str("</desc>\n<defs>");
    for (c, s) in SERIES.iter().enumerate() {
        let _ = write!(
            out,
            "<pattern id=\"{id}-p{c}\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"{}\"/>{}</pattern>",
            s.fill, s.pattern
        );
    }
    out.push_str("</defs>\n");
    legend(out, id);
    let max = rows
        .iter()
        .map(|(_, c)| c.total())
        .max()
        .unwrap_or(0)
        .max(1);
    let span = WIDTH - LABEL_W - TOTAL_W;
    for (i, (label, counts)) in rows.iter().enumerate() {
        let y = TOP + i as u32 * (bar_h + gap);
        let mid = y + bar_h / 2 + 4;
        out.push_str("<g>");
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{mid}\" text-anchor=\"end\">",
            LABEL_W - 8
        );
        escape(out, label);
        out.push_str("</text>");
        let mut x = LABEL_W;
        for (c, &n) in counts.0.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let w = (u64::from(n) * u64::from(span) / u64::from(max)) as u32;
            let w = w.max(2);
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{bar_h}\" fill=\"url(#{id}-p{c})\" stroke=\"#222222\" stroke-width=\"1\"/>"
            );
            let tag = format!("{} {n}", COLUMNS[c]);
            if text_px(&tag) + 8 <= w {
                // A plate under the glyph keeps it legible over the pattern.
                let tw = text_px(&tag) + 4;
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{tw}\" height=\"16\" fill=\"{}\"/><text x=\"{}\" y=\"{mid}\" text-anchor=\"middle\" fill=\"{}\">{tag}</text>",
                    x + w / 2 - tw / 2,
                    y + bar_h / 2 - 8,
                    SERIES[c].fill,
                    x + w / 2,
                    SERIES[c].ink
                );
            }
            x += w;
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{mid}\">計 {}</text></g>",
            x + 6,
            counts.total()
        );
    }
    out.push_str("</svg>\n<figcaption>図：");
    escape(out, title);
    out.push_str("（積み上げ横棒グラフ。数値は表のとおり）</figcaption>\n</figure>\n");
}

/// The series' swatches and names above the bars.
fn legend(out: &mut String, id: &str) {
    let mut x = 0;
    out.push_str("<g>");
    for (c, _) in SERIES.iter().enumerate() {
        let name = series_name(c);
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"6\" width=\"16\" height=\"16\" fill=\"url(#{id}-p{c})\" stroke=\"#222222\"/><text x=\"{}\" y=\"19\">{name}</text>",
            x + 21
        );
        x += 21 + text_px(&name) + 14;
    }
    out.push_str("</g>\n");
}
