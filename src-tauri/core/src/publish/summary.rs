//! The page's first section, 「公約ごとの状況」: the term at a glance, made for a phone. One block
//! per pledge with its measures' symbols over every half-year (each glyph with its text
//! alternative 「令和６年度 下半期：計画どおり進行中」), the latest symbol and status, and a link to
//! the pledge's rows of the council's table; then the whole report's counts per half-year as a
//! table and a chart. Everything comes from the one roll-up ([`crate::overview`]).
//!
//! Nothing here is wider than a phone: blocks are text that wraps, the glyph rows wrap, and the
//! only wide thing, the counts' table, scrolls inside its own region as the council's table does.

use std::fmt::Write as _;

use super::chart;
use super::escape;
use super::html::{symbol_name, text};
use crate::indicator::Indicator;
use crate::overview::{Change, Counts, Entry, MeasureOverview, Overview, BLANK, OTHER};

pub const HEADING: &str = "公約ごとの状況";
const TOTALS_HEADING: &str = "全体の状況（半期ごとの件数）";
/// The anchor of a pledge's block.
pub fn block_anchor(number: u32) -> String {
    format!("status-{number}")
}

/// The text of a pledge's link to its rows of the table; also how the print test finds the
/// block's end.
pub fn table_link_text(number: u32) -> String {
    format!("No.{number} の全文を表で見る")
}

/// Appends the section. The overview is of the table's measures, so each pledge's rows are
/// there to link to (`pledge-N`).
pub fn section(out: &mut String, overview: &Overview) {
    let first = overview.periods.first().map(|p| p.label());
    let last = overview.periods.last().map(|p| p.label());
    let _ = writeln!(
        out,
        "<section id=\"status\" class=\"status\" aria-labelledby=\"status-h\">\n<h2 id=\"status-h\">{HEADING}</h2>"
    );
    out.push_str("<p>公約ごとに、実施内容の進捗 指標を半期ごとに並べています");
    if let (Some(first), Some(last)) = (first, last) {
        let _ = write!(out, "（{first}から{last}まで）");
    }
    out.push_str("。「最新」は記号が記入された最も新しい半期の指標で、前の半期の指標と比べた変化（良くなった・変わらない・悪くなった、前の半期に記号がなければ新しく記入）を添えています。「3 件中 ☆1 ○2」は、その公約の実施内容の件数と、最新の指標ごとの件数です。終了した実施内容の終了後の年度と、備考（達成済など）が書かれた年度は数えません。</p>\n");
    out.push_str("<p class=\"key\">記号：");
    for (i, mark) in Indicator::ALL.into_iter().enumerate() {
        if i > 0 {
            out.push('　');
        }
        let _ = write!(
            out,
            "<span class=\"nowrap\"><span aria-hidden=\"true\">{}</span><span class=\"vh\">{}</span> {}</span>",
            mark.glyph(),
            symbol_name(mark),
            mark.meaning()
        );
    }
    out.push_str(
        "　<span class=\"nowrap\">－ 記入なし・報告なし</span></p>\n<ol class=\"pledges\">\n",
    );
    for pledge in &overview.pledges {
        let anchor = block_anchor(pledge.number);
        let _ = write!(
            out,
            "<li class=\"pledge\" id=\"{anchor}\">\n<h3 id=\"{anchor}-h\"><span class=\"no\">No.{}</span> ",
            pledge.number
        );
        escape(out, &pledge.title.replace('\n', " "));
        out.push_str("</h3>\n<p class=\"state\">");
        escape(out, &pledge.state());
        if pledge.needs_attention {
            out.push_str("<span class=\"attention\">（△・× または前の半期より悪くなったものがあります）</span>");
        }
        out.push_str("</p>\n<ul class=\"measures\">\n");
        for &i in &pledge.measures {
            if let Some(measure) = overview.measures.get(i) {
                measure_item(out, overview, measure);
            }
        }
        out.push_str("</ul>\n");
        let _ = writeln!(
            out,
            "<p class=\"to-table\"><a href=\"#pledge-{}\">{}</a></p>",
            pledge.number,
            table_link_text(pledge.number)
        );
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
    totals(out, overview);
    out.push_str("</section>\n");
}

/// One measure in its pledge's block: department, content, the row of glyphs, the latest.
fn measure_item(out: &mut String, overview: &Overview, measure: &MeasureOverview) {
    out.push_str("<li class=\"measure\">\n<p class=\"who\"><span class=\"dept\">");
    escape(out, &measure.department);
    out.push_str("</span> <span class=\"what\">");
    text(out, &measure.content);
    out.push_str("</span></p>\n<ol class=\"trend\">");
    for (entry, &period) in measure.entries.iter().zip(&overview.periods) {
        let glyph = match entry.glyph() {
            "" => "－",
            glyph => glyph,
        };
        let class = match entry {
            Entry::Mark(_) => "",
            _ => " class=\"none\"",
        };
        let _ = write!(
            out,
            "<li{class}><span class=\"glyph\" aria-hidden=\"true\">{glyph}</span><span class=\"when\" aria-hidden=\"true\">{}</span><span class=\"vh\">",
            period.short_label()
        );
        escape(out, &entry.describe(period));
        out.push_str("</span></li>");
    }
    out.push_str("</ol>\n<p class=\"latest\">最新：");
    escape(out, &measure.latest_words(&overview.periods));
    out.push_str("</p>\n");
    let status = measure.status_line(&overview.periods);
    if !status.is_empty() {
        out.push_str("<p class=\"said\">状況（");
        escape(out, &status.replacen('：', "）：", 1));
        out.push_str("</p>\n");
    }
    out.push_str("</li>\n");
}

/// The whole report: counts per half-year as a table (in its own scroll region) and a chart.
fn totals(out: &mut String, overview: &Overview) {
    let _ = writeln!(
        out,
        "<h3 id=\"status-totals-h\">{TOTALS_HEADING}</h3>\n<p>実施内容 {} 件の、最新の指標：{}。</p>",
        overview.measures.len(),
        latest_words(&overview.latest)
    );
    out.push_str("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"status-totals-h\" tabindex=\"0\">\n<table class=\"tally\">\n<caption class=\"vh\">半期ごとの指標の件数と、前の半期からの変化（報告した実施内容）</caption>\n<thead><tr><th id=\"st-p\" rowspan=\"2\" scope=\"col\">半期</th>");
    let _ = write!(
        out,
        "<th id=\"st-n\" colspan=\"7\" scope=\"colgroup\">指標の件数</th><th id=\"st-c\" colspan=\"{}\" scope=\"colgroup\">前の半期からの変化</th></tr>\n<tr>",
        Change::ALL.len()
    );
    for (c, mark) in Indicator::ALL.into_iter().enumerate() {
        let _ = write!(
            out,
            "<th id=\"st-n{c}\" scope=\"col\"><span aria-hidden=\"true\">{}</span><span class=\"vh\">{}</span></th>",
            mark.glyph(),
            symbol_name(mark)
        );
    }
    let _ = write!(
        out,
        "<th id=\"st-n{BLANK}\" scope=\"col\">空欄</th><th id=\"st-n{OTHER}\" scope=\"col\">その他</th><th id=\"st-n6\" scope=\"col\">計</th>"
    );
    for (c, change) in Change::ALL.into_iter().enumerate() {
        let _ = write!(
            out,
            "<th id=\"st-c{c}\" scope=\"col\">{}</th>",
            change.label()
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (p, period) in overview.periods.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><th id=\"st-r{p}\" scope=\"row\">{}</th>",
            period.label()
        );
        let counts = overview.totals.get(p).copied().unwrap_or_default();
        for (c, n) in counts.0.iter().chain([&counts.total()]).enumerate() {
            let _ = write!(out, "<td headers=\"st-r{p} st-n st-n{c}\">{n}</td>");
        }
        let changes = overview.changes.get(p).copied().unwrap_or_default();
        for (c, n) in changes.iter().enumerate() {
            let _ = write!(out, "<td headers=\"st-r{p} st-c st-c{c}\">{n}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    let rows: Vec<(String, Counts)> = overview
        .periods
        .iter()
        .zip(&overview.totals)
        .map(|(p, c)| (p.label(), *c))
        .collect();
    chart::figure(out, "chart-status", "半期ごとの指標の件数（全体）", &rows);
}

/// ☆ 12 件、○ 40 件、△ 8 件、× 1 件、記号なし 3 件
fn latest_words(latest: &Counts) -> String {
    let mut parts: Vec<String> = Indicator::ALL
        .iter()
        .map(|&m| format!("{} {} 件", m.glyph(), latest.of(m)))
        .collect();
    parts.push(format!("記号なし {} 件", latest.0[BLANK]));
    parts.join("、")
}
