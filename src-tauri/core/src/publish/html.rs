//! `index.html`: the title, the legend, a table of contents by pledge, the report as one data
//! table in the printed layout, the tally and how the data may be reused.
//!
//! Every data cell names its headers (`headers`), so a screen reader reads an indicator cell
//! with its measure, year, half and row; an indicator cell also carries its whole name and the
//! symbol's meaning as text (「令和６年度 下半期 進捗 指標：計画どおり進行中」), while the glyph it
//! shows stays as printed and is hidden from assistive technology.

use std::fmt::Write as _;

use super::{chart, escape, summary, title, years_label, CSV, PLEDGES_CSV, STYLESHEET};
use crate::export::tally::{self, Counts};
use crate::export::{csv, layout, Selection};
use crate::indicator::{Indicator, IndicatorCell};
use crate::model::{period_label, Field, FiscalYear, Half, Measure};
use crate::overview::Overview;
use crate::report::Report;

/// What the page says about itself and its parts, in one place.
const LANG: &str = "ja";
const SKIP: &str = "目次をとばして進捗の一覧へ移動";
const LEGEND_HEADING: &str = "指標欄に記載する記号";
const TOC_HEADING: &str = "目次（公約別）";
const REPORT_HEADING: &str = "公約ごとの進捗";
const TALLY_HEADING: &str = "指標の集計";
const REUSE_HEADING: &str = "データの利用について";

/// Appends `text` with `&`, `<`, `>`, `"` and `'` escaped, so that it is text wherever it goes
/// (element or attribute), and its line breaks as `<br>`.
pub fn text(out: &mut String, text: &str) {
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        escape(out, first.strip_suffix('\r').unwrap_or(first));
    }
    for line in lines {
        out.push_str("<br>");
        escape(out, line.strip_suffix('\r').unwrap_or(line));
    }
}

fn escaped(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    escape(&mut out, t);
    out
}

/// The whole page; `rows` and `pledge_rows` are the numbers of data rows of the CSV files beside
/// it.
pub fn page(
    selection: &Selection<'_>,
    overview: &Overview,
    rows: usize,
    pledge_rows: usize,
) -> String {
    // About 2.5 KB of markup per measure and year: one allocation for the sample and for 2,000.
    let mut out =
        String::with_capacity(8_192 + selection.measures.len() * 2_600 * selection.years.len());
    let title = title(selection);
    let years = years_label(&selection.years.iter().map(|y| y.year).collect::<Vec<_>>());
    out.push_str("<!DOCTYPE html>\n");
    let _ = writeln!(
        out,
        "<html lang=\"{LANG}\">\n<head>\n<meta charset=\"utf-8\">"
    );
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    escape(&mut out, &title);
    out.push('（');
    escape(&mut out, &years);
    let _ = writeln!(
        out,
        "）</title>\n<link rel=\"stylesheet\" href=\"{STYLESHEET}\">\n</head>\n<body>"
    );
    let _ = writeln!(out, "<a class=\"skip\" href=\"#report\">{SKIP}</a>");
    out.push_str("<header class=\"page-header\">\n<h1>");
    escape(&mut out, &title);
    out.push_str("</h1>\n<p class=\"years\">");
    escape(&mut out, &years);
    let _ = writeln!(
        out,
        "の進捗状況（実施内容 {} 件）</p>\n</header>\n<main id=\"main\">",
        selection.measures.len()
    );
    // The term at a glance first: what a citizen on a phone came for.
    summary::section(&mut out, overview);
    legend(&mut out);
    contents(&mut out, selection);
    report_table(&mut out, selection);
    tally_section(&mut out, &tally::tally(selection), selection.measures.len());
    reuse(&mut out, rows, pledge_rows);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The legend: each symbol with its meaning, as the sheet's second row prints it.
fn legend(out: &mut String) {
    let _ = writeln!(
        out,
        "<section class=\"legend\" aria-labelledby=\"legend-h\">\n<h2 id=\"legend-h\">{LEGEND_HEADING}</h2>\n<dl>"
    );
    for mark in Indicator::ALL {
        let _ = writeln!(
            out,
            "<div><dt><span class=\"glyph\" aria-hidden=\"true\">{}</span><span class=\"vh\">{}</span></dt><dd>{}</dd></div>",
            mark.glyph(),
            symbol_name(mark),
            mark.meaning()
        );
    }
    out.push_str("</dl>\n</section>\n");
}

/// How a screen reader should say a symbol in the legend (it reads ○ as "白丸" at best).
pub(super) fn symbol_name(mark: Indicator) -> &'static str {
    match mark {
        Indicator::Achieved => "☆（ほし）",
        Indicator::OnTrack => "○（まる）",
        Indicator::Delayed => "△（さんかく）",
        Indicator::NotStarted => "×（ばつ）",
    }
}

/// The anchor of a pledge's first measure.
fn pledge_anchor(number: u32) -> String {
    format!("pledge-{number}")
}

/// The pledges in the order of their first measure, with how many measures each has.
fn pledges_of<'a>(selection: &Selection<'a>) -> Vec<(u32, &'a str, usize)> {
    let report = selection.report;
    let mut pledges: Vec<(u32, &str, usize)> = Vec::new();
    for m in &selection.measures {
        let Some(p) = report.pledge(m.pledge_id) else {
            continue;
        };
        match pledges.iter_mut().find(|(n, _, _)| *n == p.number) {
            Some(entry) => entry.2 += 1,
            None => pledges.push((p.number, p.title.as_str(), 1)),
        }
    }
    pledges
}

fn contents(out: &mut String, selection: &Selection<'_>) {
    let _ = writeln!(
        out,
        "<nav class=\"toc\" aria-labelledby=\"toc-h\">\n<h2 id=\"toc-h\">{TOC_HEADING}</h2>\n<ol>"
    );
    for (number, title, count) in pledges_of(selection) {
        let _ = write!(
            out,
            "<li><a href=\"#{}\">No.{number} ",
            pledge_anchor(number)
        );
        escape(out, &title.replace('\n', " "));
        let _ = writeln!(out, "</a>（実施内容 {count} 件）</li>");
    }
    let _ = writeln!(
        out,
        "</ol>\n<p><a href=\"#tally\">{TALLY_HEADING}</a>　<a href=\"#reuse\">{REUSE_HEADING}（CSV）</a></p>\n</nav>"
    );
}

/// The id of a year's header cell, and of its halves' and its indicator's.
fn year_id(year: i32) -> String {
    format!("y{year}")
}

fn half_id(year: i32, half: Half) -> String {
    format!("y{year}-{}", half.code())
}

/// The report table: the sheet's header rows, then one row group (`tbody`) of four rows per
/// measure, which the stylesheet keeps on one printed page.
fn report_table(out: &mut String, selection: &Selection<'_>) {
    let years = &selection.years;
    let _ = writeln!(
        out,
        "<section id=\"report\" aria-labelledby=\"report-h\">\n<h2 id=\"report-h\">{REPORT_HEADING}</h2>"
    );
    out.push_str("<p class=\"hint\">表は横に長いため、画面では左右にスクロールできます。記号の意味は凡例のとおりです。</p>\n");
    out.push_str("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"report-h\" tabindex=\"0\">\n<table class=\"report\">\n<caption class=\"vh\">");
    escape(
        out,
        &years_label(&years.iter().map(|y| y.year).collect::<Vec<_>>()),
    );
    out.push_str("の公約ごとの進捗</caption>\n");
    // The sheet's column widths, as shares of the page.
    let widths = layout::column_widths(years.len());
    let total: u32 = widths.iter().sum();
    let col = |out: &mut String, w: u32| {
        let _ = write!(
            out,
            "<col style=\"width:{:.2}%\">",
            f64::from(w) * 100.0 / f64::from(total)
        );
    };
    out.push_str("<colgroup>");
    for &w in &widths[..layout::COL_FIRST_YEAR as usize] {
        col(out, w);
    }
    out.push_str("</colgroup>\n");
    for i in 0..years.len() {
        out.push_str("<colgroup>");
        let first = layout::year_col(i) as usize;
        for &w in &widths[first..first + layout::YEAR_COLS as usize] {
            col(out, w);
        }
        out.push_str("</colgroup>\n");
    }
    out.push_str("<thead>\n<tr>");
    for (i, heading) in layout::HEADINGS.iter().enumerate() {
        let _ = write!(
            out,
            "<th id=\"h{i}\" rowspan=\"2\" scope=\"col\">{heading}</th>"
        );
    }
    let _ = write!(
        out,
        "<th rowspan=\"2\" colspan=\"2\" scope=\"col\">{}</th>",
        layout::KIND
    );
    for y in years {
        let _ = write!(
            out,
            "<th id=\"{}\" colspan=\"3\" scope=\"colgroup\">{}</th>",
            year_id(y.year),
            y.label()
        );
    }
    out.push_str("</tr>\n<tr>");
    for y in years {
        for half in Half::BOTH {
            let _ = write!(
                out,
                "<th id=\"{}\" scope=\"col\">{}<span class=\"months\">{}<span class=\"vh\">月</span></span></th>",
                half_id(y.year, half),
                half.label(),
                y.half(half).months_label()
            );
        }
        let _ = write!(
            out,
            "<th id=\"{}-ind\" scope=\"col\">指標<span class=\"marks\" aria-hidden=\"true\">☆○△×</span></th>",
            year_id(y.year)
        );
    }
    out.push_str("</tr>\n</thead>\n");
    let mut anchored = Vec::new();
    for m in &selection.measures {
        let number = selection.report.pledge(m.pledge_id).map(|p| p.number);
        let anchor = match number {
            Some(n) if !anchored.contains(&n) => {
                anchored.push(n);
                Some(pledge_anchor(n))
            }
            _ => None,
        };
        measure(out, selection.report, m, years, anchor.as_deref());
    }
    out.push_str("</table>\n</div>\n</section>\n");
}

/// A data cell with its headers, then its text.
fn cell(out: &mut String, attrs: &str, headers: &str, value: &str) {
    let _ = write!(out, "<td{attrs} headers=\"{headers}\">");
    text(out, value);
    out.push_str("</td>");
}

/// An indicator cell: the glyph as printed (hidden from screen readers) and, as text, the cell's
/// name and the symbol's meaning. A dash with its reason is shown as written.
fn mark_cell(out: &mut String, headers: &str, name: &str, value: &str) {
    let _ = write!(out, "<td class=\"mark\" headers=\"{headers}\">");
    match IndicatorCell::parse(value) {
        Ok(None) => {}
        Ok(Some(IndicatorCell::Mark(mark))) => {
            out.push_str("<span aria-hidden=\"true\">");
            escape(out, value.trim());
            let _ = write!(
                out,
                "</span><span class=\"vh\">{name}：{}</span>",
                mark.meaning()
            );
        }
        // A dash with a reason, or a text that is no symbol: shown as it is, named.
        _ => {
            let _ = write!(out, "<span class=\"vh\">{name}：</span>");
            text(out, value);
        }
    }
    out.push_str("</td>");
}

/// One measure: four rows, as on the sheet (年度目標, 計画, 進捗 指標, 進捗 状況).
fn measure(
    out: &mut String,
    report: &Report,
    m: &Measure,
    years: &[&FiscalYear],
    anchor: Option<&str>,
) {
    let k = format!("m{}", m.id);
    let no = report
        .pledge(m.pledge_id)
        .map_or(String::new(), |p| p.number.to_string());
    let department = report.department_name(m.department_id);
    let who = format!("{k}-no {k}-dept");
    out.push_str("<tbody class=\"measure\"");
    if let Some(anchor) = anchor {
        let _ = write!(out, " id=\"{anchor}\"");
    }
    let _ = write!(
        out,
        ">\n<tr><th id=\"{k}-no\" rowspan=\"4\" scope=\"rowgroup\" class=\"no\"><span class=\"vh\">No.</span>{no}</th>"
    );
    cell(
        out,
        " rowspan=\"4\"",
        &format!("h1 {k}-no"),
        &report.pledge_cell(m),
    );
    cell(out, " rowspan=\"4\"", &format!("h2 {k}-no"), &m.content);
    cell(
        out,
        " rowspan=\"4\" class=\"center\"",
        &format!("h3 {k}-no"),
        &m.target_date,
    );
    let _ = write!(
        out,
        "<th id=\"{k}-dept\" rowspan=\"4\" scope=\"rowgroup\" class=\"dept\">"
    );
    text(out, department);
    let _ = write!(
        out,
        "</th><th id=\"{k}-target\" colspan=\"2\" scope=\"row\" class=\"kind\">{}</th>",
        layout::ANNUAL_TARGET
    );
    let notes: Vec<&str> = years
        .iter()
        .map(|y| report.value(m.id, y.year, Field::YearNote))
        .collect();
    for (y, note) in years.iter().zip(&notes) {
        let year = year_id(y.year);
        if !note.is_empty() {
            // The note stands for the whole year, written across its block as printed; the
            // year then has no entries to hide (`model::year_note_clash`).
            cell(
                out,
                " colspan=\"3\" rowspan=\"4\" class=\"note\"",
                &format!("{who} {year}"),
                note,
            );
            continue;
        }
        cell(
            out,
            " colspan=\"2\"",
            &format!("{who} {year} {k}-target"),
            report.value(m.id, y.year, Field::AnnualTarget),
        );
        mark_cell(
            out,
            &format!("{who} {year} {year}-ind {k}-target"),
            &format!("{} 年度目標 指標", y.label()),
            report.value(m.id, y.year, Field::AnnualIndicator),
        );
    }
    let _ = write!(
        out,
        "</tr>\n<tr><th id=\"{k}-plan\" colspan=\"2\" scope=\"row\" class=\"kind\">計画<br>(短期目標)</th>"
    );
    // The halves of the years written cell by cell (a year with a note is one cell).
    let halves = || {
        years
            .iter()
            .zip(&notes)
            .filter(|(_, note)| note.is_empty())
            .flat_map(|(y, _)| Half::BOTH.map(|half| (*y, half)))
    };
    for (y, half) in halves() {
        cell(
            out,
            "",
            &format!("{who} y{} {} {k}-plan", y.year, half_id(y.year, half)),
            report.value(m.id, y.year, Field::Plan(half)),
        );
        // The year's indicator column has no plan: one blank cell down the three half rows.
        if half == Half::H2 {
            out.push_str("<td rowspan=\"3\" class=\"blank\"></td>");
        }
    }
    let _ = write!(
        out,
        "</tr>\n<tr><th id=\"{k}-prog\" rowspan=\"2\" scope=\"rowgroup\" class=\"kind\">{}</th><th id=\"{k}-ind\" scope=\"row\" class=\"kind\">指標<span class=\"marks\" aria-hidden=\"true\">☆○△×</span></th>",
        layout::PROGRESS
    );
    for (y, half) in halves() {
        mark_cell(
            out,
            &format!(
                "{who} y{} {} {k}-prog {k}-ind",
                y.year,
                half_id(y.year, half)
            ),
            &format!("{} 進捗 指標", period_label(y.year, half)),
            report.value(m.id, y.year, Field::Indicator(half)),
        );
    }
    let _ = write!(
        out,
        "</tr>\n<tr><th id=\"{k}-status\" scope=\"row\" class=\"kind\">{}</th>",
        layout::PROGRESS_STATUS
    );
    for (y, half) in halves() {
        cell(
            out,
            "",
            &format!(
                "{who} y{} {} {k}-prog {k}-status",
                y.year,
                half_id(y.year, half)
            ),
            report.value(m.id, y.year, Field::Status(half)),
        );
    }
    out.push_str("</tr>\n</tbody>\n");
}

/// The names of the tally's columns: the symbols with their meanings, then blanks and others.
fn count_headings() -> Vec<String> {
    let mut names: Vec<String> = Indicator::ALL
        .iter()
        .map(|m| format!("<span aria-hidden=\"true\">{}</span><span class=\"vh\">{}</span><span class=\"meaning\">{}</span>", m.glyph(), symbol_name(*m), m.meaning()))
        .collect();
    names.extend(tally::COLUMNS[4..].iter().map(|c| c.to_string()));
    names.push(tally::TOTAL.to_string());
    names
}

fn counts_cells(out: &mut String, counts: &Counts, headers: &dyn Fn(usize) -> String) {
    for (c, n) in counts.0.iter().chain([&counts.total()]).enumerate() {
        let _ = write!(out, "<td headers=\"{}\">{n}</td>", headers(c));
    }
}

fn sum(counts: &[&Counts]) -> Counts {
    let mut total = Counts::default();
    for c in counts {
        for (a, b) in total.0.iter_mut().zip(c.0) {
            *a += b;
        }
    }
    total
}

/// The tally: per half and per department, each as a table and as a chart.
fn tally_section(out: &mut String, tally: &tally::Tally, measures: usize) {
    let headings = count_headings();
    let _ = writeln!(
        out,
        "<section id=\"tally\" aria-labelledby=\"tally-h\">\n<h2 id=\"tally-h\">{TALLY_HEADING}</h2>\n<p>実施内容 {measures} 件の、半期ごとの進捗 指標の件数です。「その他」は記号のかわりに理由などを記載したものです。</p>"
    );
    // By half.
    out.push_str("<h3 id=\"tally-half-h\">半期別</h3>\n<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"tally-half-h\" tabindex=\"0\">\n<table class=\"tally\">\n<caption class=\"vh\">半期別の指標の件数</caption>\n<thead><tr><th id=\"th-p\" scope=\"col\">半期</th>");
    for (c, name) in headings.iter().enumerate() {
        let _ = write!(out, "<th id=\"th-c{c}\" scope=\"col\">{name}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (p, (label, counts)) in tally.halves.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><th id=\"th-r{p}\" scope=\"row\">{}</th>",
            escaped(label)
        );
        counts_cells(out, counts, &|c| format!("th-r{p} th-c{c}"));
        out.push_str("</tr>\n");
    }
    let total = sum(&tally.halves.iter().map(|(_, c)| c).collect::<Vec<_>>());
    let _ = write!(
        out,
        "</tbody>\n<tfoot><tr><th id=\"th-sum\" scope=\"row\">{}</th>",
        tally::TOTAL
    );
    counts_cells(out, &total, &|c| format!("th-sum th-c{c}"));
    out.push_str("</tr></tfoot>\n</table>\n</div>\n");
    chart::figure(out, "chart-half", "半期別の指標の件数", &tally.halves);

    // By department: a group of columns per half.
    out.push_str("<h3 id=\"tally-dept-h\">担当課別</h3>\n<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"tally-dept-h\" tabindex=\"0\">\n<table class=\"tally by-department\">\n<caption class=\"vh\">担当課別・半期別の指標の件数</caption>\n<thead><tr><th id=\"td-d\" rowspan=\"2\" scope=\"col\">担当課</th>");
    for (p, (label, _)) in tally.halves.iter().enumerate() {
        let _ = write!(
            out,
            "<th id=\"td-p{p}\" colspan=\"{}\" scope=\"colgroup\">{}</th>",
            headings.len(),
            escaped(label)
        );
    }
    out.push_str("</tr>\n<tr>");
    for p in 0..tally.halves.len() {
        for (c, name) in headings.iter().enumerate() {
            // The meanings stand in the table by half; here the glyph and its name suffice.
            let short = name
                .split("<span class=\"meaning\">")
                .next()
                .unwrap_or(name);
            let _ = write!(out, "<th id=\"td-p{p}-c{c}\" scope=\"col\">{short}</th>");
        }
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (d, (name, counts)) in tally.departments.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><th id=\"td-r{d}\" scope=\"row\">{}</th>",
            escaped(name)
        );
        for (p, c) in counts.iter().enumerate() {
            counts_cells(out, c, &|col| format!("td-r{d} td-p{p} td-p{p}-c{col}"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    // The chart by department shows the newest half with any indicator written (the open half
    // is still blank until the departments report).
    let newest = tally
        .halves
        .iter()
        .rposition(|(_, c)| c.0[4] < c.total())
        .or(tally.halves.len().checked_sub(1));
    if let Some(p) = newest {
        let label = &tally.halves[p].0;
        let rows: Vec<(String, Counts)> = tally
            .departments
            .iter()
            .map(|(name, counts)| (name.clone(), counts[p]))
            .collect();
        chart::figure(
            out,
            "chart-dept",
            &format!("担当課別の指標の件数（{label}）"),
            &rows,
        );
    }
    out.push_str("</section>\n");
}

/// How the page and its data may be reused, and the CSV files beside it.
fn reuse(out: &mut String, rows: usize, pledge_rows: usize) {
    let _ = writeln!(
        out,
        "<section id=\"reuse\" aria-labelledby=\"reuse-h\">\n<h2 id=\"reuse-h\">{REUSE_HEADING}</h2>\n<p>このページの内容は、機械で読み取れる CSV 形式のオープンデータとしても公開しています。</p>\n<ul>\n<li><a href=\"{CSV}\" type=\"text/csv\">{CSV}</a>（CSV、文字コード UTF-8（BOM 付き）、{rows} 行）</li>\n<li><a href=\"{PLEDGES_CSV}\" type=\"text/csv\">{PLEDGES_CSV}</a>（公約ごとの状況の CSV、文字コード UTF-8（BOM 付き）、{pledge_rows} 行）</li>\n</ul>"
    );
    let _ = write!(
        out,
        "<p>{CSV} は 1 行が 実施内容・年度・半期 の 1 組で、列は次のとおりです："
    );
    escape(out, &csv::HEADER.join("、"));
    let _ = write!(
        out,
        "。{PLEDGES_CSV} は 1 行が 公約・年度・半期 の 1 組で、列は次のとおりです："
    );
    escape(out, &csv::pledge_header().join("、"));
    out.push_str("。件数の数え方は「公約ごとの状況」の説明のとおりです（終了後の年度と備考の書かれた年度は数えません）。");
    out.push_str("指標は ☆ ○ △ × のいずれか（凡例のとおり）か、記号のかわりに書かれた理由です。表計算ソフトで数式として読まれないよう、「=」「+」「-」「@」で始まるセルの先頭には「'」を付けています。</p>\n");
    out.push_str("<p>このページと CSV は、出典（市の名称とこのページの名称）を記載すれば、複製、加工、再配布を含め自由に利用できます。</p>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_that_could_open_markup_is_escaped() {
        let mut out = String::new();
        text(&mut out, "<script>alert(\"x\")</script> & 'y'\n2行目\u{0}");
        assert_eq!(
            out,
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;<br>2行目\u{FFFD}"
        );
    }
}
