//! The coordinator's master data: pledges, measures, departments, fiscal years with their halves,
//! and the reporting period (open, close, reopen, start the next one). Every function is one
//! user action, so one transaction and one report revision; a refusal writes nothing.
//!
//! By seam: [`periods`] (fiscal years, their months and the reporting period), [`catalogue`]
//! (departments, pledges and measures as they are added and edited) and [`reorganisation`] (the
//! April changes of owner, and the answers they give to what was issued before). The refusals of
//! all three are one [`MasterError`].

mod catalogue;
mod periods;
mod reorganisation;

pub use catalogue::{
    add_department, add_measure, edit_measure, move_measure, put_pledge, MeasureForm,
};
pub use periods::{
    add_fiscal_year, close_period, open_period, parse_months, reopen_period, set_deadline,
    set_half_months, start_next_period,
};
pub use reorganisation::{
    change_description, department_gone, merge_departments, missing_department, parse_split_part,
    rename_department, retire_measure, split_department, superseded_package, transfer_measure,
    DepartmentGone, Reorganised,
};

use crate::model::{DepartmentId, MeasureId, PledgeId};
use crate::name::NameError;
use crate::store::StoreError;
use crate::wareki::fiscal_year_label;

/// Why a change of the master data was refused.
#[derive(Debug, thiserror::Error)]
pub enum MasterError {
    /// The report has no such fiscal year.
    #[error("{year} 年度（{label}）はこの報告にありません", label = fiscal_year_label(*year))]
    UnknownYear { year: i32 },
    /// The fiscal year exists already; adding it again would reset its halves.
    #[error("{label} は既にあります", label = fiscal_year_label(*year))]
    YearExists { year: i32 },
    /// A half's months must be calendar months, at least one.
    #[error("{period} の月「{months}」は 1〜12 の月を 1 つ以上指定してください")]
    BadMonths { period: String, months: String },
    /// Months typed in a form no reader of ours understands.
    #[error("月「{text}」は読めません。4-9、10-3（翌年3月まで）、4,5,6 のように指定してください")]
    UnreadableMonths { text: String },
    /// One month in both halves of a year (or twice in one): its reports would overlap.
    #[error("{label} の {month}月 が 2 回指定されています（上半期と下半期の月は重ならないように指定してください）", label = fiscal_year_label(*year))]
    MonthTwice { year: i32, month: u8 },
    /// A 上半期 month after a 下半期 month of the same fiscal year (April to March).
    #[error("{label} の上半期の月は下半期の月より前（4月から3月の順）にしてください", label = fiscal_year_label(*year))]
    HalvesOutOfOrder { year: i32 },
    /// A month between the first and the last of the year that neither half covers.
    #[error("{label} の {months} がどちらの半期にも入っていません。上半期と下半期で続いた月を指定してください（通年は 4-9 と 10-3）", label = fiscal_year_label(*year))]
    MonthsMissing { year: i32, months: String },
    /// A 締切 that is not a date as stored (`YYYY-MM-DD`).
    #[error("{period} の締切「{deadline}」は日付として読めません")]
    UnreadableDeadline { period: String, deadline: String },
    /// A 締切 outside the period's fiscal year and the one after it.
    #[error("{period} の締切 {deadline} は {from}〜{to}（その年度から 2 年後の年度末まで）の日付にしてください")]
    DeadlineOutOfRange {
        period: String,
        deadline: String,
        from: String,
        to: String,
    },
    /// Only a closed period can be reopened; only an open one closed.
    #[error("{period} は{state}のため、この操作はできません")]
    WrongState { period: String, state: &'static str },
    /// `start_next_period` needs an open period to move on from.
    #[error("入力中の期がありません。先に期を開いてください")]
    NoOpenPeriod,
    /// A name or a title may not be empty.
    #[error("{what}を入力してください")]
    Empty { what: &'static str },
    /// Pledge numbers are 1, 2, 3…
    #[error("公約番号 {0} は使えません（1 以上の番号を指定してください）")]
    BadPledgeNumber(u32),
    #[error("実施内容 ID {0} はありません")]
    UnknownMeasure(MeasureId),
    #[error("担当課 ID {0} はありません")]
    UnknownDepartment(DepartmentId),
    #[error("公約 ID {0} はありません")]
    UnknownPledge(PledgeId),
    /// A department named in a reorganisation that the report does not have.
    #[error("担当課「{0}」はこの報告にありません")]
    NoSuchDepartment(String),
    /// A department that a reorganisation made disappear, named again.
    #[error("{0}。現在の課を指定してください")]
    Gone(DepartmentGone),
    /// A rename to the name of another department of the report.
    #[error("{0} は既にあります。2 つの課を 1 つにするときは shinchoku department merge を使ってください")]
    DepartmentExists(String),
    /// `department merge` with nothing to merge.
    #[error("{into} に統合する課を 1 つ以上指定してください")]
    NothingToMerge { into: String },
    /// The target of a merge also named as one of the departments merged into it.
    #[error(
        "統合先の {0} が統合する課にも指定されています。統合先は --into だけに指定してください"
    )]
    MergeIntoItself(String),
    /// A split that names the department being split as one of its parts.
    #[error(
        "{0} を {0} 自身に分割することはできません（指定しなかった実施内容は {0} に残ります）"
    )]
    SplitIntoItself(String),
    /// A `--to` of a split that no reader of ours understands.
    #[error("分割先「{text}」は読めません。新しい課名:ID,ID のように指定してください（ID は shinchoku list の [ID n]）")]
    UnreadableSplit { text: String },
    /// One measure given to two departments in one split.
    #[error("実施内容 ID {0} が 2 つの分割先に指定されています")]
    MeasureTwice(MeasureId),
    /// A measure named in a split or a move that another department owns.
    #[error(
        "実施内容 ID {measure_id} は {owner} の担当です（{department} の実施内容ではありません）"
    )]
    NotOwnedBy {
        measure_id: MeasureId,
        owner: String,
        department: String,
    },
    /// A measure moved to the department that owns it.
    #[error("実施内容 ID {measure_id} は既に {department} の担当です")]
    AlreadyOwned {
        measure_id: MeasureId,
        department: String,
    },
    /// `measure retire` without a year when no period is open to take it from.
    #[error("入力中の期がないため、終了する年度が決められません。--after で最後の年度を指定してください")]
    NoLastYear,
    /// A measure ended before a year it already has entries in.
    #[error("実施内容 ID {measure_id} には {} の記入があるため、{} で終了にはできません。先にその欄を消すか、{} 以降で終了にしてください", fiscal_year_label(*written), fiscal_year_label(*last_year), fiscal_year_label(*written))]
    WrittenAfterEnd {
        measure_id: MeasureId,
        last_year: i32,
        written: i32,
    },
    /// A name refused where it entered: invisible characters, too long, or another spelling of
    /// an existing department (empty names are [`MasterError::Empty`]).
    #[error(transparent)]
    Name(NameError),
    /// A year outside the years a report can hold.
    #[error(transparent)]
    Year(#[from] crate::wareki::YearError),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<NameError> for MasterError {
    fn from(e: NameError) -> MasterError {
        match e {
            NameError::Empty { what } => MasterError::Empty { what },
            e => MasterError::Name(e),
        }
    }
}

impl MasterError {
    /// The form field the UI should highlight.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            MasterError::BadMonths { .. }
            | MasterError::UnreadableMonths { .. }
            | MasterError::MonthTwice { .. }
            | MasterError::HalvesOutOfOrder { .. }
            | MasterError::MonthsMissing { .. } => Some("months"),
            MasterError::UnreadableDeadline { .. } | MasterError::DeadlineOutOfRange { .. } => {
                Some("deadline")
            }
            MasterError::Empty { what } => Some(what),
            MasterError::Name(e) => Some(e.field()),
            MasterError::BadPledgeNumber(_) => Some("number"),
            MasterError::NoSuchDepartment(_)
            | MasterError::Gone(_)
            | MasterError::DepartmentExists(_)
            | MasterError::MergeIntoItself(_)
            | MasterError::SplitIntoItself(_)
            | MasterError::AlreadyOwned { .. } => Some("department"),
            MasterError::YearExists { .. }
            | MasterError::UnknownYear { .. }
            | MasterError::Year(_) => Some("year"),
            _ => None,
        }
    }
}
