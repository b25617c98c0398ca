//! The next package into an existing department database (`shinchoku update`): the next
//! half-year, or the same one issued again, without making the database anew.
//!
//! The package's values are the coordinator's latest (what it merged from this department and
//! what it corrected since); they replace the department's as one recorded change whose source
//! names the package file, so the department's history keeps both. Its package record (id,
//! secret, issued cells, period) becomes the new package's, so the next submission is signed for
//! it and merges at the coordinator against what it issued.
//!
//! Refused, with nothing changed: a package of another department, one not newer than the
//! package the database holds (an earlier period, or the same period issued no later), and —
//! unless the user lets them go — changes made since the last submission that were never sent.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use super::{
    file, package_of, Package, SubmissionError, Synced, MEASURE_IDS_SETTING, PACKAGE_FORMAT,
    PACKAGE_SETTING,
};
use crate::backup::{self, BackupFile};
use crate::model::{
    cell_label, period_label, Actor, CellKey, Field, FiscalYear, PeriodState, Source,
};
use crate::report::Report;
use crate::store::{NewMeasure, Store};

/// A cell of the department changed since it last agreed with the coordinator (made, updated,
/// or submitted) and not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsentCell {
    /// The cell in this database.
    pub key: CellKey,
    /// No.3 企画課 令和６年度 下半期 進捗状況
    pub label: String,
    /// What was sent (or issued) and what the database holds now.
    pub sent: String,
    pub now: String,
}

/// What `update_from_package` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageUpdate {
    pub department: String,
    /// The period the database was writing before, and now.
    pub previous_period: String,
    pub period: String,
    /// The package was the one the database holds already: nothing was done.
    pub already: bool,
    /// The department's measures in the new package, and of them new to this database.
    pub measures: usize,
    pub added_measures: usize,
    /// Measures of this database the new package no longer has (moved to another department or
    /// ended): removed here; their cells' history stays.
    pub removed_measures: usize,
    /// Cells whose value the package changed, named as the sheet names them.
    pub replaced: Vec<String>,
    /// Unsent changes let go with `--discard-unsent` (in the history and the backup).
    pub discarded: Vec<UnsentCell>,
    /// The copy taken before anything was replaced (a database on disk).
    pub backup: Option<BackupFile>,
}

/// The changes of a department database not sent yet: each cell its package issued whose value
/// differs from what the last submission sent, or from what the package issued when none was
/// written. Empty for a database with nothing at stake.
pub fn unsent_changes(store: &Store) -> Result<Vec<UnsentCell>, SubmissionError> {
    let package = package_of(store)?;
    let local_of = local_ids(store)?;
    let synced = Synced::of(store, &package)?;
    let report = Report::load(store)?;
    let mut unsent = Vec::new();
    for b in &package.base {
        let Some(&local) = local_of.get(&b.measure_id) else {
            continue;
        };
        let key = CellKey {
            measure_id: local,
            year: b.year,
            field: b.field,
        };
        let now = report.value(local, b.year, b.field);
        let sent = match &synced {
            Some(synced) => store.value_at(&key, synced.revision)?.1,
            // A database made before the record was kept: what the package issued.
            None => b.value.clone(),
        };
        if now != sent {
            unsent.push(UnsentCell {
                key,
                label: report.cell_name(&key),
                sent,
                now: now.to_string(),
            });
        }
    }
    Ok(unsent)
}

/// The coordinator's measure id → this database's, as recorded when the package was taken.
fn local_ids(store: &Store) -> Result<HashMap<i64, i64>, SubmissionError> {
    Ok(store
        .setting(MEASURE_IDS_SETTING)?
        .and_then(|text| serde_json::from_str::<Vec<(i64, i64)>>(&text).ok())
        .ok_or(SubmissionError::OldPackage)?
        .into_iter()
        .collect())
}

/// Which package is the later one. A package carries its period and, from the coordinator's
/// database that issued it, its report revision and issue time: a later period is newer; in the
/// same period, the one issued at a higher revision (the coordinator's revision only grows, and
/// issuing a package is itself a revision), then at a later time.
fn is_newer(new: &Package, current: &Package) -> bool {
    let order = |p: &Package| {
        (
            (p.period.year, p.period.half),
            p.revision,
            p.issued_at.clone(),
        )
    };
    order(new) > order(current)
}

/// At most `shown` names, then ほか N 件.
fn listed(labels: &[String], shown: usize) -> String {
    let mut text = labels
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join("、");
    if labels.len() > shown {
        text.push_str(&format!(" ほか {} 件", labels.len() - shown));
    }
    text
}

/// A measure of the package with its cells read and checked, before anything is written.
struct Planned<'a> {
    measure: &'a crate::document::DocMeasure,
    cells: BTreeMap<(i32, Field), String>,
}

/// Takes a newer package of the same department into its database: the package's period opens
/// (every other closes), the coordinator's values replace the department's as one change from
/// the package file, measures are added, updated or removed to match it, and the package record
/// becomes the new one's. A backup is taken first. Refusals change nothing: another department,
/// a package not newer than the one held, a malformed file (the package reader's checks and
/// limits, then every cell as an edit would be checked), and unsent changes unless
/// `discard_unsent`.
pub fn update_from_package(
    store: &mut Store,
    package_path: &Path,
    discard_unsent: bool,
) -> Result<PackageUpdate, SubmissionError> {
    let name = file::name(package_path);
    let refuse = |reason: String| SubmissionError::Refused {
        file: name.clone(),
        reason,
    };
    let package: Package = file::read(package_path, PACKAGE_FORMAT)?.content;
    let current = package_of(store)?;
    let previous_period = period_label(current.period.year, current.period.half);
    if package.department != current.department {
        return Err(refuse(format!(
            "{} 宛てのパッケージです。このデータベースは {} のものなので取り込めません。{} 宛てのパッケージを指定してください（組織改正で課が変わったときは、新しいパッケージから shinchoku init --package でデータベースを作り直してください）",
            package.department, current.department, current.department
        )));
    }
    let period = period_label(package.period.year, package.period.half);
    if package.package_id == current.package_id {
        return Ok(PackageUpdate {
            department: package.department,
            previous_period,
            period,
            already: true,
            measures: package.report.measures.len(),
            added_measures: 0,
            removed_measures: 0,
            replaced: Vec::new(),
            discarded: Vec::new(),
            backup: None,
        });
    }
    if !is_newer(&package, &current) {
        let issued = |p: &Package| crate::wareki::datetime_label(&p.issued_at);
        return Err(refuse(
            if (package.period.year, package.period.half)
                < (current.period.year, current.period.half)
            {
                format!(
                    "{period} のパッケージです。このデータベースは既に {previous_period} のパッケージ（{} 発行）を取り込んでいるため、古いパッケージは取り込めません",
                    issued(&current)
                )
            } else {
                format!(
                    "{period} のパッケージですが、このデータベースが取り込んだ同じ期のパッケージ（{} 発行）より前に発行されたものです。取りまとめ担当から届いた最新のパッケージを指定してください",
                    issued(&current)
                )
            },
        ));
    }
    // Everything the package holds is read and checked before anything is written.
    let years: Vec<i32> = package.report.fiscal_years.iter().map(|y| y.year).collect();
    if !years.contains(&package.period.year) {
        return Err(refuse(format!(
            "壊れています（期 {period} の年度がパッケージの報告にありません）"
        )));
    }
    let planned = package
        .report
        .measures
        .iter()
        .map(|measure| {
            Ok(Planned {
                measure,
                cells: measure
                    .checked_cells(&years)?
                    .into_iter()
                    .map(|(year, field, value)| ((year, field), value))
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>, crate::document::DocumentError>>()
        .map_err(|e| refuse(format!("パッケージの内容を読めません（{e}）")))?;
    let unsent = unsent_changes(store)?;
    if !unsent.is_empty() && !discard_unsent {
        let labels: Vec<String> = unsent.iter().map(|u| u.label.clone()).collect();
        return Err(SubmissionError::Unsent {
            file: name.clone(),
            count: unsent.len(),
            cells: listed(&labels, 3),
        });
    }
    let text = serde_json::to_string(&package).map_err(|e| file::FileError::Json {
        file: name.clone(),
        message: e.to_string(),
    })?;
    // Nothing is lost silently: the database as it was, before any value is replaced.
    let backup = match store.path() {
        Some(_) => Some(backup::take(store, backup::Reason::PackageUpdate)?),
        None => None,
    };
    let mut local_of = local_ids(store)?;
    let source = Source::Package(name.clone());
    let (replaced, added_measures, removed_measures) =
        store.write(&Actor::Coordinator, &source, |w| {
            w.set_title(&package.report.title)?;
            // The department writes the package's period and nothing else.
            let open = (package.period.year, package.period.half);
            for doc_year in &package.report.fiscal_years {
                let mut year = FiscalYear::new(doc_year.year);
                for h in &mut year.halves {
                    if let Some(doc_half) = doc_year.halves.get(&h.half) {
                        h.months = doc_half.months.clone();
                        h.deadline = doc_half.deadline.clone();
                    }
                    h.state = if (doc_year.year, h.half) == open {
                        PeriodState::Open
                    } else {
                        PeriodState::Closed
                    };
                }
                w.put_fiscal_year(&year)?;
            }
            for local_year in w.fiscal_years()? {
                if !years.contains(&local_year.year) {
                    for h in &local_year.halves {
                        w.set_period_state(local_year.year, h.half, PeriodState::Closed)?;
                    }
                }
            }
            let titles = package.report.pledge_titles();
            let department_id = w.ensure_department(&package.department)?;
            let existing: HashSet<i64> = w.measures()?.iter().map(|m| m.id).collect();
            let mut pairs = Vec::with_capacity(planned.len());
            let mut added = 0;
            let mut replaced = Vec::new();
            for (position, plan) in planned.iter().enumerate() {
                let m = plan.measure;
                let (title, pledge_caption) = m.pledge_parts(&titles);
                let pledge_id = w.upsert_pledge(m.no, title)?;
                let paired =
                    m.id.and_then(|id| local_of.get(&id).copied())
                        .filter(|local| existing.contains(local));
                let local = match paired {
                    Some(local) => {
                        w.update_measure(&crate::model::Measure {
                            id: local,
                            pledge_id,
                            department_id,
                            pledge_caption,
                            content: m.content.clone(),
                            target_date: m.target_date.clone(),
                            position: position as i64 + 1,
                            // Not written by `update_measure`: a measure's end is the
                            // coordinator's, and its package simply issues no later cells.
                            last_year: None,
                        })?;
                        local
                    }
                    None => {
                        added += 1;
                        w.add_measure(NewMeasure {
                            pledge_id,
                            department_id,
                            pledge_caption,
                            content: m.content.clone(),
                            target_date: m.target_date.clone(),
                            position: Some(position as i64 + 1),
                        })?
                    }
                };
                if let Some(id) = m.id {
                    pairs.push((id, local));
                    local_of.insert(id, local);
                }
                // Every cell of the package's years: a cell it leaves blank is blank.
                for &year in &years {
                    for field in Field::ALL {
                        let value = plan.cells.get(&(year, field)).map_or("", String::as_str);
                        let key = CellKey {
                            measure_id: local,
                            year,
                            field,
                        };
                        if w.put_cell(&key, value)? {
                            replaced.push(format!(
                                "No.{} {} {}",
                                m.no,
                                m.department,
                                cell_label(year, field)
                            ));
                        }
                    }
                }
            }
            // Measures the package no longer has: gone from this department (their history stays).
            let kept: HashSet<i64> = pairs.iter().map(|&(_, local)| local).collect();
            let mut removed = 0;
            for m in w.measures()? {
                if !kept.contains(&m.id) {
                    w.delete_measure(m.id)?;
                    removed += 1;
                }
            }
            w.set_setting(PACKAGE_SETTING, &text)?;
            w.set_setting(
                MEASURE_IDS_SETTING,
                &serde_json::to_string(&pairs).unwrap_or_default(),
            )?;
            Synced::record(w, &package.package_id)?;
            Ok::<_, SubmissionError>((replaced, added, removed))
        })?;
    Ok(PackageUpdate {
        department: package.department,
        previous_period,
        period,
        already: false,
        measures: planned.len(),
        added_measures,
        removed_measures,
        replaced,
        discarded: if discard_unsent { unsent } else { Vec::new() },
        backup,
    })
}
