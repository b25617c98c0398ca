//! Tauri commands, one file per feature. Each takes the state, calls one core function and maps
//! the error; nothing here decides a rule.

pub mod app;
pub mod cells;
pub mod export;
pub mod import;
pub mod master;
pub mod publish;
pub mod report;
pub mod submission;
pub mod term;

use shinchoku_core::wareki;

use crate::error::CommandError;

/// A date typed in a form, read by the core's one reader of typed dates
/// ([`wareki::parse_date_to_iso`], shared with the command line); what is no date is refused
/// naming the form's `field`, the one the window highlights.
fn iso_date(text: &str, field: &str) -> Result<String, CommandError> {
    wareki::parse_date_to_iso(text).map_err(|e| CommandError::date(&e, field))
}

#[cfg(test)]
mod tests {
    use super::iso_date;

    #[test]
    fn typed_dates_reach_the_core_as_iso_and_blank_stays_blank() {
        for typed in [
            "2026-11-29",
            "2026/11/29",
            "2026年11月29日",
            "令和８年１１月２９日",
            "R8.11.29",
            " R8/11/29 ",
        ] {
            assert_eq!(
                iso_date(typed, "deadline").unwrap(),
                "2026-11-29",
                "{typed}"
            );
        }
        assert_eq!(iso_date("  ", "deadline").unwrap(), "");
    }

    #[test]
    fn an_unreadable_date_names_its_form_field() {
        let err = iso_date(" 2026年2月30日 ", "approvedOn").unwrap_err();
        assert_eq!(err.code, "date");
        assert_eq!(err.field.as_deref(), Some("approvedOn"));
        assert!(
            err.message
                .starts_with("「2026年2月30日」は日付として読めません。"),
            "{}",
            err.message
        );
    }
}
