//! What a failed command sends to the UI: `{code, message, field}`, never a string to parse.
//!
//! The codes the UI branches on: `period_closed`, `not_owner`, `bad_indicator`, `too_long`
//! (a cell), `date` (a form's date), `database_busy` (from whichever action met the lock),
//! `import_department`; the others name the area that refused.

use serde::Serialize;
use shinchoku_core::backup::BackupError;
use shinchoku_core::document::DocumentError;
use shinchoku_core::edit::EditError;
use shinchoku_core::StoreError;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    /// A stable code the UI may branch on.
    pub code: &'static str,
    /// Japanese, for the user.
    pub message: String,
    /// The cell or form field to highlight: `measureId:year:field` for a cell.
    pub field: Option<String>,
}

impl CommandError {
    pub fn internal(message: &str) -> CommandError {
        CommandError {
            code: "internal",
            message: message.to_string(),
            field: None,
        }
    }

    /// A date the form's `field` holds that no spelling of a date matches.
    pub fn date(e: &shinchoku_core::wareki::DateError, field: &str) -> CommandError {
        CommandError {
            code: "date",
            message: e.to_string(),
            field: Some(field.to_string()),
        }
    }

    /// An area's own refusal, under the code of that area. The user reads the Japanese
    /// message; its causes in their own words (the OS's, SQLite's, the reader's, in English)
    /// go to the log only.
    fn of(code: &'static str, e: impl std::error::Error) -> CommandError {
        let mut causes = Vec::new();
        let mut cause = e.source();
        while let Some(c) = cause {
            causes.push(c.to_string());
            cause = c.source();
        }
        tracing::warn!(code, message = %e, ?causes, "refused");
        CommandError {
            code,
            message: e.to_string(),
            field: None,
        }
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        let code = match e {
            StoreError::Missing { .. } => "database_missing",
            StoreError::NotADatabase { .. } => "not_a_database",
            StoreError::TooNew { .. } => "database_too_new",
            StoreError::Busy { .. } => "database_busy",
            _ => "database",
        };
        CommandError::of(code, e)
    }
}

impl From<EditError> for CommandError {
    fn from(e: EditError) -> Self {
        let field = e
            .key()
            .map(|k| format!("{}:{}:{}", k.measure_id, k.year, k.field.code()));
        let code = match e {
            EditError::PeriodClosed { .. } => "period_closed",
            EditError::NotOwner { .. } => "not_owner",
            EditError::BadIndicator { .. } => "bad_indicator",
            EditError::TooLong { .. } => "too_long",
            EditError::Store(e) => return e.into(),
            _ => "edit",
        };
        CommandError {
            code,
            message: e.to_string(),
            field,
        }
    }
}

impl From<BackupError> for CommandError {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::Store(e) => e.into(),
            e => CommandError::of("backup", e),
        }
    }
}

impl From<shinchoku_core::export::ExportError> for CommandError {
    fn from(e: shinchoku_core::export::ExportError) -> Self {
        use shinchoku_core::export::ExportError;
        match e {
            ExportError::Store(e) => e.into(),
            e => CommandError::of("export", e),
        }
    }
}

impl From<shinchoku_core::publish::PublishError> for CommandError {
    fn from(e: shinchoku_core::publish::PublishError) -> Self {
        use shinchoku_core::publish::PublishError;
        match e {
            PublishError::Select(e) => e.into(),
            // Shown as an export's failure is: the message names the folder or the file.
            e => CommandError::of("export", e),
        }
    }
}

impl From<shinchoku_core::submission::SubmissionError> for CommandError {
    fn from(e: shinchoku_core::submission::SubmissionError) -> Self {
        use shinchoku_core::submission::SubmissionError;
        match e {
            SubmissionError::Store(e) => e.into(),
            SubmissionError::Backup(e) => e.into(),
            SubmissionError::Document(DocumentError::Store(e)) => e.into(),
            // The window asks: submit them first, or let them go.
            e @ SubmissionError::Unsent { .. } => CommandError::of("unsent", e),
            e => CommandError::of("submission", e),
        }
    }
}

impl From<shinchoku_core::merge::MergeError> for CommandError {
    fn from(e: shinchoku_core::merge::MergeError) -> Self {
        use shinchoku_core::merge::MergeError;
        match e {
            MergeError::Edit(e) => e.into(),
            MergeError::Store(e) => e.into(),
            e => CommandError::of("merge", e),
        }
    }
}

impl From<shinchoku_core::import::ImportError> for CommandError {
    fn from(e: shinchoku_core::import::ImportError) -> Self {
        use shinchoku_core::import::ImportError;
        match e {
            ImportError::Merge(e) => e.into(),
            ImportError::Backup(e) => e.into(),
            ImportError::Store(e) | ImportError::Document(DocumentError::Store(e)) => e.into(),
            // A return into an existing report names no department: the UI points at its
            // selector, in the window's words (the core's speaks of the command line's flag).
            ImportError::NotEmpty => CommandError {
                code: "import_department",
                message: "既存の報告に取り込むには、どの課の記入かを選んでください".into(),
                field: Some(IMPORT_DEPARTMENT_FIELD.into()),
            },
            // The department chosen for a return is wrong: the UI points at its selector.
            e @ (ImportError::UnknownDepartment(_) | ImportError::OtherDepartment { .. }) => {
                CommandError {
                    field: Some(IMPORT_DEPARTMENT_FIELD.into()),
                    ..CommandError::of("import_department", e)
                }
            }
            e => CommandError::of("import", e),
        }
    }
}

/// The form field of the department a returned sheet is imported as.
pub const IMPORT_DEPARTMENT_FIELD: &str = "import-department";

impl From<DocumentError> for CommandError {
    fn from(e: DocumentError) -> Self {
        match e {
            DocumentError::Store(e) => e.into(),
            e => CommandError::of("document", e),
        }
    }
}

impl From<shinchoku_core::term::TermError> for CommandError {
    fn from(e: shinchoku_core::term::TermError) -> Self {
        use shinchoku_core::term::TermError;
        match e {
            TermError::Store(e) => e.into(),
            TermError::Backup(e) => e.into(),
            e => CommandError::of("term", e),
        }
    }
}

impl From<shinchoku_core::master::MasterError> for CommandError {
    fn from(e: shinchoku_core::master::MasterError) -> Self {
        use shinchoku_core::master::MasterError;
        let code = match e {
            MasterError::WrongState { .. } => "period_state",
            MasterError::NoOpenPeriod => "no_open_period",
            MasterError::Store(e) => return e.into(),
            MasterError::Backup(e) => return e.into(),
            _ => "master",
        };
        CommandError {
            code,
            field: e.field().map(str::to_string),
            message: e.to_string(),
        }
    }
}
