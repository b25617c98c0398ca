//! What an imported sheet does to a database: a new report, a department's return through the
//! three-way merge, or only a preview of what was read and of every cell that would change.

use serde::Serialize;

use super::{FormulaCell, ImportError, ReadMeasure, SheetRead};
use crate::document::DocumentError;
use crate::export::input::InputCells;
use crate::merge::{Incoming, IncomingCell, Issue};
use crate::model::{cell_label, CellKey, Field, Half, MeasureId, Source};
use crate::report::Report;
use crate::store::Store;
use crate::wareki;

/// What a sheet holds, counted, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadSummary {
    pub file_name: String,
    pub sheet: String,
    pub pledges: usize,
    pub measures: usize,
    pub departments: usize,
    pub years: Vec<YearSummary>,
    /// Whether the sheet carries our hidden `_shinchoku` sheet (period, base values).
    pub has_metadata: bool,
}

/// Filled cells of one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YearSummary {
    pub year: i32,
    /// 令和６年度
    pub label: String,
    /// 年度目標, its indicator and year notes.
    pub year_cells: usize,
    pub h1_cells: usize,
    pub h2_cells: usize,
}

/// One cell the import would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CellChange {
    /// The block's first row on the sheet, 1-based.
    pub row: u32,
    pub measure_id: MeasureId,
    pub no: u32,
    pub department: String,
    pub content: String,
    pub year: i32,
    pub field: Field,
    /// 令和６年度 下半期 状況
    pub label: String,
    pub old: String,
    pub new: String,
}

/// Everything the preview dialog shows; nothing has been written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub summary: ReadSummary,
    /// The database has no report yet: the import would create it.
    pub creates_report: bool,
    /// Cells that would change in an existing report (old → new), in sheet order.
    pub changes: Vec<CellChange>,
    /// Blocks the report does not have ("No.12 道路課「…」（重点政策 25 行）").
    pub unmatched: Vec<String>,
    /// Blocks of other departments, left alone in a department's return.
    pub other_departments: usize,
    /// Cells not taken, each named with why; the rest is still taken. Cells of a department's
    /// return that the sheet changed outside its input cells (locked in its export,
    /// [`InputCells`]: "No.3 企画課 令和６年度 上半期 進捗状況（重点政策 12 行）は入力欄ではないため
    /// 取り込みません"), and value cells holding a formula, in any import ("重点政策!L7「=1/0」
    /// （No.1 こども支援課 令和６年度 下半期 計画）は数式のため取り込みません").
    pub refused: Vec<String>,
}

/// Loads the sheet as a new report into an empty database, as one action.
pub fn import_new(store: &mut Store, read: &SheetRead) -> Result<ReadSummary, ImportError> {
    read.to_document()
        .load_into(store, &Source::SheetImport(read.file_name.clone()))
        .map_err(|e| match e {
            DocumentError::NotEmpty => ImportError::NotEmpty,
            e => ImportError::Document(e),
        })?;
    Ok(read.summary())
}

/// The existing measure a block stands for: by the id the hidden sheet gives, when that
/// measure still has the block's 課; else by ＮＯ., 所管課等 and 実施内容.
fn matched(report: &Report, m: &ReadMeasure) -> Option<MeasureId> {
    let same_heading = |id: MeasureId| {
        report
            .measure(id)
            .is_some_and(|existing| report.department_name(existing.department_id) == m.department)
    };
    if let Some(id) = m.measure_id.filter(|&id| same_heading(id)) {
        return Some(id);
    }
    report
        .measures
        .iter()
        .find(|e| {
            report.pledge(e.pledge_id).map(|p| p.number) == Some(m.no)
                && report.department_name(e.department_id) == m.department
                && e.content.trim() == m.content.trim()
        })
        .map(|e| e.id)
}

/// The fields of a block's year that the sheet speaks for: a year written as a note carries
/// only the note (the export prints nothing else there), so its other cells are left alone.
fn fields_of(m: &ReadMeasure, year: i32) -> Vec<Field> {
    if m.cells.contains_key(&(year, Field::YearNote)) || m.formula(year, Field::YearNote).is_some()
    {
        vec![Field::YearNote]
    } else {
        Field::ALL.to_vec()
    }
}

fn label(year: i32, field: Field) -> String {
    format!("{} {}", wareki::fiscal_year_label(year), field.label())
}

/// The period a department's return answers: the one open at its export, as the hidden sheet
/// says, else the one open now.
fn return_period(report: &Report, read: &SheetRead) -> Option<(i32, Half)> {
    read.meta
        .as_ref()
        .and_then(|m| m.period)
        .or_else(|| report.open_period())
}

/// Why a changed cell of a department's return is left out.
fn refusal(report: &Report, read: &SheetRead, m: &ReadMeasure, key: &CellKey) -> String {
    format!(
        "{}（{} {} 行）は入力欄ではないため取り込みません",
        report.cell_name(key),
        read.sheet,
        m.row_of(key.field)
    )
}

/// Why a cell holding a formula is left out: the place, the formula and whose cell it is.
fn formula_refusal(m: &ReadMeasure, year: i32, field: Field, formula: &FormulaCell) -> String {
    format!(
        "{}「{}」（No.{} {} {}）は数式のため取り込みません",
        formula.place,
        formula.formula,
        m.no,
        m.department,
        cell_label(year, field)
    )
}

fn describe(read: &SheetRead, m: &ReadMeasure) -> String {
    format!(
        "No.{} {}「{}」（{} {} 行）",
        m.no, m.department, m.content, read.sheet, m.first_row
    )
}

/// What the import would do. `report` is the database's report (`None` or empty: a new report);
/// `department` limits the comparison to that 課's blocks and their input cells, as
/// `--as-submission` does: a change elsewhere in the block is named in `refused`, when the
/// sheet changed it (its hidden sheet exported another value; a cell the coordinator changed
/// since the export still shows the old one and is no change of the department's).
pub fn preview(
    report: Option<&Report>,
    read: &SheetRead,
    department: Option<&str>,
) -> ImportPreview {
    let mut preview = ImportPreview {
        summary: read.summary(),
        creates_report: report.is_none_or(|r| r.measures.is_empty()),
        changes: Vec::new(),
        unmatched: Vec::new(),
        other_departments: 0,
        refused: Vec::new(),
    };
    let Some(report) = report.filter(|_| !preview.creates_report) else {
        // A new report takes no formula either: each is named.
        preview.refused = read
            .measures
            .iter()
            .flat_map(|m| {
                m.formulas
                    .iter()
                    .map(move |((year, field), f)| formula_refusal(m, *year, *field, f))
            })
            .collect();
        return preview;
    };
    let inputs = department.and_then(|department| {
        return_period(report, read).map(|period| InputCells { department, period })
    });
    for m in &read.measures {
        if department.is_some_and(|d| d != m.department) {
            preview.other_departments += 1;
            continue;
        }
        let Some(measure_id) = matched(report, m) else {
            preview.unmatched.push(describe(read, m));
            continue;
        };
        let last_year = report.measure(measure_id).and_then(|e| e.last_year);
        for year in read.years.iter().filter_map(|y| report.year(y.year)) {
            for field in fields_of(m, year.year) {
                if let Some(formula) = m.formula(year.year, field) {
                    preview
                        .refused
                        .push(formula_refusal(m, year.year, field, formula));
                    continue;
                }
                let old = report.value(measure_id, year.year, field);
                let new = m.value(year.year, field);
                if old == new {
                    continue;
                }
                let taken = department.is_none()
                    || inputs.is_some_and(|i| i.contains(&m.department, last_year, year, field));
                if !taken {
                    let key = CellKey {
                        measure_id,
                        year: year.year,
                        field,
                    };
                    let exported = read.meta.as_ref().map(|meta| meta.base_of(&key).1);
                    if exported.is_none_or(|exported| exported != new) {
                        preview.refused.push(refusal(report, read, m, &key));
                    }
                } else {
                    preview.changes.push(CellChange {
                        row: m.first_row,
                        measure_id,
                        no: m.no,
                        department: m.department.clone(),
                        content: m.content.clone(),
                        year: year.year,
                        field,
                        label: label(year.year, field),
                        old: old.to_string(),
                        new: new.to_string(),
                    });
                }
            }
        }
    }
    preview
}

/// The department `typed` names (`--as-submission`), as the report spells it: taken in by the
/// one rule for names, so ﾃﾞｼﾞﾀﾙ戦略課 is デジタル戦略課 and a name with an invisible
/// character is refused. The preview and the merge compare blocks with this spelling.
pub fn department_named(report: &Report, typed: &str) -> Result<String, ImportError> {
    let typed = crate::name::department(typed, "担当課")?;
    crate::name::find(&report.departments, &typed)
        .map(|found| found.name.clone())
        .ok_or_else(|| ImportError::UnknownDepartment(crate::name::shown(&typed)))
}

/// A department's return as the merge takes it: every input cell of that 課's blocks
/// ([`InputCells`] of the period, the same rule that unlocked them in its export) that differs
/// from its base. Changes outside the input cells are left out, never a reason to refuse the
/// rest; [`preview`] names them. The base is the exported value and revision from
/// `_shinchoku`; a sheet without it is a plain edit against the report's current values.
///
/// The base of each cell is the coordinator's own history at the export's revision, never the
/// hidden sheet's copy of the values. A sheet without the hidden sheet (or naming a revision
/// at which this database exported no sheet) has no base: a value the coordinator has written then becomes a
/// conflict, never silently overwritten.
pub fn incoming(
    store: &Store,
    report: &Report,
    read: &SheetRead,
    department: &str,
) -> Result<Incoming, ImportError> {
    let department = department_named(report, department)?;
    let department = department.as_str();
    let meta = read.meta.as_ref();
    if let Some(sheet) = meta.and_then(|m| m.department.as_deref()) {
        if sheet != department {
            // Shown escaped: two names that differ must never print alike.
            return Err(ImportError::OtherDepartment {
                sheet: crate::name::shown(sheet),
                given: crate::name::shown(department),
            });
        }
    }
    let (year, half): (i32, Half) = return_period(report, read).ok_or(ImportError::NoPeriod)?;
    let inputs = InputCells {
        department,
        period: (year, half),
    };
    let exported_at = match meta.map(|m| m.revision) {
        Some(revision) if store.sheet_exported_at(revision, department)? => Some(revision),
        _ => None,
    };
    let mut incoming = Incoming {
        department: department.to_string(),
        year,
        half,
        issue: Issue::Sheet(exported_at),
        cells: Vec::new(),
        source: Source::SheetImport(read.file_name.clone()),
    };
    let issue = incoming.issue_key();
    for m in read.measures.iter().filter(|m| m.department == department) {
        let Some(measure_id) = matched(report, m) else {
            return Err(ImportError::UnknownMeasure {
                place: format!("{}!A{}", read.sheet, m.first_row),
                no: m.no,
                department: m.department.clone(),
                content: m.content.clone(),
            });
        };
        let last_year = report.measure(measure_id).and_then(|e| e.last_year);
        for y in read.years.iter().filter_map(|y| report.year(y.year)) {
            for field in fields_of(m, y.year) {
                // A formula is no value of the department's: the cell is left as the report
                // holds it, never cleared by a formula that cached nothing.
                if m.formula(y.year, field).is_some()
                    || !inputs.contains(&m.department, last_year, y, field)
                {
                    continue;
                }
                let key = CellKey {
                    measure_id,
                    year: y.year,
                    field,
                };
                let (base_revision, base_value) = match exported_at {
                    Some(revision) => store.value_at(&key, revision)?,
                    None => (0, String::new()),
                };
                let value = m.value(y.year, field);
                // What the report already holds is no change, whatever the base (and a sheet
                // without a base would otherwise return every closed cell it shows). A value the
                // coordinator saw from this sheet before is the base instead (the merge's rule),
                // so a value put back to the exported one is a change.
                let current = report.value(measure_id, y.year, field);
                let seen = store.seen_value(department, &issue, &key)?;
                let changed = value != seen.as_deref().unwrap_or(&base_value);
                if changed && value != current {
                    incoming.cells.push(IncomingCell {
                        key,
                        base_revision,
                        base_value,
                        value: value.to_string(),
                    });
                }
            }
        }
    }
    Ok(incoming)
}

/// A department's returned sheet merged into the report, after a backup of the report.
pub fn merge_return(
    store: &mut Store,
    incoming: &crate::merge::Incoming,
) -> Result<crate::merge::MergeOutcome, ImportError> {
    if store.path().is_some() {
        crate::backup::take(store, crate::backup::Reason::Import)?;
    }
    Ok(crate::merge::merge(store, incoming)?)
}
