//! Transport types for the window: what every command returns or takes, in camelCase JSON,
//! converted from the core's types so that the domain does not bend to the UI. Dates and times
//! carry a label written here in Japanese, so the window never depends on the computer's locale.

mod about;
mod cells;
mod export;
mod import;
mod overview;
mod submission;
mod term;

use std::collections::BTreeMap;

use serde::Serialize;
use shinchoku_core::indicator::Indicator;
use shinchoku_core::model::{self, period_label, Field, Half, PeriodState, Role};
use shinchoku_core::report::Report;
use shinchoku_core::wareki;

pub use about::AboutView;
pub use cells::{CellHistoryView, CellKeyInput, PrintRoomView};
pub use export::{ExportDone, PublishDone};
pub use import::{ImportDone, ImportPreviewView};
pub use overview::OverviewView;
pub use submission::{
    BoardView, ChoiceInput, ConflictView, FileOutcomeView, OpenedFileView, PackageUpdateView,
};
pub use term::{ArchivedTermView, MeasureInput, OwnershipChangeView, SplitPart, TermStartedView};

/// What the window asks first: where the database is and whether it exists yet.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportStatus {
    pub db_path: String,
    /// False on first start: the UI offers the sample or an empty report.
    pub exists: bool,
    /// The process start in milliseconds since the Unix epoch: the UI measures its time from
    /// launch to an editable view against it (read by the start-up benchmark).
    pub started_at_ms: u64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportView {
    pub title: String,
    pub revision: i64,
    pub years: Vec<YearView>,
    pub departments: Vec<String>,
    pub measures: Vec<MeasureView>,
    /// The period being written, if one is open.
    pub open_period: Option<PeriodView>,
    /// Every field's name without the year (field code → 上半期 進捗状況).
    pub field_names: BTreeMap<&'static str, String>,
    /// The indicator's four values in the legend's order, from the core's one source
    /// ([`shinchoku_core::indicator`]).
    pub marks: Vec<MarkView>,
    /// When this report became a past term's read-only copy (2026年11月29日 10:15); `None` for
    /// a working report. The window then shows every cell as text and offers only export.
    pub archived_at_label: Option<String>,
    /// Nothing can be changed: a past term's copy, or a database in a place that cannot be
    /// written (a read-only file, share or disc). The window shows every cell as text and
    /// offers only export.
    pub read_only: bool,
    /// The measures with a conflict waiting for the coordinator, once each, in sheet order:
    /// marked on their cards, counted on 提出状況, asked about before an export.
    pub conflict_measures: Vec<i64>,
}

/// One value of the indicator: ☆ and 実施済み、目標達成.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MarkView {
    pub glyph: &'static str,
    pub meaning: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YearView {
    pub year: i32,
    pub label: String,
    pub halves: Vec<HalfView>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HalfView {
    pub half: &'static str,
    pub label: &'static str,
    pub months: Vec<u8>,
    pub state: PeriodState,
    /// 未開始, 入力中 or 締切済み ([`PeriodState::label`]).
    pub state_label: &'static str,
    /// As stored: `YYYY-MM-DD`, or "" for none.
    pub deadline: String,
    /// 2026年12月1日, or "".
    pub deadline_label: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodView {
    pub year: i32,
    pub half: &'static str,
    /// 令和６年度 下半期
    pub label: String,
    /// As stored: `YYYY-MM-DD`, or "" for none.
    pub deadline: String,
    /// 2026年12月1日, or "".
    pub deadline_label: String,
}

impl PeriodView {
    pub fn new(year: i32, half: Half, deadline: &str) -> PeriodView {
        PeriodView {
            year,
            half: half.code(),
            label: period_label(year, half),
            deadline: deadline.to_string(),
            deadline_label: wareki::stored_date_label(deadline),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeasureView {
    pub id: i64,
    pub no: u32,
    /// The 公約 cell as printed (the title, and a caption for some measures).
    pub pledge: String,
    pub content: String,
    pub target_date: String,
    pub department: String,
    /// Year → field code → value, only non-blank cells.
    pub cells: BTreeMap<i32, BTreeMap<&'static str, String>>,
    /// The last fiscal year it reports on, when it was retired; later years take no entries.
    pub last_year: Option<i32>,
    /// Year → the codes of the fields the user may write, as the core's one rule
    /// ([`model::check_writable`]) answers for the role the view was made for; empty in a
    /// read-only report. The window draws a field where this says so, and text elsewhere.
    pub writable: BTreeMap<i32, Vec<&'static str>>,
}

/// The fields of every year that `role` may write in a measure of `owner` reporting until
/// `last_year`.
fn writable_fields(
    report: &Report,
    role: Role<'_>,
    owner: &str,
    last_year: Option<i32>,
) -> BTreeMap<i32, Vec<&'static str>> {
    report
        .years
        .iter()
        .filter_map(|year| {
            let fields: Vec<&'static str> = Field::ALL
                .into_iter()
                .filter(|&f| model::check_writable(role, owner, last_year, year, f).is_ok())
                .map(Field::code)
                .collect();
            (!fields.is_empty()).then_some((year.year, fields))
        })
        .collect()
}

impl ReportView {
    /// The report as `role` sees it: every measure with the fields that role may write.
    pub fn from_report(report: &Report, role: Role<'_>) -> ReportView {
        let open_period = model::open_half(&report.years)
            .map(|(y, h)| PeriodView::new(y.year, h.half, &h.deadline));
        let mut cells: BTreeMap<i64, BTreeMap<i32, BTreeMap<&'static str, String>>> =
            BTreeMap::new();
        for (key, cell) in &report.cells {
            if !cell.value.is_empty() {
                cells
                    .entry(key.measure_id)
                    .or_default()
                    .entry(key.year)
                    .or_default()
                    .insert(key.field.code(), cell.value.clone());
            }
        }
        ReportView {
            title: report.title.clone(),
            revision: report.revision,
            years: report
                .years
                .iter()
                .map(|y| YearView {
                    year: y.year,
                    label: y.label(),
                    halves: y
                        .halves
                        .iter()
                        .map(|h| HalfView {
                            half: h.half.code(),
                            label: h.half.label(),
                            months: h.months.clone(),
                            state: h.state,
                            deadline: h.deadline.clone(),
                            deadline_label: wareki::stored_date_label(&h.deadline),
                            state_label: h.state.label(),
                        })
                        .collect(),
                })
                .collect(),
            departments: report.departments.iter().map(|d| d.name.clone()).collect(),
            measures: report
                .measures
                .iter()
                .map(|m| MeasureView {
                    id: m.id,
                    no: report.pledge(m.pledge_id).map(|p| p.number).unwrap_or(0),
                    pledge: report.pledge_cell(m),
                    content: m.content.clone(),
                    target_date: m.target_date.clone(),
                    department: report.department_name(m.department_id).to_string(),
                    cells: cells.remove(&m.id).unwrap_or_default(),
                    last_year: m.last_year,
                    writable: writable_fields(
                        report,
                        role,
                        report.department_name(m.department_id),
                        m.last_year,
                    ),
                })
                .collect(),
            open_period,
            field_names: Field::ALL.iter().map(|f| (f.code(), f.name())).collect(),
            marks: Indicator::ALL
                .iter()
                .map(|m| MarkView {
                    glyph: m.glyph(),
                    meaning: m.meaning(),
                })
                .collect(),
            archived_at_label: None,
            read_only: false,
            conflict_measures: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
