//! Crash safety: a worker process writes to a report and is killed (SIGKILL) at random moments,
//! over and over; after each kill the database must pass `integrity_check` and hold every change
//! the worker had reported as committed.
//!
//! The worker is this same test binary started again with `SHINCHOKU_CRASH_WORKER` set, running
//! `crash_worker`; it prints `committed <n>` after each committed action. Its actions are the
//! app's writes: saves, merges of a department's return, imports of a returned sheet (each after
//! a backup), and a backup restored over the report.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use std::collections::HashMap;

use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::import;
use shinchoku_core::merge::{self, Incoming, IncomingCell};
use shinchoku_core::model::{Actor, CellKey, CellValue, Field, Half, Source};
use shinchoku_core::report::Report;
use shinchoku_core::{backup, Store};

use crate::common::{sample_db, TempDir};

const WORKER_ENV: &str = "SHINCHOKU_CRASH_WORKER";
const KILLS: usize = 200;

/// The value the worker writes in action `n`, so the checker knows what each commit left.
fn status_of(n: u64) -> String {
    format!("第{n}回の保存（{}）", "進捗".repeat((n % 50) as usize))
}

/// The cells action `n` writes: a status, an indicator, and a plan, in three measures.
fn edits_of(measures: &[i64], n: u64) -> Vec<CellEdit> {
    let m = |k: u64| measures[((n * 7 + k) % measures.len() as u64) as usize];
    let indicator = ["☆", "○", "△", "×"][(n % 4) as usize];
    vec![
        CellEdit {
            key: CellKey {
                measure_id: m(0),
                year: 2024,
                field: Field::Status(Half::H2),
            },
            value: status_of(n),
        },
        CellEdit {
            key: CellKey {
                measure_id: m(1),
                year: 2024,
                field: Field::Indicator(Half::H2),
            },
            value: indicator.into(),
        },
        CellEdit {
            key: CellKey {
                measure_id: m(2),
                year: 2024,
                field: Field::Plan(Half::H2),
            },
            value: format!("計画 {n}"),
        },
    ]
}

/// What kind of write action `n` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A backup restored over the report, then a save: a large multi-page write.
    Restore,
    /// A department's return merged (three-way) into the report.
    Merge,
    /// A sheet returned by a department, read and merged after a backup.
    Import,
    Save,
}

fn kind_of(n: u64) -> Kind {
    match n {
        n if n % 25 == 0 => Kind::Restore,
        n if n % 5 == 0 => Kind::Merge,
        n if n % 7 == 0 => Kind::Import,
        _ => Kind::Save,
    }
}

/// The cells action `n` leaves behind when committed. `owners` maps measures to departments.
fn expected_of(measures: &[i64], owners: &HashMap<i64, i64>, n: u64) -> Vec<CellEdit> {
    let edits = edits_of(measures, n);
    let department = owners[&edits[0].key.measure_id];
    match kind_of(n) {
        Kind::Restore | Kind::Save => edits,
        Kind::Merge => edits
            .into_iter()
            .filter(|e| owners[&e.key.measure_id] == department)
            .collect(),
        Kind::Import => edits.into_iter().take(1).collect(),
    }
}

/// The worker: runs actions in a loop and reports each commit.
#[test]
fn crash_worker() {
    let Ok(db) = std::env::var(WORKER_ENV) else {
        return;
    };
    let start: u64 = std::env::var("SHINCHOKU_CRASH_START")
        .unwrap()
        .parse()
        .unwrap();
    let mut store = Store::open(Path::new(&db)).unwrap();
    let measures: Vec<i64> = store.measures().unwrap().iter().map(|m| m.id).collect();
    let owners: HashMap<i64, i64> = store
        .measures()
        .unwrap()
        .iter()
        .map(|m| (m.id, m.department_id))
        .collect();
    let sheet = Path::new(&db).with_extension("returned.xlsx");
    for n in start.. {
        let expected = expected_of(&measures, &owners, n);
        match kind_of(n) {
            Kind::Restore | Kind::Save => {
                if kind_of(n) == Kind::Restore {
                    let copy = backup::take(&store, backup::Reason::Manual).unwrap();
                    backup::restore(&mut store, &copy.name).unwrap();
                }
                edit::apply(
                    &mut store,
                    &Actor::Coordinator,
                    &Source::App,
                    &edits_of(&measures, n),
                )
                .unwrap();
            }
            Kind::Merge => {
                let report = Report::load(&store).unwrap();
                let department = report
                    .department_name(owners[&expected[0].key.measure_id])
                    .to_string();
                let cells = expected
                    .iter()
                    .map(|e| {
                        let base = report.cells.get(&e.key);
                        IncomingCell {
                            key: e.key,
                            base_revision: base.map_or(0, |c| c.revision),
                            base_value: base.map(|c| c.value.clone()).unwrap_or_default(),
                            value: e.value.clone(),
                        }
                    })
                    .collect();
                let ret = Incoming {
                    department,
                    year: 2024,
                    half: Half::H2,
                    cells,
                    source: Source::Submission(format!("{n}.json")),
                };
                merge::merge(&mut store, &ret).unwrap();
            }
            Kind::Import => {
                // The department typed the new 状況 into the exported sheet, which keeps our
                // hidden sheet (without it, a value the coordinator wrote would be a conflict).
                let report = Report::load(&store).unwrap();
                let mut returned = report.clone();
                let key = expected[0].key;
                returned.cells.insert(
                    key,
                    CellValue {
                        key,
                        value: expected[0].value.clone(),
                        revision: 0,
                    },
                );
                export::export_xlsx(&returned, &ExportOptions::default(), &sheet).unwrap();
                // Recorded as `export_sheet` records it: the revision is a base we issued.
                store
                    .write(&Actor::Coordinator, &Source::App, |w| {
                        w.log_sheet_export(report.revision, "", "returned.xlsx")
                    })
                    .unwrap();
                let read = import::read_file(&sheet).unwrap();
                let department = report.department_name(owners[&key.measure_id]).to_string();
                let incoming = import::incoming(&store, &report, &read, &department).unwrap();
                import::merge_return(&mut store, &incoming).unwrap();
            }
        }
        println!("committed {n}");
    }
}

#[test]
fn killing_the_process_at_random_moments_loses_no_committed_change() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let listed = Store::open(&db).unwrap().measures().unwrap();
    let measures: Vec<i64> = listed.iter().map(|m| m.id).collect();
    let owners: HashMap<i64, i64> = listed.iter().map(|m| (m.id, m.department_id)).collect();
    let mut kinds_hit: HashMap<String, usize> = HashMap::new();
    let exe = std::env::current_exe().unwrap();
    // A small deterministic generator for the kill delays (no extra dependency).
    let mut seed: u64 = 0x5EED_2026;
    let mut next_delay = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        Duration::from_micros(seed % 30_000)
    };
    let mut next_action: u64 = 1;
    let mut killed_mid_write = 0;
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash::crash_worker",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WORKER_ENV, &db)
            .env("SHINCHOKU_CRASH_START", next_action.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (first_commit, started) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut last = None;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line
                    .strip_prefix("committed ")
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    if last.is_none() {
                        let _ = first_commit.send(());
                    }
                    last = Some(n);
                }
            }
            last
        });
        // Kill at a random moment of a working process: after its first commit, whatever the
        // machine's load does to start-up time.
        started
            .recv_timeout(Duration::from_secs(60))
            .expect("the worker never committed");
        std::thread::sleep(next_delay());
        // SIGKILL on Unix: no destructor, no flush, no rollback runs in the worker.
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        let last = reader.join().unwrap();
        if still_running {
            killed_mid_write += 1;
        }

        let store =
            Store::open(&db).unwrap_or_else(|e| panic!("round {round}: cannot reopen: {e}"));
        assert!(
            store.integrity_problems().unwrap().is_empty(),
            "round {round}: integrity"
        );
        let report = Report::load(&store).unwrap();
        if let Some(last) = last {
            // Everything reported committed is there: the last action's three cells in full.
            *kinds_hit
                .entry(format!("{:?}", kind_of(last + 1)))
                .or_default() += 1;
            for e in expected_of(&measures, &owners, last) {
                let later_overwrote = (last + 1..last + 3).any(|k| {
                    expected_of(&measures, &owners, k)
                        .iter()
                        .any(|o| o.key == e.key)
                });
                if !later_overwrote {
                    assert_eq!(
                        report.value(e.key.measure_id, e.key.year, e.key.field),
                        e.value,
                        "round {round}: action {last} lost"
                    );
                }
            }
            next_action = last + 2;
        }
    }
    // The kills fell during every kind of action (the one after the last commit was running).
    for kind in ["Restore", "Merge", "Import", "Save"] {
        assert!(
            kinds_hit.get(kind).copied().unwrap_or(0) > 0,
            "no kill during {kind}: {kinds_hit:?}"
        );
    }
    // Every kill hit a process that was still writing.
    assert_eq!(
        killed_mid_write, KILLS,
        "some kills came after the worker had ended"
    );
}
