//! Reads an exported workbook (calamine) and prints its sheets' cells and merges as JSON, for
//! `bare-writer` to write again. Run once by scripts/bench-cli.sh, outside the measured runs.

#[path = "../cells.rs"]
mod cells;

use calamine::{Data, Reader, SheetVisible};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: dump-cells BOOK.xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("an xlsx");
    let mut sheets = Vec::new();
    for meta in book.sheets_metadata().to_vec() {
        let range = book.worksheet_range(&meta.name).expect("a sheet");
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (r, c, v) in range.used_cells() {
            let at = ((r0 as usize + r) as u32, (c0 as usize + c) as u16);
            match v {
                Data::Empty => {}
                Data::Float(f) => cells.push((at.0, at.1, cells::Value::Number(*f))),
                Data::Int(i) => cells.push((at.0, at.1, cells::Value::Number(*i as f64))),
                other => cells.push((at.0, at.1, cells::Value::Text(other.to_string()))),
            }
        }
        let merges = book
            .merge_cells_by_sheet_name(&meta.name)
            .expect("merges")
            .iter()
            .map(|d| (d.start.0, d.start.1 as u16, d.end.0, d.end.1 as u16))
            .collect();
        sheets.push(cells::Sheet {
            name: meta.name.clone(),
            hidden: meta.visible != SheetVisible::Visible,
            cells,
            merges,
        });
    }
    println!(
        "{}",
        serde_json::to_string(&cells::Book { sheets }).unwrap()
    );
}
