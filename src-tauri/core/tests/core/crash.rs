//! Crash safety: a worker process writes to a report and is killed (SIGKILL) at random moments,
//! over and over; after each kill the database must open, pass `integrity_check` and hold every
//! change the worker had reported as committed (or, killed during a restore, exactly the copy
//! restored), and every backup listed must be a whole, sound copy.
//!
//! The worker is this same test binary started again with `SHINCHOKU_CRASH_WORKER` set, running
//! `crash_worker`; it prints `committed <n>` after each committed action, and `backing up` or
//! `restoring <name>` when it starts one. Its actions are the app's writes: saves, merges of a
//! department's return, imports of a returned sheet (each after a backup), a backup taken, and
//! the oldest backup restored over the report.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use std::collections::{BTreeMap, HashMap, HashSet};

use shinchoku_core::edit::{self, CellEdit};
use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::import;
use shinchoku_core::merge::{self, Incoming, IncomingCell};
use shinchoku_core::model::{Actor, CellKey, CellValue, Field, Half, Source};
use shinchoku_core::report::Report;
use shinchoku_core::store::migrate;
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
    /// The oldest backup restored over the report, then a save: a large multi-page write that
    /// goes back to a state the checker can tell from the one before.
    Restore,
    /// A department's return merged (three-way) into the report.
    Merge,
    /// A sheet returned by a department, read and merged after a backup.
    Import,
    /// A backup taken by hand, then a save.
    Backup,
    Save,
}

fn kind_of(n: u64) -> Kind {
    match n {
        n if n % 25 == 0 => Kind::Restore,
        n if n % 5 == 0 => Kind::Merge,
        n if n % 7 == 0 => Kind::Import,
        n if n % 11 == 0 => Kind::Backup,
        _ => Kind::Save,
    }
}

/// The sample's measures, as the worker and the checker both pick them.
struct Measures {
    /// Those whose 2024 block takes entries: a year with a note takes none (the rule of
    /// `model::year_note_clash`), and a returned sheet carries only its note.
    all: Vec<i64>,
    /// Each measure's department.
    owners: HashMap<i64, i64>,
}

impl Measures {
    fn of(store: &Store) -> Measures {
        let report = Report::load(store).unwrap();
        Measures {
            all: report
                .measures
                .iter()
                .filter(|m| report.value(m.id, 2024, Field::YearNote).is_empty())
                .map(|m| m.id)
                .collect(),
            owners: report
                .measures
                .iter()
                .map(|m| (m.id, m.department_id))
                .collect(),
        }
    }
}

/// The cells action `n` leaves behind when committed.
fn expected_of(measures: &Measures, n: u64) -> Vec<CellEdit> {
    if kind_of(n) == Kind::Import {
        return edits_of(&measures.all, n).into_iter().take(1).collect();
    }
    let owners = &measures.owners;
    let edits = edits_of(&measures.all, n);
    let department = owners[&edits[0].key.measure_id];
    match kind_of(n) {
        Kind::Restore | Kind::Backup | Kind::Save => edits,
        Kind::Merge => edits
            .into_iter()
            .filter(|e| owners[&e.key.measure_id] == department)
            .collect(),
        Kind::Import => unreachable!("returned above"),
    }
}

/// Action `n` of the worker, on `store` (the database `db`); `sheet` is its scratch sheet.
fn act(store: &mut Store, db: &Path, sheet: &Path, measures: &Measures, n: u64) {
    let expected = expected_of(measures, n);
    match kind_of(n) {
        Kind::Restore | Kind::Backup | Kind::Save => {
            if kind_of(n) == Kind::Restore {
                let oldest = match backup::list(db).unwrap().pop() {
                    Some(oldest) => oldest,
                    None => backup::take(store, backup::Reason::Manual).unwrap(),
                };
                println!("restoring {}", oldest.name);
                backup::restore(store, &oldest.name).unwrap();
            }
            if kind_of(n) == Kind::Backup {
                println!("backing up");
                backup::take(store, backup::Reason::Manual).unwrap();
            }
            edit::apply(
                store,
                &Actor::Coordinator,
                &Source::App,
                &edits_of(&measures.all, n),
            )
            .unwrap();
        }
        Kind::Merge => {
            let report = Report::load(store).unwrap();
            let department = report
                .department_name(measures.owners[&expected[0].key.measure_id])
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
                issue: merge::Issue::Package(n.to_string()),
                cells,
                source: Source::Submission(format!("{n}.json")),
            };
            merge::merge(store, &ret).unwrap();
        }
        Kind::Import => {
            // The department typed the new 状況 into the exported sheet, which keeps our
            // hidden sheet (without it, a value the coordinator wrote would be a conflict).
            let report = Report::load(store).unwrap();
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
            export::export_xlsx(&returned, &ExportOptions::default(), sheet).unwrap();
            // Recorded as `export_sheet` records it: the revision is a base we issued.
            store
                .write(&Actor::Coordinator, &Source::App, |w| {
                    w.log_sheet_export(report.revision, "", "returned.xlsx")
                })
                .unwrap();
            let read = import::read_file(sheet).unwrap();
            let department = report
                .department_name(measures.owners[&key.measure_id])
                .to_string();
            let incoming = import::incoming(store, &report, &read, &department).unwrap();
            import::merge_return(store, &incoming).unwrap();
        }
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
    let measures = Measures::of(&store);
    let sheet = Path::new(&db).with_extension("returned.xlsx");
    for n in start.. {
        act(&mut store, Path::new(&db), &sheet, &measures, n);
        println!("committed {n}");
    }
}

/// What the worker printed: its last committed action, and what it had started after it.
#[derive(Debug, Default)]
struct Seen {
    last: Option<u64>,
    /// The copy it was restoring when killed.
    restoring: Option<String>,
    /// It was taking a backup when killed.
    backing_up: bool,
}

/// Every cell of a report, by key.
fn values(report: &Report) -> BTreeMap<CellKey, String> {
    report
        .cells
        .iter()
        .map(|(key, cell)| (*key, cell.value.clone()))
        .collect()
}

/// The cells of a backup copy, read from a scratch copy of it (opening migrates and switches to
/// WAL, which a listed copy must not undergo).
fn values_of_copy(copy: &Path, dir: &TempDir) -> BTreeMap<CellKey, String> {
    let scratch = dir.path("scratch.db");
    shinchoku_core::store::remove_files(&scratch);
    std::fs::copy(copy, &scratch)
        .unwrap_or_else(|e| panic!("the copy being restored is gone: {}: {e}", copy.display()));
    let store = Store::open(&scratch).unwrap();
    values(&Report::load(&store).unwrap())
}

/// The first committed cell of action `last` missing from `report`, if any.
fn lost_commit(report: &Report, measures: &Measures, last: u64) -> Option<CellEdit> {
    expected_of(measures, last).into_iter().find(|e| {
        let later_overwrote =
            (last + 1..last + 3).any(|k| expected_of(measures, k).iter().any(|o| o.key == e.key));
        !later_overwrote && report.value(e.key.measure_id, e.key.year, e.key.field) != e.value
    })
}

/// Checks every listed backup not checked before: whole, sound, at this build's version.
fn check_listed_backups(db: &Path, checked: &mut HashSet<String>, round: usize) {
    for copy in backup::list(db).unwrap() {
        if !checked.insert(copy.name.clone()) {
            continue;
        }
        let conn = rusqlite::Connection::open_with_flags(
            &copy.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("round {round}: listed copy {} unreadable: {e}", copy.name));
        assert_eq!(integrity, "ok", "round {round}: listed copy {}", copy.name);
        assert_eq!(
            migrate::schema_version(&conn).unwrap(),
            migrate::LATEST_VERSION,
            "round {round}: listed copy {} is no whole report",
            copy.name
        );
    }
}

#[test]
fn killing_the_process_at_random_moments_loses_no_committed_change() {
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let measures = Measures::of(&Store::open(&db).unwrap());
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
    let (mut killed_backing_up, mut killed_restoring) = (0, 0);
    let mut checked = HashSet::new();
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
            let mut seen = Seen::default();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line
                    .strip_prefix("committed ")
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    if seen.last.is_none() {
                        let _ = first_commit.send(());
                    }
                    seen = Seen {
                        last: Some(n),
                        ..Seen::default()
                    };
                } else if let Some(name) = line.strip_prefix("restoring ") {
                    seen.restoring = Some(name.to_string());
                } else if line == "backing up" {
                    seen.backing_up = true;
                }
            }
            seen
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
        let seen = reader.join().unwrap();
        if still_running {
            killed_mid_write += 1;
        }
        killed_backing_up += usize::from(seen.backing_up);
        killed_restoring += usize::from(seen.restoring.is_some());

        let store =
            Store::open(&db).unwrap_or_else(|e| panic!("round {round}: cannot reopen: {e}"));
        assert!(
            store.integrity_problems().unwrap().is_empty(),
            "round {round}: integrity"
        );
        let report = Report::load(&store).unwrap();
        drop(store);
        if let Some(last) = seen.last {
            *kinds_hit
                .entry(format!("{:?}", kind_of(last + 1)))
                .or_default() += 1;
            // Everything reported committed is there: the last action's three cells in full.
            let lost = lost_commit(&report, &measures, last);
            match &seen.restoring {
                // Killed restoring: the old state, or exactly the copy (then perhaps the save
                // that follows it in the same action, committed but not yet reported).
                Some(name) if lost.is_some() => {
                    let restored = values_of_copy(&backup::folder(&db).join(name), &dir);
                    let mut saved = restored.clone();
                    saved.extend(
                        edits_of(&measures.all, last + 1)
                            .into_iter()
                            .map(|e| (e.key, e.value)),
                    );
                    let now = values(&report);
                    assert!(
                        now == restored || now == saved,
                        "round {round}: killed restoring {name}: neither the state before nor the copy ({lost:?} lost)"
                    );
                }
                _ => assert!(
                    lost.is_none(),
                    "round {round}: action {last} lost: {lost:?}"
                ),
            }
            next_action = last + 2;
        }
        check_listed_backups(&db, &mut checked, round);
    }
    // The kills fell during every kind of action (the one after the last commit was running).
    for kind in ["Restore", "Merge", "Import", "Backup", "Save"] {
        assert!(
            kinds_hit.get(kind).copied().unwrap_or(0) > 0,
            "no kill during {kind}: {kinds_hit:?}"
        );
    }
    // And some fell while a backup was being taken, and while one was being restored.
    assert!(killed_backing_up > 0, "no kill while taking a backup");
    assert!(killed_restoring > 0, "no kill while restoring");
    // Every kill hit a process that was still writing.
    assert_eq!(
        killed_mid_write, KILLS,
        "some kills came after the worker had ended"
    );
}

const PUBLISH_WORKER_ENV: &str = "SHINCHOKU_PUBLISH_WORKER";
const PUBLISH_KILLS: usize = 60;

/// The two publications the publish worker alternates between: the sample over both years,
/// and over the last one only (another page and another CSV).
fn publication_years(n: u64) -> Option<Vec<i32>> {
    if n.is_multiple_of(2) {
        Some(vec![2023, 2024])
    } else {
        Some(vec![2024])
    }
}

/// The publish worker: publishes the two sites in turn into one folder, forever.
#[test]
fn crash_publish_worker() {
    let Ok(db) = std::env::var(PUBLISH_WORKER_ENV) else {
        return;
    };
    let report = Report::load(&Store::open(Path::new(&db)).unwrap()).unwrap();
    let site = Path::new(&db).with_extension("site");
    for n in 0.. {
        shinchoku_core::publish::publish(&report, publication_years(n), &site).unwrap();
        println!("published {n}");
    }
}

/// Regression: a publish that failed half-way left a new report.csv beside the old
/// index.html. Killed at random moments, the folder holds one whole publication.
#[test]
fn killing_a_publish_at_random_moments_leaves_one_whole_publication() {
    use shinchoku_core::publish::{self, CSV, PAGE, PLEDGES_CSV, STYLE, STYLESHEET};
    let dir = TempDir::new();
    let db = sample_db(&dir);
    let report = Report::load(&Store::open(&db).unwrap()).unwrap();
    let sites: Vec<(String, String, String)> = (0..2)
        .map(|n| {
            let site = publish::site(&report, publication_years(n)).unwrap();
            (site.html, site.csv, site.pledges_csv)
        })
        .collect();
    let folder = db.with_extension("site");
    let exe = std::env::current_exe().unwrap();
    let mut seed: u64 = 0x9B1_2026;
    let mut kills_after_a_publish = 0;
    for round in 0..PUBLISH_KILLS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash::crash_publish_worker",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(PUBLISH_WORKER_ENV, &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (first, published) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut count = 0;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("published ") {
                    if count == 0 {
                        let _ = first.send(());
                    }
                    count += 1;
                }
            }
            count
        });
        published
            .recv_timeout(Duration::from_secs(60))
            .expect("the worker never published");
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(seed % 20_000));
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(still_running, "round {round}: the worker had ended");
        kills_after_a_publish += usize::from(reader.join().unwrap() > 0);
        // One whole publication, the old or the new: the page and the CSV of the same site.
        // Where folders cannot trade places in one step (not Linux), a kill between the two
        // renames leaves the old one whole under its aside name, as docs/security.md says.
        let whole = if folder.exists() || cfg!(target_os = "linux") {
            folder.clone()
        } else {
            std::fs::read_dir(dir.0.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.to_string_lossy().ends_with(".old.publishing"))
                .unwrap_or_else(|| panic!("round {round}: no publication, not even aside"))
        };
        let read = |name| {
            std::fs::read_to_string(whole.join(name))
                .unwrap_or_else(|e| panic!("round {round}: {name}: {e}"))
        };
        let now = (read(PAGE), read(CSV), read(PLEDGES_CSV));
        assert!(
            sites.contains(&now),
            "round {round}: the page and the CSV files are not of one publication"
        );
        assert_eq!(read(STYLESHEET), STYLE, "round {round}");
    }
    assert_eq!(kills_after_a_publish, PUBLISH_KILLS);
    // The folders the killed publishes left are cleared by the next one.
    publish::publish(&report, None, &folder).unwrap();
    let mut names = crate::common::names(dir.0.path());
    names.retain(|n| !n.starts_with("report.db"));
    assert_eq!(names, ["report.site"]);
}
