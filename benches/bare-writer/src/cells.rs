//! The dump's form: every sheet of a workbook with its cells and merged ranges.

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Book {
    pub sheets: Vec<Sheet>,
}

#[derive(Serialize, Deserialize)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    /// (row, col, value)
    pub cells: Vec<(u32, u16, Value)>,
    /// (first row, first col, last row, last col)
    pub merges: Vec<(u32, u16, u32, u16)>,
}

/// Tagged (`{"Text": "…"}`): an untagged enum would make serde format an error for every text
/// it first tries as a number, which took a fifth of the run.
#[derive(Serialize, Deserialize)]
pub enum Value {
    Number(f64),
    Text(String),
}
