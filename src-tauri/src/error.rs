//! What a failed command sends to the UI: `{code, message, field}`, never a string to parse.

use serde::Serialize;
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
        CommandError {
            code,
            message: e.to_string(),
            field: None,
        }
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
            _ => "edit",
        };
        CommandError {
            code,
            message: e.to_string(),
            field,
        }
    }
}

impl From<shinchoku_core::export::ExportError> for CommandError {
    fn from(e: shinchoku_core::export::ExportError) -> Self {
        CommandError {
            code: "export",
            message: e.to_string(),
            field: None,
        }
    }
}

impl From<shinchoku_core::submission::SubmissionError> for CommandError {
    fn from(e: shinchoku_core::submission::SubmissionError) -> Self {
        CommandError {
            code: "submission",
            message: e.to_string(),
            field: None,
        }
    }
}

impl From<shinchoku_core::merge::MergeError> for CommandError {
    fn from(e: shinchoku_core::merge::MergeError) -> Self {
        match e {
            shinchoku_core::merge::MergeError::Edit(e) => e.into(),
            e => CommandError {
                code: "merge",
                message: e.to_string(),
                field: None,
            },
        }
    }
}

impl From<shinchoku_core::import::ImportError> for CommandError {
    fn from(e: shinchoku_core::import::ImportError) -> Self {
        CommandError {
            code: "import",
            message: e.to_string(),
            field: None,
        }
    }
}

impl From<DocumentError> for CommandError {
    fn from(e: DocumentError) -> Self {
        CommandError {
            code: "document",
            message: e.to_string(),
            field: None,
        }
    }
}

impl From<shinchoku_core::master::MasterError> for CommandError {
    fn from(e: shinchoku_core::master::MasterError) -> Self {
        use shinchoku_core::master::MasterError;
        let code = match e {
            MasterError::WrongState { .. } => "period_state",
            MasterError::NoOpenPeriod => "no_open_period",
            _ => "master",
        };
        CommandError {
            code,
            field: e.field().map(str::to_string),
            message: e.to_string(),
        }
    }
}
