//! The catalogue: departments, pledges and measures as the coordinator adds and edits them.

use super::reorganisation::record_move;
use super::MasterError;
use crate::model::{Actor, DepartmentId, MeasureId, PledgeId, Source};
use crate::name;
use crate::store::{ChangeKind, NewMeasure, Store, Write};

/// Adds a department, or returns the existing one of that name.
pub fn add_department(store: &mut Store, name: &str) -> Result<DepartmentId, MasterError> {
    let name = name::department(name, "課名")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        if let Some(found) = name::admit(&w.departments()?, &name, None, "課名")? {
            return Ok(found.id);
        }
        Ok(w.ensure_department(&name)?)
    })
}

/// Adds pledge `number` or changes its title.
pub fn put_pledge(store: &mut Store, number: u32, title: &str) -> Result<PledgeId, MasterError> {
    if number == 0 {
        return Err(MasterError::BadPledgeNumber(number));
    }
    let title = name::pledge_title(title, "公約")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        Ok(w.upsert_pledge(number, &title)?)
    })
}

/// The heading cells of a measure as the coordinator edits them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeasureForm {
    pub pledge_id: PledgeId,
    pub department_id: DepartmentId,
    #[serde(default)]
    pub pledge_caption: String,
    pub content: String,
    #[serde(default)]
    pub target_date: String,
}

/// Adds a measure after the last one of its pledge (so the sheet stays in pledge order).
pub fn add_measure(store: &mut Store, form: &MeasureForm) -> Result<MeasureId, MasterError> {
    let content = name::free_text(&form.content, "実施内容")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        check_refs(w, form)?;
        let measures = w.measures()?;
        let number = |pledge_id| {
            w.pledges()
                .ok()
                .and_then(|ps| ps.into_iter().find(|p| p.id == pledge_id))
                .map_or(0, |p| p.number)
        };
        let own = number(form.pledge_id);
        // After the last measure whose pledge number is not greater: positions after it move down.
        let after = measures
            .iter()
            .filter(|m| number(m.pledge_id) <= own)
            .map(|m| m.position)
            .max()
            .unwrap_or(0);
        for m in measures.iter().filter(|m| m.position > after) {
            let mut moved = m.clone();
            moved.position += 1;
            w.update_measure(&moved)?;
        }
        Ok(w.add_measure(NewMeasure {
            pledge_id: form.pledge_id,
            department_id: form.department_id,
            pledge_caption: form.pledge_caption.trim().to_string(),
            content,
            target_date: form.target_date.trim().to_string(),
            position: Some(after + 1),
        })?)
    })
}

/// Changes a measure's heading cells; its cells and their history stay.
pub fn edit_measure(
    store: &mut Store,
    id: MeasureId,
    form: &MeasureForm,
) -> Result<(), MasterError> {
    let content = name::free_text(&form.content, "実施内容")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        check_refs(w, form)?;
        let mut measure = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
        if measure.department_id != form.department_id {
            // A change of owner made in the measure's form is a move like any other.
            record_move(
                w,
                ChangeKind::Move,
                id,
                measure.department_id,
                form.department_id,
            )?;
        }
        measure.pledge_id = form.pledge_id;
        measure.department_id = form.department_id;
        measure.pledge_caption = form.pledge_caption.trim().to_string();
        measure.content = content;
        measure.target_date = form.target_date.trim().to_string();
        w.update_measure(&measure)?;
        Ok(())
    })
}

/// Moves a measure one place up (`-1`) or down (`+1`) on the sheet by swapping positions.
pub fn move_measure(store: &mut Store, id: MeasureId, step: i32) -> Result<(), MasterError> {
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let measures = w.measures()?;
        let at = measures
            .iter()
            .position(|m| m.id == id)
            .ok_or(MasterError::UnknownMeasure(id))?;
        let Some(other) = at.checked_add_signed(step.signum() as isize) else {
            return Ok(());
        };
        let Some(other) = measures.get(other) else {
            return Ok(());
        };
        // Positions may repeat after imports; renumber the two from their order.
        let (mut a, mut b) = (measures[at].clone(), other.clone());
        let (pa, pb) = (at as i64 + 1, at as i64 + 1 + i64::from(step.signum()));
        for (i, m) in measures.iter().enumerate() {
            if m.position != i as i64 + 1 && m.id != a.id && m.id != b.id {
                let mut fixed = m.clone();
                fixed.position = i as i64 + 1;
                w.update_measure(&fixed)?;
            }
        }
        a.position = pb;
        b.position = pa;
        w.update_measure(&a)?;
        w.update_measure(&b)?;
        Ok(())
    })
}

fn check_refs(w: &Write<'_>, form: &MeasureForm) -> Result<(), MasterError> {
    if !w.departments()?.iter().any(|d| d.id == form.department_id) {
        return Err(MasterError::UnknownDepartment(form.department_id));
    }
    if !w.pledges()?.iter().any(|p| p.id == form.pledge_id) {
        return Err(MasterError::UnknownPledge(form.pledge_id));
    }
    Ok(())
}
