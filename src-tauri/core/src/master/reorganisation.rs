//! The April reorganisation: departments merged, split and renamed, measures moved and ended.
//! Every change of owner is recorded (`reorganisation`) with its revision, so that a package
//! issued before it is answered with the department that owns the measures now.

use serde::Serialize;

use super::periods::year_of;
use super::MasterError;
use crate::model::{Actor, DepartmentId, MeasureId, Source};
use crate::name::{self, shown};
use crate::store::{ChangeKind, NewReorganisation, Reorganisation, Store, StoreError, Write};
use crate::wareki::{fiscal_year_label, Year};

/// Renames a department (改称); its measures, their cells and history stay. The old name is
/// recorded as renamed: packages issued under it before are answered with the new name.
pub fn rename_department(
    store: &mut Store,
    id: DepartmentId,
    name: &str,
) -> Result<(), MasterError> {
    let name = name::department(name, "新しい課名")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let old = w
            .department_name(id)?
            .ok_or(MasterError::UnknownDepartment(id))?;
        if old == name {
            return Ok(());
        }
        // Its own identity under another spelling (Ａ課 to A課) is a correction, not a clash.
        if name::admit(&w.departments()?, &name, Some(id), "新しい課名")?.is_some() {
            return Err(MasterError::DepartmentExists(shown(&name)));
        }
        w.rename_department(id, &name)?;
        w.record_reorganisation(&NewReorganisation {
            kind: ChangeKind::Rename,
            measure_id: None,
            from_department: &old,
            to_department: &name,
            last_year: None,
        })?;
        Ok(())
    })
}

/// A department that a reorganisation made disappear, and where its measures went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentGone {
    pub department: String,
    pub kind: ChangeKind,
    /// The departments that hold its measures now (after any later reorganisation too).
    pub successors: Vec<String>,
    /// When, as stored (`YYYY-MM-DDTHH:MM:SS`).
    pub changed_at: String,
}

impl DepartmentGone {
    /// 新課, or 新課A・新課B
    pub fn successors_label(&self) -> String {
        self.successors.join("・")
    }
}

impl std::fmt::Display for DepartmentGone {
    /// 課A は 2026年4月1日に 新課 に統合されました
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = match self.kind {
            ChangeKind::Split => "分割",
            ChangeKind::Rename => "改称",
            _ => "統合",
        };
        write!(
            f,
            "{} は {}に {} に{verb}されました",
            shown(&self.department),
            changed_on(&self.changed_at),
            shown(&self.successors_label())
        )
    }
}

/// 2026年4月1日 for a recorded change.
fn changed_on(changed_at: &str) -> String {
    crate::wareki::stored_date_label(changed_at.get(..10).unwrap_or(changed_at))
}

/// How `department` disappeared, from `changes` (oldest first): `None` when it never did, or
/// when `existing` shows it again (a later department of the same name). Successors that went
/// in a later reorganisation are followed to the departments that exist now.
pub fn department_gone(
    changes: &[Reorganisation],
    existing: &[String],
    department: &str,
) -> Option<DepartmentGone> {
    if existing.iter().any(|d| d == department) {
        return None;
    }
    let gone = |name: &str, after: i64| -> Option<Vec<&Reorganisation>> {
        let last = changes
            .iter()
            .filter(|c| c.measure_id.is_none() && c.from_department == name && c.revision > after)
            .map(|c| c.revision)
            .max()?;
        Some(
            changes
                .iter()
                .filter(|c| {
                    c.measure_id.is_none() && c.from_department == name && c.revision == last
                })
                .collect(),
        )
    };
    let first = gone(department, i64::MIN)?;
    let mut successors = Vec::new();
    // Breadth first, each name once: a chain of renames ends at a name that exists now.
    let mut queue: std::collections::VecDeque<(String, i64)> = first
        .iter()
        .map(|c| (c.to_department.clone(), c.revision))
        .collect();
    let mut seen = std::collections::HashSet::new();
    while let Some((name, at)) = queue.pop_front() {
        if !seen.insert(name.clone()) {
            continue;
        }
        match gone(&name, at).filter(|_| !existing.contains(&name)) {
            Some(next) => queue.extend(next.iter().map(|c| (c.to_department.clone(), c.revision))),
            None => successors.push(name),
        }
    }
    Some(DepartmentGone {
        department: department.to_string(),
        kind: first[0].kind,
        successors,
        changed_at: first[0].changed_at.clone(),
    })
}

/// Why a department is not in the report: gone in a reorganisation, or never there.
pub fn missing_department(store: &Store, department: &str) -> Result<MasterError, MasterError> {
    let existing: Vec<String> = store.departments()?.into_iter().map(|d| d.name).collect();
    Ok(
        match department_gone(&store.reorganisations()?, &existing, department.trim()) {
            Some(gone) => MasterError::Gone(gone),
            None => MasterError::NoSuchDepartment(shown(department.trim())),
        },
    )
}

/// Why a package issued to `department` at report revision `revision`, holding cells of
/// `issued` (measure and year), no longer answers the report: the department is gone, a measure
/// moved to another department or ended before a year it holds. `None` when nothing it holds
/// changed hands since. The message ends with what to do instead.
pub fn superseded_package(
    store: &Store,
    department: &str,
    revision: i64,
    issued: &[(MeasureId, i32)],
) -> Result<Option<String>, StoreError> {
    let since = store.reorganisations_after(revision)?;
    if since.is_empty() {
        return Ok(None);
    }
    let existing: Vec<String> = store.departments()?.into_iter().map(|d| d.name).collect();
    let all = store.reorganisations()?;
    if since
        .iter()
        .any(|c| c.measure_id.is_none() && c.from_department == department)
    {
        if let Some(gone) = department_gone(&all, &existing, department) {
            return Ok(Some(format!(
                "{gone}。{} のパッケージで提出してください",
                gone.successors_label()
            )));
        }
    }
    for change in &since {
        let Some(measure_id) = change.measure_id else {
            continue;
        };
        let years = issued
            .iter()
            .filter(|(m, _)| *m == measure_id)
            .map(|(_, y)| *y);
        let held = years.clone().next().is_some();
        match change.kind {
            ChangeKind::Retire => {
                let Some(last) = change.last_year else {
                    continue;
                };
                if let Some(after) = years.filter(|&y| y > last).min() {
                    return Ok(Some(format!(
                        "実施内容 ID {measure_id} は {}に {} で終了になりました（{} の欄は受け付けません）。{department} の新しいパッケージで提出してください",
                        changed_on(&change.changed_at),
                        fiscal_year_label(last),
                        fiscal_year_label(after)
                    )));
                }
            }
            _ if held && change.from_department == department => {
                let (from, to) = (shown(&change.from_department), shown(&change.to_department));
                return Ok(Some(format!(
                    "実施内容 ID {measure_id} は {}に {from} から {to} に移管されました。{} の新しいパッケージで提出してください（この実施内容は {to} が提出します）",
                    changed_on(&change.changed_at),
                    shown(department)
                )));
            }
            _ => {}
        }
    }
    Ok(None)
}

/// The department of `name` inside an action, refused with how it went when it is gone.
fn existing_department(w: &Write<'_>, name: &str) -> Result<crate::model::Department, MasterError> {
    if let Some(found) = w.department_by_name(name)? {
        return Ok(found);
    }
    let existing: Vec<String> = w.departments()?.into_iter().map(|d| d.name).collect();
    Err(
        match department_gone(&w.reorganisations()?, &existing, name.trim()) {
            Some(gone) => MasterError::Gone(gone),
            None => MasterError::NoSuchDepartment(shown(name.trim())),
        },
    )
}

/// Gives one measure to another department and records it.
pub(super) fn record_move(
    w: &mut Write<'_>,
    kind: ChangeKind,
    measure_id: MeasureId,
    from: DepartmentId,
    to: DepartmentId,
) -> Result<(), MasterError> {
    let from = w.department_name(from)?.unwrap_or_default();
    let to = w
        .department_name(to)?
        .ok_or(MasterError::UnknownDepartment(to))?;
    w.record_reorganisation(&NewReorganisation {
        kind,
        measure_id: Some(measure_id),
        from_department: &from,
        to_department: &to,
        last_year: None,
    })?;
    Ok(())
}

/// Moves a measure to `to` and records the change.
fn hand_over(
    w: &mut Write<'_>,
    kind: ChangeKind,
    measure: &crate::model::Measure,
    to: DepartmentId,
) -> Result<(), MasterError> {
    record_move(w, kind, measure.id, measure.department_id, to)?;
    let mut moved = measure.clone();
    moved.department_id = to;
    w.update_measure(&moved)?;
    Ok(())
}

/// What a merge or a split did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reorganised {
    /// Measures that changed hands, as (id, from, to).
    pub moved: Vec<(MeasureId, String, String)>,
    /// Departments created by it.
    pub created: Vec<String>,
    /// Departments it removed (their names are kept in the history).
    pub removed: Vec<String>,
    /// A split department's measures not named: they stay with it.
    pub kept: Vec<MeasureId>,
}

/// `target` inside an action, created when new; records it in `created`.
fn target_department(
    w: &mut Write<'_>,
    name: &str,
    what: &'static str,
    created: &mut Vec<String>,
) -> Result<DepartmentId, MasterError> {
    // A new department may not be an existing one spelled another way.
    if let Some(found) = name::admit(&w.departments()?, name, None, what)? {
        return Ok(found.id);
    }
    created.push(name.to_string());
    Ok(w.ensure_department(name)?)
}

/// Merges departments into `into` (統合), which may be new or one of the report's: every
/// measure of theirs now belongs to `into`, and they are removed from the report. Their names
/// stay in the history, so a package issued to one of them before is answered with `into`.
pub fn merge_departments(
    store: &mut Store,
    into: &str,
    departments: &[String],
) -> Result<Reorganised, MasterError> {
    let into = name::department(into, "統合先の課名")?;
    let mut merged: Vec<String> = Vec::new();
    for merged_name in departments {
        let merged_name = name::department(merged_name, "統合する課名")?;
        if name::identity(&merged_name) == name::identity(&into) {
            return Err(MasterError::MergeIntoItself(shown(&into)));
        }
        if !merged
            .iter()
            .any(|m| name::identity(m) == name::identity(&merged_name))
        {
            merged.push(merged_name);
        }
    }
    if merged.is_empty() {
        return Err(MasterError::NothingToMerge { into: shown(&into) });
    }
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let sources = merged
            .iter()
            .map(|name| existing_department(w, name))
            .collect::<Result<Vec<_>, _>>()?;
        let mut done = Reorganised {
            moved: Vec::new(),
            created: Vec::new(),
            removed: Vec::new(),
            kept: Vec::new(),
        };
        let target = target_department(w, &into, "統合先の課名", &mut done.created)?;
        let measures = w.measures()?;
        for source in &sources {
            for m in measures.iter().filter(|m| m.department_id == source.id) {
                hand_over(w, ChangeKind::Merge, m, target)?;
                done.moved.push((m.id, source.name.clone(), into.clone()));
            }
            w.record_reorganisation(&NewReorganisation {
                kind: ChangeKind::Merge,
                measure_id: None,
                from_department: &source.name,
                to_department: &into,
                last_year: None,
            })?;
            w.delete_department(source.id)?;
            done.removed.push(source.name.clone());
        }
        Ok(done)
    })
}

/// Reads one `--to` of a split: `新課A:12,13` (a full-width colon, 、 and full-width digits
/// read too) as the department and its measure ids.
pub fn parse_split_part(text: &str) -> Result<(String, Vec<MeasureId>), MasterError> {
    let unreadable = || MasterError::UnreadableSplit {
        text: text.trim().to_string(),
    };
    let (name, ids) = text.rsplit_once([':', '：']).ok_or_else(unreadable)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(unreadable());
    }
    let ids = crate::fold::fold(ids)
        .split([',', '、', '，', ' '])
        .filter(|id| !id.trim().is_empty())
        .map(|id| id.trim().parse::<MeasureId>().map_err(|_| unreadable()))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Err(unreadable());
    }
    Ok((name.to_string(), ids))
}

/// Splits a department (分割): each part's measures go to its department (new or one of the
/// report's). Measures not named stay with `department`; when none stays, it is removed and
/// recorded as split into the parts.
pub fn split_department(
    store: &mut Store,
    department: &str,
    parts: &[(String, Vec<MeasureId>)],
) -> Result<Reorganised, MasterError> {
    let department = name::department(department, "分割する課名")?;
    let mut named = std::collections::HashSet::new();
    let mut names = Vec::with_capacity(parts.len());
    for (part, ids) in parts {
        let part = name::department(part, "分割先の課名")?;
        if name::identity(&part) == name::identity(&department) {
            return Err(MasterError::SplitIntoItself(shown(&department)));
        }
        names.push(part);
        for &id in ids {
            if !named.insert(id) {
                return Err(MasterError::MeasureTwice(id));
            }
        }
    }
    if parts.is_empty() {
        return Err(MasterError::UnreadableSplit {
            text: String::new(),
        });
    }
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let source = existing_department(w, &department)?;
        let mut done = Reorganised {
            moved: Vec::new(),
            created: Vec::new(),
            removed: Vec::new(),
            kept: Vec::new(),
        };
        // Every measure is checked before the first department is created.
        for (_, ids) in parts {
            for &id in ids {
                let m = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
                if m.department_id != source.id {
                    return Err(MasterError::NotOwnedBy {
                        measure_id: id,
                        owner: shown(&w.department_name(m.department_id)?.unwrap_or_default()),
                        department: shown(&department),
                    });
                }
            }
        }
        let mut targets = Vec::new();
        for (name, (_, ids)) in names.iter().zip(parts) {
            let target = target_department(w, name, "分割先の課名", &mut done.created)?;
            // The department as the report spells it, when the part named an existing one.
            let name = w.department_name(target)?.unwrap_or_else(|| name.clone());
            for &id in ids {
                let m = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
                hand_over(w, ChangeKind::Split, &m, target)?;
                done.moved.push((id, department.clone(), name.clone()));
            }
            if !targets.contains(&name) {
                targets.push(name);
            }
        }
        done.kept = w
            .measures()?
            .iter()
            .filter(|m| m.department_id == source.id)
            .map(|m| m.id)
            .collect();
        if done.kept.is_empty() {
            for target in &targets {
                w.record_reorganisation(&NewReorganisation {
                    kind: ChangeKind::Split,
                    measure_id: None,
                    from_department: &department,
                    to_department: target,
                    last_year: None,
                })?;
            }
            w.delete_department(source.id)?;
            done.removed.push(department.clone());
        }
        Ok(done)
    })
}

/// Gives one measure to another department of the report (移管); its cells and history stay.
/// Returns the department it came from. The department it leaves stays, even with no measure.
pub fn transfer_measure(store: &mut Store, id: MeasureId, to: &str) -> Result<String, MasterError> {
    let to = name::department(to, "移管先の課名")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let measure = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
        let target = existing_department(w, &to)?;
        let from = w
            .department_name(measure.department_id)?
            .unwrap_or_default();
        if target.id == measure.department_id {
            return Err(MasterError::AlreadyOwned {
                measure_id: id,
                department: shown(&from),
            });
        }
        hand_over(w, ChangeKind::Move, &measure, target.id)?;
        Ok(from)
    })
}

/// Ends a measure after `last_year` (終了), by default the year of the open period: it keeps its
/// years up to it in the report and on the sheet, and no package issues its cells of a later
/// year. Refused while it has entries in a later year. Ending it again with another year moves
/// the end.
pub fn retire_measure(
    store: &mut Store,
    id: MeasureId,
    last_year: Option<i32>,
) -> Result<i32, MasterError> {
    let last_year = match last_year {
        Some(year) => Year::check(year)?,
        None => store.open_period()?.ok_or(MasterError::NoLastYear)?.0,
    };
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let measure = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
        year_of(w, last_year)?;
        if let Some(written) = w
            .cells()?
            .values()
            .filter(|c| c.key.measure_id == id && c.key.year > last_year && !c.value.is_empty())
            .map(|c| c.key.year)
            .min()
        {
            return Err(MasterError::WrittenAfterEnd {
                measure_id: id,
                last_year,
                written,
            });
        }
        if w.measure_last_year(id)? == Some(last_year) {
            return Ok(last_year);
        }
        let owner = w
            .department_name(measure.department_id)?
            .unwrap_or_default();
        w.set_measure_last_year(id, Some(last_year))?;
        w.record_reorganisation(&NewReorganisation {
            kind: ChangeKind::Retire,
            measure_id: Some(id),
            from_department: &owner,
            to_department: &owner,
            last_year: Some(last_year),
        })?;
        Ok(last_year)
    })
}

/// What a recorded change of ownership did, in words: 「実施内容 ID 12: 課A → 課B」,
/// 「実施内容 ID 12（課A）は 令和６年度 まで」, 「課A → 課B（課A は廃止）」.
pub fn change_description(change: &crate::store::Reorganisation) -> String {
    match (change.kind, change.measure_id) {
        (ChangeKind::Retire, Some(id)) => format!(
            "実施内容 ID {id}（{}）は {} まで",
            shown(&change.from_department),
            change.last_year.map(fiscal_year_label).unwrap_or_default()
        ),
        (_, Some(id)) => format!(
            "実施内容 ID {id}: {} → {}",
            shown(&change.from_department),
            shown(&change.to_department)
        ),
        (_, None) => format!(
            "{} → {}（{} は廃止）",
            shown(&change.from_department),
            shown(&change.to_department),
            shown(&change.from_department)
        ),
    }
}
