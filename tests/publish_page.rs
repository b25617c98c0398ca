//! The published page (`shinchoku publish`) as the real checkers see it: the Nu Html Checker
//! (vnu.jar, npm `vnu-jar`, on Java) finds no error in the page and its stylesheet; axe-core, run
//! in headless Chromium over chromedriver, finds no WCAG 2.1 A/AA violation, and Chromium names
//! an indicator cell with its half-year, its 区分 and the symbol's meaning; Chromium's print is A3
//! landscape with every cell text whole and no measure across two pages.
//!
//! Each checker is first shown a page it must fault, so that none of these tests can pass by
//! checking nothing. A missing tool fails the test (scripts/install-deps.sh installs them all).
//! Every process a test starts is ended by a guard when the test ends, however it ends.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use shinchoku_core::model::{Field, Half, Source};
use shinchoku_core::publish;
use shinchoku_core::report::Report;
use shinchoku_core::Store;
use webdriver::{free_port, request, ELEMENT};

/// The WebDriver transport the window tests use: the same calls to chromedriver.
mod webdriver;

/// Chromium as the tests run it: headless, quiet, nothing fetched in the background.
const CHROMIUM_FLAGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
];

fn sample_report() -> Report {
    let mut store = Store::open_in_memory().unwrap();
    shinchoku_core::sample::sample()
        .load_into(&mut store, &Source::Sample)
        .unwrap();
    Report::load(&store).unwrap()
}

/// The sample published into a new temporary folder.
fn published() -> (tempfile::TempDir, Report, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let report = sample_report();
    let site = dir.path().join("site");
    publish::publish(&report, None, &site).unwrap();
    (dir, report, site)
}

fn npm_tool(path: &str) -> PathBuf {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/axe/node_modules")
        .join(path);
    assert!(
        file.is_file(),
        "{} is missing: scripts/install-deps.sh installs it (npm ci --prefix tests/axe)",
        file.display()
    );
    file
}

/// A process group started by a test, killed (SIGKILL to the group) when dropped: chromedriver
/// and Chromium start helpers of their own, which end with it.
struct Group {
    id: u32,
    child: Option<Child>,
}

impl Group {
    fn spawn(command: &mut Command, what: &str) -> Group {
        let child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{what} is needed for this test (scripts/install-deps.sh installs it): {e}")
            });
        Group {
            id: child.id(),
            child: Some(child),
        }
    }

    /// Waits for the process, for at most `limit`, and returns what it printed.
    fn finish(mut self, limit: Duration) -> Output {
        let mut child = self.child.take().expect("a running process");
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > limit {
                let _ = child.kill();
                panic!("a tool ran longer than {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        child.wait_with_output().unwrap()
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let group = format!("-{}", self.id);
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        if let Some(mut child) = self.child.take() {
            let _ = child.wait();
        }
    }
}

fn run(program: &str, args: &[&str]) -> Output {
    Group::spawn(Command::new(program).args(args), program).finish(Duration::from_secs(180))
}

/// vnu.jar's errors for `file` (`--css` for a stylesheet): one line each.
fn nu_errors(file: &Path, css: bool) -> Vec<String> {
    let jar = npm_tool("vnu-jar/build/dist/vnu.jar");
    let mut args = vec![
        "-jar",
        jar.to_str().unwrap(),
        "--errors-only",
        "--exit-zero-always",
    ];
    if css {
        args.push("--css");
    }
    args.push(file.to_str().unwrap());
    let out = run("java", &args);
    assert!(out.status.success(), "vnu.jar did not run: {out:?}");
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains("error"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_nu_html_checker_finds_no_error_in_the_page_and_its_stylesheet() {
    let (dir, _, site) = published();
    // The checker faults a broken page and a broken stylesheet.
    let bad = dir.path().join("bad.html");
    std::fs::write(&bad, "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>x</title></head><body><p id=\"a\">1</p><p id=\"a\">2</p><table><tr><td headers=\"none\">3</td></tr></table></body></html>").unwrap();
    assert!(
        nu_errors(&bad, false).len() >= 2,
        "vnu.jar finds nothing in a bad page"
    );
    let bad_css = dir.path().join("bad.css");
    std::fs::write(&bad_css, "p { colr: red; width: 10 px }").unwrap();
    assert!(
        !nu_errors(&bad_css, true).is_empty(),
        "vnu.jar finds nothing in a bad stylesheet"
    );

    let errors = nu_errors(&site.join(publish::PAGE), false);
    assert!(errors.is_empty(), "index.html:\n{}", errors.join("\n"));
    let errors = nu_errors(&site.join(publish::STYLESHEET), true);
    assert!(errors.is_empty(), "style.css:\n{}", errors.join("\n"));
}

/// chromedriver on a free port with one headless Chromium session; both end with the value.
struct Browser {
    _driver: Group,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        Browser::start_with(json!({}))
    }

    /// A phone's screen, `width` × `height` CSS pixels: Chromium's mobile emulation, which
    /// honours the page's viewport meta tag as a phone does (a headless window is never
    /// narrower than 500 px).
    fn phone(width: u32, height: u32) -> Browser {
        Browser::start_with(json!({"deviceMetrics": {
            "width": width, "height": height, "pixelRatio": 2.0, "mobile": true, "touch": true
        }}))
    }

    /// `mobile_emulation`: chromedriver's `mobileEmulation` option, `{}` for none.
    fn start_with(mobile_emulation: serde_json::Value) -> Browser {
        let port = free_port();
        let driver = Group::spawn(
            Command::new("chromedriver").arg(format!("--port={port}")),
            "chromedriver (Debian chromium-driver)",
        );
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while ureq::get(&format!("{url}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.push("--window-size=1400,1000".into());
        let mut options = json!({"binary": "/usr/bin/chromium", "args": args});
        if mobile_emulation != json!({}) {
            options["mobileEmulation"] = mobile_emulation;
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options
        }}});
        let value = request(ureq::post(&format!("{url}/session")), Some(caps));
        let id = value["sessionId"].as_str().expect("a session").to_string();
        Browser {
            _driver: driver,
            session: format!("{url}/session/{id}"),
            _profile: profile,
        }
    }

    fn open(&self, page: &Path) {
        let url = format!("file://{}", page.display());
        request(
            ureq::post(&format!("{}/url", self.session)),
            Some(json!({"url": url})),
        );
    }

    fn find(&self, css: &str) -> String {
        let found = request(
            ureq::post(&format!("{}/element", self.session)),
            Some(json!({"using": "css selector", "value": css})),
        );
        found[ELEMENT].as_str().expect("an element").to_string()
    }

    /// Runs `script` (a function body that returns a value) in the page open now.
    fn eval(&self, script: &str) -> serde_json::Value {
        request(
            ureq::post(&format!("{}/execute/sync", self.session)),
            Some(json!({"script": script, "args": []})),
        )
    }

    fn computed_label(&self, element: &str) -> String {
        request(
            ureq::get(&format!("{}/element/{element}/computedlabel", self.session)),
            None,
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// axe-core's WCAG 2.1 A and AA violations in the page open now, one line each.
    fn violations(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(npm_tool("axe-core/axe.min.js")).unwrap();
        let loaded = request(
            ureq::post(&format!("{}/execute/sync", self.session)),
            Some(
                json!({"script": format!("{axe}\n;return typeof window.axe !== 'undefined';"), "args": []}),
            ),
        );
        assert_eq!(loaded, json!(true), "axe-core did not load");
        let found = request(
            ureq::post(&format!("{}/execute/async", self.session)),
            Some(
                json!({"script": "const done = arguments[arguments.length - 1];
                window.axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                  .then((r) => done(r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
                     v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | '))),
                        (e) => done([`axe-core failed: ${e}`]));", "args": []}),
            ),
        );
        found
            .as_array()
            .expect("axe-core's answer")
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Chromium is closed with its session; the guard then ends chromedriver's group.
        let _ = ureq::delete(&self.session)
            .timeout(Duration::from_secs(10))
            .call();
    }
}

#[test]
fn axe_core_finds_no_wcag_violation_and_an_indicator_cell_says_its_half_row_and_meaning() {
    let (dir, report, site) = published();
    let browser = Browser::start();
    // axe-core faults a page without a language, an image without a text and a nameless field.
    let bad = dir.path().join("bad.html");
    std::fs::write(&bad, "<!DOCTYPE html><html><head><title>x</title></head><body><img src=\"x.png\"><input type=\"text\"><p style=\"color:#bbb\">薄い文字</p></body></html>").unwrap();
    browser.open(&bad);
    assert!(
        browser.violations().len() >= 3,
        "axe-core finds nothing in a bad page"
    );

    browser.open(&site.join(publish::PAGE));
    let violations = browser.violations();
    assert!(
        violations.is_empty(),
        "WCAG 2.1 A/AA:\n{}",
        violations.join("\n")
    );

    // A measure's ○ in 令和５年度 下半期, read as a screen reader gets it.
    let m = report
        .measures
        .iter()
        .find(|m| report.value(m.id, 2023, Field::Indicator(Half::H2)) == "○")
        .expect("a measure on track");
    let cell = browser.find(&format!(
        "td.mark[headers~=\"m{}-ind\"][headers~=\"y2023-H2\"]",
        m.id
    ));
    let name = browser.computed_label(&cell);
    for part in ["令和５年度", "下半期", "進捗", "指標", "計画どおり進行中"] {
        assert!(
            name.contains(part),
            "«{part}» is not in the cell's name «{name}»"
        );
    }
    assert!(!name.contains('○'), "the glyph is not read: «{name}»");
}

/// Text with every kind of space and line break removed: wrapping splits a cell's text anywhere.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

#[test]
fn chromium_prints_a3_landscape_every_text_whole_and_no_measure_across_pages() {
    let (dir, report, site) = published();
    let profile = dir.path().join("profile");
    let pdf = dir.path().join("page.pdf");
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
    args.extend([
        format!("--user-data-dir={}", profile.display()),
        "--no-pdf-header-footer".into(),
        format!("--print-to-pdf={}", pdf.display()),
        format!("file://{}", site.join(publish::PAGE).display()),
    ]);
    let out = Group::spawn(
        Command::new("chromium").args(&args),
        "chromium (Debian chromium)",
    )
    .finish(Duration::from_secs(180));
    assert!(
        pdf.is_file(),
        "chromium printed nothing: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let info =
        String::from_utf8_lossy(&run("pdfinfo", &[pdf.to_str().unwrap()]).stdout).into_owned();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo tells the page count");
    let size = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .expect("a page size");
    let dims: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    // A3 landscape is 1190.55 × 841.89 pt; Chromium rounds to its own units (1191.12 × 841.92).
    assert!(
        (dims[0] - 1190.55).abs() < 1.0 && (dims[1] - 841.89).abs() < 1.0,
        "not A3 landscape: {size}"
    );
    let texts: Vec<String> = (1..=pages)
        .map(|p| {
            let p = p.to_string();
            let out = run(
                "pdftotext",
                &["-raw", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
            );
            squeeze(&String::from_utf8_lossy(&out.stdout))
        })
        .collect();
    // The council's table: the pages with its header rows. (The summary before it repeats a
    // measure's content and status, which must not stand in for the table's.)
    const HEADER: &str = "実施内容目標期日所管課等";
    let first_table_page = texts
        .iter()
        .position(|p| p.contains(HEADER))
        .expect("the table's header rows are printed");
    let (summary, table) = texts.split_at(first_table_page);
    let on_page = |t: &str| table.iter().any(|page| page.contains(&squeeze(t)));
    // 公約ごとの状況 comes first, and no pledge's block is split: its heading and its last
    // line (the link to the table) print on one page.
    assert!(!summary.is_empty(), "the summary prints before the table");
    let mut blocks = 0;
    for p in &report.pledges {
        if !report.measures.iter().any(|m| m.pledge_id == p.id) {
            continue;
        }
        let heading = squeeze(&format!("No.{} {}", p.number, p.title.replace('\n', " ")));
        let end = squeeze(&publish::summary::table_link_text(p.number));
        assert!(
            summary
                .iter()
                .any(|page| page.contains(&heading) && page.contains(&end)),
            "the block of No.{} is split across pages (or missing)",
            p.number
        );
        blocks += 1;
    }
    assert_eq!(blocks, 45);
    let years = [2023, 2024];
    for m in &report.measures {
        let mut cells = vec![
            report.pledge_cell(m),
            m.content.clone(),
            m.target_date.clone(),
            report.department_name(m.department_id).to_string(),
        ];
        let mut last = m.content.clone();
        for year in years {
            for field in Field::ALL {
                let value = report.value(m.id, year, field);
                if !value.trim().is_empty() && !field.is_indicator() {
                    cells.push(value.to_string());
                    last = value.to_string();
                }
            }
        }
        for text in &cells {
            assert!(
                on_page(text),
                "measure {}: «{text}» is not printed whole",
                m.id
            );
        }
        // The measure's first text and its last on one page: it is not split.
        let (first, last) = (squeeze(&m.content), squeeze(&last));
        assert!(
            table
                .iter()
                .any(|p| p.contains(&first) && p.contains(&last)),
            "measure {} is split across pages",
            m.id
        );
    }
    // The header rows are repeated on every page of the report.
    let report_pages = table.iter().filter(|p| p.contains(HEADER)).count();
    assert!(
        report_pages > 10,
        "header rows on {report_pages} pages of {pages}"
    );
    // Pages for a person to look at.
    let shown = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/publish-pages");
    std::fs::create_dir_all(&shown).unwrap();
    let _ = std::fs::copy(&pdf, shown.join("page.pdf"));
    eprintln!(
        "{pages} pages of A3 landscape: {}",
        shown.join("page.pdf").display()
    );
}

/// On a phone (360 × 800) the page itself never scrolls sideways: only the council's table and
/// the counts scroll inside their own regions. axe finds nothing there either, and every one of
/// the 45 pledges shows its measures' symbols over every half-year, each with its words.
#[test]
fn at_360_px_the_page_never_scrolls_sideways_and_every_pledge_shows_its_symbols() {
    let (dir, report, site) = published();
    let browser = Browser::phone(360, 800);
    let widths = "return [window.innerWidth, document.documentElement.clientWidth, document.documentElement.scrollWidth];";
    // A page with something wider than the phone does scroll: the measure can fail.
    let bad = dir.path().join("wide.html");
    std::fs::write(&bad, "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>x</title></head><body><div style=\"width:600px\">広い</div></body></html>").unwrap();
    browser.open(&bad);
    let wide = browser.eval(widths);
    // (A phone's browser widens the layout to the content and zooms out: innerWidth follows.)
    assert!(
        wide[2].as_i64() > wide[1].as_i64() && wide[1] == json!(360),
        "a 600 px block does not widen the page: {wide}"
    );

    browser.open(&site.join(publish::PAGE));
    let sizes = browser.eval(widths);
    eprintln!("at 360 px: innerWidth, clientWidth, scrollWidth = {sizes}");
    assert_eq!(sizes[1], json!(360), "the viewport is a phone's: {sizes}");
    // What sticks out, outside the regions that scroll on their own, for the message.
    let wider = browser.eval(
        "return [...document.querySelectorAll('body *')]
           .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
           .slice(0, 8).map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);",
    );
    assert!(
        sizes[2] == sizes[1] && sizes[0] == sizes[1],
        "the page scrolls sideways at 360 px: {sizes}; wider than the screen: {wider}"
    );
    // The council's table keeps its own scroll area, which a keyboard can reach.
    let table = browser.eval("const w = document.querySelector('#report .table-wrap'); return [w.scrollWidth > w.clientWidth, w.tabIndex, w.getAttribute('role')];");
    assert_eq!(table, json!([true, 0, "region"]));

    let violations = browser.violations();
    assert!(
        violations.is_empty(),
        "WCAG 2.1 A/AA at 360 px:\n{}",
        violations.join("\n")
    );

    // Every pledge's block: its number and, per measure, one glyph per half-year with its words.
    let blocks = browser.eval(
        "return [...document.querySelectorAll('#status li.pledge')].map((b) => [
           b.querySelector('h3').textContent,
           [...b.querySelectorAll('ol.trend')].map((t) => [...t.children].map((li) =>
             [li.querySelector('.glyph').textContent, li.querySelector('.vh').textContent]))]);",
    );
    let blocks = blocks.as_array().expect("the blocks");
    assert_eq!(blocks.len(), 45, "one block per pledge");
    let periods: Vec<String> = report
        .years
        .iter()
        .flat_map(|y| Half::BOTH.map(|h| format!("{} {}", y.label(), h.label())))
        .collect();
    for p in report.pledges.iter().filter(|p| p.number <= 45) {
        let block = blocks
            .iter()
            .find(|b| {
                b[0].as_str()
                    .is_some_and(|h| h.starts_with(&format!("No.{} ", p.number)))
            })
            .unwrap_or_else(|| panic!("No.{} has no block", p.number));
        let measures: Vec<_> = report
            .measures
            .iter()
            .filter(|m| m.pledge_id == p.id)
            .collect();
        let trends = block[1].as_array().expect("its measures");
        assert_eq!(
            trends.len(),
            measures.len(),
            "No.{}: one row per measure",
            p.number
        );
        for (m, trend) in measures.iter().zip(trends) {
            let items = trend.as_array().expect("the glyphs");
            assert_eq!(
                items.len(),
                periods.len(),
                "No.{}: one glyph per half",
                p.number
            );
            for ((item, period), (year, half)) in items.iter().zip(&periods).zip(
                report
                    .years
                    .iter()
                    .flat_map(|y| Half::BOTH.map(|h| (y.year, h))),
            ) {
                let (glyph, words) = (item[0].as_str().unwrap(), item[1].as_str().unwrap());
                assert!(words.starts_with(&format!("{period}：")), "{words}");
                let value = report.value(m.id, year, Field::Indicator(half));
                let noted = !report.value(m.id, year, Field::YearNote).is_empty();
                if ["☆", "○", "△", "×"].contains(&value) && !noted {
                    assert_eq!(glyph, value, "No.{} {period}", p.number);
                }
            }
        }
    }
}
