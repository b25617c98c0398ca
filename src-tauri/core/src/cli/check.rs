//! `init`, `check` and `list`: create a report, look at its health, read it.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::CliError;
use crate::document::ReportDocument;
use crate::model::{Field, Half, Source};
use crate::report::Report;
use crate::sample;
use crate::store::Store;

pub fn init(db: &Path, with_sample: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let mut store = Store::create(db)?;
    if with_sample {
        if let Err(e) = sample::sample().load_into(&mut store, &Source::Sample) {
            // A half-made database is worse than none: remove what `create` made.
            drop(store);
            crate::store::remove_files(db);
            return Err(e.into());
        }
    }
    let report = Report::load(&store)?;
    writeln!(
        out,
        "{} を作成しました（実施内容 {} 件）",
        db.display(),
        report.measures.len()
    )?;
    Ok(())
}

/// `init --generate N`: a report of N generated measures, every cell filled.
pub fn init_generated(
    db: &Path,
    measures: usize,
    years: &[i32],
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut store = Store::create(db)?;
    if let Err(e) = sample::generate(measures, years).load_into(&mut store, &Source::Sample) {
        drop(store);
        crate::store::remove_files(db);
        return Err(e.into());
    }
    writeln!(
        out,
        "{} を作成しました（生成した実施内容 {} 件、{} 年度分）",
        db.display(),
        measures,
        years.len()
    )?;
    Ok(())
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckSummary {
    integrity: &'static str,
    problems: Vec<String>,
    /// "wal", or "rollback" for a database in a network folder.
    journal: &'static str,
    revision: i64,
    pledges: usize,
    measures: usize,
    departments: usize,
    years: Vec<YearCounts>,
    /// Years of a measure holding a note and entries at once, written before the rule
    /// (`model::year_note_clash`) refused it: the sheet and the web page print the note alone.
    note_clashes: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct YearCounts {
    year: i32,
    label: String,
    annual_targets: usize,
    annual_indicators: usize,
    notes: usize,
    halves: Vec<HalfCounts>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct HalfCounts {
    half: Half,
    label: String,
    months: Vec<u8>,
    state: crate::model::PeriodState,
    plans: usize,
    indicators: usize,
    statuses: usize,
}

/// Every year of a measure that breaks the rule of year notes, named for the coordinator.
fn note_clashes(report: &Report) -> Vec<String> {
    let mut found = Vec::new();
    for m in &report.measures {
        for y in &report.years {
            let cells = Field::ALL.map(|f| (f, report.value(m.id, y.year, f)));
            if let Some(clash) = crate::model::year_note_clash(cells) {
                found.push(format!(
                    "No.{} {}（実施内容 ID {}）{}: 備考「{}」と{}などの記入",
                    report.pledge(m.pledge_id).map_or(0, |p| p.number),
                    report.department_name(m.department_id),
                    m.id,
                    y.label(),
                    clash.note,
                    clash.entry.name()
                ));
            }
        }
    }
    found
}

pub fn check(store: &Store, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let problems = store.integrity_problems()?;
    let report = Report::load(store)?;
    let filled = |year: i32, field: Field| {
        report
            .measures
            .iter()
            .filter(|m| !report.value(m.id, year, field).is_empty())
            .count()
    };
    let summary = CheckSummary {
        integrity: if problems.is_empty() { "ok" } else { "error" },
        problems: problems.clone(),
        journal: match store.journal() {
            crate::store::Journal::Rollback => "rollback",
            crate::store::Journal::Wal => "wal",
            crate::store::Journal::Memory => "memory",
        },
        revision: report.revision,
        pledges: report.pledges.len(),
        measures: report.measures.len(),
        departments: report.departments.len(),
        years: report
            .years
            .iter()
            .map(|y| YearCounts {
                year: y.year,
                label: y.label(),
                annual_targets: filled(y.year, Field::AnnualTarget),
                annual_indicators: filled(y.year, Field::AnnualIndicator),
                notes: filled(y.year, Field::YearNote),
                halves: y
                    .halves
                    .iter()
                    .map(|h| HalfCounts {
                        half: h.half,
                        label: h.half.label().to_string(),
                        months: h.months.clone(),
                        state: h.state,
                        plans: filled(y.year, Field::Plan(h.half)),
                        indicators: filled(y.year, Field::Indicator(h.half)),
                        statuses: filled(y.year, Field::Status(h.half)),
                    })
                    .collect(),
            })
            .collect(),
        note_clashes: note_clashes(&report),
    };
    if json {
        serde_json::to_writer_pretty(&mut *out, &summary).map_err(std::io::Error::other)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "整合性: {}",
            if problems.is_empty() {
                "OK"
            } else {
                "問題あり"
            }
        )?;
        for p in &problems {
            writeln!(out, "  {p}")?;
        }
        if !summary.note_clashes.is_empty() {
            writeln!(
                out,
                "備考と記入が両方ある年度 {} 件（書き出しと Web ページには備考だけが載ります。どちらかを消してください）:",
                summary.note_clashes.len()
            )?;
            for c in &summary.note_clashes {
                writeln!(out, "  {c}")?;
            }
        }
        if store.journal() == crate::store::Journal::Rollback {
            writeln!(
                out,
                "ジャーナル: ネットワークフォルダにあるため、WAL ではなくロールバックジャーナルを使っています（同時に使えるのは 1 台ずつです）"
            )?;
        }
        writeln!(
            out,
            "公約 {} 件 / 実施内容 {} 件 / 担当課 {} 課",
            summary.pledges, summary.measures, summary.departments
        )?;
        for y in &summary.years {
            writeln!(
                out,
                "{}: 年度目標 {} / 年度指標 {} / 備考 {}",
                y.label, y.annual_targets, y.annual_indicators, y.notes
            )?;
            for h in &y.halves {
                writeln!(
                    out,
                    "  {}（{}）: 計画 {} / 指標 {} / 状況 {}",
                    h.label,
                    h.state.label(),
                    h.plans,
                    h.indicators,
                    h.statuses
                )?;
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "データベースに問題があります（{} 件）",
            problems.len()
        )))
    }
}

pub fn list(
    store: &Store,
    department: Option<&str>,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let report = Report::load(store)?;
    let mut doc = ReportDocument::from_report(&report);
    if let Some(name) = department {
        let Some(found) = store.department_by_name(name)? else {
            return Err(crate::master::missing_department(store, name)?.into());
        };
        // As the report spells it (ﾃﾞｼﾞﾀﾙ戦略課 typed lists デジタル戦略課).
        doc.measures.retain(|m| m.department == found.name);
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
        writeln!(out)?;
        return Ok(());
    }
    let ended = store.measure_last_years()?;
    for m in &doc.measures {
        let id = m.id.unwrap_or(0);
        writeln!(
            out,
            "[ID {id}] No.{} {} ／ {} ／ 目標期日 {}{}",
            m.no,
            m.pledge,
            m.department,
            m.target_date,
            ended
                .get(&id)
                .map(|&y| format!(" ／ {} で終了", crate::wareki::fiscal_year_label(y)))
                .unwrap_or_default()
        )?;
        writeln!(out, "  実施内容: {}", one_line(&m.content))?;
        for y in &report.years {
            let Some(cells) = m.years.get(&y.year.to_string()) else {
                continue;
            };
            let show = |v: &Option<String>| v.as_deref().map(one_line).unwrap_or_default();
            if let Some(note) = &cells.note {
                writeln!(out, "  {} 【{}】", y.label(), note)?;
            }
            writeln!(
                out,
                "  {} 年度目標: {} 〔{}〕",
                y.label(),
                show(&cells.annual_target),
                show(&cells.annual_indicator)
            )?;
            for (half, h) in &cells.halves {
                writeln!(
                    out,
                    "    {} 計画: {} ／ 指標: {} ／ 状況: {}",
                    half.label(),
                    show(&h.plan),
                    show(&h.indicator),
                    show(&h.status)
                )?;
            }
        }
    }
    Ok(())
}

fn one_line(text: &str) -> String {
    text.replace('\n', "⏎")
}
