//! The 集計 sheet: how many ☆ ○ △ × and blanks each half-year has, overall and per department,
//! with a stacked column chart of the halves, and the trend over every half-year of the report
//! (the roll-up's counts, [`crate::overview`]) with a line chart. It prints on one A3 page.

use rust_xlsxwriter::{
    Chart, ChartMarker, ChartMarkerType, ChartType, Format, FormatAlign, FormatBorder, Worksheet,
    XlsxError,
};

use super::layout;
use super::Selection;
use crate::indicator::{Indicator, GLYPHS};
use crate::model::{period_label, Field, Half};
use crate::overview::Overview;

/// The columns of a count: the four symbols, then blanks and other texts (a dash with a reason).
pub const COLUMNS: [&str; 6] = [GLYPHS[0], GLYPHS[1], GLYPHS[2], GLYPHS[3], "空欄", "その他"];
pub const TOTAL: &str = "計";
pub const TITLE: &str = "指標の集計";
pub const BY_HALF: &str = "半期別";
pub const BY_DEPARTMENT: &str = "担当課別";
pub const TREND: &str = "半期別の推移";
/// What the trend counts, under its table (docs/overview.md).
pub const TREND_NOTE: &str =
    "報告した実施内容の件数（終了後の年度と、備考の書かれた年度は数えません）";

/// Counts of indicator cells, in the order of [`COLUMNS`]: the roll-up's, so both count alike.
pub use crate::overview::Counts;

/// One tally: per half (in order), the counts overall and per department (in first-seen order);
/// and the trend: per half of every year of the report, the counts of the measures reporting.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub halves: Vec<(String, Counts)>,
    pub departments: Vec<(String, Vec<Counts>)>,
    pub trend: Vec<(String, Counts)>,
    /// The halves of the trend its chart draws: up to the newest with a symbol, since the open
    /// half is blank until the departments report and would drop every line to 0.
    pub trend_charted: usize,
}

pub fn tally(selection: &Selection<'_>) -> Tally {
    let report = selection.report;
    let periods: Vec<(i32, Half)> = selection
        .years
        .iter()
        .flat_map(|y| Half::BOTH.map(|h| (y.year, h)))
        .collect();
    let mut departments: Vec<(String, Vec<Counts>)> = Vec::new();
    let mut halves = vec![Counts::default(); periods.len()];
    for m in &selection.measures {
        let name = report.department_name(m.department_id);
        let i = match departments.iter().position(|(d, _)| d == name) {
            Some(i) => i,
            None => {
                departments.push((name.to_string(), vec![Counts::default(); periods.len()]));
                departments.len() - 1
            }
        };
        for (p, &(year, half)) in periods.iter().enumerate() {
            let value = report.value(m.id, year, Field::Indicator(half));
            departments[i].1[p].add(value);
            halves[p].add(value);
        }
    }
    let overview = Overview::new(report, &selection.measures);
    Tally {
        halves: periods
            .iter()
            .map(|&(y, h)| period_label(y, h))
            .zip(halves)
            .collect(),
        departments,
        trend_charted: overview.newest_marked().map_or(0, |p| p + 1),
        trend: overview
            .periods
            .iter()
            .map(|p| p.label())
            .zip(overview.totals)
            .collect(),
    }
}

/// Writes the sheet: the table by half with totals and its chart, then the table by department.
pub fn write(ws: &mut Worksheet, tally: &Tally) -> Result<(), XlsxError> {
    ws.set_name(layout::TALLY_SHEET)?;
    let text = Format::new()
        .set_font_name(layout::FONT_NAME)
        .set_font_charset(layout::FONT_CHARSET)
        .set_border(FormatBorder::Thin);
    let header = text.clone().set_bold().set_align(FormatAlign::Center);
    let title = Format::new()
        .set_font_name(layout::FONT_NAME)
        .set_font_charset(layout::FONT_CHARSET)
        .set_font_size(14)
        .set_bold();
    ws.set_column_width(0, 24)?;
    // One printed page, so the tally prints after the report without spilling over.
    ws.set_paper_size(layout::PAPER_A3)
        .set_landscape()
        .set_print_fit_to_pages(1, 1)
        .set_footer(layout::FOOTER);
    ws.write_string_with_format(0, 0, TITLE, &title)?;

    // By half: one row per half, then the totals.
    ws.write_string_with_format(2, 0, BY_HALF, &header)?;
    for (c, name) in COLUMNS.iter().chain([&TOTAL]).enumerate() {
        ws.write_string_with_format(2, 1 + c as u16, *name, &header)?;
    }
    let mut sum = Counts::default();
    for (i, (label, counts)) in tally.halves.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_string_with_format(row, 0, label, &text)?;
        write_counts(ws, row, 1, counts, &text)?;
        sum = sum.plus(counts);
    }
    let total_row = 3 + tally.halves.len() as u32;
    ws.write_string_with_format(total_row, 0, TOTAL, &header)?;
    write_counts(ws, total_row, 1, &sum, &header)?;

    if !tally.halves.is_empty() {
        let mut chart = Chart::new(ChartType::ColumnStacked);
        for (c, name) in COLUMNS.iter().enumerate().take(5) {
            let col = 1 + c as u16;
            chart
                .add_series()
                .set_name(*name)
                .set_categories((layout::TALLY_SHEET, 3, 0, total_row - 1, 0))
                .set_values((layout::TALLY_SHEET, 3, col, total_row - 1, col));
        }
        chart.title().set_name("半期別の指標");
        ws.insert_chart(2, 10, &chart)?;
    }

    let top = trend(ws, tally, total_row.max(18) + 3, &text, &header)?;

    // By department: per half a group of columns.
    ws.write_string_with_format(top, 0, BY_DEPARTMENT, &header)?;
    let group = COLUMNS.len() as u16 + 1;
    for (h, (label, _)) in tally.halves.iter().enumerate() {
        let col = 1 + h as u16 * group;
        ws.merge_range(top, col, top, col + group - 1, label, &header)?;
        for (c, name) in COLUMNS.iter().chain([&TOTAL]).enumerate() {
            ws.write_string_with_format(top + 1, col + c as u16, *name, &header)?;
        }
    }
    let mut sums = vec![Counts::default(); tally.halves.len()];
    for (i, (name, counts)) in tally.departments.iter().enumerate() {
        let row = top + 2 + i as u32;
        ws.write_string_with_format(row, 0, name, &text)?;
        for (h, c) in counts.iter().enumerate() {
            write_counts(ws, row, 1 + h as u16 * group, c, &text)?;
            sums[h] = sums[h].plus(c);
        }
    }
    let row = top + 2 + tally.departments.len() as u32;
    ws.write_string_with_format(row, 0, TOTAL, &header)?;
    for (h, c) in sums.iter().enumerate() {
        write_counts(ws, row, 1 + h as u16 * group, c, &header)?;
    }
    Ok(())
}

/// Rows of the sheet a chart takes (its default 288 px).
const CHART_ROWS: u32 = 16;

/// The trend from row `top`: a row per half of every year, its note, and a line per symbol
/// beside it. Returns the first row free below both.
fn trend(
    ws: &mut Worksheet,
    tally: &Tally,
    top: u32,
    text: &Format,
    header: &Format,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(top, 0, TREND, header)?;
    for (c, name) in COLUMNS.iter().chain([&TOTAL]).enumerate() {
        ws.write_string_with_format(top, 1 + c as u16, *name, header)?;
    }
    for (i, (label, counts)) in tally.trend.iter().enumerate() {
        let row = top + 1 + i as u32;
        ws.write_string_with_format(row, 0, label, text)?;
        write_counts(ws, row, 1, counts, text)?;
    }
    let end = top + 1 + tally.trend.len() as u32;
    ws.write_string(end, 0, TREND_NOTE)?;
    if tally.trend_charted > 0 {
        let last = top + tally.trend_charted as u32;
        let mut chart = Chart::new(ChartType::Line);
        for (c, mark) in Indicator::ALL.iter().enumerate() {
            let col = 1 + c as u16;
            // Each line's markers are its symbol's shape, so a print in black tells them apart.
            let shape = match mark {
                Indicator::Achieved => ChartMarkerType::Star,
                Indicator::OnTrack => ChartMarkerType::Circle,
                Indicator::Delayed => ChartMarkerType::Triangle,
                Indicator::NotStarted => ChartMarkerType::X,
            };
            chart
                .add_series()
                .set_name(mark.glyph())
                .set_marker(ChartMarker::new().set_type(shape).set_size(8))
                .set_categories((layout::TALLY_SHEET, top + 1, 0, last, 0))
                .set_values((layout::TALLY_SHEET, top + 1, col, last, col));
        }
        chart.title().set_name("半期別の推移（☆○△×の件数）");
        ws.insert_chart(top, 10, &chart)?;
    }
    Ok((end + 1).max(top + CHART_ROWS) + 2)
}

fn write_counts(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    counts: &Counts,
    format: &Format,
) -> Result<(), XlsxError> {
    for (c, n) in counts.0.iter().chain([&counts.total()]).enumerate() {
        ws.write_number_with_format(row, col + c as u16, f64::from(*n), format)?;
    }
    Ok(())
}
