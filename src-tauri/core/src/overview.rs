//! The term at a glance (全体の状況): how each measure, each pledge and the whole report stand
//! and have moved over every half-year of the report, rolled up from the indicators already
//! entered (nothing new to enter). The published page, the 集計 sheet and the window read it
//! from here, so they count alike.
//!
//! The definitions, kept simple on purpose (docs/overview.md says the same for readers):
//! - A measure **reports** in a half-year unless that year is after its last year (終了) or the
//!   year holds a note (備考: 「達成済」「R6年度より追加」), which stands instead of its entries.
//! - For each half-year a measure reports in, its 進捗 指標 is one of ☆ ○ △ ×, blank (空欄), or
//!   other text (その他: a dash with the reason there is no symbol). The counts of a half-year
//!   therefore add up to the measures reporting in it.
//! - A measure's **latest symbol** is the symbol of the newest half-year that has one.
//! - Its **change** at a half-year compares that half's symbol with the symbol of the half-year
//!   just before it, in the legend's order (☆ before ○ before △ before ×): 良くなった, 変わらない or
//!   悪くなった; a symbol after a half without one (blank, not reported, or the first half) is
//!   新しく記入. A half without a symbol has no change.
//! - A pledge's **state** counts its measures by their latest symbols: 「3 件中 ☆1 ○1 △1」, with
//!   「記号なし」 for measures that have none yet, so the parts add up to its measures.
//! - A pledge **needs attention** when a measure's latest symbol is △ or ×, or its latest
//!   change is 悪くなった.
//!
//! No weights and no scores: the counts are what the departments wrote.

use std::fmt::Write as _;

use crate::indicator::{Indicator, IndicatorCell};
use crate::model::{period_label, Field, Half, Measure, MeasureId, PledgeId};
use crate::report::Report;

/// Where a blank and an other text are counted in [`Counts`], after the four symbols.
pub const BLANK: usize = 4;
pub const OTHER: usize = 5;

/// Counts of indicator cells: ☆ ○ △ × (in the legend's order, [`Indicator::ALL`]), then blanks
/// and other texts (a dash with a reason).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts(pub [u32; 6]);

impl Counts {
    /// Counts one indicator cell by its text as stored.
    pub fn add(&mut self, text: &str) {
        let slot = match IndicatorCell::parse(text) {
            Ok(None) => BLANK,
            Ok(Some(IndicatorCell::Mark(mark))) => slot_of(mark),
            _ => OTHER,
        };
        self.0[slot] += 1;
    }

    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }

    /// How many hold this symbol.
    pub fn of(&self, mark: Indicator) -> u32 {
        self.0[slot_of(mark)]
    }

    pub fn plus(mut self, other: &Counts) -> Counts {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
        self
    }
}

fn slot_of(mark: Indicator) -> usize {
    Indicator::ALL
        .iter()
        .position(|m| *m == mark)
        .unwrap_or(OTHER)
}

/// A half-year of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub half: Half,
}

impl Period {
    /// 令和６年度 下半期
    pub fn label(self) -> String {
        period_label(self.year, self.half)
    }

    /// R6下: the half under a glyph in a row of small glyphs.
    pub fn short_label(self) -> String {
        format!(
            "{}{}",
            crate::wareki::fiscal_year_initial(self.year),
            self.half.short_label()
        )
    }
}

/// What a measure's 進捗 指標 says in one half-year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// The year is after the measure's last year (終了): it no longer reports.
    Ended,
    /// The year holds a note instead of entries (達成済, R6年度より追加): it does not report.
    Note(String),
    /// Reports, but nothing is written yet.
    Blank,
    Mark(Indicator),
    /// A dash with the reason there is no symbol (‐（未公表のため）), as written.
    Other(String),
}

impl Entry {
    /// Whether the half counts for this measure (see the module's definitions).
    pub fn reports(&self) -> bool {
        !matches!(self, Entry::Ended | Entry::Note(_))
    }

    pub fn mark(&self) -> Option<Indicator> {
        match self {
            Entry::Mark(mark) => Some(*mark),
            _ => None,
        }
    }

    /// What is shown for it in a row of small glyphs: the symbol, the dash of a reason, or
    /// nothing.
    pub fn glyph(&self) -> &str {
        match self {
            Entry::Mark(mark) => mark.glyph(),
            Entry::Other(_) => "‐",
            Entry::Ended | Entry::Note(_) | Entry::Blank => "",
        }
    }

    /// What it means, in words: 計画どおり進行中, 記入なし, 終了後, the note or reason as written.
    pub fn meaning(&self) -> &str {
        match self {
            Entry::Mark(mark) => mark.meaning(),
            Entry::Blank => "記入なし",
            Entry::Ended => "終了後",
            Entry::Note(text) | Entry::Other(text) => text,
        }
    }

    /// The text alternative of its glyph: 「令和６年度 下半期：計画どおり進行中」.
    pub fn describe(&self, period: Period) -> String {
        format!("{}：{}", period.label(), self.meaning().replace('\n', " "))
    }
}

/// How a half's symbol compares with the one of the half-year before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    Better,
    Same,
    Worse,
    /// A symbol after a half without one.
    New,
}

impl Change {
    pub const ALL: [Change; 4] = [Change::Better, Change::Same, Change::Worse, Change::New];

    pub fn label(self) -> &'static str {
        match self {
            Change::Better => "良くなった",
            Change::Same => "変わらない",
            Change::Worse => "悪くなった",
            Change::New => "新しく記入",
        }
    }

    /// The change from `before` to `now`; `None` when `now` has no symbol.
    pub fn between(before: Option<Indicator>, now: Option<Indicator>) -> Option<Change> {
        let now = now?;
        Some(match before {
            None => Change::New,
            // The legend's order runs from ☆ (best) to × (`Indicator`'s `Ord`).
            Some(before) if now < before => Change::Better,
            Some(before) if now > before => Change::Worse,
            Some(_) => Change::Same,
        })
    }
}

/// A measure's symbol that stands now: the newest one written, with its half and change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latest {
    /// Index into [`Overview::periods`].
    pub period: usize,
    pub mark: Indicator,
    pub change: Change,
}

/// One measure over every half-year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureOverview {
    pub id: MeasureId,
    pub pledge_id: PledgeId,
    /// Its 課's name.
    pub department: String,
    pub content: String,
    /// By period, as [`Overview::periods`].
    pub entries: Vec<Entry>,
    pub latest: Option<Latest>,
    /// The 状況 of the newest half it reports in that has one, with that half's index.
    pub latest_status: Option<(usize, String)>,
}

impl MeasureOverview {
    /// Its change at each period, as [`Overview::periods`].
    pub fn changes(&self) -> Vec<Option<Change>> {
        (0..self.entries.len())
            .map(|p| {
                let before = p.checked_sub(1).and_then(|b| self.entries[b].mark());
                Change::between(before, self.entries[p].mark())
            })
            .collect()
    }

    /// The first line of its latest 状況 with its half: 「令和６年度 上半期：…」; "" for none.
    pub fn status_line(&self, periods: &[Period]) -> String {
        let Some((p, status)) = &self.latest_status else {
            return String::new();
        };
        let first = status.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let more = if status.trim().lines().count() > 1 {
            "…"
        } else {
            ""
        };
        let when = periods.get(*p).map(|p| p.label()).unwrap_or_default();
        format!("{when}：{}{more}", first.trim())
    }

    /// Its latest symbol in words: 「○ 計画どおり進行中（令和６年度 上半期、前の半期から変わらない）」,
    /// or that it has none yet.
    pub fn latest_words(&self, periods: &[Period]) -> String {
        let Some(latest) = self.latest else {
            return NO_SYMBOL_YET.to_string();
        };
        let when = periods
            .get(latest.period)
            .map(|p| p.label())
            .unwrap_or_default();
        let change = match latest.change {
            Change::New => Change::New.label().to_string(),
            other => format!("前の半期から{}", other.label()),
        };
        format!(
            "{} {}（{when}、{change}）",
            latest.mark.glyph(),
            latest.mark.meaning()
        )
    }

    /// △ or × now, or worse than the half before.
    pub fn needs_attention(&self) -> bool {
        self.latest.is_some_and(|l| {
            matches!(l.mark, Indicator::Delayed | Indicator::NotStarted)
                || l.change == Change::Worse
        })
    }
}

/// What a measure without any symbol says instead of its latest one.
pub const NO_SYMBOL_YET: &str = "まだ記号の記入がありません";

/// One pledge: its measures (of those rolled up) and their counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeOverview {
    pub id: PledgeId,
    pub number: u32,
    pub title: String,
    /// Indexes into [`Overview::measures`], in sheet order.
    pub measures: Vec<usize>,
    /// By period: its measures' indicators in the halves they report in.
    pub counts: Vec<Counts>,
    /// By period: how many of its measures' symbols changed which way (in [`Change::ALL`]'s
    /// order).
    pub changes: Vec<[u32; 4]>,
    /// Its measures by their latest symbol; those without one count as blank.
    pub latest: Counts,
    pub needs_attention: bool,
}

impl PledgeOverview {
    /// 「3 件中 ☆1 ○1 △1」: its measures by their latest symbols, 「記号なし」 for those without.
    pub fn state(&self) -> String {
        let mut text = format!("{} 件中", self.measures.len());
        for mark in Indicator::ALL {
            let n = self.latest.of(mark);
            if n > 0 {
                let _ = write!(text, " {}{n}", mark.glyph());
            }
        }
        let none = self.latest.0[BLANK];
        if none > 0 {
            let _ = write!(text, " 記号なし{none}");
        }
        text
    }
}

/// The roll-up of a report over every half-year of its fiscal years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// Every half of every fiscal year of the report, oldest first.
    pub periods: Vec<Period>,
    /// In sheet order.
    pub measures: Vec<MeasureOverview>,
    /// By number; only pledges with a measure rolled up.
    pub pledges: Vec<PledgeOverview>,
    /// By period: every measure reporting in it.
    pub totals: Vec<Counts>,
    /// By period: how many measures' symbols changed which way (in [`Change::ALL`]'s order).
    pub changes: Vec<[u32; 4]>,
    /// Every measure by its latest symbol; those without one count as blank.
    pub latest: Counts,
}

impl Overview {
    /// The roll-up of every measure of the report.
    pub fn of(report: &Report) -> Overview {
        let measures: Vec<&Measure> = report.measures.iter().collect();
        Overview::new(report, &measures)
    }

    /// The roll-up of `measures` (in sheet order) over every half-year of the report.
    pub fn new(report: &Report, measures: &[&Measure]) -> Overview {
        let periods: Vec<Period> = report
            .years
            .iter()
            .flat_map(|y| Half::BOTH.map(|half| Period { year: y.year, half }))
            .collect();
        let measures: Vec<MeasureOverview> = measures
            .iter()
            .map(|m| measure(report, m, &periods))
            .collect();
        let mut totals = vec![Counts::default(); periods.len()];
        let mut changes = vec![[0u32; 4]; periods.len()];
        let mut latest = Counts::default();
        for m in &measures {
            add_entries(&mut totals, &m.entries);
            add_changes(&mut changes, m);
            add_latest(&mut latest, m);
        }
        let mut pledges: Vec<PledgeOverview> = report
            .pledges
            .iter()
            .filter_map(|p| {
                let mine: Vec<usize> = (0..measures.len())
                    .filter(|&i| measures[i].pledge_id == p.id)
                    .collect();
                if mine.is_empty() {
                    return None;
                }
                let mut counts = vec![Counts::default(); periods.len()];
                let mut changes = vec![[0u32; 4]; periods.len()];
                let mut latest = Counts::default();
                for &i in &mine {
                    add_entries(&mut counts, &measures[i].entries);
                    add_changes(&mut changes, &measures[i]);
                    add_latest(&mut latest, &measures[i]);
                }
                Some(PledgeOverview {
                    id: p.id,
                    number: p.number,
                    title: p.title.clone(),
                    needs_attention: mine.iter().any(|&i| measures[i].needs_attention()),
                    measures: mine,
                    counts,
                    changes,
                    latest,
                })
            })
            .collect();
        pledges.sort_by_key(|p| p.number);
        Overview {
            periods,
            measures,
            pledges,
            totals,
            changes,
            latest,
        }
    }

    /// The newest half-year in which any measure has a symbol (the open half stays blank until
    /// the departments report); `None` while none has.
    pub fn newest_marked(&self) -> Option<usize> {
        self.totals
            .iter()
            .rposition(|c| Indicator::ALL.iter().any(|&m| c.of(m) > 0))
    }
}

fn change_slot(change: Change) -> usize {
    Change::ALL
        .iter()
        .position(|c| *c == change)
        .unwrap_or_default()
}

fn add_entries(counts: &mut [Counts], entries: &[Entry]) {
    for (count, entry) in counts.iter_mut().zip(entries) {
        let slot = match entry {
            Entry::Ended | Entry::Note(_) => continue,
            Entry::Blank => BLANK,
            Entry::Mark(mark) => slot_of(*mark),
            Entry::Other(_) => OTHER,
        };
        count.0[slot] += 1;
    }
}

fn add_changes(changes: &mut [[u32; 4]], measure: &MeasureOverview) {
    for (slots, change) in changes.iter_mut().zip(measure.changes()) {
        if let Some(change) = change {
            slots[change_slot(change)] += 1;
        }
    }
}

fn add_latest(counts: &mut Counts, measure: &MeasureOverview) {
    let slot = measure.latest.map_or(BLANK, |l| slot_of(l.mark));
    counts.0[slot] += 1;
}

fn measure(report: &Report, m: &Measure, periods: &[Period]) -> MeasureOverview {
    let entries: Vec<Entry> = periods
        .iter()
        .map(|p| {
            if !m.reports_in(p.year) {
                return Entry::Ended;
            }
            let note = report.value(m.id, p.year, Field::YearNote);
            if !note.trim().is_empty() {
                return Entry::Note(note.to_string());
            }
            let value = report.value(m.id, p.year, Field::Indicator(p.half));
            match IndicatorCell::parse(value) {
                Ok(None) => Entry::Blank,
                Ok(Some(IndicatorCell::Mark(mark))) => Entry::Mark(mark),
                Ok(Some(IndicatorCell::Withheld(text))) => Entry::Other(text),
                // Text the store should not hold; counted, never hidden.
                Err(_) => Entry::Other(value.to_string()),
            }
        })
        .collect();
    let latest = entries
        .iter()
        .rposition(|e| e.mark().is_some())
        .and_then(|p| {
            let before = p.checked_sub(1).and_then(|b| entries[b].mark());
            let mark = entries[p].mark()?;
            Some(Latest {
                period: p,
                mark,
                change: Change::between(before, Some(mark))?,
            })
        });
    let latest_status = periods
        .iter()
        .enumerate()
        .rev()
        .filter(|(p, _)| entries[*p].reports())
        .find_map(|(p, period)| {
            let status = report.value(m.id, period.year, Field::Status(period.half));
            (!status.trim().is_empty()).then(|| (p, status.to_string()))
        });
    MeasureOverview {
        id: m.id,
        pledge_id: m.pledge_id,
        department: report.department_name(m.department_id).to_string(),
        content: m.content.clone(),
        entries,
        latest,
        latest_status,
    }
}

#[cfg(test)]
mod tests;
