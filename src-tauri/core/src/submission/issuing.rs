//! The coordinator's side: a request package per department, made from the open period and
//! recorded as issued (its cells, their base values and revisions, its secret).

use std::path::{Path, PathBuf};

use super::types::{BaseCell, FileKind, Package, Period, PACKAGE_FORMAT, VERSION};
use super::{file, now, package_name_parts, SubmissionError};
use crate::document::ReportDocument;
use crate::model::{period_label, Actor, CellKey, Field, Half, Source};
use crate::report::Report;
use crate::store::{IssuedCell, IssuedPackage, Store, StoreError};

pub(super) fn open_period(store: &Store) -> Result<Period, SubmissionError> {
    let years = store.fiscal_years()?;
    crate::model::open_half(&years)
        .map(|(y, h)| Period {
            year: y.year,
            half: h.half,
            label: period_label(y.year, h.half),
            deadline: h.deadline.clone(),
        })
        .ok_or(SubmissionError::NoOpenPeriod)
}

/// The cells a department writes in a period: the year's own and the half's.
fn period_fields(half: Half) -> [Field; 6] {
    [
        Field::AnnualTarget,
        Field::AnnualIndicator,
        Field::YearNote,
        Field::Plan(half),
        Field::Indicator(half),
        Field::Status(half),
    ]
}

/// Makes the request package of one department.
pub fn make_package(store: &Store, department: &str) -> Result<Package, SubmissionError> {
    let department = crate::name::department(department, "担当課")?;
    let Some(dept) = store.department_by_name(&department)? else {
        return Err(
            match crate::master::missing_department(store, &department) {
                Ok(crate::master::MasterError::Gone(gone)) => {
                    SubmissionError::DepartmentGone { gone }
                }
                Err(crate::master::MasterError::Store(e)) => e.into(),
                _ => SubmissionError::UnknownDepartment(crate::name::shown(&department)),
            },
        );
    };
    package_from(store, &Report::load(store)?, &dept)
}

/// The package of one department from `report`, the store's report read once for every package
/// issued together: reading and converting the whole report again for each of 41 departments
/// was most of the time a full cycle took at 2,000 measures (benches/cycle.rs).
/// The department is given as the store holds it: `--all` never looks a name up again.
fn package_from(
    store: &Store,
    report: &Report,
    dept: &crate::model::Department,
) -> Result<Package, SubmissionError> {
    let period = open_period(store)?;
    // A measure that ended before the period is no longer the department's to report.
    let ended = store.measure_last_years()?;
    let reports = |id: i64| crate::model::reports_in(ended.get(&id).copied(), period.year);
    let doc =
        ReportDocument::from_report_where(report, |m| m.department_id == dept.id && reports(m.id));
    let mut base = Vec::new();
    for m in report
        .measures
        .iter()
        .filter(|m| m.department_id == dept.id && reports(m.id))
    {
        for field in period_fields(period.half) {
            let key = CellKey {
                measure_id: m.id,
                year: period.year,
                field,
            };
            let (value, revision) = report
                .cells
                .get(&key)
                .map(|c| (c.value.clone(), c.revision))
                .unwrap_or_default();
            base.push(BaseCell {
                measure_id: m.id,
                year: period.year,
                field,
                revision,
                value,
            });
        }
    }
    let random = || file::new_secret().map_err(|e| SubmissionError::Random(e.to_string()));
    Ok(Package {
        format: PACKAGE_FORMAT.into(),
        version: VERSION,
        package_id: random()?[..32].to_string(),
        secret: random()?,
        department: dept.name.clone(),
        period,
        revision: report.revision,
        issued_at: now(),
        report: doc,
        base,
    })
}

/// Writes one department's package to `path` and logs its issue.
pub fn write_package(
    store: &mut Store,
    department: &str,
    path: &Path,
) -> Result<Package, SubmissionError> {
    let package = make_package(store, department)?;
    issue(store, package, path)
}

/// Logs a package's issue, then writes it to `path`.
fn issue(store: &mut Store, package: Package, path: &Path) -> Result<Package, SubmissionError> {
    // Recorded first: a package file that exists was always issued. A target no save may
    // replace (the database itself) is refused before the record.
    crate::safe_save::check_target(path).map_err(file::FileError::from)?;
    log_package(store, &package, path)?;
    file::write(path, &package, None)?;
    Ok(package)
}

/// Writes every department's package into `folder`, one file each, named by
/// [`package_name_parts`] (`<課>.shinchoku-package`, or `<課> (ID n).shinchoku-package` when
/// two names make one file name). Every package is made before the first is written, so a
/// department that cannot be packaged stops the run before any file is.
pub fn write_all_packages(
    store: &mut Store,
    folder: &Path,
) -> Result<Vec<PathBuf>, SubmissionError> {
    let report = Report::load(store)?;
    let departments = store.departments()?;
    let packages = departments
        .iter()
        .map(|dept| package_from(store, &report, dept))
        .collect::<Result<Vec<_>, _>>()?;
    let mut written = Vec::with_capacity(packages.len());
    for (part, package) in package_name_parts(&departments).into_iter().zip(packages) {
        let path = folder.join(format!("{part}.{}", FileKind::PACKAGE_EXTENSION));
        issue(store, package, &path)?;
        written.push(path);
    }
    Ok(written)
}

fn log_package(store: &mut Store, package: &Package, path: &Path) -> Result<(), StoreError> {
    let issued = IssuedPackage {
        package_id: package.package_id.clone(),
        department: package.department.clone(),
        year: package.period.year,
        half: package.period.half,
        revision: package.revision,
        secret: package.secret.clone(),
        file: file::name(path),
        issued_at: package.issued_at.clone(),
        cells: package
            .base
            .iter()
            .map(|b| IssuedCell {
                key: CellKey {
                    measure_id: b.measure_id,
                    year: b.year,
                    field: b.field,
                },
                revision: b.revision,
                value: b.value.clone(),
            })
            .collect(),
    };
    store.write(&Actor::Coordinator, &Source::App, |w| {
        w.log_package(&issued)
    })
}
