//! `import`: our own export read back (round trip), sheets edited by hand in Excel (built here
//! with rust_xlsxwriter), errors with sheet!cell, refusals that write nothing, and the modes.

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use shinchoku_core::document::ReportDocument;
use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::import::{self, ImportError, SheetRead};
use shinchoku_core::model::{Actor, CellKey, Field, Half, PeriodState, Source};
use shinchoku_core::report::Report;
use shinchoku_core::sample;
use shinchoku_core::Store;

use crate::common::{import_sheet, run, sample_db, sample_store, snapshot, TempDir};

/// The document of a store without ids, to compare two databases' contents.
fn contents(store: &Store) -> ReportDocument {
    let mut doc = ReportDocument::from_report(&Report::load(store).unwrap());
    for m in &mut doc.measures {
        m.id = None;
    }
    doc
}

fn export_bytes(store: &Store) -> Vec<u8> {
    let dir = TempDir::new();
    let path = dir.path("report.xlsx");
    export::export_xlsx(
        &Report::load(store).unwrap(),
        &ExportOptions::default(),
        &path,
    )
    .unwrap();
    std::fs::read(path).unwrap()
}

/// Exports `store`, imports the sheet into a new database and compares every value.
pub fn round_trip(store: &Store) {
    let read = import::read_xlsx(&export_bytes(store), "report.xlsx").unwrap();
    assert!(read.meta.is_some(), "our export carries _shinchoku");
    let mut copy = Store::open_in_memory().unwrap();
    import::import_new(&mut copy, &read).unwrap();
    let (mut got, mut want) = (contents(&copy), contents(store));
    // The printed title ends with the pledge range the export derives from the data
    // (No.1~1000); the stored title may or may not carry it.
    let base = |t: &str| t.split("No.").next().unwrap_or("").to_string();
    assert_eq!(base(&got.title), base(&want.title));
    (got.title, want.title) = (String::new(), String::new());
    for (g, w) in got.measures.iter().zip(&want.measures) {
        assert_eq!(g, w);
    }
    assert_eq!(got, want);
}

#[test]
fn round_trip_of_the_sample_gives_the_same_report() {
    round_trip(&sample_store());
}

#[test]
fn round_trip_of_a_generated_2000_measure_report_gives_the_same_report() {
    let mut store = Store::open_in_memory().unwrap();
    sample::generate(2000, &[2023, 2024])
        .load_into(&mut store, &Source::Sample)
        .unwrap();
    round_trip(&store);
}

/// One measure block of a hand-made sheet: headings, then per year the 4×3 cells.
struct HandBlock {
    no: &'static str,
    pledge: &'static str,
    content: &'static str,
    target: &'static str,
    department: &'static str,
    /// Per year: [年度目標, 年度指標, 計画H1, 計画H2, 指標H1, 指標H2, 状況H1, 状況H2], or a note.
    years: Vec<HandYear>,
}

enum HandYear {
    Cells([&'static str; 8]),
    Note(&'static str),
}

struct HandSheet {
    name: &'static str,
    /// Fiscal-year labels of the header, with the months of each half.
    years: Vec<(&'static str, &'static str, &'static str)>,
    kind_labels: [&'static str; 4],
    /// Heading cells and notes merged (as Excel users make them) or written in every row.
    merged: bool,
    tally_first: bool,
    blocks: Vec<HandBlock>,
}

const YEAR_COL: u16 = 6;

fn write_hand_sheet(ws: &mut Worksheet, sheet: &HandSheet) {
    let f = Format::new().set_text_wrap();
    ws.set_name(sheet.name).unwrap();
    ws.write_string(0, 0, "市長が掲げた重点政策No.1~45")
        .unwrap();
    ws.write_string(1, 0, "【指標欄に記載する記号】☆ … 実施済み")
        .unwrap();
    for (col, h) in ["ＮＯ．", "公約", "実施内容", "目標期日", "所管課等", "区分"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, col as u16, *h).unwrap();
    }
    for (i, (label, h1, h2)) in sheet.years.iter().enumerate() {
        let c = YEAR_COL + 3 * i as u16;
        ws.write_string(2, c, *label).unwrap();
        ws.write_string(3, c, "上半期").unwrap();
        ws.write_string(3, c + 1, "下半期").unwrap();
        ws.write_string(3, c + 2, "指標").unwrap();
        ws.write_string(4, c, *h1).unwrap();
        ws.write_string(4, c + 1, *h2).unwrap();
    }
    let mut row = 5u32;
    for b in &sheet.blocks {
        let headings = [b.no, b.pledge, b.content, b.target, b.department];
        for (col, text) in headings.iter().enumerate() {
            if sheet.merged {
                ws.merge_range(row, col as u16, row + 3, col as u16, text, &f)
                    .unwrap();
            } else {
                for r in row..row + 4 {
                    ws.write_string(r, col as u16, *text).unwrap();
                }
            }
        }
        for (r, label) in sheet.kind_labels.iter().enumerate() {
            ws.write_string(row + r as u32, 5, *label).unwrap();
        }
        for (i, year) in b.years.iter().enumerate() {
            let c = YEAR_COL + 3 * i as u16;
            match year {
                HandYear::Note(note) if sheet.merged => {
                    ws.merge_range(row, c, row + 3, c + 2, note, &f).unwrap();
                }
                HandYear::Note(note) => {
                    ws.write_string(row, c, *note).unwrap();
                }
                HandYear::Cells(v) => {
                    let places = [
                        (0, 0),
                        (0, 2),
                        (1, 0),
                        (1, 1),
                        (2, 0),
                        (2, 1),
                        (3, 0),
                        (3, 1),
                    ];
                    for ((dr, dc), text) in places.iter().zip(v) {
                        if !text.is_empty() {
                            ws.write_string(row + dr, c + dc, *text).unwrap();
                        }
                    }
                }
            }
        }
        row += 4;
    }
}

fn hand_bytes(sheet: &HandSheet) -> Vec<u8> {
    let mut wb = Workbook::new();
    if sheet.tally_first {
        wb.add_worksheet()
            .set_name("集計")
            .unwrap()
            .write_string(0, 0, "ＮＯ．")
            .unwrap();
    }
    write_hand_sheet(wb.add_worksheet(), sheet);
    wb.save_to_buffer().unwrap()
}

fn hand_sheet() -> HandSheet {
    HandSheet {
        name: "Sheet1",
        years: vec![
            ("令和５年度", "10 11 12", "1 2 3"),
            ("令和６年度", "4 5 6 7 8 9", "10 11 12 1 2 3"),
        ],
        kind_labels: ["年度目標", "計画\n(短期目標）", "進捗 指標", "進捗 状況"],
        merged: false,
        tally_first: true,
        blocks: vec![
            HandBlock {
                no: "１",
                pledge: "子育て支援の充実",
                content: " 保育所の整備\n（２か所）　",
                target: "R6.10",
                department: "保育課 ",
                years: vec![
                    HandYear::Cells([
                        "用地の確保",
                        "〇",
                        "用地選定",
                        "用地取得",
                        "◯",
                        "☓",
                        "候補地を選定した\n",
                        "取得に遅れ",
                    ]),
                    HandYear::Cells(["着工", "", "設計", "", "△", "", "設計中", ""]),
                ],
            },
            HandBlock {
                no: "２",
                pledge: "道路の整備",
                content: "橋の架け替え",
                target: "未定",
                department: "道路課",
                years: vec![
                    HandYear::Note("達成済"),
                    HandYear::Cells(["", "", "", "", "", "", "", ""]),
                ],
            },
            // Added by hand at the end, with its own glyphs.
            HandBlock {
                no: "45",
                pledge: "防災",
                content: "避難所の見直し",
                target: "",
                department: "危機管理課",
                years: vec![
                    HandYear::Note("R6年度より追加"),
                    HandYear::Cells(["計画策定", "★", "調査", "策定", "×", "", "", ""]),
                ],
            },
        ],
    }
}

fn read_hand(sheet: &HandSheet) -> SheetRead {
    import::read_xlsx(&hand_bytes(sheet), "hand.xlsx").unwrap()
}

#[test]
fn a_hand_edited_sheet_is_read_with_its_variants_normalised() {
    let read = read_hand(&hand_sheet());
    assert_eq!(
        read.sheet, "Sheet1",
        "集計 is skipped even when it comes first"
    );
    assert!(read.meta.is_none());
    assert_eq!(read.title, "市長が掲げた重点政策No.1~45");
    assert_eq!(
        read.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2023, 2024]
    );
    assert_eq!(read.years[0].months, [vec![10, 11, 12], vec![1, 2, 3]]);
    assert_eq!(read.years[1].months[0], vec![4, 5, 6, 7, 8, 9]);
    let m = &read.measures[0];
    assert_eq!((m.no, m.first_row, m.last_row), (1, 6, 9));
    assert_eq!(
        m.content, "保育所の整備\n（２か所）",
        "outer spaces go, inner lines stay"
    );
    assert_eq!(m.department, "保育課");
    assert_eq!(m.value(2023, Field::AnnualIndicator), "○");
    assert_eq!(m.value(2023, Field::Indicator(Half::H1)), "○");
    assert_eq!(m.value(2023, Field::Indicator(Half::H2)), "×");
    assert_eq!(m.value(2023, Field::Status(Half::H1)), "候補地を選定した");
    assert_eq!(m.value(2023, Field::Plan(Half::H2)), "用地取得");
    assert_eq!(
        m.value(2024, Field::Plan(Half::H2)),
        "",
        "empty cells stay empty"
    );
    assert_eq!(read.measures[1].value(2023, Field::YearNote), "達成済");
    assert_eq!(read.measures[1].value(2023, Field::AnnualTarget), "");
    let added = &read.measures[2];
    assert_eq!(added.no, 45);
    assert_eq!(added.value(2023, Field::YearNote), "R6年度より追加");
    assert_eq!(added.value(2024, Field::AnnualIndicator), "☆");
    assert_eq!(added.value(2024, Field::Indicator(Half::H1)), "×");
}

#[test]
fn merged_and_unmerged_heading_cells_read_the_same() {
    let unmerged = read_hand(&hand_sheet());
    let merged = read_hand(&HandSheet {
        merged: true,
        ..hand_sheet()
    });
    assert_eq!(merged.measures, unmerged.measures);
}

#[test]
fn fiscal_years_come_from_the_header_not_from_an_assumption() {
    let mut sheet = hand_sheet();
    sheet.years = vec![
        ("R6年度", "4 5 6 7 8 9", "10 11 12 1 2 3"),
        ("令和７年度", "", ""),
    ];
    let read = read_hand(&sheet);
    assert_eq!(
        read.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2024, 2025]
    );
    assert_eq!(read.years[1].months[1], vec![10, 11, 12, 1, 2, 3]);
    assert_eq!(
        read.measures[0].value(2024, Field::AnnualTarget),
        "用地の確保"
    );
}

#[test]
fn a_hand_made_sheet_becomes_a_new_report() {
    let read = read_hand(&hand_sheet());
    let mut store = Store::open_in_memory().unwrap();
    let summary = import::import_new(&mut store, &read).unwrap();
    assert_eq!(
        (summary.pledges, summary.measures, summary.departments),
        (3, 3, 3)
    );
    let report = Report::load(&store).unwrap();
    assert_eq!(report.years.len(), 2);
    assert_eq!(report.years[0].half(Half::H1).months, vec![10, 11, 12]);
    assert_eq!(report.years[1].half(Half::H2).state, PeriodState::Open);
    let m = &report.measures[2];
    assert_eq!(report.value(m.id, 2023, Field::YearNote), "R6年度より追加");
}

#[test]
fn an_unknown_indicator_is_refused_naming_the_sheet_and_cell() {
    let mut sheet = hand_sheet();
    sheet.blocks[0].years[0] = HandYear::Cells(["", "", "", "", "", "Ｏ", "", ""]);
    let err = import::read_xlsx(&hand_bytes(&sheet), "hand.xlsx").unwrap_err();
    // Block 1 starts on row 6; its 進捗 指標 row is row 8; 下半期 of 令和５年度 is column H.
    assert_eq!(
        err.to_string(),
        "Sheet1!H8: 指標「Ｏ」は ☆○△× のいずれでもありません"
    );
}

#[test]
fn a_number_that_is_not_one_is_refused_with_its_cell() {
    let mut sheet = hand_sheet();
    sheet.blocks[1].no = "二";
    let err = import::read_xlsx(&hand_bytes(&sheet), "hand.xlsx").unwrap_err();
    assert!(
        err.to_string().starts_with("Sheet1!A10: ＮＯ．「二」"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_a_sheet_says_why_with_its_name() {
    let err = import::read_xlsx(b"not a zip at all", "memo.xlsx").unwrap_err();
    assert!(matches!(err, ImportError::NotXlsx { .. }));
    assert!(err.to_string().contains("memo.xlsx"), "{err}");

    let mut wb = Workbook::new();
    wb.add_worksheet().write_string(0, 0, "予算表").unwrap();
    let err = import::read_xlsx(&wb.save_to_buffer().unwrap(), "予算.xlsx").unwrap_err();
    assert!(matches!(err, ImportError::NoHeader { .. }), "{err}");
    assert!(err.to_string().contains("予算.xlsx"), "{err}");
}

#[test]
fn a_broken_file_changes_nothing_and_a_new_database_is_not_left_behind() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let before = snapshot(&db);
    let sheet = dir.path("broken.xlsx");
    let mut bytes = export_bytes(&sample_store());
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&sheet, &bytes).unwrap();
    let out = import_sheet(&db, &sheet, &["--as-submission", "道路維持課"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("broken.xlsx"), "{}", out.stderr);
    assert_eq!(snapshot(&db), before);

    let new_db = dir.path("new.db");
    let out = import_sheet(&new_db, &sheet, &[]);
    assert_eq!(out.code, 1);
    assert!(!new_db.exists());
}

#[test]
fn import_into_a_new_database_file_creates_the_report() {
    let dir = TempDir::new();
    let sheet = dir.path("r.xlsx");
    std::fs::write(&sheet, export_bytes(&sample_store())).unwrap();
    let db = dir.path("new.db");
    let out = import_sheet(&db, &sheet, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("実施内容 81 件"), "{}", out.stdout);
    assert_eq!(
        contents(&Store::open(&db).unwrap()),
        contents(&sample_store())
    );
}

#[test]
fn dry_run_into_a_new_database_creates_nothing() {
    let dir = TempDir::new();
    let sheet = dir.path("r.xlsx");
    std::fs::write(&sheet, hand_bytes(&hand_sheet())).unwrap();
    let db = dir.path("new.db");
    let out = import_sheet(&db, &sheet, &["--dry-run", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["preview"]["summary"]["measures"], 3);
    assert_eq!(json["preview"]["creates_report"], serde_json::Value::Null);
    assert_eq!(json["preview"]["createsReport"], true);
    assert!(!db.exists());
}

#[test]
fn an_existing_report_is_refused_without_as_submission_and_dry_run_shows_every_change() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let before = snapshot(&db);
    let sheet = dir.path("hand.xlsx");
    std::fs::write(&sheet, hand_bytes(&hand_sheet())).unwrap();
    let out = import_sheet(&db, &sheet, &[]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("--as-submission"), "{}", out.stderr);
    assert_eq!(snapshot(&db), before);

    // Our own export, unchanged, changes nothing; the hand sheet's blocks are not in the sample.
    let own = dir.path("own.xlsx");
    std::fs::write(&own, export_bytes(&sample_store())).unwrap();
    let out = import_sheet(&db, &own, &["--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("変更されるセル 0 件"), "{}", out.stdout);
    let out = import_sheet(&db, &sheet, &["--dry-run"]);
    assert!(
        out.stdout.contains("報告にない実施内容: No.1 保育課"),
        "{}",
        out.stdout
    );
    assert_eq!(snapshot(&db), before);
}

/// The sample's export with one status changed, as a department would return it. The export is
/// recorded as `export_sheet` does, so its revision is a base the coordinator knows.
fn edited_return(store: &mut Store) -> (Report, SheetRead, CellKey) {
    let report = Report::load(store).unwrap();
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.log_sheet_export(report.revision, "", "return.xlsx")
        })
        .unwrap();
    let mut read = import::read_xlsx(&export_bytes(store), "return.xlsx").unwrap();
    let m = &mut read.measures[0];
    m.cells
        .insert((2024, Field::Status(Half::H2)), "工事を完了した".into());
    let measure_id = m.measure_id.expect("the export names its measures");
    let key = CellKey {
        measure_id,
        year: 2024,
        field: Field::Status(Half::H2),
    };
    (report, read, key)
}

#[test]
fn a_return_with_metadata_takes_its_base_from_the_hidden_sheet() {
    let mut store = sample_store();
    let (report, read, key) = edited_return(&mut store);
    let department = read.measures[0].department.clone();
    let incoming = import::incoming(&store, &report, &read, &department).unwrap();
    assert_eq!((incoming.year, incoming.half), (2024, Half::H2));
    assert_eq!(
        incoming.cells.len(),
        1,
        "only the changed cell: {:?}",
        incoming.cells
    );
    let cell = &incoming.cells[0];
    assert_eq!(cell.key, key);
    assert_eq!(cell.value, "工事を完了した");
    let current = report.cells.get(&key);
    assert_eq!(cell.base_value, current.map_or("", |c| c.value.as_str()));
    // The base is the coordinator's record at the export's revision: the cell as it was then.
    assert_eq!(cell.base_revision, current.map_or(0, |c| c.revision));
    assert!(current.is_none_or(|c| c.revision <= report.revision));
    assert_eq!(incoming.source, Source::SheetImport("return.xlsx".into()));
}

#[test]
fn a_return_meets_the_coordinators_changes_made_after_the_export() {
    let mut store = sample_store();
    let (exported, mut read, key) = edited_return(&mut store);
    let department = read.measures[0].department.clone();
    // The department also rewrites a cell that was filled at export.
    let filled = CellKey {
        field: Field::Plan(Half::H2),
        ..key
    };
    assert!(!exported
        .value(filled.measure_id, 2024, filled.field)
        .is_empty());
    read.measures[0]
        .cells
        .insert((2024, filled.field), "課の計画".into());
    // After the export the coordinator rewrites both cells the department changed, and another.
    let other = CellKey {
        field: Field::AnnualTarget,
        ..key
    };
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.put_cell(&key, "取りまとめの状況")?;
            w.put_cell(&filled, "取りまとめの下半期計画")?;
            w.put_cell(&other, "取りまとめの年度目標")
        })
        .unwrap();
    let report = Report::load(&store).unwrap();
    let incoming = import::incoming(&store, &report, &read, &department).unwrap();
    let outcome = import::merge_return(&mut store, &incoming).unwrap();
    let mut conflicts = outcome.conflicts.clone();
    conflicts.sort();
    let mut both = vec![key, filled];
    both.sort();
    assert_eq!(conflicts, both, "both sides changed them");
    assert_eq!(outcome.applied, 0);
    let report = Report::load(&store).unwrap();
    assert_eq!(
        report.value(key.measure_id, key.year, key.field),
        "取りまとめの状況",
        "a conflict waits for a choice"
    );
    assert_eq!(
        report.value(other.measure_id, other.year, other.field),
        "取りまとめの年度目標",
        "the department left it as exported: the coordinator's change stays"
    );
}

#[test]
fn a_return_without_metadata_cannot_overwrite_a_value_the_coordinator_holds() {
    let mut store = sample_store();
    let (_, mut read, key) = edited_return(&mut store);
    read.meta = None;
    for m in &mut read.measures {
        m.measure_id = None;
    }
    // The coordinator changed another cell meanwhile: not a change of the department's.
    let other = CellKey {
        field: Field::Plan(Half::H2),
        ..key
    };
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.put_cell(&other, "取りまとめの修正")
        })
        .unwrap();
    let report = Report::load(&store).unwrap();
    let department = read.measures[0].department.clone();
    let incoming = import::incoming(&store, &report, &read, &department).unwrap();
    let keys: Vec<CellKey> = incoming.cells.iter().map(|c| c.key).collect();
    assert!(keys.contains(&key));
    assert!(
        keys.contains(&other),
        "without a base, the sheet's old value is an edit too"
    );
    let preview = import::preview(Some(&report), &read, Some(&department));
    assert!(preview
        .changes
        .iter()
        .any(|c| c.field == Field::Plan(Half::H2) && c.old == "取りまとめの修正"));
    // Merged: a sheet without a base overwrites no value the coordinator holds.
    let outcome = import::merge_return(&mut store, &incoming).unwrap();
    assert!(outcome.conflicts.contains(&other), "{outcome:?}");
    assert_eq!(
        store.cell(&other).unwrap().unwrap().value,
        "取りまとめの修正"
    );
}

#[test]
fn a_return_for_an_unknown_department_or_with_an_unknown_block_is_refused() {
    let mut store = sample_store();
    let (report, mut read, _) = edited_return(&mut store);
    assert!(matches!(
        import::incoming(&store, &report, &read, "存在しない課"),
        Err(ImportError::UnknownDepartment(_))
    ));
    let m = &mut read.measures[0];
    m.measure_id = None;
    m.content = "新しい事業".into();
    let department = m.department.clone();
    let err = import::incoming(&store, &report, &read, &department).unwrap_err();
    assert!(matches!(err, ImportError::UnknownMeasure { .. }), "{err}");
    assert!(err.to_string().starts_with("重点政策!A6: "), "{err}");
}

/// The sample's export as こども支援課 returns it with its 下半期 plan changed in Excel: the
/// cell L7 (block of No.1 on rows 6–9, plan row 7, 令和６年度 下半期 column L) rewritten in
/// the sheet's XML, the hidden sheet left as exported by `shinchoku export` from `db`.
fn returned_sheet(dir: &TempDir, db: &std::path::Path) -> std::path::PathBuf {
    use crate::import_fuzz::{part, repack};
    let exported = dir.path("exported.xlsx");
    let out = run(&[
        "export",
        "--db",
        db.to_str().unwrap(),
        "--out",
        exported.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let seed = std::fs::read(&exported).unwrap();
    let xml = String::from_utf8(part(&seed, "xl/worksheets/sheet1.xml")).unwrap();
    let start = xml.find("<c r=\"L7\"").expect("L7 is written");
    let end = start + xml[start..].find("</c>").unwrap() + "</c>".len();
    let style = xml[start..end]
        .split_once(" s=\"")
        .map(|(_, rest)| rest.split('"').next().unwrap_or("0"))
        .unwrap_or("0");
    let cell = format!(
        "<c r=\"L7\" s=\"{style}\" t=\"inlineStr\"><is><t>制度周知および運用開始（変更）</t></is></c>"
    );
    let edited = format!("{}{}{}", &xml[..start], cell, &xml[end..]);
    let path = dir.path("return.xlsx");
    std::fs::write(
        &path,
        repack(&seed, "xl/worksheets/sheet1.xml", edited.as_bytes()),
    )
    .unwrap();
    path
}

#[test]
fn a_returned_sheet_dry_run_lists_the_departments_changes_and_writes_nothing() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let sheet = returned_sheet(&dir, &db);
    let before = snapshot(&db);
    let out = import_sheet(
        &db,
        &sheet,
        &["--as-submission", "こども支援課", "--dry-run"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("変更されるセル 1 件"), "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "令和６年度 下半期 計画: 「制度周知および運用開始」→「制度周知および運用開始（変更）」"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(snapshot(&db), before);
}

#[test]
fn a_returned_sheet_is_merged_as_the_departments_submission() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let sheet = returned_sheet(&dir, &db);
    let out = import_sheet(&db, &sheet, &["--as-submission", "こども支援課"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("反映 1 件"), "{}", out.stdout);
    let report = Report::load(&Store::open(&db).unwrap()).unwrap();
    let m = &report.measures[0];
    assert_eq!(
        report.value(m.id, 2024, Field::Plan(Half::H2)),
        "制度周知および運用開始（変更）"
    );
}

#[test]
fn a_returned_sheet_claiming_a_revision_never_exported_cannot_overwrite_the_coordinators_change() {
    let mut store = sample_store();
    let (_, mut read, key) = edited_return(&mut store);
    let department = read.measures[0].department.clone();
    // The coordinator writes the same cell after the export.
    store
        .write(&Actor::Coordinator, &Source::App, |w| {
            w.put_cell(&key, "取りまとめの修正")
        })
        .unwrap();
    let report = Report::load(&store).unwrap();
    // The sender rewrites the hidden sheet to claim the coordinator's current revision as its
    // base, so that the coordinator's value would look unchanged.
    read.meta.as_mut().unwrap().revision = report.revision;
    let incoming = import::incoming(&store, &report, &read, &department).unwrap();
    let outcome = import::merge_return(&mut store, &incoming).unwrap();
    assert!(outcome.conflicts.contains(&key), "{outcome:?}");
    assert_eq!(store.cell(&key).unwrap().unwrap().value, "取りまとめの修正");
}

#[test]
fn a_returned_sheet_names_its_department_in_any_spelling_but_never_with_an_invisible_character() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let sheet = returned_sheet(&dir, &db);
    let before = snapshot(&db);
    let out = import_sheet(&db, &sheet, &["--as-submission", "こども支援課\u{200B}"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("担当課「こども支援課<U+200B>」に見えない文字"),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&db), before);
    // Another spelling of the same department is that department.
    let out = import_sheet(
        &db,
        &sheet,
        &["--as-submission", " こども 支援課", "--dry-run"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("変更されるセル 1 件"), "{}", out.stdout);
}

/// `import::apply` decides once, for the command line and the window: a sheet into a database
/// without measures is the new report; into an existing report it is a department's return,
/// refused when no department is named.
#[test]
fn apply_makes_a_new_report_or_merges_a_named_departments_return() {
    let mut store = sample_store();
    let (_, read, key) = edited_return(&mut store);
    let mut empty = Store::open_in_memory().unwrap();
    match import::apply(&mut empty, &read, Some("どの課でもない")).unwrap() {
        import::Applied::Created(summary) => assert_eq!(summary.measures, read.measures.len()),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        import::apply(&mut store, &read, None),
        Err(ImportError::NotEmpty)
    ));
    let department = read.measures[0].department.clone();
    match import::apply(&mut store, &read, Some(&department)).unwrap() {
        import::Applied::Merged(outcome) => assert_eq!(outcome.applied, 1),
        other => panic!("{other:?}"),
    }
    let report = Report::load(&store).unwrap();
    assert_eq!(
        report.value(key.measure_id, key.year, key.field),
        "工事を完了した"
    );
}
