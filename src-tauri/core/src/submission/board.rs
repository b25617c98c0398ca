//! The submission board: per department, what was issued, received, merged, in conflict, missing.

use serde::Serialize;

use super::{open_period, Period, SubmissionError};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentStatus {
    pub department: String,
    pub measures: usize,
    /// When and which file the last package was issued, if one was.
    pub issued_at: Option<String>,
    pub issued_file: Option<String>,
    /// The last submission received for the open period.
    pub received_at: Option<String>,
    pub received_file: Option<String>,
    pub approved_by: Option<String>,
    /// Cells applied by this department's submissions of the period.
    pub applied: usize,
    /// Conflicts of this department still waiting for the coordinator.
    pub conflicts: usize,
    /// Conflicts of this department settled (the last of each cell; `conflicts` lists how).
    pub settled: usize,
    /// No submission for the open period yet.
    pub missing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    pub period: Period,
    pub departments: Vec<DepartmentStatus>,
}

/// The board of the open period.
pub fn board(store: &Store) -> Result<Board, SubmissionError> {
    let period = open_period(store)?;
    let measures = store.measures()?;
    let mut departments = Vec::new();
    for dept in store.departments()? {
        let measures = measures
            .iter()
            .filter(|m| m.department_id == dept.id)
            .count();
        if measures == 0 {
            continue;
        }
        let issued = store.latest_package(&dept.name, period.year, period.half)?;
        let received = store.last_return(&dept.name, period.year, period.half)?;
        let applied = store.applied_cells(&dept.name, period.year, period.half)? as usize;
        let conflicts = store.conflict_count(&dept.name)?;
        let settled = store.settled_conflict_count(&dept.name)?;
        departments.push(DepartmentStatus {
            department: dept.name,
            measures,
            issued_at: issued.as_ref().map(|i| i.0.clone()),
            issued_file: issued.map(|i| i.1),
            missing: received.is_none(),
            received_at: received.as_ref().map(|r| r.0.clone()),
            received_file: received.as_ref().map(|r| r.1.clone()),
            approved_by: received.map(|r| r.2).filter(|a| !a.is_empty()),
            applied,
            conflicts,
            settled,
        });
    }
    Ok(Board {
        period,
        departments,
    })
}

/// A reminder to paste into a mail, listing the departments whose submission is missing.
pub fn reminder_text(board: &Board) -> String {
    let missing: Vec<&str> = board
        .departments
        .iter()
        .filter(|d| d.missing)
        .map(|d| d.department.as_str())
        .collect();
    if missing.is_empty() {
        return format!("{}の提出はすべての課から届いています。", board.period.label);
    }
    let deadline = if board.period.deadline.is_empty() {
        String::new()
    } else {
        format!(
            "（締切 {}）",
            crate::wareki::stored_date_label(&board.period.deadline)
        )
    };
    let mut text = format!(
        "各課ご担当者様\n\n重点政策の進捗状況について、{}{}の提出をお願いしております。\n次の課からの提出がまだ届いておりません。お手数ですが、ご確認のうえ提出をお願いいたします。\n\n",
        board.period.label, deadline
    );
    for d in &missing {
        text.push_str(&format!("・{d}\n"));
    }
    text.push_str("\n取りまとめ担当\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Half;

    fn board(deadline: &str, missing: bool) -> Board {
        Board {
            period: Period {
                year: 2026,
                half: Half::H2,
                label: "令和８年度 下半期".into(),
                deadline: deadline.into(),
            },
            departments: vec![DepartmentStatus {
                department: "企画課".into(),
                measures: 3,
                issued_at: None,
                issued_file: None,
                received_at: None,
                received_file: None,
                approved_by: None,
                applied: 0,
                conflicts: 0,
                settled: 0,
                missing,
            }],
        }
    }

    #[test]
    fn the_reminder_writes_the_deadline_as_a_japanese_date() {
        let text = reminder_text(&board("2026-12-01", true));
        assert!(
            text.contains("令和８年度 下半期（締切 2026年12月1日）"),
            "{text}"
        );
        assert!(text.contains("・企画課"), "{text}");
        assert!(!reminder_text(&board("", true)).contains("締切"));
        assert!(reminder_text(&board("2026-12-01", false)).contains("すべての課から届いています"));
    }
}
