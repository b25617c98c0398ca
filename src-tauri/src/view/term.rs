//! 管理: the past terms, a new term started, the record of who owned what, and the forms that
//! change them (a split, a measure's heading cells).

use serde::{Deserialize, Serialize};
use shinchoku_core::master;
use shinchoku_core::model::MeasureId;
use shinchoku_core::store::Reorganisation;
use shinchoku_core::term::{ArchivedTerm, TermStarted};
use shinchoku_core::wareki;

/// A new term was started.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TermStartedView {
    /// Where the past term's read-only copy is.
    pub archive: String,
    /// 令和３年度〜令和６年度
    pub archived_years_label: String,
    pub archived_measures: usize,
    /// 令和７年度
    pub first_year_label: String,
}

impl From<TermStarted> for TermStartedView {
    fn from(t: TermStarted) -> Self {
        TermStartedView {
            archive: t.archive.display().to_string(),
            archived_years_label: t.archived_years,
            archived_measures: t.archived_measures,
            first_year_label: wareki::fiscal_year_label(t.first_year),
        }
    }
}

/// A past term's read-only copy, as listed in 管理.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchivedTermView {
    pub path: String,
    pub title: String,
    /// 令和３年度〜令和６年度
    pub years_label: String,
    pub measures: usize,
    /// 2026年11月29日 10:15
    pub archived_at_label: String,
}

impl From<ArchivedTerm> for ArchivedTermView {
    fn from(t: ArchivedTerm) -> Self {
        ArchivedTermView {
            path: t.path.display().to_string(),
            title: t.title,
            years_label: t.years,
            measures: t.measures,
            archived_at_label: t.archived_at,
        }
    }
}

/// One recorded change of who owns what (the April reorganisation), newest last.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnershipChangeView {
    /// 2026年4月1日 10:05
    pub at_label: String,
    /// 統合, 分割, 改称, 移管, 終了
    pub kind_label: String,
    pub text: String,
}

impl From<&Reorganisation> for OwnershipChangeView {
    fn from(change: &Reorganisation) -> Self {
        OwnershipChangeView {
            at_label: wareki::datetime_label(&change.changed_at),
            kind_label: change.kind.label().to_string(),
            text: master::change_description(change),
        }
    }
}

/// One part of a split: the new (or existing) department and the measures that go to it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SplitPart {
    pub name: String,
    pub measures: Vec<MeasureId>,
}

/// A measure's heading cells as the form sends them: the pledge by number, the department by name.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeasureInput {
    pub pledge_number: u32,
    pub department: String,
    #[serde(default)]
    pub pledge_caption: String,
    pub content: String,
    #[serde(default)]
    pub target_date: String,
}
