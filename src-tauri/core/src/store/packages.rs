//! `package_log`: the request packages issued to departments, each with the secret that signs
//! its submission and the cells it issued. The merge takes its base from here.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Result, Store, StoreError, Write};
use crate::model::{CellKey, Half};

/// One cell as a package issued it: the merge base of that department's return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCell {
    pub key: CellKey,
    pub revision: i64,
    pub value: String,
}

/// A package as the coordinator issued it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedPackage {
    /// Random, named in the package and in every submission made from it.
    pub package_id: String,
    pub department: String,
    pub year: i32,
    pub half: Half,
    /// The coordinator's report revision when issued.
    pub revision: i64,
    /// The key of the submission's HMAC, hex.
    pub secret: String,
    pub file: String,
    pub issued_at: String,
    pub cells: Vec<IssuedCell>,
}

fn by_id(conn: &Connection, package_id: &str) -> Result<Option<(i64, IssuedPackage)>> {
    let row = conn
        .prepare_cached(
            "SELECT id, package_id, department, year, half, revision, secret, file, issued_at,
                    issued_cells
             FROM package_log WHERE package_id = ?1 AND package_id <> ''",
        )?
        .query_row([package_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i32>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
            ))
        })
        .optional()?;
    let Some((order, package_id, department, year, half, revision, secret, file, issued_at, cells)) =
        row
    else {
        return Ok(None);
    };
    // Written by us in the same transaction as the row: unreadable only if edited by hand.
    let cells = serde_json::from_str(&cells).map_err(|_| StoreError::Damaged {
        what: format!("パッケージ {package_id} の発行記録"),
    })?;
    let half = half.parse().map_err(|_| StoreError::Damaged {
        what: format!("パッケージ {package_id} の期"),
    })?;
    Ok(Some((
        order,
        IssuedPackage {
            package_id,
            department,
            year,
            half,
            revision,
            secret,
            file,
            issued_at,
            cells,
        },
    )))
}

impl Store {
    /// The package issued under `package_id`, with its issue order (later packages have higher
    /// numbers); `None` when this database never issued it.
    pub fn issued_package(&self, package_id: &str) -> Result<Option<(i64, IssuedPackage)>> {
        by_id(&self.conn, package_id)
    }

    /// When the department's newest package of a period was issued, and its file name.
    pub fn latest_package(
        &self,
        department: &str,
        year: i32,
        half: Half,
    ) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT issued_at, file FROM package_log WHERE department = ?1 AND year = ?2
                 AND half = ?3 ORDER BY id DESC LIMIT 1",
            )?
            .query_row((department, year, half.code()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    }
}

impl Write<'_> {
    /// Forgets the packages issued, for a new term's report: a package of the past term is then no
    /// longer this report's, and its submission is refused.
    pub fn clear_package_log(&mut self) -> Result<()> {
        self.touched = true;
        self.tx.execute("DELETE FROM package_log", [])?;
        Ok(())
    }

    /// Records a package as issued.
    pub fn log_package(&mut self, package: &IssuedPackage) -> Result<()> {
        self.touched = true;
        let cells = serde_json::to_string(&package.cells).map_err(|_| StoreError::Damaged {
            what: format!("パッケージ {} の発行記録", package.package_id),
        })?;
        self.tx.execute(
            "INSERT INTO package_log (package_id, department, year, half, file, revision, issued_at,
               secret, issued_cells) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            (
                &package.package_id,
                &package.department,
                package.year,
                package.half.code(),
                &package.file,
                package.revision,
                &package.issued_at,
                &package.secret,
                cells,
            ),
        )?;
        Ok(())
    }
}
