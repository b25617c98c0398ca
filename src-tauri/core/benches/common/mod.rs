//! What the benches share: a report document loaded into a database in memory.

use shinchoku_core::document::ReportDocument;
use shinchoku_core::model::Source;
use shinchoku_core::Store;

pub fn store_of(doc: &ReportDocument) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    doc.load_into(&mut store, &Source::Sample).unwrap();
    store
}
