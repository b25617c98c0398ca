//! The term at a glance (一覧 / 全体の状況): each pledge's state and each measure's symbols over
//! every half-year, from the core's roll-up. Every word is made here or in the core, so the
//! window only lays them out.

use serde::Serialize;
use shinchoku_core::overview::{MeasureOverview, Overview, PledgeOverview};

/// The whole report, a pledge at a time.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverviewView {
    /// Every half-year, oldest first: 令和６年度 下半期, with its short form (R6下).
    pub periods: Vec<PeriodView>,
    /// By number.
    pub pledges: Vec<PledgeLineView>,
    /// How many measures need attention (△ or × now, or worse than the half before).
    pub attention: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodView {
    pub label: String,
    pub short_label: String,
}

/// A pledge's line: its number, title and state 「3 件中 ☆1 ○1 △1」, then its measures.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PledgeLineView {
    pub no: u32,
    /// The first line of its title (the rest is its caption).
    pub title: String,
    pub state: String,
    pub needs_attention: bool,
    pub measures: Vec<MeasureLineView>,
}

/// A measure's line: its department, its symbols over the half-years, how its latest symbol
/// moved, and its latest status's first line.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeasureLineView {
    pub id: i64,
    pub department: String,
    /// The first line of what it does.
    pub content: String,
    /// By period: the glyph shown ('' for none) and its words (令和６年度 下半期：計画どおり進行中).
    pub marks: Vec<MarkView>,
    /// Its latest symbol in words, with its half and how it moved:
    /// 「○ 計画どおり進行中（令和６年度 上半期、前の半期から変わらない）」.
    pub latest: String,
    pub needs_attention: bool,
    /// Its latest status's first line with its half (「令和６年度 上半期：…」), or "".
    pub status: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MarkView {
    pub glyph: String,
    pub description: String,
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string()
}

impl OverviewView {
    pub fn from_overview(overview: &Overview) -> OverviewView {
        let measure_line = |m: &MeasureOverview| MeasureLineView {
            id: m.id,
            department: m.department.clone(),
            content: first_line(&m.content),
            marks: m
                .entries
                .iter()
                .zip(&overview.periods)
                .map(|(entry, period)| MarkView {
                    glyph: entry.glyph().to_string(),
                    description: entry.describe(*period),
                })
                .collect(),
            latest: m.latest_words(&overview.periods),
            needs_attention: m.needs_attention(),
            status: m.status_line(&overview.periods),
        };
        let pledge_line = |p: &PledgeOverview| PledgeLineView {
            no: p.number,
            title: first_line(&p.title),
            state: p.state(),
            needs_attention: p.needs_attention,
            measures: p
                .measures
                .iter()
                .map(|&i| measure_line(&overview.measures[i]))
                .collect(),
        };
        OverviewView {
            periods: overview
                .periods
                .iter()
                .map(|p| PeriodView {
                    label: p.label(),
                    short_label: p.short_label(),
                })
                .collect(),
            pledges: overview.pledges.iter().map(pledge_line).collect(),
            attention: overview
                .measures
                .iter()
                .filter(|m| m.needs_attention())
                .count(),
        }
    }
}
