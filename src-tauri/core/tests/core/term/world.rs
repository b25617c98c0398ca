//! The simulated term's world: the coordinator's database, the departments' databases and the
//! model beside them, with the steps a cycle is made of (packages, edits, submissions, merges,
//! the returned Excel sheet) and the checks that the report and each department hold the model.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use rust_xlsxwriter::utility::row_col_to_cell;
use shinchoku_core::document::{
    DocHalf, DocHalfYear, DocMeasure, DocMeasureYear, DocYear, ReportDocument,
};
use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::export::{self, layout, ExportOptions, Selection};
use shinchoku_core::model::{Actor, CellKey, Field, Half, PeriodState, Source};
use shinchoku_core::report::Report;
use shinchoku_core::submission::{self, Package};
use shinchoku_core::{import, wareki, Store};

use super::{department, Cell, DEPARTMENTS, FIRST_YEAR};
use crate::common::TempDir;
use crate::department_sheet::with_cells;

/// The term's report before its first period: 41 departments with two to four measures each,
/// the first year's targets written by the coordinator, everything else blank.
pub(super) fn term_report() -> ReportDocument {
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
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

pub(super) struct Term {
    pub(super) dir: TempDir,
    pub(super) main: Store,
    pub(super) model: BTreeMap<Cell, String>,
    /// Each department's own database, by department.
    pub(super) departments: BTreeMap<String, Store>,
    pub(super) rng: Rng,
    /// Makes every written value and file name unique.
    pub(super) serial: usize,
    /// Conflicts created and resolved, over the term.
    pub(super) conflicts_resolved: usize,
    /// Submission files merged, over the term.
    pub(super) merged_files: usize,
}

/// The report's non-blank cells.
pub(super) fn report_cells(store: &Store) -> BTreeMap<Cell, String> {
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
pub(super) fn cells_by_content(report: &Report) -> BTreeMap<(String, String, i32, Field), String> {
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

pub(super) fn key((measure_id, year, field): Cell) -> CellKey {
    CellKey {
        measure_id,
        year,
        field,
    }
}

impl Term {
    pub(super) fn new() -> Term {
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

    pub(super) fn file(&mut self, stem: &str, ext: &str) -> PathBuf {
        self.serial += 1;
        self.dir.path(&format!("{stem}-{}.{ext}", self.serial))
    }

    pub(super) fn model_value(&self, cell: Cell) -> String {
        self.model.get(&cell).cloned().unwrap_or_default()
    }

    /// The report equals the model, cell for cell; a difference is named.
    pub(super) fn check_model(&self, when: &str) {
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
    pub(super) fn local_ids(&self, department: &str) -> HashMap<i64, i64> {
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
    pub(super) fn check_department(&self, department: &str) {
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
    pub(super) fn department_edits(&mut self, department: &str, cells: &[(Cell, String)]) {
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
    pub(super) fn new_value(
        &mut self,
        department: &str,
        (id, year, field): Cell,
        now: &str,
    ) -> String {
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
    pub(super) fn send_packages(&mut self) -> BTreeMap<String, Package> {
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
    pub(super) fn pick_edits(
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
    pub(super) fn submit(&mut self, department: &str) -> PathBuf {
        let path = self.file("submission", "json");
        let store = self.departments.get_mut(department).unwrap();
        submission::write_submission(store, &path, None).unwrap();
        path
    }

    /// Merges submission files, each of which must be taken whole; `expected` is each file's
    /// department with the cells it should write and the conflicts it should raise.
    pub(super) fn merge(&mut self, files: &[(PathBuf, String, usize, BTreeSet<CellKey>)]) {
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
    pub(super) fn excel_return(&mut self, department: &str, year: i32, half: Half) {
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
            if !shinchoku_core::model::reports_in(ended.get(&id).copied(), year) {
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
}
