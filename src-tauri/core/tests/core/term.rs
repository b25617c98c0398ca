//! A simulated four-year term: 41 departments, eight half-year cycles from 令和５年度 上半期 to
//! 令和８年度 下半期, each with its packages, the department databases made from the first one
//! and updated from every later one, the departments' edits, their submissions (some late, some
//! twice, one department each cycle returning its Excel sheet instead), the merge, the conflicts
//! the coordinator resolves and the export read back. In the second April (令和７年度) the
//! reorganisation: a merge, a split, a move and a retirement.
//!
//! Beside the coordinator's database runs a model: a plain map of (measure, year, field) →
//! value that applies the same accepted edits and resolutions directly. After every cycle the
//! report must equal it, and every department database must hold it after its package.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use rust_xlsxwriter::utility::row_col_to_cell;
use shinchoku_core::document::{
    DocHalf, DocHalfYear, DocMeasure, DocMeasureYear, DocYear, ReportDocument,
};
use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::export::{self, layout, ExportOptions, Selection};
use shinchoku_core::merge::{self, Choice};
use shinchoku_core::model::{Actor, CellKey, Field, Half, PeriodState, Source};
use shinchoku_core::report::Report;
use shinchoku_core::submission::{self, Package};
use shinchoku_core::{import, master, wareki, Store};

use crate::common::TempDir;
use crate::department_sheet::with_cells;

/// A cell of the coordinator's report: its measure id, fiscal year and field.
type Cell = (i64, i32, Field);

const DEPARTMENTS: usize = 41;
const FIRST_YEAR: i32 = 2023;
/// Where the reorganisation's departments go.
const MERGED_INTO: &str = "統合課";
const SPLIT_INTO: [&str; 2] = ["分割課Ａ", "分割課Ｂ"];
/// The measure retired in the second April keeps its years up to this one.
const RETIRED_AFTER: i32 = 2024;

fn department(i: usize) -> String {
    format!("第{}課", wareki::full_width(i as i32 + 1))
}

/// The term's report before its first period: 41 departments with two to four measures each,
/// the first year's targets written by the coordinator, everything else blank.
fn term_report() -> ReportDocument {
    let mut measures = Vec::new();
    for d in 0..DEPARTMENTS {
        for _ in 0..2 + d % 3 {
            measures.push(department(d));
        }
    }
    let total = measures.len();
    let measures = measures
        .into_iter()
        .enumerate()
        .map(|(i, department)| {
            let no = (i * 45 / total) as u32 + 1;
            let halves = Half::BOTH
                .iter()
                .map(|&h| {
                    let plan =
                        (i % 4 == 0).then(|| format!("事業{}の{}の計画（当初）", i + 1, h.label()));
                    (
                        h,
                        DocHalf {
                            plan,
                            indicator: None,
                            status: None,
                        },
                    )
                })
                .collect();
            let first = DocMeasureYear {
                annual_target: Some(format!("事業{}の年度目標（当初）", i + 1)),
                annual_indicator: None,
                note: None,
                halves,
            };
            DocMeasure {
                no,
                id: None,
                pledge: format!("重点政策{no}の推進"),
                content: format!("{department}が所管する事業{}を実施する。", i + 1),
                target_date: "年度ごとに達成度を確認".into(),
                department,
                years: BTreeMap::from([(FIRST_YEAR.to_string(), first)]),
            }
        })
        .collect();
    ReportDocument {
        title: "市長が掲げた重点政策".into(),
        fiscal_years: vec![DocYear {
            year: FIRST_YEAR,
            label: wareki::fiscal_year_label(FIRST_YEAR),
            halves: Half::BOTH
                .iter()
                .map(|&h| {
                    let half = DocHalfYear {
                        label: h.label().into(),
                        months: h.default_months(),
                        state: Some(PeriodState::Upcoming),
                        deadline: String::new(),
                    };
                    (h, half)
                })
                .collect(),
        }],
        measures,
    }
}

/// A small deterministic generator (splitmix64), so that every run makes the same term.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// What a department does in one cycle besides its on-time submission.
#[derive(Debug, Default)]
struct Roles {
    /// Edit a cell the coordinator also changed after the package: a conflict.
    conflict: Vec<String>,
    /// Submitted after the others were merged.
    late: Vec<String>,
    /// Submit, edit again (a cell again, a cell back to what the package issued, a new one),
    /// and submit again.
    twice: Vec<String>,
    /// Returns the protected Excel sheet instead of a submission file.
    excel: String,
}

struct Term {
    dir: TempDir,
    main: Store,
    model: BTreeMap<Cell, String>,
    /// Each department's own database, by department.
    departments: BTreeMap<String, Store>,
    rng: Rng,
    /// Makes every written value and file name unique.
    serial: usize,
    /// Conflicts created and resolved, over the term.
    conflicts_resolved: usize,
    /// Submission files merged, over the term.
    merged_files: usize,
}

/// The report's non-blank cells.
fn report_cells(store: &Store) -> BTreeMap<Cell, String> {
    store
        .cells()
        .unwrap()
        .into_values()
        .filter(|c| !c.value.is_empty())
        .map(|c| ((c.key.measure_id, c.key.year, c.key.field), c.value))
        .collect()
}

/// A report's non-blank cells by measure content (ids differ between databases), with each
/// measure's department.
fn cells_by_content(report: &Report) -> BTreeMap<(String, String, i32, Field), String> {
    let measures: HashMap<i64, (String, String)> = report
        .measures
        .iter()
        .map(|m| {
            let department = report.department_name(m.department_id).to_string();
            (m.id, (m.content.clone(), department))
        })
        .collect();
    report
        .cells
        .values()
        .filter(|c| !c.value.is_empty())
        .map(|c| {
            let (content, department) = measures[&c.key.measure_id].clone();
            (
                (content, department, c.key.year, c.key.field),
                c.value.clone(),
            )
        })
        .collect()
}

fn key((measure_id, year, field): Cell) -> CellKey {
    CellKey {
        measure_id,
        year,
        field,
    }
}

impl Term {
    fn new() -> Term {
        let dir = TempDir::new();
        let mut main = Store::create(&dir.path("main.db")).unwrap();
        term_report().load_into(&mut main, &Source::Sample).unwrap();
        let model = report_cells(&main);
        assert_eq!(main.measures().unwrap().len(), 122);
        assert_eq!(main.departments().unwrap().len(), DEPARTMENTS);
        Term {
            dir,
            main,
            model,
            departments: BTreeMap::new(),
            rng: Rng(0x5EED_2023),
            serial: 0,
            conflicts_resolved: 0,
            merged_files: 0,
        }
    }

    fn file(&mut self, stem: &str, ext: &str) -> PathBuf {
        self.serial += 1;
        self.dir.path(&format!("{stem}-{}.{ext}", self.serial))
    }

    fn model_value(&self, cell: Cell) -> String {
        self.model.get(&cell).cloned().unwrap_or_default()
    }

    /// The report equals the model, cell for cell; a difference is named.
    fn check_model(&self, when: &str) {
        let report = report_cells(&self.main);
        let model: BTreeMap<Cell, String> = self
            .model
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        let differing: Vec<String> = model
            .keys()
            .chain(report.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|k| model.get(k) != report.get(k))
            .take(5)
            .map(|k| {
                format!(
                    "{k:?}: model {:?}, report {:?}",
                    model.get(k),
                    report.get(k)
                )
            })
            .collect();
        assert!(differing.is_empty(), "{when}: {differing:#?}");
    }

    /// Coordinator's measure id → the department database's, paired by content.
    fn local_ids(&self, department: &str) -> HashMap<i64, i64> {
        let local: HashMap<String, i64> = self.departments[department]
            .measures()
            .unwrap()
            .into_iter()
            .map(|m| (m.content, m.id))
            .collect();
        self.main
            .measures()
            .unwrap()
            .into_iter()
            .filter_map(|m| Some((m.id, *local.get(&m.content)?)))
            .collect()
    }

    /// The department's database holds the model's value in every cell of its measures.
    fn check_department(&self, department: &str) {
        let store = &self.departments[department];
        let local = self.local_ids(department);
        let report = Report::load(store).unwrap();
        assert_eq!(local.len(), report.measures.len(), "{department}");
        for (&id, &local) in &local {
            for year in &report.years {
                for field in Field::ALL {
                    assert_eq!(
                        report.value(local, year.year, field),
                        self.model_value((id, year.year, field)),
                        "{department}: measure {id} {} {field:?}",
                        year.year
                    );
                }
            }
        }
    }

    /// Writes `cells` (the coordinator's ids) in the department's own database, as it would
    /// in the window.
    fn department_edits(&mut self, department: &str, cells: &[(Cell, String)]) {
        let local = self.local_ids(department);
        let edits: Vec<CellEdit> = cells
            .iter()
            .map(|((id, year, field), value)| CellEdit {
                key: key((local[id], *year, *field)),
                value: value.clone(),
            })
            .collect();
        let store = self.departments.get_mut(department).unwrap();
        let changed = edit::apply(
            store,
            &Actor::Department(department.into()),
            &Source::App,
            &edits,
        )
        .unwrap();
        assert_eq!(changed, cells.len(), "{department}: {cells:?}");
    }

    /// A new value for a cell, other than `now`.
    fn new_value(&mut self, department: &str, (id, year, field): Cell, now: &str) -> String {
        self.serial += 1;
        if field.is_indicator() {
            let symbols: Vec<&str> = ["☆", "○", "△", "×"]
                .into_iter()
                .filter(|s| *s != now)
                .collect();
            symbols[self.rng.below(symbols.len())].to_string()
        } else if !now.is_empty() && self.rng.below(8) == 0 {
            String::new()
        } else {
            format!(
                "{department} 事業ID{id} {} {}（第{}版）",
                wareki::fiscal_year_label(year),
                field.label(),
                self.serial
            )
        }
    }

    /// Every department's package of the open period; each database made from its first package
    /// and updated from the later ones. Returns the packages by department.
    fn send_packages(&mut self) -> BTreeMap<String, Package> {
        let mut packages = BTreeMap::new();
        for d in self.main.departments().unwrap() {
            let path = self.file("package", "json");
            let package = submission::write_package(&mut self.main, &d.name, &path).unwrap();
            let db = self.dir.path(&format!("{}.db", d.name));
            match self.departments.get_mut(&d.name) {
                Some(store) => {
                    let update = submission::update_from_package(store, &path, false).unwrap();
                    assert!(!update.already && update.backup.is_some(), "{update:?}");
                    assert_eq!(update.measures, package.report.measures.len());
                }
                None => {
                    let store = submission::init_from_package(&db, &path).unwrap();
                    self.departments.insert(d.name.clone(), store);
                }
            }
            self.check_department(&d.name);
            assert_eq!(
                submission::package_of(&self.departments[&d.name])
                    .unwrap()
                    .package_id,
                package.package_id
            );
            packages.insert(d.name, package);
        }
        packages
    }

    /// Edits of one department in the open period: `count` cells of its package picked at
    /// random, besides `must` and never `never`. Returns each cell with its new value.
    fn pick_edits(
        &mut self,
        department: &str,
        package: &Package,
        count: usize,
        must: &[Cell],
        never: &[Cell],
    ) -> Vec<(Cell, String)> {
        // What the department's database holds: the package's values.
        let issued: HashMap<Cell, String> = package
            .base
            .iter()
            .map(|b| ((b.measure_id, b.year, b.field), b.value.clone()))
            .collect();
        let mut open: Vec<Cell> = issued
            .keys()
            .copied()
            .filter(|c| c.2 != Field::YearNote && !must.contains(c) && !never.contains(c))
            .collect();
        open.sort();
        self.rng.shuffle(&mut open);
        let mut cells: Vec<Cell> = must.to_vec();
        cells.extend(open.into_iter().take(count.saturating_sub(must.len())));
        cells
            .into_iter()
            .map(|cell| {
                let value = self.new_value(department, cell, &issued[&cell]);
                (cell, value)
            })
            .collect()
    }

    /// The department writes its submission file.
    fn submit(&mut self, department: &str) -> PathBuf {
        let path = self.file("submission", "json");
        let store = self.departments.get_mut(department).unwrap();
        submission::write_submission(store, &path, None).unwrap();
        path
    }

    /// Merges submission files, each of which must be taken whole; `expected` is each file's
    /// department with the cells it should write and the conflicts it should raise.
    fn merge(&mut self, files: &[(PathBuf, String, usize, BTreeSet<CellKey>)]) {
        let paths: Vec<PathBuf> = files.iter().map(|f| f.0.clone()).collect();
        let outcomes = submission::merge_files(&mut self.main, &paths).unwrap();
        assert_eq!(outcomes.len(), files.len());
        for (outcome, (_, department, applied, conflicts)) in outcomes.iter().zip(files) {
            assert_eq!(&outcome.department, department);
            let merged = outcome
                .merged
                .as_ref()
                .unwrap_or_else(|| panic!("{department}: {outcome:?}"));
            assert_eq!(merged.applied, *applied, "{department}: {outcome:?}");
            let raised: BTreeSet<CellKey> = merged.conflicts.iter().copied().collect();
            assert_eq!(&raised, conflicts, "{department}");
        }
        self.merged_files += files.len();
    }

    /// One department's sheet exported, filled in Excel (its open period's input cells, and
    /// one locked cell changed anyway) and imported by the coordinator as its return.
    fn excel_return(&mut self, department: &str, year: i32, half: Half) {
        let options = ExportOptions {
            years: None,
            department: Some(department.into()),
        };
        let exported = self.file("sheet", "xlsx");
        export::export_sheet(&mut self.main, &options, &exported).unwrap();
        let report = Report::load(&self.main).unwrap();
        let selection = Selection::new(&report, &options).unwrap();
        let built = export::sheet::build(&selection);
        let index = selection.years.iter().position(|y| y.year == year).unwrap();
        let col = layout::COL_FIRST_YEAR + layout::YEAR_COLS * index as u16;
        let h = half as u16;
        let ended = self.main.measure_last_years().unwrap();
        let mut typed: Vec<(String, String)> = Vec::new();
        let mut expected: Vec<(Cell, String)> = Vec::new();
        for block in &built.blocks {
            let r = block.first_row;
            let id = block.measure_id;
            if !master::reports_in(ended.get(&id).copied(), year) {
                continue; // An ended measure has no input cells.
            }
            for (row, c, field) in [
                (r, col, Field::AnnualTarget),
                (r, col + 2, Field::AnnualIndicator),
                (r + 1, col + h, Field::Plan(half)),
                (r + 2, col + h, Field::Indicator(half)),
                (r + 3, col + h, Field::Status(half)),
            ] {
                // Not every cell: the status always, the others now and then.
                if !matches!(field, Field::Status(_)) && self.rng.below(2) == 0 {
                    continue;
                }
                let now = self.model_value((id, year, field));
                let mut value = self.new_value(department, (id, year, field), &now);
                if value.is_empty() {
                    value = format!("{department} Excel で記入 {}", self.serial);
                }
                typed.push((row_col_to_cell(row, c), value.clone()));
                expected.push(((id, year, field), value));
            }
        }
        // The other half's status: locked, changed anyway (the protection lifted).
        let first = &built.blocks[0];
        let other = 1 - h;
        typed.push((
            row_col_to_cell(first.first_row + 3, col + other),
            "保護を外して書き換えた状況".into(),
        ));
        let returned = self.file("returned", "xlsx");
        let edits: Vec<(&str, &str)> = typed
            .iter()
            .map(|(r, v)| (r.as_str(), v.as_str()))
            .collect();
        with_cells(&exported, &returned, &edits);

        let read = import::read_file(&returned).unwrap();
        let preview = import::preview(Some(&report), &read, Some(department));
        assert_eq!(preview.refused.len(), 1, "{:?}", preview.refused);
        assert!(
            preview.refused[0].contains("は入力欄ではないため取り込みません"),
            "{:?}",
            preview.refused
        );
        assert_eq!(preview.changes.len(), expected.len(), "{department}");
        let incoming = import::incoming(&self.main, &report, &read, department).unwrap();
        let outcome = import::merge_return(&mut self.main, &incoming).unwrap();
        assert_eq!(outcome.applied, expected.len(), "{department}");
        assert!(outcome.conflicts.is_empty());
        for (cell, value) in expected {
            self.model.insert(cell, value);
        }
    }

    /// One half-year, from the open period to the export read back.
    fn cycle(&mut self, year: i32, half: Half) {
        let when = wareki::fiscal_year_label(year) + half.label();
        let packages = self.send_packages();
        assert_eq!(packages.len(), DEPARTMENTS, "{when}: 41 packages");

        // Who does what this time.
        let mut names: Vec<String> = packages.keys().cloned().collect();
        self.rng.shuffle(&mut names);
        let excel_at = names.iter().position(|n| n != &department(0)).unwrap();
        let excel = names.remove(excel_at);
        let roles = Roles {
            conflict: names[0..3].to_vec(),
            late: names[3..5].to_vec(),
            twice: names[5..7].to_vec(),
            excel,
        };

        // The coordinator corrects cells after the packages went out: in each conflict
        // department's first measure, the status (which the department edits too) and the plan
        // (which it leaves alone).
        let mut designed: BTreeMap<String, (Cell, String)> = BTreeMap::new();
        let mut coordinator_only = Vec::new();
        for department in &roles.conflict {
            let first = packages[department].base[0].measure_id;
            let status = (first, year, Field::Status(half));
            let plan = (first, year, Field::Plan(half));
            let base = self.model_value(status);
            self.serial += 1;
            let edits = [
                (
                    status,
                    format!("取りまとめの修正した状況（第{}版）", self.serial),
                ),
                (
                    plan,
                    format!("取りまとめの修正した計画（第{}版）", self.serial),
                ),
            ];
            edit::apply(
                &mut self.main,
                &Actor::Coordinator,
                &Source::App,
                &edits
                    .iter()
                    .map(|(c, v)| CellEdit {
                        key: key(*c),
                        value: v.clone(),
                    })
                    .collect::<Vec<_>>(),
            )
            .unwrap();
            for (cell, value) in edits {
                self.model.insert(cell, value);
            }
            designed.insert(department.clone(), (status, base));
            coordinator_only.push(plan);
        }

        // The departments edit and submit; the late ones' files wait.
        let mut on_time = Vec::new();
        let mut late = Vec::new();
        let mut sent: BTreeMap<String, Vec<(Cell, String)>> = BTreeMap::new();
        for (department, package) in &packages {
            if department == &roles.excel {
                continue;
            }
            let must: Vec<Cell> = designed.get(department).map(|d| d.0).into_iter().collect();
            let count = if roles.twice.contains(department) {
                2 + self.rng.below(3)
            } else {
                1 + self.rng.below(4)
            };
            let edits = self.pick_edits(department, package, count, &must, &coordinator_only);
            self.department_edits(department, &edits);
            let path = self.submit(department);
            let conflicts: BTreeSet<CellKey> = must.iter().map(|c| key(*c)).collect();
            let entry = (
                path,
                department.clone(),
                edits.len() - conflicts.len(),
                conflicts,
            );
            if roles.late.contains(department) {
                late.push(entry);
            } else {
                on_time.push(entry);
            }
            sent.insert(department.clone(), edits);
        }
        assert_eq!(on_time.len(), DEPARTMENTS - 1 - roles.late.len());
        self.merge(&on_time);
        for (department, edits) in &sent {
            if roles.late.contains(department) {
                continue;
            }
            for (cell, value) in edits {
                if designed.get(department).is_none_or(|d| d.0 != *cell) {
                    self.model.insert(*cell, value.clone());
                }
            }
        }

        // The Excel department's sheet comes back.
        let excel = roles.excel.clone();
        self.excel_return(&excel, year, half);

        // The coordinator chooses a side for each conflict, in turn the department's, its own
        // and the base both started from.
        let waiting = merge::conflicts(&self.main).unwrap();
        assert_eq!(waiting.len(), roles.conflict.len(), "{when}: {waiting:?}");
        for (i, conflict) in waiting.iter().enumerate() {
            let (cell, base) = designed[&conflict.department].clone();
            assert_eq!(conflict.key, key(cell));
            assert_eq!(conflict.base_value, base);
            let department_value = sent[&conflict.department]
                .iter()
                .find(|(c, _)| *c == cell)
                .unwrap()
                .1
                .clone();
            assert_eq!(conflict.department_value, department_value);
            let (choice, value) = match (self.conflicts_resolved + i) % 3 {
                0 => (Choice::Department, department_value),
                1 => (Choice::Coordinator, self.model_value(cell)),
                _ => (Choice::Base, base),
            };
            merge::resolve(&mut self.main, &conflict.key, choice).unwrap();
            self.model.insert(cell, value);
        }
        self.conflicts_resolved += waiting.len();
        assert!(merge::conflicts(&self.main).unwrap().is_empty());

        // The second submissions: a cell edited again, a cell put back to what the package
        // issued, and one more.
        for department in roles.twice.clone() {
            let first = sent[&department].clone();
            let base: HashMap<Cell, String> = packages[&department]
                .base
                .iter()
                .map(|b| ((b.measure_id, b.year, b.field), b.value.clone()))
                .collect();
            let (again, _) = &first[0];
            let (back, _) = &first[1];
            let now = first[0].1.clone();
            let mut edits = vec![
                (*again, self.new_value(&department, *again, &now)),
                (*back, base[back].clone()),
            ];
            let never: Vec<Cell> = first.iter().map(|(c, _)| *c).collect();
            edits.extend(self.pick_edits(&department, &packages[&department], 1, &[], &never));
            // Cells written to what the report holds already change nothing there.
            let applied = edits
                .iter()
                .filter(|(c, v)| self.model_value(*c) != *v)
                .count();
            self.department_edits(&department, &edits);
            let path = self.submit(&department);
            late.push((path, department.clone(), applied, BTreeSet::new()));
            sent.get_mut(&department).unwrap().extend(edits);
        }
        self.merge(&late);
        for department in roles.late.iter().chain(&roles.twice) {
            let cells: &[(Cell, String)] = &sent[department];
            let from = if roles.twice.contains(department) {
                cells.len() - 3
            } else {
                0
            };
            for (cell, value) in &cells[from..] {
                self.model.insert(*cell, value.clone());
            }
        }
        self.check_model(&when);

        // The consolidated sheet of every year so far, read back: the same report.
        let report = Report::load(&self.main).unwrap();
        let years: Vec<i32> = report.years.iter().map(|y| y.year).collect();
        let out = self.file("report", "xlsx");
        let options = ExportOptions {
            years: Some(years.clone()),
            department: None,
        };
        let summary = export::export_sheet(&mut self.main, &options, &out).unwrap();
        assert_eq!(summary.measures, report.measures.len());
        assert_eq!(summary.years, years);
        let read = import::read_file(&out).unwrap();
        let again = import::preview(Some(&report), &read, None);
        assert!(again.changes.is_empty(), "{when}: {:?}", again.changes);
        assert!(again.unmatched.is_empty(), "{when}: {:?}", again.unmatched);
        let mut fresh = Store::open_in_memory().unwrap();
        import::import_new(&mut fresh, &read).unwrap();
        let fresh = Report::load(&fresh).unwrap();
        assert_eq!(fresh.measures.len(), report.measures.len());
        assert_eq!(
            cells_by_content(&fresh),
            cells_by_content(&report),
            "{when}: the export read back"
        );
    }

    /// The second April: 第１課 and 第２課 merged, 第３課 split in two, a measure of 第４課 moved
    /// to 第５課, a measure of 第６課 retired after 令和６年度. Returns the moved and the
    /// retired measure.
    fn reorganise(&mut self) -> (i64, i64) {
        let ids_of = |store: &Store, name: &str| -> Vec<i64> {
            let d = store.department_by_name(name).unwrap().unwrap();
            store
                .measures()
                .unwrap()
                .into_iter()
                .filter(|m| m.department_id == d.id)
                .map(|m| m.id)
                .collect()
        };
        let merged: Vec<i64> = [0, 1]
            .iter()
            .flat_map(|&d| ids_of(&self.main, &department(d)))
            .collect();
        let done =
            master::merge_departments(&mut self.main, MERGED_INTO, &[department(0), department(1)])
                .unwrap();
        assert_eq!(done.moved.len(), 5);
        assert_eq!(done.created, vec![MERGED_INTO.to_string()]);
        let split = ids_of(&self.main, &department(2));
        assert_eq!(split.len(), 4);
        let parts = vec![
            (SPLIT_INTO[0].to_string(), split[..2].to_vec()),
            (SPLIT_INTO[1].to_string(), split[2..].to_vec()),
        ];
        let done = master::split_department(&mut self.main, &department(2), &parts).unwrap();
        assert_eq!(done.removed, vec![department(2)]);
        let moved = ids_of(&self.main, &department(3))[0];
        let from = master::transfer_measure(&mut self.main, moved, &department(4)).unwrap();
        assert_eq!(from, department(3));
        let retired = ids_of(&self.main, &department(5))[0];
        assert_eq!(
            master::retire_measure(&mut self.main, retired, Some(RETIRED_AFTER)).unwrap(),
            RETIRED_AFTER
        );
        assert_eq!(ids_of(&self.main, MERGED_INTO), merged);
        assert_eq!(self.main.departments().unwrap().len(), DEPARTMENTS);

        // The old departments get no package; their databases are left behind.
        for (gone, successor) in [
            (department(0), MERGED_INTO.to_string()),
            (department(2), SPLIT_INTO.join("・")),
        ] {
            let refused = submission::make_package(&self.main, &gone)
                .unwrap_err()
                .to_string();
            assert!(
                refused.contains(&format!("{successor} のパッケージを作成してください")),
                "{refused}"
            );
        }
        (moved, retired)
    }

    /// Closes the open period of `year`/`half`, or moves on to the next one.
    fn close(&mut self, year: i32, half: Half, next: bool) {
        if next {
            let opened = master::start_next_period(&mut self.main, "").unwrap();
            let expected = match half {
                Half::H1 => (year, Half::H2),
                Half::H2 => (year + 1, Half::H1),
            };
            assert_eq!(opened, expected);
        } else {
            master::close_period(&mut self.main, year, half).unwrap();
        }
        let fy = self.main.fiscal_year(year).unwrap().unwrap();
        assert_eq!(fy.half(half).state, PeriodState::Closed);
    }

    /// Opens `year`/`half` (adding the year when it is new), unless it is open already.
    fn open(&mut self, year: i32, half: Half) {
        if self.main.open_period().unwrap() == Some((year, half)) {
            return;
        }
        if self.main.fiscal_year(year).unwrap().is_none() {
            master::add_fiscal_year(
                &mut self.main,
                year,
                &Half::H1.default_months(),
                &Half::H2.default_months(),
            )
            .unwrap();
        }
        let deadline = match half {
            Half::H1 => format!("{year}-09-30"),
            Half::H2 => format!("{}-03-31", year + 1),
        };
        master::open_period(&mut self.main, year, half, &deadline).unwrap();
        assert_eq!(self.main.open_period().unwrap(), Some((year, half)));
    }
}

#[test]
fn a_four_year_term_of_41_departments_equals_its_model() {
    let mut term = Term::new();
    let periods: Vec<(i32, Half)> = (FIRST_YEAR..FIRST_YEAR + 4)
        .flat_map(|y| Half::BOTH.map(|h| (y, h)))
        .collect();
    let mut reorganised = None;
    let mut held_back = None;
    for (n, &(year, half)) in periods.iter().enumerate() {
        term.open(year, half);
        if (year, half) == (FIRST_YEAR + 2, Half::H1) {
            reorganised = Some(term.reorganise());
            // A submission 第１課 wrote before the merge is refused, naming the new department.
            let (path, _) = held_back.take().expect("written in the last cycle");
            let outcome = submission::merge_files(&mut term.main, &[path]).unwrap();
            let refused = outcome[0].refused.clone().unwrap_or_default();
            assert!(
                refused.contains(&format!("{MERGED_INTO} のパッケージで提出してください")),
                "{outcome:?}"
            );
            // The old database cannot take the new department's package either.
            let path = term.file("package", "json");
            submission::write_package(&mut term.main, MERGED_INTO, &path).unwrap();
            let old = term.departments.get_mut(&department(0)).unwrap();
            let refused = submission::update_from_package(old, &path, false)
                .unwrap_err()
                .to_string();
            assert!(refused.contains("統合課 宛てのパッケージです"), "{refused}");
            for gone in [department(0), department(1), department(2)] {
                term.departments.remove(&gone);
            }
        }
        term.cycle(year, half);
        if (year, half) == (FIRST_YEAR + 1, Half::H2) {
            // 第１課 edits again after its submission and writes one more, never merged.
            let name = department(0);
            let package = submission::package_of(&term.departments[&name]).unwrap();
            let edits = term.pick_edits(&name, &package, 1, &[], &[]);
            term.department_edits(&name, &edits);
            held_back = Some((term.submit(&name), edits));
        }
        term.close(year, half, (3..7).contains(&n));
    }
    term.check_model("the end of the term");

    // Every cycle merged 40 files (the Excel department returned none) and two second ones.
    assert_eq!(term.merged_files, 8 * (DEPARTMENTS - 1 + 2));
    assert_eq!(term.conflicts_resolved, 8 * 3);
    let report = Report::load(&term.main).unwrap();
    assert_eq!(
        report.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        vec![2023, 2024, 2025, 2026]
    );
    assert!(report
        .years
        .iter()
        .all(|y| y.halves.iter().all(|h| h.state == PeriodState::Closed)));

    // The reorganised measures: under their new departments, the retired one blank after its
    // last year but keeping what it had.
    let (moved, retired) = reorganised.unwrap();
    let owner = |id: i64| {
        let m = report.measure(id).unwrap();
        report.department_name(m.department_id).to_string()
    };
    assert_eq!(owner(moved), department(4));
    assert_eq!(owner(retired), department(5));
    let retired_cells: Vec<i32> = term
        .model
        .iter()
        .filter(|((id, _, _), v)| *id == retired && !v.is_empty())
        .map(|((_, year, _), _)| *year)
        .collect();
    assert!(
        retired_cells.iter().all(|&y| y <= RETIRED_AFTER),
        "{retired_cells:?}"
    );
    assert!(retired_cells.contains(&RETIRED_AFTER), "{retired_cells:?}");
    let names: BTreeSet<String> = report.departments.iter().map(|d| d.name.clone()).collect();
    assert!(names.contains(MERGED_INTO) && names.contains(SPLIT_INTO[0]));
    assert!(!names.contains(&department(0)) && !names.contains(&department(2)));
    let filled = term.model.values().filter(|v| !v.is_empty()).count();
    assert!(filled > 500, "{filled}");
}
