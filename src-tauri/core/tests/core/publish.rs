//! `publish`: the web page holds every text of the report, escaped, with each indicator cell
//! named by its year, half and row and the symbol's meaning; the same report gives the same
//! bytes; the CSV beside it is the export's; refusals write nothing. (The page as a browser and
//! the validators see it: tests/publish_page.rs of the app crate.)

use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::indicator::Indicator;
use shinchoku_core::model::{CellKey, CellValue, Field, Half};
use shinchoku_core::publish::{self, CSV, FILES, PAGE, PLEDGES_CSV, STYLESHEET};
use shinchoku_core::report::Report;

use crate::common::{run, sample_db, sample_store, TempDir};

fn sample_report() -> Report {
    Report::load(&sample_store()).unwrap()
}

/// The text as the page must hold it: escaped independently of the code under test, line breaks
/// as `<br>`.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace("\r\n", "\n")
        .replace('\n', "<br>")
}

#[test]
fn every_text_of_the_sample_is_in_the_page() {
    let report = sample_report();
    let site = publish::site(&report, None).unwrap();
    let page = &site.html;
    assert_eq!(site.years, vec![2023, 2024]);
    assert!(
        page.contains("<h1>市長が掲げた重点政策No.1~45</h1>"),
        "the title with the range"
    );
    assert!(page.contains("<html lang=\"ja\">"));
    assert!(page.contains("令和５年度・令和６年度"));
    let mut texts = 0;
    for m in &report.measures {
        let department = report.department_name(m.department_id);
        for t in [
            &report.pledge_cell(m),
            &m.content,
            &m.target_date,
            department,
        ] {
            assert!(
                page.contains(&html(t)),
                "measure {}: «{t}» is missing",
                m.id
            );
        }
        for year in [2023, 2024] {
            for field in Field::ALL {
                let value = report.value(m.id, year, field);
                if value.is_empty() {
                    continue;
                }
                assert!(
                    page.contains(&html(value)),
                    "measure {} {year} {}: «{value}» is missing",
                    m.id,
                    field.code()
                );
                texts += 1;
            }
        }
    }
    assert!(texts > 500, "the sample has many filled cells: {texts}");
    // The legend, the table of contents by pledge, the tally, the open data.
    for meaning in [
        "実施済み、目標達成",
        "計画どおり進行中",
        "計画より遅れている",
        "未着手、断念 など",
    ] {
        assert!(page.contains(meaning), "{meaning}");
    }
    for p in &report.pledges {
        if report.measures.iter().any(|m| m.pledge_id == p.id) {
            let entry = format!("<li><a href=\"#pledge-{}\">No.{} ", p.number, p.number);
            assert!(page.contains(&entry), "{entry}");
            assert!(page.contains(&format!("id=\"pledge-{}\"", p.number)));
        }
    }
    assert!(page.contains("<a href=\"report.csv\""));
    assert!(page.contains("<svg") && page.contains("role=\"img\""));
}

#[test]
fn the_page_has_no_script_no_outside_resource_and_one_stylesheet() {
    let page = publish::site(&sample_report(), None).unwrap().html;
    let lower = page.to_lowercase();
    assert!(!lower.contains("<script"), "no script");
    // No event handler attribute (` onclick=`, ` onload=` …) and no javascript: link.
    let handler = lower.split(" on").skip(1).any(|rest| {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase())
            .collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    });
    assert!(!handler, "no event handler");
    assert!(!lower.contains("javascript:") && !lower.contains("//cdn"));
    assert!(!lower.contains("<img") && !lower.contains("<iframe") && !lower.contains("@import"));
    assert_eq!(lower.matches("<link ").count(), 1);
    assert!(page.contains("<link rel=\"stylesheet\" href=\"style.css\">"));
    // The SVG's namespace is a name, never fetched.
    assert_eq!(
        lower.matches("http").count(),
        lower
            .matches("xmlns=\"http://www.w3.org/2000/svg\"")
            .count()
    );
    assert!(
        !publish::STYLE.contains("url("),
        "the stylesheet loads nothing"
    );
}

#[test]
fn an_indicator_cell_names_its_year_half_row_and_the_meaning_of_its_symbol() {
    let report = sample_report();
    let page = publish::site(&report, None).unwrap().html;
    let m = report
        .measures
        .iter()
        .find(|m| report.value(m.id, 2023, Field::Indicator(Half::H2)) == "○")
        .expect("a measure on track in 令和５年度 下半期");
    let cell = format!(
        "<td class=\"mark\" headers=\"m{0}-no m{0}-dept y2023 y2023-H2 m{0}-prog m{0}-ind\"><span aria-hidden=\"true\">○</span><span class=\"vh\">令和５年度 下半期 進捗 指標：計画どおり進行中</span></td>",
        m.id
    );
    assert!(page.contains(&cell), "{cell}");
    // Every header it names is there.
    for id in ["y2023", "y2023-H2"] {
        assert!(page.contains(&format!("<th id=\"{id}\"")), "{id}");
    }
    for id in ["no", "dept", "prog", "ind"] {
        assert!(page.contains(&format!("<th id=\"m{}-{id}\"", m.id)), "{id}");
    }
    // No glyph is shown without its name and meaning beside it for assistive technology.
    let cells: Vec<&str> = page
        .split("<td class=\"mark\" headers=")
        .skip(1)
        .map(|rest| &rest[..rest.find("</td>").unwrap()])
        .collect();
    let marked = cells.iter().filter(|c| c.contains("aria-hidden")).count();
    assert!(marked > 300, "{marked}");
    for c in cells.iter().filter(|c| c.contains("aria-hidden")) {
        let meaning = Indicator::ALL
            .iter()
            .any(|m| c.contains(&format!("指標：{}</span>", m.meaning())));
        assert!(meaning && c.contains("<span class=\"vh\">令和"), "{c}");
    }
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let report = sample_report();
    let dir = TempDir::new();
    let (a, b) = (dir.path("a"), dir.path("b"));
    publish::publish(&report, None, &a).unwrap();
    publish::publish(&Report::load(&sample_store()).unwrap(), None, &b).unwrap();
    for name in FILES {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
        );
        assert!(!x.is_empty(), "{name}");
        assert_eq!(x, y, "{name} differs between two runs");
    }
    // Nothing else in the folder: no temporary file is left behind.
    let mut names: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec![PAGE, PLEDGES_CSV, CSV, STYLESHEET]);
}

#[test]
fn hostile_text_in_a_measure_stays_text() {
    let mut report = sample_report();
    let hostile = "<script>alert(\"x\")</script> & 'q' </td></table><a href=\"javascript:1\">";
    report.measures[0].content = hostile.to_string();
    let id = report.measures[0].id;
    report.cells.insert(
        CellKey {
            measure_id: id,
            year: 2024,
            field: Field::Status(Half::H2),
        },
        CellValue {
            value: format!("状況 {hostile}\n2行目"),
            ..report
                .cells
                .values()
                .next()
                .cloned()
                .expect("a cell to copy")
        },
    );
    let page = publish::site(&report, None).unwrap().html;
    assert!(!page.to_lowercase().contains("<script"));
    assert!(!page.contains("<a href=\"javascript"));
    assert!(page.contains(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &lt;/td&gt;&lt;/table&gt;"
    ));
    assert!(page.contains(&format!("状況 {}<br>2行目", html(hostile))));
    // Each table still has one closing tag: the overview's counts, the report, the tally's two.
    assert_eq!(page.matches("</table>").count(), 4);
}

#[test]
fn the_csv_beside_the_page_is_the_exports() {
    let report = sample_report();
    let dir = TempDir::new();
    let options = ExportOptions {
        years: Some(vec![2024]),
        department: None,
    };
    export::export_csv(&report, &options, &dir.path("export.csv")).unwrap();
    let summary = publish::publish(&report, Some(vec![2024]), &dir.path("site")).unwrap();
    assert_eq!(summary.years, vec![2024]);
    assert_eq!(
        std::fs::read(dir.path("site").join(CSV)).unwrap(),
        std::fs::read(dir.path("export.csv")).unwrap()
    );
    let page = std::fs::read_to_string(&summary.page).unwrap();
    assert!(page.contains("令和６年度") && !page.contains("id=\"y2023\""));
}

#[test]
fn the_command_writes_the_site_and_refuses_what_makes_no_sense() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let site = dir.path("公開");
    let out = run(&[
        "publish",
        "--db",
        db,
        "--out",
        site.to_str().unwrap(),
        "--years",
        "2023,2024",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("公開用ページを書き出しました（実施内容 81 件、令和５年度・令和６年度"),
        "{}",
        out.stdout
    );
    for name in FILES {
        assert!(site.join(name).is_file(), "{name}");
    }

    // The output is a file.
    let file = dir.path("a.txt");
    std::fs::write(&file, "x").unwrap();
    let out = run(&["publish", "--db", db, "--out", file.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("はファイルです。"), "{}", out.stderr);
    assert_eq!(std::fs::read(&file).unwrap(), b"x");

    // A folder that cannot be made (under a file), and a year the report does not have.
    let under = file.join("site");
    let out = run(&["publish", "--db", db, "--out", under.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("を作成できません"), "{}", out.stderr);
    let nowhere = dir.path("never");
    let out = run(&[
        "publish",
        "--db",
        db,
        "--out",
        nowhere.to_str().unwrap(),
        "--years",
        "2019",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("令和元年度）はこの報告にありません"),
        "{}",
        out.stderr
    );
    assert!(!nowhere.exists(), "a refused site makes no folder");
}

#[test]
fn a_folder_with_other_files_is_refused_and_left_as_it_was() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    // The desktop, say: replacing it whole would lose the user's files.
    let desktop = dir.path("デスクトップ");
    std::fs::create_dir_all(&desktop).unwrap();
    std::fs::write(desktop.join("議事録.docx"), "keep me").unwrap();
    std::fs::write(desktop.join(PAGE), "old page").unwrap();
    // A folder under the page's name is no page either.
    let odd = dir.path("odd");
    std::fs::create_dir_all(odd.join(PAGE)).unwrap();
    for (folder, example) in [(&desktop, "議事録.docx"), (&odd, PAGE)] {
        let out = run(&["publish", "--db", db, "--out", folder.to_str().unwrap()]);
        assert_eq!(out.code, 1);
        assert!(
            out.stderr.contains("公開用ページ以外のファイル") && out.stderr.contains(example),
            "{}",
            out.stderr
        );
    }
    assert_eq!(
        std::fs::read(desktop.join("議事録.docx")).unwrap(),
        b"keep me"
    );
    assert_eq!(std::fs::read(desktop.join(PAGE)).unwrap(), b"old page");
    assert!(odd.join(PAGE).is_dir());
    // Nothing is left beside them.
    assert_eq!(
        crate::common::names(dir.0.path()),
        ["odd", "report.db", "デスクトップ"]
    );
}

/// Regression: a publish that failed half-way (a full disk) left a new report.csv beside the
/// old index.html. The site is written beside the old one and swapped in whole.
#[test]
fn a_second_publish_replaces_the_whole_site_and_leaves_nothing_beside_it() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let db = db.to_str().unwrap();
    let site = dir.path("公開");
    let s = site.to_str().unwrap();
    run(&["publish", "--db", db, "--out", s, "--years", "2023,2024"]);
    let first = std::fs::read(site.join(PAGE)).unwrap();
    let out = run(&["publish", "--db", db, "--out", s, "--years", "2024"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let second = std::fs::read(site.join(PAGE)).unwrap();
    assert_ne!(first, second);
    let report =
        Report::load(&shinchoku_core::Store::open(std::path::Path::new(db)).unwrap()).unwrap();
    let expected = publish::site(&report, Some(vec![2024])).unwrap();
    assert_eq!(second, expected.html.as_bytes());
    for (name, bytes) in expected.files() {
        assert_eq!(std::fs::read(site.join(name)).unwrap(), bytes, "{name}");
    }
    assert_eq!(
        crate::common::names(dir.0.path()),
        ["report.db", "公開"],
        "no staging folder left"
    );
    // `.` names the folder it is run in once resolved.
    let out = run(&["publish", "--db", db, "--out", &format!("{s}/.")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// The part of the page between `<li class="pledge" id="status-N">` and the next block.
fn pledge_block(page: &str, number: u32) -> &str {
    let start = page
        .find(&format!("<li class=\"pledge\" id=\"status-{number}\">"))
        .unwrap_or_else(|| panic!("no block for No.{number}"));
    let rest = &page[start..];
    let end = rest[1..]
        .find("<li class=\"pledge\"")
        .or_else(|| rest.find("</ol>\n<h3 id=\"status-totals-h\""))
        .map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

#[test]
fn the_first_section_shows_each_pledge_with_its_measures_symbols_over_every_half() {
    let report = sample_report();
    let page = publish::site(&report, None).unwrap().html;
    let main = page.find("<main id=\"main\">").unwrap();
    let section = page
        .find("<section id=\"status\"")
        .expect("the section 公約ごとの状況");
    assert!(
        page[main..section].trim() == "<main id=\"main\">",
        "it is the first section"
    );
    assert!(page[section..].contains("<h2 id=\"status-h\">公約ごとの状況</h2>"));
    let pledges: Vec<_> = report
        .pledges
        .iter()
        .filter(|p| report.measures.iter().any(|m| m.pledge_id == p.id))
        .collect();
    assert_eq!(pledges.len(), 45);
    let mut glyphs = 0;
    for p in pledges {
        let block = pledge_block(&page, p.number);
        assert!(
            block.contains(&format!(
                "No.{}</span> {}",
                p.number,
                html(&p.title.replace('\n', " "))
            )),
            "No.{}: its number and title",
            p.number
        );
        assert!(block.contains(&format!("<a href=\"#pledge-{}\">", p.number)));
        let measures: Vec<_> = report
            .measures
            .iter()
            .filter(|m| m.pledge_id == p.id)
            .collect();
        assert!(
            block.contains(&format!("<p class=\"state\">{} 件中", measures.len())),
            "No.{}: its state",
            p.number
        );
        for m in measures {
            assert!(block.contains(&html(report.department_name(m.department_id))));
            for y in &report.years {
                for half in Half::BOTH {
                    let value = report.value(m.id, y.year, Field::Indicator(half));
                    let note = report.value(m.id, y.year, Field::YearNote);
                    let Some(mark) = Indicator::ALL.into_iter().find(|i| i.glyph() == value) else {
                        continue;
                    };
                    if !note.is_empty() {
                        continue;
                    }
                    let period = format!("{} {}", y.label(), half.label());
                    let item = format!(
                        "<span class=\"glyph\" aria-hidden=\"true\">{value}</span><span class=\"when\" aria-hidden=\"true\">R{}{}</span><span class=\"vh\">{period}：{}</span>",
                        y.year - 2018,
                        &half.label()[..3],
                        mark.meaning()
                    );
                    assert!(
                        block.contains(&item),
                        "No.{} measure {}: {item}",
                        p.number,
                        m.id
                    );
                    glyphs += 1;
                }
            }
        }
    }
    assert!(glyphs > 200, "the sample's symbols are shown: {glyphs}");
    // The whole report's counts per half-year, as a table and a chart with a text alternative.
    let totals = &page[page.find("id=\"status-totals-h\"").expect("the totals")..];
    assert!(totals.contains("<th id=\"st-r0\" scope=\"row\">令和５年度 上半期</th>"));
    assert!(totals.contains("<desc id=\"chart-status-d\">令和５年度 上半期：☆ "));
}

/// The roll-up's CSV: one row per pledge and half-year, a header row, one value per cell, the
/// Western year beside the era; each row's counts add up to the measures reporting in the half.
#[test]
fn the_second_csv_has_a_row_per_pledge_and_half_with_counts_that_add_up() {
    let report = sample_report();
    let site = publish::site(&report, None).unwrap();
    assert_eq!(
        site.files().map(|(name, _)| name),
        FILES,
        "the site writes exactly the files its folder may hold"
    );
    let text = site
        .pledges_csv
        .strip_prefix('\u{FEFF}')
        .expect("a BOM for Excel");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(
        &header[..7],
        [
            "公約番号",
            "公約",
            "年度",
            "年度（和暦）",
            "半期",
            "実施内容の件数",
            "報告した実施内容の件数"
        ]
    );
    assert_eq!(header.len(), 17);
    let halves = report.years.len() * 2;
    assert_eq!(lines.len() - 1, 45 * halves, "45 pledges × {halves} halves");
    assert!(site.html.contains(&format!(
        "{PLEDGES_CSV}</a>（公約ごとの状況の CSV、文字コード UTF-8（BOM 付き）、{} 行）",
        45 * halves
    )));
    for line in &lines[1..] {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), header.len(), "one value per cell: {line}");
        let year: i32 = cells[2].parse().expect("the Western year");
        assert_eq!(cells[3], shinchoku_core::wareki::fiscal_year_label(year));
        let pledge = report
            .pledges
            .iter()
            .find(|p| p.number.to_string() == cells[0])
            .expect("a pledge of the report");
        let half = if cells[4] == "上半期" {
            Half::H1
        } else {
            Half::H2
        };
        // Counted here from the cells: the measures that report in the half.
        let reporting = report
            .measures
            .iter()
            .filter(|m| m.pledge_id == pledge.id)
            .filter(|m| m.last_year.is_none_or(|last| year <= last))
            .filter(|m| report.value(m.id, year, Field::YearNote).is_empty())
            .collect::<Vec<_>>();
        let n: Vec<usize> = cells[5..].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(n[1], reporting.len(), "{line}");
        assert_eq!(n[2..8].iter().sum::<usize>(), n[1], "{line}");
        let on_track = reporting
            .iter()
            .filter(|m| report.value(m.id, year, Field::Indicator(half)) == "○")
            .count();
        assert_eq!(n[3], on_track, "{line}");
    }
}
