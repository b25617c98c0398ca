//! The sample's export printed by LibreOffice: every cell text appears whole (nothing clipped
//! by a too-short row) and no measure crosses a page, for the consolidated sheet and for a
//! department's protected one with its tinted input cells. Pages are rendered to
//! target/export-pages/ for a person to look at.
//! Unix only: LibreOffice runs in a process group that is ended afterwards.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

use shinchoku_core::export::{self, layout, sheet, ExportOptions, Selection};
use shinchoku_core::report::Report;

use crate::common::{sample_store, TempDir};

/// Text with every kind of space and line break removed: wrapping splits a cell's text anywhere.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

/// Runs a tool in its own process group and ends that group afterwards: soffice can leave a
/// soffice.bin behind, which no test may.
fn tool(name: &str, args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let child = Command::new(name)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "{name} is needed for this test (apt-get install libreoffice poppler-utils): {e}"
            )
        });
    let group = format!("-{}", child.id());
    let out = child.wait_with_output().unwrap();
    let _ = Command::new("kill")
        .args(["-KILL", "--", &group])
        .stderr(std::process::Stdio::null())
        .status();
    out
}

/// Converts an xlsx to PDF with a private LibreOffice profile, so runs do not share state.
fn to_pdf(xlsx: &Path, dir: &TempDir) -> PathBuf {
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path("lo-profile").display()
    );
    let outdir = dir.path("pdf");
    let out = tool(
        "soffice",
        &[
            &profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            outdir.to_str().unwrap(),
            xlsx.to_str().unwrap(),
        ],
    );
    let pdf = outdir.join(xlsx.file_stem().unwrap()).with_extension("pdf");
    assert!(
        pdf.is_file(),
        "soffice made no PDF: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    pdf
}

fn page_count(pdf: &Path) -> usize {
    let out = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo tells the page count")
}

fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    let out = tool(
        "pdftotext",
        &["-raw", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
    );
    assert!(out.status.success(), "pdftotext page {page}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn libreoffice_prints_every_text_whole_and_no_measure_across_pages() {
    let report = Report::load(&sample_store()).unwrap();
    prints_whole(&report, &ExportOptions::default(), "sample");
}

/// A whole mayoral term on one sheet (`--years` with four year blocks): still A3 landscape, one
/// page wide, its text whole and no measure across pages, at a scale that stays legible.
#[test]
fn a_whole_term_of_four_years_prints_on_a3_as_deliberately_as_two() {
    let years = [2021, 2022, 2023, 2024];
    let mut store = shinchoku_core::Store::open_in_memory().unwrap();
    shinchoku_core::sample::generate(24, &years)
        .load_into(&mut store, &shinchoku_core::model::Source::Sample)
        .unwrap();
    let report = Report::load(&store).unwrap();
    let options = ExportOptions {
        years: Some(years.to_vec()),
        ..ExportOptions::default()
    };
    let pdf = prints_whole(&report, &options, "whole-term");
    let info = String::from_utf8(tool("pdfinfo", &[pdf.to_str().unwrap()]).stdout).unwrap();
    let size = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_default();
    assert!(
        size.contains("1190") && size.contains("841"),
        "A3 landscape: {size}"
    );
    // Four year blocks are scaled to the page's width (two print at 0.95): 0.59, the 10 pt text
    // as 5.9 pt, the smallest that stays legible on A3. A wider layout must not shrink it more.
    let fit = layout::print_scale(&layout::column_widths(years.len()));
    assert!(fit >= 0.55, "a whole term prints at {fit:.2} of its size");
    assert!(layout::print_scale(&layout::column_widths(2)) > 0.9);
}

#[test]
fn a_departments_protected_sheet_prints_as_the_consolidated_one() {
    let report = Report::load(&sample_store()).unwrap();
    // The department with the most measures: more than one page of them.
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for m in &report.measures {
        *counts
            .entry(report.department_name(m.department_id))
            .or_default() += 1;
    }
    let (department, _) = counts.into_iter().max_by_key(|&(_, n)| n).unwrap();
    let options = ExportOptions {
        department: Some(department.to_string()),
        ..ExportOptions::default()
    };
    prints_whole(&report, &options, "department");
}

/// Prints `report`'s export with `options` through LibreOffice and checks the pages; the PDF,
/// the workbook and the first pages as images are kept in target/export-pages/ under `name`,
/// whose PDF is returned.
fn prints_whole(report: &Report, options: &ExportOptions, name: &str) -> PathBuf {
    let dir = TempDir::new();
    let xlsx = dir.path(&format!("{name}.xlsx"));
    export::export_xlsx(report, options, &xlsx).unwrap();
    let pdf = to_pdf(&xlsx, &dir);

    // Pages for a person to look at, beside the original's text.
    let shown = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/export-pages");
    std::fs::create_dir_all(&shown).unwrap();
    let prefix = shown.join(format!("{name}-page"));
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "3",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    std::fs::copy(&pdf, shown.join(format!("{name}.pdf"))).unwrap();
    let _ = std::fs::copy(&xlsx, shown.join(format!("{name}.xlsx")));

    let pages: Vec<String> = (1..=page_count(&pdf))
        .map(|p| squeeze(&page_text(&pdf, p)))
        .collect();
    let selection = Selection::new(report, options).unwrap();
    let sheet = sheet::build(&selection);
    // The main sheet's pages, then the 集計 sheet on one page.
    assert_eq!(
        pages.len(),
        sheet.pages() + 1,
        "LibreOffice breaks pages where the export does"
    );
    assert!(pages[sheet.pages()].contains("指標の集計"));
    // The trend over the term prints on that page too, with its note.
    assert!(pages[sheet.pages()].contains(&squeeze(export::tally::TREND_NOTE)));
    let pages = &pages[..sheet.pages()];
    assert!(pages[0].contains("1ページ"), "footer with the page number");
    assert!(
        pages
            .iter()
            .skip(1)
            .all(|p| p.contains("ＮＯ．") && p.contains("令和６年度")),
        "header rows repeated"
    );

    let whole: String = pages.concat();
    for cell in &sheet.cells {
        let t = squeeze(&cell.text);
        assert!(
            whole.contains(&t),
            "cell text missing or clipped in the PDF (row {}): {}",
            cell.first_row + 1,
            cell.text
        );
    }
    for block in &sheet.blocks {
        let texts: Vec<String> = sheet
            .cells
            .iter()
            .filter(|c| c.first_row >= block.first_row && c.last_row <= block.last_row)
            .map(|c| squeeze(&c.text))
            .filter(|t| t.chars().count() >= 4)
            .collect();
        assert!(
            pages.iter().any(|p| texts.iter().all(|t| p.contains(t))),
            "No.{} {} (rows {}–{}) is not whole on one page",
            block.no,
            block.department,
            block.first_row + 1,
            block.last_row + 1
        );
    }
    // The kept copy: the temporary folder goes with this function.
    shown.join(format!("{name}.pdf"))
}
