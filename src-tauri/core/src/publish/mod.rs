//! The report as a static web page for the city's website: `index.html`, one stylesheet and two
//! CSV files of open data (the report's rows, and the roll-up by pledge and half) in one folder, with no script, nothing loaded from elsewhere and no image but
//! inline SVG.
//!
//! Like the sheet, the page is a pure mapping from the [`Report`] ([`html`], [`chart`]) built
//! from the same pieces (the selection of years, the sheet's title, the tally's counts, the
//! legend's meanings, the CSV) followed by one safe save per file. The same report gives the same
//! bytes: nothing in the page comes from the clock. The stylesheet holds the print layout: A3
//! landscape, the header rows repeated on every page and no measure split across two pages.

mod chart;
mod html;
pub mod summary;

use std::path::{Path, PathBuf};

use crate::export::{self, csv, ExportError, ExportOptions, Selection};
use crate::overview::Overview;
use crate::report::Report;
use crate::safe_save::{self, SaveError};
use crate::wareki;

/// Appends `text` escaped for an element or an attribute value: the page's markup and the
/// chart's SVG alike.
pub fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // A control character other than tab and line breaks is no text a page may hold.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// The page, named as a web server serves a folder.
pub const PAGE: &str = "index.html";
/// The one stylesheet, screen and print.
pub const STYLESHEET: &str = "style.css";
/// The open data beside the page, as `export --format csv` writes it.
pub const CSV: &str = "report.csv";
/// The roll-up as open data: one row per pledge and half-year (docs/overview.md).
pub const PLEDGES_CSV: &str = "pledges.csv";
/// Every file of a site and nothing else, the page first: what a publication's folder may hold.
pub const FILES: [&str; 4] = [PAGE, STYLESHEET, CSV, PLEDGES_CSV];

/// The stylesheet's text: the same for every report.
pub const STYLE: &str = include_str!("style.css");

/// The files of a site, before they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub html: String,
    pub csv: String,
    /// The roll-up's CSV.
    pub pledges_csv: String,
    pub measures: usize,
    pub years: Vec<i32>,
    /// Data rows of the CSV.
    pub rows: usize,
}

impl Site {
    /// Each file of [`FILES`], in that order, with its bytes.
    pub fn files(&self) -> [(&'static str, &[u8]); 4] {
        [
            (PAGE, self.html.as_bytes()),
            (STYLESHEET, STYLE.as_bytes()),
            (CSV, self.csv.as_bytes()),
            (PLEDGES_CSV, self.pledges_csv.as_bytes()),
        ]
    }
}

/// What was written, for the message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishSummary {
    /// The page itself (`DIR/index.html`).
    pub page: PathBuf,
    pub measures: usize,
    pub years: Vec<i32>,
    /// Bytes of `index.html`.
    pub page_bytes: usize,
    /// Data rows of the CSV.
    pub rows: usize,
}

impl PublishSummary {
    /// 令和５年度・令和６年度
    pub fn years_label(&self) -> String {
        years_label(&self.years)
    }
}

fn years_label(years: &[i32]) -> String {
    years
        .iter()
        .map(|&y| wareki::fiscal_year_label(y))
        .collect::<Vec<_>>()
        .join("・")
}

/// Why the site could not be written. A refused site writes nothing; a failure while writing
/// leaves each file either as it was or whole.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The output names a file: the site is a folder of files.
    #[error("{path} はファイルです。公開用ページは index.html などを入れるフォルダに出力します。フォルダを指定してください")]
    NotAFolder { path: PathBuf },
    /// The output folder could not be made (its parent is a file, or not writable).
    #[error("公開用ページの出力先フォルダ {path} を作成できません。書き込みできる場所か確認してください（{}）", crate::os_message::io(source))]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The folder holds files that are not a publication's: replacing it would lose them.
    #[error("{path} には公開用ページ以外のファイル（{example} など）があります。公開用ページは専用のフォルダに出力します。空のフォルダか、新しいフォルダ名を指定してください")]
    OtherFiles { path: PathBuf, example: String },
    /// The new publication could not take the old one's place; the old one is as it was.
    #[error("公開用ページを {path} に置き換えられません。フォルダが他のアプリで開かれていないか確認してください（{}）。前の公開用ページはそのままです", crate::os_message::io(source))]
    Swap {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The years asked for are not in the report, or it has none.
    #[error(transparent)]
    Select(#[from] ExportError),
    /// Writing a file failed: not writable, a full disk, a folder under the file's name.
    #[error(transparent)]
    Write(#[from] SaveError),
}

/// Builds the site of the report for `years` (`None`: the current year and the one before, as
/// the sheet's export chooses them).
pub fn site(report: &Report, years: Option<Vec<i32>>) -> Result<Site, ExportError> {
    let options = ExportOptions {
        years,
        department: None,
    };
    let selection = Selection::new(report, &options)?;
    let (csv, rows) = csv::build(&selection);
    // The term at a glance: the selection's measures over every year of the report.
    let overview = Overview::new(report, &selection.measures);
    let (pledges_csv, pledge_rows) = csv::pledges(&overview);
    Ok(Site {
        html: html::page(&selection, &overview, rows, pledge_rows),
        csv,
        pledges_csv,
        measures: selection.measures.len(),
        years: selection.years.iter().map(|y| y.year).collect(),
        rows,
    })
}

/// Writes the site into the folder `dir`, all or nothing: the page, the stylesheet and the CSV
/// are written into a new folder beside it and flushed, then that folder takes `dir`'s place in
/// one step. A failure or a killed process at any moment leaves the old publication whole (or
/// the new one), never a new CSV beside an old page.
///
/// `dir` is the publication's own folder: one that holds anything but the site's files (the
/// desktop, a folder of documents) is refused, since it is replaced whole.
pub fn publish(
    report: &Report,
    years: Option<Vec<i32>>,
    dir: &Path,
) -> Result<PublishSummary, PublishError> {
    if dir.exists() && !dir.is_dir() {
        return Err(PublishError::NotAFolder {
            path: dir.to_path_buf(),
        });
    }
    check_only_site_files(dir)?;
    // Everything is checked and built before anything is written: a refusal leaves no trace.
    let site = site(report, years)?;
    // The folder by its whole path: `公開/.` and `.` name a folder by its parent's entry, and
    // `公開/..` only once resolved.
    let given = dir;
    let whole = match std::path::absolute(dir) {
        Ok(p) if p.file_name().is_some() => p,
        _ => std::fs::canonicalize(dir).map_err(|source| PublishError::CreateFolder {
            path: dir.to_path_buf(),
            source,
        })?,
    };
    let dir = whole.as_path();
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| PublishError::NotAFolder {
            path: dir.to_path_buf(),
        })?;
    let parent = safe_save::folder_of(dir);
    let create_error = |source| PublishError::CreateFolder {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(&parent).map_err(create_error)?;
    remove_leftovers(&parent, &name);
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(STAGING_SUFFIX)
        .tempdir_in(&parent)
        .map_err(create_error)?;
    // tempfile makes its folders private; a published folder is read by the web server.
    #[cfg(unix)]
    std::fs::set_permissions(
        staging.path(),
        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755),
    )
    .map_err(create_error)?;
    for (file, bytes) in site.files() {
        safe_save::save(&staging.path().join(file), bytes)?;
    }
    swap_into_place(staging, dir)?;
    Ok(PublishSummary {
        page: given.join(PAGE),
        measures: site.measures,
        years: site.years,
        page_bytes: site.html.len(),
        rows: site.rows,
    })
}

/// The new publication's folder while it is written (`.<name>.<random>.publishing`), and the
/// old one's on its way out where the swap takes two steps.
const STAGING_SUFFIX: &str = ".publishing";

/// Refuses a folder that holds anything but a publication's files: it is replaced whole.
fn check_only_site_files(dir: &Path) -> Result<(), PublishError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(()); // Not there yet: it is made.
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if !is_file || !FILES.iter().any(|f| name == *f) {
            return Err(PublishError::OtherFiles {
                path: dir.to_path_buf(),
                example: name.to_string_lossy().into_owned(),
            });
        }
    }
    Ok(())
}

/// Removes the folders a killed publish of `name` left beside it (never the publication).
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        if entry_name.starts_with(&prefix) && entry_name.ends_with(STAGING_SUFFIX) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Puts the written `staging` folder in `dir`'s place. On Linux the two folders trade places in
/// one step (`renameat2` with `RENAME_EXCHANGE`); elsewhere, or on a file system without it,
/// the old folder is moved aside first and brought back if the new one cannot take its place.
fn swap_into_place(staging: tempfile::TempDir, dir: &Path) -> Result<(), PublishError> {
    let staging = staging.keep();
    let swap_error = |source| PublishError::Swap {
        path: dir.to_path_buf(),
        source,
    };
    let give_up = |e: PublishError| {
        let _ = std::fs::remove_dir_all(&staging);
        e
    };
    if !dir.exists() {
        std::fs::rename(&staging, dir)
            .map_err(swap_error)
            .map_err(give_up)?;
    } else if exchange(&staging, dir).is_ok() {
        // `staging` now holds the old publication.
        let _ = std::fs::remove_dir_all(&staging);
    } else {
        let mut aside = staging.as_os_str().to_owned();
        aside.push(".old");
        aside.push(STAGING_SUFFIX);
        let aside = PathBuf::from(aside);
        std::fs::rename(dir, &aside)
            .map_err(swap_error)
            .map_err(give_up)?;
        if let Err(source) = std::fs::rename(&staging, dir) {
            let _ = std::fs::rename(&aside, dir);
            return Err(give_up(swap_error(source)));
        }
        let _ = std::fs::remove_dir_all(&aside);
    }
    // The folder's new entry survives a power cut once its parent is flushed.
    let _ = safe_save::sync_folder(&safe_save::folder_of(dir));
    Ok(())
}

/// Swaps two folders atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c =
        |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths, relative to the working folder.
    let status = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if status == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// The title of the page: the sheet's, with the range of the pledges shown.
fn title(selection: &Selection<'_>) -> String {
    export::sheet::title(selection.report, &selection.measures)
}
