//! The bare writer: reads the cells dumped by `dump-cells` and writes them as one workbook with
//! rust_xlsxwriter, the way shinchoku's export writes its sheets (the large hidden sheet in
//! low-memory mode, a wrapped and bordered format on every cell, the merges, deflate level 3)
//! without shinchoku: no database, no report model, no checks. `bare-writer CELLS.json OUT.xlsx`.

mod cells;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (input, output) = match (args.next(), args.next()) {
        (Some(i), Some(o)) => (i, o),
        _ => return Err("usage: bare-writer CELLS.json OUT.xlsx".into()),
    };
    let book: cells::Book = serde_json::from_slice(&std::fs::read(input)?)?;
    let cell = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_font_name("ＭＳ 明朝")
        .set_font_size(10);
    let mut workbook = Workbook::new();
    // The export's deflate level (shinchoku_core::export::ZIP_LEVEL, as Excel does), so the file
    // is packed alike and only the work around the writer differs.
    workbook.set_zip_compression_level(3);
    for sheet in &book.sheets {
        let ws = if sheet.hidden {
            workbook.add_worksheet_with_low_memory()?
        } else {
            workbook.add_worksheet()
        };
        ws.set_name(&sheet.name)?;
        ws.set_hidden(sheet.hidden);
        let at: std::collections::HashMap<(u32, u16), &cells::Value> =
            sheet.cells.iter().map(|(r, c, v)| ((*r, *c), v)).collect();
        let mut merged = std::collections::HashSet::new();
        for &(r1, c1, r2, c2) in &sheet.merges {
            let text = at
                .get(&(r1, c1))
                .map(|v| match v {
                    cells::Value::Text(t) => t.clone(),
                    cells::Value::Number(n) => n.to_string(),
                })
                .unwrap_or_default();
            ws.merge_range(r1, c1, r2, c2, &text, &cell)?;
            merged.insert((r1, c1));
        }
        for (r, c, v) in &sheet.cells {
            if merged.contains(&(*r, *c)) {
                continue;
            }
            match v {
                cells::Value::Number(n) if sheet.hidden => ws.write_number(*r, *c, *n)?,
                cells::Value::Number(n) => ws.write_number_with_format(*r, *c, *n, &cell)?,
                cells::Value::Text(t) if sheet.hidden => ws.write_string(*r, *c, t)?,
                cells::Value::Text(t) => ws.write_string_with_format(*r, *c, t, &cell)?,
            };
        }
    }
    workbook.save(output)?;
    Ok(())
}
