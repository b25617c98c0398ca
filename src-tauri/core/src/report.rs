//! The whole report read at once: what export, the CLI listing and the app's first paint need.

use std::collections::{BTreeMap, HashMap};

use crate::model::{
    cell_label, cell_place, CellKey, CellValue, Department, DepartmentId, Field, FiscalYear,
    Measure, MeasureId, Pledge, PledgeId,
};
use crate::store::{Result, Store};

/// A consistent snapshot of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    pub revision: i64,
    pub departments: Vec<Department>,
    /// By number.
    pub pledges: Vec<Pledge>,
    /// In sheet order.
    pub measures: Vec<Measure>,
    /// Oldest first.
    pub years: Vec<FiscalYear>,
    pub cells: BTreeMap<CellKey, CellValue>,
    department_index: HashMap<DepartmentId, usize>,
    pledge_index: HashMap<PledgeId, usize>,
}

impl Report {
    /// Reads the report in one read transaction, so that it is consistent even while written.
    pub fn load(store: &Store) -> Result<Report> {
        store.read_snapshot(|store| {
            Ok(Report::new(
                store.title()?,
                store.revision()?,
                store.departments()?,
                store.pledges()?,
                store.measures()?,
                store.fiscal_years()?,
                store.cells()?,
            ))
        })
    }

    pub fn new(
        title: String,
        revision: i64,
        departments: Vec<Department>,
        pledges: Vec<Pledge>,
        measures: Vec<Measure>,
        years: Vec<FiscalYear>,
        cells: BTreeMap<CellKey, CellValue>,
    ) -> Report {
        let department_index = departments
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id, i))
            .collect();
        let pledge_index = pledges.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        Report {
            title,
            revision,
            departments,
            pledges,
            measures,
            years,
            cells,
            department_index,
            pledge_index,
        }
    }

    /// A cell's text, "" when blank.
    pub fn value(&self, measure_id: MeasureId, year: i32, field: Field) -> &str {
        self.cells
            .get(&CellKey {
                measure_id,
                year,
                field,
            })
            .map(|c| c.value.as_str())
            .unwrap_or("")
    }

    pub fn department(&self, id: DepartmentId) -> Option<&Department> {
        self.department_index
            .get(&id)
            .map(|&i| &self.departments[i])
    }

    pub fn department_name(&self, id: DepartmentId) -> &str {
        self.department(id).map(|d| d.name.as_str()).unwrap_or("")
    }

    pub fn pledge(&self, id: PledgeId) -> Option<&Pledge> {
        self.pledge_index.get(&id).map(|&i| &self.pledges[i])
    }

    pub fn measure(&self, id: MeasureId) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }

    pub fn year(&self, year: i32) -> Option<&FiscalYear> {
        self.years.iter().find(|y| y.year == year)
    }

    /// The period open for the departments, if any ([`crate::model::open_period`]).
    pub fn open_period(&self) -> Option<(i32, crate::model::Half)> {
        crate::model::open_period(&self.years)
    }

    /// No.3 企画課 令和６年度 下半期 進捗状況: a cell named as the sheet's rows name it, with its
    /// measure's pledge number and department; only the year and field for a measure the report
    /// does not have.
    pub fn cell_name(&self, key: &CellKey) -> String {
        match self.measure(key.measure_id) {
            Some(measure) => cell_place(
                self.pledge(measure.pledge_id).map_or(0, |p| p.number),
                self.department_name(measure.department_id),
                key.year,
                key.field,
            ),
            None => cell_label(key.year, key.field),
        }
    }

    /// The text of a measure's 公約 cell: the pledge's title and, below it, the measure's caption.
    pub fn pledge_cell(&self, measure: &Measure) -> String {
        let title = self
            .pledge(measure.pledge_id)
            .map(|p| p.title.as_str())
            .unwrap_or("");
        if measure.pledge_caption.is_empty() {
            title.to_string()
        } else {
            format!("{title}\n{}", measure.pledge_caption)
        }
    }

    /// The smallest and largest pledge numbers that have measures, for the title (No.1~45).
    pub fn pledge_range(&self) -> Option<(u32, u32)> {
        let numbers = self
            .measures
            .iter()
            .filter_map(|m| self.pledge(m.pledge_id))
            .map(|p| p.number);
        let (min, max) = numbers.fold((u32::MAX, 0), |(lo, hi), n| (lo.min(n), hi.max(n)));
        (max > 0).then_some((min, max))
    }
}
