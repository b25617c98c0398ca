//! `restore`: list the automatic backups or put the report back as it was in one.

use std::io::Write;
use std::path::Path;

use clap::Args;

use super::CliError;
use crate::backup;
use crate::store::Store;

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup's file name, as `--list` shows it.
    #[arg(required_unless_present = "list")]
    pub name: Option<String>,
    /// List the backups, newest first.
    #[arg(long)]
    pub list: bool,
}

pub fn restore(db: &Path, args: RestoreArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if args.list {
        if !db.is_file() {
            return Err(crate::store::StoreError::Missing {
                path: db.to_path_buf(),
            }
            .into());
        }
        let backups = backup::list(db)?;
        if backups.is_empty() {
            writeln!(
                out,
                "バックアップはまだありません（{}）",
                backup::folder(db).display()
            )?;
        }
        for b in backups {
            writeln!(out, "{}  {}  {}", b.name, b.taken_at, b.reason)?;
        }
        return Ok(());
    }
    let name = args.name.unwrap_or_default();
    let mut store = Store::open(db)?;
    let restored = backup::restore(&mut store, &name)?;
    writeln!(
        out,
        "{}（{}）の状態に戻しました。戻す前の状態もバックアップしてあります",
        restored.taken_at, restored.reason
    )?;
    Ok(())
}
