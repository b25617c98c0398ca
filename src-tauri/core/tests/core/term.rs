//! A simulated four-year term: 41 departments, eight half-year cycles from 令和５年度 上半期 to
//! 令和８年度 下半期, each with its packages, the department databases made from the first one
//! and updated from every later one, the departments' edits, their submissions (some late, some
//! twice, one department each cycle returning its Excel sheet instead), the merge, the conflicts
//! the coordinator resolves, those departments' next submissions after the resolution, and the
//! export read back. In the second April (令和７年度) the
//! reorganisation: a merge, a split, a move and a retirement.
//!
//! Beside the coordinator's database runs a model: a plain map of (measure, year, field) →
//! value that applies the same accepted edits and resolutions directly. After every cycle the
//! report must equal it, and every department database must hold it after its package.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::merge::{self, Choice};
use shinchoku_core::model::{Actor, CellKey, Field, Half, PeriodState, Source};
use shinchoku_core::report::Report;
use shinchoku_core::submission;
use shinchoku_core::{import, master, wareki, Store};

mod world;

use world::{cells_by_content, key, Term};

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

impl Term {
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

        // After the resolution each conflict department corrects one more cell and submits
        // again, its 状況 still holding the value the coordinator decided on: the decision
        // stands, nothing is raised again (#25).
        let mut resubmitted = Vec::new();
        for department in roles.conflict.clone() {
            let mut never: Vec<Cell> = sent[&department].iter().map(|(c, _)| *c).collect();
            never.extend(coordinator_only.iter().copied());
            let edits = self.pick_edits(&department, &packages[&department], 1, &[], &never);
            self.department_edits(&department, &edits);
            let path = self.submit(&department);
            resubmitted.push((path, department.clone(), edits.len(), BTreeSet::new()));
            for (cell, value) in &edits {
                self.model.insert(*cell, value.clone());
            }
            sent.get_mut(&department).unwrap().extend(edits);
        }
        self.merge(&resubmitted);
        assert!(
            merge::conflicts(&self.main).unwrap().is_empty(),
            "{when}: a settled conflict raised again"
        );
        self.check_model(&when);

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

    // Every cycle merged 40 files (the Excel department returned none), two second ones and
    // the three conflict departments' submissions after the resolution.
    assert_eq!(term.merged_files, 8 * (DEPARTMENTS - 1 + 2 + 3));
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
