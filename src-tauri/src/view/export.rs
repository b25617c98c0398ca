//! What the window's exports answer: the sheet or CSV written, and the published page.

use serde::Serialize;
use shinchoku_core::export;
use shinchoku_core::publish;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportDone {
    pub path: String,
    pub measures: usize,
    /// 令和５年度・令和６年度
    pub years: String,
    pub pages: usize,
}

impl From<&export::ExportSummary> for ExportDone {
    fn from(summary: &export::ExportSummary) -> Self {
        ExportDone {
            path: summary.path.display().to_string(),
            measures: summary.measures,
            years: summary.years_label(),
            pages: summary.pages,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishDone {
    /// The page written (`…/index.html`).
    pub page: String,
    pub measures: usize,
    /// 令和５年度・令和６年度
    pub years: String,
}

impl From<&publish::PublishSummary> for PublishDone {
    fn from(summary: &publish::PublishSummary) -> Self {
        PublishDone {
            page: summary.page.display().to_string(),
            measures: summary.measures,
            years: summary.years_label(),
        }
    }
}
