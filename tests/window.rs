//! The window used as a person uses it, by keyboard and screen reader too: undo, the indicator
//! keys, IME composition, a cell's history, every dialog's Escape, Japanese dates, and axe-core's
//! WCAG 2.1 A/AA check of every view and dialog. Through tauri-driver under Xvfb, like e2e.rs.

mod app;
mod webdriver;

use std::path::Path;
use std::time::Duration;

use app::*;
use serde_json::json;
use webdriver::{Driver, Session};

const ESCAPE: &str = "\u{E00C}";
const CONTROL: &str = "\u{E009}";
const SHIFT: &str = "\u{E008}";
const F10: &str = "\u{E03A}";
const TAB: &str = "\u{E004}";
const ARROW_RIGHT: &str = "\u{E014}";

fn is_open(s: &Session, dialog: &str) -> bool {
    s.execute(
        "return document.getElementById(arguments[0]).open",
        json!([dialog]),
    ) == json!(true)
}

fn wait_closed(s: &Session, dialog: &str) {
    s.wait_for(&format!("{dialog} to close"), || {
        (!is_open(s, dialog)).then_some(())
    });
}

/// The element that has the focus, as `data-key` or `id` (whichever it has) and its tag.
fn focused(s: &Session) -> String {
    s.execute(
        "const a = document.activeElement; return `${a.tagName} ${a.closest('[data-key]')?.dataset.key ?? a.id}`",
        json!([]),
    )
    .as_str()
    .unwrap()
    .to_string()
}

/// Undo by the button and by Ctrl+Z outside a field; keys 1–4 and 0 and the arrows on an
/// indicator group, which is one tab stop; the history by Shift+F10, closed by Escape.
#[test]
fn undo_indicator_keys_and_history_work_from_the_keyboard() {
    let (dir, db, db_text) = sample_report();
    let own = measure_of(&db, DEPARTMENT);
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &db_text);
    let original = stored(&db, own, "2024", "H2", "status");

    // Undo by the button.
    let status = s.find(&format!("textarea[data-key='{own}:2024:h2_status']"));
    s.clear(&status);
    s.send_keys(&status, "一度目の入力");
    wait_saved(&s);
    assert_eq!(stored(&db, own, "2024", "H2", "status"), "一度目の入力");
    s.click(&s.find("#undo"));
    s.wait_for("the undo", || {
        (stored(&db, own, "2024", "H2", "status") == original).then_some(())
    });
    let original_text = original.as_str().unwrap_or_default().to_string();
    s.wait_for("the field to show the undone value", || {
        (s.property(&status, "value") == original_text.as_str()).then_some(())
    });

    // Undo by Ctrl+Z, the focus outside any field.
    s.send_keys(&status, "を追記");
    wait_saved(&s);
    s.click(&s.find(&format!("#measure-{own} .card-head .no")));
    s.chord(CONTROL, "z");
    s.wait_for("the Ctrl+Z undo", || {
        (stored(&db, own, "2024", "H2", "status") == original).then_some(())
    });

    // The indicator: one tab stop, keys 1–4 choose, the arrows move, 0 clears.
    let group = format!("[data-key='{own}:2024:h2_indicator']");
    let stops = s.execute(
        "return [...document.querySelectorAll(arguments[0] + ' button')].filter((b) => b.tabIndex === 0).length",
        json!([group]),
    );
    assert_eq!(stops, 1, "an indicator group is one tab stop");
    // Tab from the plan field lands in the group, on its one stop.
    let plan = s.find(&format!("textarea[data-key='{own}:2024:h2_plan']"));
    s.click(&plan);
    let mut hops = 0;
    while !focused(&s).contains(&format!("{own}:2024:h2_indicator")) {
        s.press(TAB);
        hops += 1;
        assert!(
            hops < 12,
            "Tab never reached the indicator: {}",
            focused(&s)
        );
    }
    s.press("3");
    s.wait_for("△ saved by the key 3", || {
        (stored(&db, own, "2024", "H2", "indicator") == "△").then_some(())
    });
    s.press(ARROW_RIGHT);
    s.wait_for("× chosen by the arrow key", || {
        (stored(&db, own, "2024", "H2", "indicator") == "×").then_some(())
    });
    let checked = s.find(&format!("{group} button[aria-checked='true']"));
    assert_eq!(s.text(&checked), "×");
    assert_eq!(s.property(&checked, "tabIndex"), json!(0));
    assert!(focused(&s).starts_with("BUTTON"), "{}", focused(&s));
    s.press("1");
    s.wait_for("☆ by the key 1", || {
        (stored(&db, own, "2024", "H2", "indicator") == "☆").then_some(())
    });
    s.press("0");
    s.wait_for("cleared by the key 0", || {
        stored(&db, own, "2024", "H2", "indicator")
            .is_null()
            .then_some(())
    });
    // Tab leaves the group after one stop.
    s.press(TAB);
    assert!(
        !focused(&s).contains(&format!("{own}:2024:h2_indicator")),
        "Tab stayed in the group: {}",
        focused(&s)
    );

    // The history of the status field, by Shift+F10, named in Japanese; Escape closes it.
    s.click(&status);
    s.chord(SHIFT, F10);
    s.wait_for("the history", || is_open(&s, "history").then_some(()));
    let title = s.text(&s.find("#history-title"));
    assert!(
        title.contains("こども支援課 令和６年度 下半期 進捗状況"),
        "{title}"
    );
    let rows = s.text(&s.find("#history-rows"));
    assert!(rows.contains("一度目の入力"), "{rows}");
    // The undos above are told apart from typing.
    assert!(rows.contains("アプリで元に戻す"), "{rows}");
    // The dialog opens on 閉じる, never on a button that changes the cell.
    let focus = s.execute("return document.activeElement.textContent", json!([]));
    assert_eq!(
        focus, "閉じる",
        "the history opened with the focus on {focus}"
    );
    assert_accessible(&s, "history dialog");
    s.screenshot("10-history-by-keyboard");
    s.press(ESCAPE);
    wait_closed(&s, "history");
    assert!(
        focused(&s).contains(&format!("{own}:2024:h2_status")),
        "the focus did not come back: {}",
        focused(&s)
    );
    // And by its visible button.
    s.click(&s.find(&format!("[data-history='{own}:2024:h2_status']")));
    s.wait_for("the history by its button", || {
        is_open(&s, "history").then_some(())
    });
    s.press(ESCAPE);
    wait_closed(&s, "history");
    s.quit();
}

/// IME composition: nothing is saved while the IME composes, the composed text is saved once
/// it is committed, and it is kept.
#[test]
fn nothing_is_saved_while_the_ime_composes() {
    let (dir, db, db_text) = sample_report();
    let own = measure_of(&db, DEPARTMENT);
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &db_text);
    let status = s.find(&format!("textarea[data-key='{own}:2024:h2_status']"));
    s.click(&status);
    let original = stored(&db, own, "2024", "H2", "status");
    // What an IME sends: compositionstart, input events while composing, compositionend.
    s.execute(
        "const a = arguments[0];
         a.dispatchEvent(new CompositionEvent('compositionstart', {data: ''}));
         for (const text of ['じょ', 'じょうきょう', '状況']) {
           a.value = text;
           a.dispatchEvent(new InputEvent('input', {data: text, isComposing: true, inputType: 'insertCompositionText'}));
         }",
        json!([status.reference()]),
    );
    // Longer than the autosave delay: nothing may be saved while composing.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        stored(&db, own, "2024", "H2", "status"),
        original,
        "saved during composition"
    );
    let save_state = s.execute(
        "return document.getElementById('save-state').textContent",
        json!([]),
    );
    assert!(
        !save_state.as_str().unwrap().contains("保存"),
        "a save during composition: {save_state}"
    );
    s.execute(
        "const a = arguments[0];
         a.value = '状況を確定';
         a.dispatchEvent(new CompositionEvent('compositionend', {data: '状況を確定'}));",
        json!([status.reference()]),
    );
    s.wait_for("the committed text saved", || {
        (stored(&db, own, "2024", "H2", "status") == "状況を確定").then_some(())
    });
    assert_eq!(s.property(&status, "value"), "状況を確定");
    s.quit();
}

/// Every dialog and view passes axe-core (WCAG 2.1 A/AA), and Escape cancels every dialog:
/// nothing is created, moved, sent or saved.
#[test]
fn every_view_and_dialog_is_accessible_and_escape_cancels_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let db_text = db.to_str().unwrap().to_string();
    let driver = Driver::start(&dir.path().join("data"));

    // First start: the welcome dialog.
    let s = driver.launch(Path::new(APP), &["--db", &db_text]);
    s.find("#start-sample");
    // The check itself can fail: a field without a name is found.
    s.execute(
        "const i = document.createElement('input'); i.id = 'axe-self-check'; document.getElementById('welcome').append(i);",
        json!([]),
    );
    let found = s.accessibility_violations();
    assert!(
        found.iter().any(|v| v.contains("axe-self-check")),
        "axe-core missed an unlabelled field: {found:?}"
    );
    s.execute(
        "document.getElementById('axe-self-check').remove()",
        json!([]),
    );
    assert_accessible(&s, "welcome dialog");
    s.click(&s.find("#start-sample"));
    // Who am I.
    s.find("#who-as-coordinator");
    assert_accessible(&s, "who dialog");
    s.click(&s.find("#who-as-coordinator"));
    wait_ready(&s);
    assert_accessible(&s, "report view, coordinator");
    let before = list(&db);

    // Switching who: Escape keeps the coordinator.
    s.click(&s.find("#identity"));
    s.wait_for("the who dialog", || is_open(&s, "who").then_some(()));
    s.press(ESCAPE);
    wait_closed(&s, "who");
    assert!(s.text(&s.find("#identity")).contains("取りまとめ"));

    // The submission board.
    s.click(&s.find("#submissions"));
    s.wait_for("the board", || {
        is_open(&s, "submissions-dialog").then_some(())
    });
    s.find("#board-rows tr");
    assert_accessible(&s, "submission board");
    s.press(ESCAPE);
    wait_closed(&s, "submissions-dialog");

    // 管理, and the measure form in it: Escape adds nothing.
    s.click(&s.find("#admin"));
    s.wait_for("管理", || is_open(&s, "admin-dialog").then_some(()));
    s.find("#periods tr");
    assert_accessible(&s, "admin dialog");
    s.click(&s.find("#measure-new"));
    s.wait_for("the measure form", || {
        is_open(&s, "measure-dialog").then_some(())
    });
    s.send_keys(&s.find("#m-pledge"), "1");
    s.send_keys(&s.find("#m-content"), "Escape で消える実施内容");
    assert_accessible(&s, "measure dialog");
    s.press(ESCAPE);
    wait_closed(&s, "measure-dialog");
    s.press(ESCAPE);
    wait_closed(&s, "admin-dialog");

    // The import preview: Escape imports nothing.
    cli(&[
        "export",
        "--db",
        &db_text,
        "--out",
        &dir.path().join("返却.xlsx").to_string_lossy(),
    ]);
    driver.answer_next_dialog(json!(dir.path().join("返却.xlsx")));
    s.click(&s.find("#import"));
    s.wait_for("the import preview", || {
        is_open(&s, "import-dialog").then_some(())
    });
    s.find("#import-summary");
    assert_accessible(&s, "import dialog");
    s.press(ESCAPE);
    wait_closed(&s, "import-dialog");

    // The history of a cell: its button shows where the pointer or the focus is.
    let own = measure_of(&db, DEPARTMENT);
    s.click(&s.find(&format!("[data-key='{own}:2024:h2_status']")));
    s.click(&s.find(&format!("[data-history='{own}:2024:h2_status']")));
    s.wait_for("the history", || is_open(&s, "history").then_some(()));
    s.press(ESCAPE);
    wait_closed(&s, "history");
    s.quit();
    assert_eq!(list(&db), before, "a cancelled dialog changed the report");

    // A department's view: other departments' cells are read-only yet reachable and named.
    let s = driver.launch(Path::new(APP), &["--db", &db_text]);
    wait_ready(&s);
    s.click(&s.find("#identity"));
    let select = s.find("#who-department");
    s.execute(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));",
        json!([select.reference(), DEPARTMENT]),
    );
    s.click(&s.find("#who-as-department"));
    s.wait_for("the department's view", || {
        s.text(&s.find("#identity"))
            .contains(DEPARTMENT)
            .then_some(())
    });
    wait_ready(&s);
    s.execute(
        "const f = document.getElementById('filter-department'); f.value = ''; f.dispatchEvent(new Event('change'));",
        json!([]),
    );
    let other = measure_of(&db, "危機管理室");
    s.execute(
        "document.getElementById('measure-' + arguments[0]).scrollIntoView()",
        json!([other]),
    );
    let cell = s.find(&format!("div.text[data-key='{other}:2024:h2_status']"));
    assert_eq!(
        s.property(&cell, "tabIndex"),
        json!(0),
        "a read-only cell is not focusable"
    );
    let name = s.execute(
        "return arguments[0].getAttribute('aria-label')",
        json!([cell.reference()]),
    );
    assert!(
        name.as_str()
            .unwrap()
            .ends_with("危機管理室 令和６年度 下半期 進捗状況"),
        "{name}"
    );
    assert_accessible(&s, "report view, department");
    s.screenshot("11-department-view");
    s.quit();
}

/// 管理's dates are shown and entered the Japanese way whatever the OS locale; an unreadable
/// date is refused with the field highlighted. The filter finds a measure by number.
#[test]
fn dates_are_japanese_and_the_filter_finds_a_pledge_by_number() {
    let (dir, _, db_text) = sample_report();
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &db_text);
    s.click(&s.find("#admin"));
    s.find("#periods tr");
    let deadline = s.find("#periods input[aria-label='令和６年度 下半期 の締切']");
    s.clear(&deadline);
    s.send_keys(&deadline, "令和８年１２月２５日\u{E004}");
    s.wait_for("the deadline saved", || {
        s.text(&s.find("#tally"))
            .contains("締切 2026年12月25日")
            .then_some(())
    });
    // With a deadline, as every real period has one, the top bar still keeps one row.
    for (width, height) in [(1366, 768), (1440, 900)] {
        s.set_window_size(width, height);
        let topbar = s
            .execute(
                "return document.querySelector('.topbar').offsetHeight",
                json!([]),
            )
            .as_i64()
            .unwrap();
        assert!(
            topbar < 70,
            "with a deadline at {width}×{height} the top bar wraps ({topbar} px)"
        );
    }
    // 管理 is drawn again after the change: the field shows the date the Japanese way.
    let shown = s.wait_for("the deadline shown in Japanese", || {
        let field = s.find("#periods input[aria-label='令和６年度 下半期 の締切']");
        (s.property(&field, "value") == "2026年12月25日").then_some(field)
    });
    // Typed over, as a person does (clearing the field would save an empty deadline first).
    s.click(&shown);
    s.chord(CONTROL, "a");
    s.send_keys(&shown, "来週の金曜\u{E004}");
    let toast = wait_toast(&s);
    assert!(toast.contains("日付として読めません"), "{toast}");
    s.find("#periods input[aria-invalid='true']");
    s.press(ESCAPE);
    wait_closed(&s, "admin-dialog");

    // The filter: a pledge number in full-width digits, a moment after the last key.
    let filter = s.find("#filter-text");
    s.send_keys(&filter, "１２");
    s.wait_for("the filter", || {
        let shown = s.execute(
            "return [...document.querySelectorAll('section.card')].filter((c) => !c.hidden).map((c) => c.dataset.no)",
            json!([]),
        );
        let numbers = shown.as_array().unwrap().clone();
        (!numbers.is_empty() && numbers.iter().all(|n| n == "12")).then_some(())
    });
    // Words are matched width-blind, as the core folds them: half-width 10月 finds the sample's
    // full-width １０月, and ＩＣＴ-style full-width letters their half-width spelling.
    let visible = |s: &Session| {
        s.execute(
            "return [...document.querySelectorAll('section.card')].filter((c) => !c.hidden).length",
            json!([]),
        )
        .as_u64()
        .unwrap()
    };
    s.clear(&filter);
    s.send_keys(&filter, "10月から");
    s.wait_for("a width-blind match", || (visible(&s) > 0).then_some(()));
    assert!(s.find_all("#no-match:not([hidden])").is_empty());
    // No match: said under the search box, not a blank pane.
    s.clear(&filter);
    s.send_keys(&filter, "該当しない語句ＸＹＺ");
    let said = s.wait_for("the empty state", || {
        let shown = s.find_all("#no-match:not([hidden])");
        shown.first().map(|n| s.text(n))
    });
    assert!(said.contains("一致する実施内容はありません"), "{said}");
    assert_eq!(visible(&s), 0);
    // The tally and the 未入力 list count what the filter shows, and say so.
    let tally = s.text(&s.find("#tally"));
    assert!(
        tally.contains("絞り込み 0件") && tally.contains("未入力 0"),
        "{tally}"
    );
    s.screenshot("12-search-no-match");
    s.quit();
}

/// The screens of the city's PCs, smallest first.
const CITY_SCREENS: [(u32, u32); 2] = [(1366, 768), (1920, 1080)];

/// Sizes the window to each of [`CITY_SCREENS`] and checks that nothing scrolls sideways (the
/// report or the 一覧, and the page) and that the top bar keeps one row; saves a screenshot
/// `<name>-<width>x<height>` of each.
fn fits_the_city_screens(s: &Session, name: &str) {
    for (width, height) in CITY_SCREENS {
        s.set_window_size(width, height);
        std::thread::sleep(Duration::from_millis(400));
        let measured = s.execute(
            "const r = document.querySelector('.report:not([hidden])'); const t = document.querySelector('.topbar'); return [r.scrollWidth - r.clientWidth, document.documentElement.scrollWidth - innerWidth, t.offsetHeight]",
            json!([]),
        );
        let [report, page, topbar] = serde_json::from_value::<[i64; 3]>(measured).unwrap();
        assert!(
            report <= 0 && page <= 0,
            "{name} at {width}×{height}: sideways {report} {page}"
        );
        assert!(
            topbar < 70,
            "{name} at {width}×{height}: the top bar wraps ({topbar} px)"
        );
        s.screenshot(&format!("{name}-{width}x{height}"));
    }
}

/// Surveying the report: past years fold to one line of marks (the 表示 option brings their
/// columns back), a column heading never breaks inside a year or a half, a 未入力 link takes the
/// focus to the empty field itself, and the window fits 1366×768 and 1920×1080 with nothing to
/// scroll sideways, on the sample and on 2,000 measures.
#[test]
fn the_report_can_be_surveyed_at_the_city_screen_sizes() {
    let (dir, _, db_text) = sample_report();
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &db_text);
    let first_card = "section.card[data-filled]";
    s.find(first_card);
    // The sample's past year (令和５年度) is folded to its marks; its columns are not drawn.
    let headings = s.text(&s.find(&format!("{first_card} thead")));
    assert!(!headings.contains("令和５年度"), "{headings}");
    let past = s.text(&s.find(&format!("{first_card} .past-marks")));
    assert!(
        past.contains("令和５年度") && past.contains("上半期"),
        "{past}"
    );
    let broken_headings = s.execute(
        "return [...document.querySelectorAll('.sheet thead th:not(.kind)')].filter((th) => th.querySelectorAll('.nowrap').length !== 2).length",
        json!([]),
    );
    assert_eq!(
        broken_headings, 0,
        "a heading without its unbreakable parts"
    );
    // Enter on a 未入力 link: the focus goes to the empty field, not the page.
    let link = s.find("#missing a");
    let key = s.execute("return arguments[0].dataset.key", json!([link.reference()]));
    s.execute("arguments[0].focus()", json!([link.reference()]));
    s.press("\u{E007}");
    s.wait_for("the focus in the empty field", || {
        let now = focused(&s);
        now.contains(key.as_str().unwrap()).then_some(())
    });
    // Every year whole, by the option, and folded again.
    s.click(&s.find("#show-past-years"));
    s.wait_for("the past year's columns", || {
        s.text(&s.find(&format!("{first_card} thead")))
            .contains("令和５年度")
            .then_some(())
    });
    s.click(&s.find("#show-past-years"));
    s.wait_for("the past year folded again", || {
        (!s.text(&s.find(&format!("{first_card} thead")))
            .contains("令和５年度"))
        .then_some(())
    });
    // The 一覧: a measure a line, its marks with their meanings, filtered like the cards; Enter on
    // a measure's link opens its card with the focus in it.
    s.click(&s.find("#view-survey"));
    let lines = s.wait_for("the 一覧", || {
        let rows = s.find_all("#survey tbody tr[data-id]");
        (!rows.is_empty()).then_some(rows.len())
    });
    assert_eq!(lines, 81, "a line per measure");
    let mark = s.execute(
        "return document.querySelector('#survey .survey-mark').getAttribute('aria-label')",
        json!([]),
    );
    assert!(
        mark.as_str().unwrap().starts_with("令和５年度 上半期："),
        "{mark}"
    );
    // Each pledge says how its measures stand; ordered by attention, one that needs it leads.
    let pledge = s.text(&s.find("#survey tr.survey-pledge"));
    assert!(pledge.contains("件中"), "{pledge}");
    assert_accessible(&s, "the 一覧");
    // By the keyboard, as the order box is reached by Tab: ↓ picks the next order.
    s.execute("document.getElementById('survey-order').focus()", json!([]));
    s.press("\u{E015}");
    s.wait_for("the 一覧 by attention", || {
        s.execute(
            "return document.querySelector('#survey tbody tr[data-id]')?.classList.contains('attention') ?? false",
            json!([]),
        )
        .as_bool()
        .unwrap()
        .then_some(())
    });
    s.screenshot("15a-survey-by-attention");
    let filter = s.find("#filter-text");
    s.send_keys(&filter, "１２");
    s.wait_for("the 一覧 filtered", || {
        let shown = s.execute(
            "return [...document.querySelectorAll('#survey tbody tr[data-id]')].filter((r) => !r.hidden).map((r) => r.dataset.no)",
            json!([]),
        );
        let numbers = shown.as_array().unwrap().clone();
        (!numbers.is_empty() && numbers.iter().all(|n| n == "12")).then_some(())
    });
    let link = s.find("#survey tbody tr[data-id]:not([hidden]) a");
    let chosen = s.execute(
        "return arguments[0].dataset.measure",
        json!([link.reference()]),
    );
    s.execute("arguments[0].focus()", json!([link.reference()]));
    s.press("\u{E007}");
    s.wait_for("the card opened from the 一覧", || {
        s.execute(
            "return document.getElementById('survey').hidden && document.activeElement.closest('section.card')?.dataset.id === arguments[0]",
            json!([chosen]),
        )
        .as_bool()
        .unwrap()
        .then_some(())
    });
    s.clear(&filter);
    s.click(&s.find("#view-survey"));
    s.find("#survey tbody tr[data-id]");
    // At 1440×900, a screen holds at least 15 measures of the 一覧, and 3 cards.
    s.set_window_size(1440, 900);
    std::thread::sleep(Duration::from_millis(400));
    let on_screen = s.execute(
        "const pane = document.getElementById('survey').getBoundingClientRect(); return [...document.querySelectorAll('#survey tbody tr[data-id]')].filter((r) => { const b = r.getBoundingClientRect(); return b.top >= pane.top && b.bottom <= pane.bottom; }).length",
        json!([]),
    );
    eprintln!("一覧: {on_screen} measures on a 1440×900 screen");
    assert!(
        on_screen.as_u64().unwrap() >= 15,
        "{on_screen} measures on one screen"
    );
    fits_the_city_screens(&s, "15-survey-list-sample");
    s.click(&s.find("#view-cards"));
    s.find(first_card);

    s.set_window_size(1440, 900);
    std::thread::sleep(Duration::from_millis(400));
    let per_screen = s.execute(
        "const r = document.getElementById('report'); const cards = [...document.querySelectorAll('section.card[data-filled]')].slice(0, 6).map((c) => c.getBoundingClientRect().height + 14); cards.sort((a, b) => a - b); return r.clientHeight / cards[Math.floor(cards.length / 2)]",
        json!([]),
    )
    .as_f64()
    .unwrap();
    eprintln!("cards: {per_screen:.2} measures on a 1440×900 screen");
    s.screenshot("13a-compact-cards-1440x900");
    assert!(per_screen >= 3.0, "{per_screen:.2} cards on one screen");
    fits_the_city_screens(&s, "13-survey-sample");
    s.quit();

    // 2,000 measures over four fiscal years.
    let big = dir.path().join("big.db");
    let big_text = big.to_str().unwrap();
    cli(&[
        "init",
        "--db",
        big_text,
        "--generate",
        "2000",
        "--years",
        "2021,2022,2023,2024",
    ]);
    // The same person again: the window remembers being the coordinator.
    let s = driver.launch(Path::new(APP), &["--db", big_text]);
    wait_ready(&s);
    s.find(first_card);
    let past = s.text(&s.find(&format!("{first_card} .past-marks")));
    assert!(
        past.contains("令和３年度") && past.contains("令和５年度"),
        "{past}"
    );
    fits_the_city_screens(&s, "14-survey-2000");
    s.click(&s.find("#view-survey"));
    let lines = s.wait_for("the 一覧 of 2,000", || {
        let n = s
            .execute(
                "return document.querySelectorAll('#survey tbody tr[data-id]').length",
                json!([]),
            )
            .as_u64()
            .unwrap();
        (n > 0).then_some(n)
    });
    assert_eq!(lines, 2000);
    fits_the_city_screens(&s, "16-survey-list-2000");
    // Back to the cards for the next start.
    s.click(&s.find("#view-cards"));
    s.quit();
}

/// A text too long to print: the hint under the field says so, by the rule the save applies,
/// before the save is refused; the refusal names the cell as the sheet does; a text that fits is
/// saved with the hint saying how full the cell is.
#[test]
fn the_hint_and_the_save_agree_on_how_much_a_cell_holds() {
    let (dir, db, db_text) = sample_report();
    let own = measure_of(&db, DEPARTMENT);
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &db_text);
    let key = format!("{own}:2024:h2_status");
    let status = s.find(&format!("textarea[data-key='{key}']"));
    let hint = |s: &Session| {
        s.execute(
            "return document.querySelector(`[data-hint-for='${arguments[0]}']`).textContent",
            json!([key]),
        )
        .as_str()
        .unwrap()
        .to_string()
    };
    // Few characters, many lines: the hint counts lines as the print does.
    s.clear(&status);
    // (Enter is how a person breaks a line in the field.)
    s.send_keys(&status, &"あ\u{E007}".repeat(40));
    let said = s.wait_for("the hint of a text too long", || {
        let text = hint(&s);
        text.contains("保存できません").then_some(text)
    });
    assert!(said.contains("行"), "{said}");
    let refusal = wait_toast(&s);
    assert!(
        refusal.contains("こども支援課 令和６年度 下半期 進捗状況"),
        "{refusal}"
    );
    assert!(!refusal.contains("ID"), "{refusal}");
    // A long text that still prints whole is saved, and the hint says how full the cell is.
    s.clear(&status);
    s.send_keys(&status, &"あ".repeat(340));
    wait_saved(&s);
    let said = s.wait_for("the hint of a full cell", || {
        let text = hint(&s);
        text.contains("印刷").then_some(text)
    });
    assert!(!said.contains("保存できません"), "{said}");
    assert_eq!(stored(&db, own, "2024", "H2", "status"), "あ".repeat(340));
    s.screenshot("17-hint-of-a-full-cell");
    // At the limit the hint quotes, one under it and one over: the hint and the save agree.
    let max: usize = said
        .split("全角で約 ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no limit in {said}"));
    for (chars, fits) in [(max - 1, true), (max, true), (max + 1, false)] {
        s.clear(&status);
        s.send_keys(&status, &"あ".repeat(chars));
        let said = s.wait_for("the hint at the limit", || {
            let text = hint(&s);
            (text.contains("保存できません") != fits && text.contains("行")).then_some(text)
        });
        if fits {
            wait_saved(&s);
            assert_eq!(
                stored(&db, own, "2024", "H2", "status"),
                "あ".repeat(chars),
                "{chars}: {said}"
            );
        } else {
            let refusal = wait_toast(&s);
            assert!(refusal.contains("長すぎます"), "{chars}: {refusal}");
            // Whatever was saved on the way (the field autosaves as it is typed) fits: the
            // text over the limit never is.
            let kept = stored(&db, own, "2024", "H2", "status");
            let kept = kept.as_str().unwrap_or_default().chars().count();
            assert!(kept <= max, "{chars}: {kept} characters were saved");
            // The refused field stays marked until it is fixed.
            assert_eq!(
                s.execute(
                    "return arguments[0].classList.contains('over')",
                    json!([status.reference()])
                ),
                json!(true)
            );
        }
    }
    s.quit();
}

/// A read-only cell says why when it gets the focus, in the edit's words; Ctrl + and Ctrl −
/// zoom the window and the size is there at the next start; Ctrl 0 goes back to 100 %.
#[test]
fn a_read_only_cell_says_why_and_the_zoom_is_kept() {
    let (dir, db, db_text) = sample_report();
    let own = measure_of(&db, DEPARTMENT);
    let data = dir.path().join("data");
    let driver = Driver::start(&data);
    let s = open_as_coordinator(&driver, &db_text);
    // 令和６年度 上半期 is closed in the sample.
    let closed = s.find(&format!("div.text[data-key='{own}:2024:h1_status']"));
    s.click(&closed);
    let why = s.wait_for("the reason under the cell", || {
        s.find_all(".why-not").first().map(|n| s.text(n))
    });
    assert!(why.contains("締め切られています"), "{why}");
    assert_accessible(&s, "a read-only cell's reason");

    let zoom = |s: &Session| {
        s.execute("return document.documentElement.style.zoom", json!([]))
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    // The keys work wherever the focus is (here on the read-only cell).
    s.chord(CONTROL, "+");
    s.chord(CONTROL, "+");
    s.wait_for("the zoom", || (zoom(&s) == "1.25").then_some(()));
    assert!(s.text(&s.find("#save-state")).contains("125%"));
    s.screenshot("18-zoom-125");
    s.quit();
    let s = driver.launch(Path::new(APP), &["--db", &db_text]);
    wait_ready(&s);
    assert_eq!(zoom(&s), "1.25", "the zoom was not kept");
    s.chord(CONTROL, "-");
    s.wait_for("a step smaller", || (zoom(&s) == "1.1").then_some(()));
    s.chord(CONTROL, "0");
    // At 100 % no zoom is set at all.
    s.wait_for("back to 100 %", || zoom(&s).is_empty().then_some(()));
    s.quit();
}

/// The coordinator moves a measure down within its pledge: the two cards swap, and no card is
/// drawn anew (the others keep their nodes, and what is typed in them); the focus stays on the
/// moved card's button, so it can be moved on.
#[test]
fn moving_a_measure_moves_its_card_and_redraws_nothing_else() {
    let (dir, db, db_text) = sample_report();
    let pledge_8: Vec<i64> = list(&db)["measures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["no"] == 8)
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(pledge_8.len(), 2, "the sample's pledge 8 has two measures");
    let (first, second) = (pledge_8[0], pledge_8[1]);
    let driver = Driver::start(&dir.path().join("data"));
    let s = open_as_coordinator(&driver, &db_text);
    s.execute(
        "for (const c of document.querySelectorAll('section.card')) c.dataset.drawnBefore = '1';
         document.getElementById('measure-' + arguments[0]).scrollIntoView();",
        json!([first]),
    );
    s.click(&s.find(&format!("#measure-{first} [data-measure-action='down']")));
    let order = || {
        s.execute(
            "return [...document.querySelectorAll('section.card')].map((c) => Number(c.dataset.id))",
            json!([]),
        )
    };
    s.wait_for("the cards to swap", || {
        let ids = order();
        let ids = ids.as_array().unwrap();
        let at = |id: i64| ids.iter().position(|v| v == id).unwrap();
        (at(second) < at(first)).then_some(())
    });
    let redrawn = s.execute(
        "return document.querySelectorAll('section.card:not([data-drawn-before])').length",
        json!([]),
    );
    assert_eq!(redrawn, 0, "cards were drawn anew for a move");
    assert_eq!(s.find_all("section.card").len(), 81);
    assert!(
        focused(&s).starts_with("BUTTON"),
        "the focus left the moved card: {}",
        focused(&s)
    );
    let focused_card = s.execute(
        "return Number(document.activeElement.closest('section.card')?.dataset.id)",
        json!([]),
    );
    assert_eq!(focused_card, first);
    s.quit();
    let ids: Vec<i64> = list(&db)["measures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["no"] == 8)
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![second, first]);
}

/// 「このアプリについて」, opened by its button as any user: the version, the database, the log
/// and backup folders and the licences; accessible, and closed by Escape.
#[test]
fn the_about_dialog_shows_the_version_the_files_and_the_licences() {
    let (dir, _db, db_text) = sample_report();
    let data = dir.path().join("data");
    let driver = Driver::start(&data);
    let s = driver.launch(Path::new(APP), &["--db", &db_text]);
    // As a department: the button is there for every role.
    s.click(&s.find("#who-as-department"));
    wait_ready(&s);
    s.click(&s.find("#about"));
    s.wait_for("the about dialog", || {
        is_open(&s, "about-dialog").then_some(())
    });
    s.wait_for("the version", || {
        let v = s.text(&s.find("#about-version"));
        (!v.is_empty()).then_some(v)
    });
    assert_eq!(s.text(&s.find("#about-version")), env!("CARGO_PKG_VERSION"));
    assert_eq!(s.text(&s.find("#about-db")), db_text);
    let logs = data.join("jp.shinchoku.app").join("logs");
    assert_eq!(s.text(&s.find("#about-logs")), logs.to_str().unwrap());
    assert_eq!(
        s.text(&s.find("#about-backups")),
        dir.path().join("backups").to_str().unwrap()
    );
    assert!(s
        .text(&s.find("#about-open-logs"))
        .contains("フォルダを開く"));
    // The licences, folded until asked for: every crate of the binary is named in them.
    let notices = s.property(&s.find("#about-notices"), "textContent");
    let notices = notices.as_str().unwrap();
    for name in ["tauri", "rusqlite", "rust_xlsxwriter", "MIT License"] {
        assert!(notices.contains(name), "{name} is not in the notices");
    }
    s.click(&s.find(".notices summary"));
    assert_accessible(&s, "about dialog");
    s.screenshot("about-dialog");
    s.press(ESCAPE);
    wait_closed(&s, "about-dialog");
    assert_eq!(focused(&s), "BUTTON about");
    s.quit();
}
