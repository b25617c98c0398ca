//! The report as a JSON document: the format of `report-r5-r6.json` (the reconstructed printed
//! report), used for the built-in sample, generated test reports and `list --json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::indicator;
use crate::model::{Actor, CellKey, Field, FiscalYear, Half, Measure, PeriodState, Source};
use crate::report::Report;
use crate::store::{NewMeasure, Store, StoreError, Write};
use crate::wareki;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDocument {
    pub title: String,
    pub fiscal_years: Vec<DocYear>,
    pub measures: Vec<DocMeasure>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocYear {
    #[serde(deserialize_with = "crate::wareki::deserialize_year")]
    pub year: i32,
    #[serde(default)]
    pub label: String,
    pub halves: BTreeMap<Half, DocHalfYear>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocHalfYear {
    #[serde(default)]
    pub label: String,
    pub months: Vec<u8>,
    /// Absent in the printed report's reconstruction; loading then opens the newest half.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<PeriodState>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub deadline: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocMeasure {
    /// The pledge number (ＮＯ．).
    pub no: u32,
    /// The measure's id in the database it came from; absent in files made by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub pledge: String,
    pub content: String,
    pub target_date: String,
    pub department: String,
    pub years: BTreeMap<String, DocMeasureYear>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocMeasureYear {
    pub annual_target: Option<String>,
    pub annual_indicator: Option<String>,
    pub note: Option<String>,
    pub halves: BTreeMap<Half, DocHalf>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocHalf {
    pub plan: Option<String>,
    pub indicator: Option<String>,
    pub status: Option<String>,
}

/// Why a document could not be loaded. Nothing is written when loading fails.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("JSON として読めません（{}）", crate::os_message::json(.0))]
    Json(#[from] serde_json::Error),
    #[error("No.{no}（{department}）の {year} 年度 {field}: {source}")]
    Indicator {
        no: u32,
        department: String,
        year: String,
        field: String,
        #[source]
        source: indicator::IndicatorError,
    },
    #[error("No.{no}（{department}）の年度「{year}」は、この報告の年度にありません")]
    UnknownYear {
        no: u32,
        department: String,
        year: String,
    },
    #[error("No.{no}（{department}）の {year} {field}: {overflow}")]
    TooLong {
        no: u32,
        department: String,
        year: String,
        field: String,
        overflow: crate::print::PrintOverflow,
    },
    /// A year with a note and entries at once ([`crate::model::year_note_clash`]).
    #[error("No.{no}（{department}）の {year}: 備考「{note}」と{entry}の記入が両方あります。備考は年度の欄全体に印刷されて記入の代わりになるため、どちらか一方にしてください")]
    NoteAndEntries {
        no: u32,
        department: String,
        year: String,
        note: String,
        entry: String,
    },
    #[error("この報告には既にデータがあります。空のデータベースに読み込んでください")]
    NotEmpty,
    /// A department's name refused by the one rule for names (`crate::name`).
    #[error("No.{no} の担当課: {source}")]
    DepartmentName {
        no: u32,
        #[source]
        source: crate::name::NameError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ReportDocument {
    pub fn from_json(text: &str) -> Result<ReportDocument, DocumentError> {
        Ok(serde_json::from_str(text)?)
    }

    /// The document of a stored report (every measure and cell, periods with their state).
    pub fn from_report(report: &Report) -> ReportDocument {
        ReportDocument::from_report_where(report, |_| true)
    }

    /// The document of a stored report with only the measures `keep` keeps (a department's).
    pub fn from_report_where(report: &Report, keep: impl Fn(&Measure) -> bool) -> ReportDocument {
        let fiscal_years = report
            .years
            .iter()
            .map(|y| DocYear {
                year: y.year,
                label: y.label(),
                halves: y
                    .halves
                    .iter()
                    .map(|h| {
                        (
                            h.half,
                            DocHalfYear {
                                label: h.half.label().to_string(),
                                months: h.months.clone(),
                                state: Some(h.state),
                                deadline: h.deadline.clone(),
                            },
                        )
                    })
                    .collect(),
            })
            .collect();
        let text = |m: i64, y: i32, f: Field| {
            let v = report.value(m, y, f);
            (!v.is_empty()).then(|| v.to_string())
        };
        let measures = report
            .measures
            .iter()
            .filter(|m| keep(m))
            .map(|m| DocMeasure {
                no: report.pledge(m.pledge_id).map(|p| p.number).unwrap_or(0),
                id: Some(m.id),
                pledge: report.pledge_cell(m),
                content: m.content.clone(),
                target_date: m.target_date.clone(),
                department: report.department_name(m.department_id).to_string(),
                years: report
                    .years
                    .iter()
                    .map(|y| {
                        (
                            y.year.to_string(),
                            DocMeasureYear {
                                annual_target: text(m.id, y.year, Field::AnnualTarget),
                                annual_indicator: text(m.id, y.year, Field::AnnualIndicator),
                                note: text(m.id, y.year, Field::YearNote),
                                halves: Half::BOTH
                                    .iter()
                                    .map(|&h| {
                                        (
                                            h,
                                            DocHalf {
                                                plan: text(m.id, y.year, Field::Plan(h)),
                                                indicator: text(m.id, y.year, Field::Indicator(h)),
                                                status: text(m.id, y.year, Field::Status(h)),
                                            },
                                        )
                                    })
                                    .collect(),
                            },
                        )
                    })
                    .collect(),
            })
            .collect();
        ReportDocument {
            title: report.title.clone(),
            fiscal_years,
            measures,
        }
    }

    /// Loads the document into an empty store as one action.
    pub fn load_into(&self, store: &mut Store, source: &Source) -> Result<(), DocumentError> {
        if !store.measures()?.is_empty() {
            return Err(DocumentError::NotEmpty);
        }
        store.write(&Actor::Coordinator, source, |w| self.write_into(w))
    }

    /// Each pledge's title: the 公約 text its measures share. Measures of one pledge may print
    /// more under it (No.34's ［松戸橋改築事業］); the shortest text that begins all of them is
    /// the title and the rest of each is that measure's caption.
    pub(crate) fn pledge_titles(&self) -> BTreeMap<u32, String> {
        let mut titles: BTreeMap<u32, String> = BTreeMap::new();
        for m in &self.measures {
            let title = titles.entry(m.no).or_insert_with(|| m.pledge.clone());
            if m.pledge.len() < title.len() && title.starts_with(&m.pledge) {
                *title = m.pledge.clone();
            }
        }
        titles
    }

    fn write_into(&self, w: &mut Write<'_>) -> Result<(), DocumentError> {
        w.set_title(&self.title)?;
        let newest = self.fiscal_years.iter().map(|y| y.year).max();
        for doc_year in &self.fiscal_years {
            let mut year = FiscalYear::new(doc_year.year);
            for (half, doc_half) in &doc_year.halves {
                let h = year.half_mut(*half);
                h.months = doc_half.months.clone();
                h.deadline = doc_half.deadline.clone();
                // Without states, the newest year's second half is the one being written.
                h.state = doc_half.state.unwrap_or(
                    if Some(doc_year.year) == newest && *half == Half::H2 {
                        PeriodState::Open
                    } else {
                        PeriodState::Closed
                    },
                );
            }
            w.put_fiscal_year(&year)?;
        }
        let titles = self.pledge_titles();
        let years: Vec<i32> = self.fiscal_years.iter().map(|y| y.year).collect();
        // Kept here rather than asked of the store for each of 2,000 measures.
        let mut departments = w.departments()?;
        for (position, m) in self.measures.iter().enumerate() {
            let (title, pledge_caption) = m.pledge_parts(&titles);
            let pledge_id = w.upsert_pledge(m.no, title)?;
            let department_id = m.department_id(w, &mut departments)?;
            let measure_id = w.add_measure(NewMeasure {
                pledge_id,
                department_id,
                pledge_caption,
                content: m.content.clone(),
                target_date: m.target_date.clone(),
                position: Some(position as i64 + 1),
            })?;
            for (year, field, value) in m.checked_cells(&years)? {
                let key = CellKey {
                    measure_id,
                    year,
                    field,
                };
                w.put_cell(&key, &value)?;
            }
        }
        Ok(())
    }
}

impl DocMeasure {
    /// The measure's department, created when new, its name taken by the one rule for names: a
    /// sheet spelling one department two ways (ﾃﾞｼﾞﾀﾙ戦略課 and デジタル戦略課) is refused at
    /// the second, never read as two departments.
    fn department_id(
        &self,
        w: &mut Write<'_>,
        departments: &mut Vec<crate::model::Department>,
    ) -> Result<crate::model::DepartmentId, DocumentError> {
        let refused = |source| DocumentError::DepartmentName {
            no: self.no,
            source,
        };
        let name = crate::name::department(&self.department, "担当課").map_err(refused)?;
        if let Some(found) =
            crate::name::admit(departments, &name, None, "担当課").map_err(refused)?
        {
            return Ok(found.id);
        }
        let id = w.ensure_department(&name)?;
        departments.push(crate::model::Department { id, name });
        Ok(id)
    }

    /// The 公約 cell split as stored: the pledge's title (from `titles`, the document's
    /// [`ReportDocument::pledge_titles`]) and this measure's caption under it.
    pub(crate) fn pledge_parts<'a>(
        &'a self,
        titles: &'a BTreeMap<u32, String>,
    ) -> (&'a str, String) {
        let title = titles
            .get(&self.no)
            .map(String::as_str)
            .unwrap_or(&self.pledge);
        let caption = self
            .pledge
            .strip_prefix(title)
            .unwrap_or(&self.pledge)
            .trim_start_matches('\n')
            .to_string();
        (title, caption)
    }

    /// The measure's non-blank cells as they are stored, checked as an edit is: each year one
    /// of `years`, indicators one of ☆ ○ △ × (normalised), texts that print whole in their cell.
    /// Loading a document and taking a new package use this one reading.
    pub fn checked_cells(&self, years: &[i32]) -> Result<Vec<(i32, Field, String)>, DocumentError> {
        let mut cells = Vec::new();
        for (year_text, doc) in &self.years {
            let year = match year_text.parse::<i32>() {
                Ok(y) if years.contains(&y) => y,
                _ => {
                    return Err(DocumentError::UnknownYear {
                        no: self.no,
                        department: self.department.clone(),
                        year: year_text.clone(),
                    })
                }
            };
            let year_cells = doc.cells();
            if let Some(clash) = crate::model::year_note_clash(year_cells.iter().copied()) {
                return Err(DocumentError::NoteAndEntries {
                    no: self.no,
                    department: self.department.clone(),
                    year: wareki::fiscal_year_label(year),
                    note: clash.note,
                    entry: clash.entry.name(),
                });
            }
            for (field, value) in year_cells {
                let value = if field.is_indicator() {
                    indicator::normalize(value).map_err(|source| DocumentError::Indicator {
                        no: self.no,
                        department: self.department.clone(),
                        year: wareki::fiscal_year_label(year),
                        field: field.label(),
                        source,
                    })?
                } else {
                    if let Err(overflow) = crate::print::check_print(field, value) {
                        return Err(DocumentError::TooLong {
                            no: self.no,
                            department: self.department.clone(),
                            year: wareki::fiscal_year_label(year),
                            field: field.label(),
                            overflow,
                        });
                    }
                    value.to_string()
                };
                cells.push((year, field, value));
            }
        }
        Ok(cells)
    }
}

impl DocMeasureYear {
    /// The non-blank cells of the year, by field.
    pub fn cells(&self) -> Vec<(Field, &str)> {
        let mut cells = vec![
            (Field::AnnualTarget, &self.annual_target),
            (Field::AnnualIndicator, &self.annual_indicator),
            (Field::YearNote, &self.note),
        ];
        for (half, doc) in &self.halves {
            cells.push((Field::Plan(*half), &doc.plan));
            cells.push((Field::Indicator(*half), &doc.indicator));
            cells.push((Field::Status(*half), &doc.status));
        }
        cells
            .into_iter()
            .filter_map(|(f, v)| {
                v.as_deref()
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (f, v))
            })
            .collect()
    }
}
