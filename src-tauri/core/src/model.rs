//! The report as the domain sees it: departments, pledges, measures, fiscal years and their
//! halves, and the cells that departments fill in every half-year.
//!
//! A report is a grid of cells. Each cell is addressed by a [`CellKey`] (measure, fiscal year,
//! field), which is what the store, the history, submissions and the merge all speak of.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::wareki;

pub type DepartmentId = i64;
pub type PledgeId = i64;
pub type MeasureId = i64;

/// A 課 that owns measures. A measure owned jointly is owned by one department whose name joins
/// both (学校教育課・教育総務課), as the printed report does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
}

/// A numbered policy pledge (公約) of the mayor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pledge {
    pub id: PledgeId,
    /// ＮＯ. on the sheet, 1–45 in the sample.
    pub number: u32,
    pub title: String,
}

/// 実施内容: what one department does for a pledge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    pub id: MeasureId,
    pub pledge_id: PledgeId,
    pub department_id: DepartmentId,
    /// What the 公約 cell adds under the pledge's title for this measure (［松戸橋改築事業］), often empty.
    pub pledge_caption: String,
    pub content: String,
    /// 目標期日, free text ("R6.10", "未定", "年度ごとに達成度を確認").
    pub target_date: String,
    /// Order among all measures on the sheet.
    pub position: i64,
    /// The last fiscal year it reports on, once it has ended (終了); `None` while it goes on.
    pub last_year: Option<i32>,
}

impl Measure {
    /// Whether the measure reports on `year` ([`reports_in`]).
    pub fn reports_in(&self, year: i32) -> bool {
        reports_in(self.last_year, year)
    }
}

/// Whether a measure that reports until `last_year` ([`Measure::last_year`]) reports on `year`:
/// always, unless it ended before it. The writable years of a measure: a year after its end
/// takes no entries from anyone ([`check_writable`]).
pub fn reports_in(last_year: Option<i32>, year: i32) -> bool {
    last_year.is_none_or(|last| year <= last)
}

/// Who writes a cell, as the rules of writing see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role<'a> {
    Coordinator,
    /// A department, by name: it writes its own measures only.
    Department(&'a str),
}

/// Why a cell cannot be written by someone ([`check_writable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locked {
    /// Its period is closed (for a year's own cell: both halves are).
    Closed,
    /// The measure is another department's.
    NotOwner,
    /// The measure ended with `last_year`, before the cell's year.
    Ended { last_year: i32 },
}

/// The one rule of whether `role` may write the cell `field` of `year` in a measure owned by
/// `owner` that reports until `last_year`, checked in this order:
/// - the period is not closed ([`FiscalYear::is_writable`]);
/// - a department writes only its own measures;
/// - a year after a measure ended takes no entries: a department writes nothing in it, and
///   the coordinator only the year's note (a 備考 such as 終了), which the printed report
///   writes across a year instead of entries.
///
/// The edit, the department's sheet and its import, and packages all ask it.
pub fn check_writable(
    role: Role<'_>,
    owner: &str,
    last_year: Option<i32>,
    year: &FiscalYear,
    field: Field,
) -> Result<(), Locked> {
    if !year.is_writable(field) {
        return Err(Locked::Closed);
    }
    if let Role::Department(department) = role {
        if owner != department {
            return Err(Locked::NotOwner);
        }
    }
    if let Some(last) = last_year.filter(|&last| !reports_in(Some(last), year.year)) {
        let note = role == Role::Coordinator && field == Field::YearNote;
        if !note {
            return Err(Locked::Ended { last_year: last });
        }
    }
    Ok(())
}

/// 上半期 or 下半期 of a fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Half {
    H1,
    H2,
}

impl Half {
    pub const BOTH: [Half; 2] = [Half::H1, Half::H2];

    pub fn label(self) -> &'static str {
        match self {
            Half::H1 => "上半期",
            Half::H2 => "下半期",
        }
    }

    /// 上 or 下: the half in labels too small for 上半期.
    pub fn short_label(self) -> &'static str {
        match self {
            Half::H1 => "上",
            Half::H2 => "下",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Half::H1 => "H1",
            Half::H2 => "H2",
        }
    }

    /// The months of a normal year's half.
    pub fn default_months(self) -> Vec<u8> {
        match self {
            Half::H1 => vec![4, 5, 6, 7, 8, 9],
            Half::H2 => vec![10, 11, 12, 1, 2, 3],
        }
    }
}

impl fmt::Display for Half {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("半期「{0}」は H1（上半期）か H2（下半期）で指定してください")]
pub struct HalfParseError(pub String);

impl FromStr for Half {
    type Err = HalfParseError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim() {
            "H1" | "h1" | "1" | "上半期" | "上期" => Ok(Half::H1),
            "H2" | "h2" | "2" | "下半期" | "下期" => Ok(Half::H2),
            other => Err(HalfParseError(other.to_string())),
        }
    }
}

/// Whether a half-year can still be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodState {
    /// Not yet reached; the coordinator may prepare plans.
    Upcoming,
    /// The reporting period departments are writing now.
    Open,
    /// Submitted and locked; only a coordinator who reopens it can change it.
    Closed,
}

impl PeriodState {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodState::Upcoming => "upcoming",
            PeriodState::Open => "open",
            PeriodState::Closed => "closed",
        }
    }

    /// The state as the window, the CLI and the messages name it: 未開始, 入力中, 締切済み.
    pub fn label(self) -> &'static str {
        match self {
            PeriodState::Upcoming => "未開始",
            PeriodState::Open => "入力中",
            PeriodState::Closed => "締切済み",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "upcoming" => Some(PeriodState::Upcoming),
            "open" => Some(PeriodState::Open),
            "closed" => Some(PeriodState::Closed),
            _ => None,
        }
    }
}

/// A half of a fiscal year as a reporting period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HalfYear {
    pub half: Half,
    /// The calendar months it covers, in order (10, 11, 12 for a short first half).
    pub months: Vec<u8>,
    pub state: PeriodState,
    /// 締切 as free text (ISO date in practice), empty when none was set.
    pub deadline: String,
}

impl HalfYear {
    /// The months as printed under the half's header, on the sheet and the web page: "10 11 12".
    pub fn months_label(&self) -> String {
        self.months
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A 年度 of the report, named by the Gregorian year it starts in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalYear {
    pub year: i32,
    pub halves: [HalfYear; 2],
}

impl FiscalYear {
    /// 令和６年度
    pub fn label(&self) -> String {
        wareki::fiscal_year_label(self.year)
    }

    pub fn half(&self, half: Half) -> &HalfYear {
        &self.halves[half as usize]
    }

    pub fn half_mut(&mut self, half: Half) -> &mut HalfYear {
        &mut self.halves[half as usize]
    }

    /// A normal year with its halves in `states` (上半期, 下半期), for the core's tests.
    #[cfg(test)]
    pub(crate) fn with_states(year: i32, states: [PeriodState; 2]) -> FiscalYear {
        let mut fiscal_year = FiscalYear::new(year);
        for (half, state) in Half::BOTH.into_iter().zip(states) {
            fiscal_year.half_mut(half).state = state;
        }
        fiscal_year
    }

    /// Whether the period allows the cell `field` of this year to be written: a half's cells
    /// while that half is not closed, the year's own cells while either half is not.
    pub fn is_writable(&self, field: Field) -> bool {
        match field.half() {
            Some(half) => self.half(half).state != PeriodState::Closed,
            None => self.halves.iter().any(|h| h.state != PeriodState::Closed),
        }
    }
}

/// The period open for the departments: the one half whose state is [`PeriodState::Open`] (the
/// coordinator's actions keep it to one), with its fiscal year. The one rule of "which period is
/// open", for the store, the export, packages, the merge and the window alike.
pub fn open_half(years: &[FiscalYear]) -> Option<(&FiscalYear, &HalfYear)> {
    years.iter().find_map(|y| {
        y.halves
            .iter()
            .find(|h| h.state == PeriodState::Open)
            .map(|h| (y, h))
    })
}

/// The open period as (fiscal year, half) ([`open_half`]).
pub fn open_period(years: &[FiscalYear]) -> Option<(i32, Half)> {
    open_half(years).map(|(y, h)| (y.year, h.half))
}

/// 令和６年度 下半期
pub fn period_label(year: i32, half: Half) -> String {
    format!("{} {}", wareki::fiscal_year_label(year), half.label())
}

/// Which cell of a measure's fiscal-year block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// 年度目標
    AnnualTarget,
    /// 年度目標の指標 (the year's own indicator)
    AnnualIndicator,
    /// A note written across the whole year instead of its cells ("達成済", "R6年度より追加").
    YearNote,
    /// 計画(短期目標)
    Plan(Half),
    /// 進捗 指標
    Indicator(Half),
    /// 進捗 状況
    Status(Half),
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::AnnualTarget,
        Field::AnnualIndicator,
        Field::YearNote,
        Field::Plan(Half::H1),
        Field::Indicator(Half::H1),
        Field::Status(Half::H1),
        Field::Plan(Half::H2),
        Field::Indicator(Half::H2),
        Field::Status(Half::H2),
    ];

    /// The name stored in the database and used in files.
    pub fn code(self) -> &'static str {
        match self {
            Field::AnnualTarget => "annual_target",
            Field::AnnualIndicator => "annual_indicator",
            Field::YearNote => "year_note",
            Field::Plan(Half::H1) => "h1_plan",
            Field::Indicator(Half::H1) => "h1_indicator",
            Field::Status(Half::H1) => "h1_status",
            Field::Plan(Half::H2) => "h2_plan",
            Field::Indicator(Half::H2) => "h2_indicator",
            Field::Status(Half::H2) => "h2_status",
        }
    }

    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The half this cell belongs to, `None` for the year's own cells.
    pub fn half(self) -> Option<Half> {
        match self {
            Field::Plan(h) | Field::Indicator(h) | Field::Status(h) => Some(h),
            _ => None,
        }
    }

    pub fn is_indicator(self) -> bool {
        matches!(self, Field::AnnualIndicator | Field::Indicator(_))
    }

    /// How the sheet names the cell, for messages.
    pub fn label(self) -> String {
        match self {
            Field::AnnualTarget => "年度目標".into(),
            Field::AnnualIndicator => "年度目標の指標".into(),
            Field::YearNote => "年度の備考".into(),
            Field::Plan(h) => format!("{} 計画", h.label()),
            Field::Indicator(h) => format!("{} 指標", h.label()),
            Field::Status(h) => format!("{} 状況", h.label()),
        }
    }

    /// The cell's name for users, as the sheet's rows read without the year: 年度目標,
    /// 下半期 計画（短期目標）, 下半期 進捗指標, 下半期 進捗状況. (`label` is the shorter form
    /// the messages of the core were written with.)
    pub fn name(self) -> String {
        match self {
            Field::AnnualTarget => "年度目標".into(),
            Field::AnnualIndicator => "年度目標の指標".into(),
            Field::YearNote => "備考".into(),
            Field::Plan(h) => format!("{} 計画（短期目標）", h.label()),
            Field::Indicator(h) => format!("{} 進捗指標", h.label()),
            Field::Status(h) => format!("{} 進捗状況", h.label()),
        }
    }
}

/// A cell's full name within a measure's block: 令和６年度 下半期 進捗状況.
pub fn cell_label(year: i32, field: Field) -> String {
    format!("{} {}", wareki::fiscal_year_label(year), field.name())
}

/// A cell named as the sheet's rows name it, with its measure's pledge number and department:
/// No.3 企画課 令和６年度 下半期 進捗状況. What every message that names a cell says, never an
/// internal id.
pub fn cell_place(no: u32, department: &str, year: i32, field: Field) -> String {
    format!("No.{no} {department} {}", cell_label(year, field))
}

/// A year of a measure that holds a note and entries at once: the note and the first entry
/// in sheet order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearNoteClash {
    pub note: String,
    pub entry: Field,
}

/// The one rule of year notes: a year of a measure holds a note or entries, never both.
///
/// The printed report writes a note ("達成済" in the year after the measure was done,
/// "R6年度より追加" in the year before it began) across the year's whole block *instead of*
/// its 年度目標, 計画 and 進捗 (docs/sheet-format.md; every note of the printed report stands in
/// an empty year). Printing both would break that layout for council members who
/// know the report, and printing the note alone hid the entries: the sheet, the web page and
/// a sheet read back lost them. So the two exclude each other, and whichever comes second is
/// refused with why, wherever values enter: an edit (`set`, the window, a restore), a
/// department's return and the resolution of its conflicts, and a loaded document or sheet.
/// A clerk who means the note clears the year's entries first (in the same action, if they
/// like: the rule holds for the action's result, whatever the order of its cells).
///
/// `cells` are the year's values by field; blank ones do not count.
pub fn year_note_clash<'a>(
    cells: impl IntoIterator<Item = (Field, &'a str)>,
) -> Option<YearNoteClash> {
    let filled: Vec<(Field, &str)> = cells
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .collect();
    let note = filled.iter().find(|(f, _)| *f == Field::YearNote)?.1;
    let entry = Field::ALL
        .into_iter()
        .find(|&f| f != Field::YearNote && filled.iter().any(|(g, _)| *g == f))?;
    Some(YearNoteClash {
        note: note.to_string(),
        entry,
    })
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Field::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown field {code}")))
    }
}

/// The address of one cell of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellKey {
    pub measure_id: MeasureId,
    pub year: i32,
    pub field: Field,
}

/// A cell's value with the revision it was last written at; revisions feed the three-way merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellValue {
    pub key: CellKey,
    pub value: String,
    pub revision: i64,
}

/// Who changed something: recorded in the history of every cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Coordinator,
    Department(String),
}

impl Actor {
    /// The role the actor writes in.
    pub fn role(&self) -> Role<'_> {
        match self {
            Actor::Coordinator => Role::Coordinator,
            Actor::Department(name) => Role::Department(name),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Actor::Coordinator => "取りまとめ".to_string(),
            Actor::Department(name) => name.clone(),
        }
    }
}

/// Where a change came from, recorded with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// Typed in the app.
    App,
    /// Put back by the app's 元に戻す (the undo of the user's own last change).
    Undo,
    /// `shinchoku set` and other commands.
    CommandLine,
    /// Loaded from the built-in sample.
    Sample,
    /// A department's submission file, by file name.
    Submission(String),
    /// The coordinator's request package a department database was made or updated from.
    Package(String),
    /// An imported sheet, by file name.
    SheetImport(String),
    /// An earlier value restored from the history.
    Restore,
}

impl Source {
    pub fn label(&self) -> String {
        match self {
            Source::App => "アプリで編集".into(),
            Source::Undo => "アプリで元に戻す".into(),
            Source::CommandLine => "コマンドライン".into(),
            Source::Sample => "サンプル".into(),
            Source::Submission(file) => format!("提出ファイル {file}"),
            Source::Package(file) => format!("パッケージ {file}"),
            Source::SheetImport(file) => format!("シート取込 {file}"),
            Source::Restore => "履歴から復元".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_holds_a_note_or_entries_never_both() {
        let plan = Field::Plan(Half::H2);
        assert_eq!(year_note_clash([(Field::YearNote, "達成済")]), None);
        assert_eq!(
            year_note_clash([(plan, "計画"), (Field::AnnualTarget, "目標")]),
            None
        );
        assert_eq!(
            year_note_clash([(Field::YearNote, "達成済"), (plan, " ")]),
            None
        );
        assert_eq!(
            year_note_clash([
                (plan, "計画"),
                (Field::YearNote, "達成済"),
                (Field::AnnualTarget, "目標")
            ]),
            Some(YearNoteClash {
                note: "達成済".into(),
                entry: Field::AnnualTarget
            })
        );
    }

    fn year(year: i32, states: [PeriodState; 2]) -> FiscalYear {
        FiscalYear::with_states(year, states)
    }

    #[test]
    fn the_open_period_is_the_half_whose_state_is_open() {
        use PeriodState::{Closed, Open, Upcoming};
        let years = [year(2023, [Closed, Closed]), year(2024, [Closed, Open])];
        assert_eq!(open_period(&years), Some((2024, Half::H2)));
        assert_eq!(
            open_half(&years).map(|(y, h)| (y.year, h.half)),
            Some((2024, Half::H2))
        );
        assert_eq!(open_period(&[year(2025, [Upcoming, Closed])]), None);
        assert_eq!(open_period(&[]), None);
    }

    #[test]
    fn a_cell_is_writable_while_its_period_is_not_closed() {
        use PeriodState::{Closed, Open, Upcoming};
        let current = year(2024, [Closed, Open]);
        assert!(!current.is_writable(Field::Status(Half::H1)));
        assert!(current.is_writable(Field::Status(Half::H2)));
        assert!(current.is_writable(Field::AnnualTarget));
        assert!(year(2025, [Upcoming, Upcoming]).is_writable(Field::YearNote));
        assert!(!year(2023, [Closed, Closed]).is_writable(Field::AnnualTarget));
    }

    #[test]
    fn a_department_writes_its_own_measures_in_periods_not_closed() {
        use PeriodState::{Closed, Open};
        let current = year(2024, [Closed, Open]);
        let status = Field::Status(Half::H2);
        let planning = Role::Department("企画課");
        assert_eq!(
            check_writable(planning, "企画課", None, &current, status),
            Ok(())
        );
        assert_eq!(
            check_writable(planning, "道路課", None, &current, status),
            Err(Locked::NotOwner)
        );
        assert_eq!(
            check_writable(Role::Coordinator, "道路課", None, &current, status),
            Ok(())
        );
        // The period comes first: a closed half is closed to everyone.
        let h1 = Field::Status(Half::H1);
        for role in [planning, Role::Coordinator] {
            assert_eq!(
                check_writable(role, "道路課", None, &current, h1),
                Err(Locked::Closed)
            );
        }
    }

    /// The copies of this rule disagreed: the edit let the coordinator write any cell of a year
    /// after a measure ended, while the window, the department's sheet and packages took none.
    /// A retired measure takes no entries after its last year, from anyone; the coordinator
    /// may still write the year's note (a 備考 such as 終了).
    #[test]
    fn a_retired_measure_takes_no_entries_after_its_last_year() {
        use PeriodState::{Open, Upcoming};
        let later = year(2025, [Open, Upcoming]);
        let ended = Locked::Ended { last_year: 2024 };
        for field in Field::ALL {
            let department = check_writable(
                Role::Department("企画課"),
                "企画課",
                Some(2024),
                &later,
                field,
            );
            assert_eq!(department, Err(ended), "{field:?}");
            let coordinator =
                check_writable(Role::Coordinator, "企画課", Some(2024), &later, field);
            if field == Field::YearNote {
                assert_eq!(coordinator, Ok(()));
            } else {
                assert_eq!(coordinator, Err(ended), "{field:?}");
            }
        }
        // Its last year and the years before it stay writable; a measure that goes on reports on.
        let last = year(2024, [Open, Upcoming]);
        let h1 = Field::Status(Half::H1);
        assert_eq!(
            check_writable(Role::Coordinator, "企画課", Some(2024), &last, h1),
            Ok(())
        );
        assert_eq!(
            check_writable(Role::Department("企画課"), "企画課", Some(2024), &last, h1),
            Ok(())
        );
        assert!(reports_in(None, 2099));
        assert!(reports_in(Some(2024), 2024));
        assert!(!reports_in(Some(2024), 2025));
    }

    #[test]
    fn field_codes_round_trip() {
        for field in Field::ALL {
            assert_eq!(Field::from_code(field.code()), Some(field));
        }
        assert_eq!(Field::from_code("h3_plan"), None);
    }

    #[test]
    fn half_parses_codes_and_labels_and_rejects_others() {
        assert_eq!("H2".parse(), Ok(Half::H2));
        assert_eq!("上半期".parse(), Ok(Half::H1));
        assert!("H3".parse::<Half>().unwrap_err().to_string().contains("H3"));
    }

    #[test]
    fn period_label_reads_like_the_sheet() {
        assert_eq!(period_label(2024, Half::H2), "令和６年度 下半期");
    }

    #[test]
    fn cell_labels_name_the_row_as_the_sheet_prints_it() {
        let cases = [
            (Field::AnnualTarget, "令和６年度 年度目標"),
            (Field::AnnualIndicator, "令和６年度 年度目標の指標"),
            (Field::YearNote, "令和６年度 備考"),
            (Field::Plan(Half::H1), "令和６年度 上半期 計画（短期目標）"),
            (Field::Plan(Half::H2), "令和６年度 下半期 計画（短期目標）"),
            (Field::Indicator(Half::H2), "令和６年度 下半期 進捗指標"),
            (Field::Status(Half::H1), "令和６年度 上半期 進捗状況"),
            (Field::Status(Half::H2), "令和６年度 下半期 進捗状況"),
        ];
        for (field, label) in cases {
            assert_eq!(cell_label(2024, field), label);
        }
        assert_eq!(cell_label(2019, Field::YearNote), "令和元年度 備考");
    }
}
