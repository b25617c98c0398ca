//! `term`: a new mayor's term starts a new report; the past term's report is kept read-only
//! (term.rs holds every rule).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::CliError;
use crate::store::Store;
use crate::term::{self, NewTerm};
use crate::wareki;

#[derive(Debug, Subcommand)]
pub enum TermCommand {
    /// End the report's term: keep it as a read-only copy in the terms folder, and go on with an
    /// empty report (departments and years kept) for the new mayor's pledges.
    New {
        /// The new report's title (default: the current one).
        #[arg(long)]
        title: Option<String>,
        /// The new term's first fiscal year (default: the open period's year); earlier years go
        /// with the past term.
        #[arg(long, value_name = "YEAR", value_parser = super::year_arg)]
        from: Option<i32>,
        /// Where the past term's copy goes (default: terms/<name>-<first>-<last>.db beside the
        /// database, where `term list` and the window find it; a copy elsewhere is not listed).
        #[arg(long, value_name = "FILE")]
        archive: Option<PathBuf>,
    },
    /// List the past terms kept beside the database (export one with `export --db <file>`).
    List {
        #[arg(long)]
        json: bool,
    },
}

pub fn term(db: &Path, command: TermCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        TermCommand::New {
            title,
            from,
            archive,
        } => {
            let mut store = Store::open(db)?;
            let started = term::start_new_term(
                &mut store,
                &NewTerm {
                    title,
                    first_year: from,
                    archive,
                },
            )?;
            writeln!(
                out,
                "新しい任期を {} から始めました。前の任期（{}、実施内容 {} 件）は読み取り専用で {} に保管しました",
                wareki::fiscal_year_label(started.first_year),
                started.archived_years,
                started.archived_measures,
                started.archive.display()
            )?;
            writeln!(
                out,
                "  課 {} 件はそのままです。新しい公約はシートの取込（shinchoku import）か管理画面で登録してください",
                started.departments
            )?;
        }
        TermCommand::List { json } => {
            let terms = term::list(db)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &terms).map_err(std::io::Error::other)?;
                writeln!(out)?;
            } else if terms.is_empty() {
                writeln!(out, "過去の任期はありません")?;
            } else {
                for t in &terms {
                    writeln!(
                        out,
                        "{}　{}（実施内容 {} 件、{} 保管）: {}",
                        t.years,
                        t.title,
                        t.measures,
                        t.archived_at,
                        t.path.display()
                    )?;
                }
            }
        }
    }
    Ok(())
}
