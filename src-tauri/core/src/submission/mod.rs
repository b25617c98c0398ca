//! Request packages and submissions: the departments' round trip, file format version 2
//! (docs/submission-format.md, docs/security.md).
//!
//! The coordinator issues a package per department (its measures, their values, the open
//! period) and keeps what it issued: the cells with their values and revisions, and a random
//! secret. The department fills the package in its own database and writes a submission signed
//! with that secret; the coordinator checks the signature and merges the cells it issued, with a
//! three-way merge per cell against its own record of the base.

//!
//! By seam: [`types`] (what the files hold), [`issuing`] (the coordinator's packages), the
//! [`department`] side (a database made from a package, and its submission), [`receiving`]
//! (authenticating and merging submissions), with the board and the next package beside them.

mod board;
mod department;
mod file;
mod file_names;
mod issuing;
mod receiving;
mod types;
mod update;

use crate::backup;
use crate::document::DocumentError;
use crate::store::StoreError;

pub use board::{board, reminder_text, Board, DepartmentStatus};
pub use department::{
    init_from_package, make_submission, package_of, write_submission, WrittenSubmission,
};
pub use file::FileError;
pub use file_names::{package_name_parts, MAX_NAME_BYTES, MAX_NAME_CHARS};
pub use issuing::{make_package, write_all_packages, write_package};
pub use receiving::{merge_files, parse_submission, FileOutcome};
pub use types::{
    Approval, BaseCell, FileKind, Package, Period, Submission, SubmittedCell, VERSION,
};
pub use update::{unsent_changes, update_from_package, PackageUpdate, UnsentCell};

use department::{Synced, MEASURE_IDS_SETTING, PACKAGE_SETTING};
use issuing::open_period;
use types::PACKAGE_FORMAT;

/// Why a package or submission could not be made or taken. Nothing is changed when one is.
#[derive(Debug, thiserror::Error)]
pub enum SubmissionError {
    #[error("担当課「{0}」はこの報告にありません")]
    UnknownDepartment(String),
    /// A department's name refused where it entered (`crate::name`).
    #[error(transparent)]
    Name(#[from] crate::name::NameError),
    /// A package asked for a department that a reorganisation made disappear.
    #[error("{gone}。{} のパッケージを作成してください", gone.successors_label())]
    DepartmentGone { gone: crate::master::DepartmentGone },
    #[error("受付中の期がありません。取りまとめ担当が期を開いてから作成してください")]
    NoOpenPeriod,
    #[error("このデータベースは提出用パッケージから作られていません（shinchoku init --package で作成してください）")]
    NotADepartmentDatabase,
    #[error("このデータベースは形式 1 のパッケージから作られています。取りまとめ担当から新しいパッケージを受け取り、shinchoku init --package で作り直してください")]
    OldPackage,
    #[error("安全な乱数を得られないため、パッケージを作れません: {0}")]
    Random(String),
    #[error("{file}: {reason}")]
    Refused { file: String, reason: String },
    /// A new package would replace changes the department never sent.
    #[error("{file} を取り込めません: 未提出の変更が {count} 件あります（{cells}）。取り込むと取りまとめの値に置き換わります。先に shinchoku submit で提出ファイルを作成して取りまとめ担当に送るか、破棄してよければ --discard-unsent を付けて実行してください。データベースは変更していません")]
    Unsent {
        file: String,
        count: usize,
        cells: String,
    },
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Backup(#[from] backup::BackupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn now() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}
