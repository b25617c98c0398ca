//! The command line of the `shinchoku` binary: automation and tests use the same core as the app.
//!
//! `shinchoku` alone opens the window; a subcommand runs here and never opens one.

mod backup;
mod check;
mod edit;
mod export;
mod import;
mod master;
mod publish;
mod reorganise;
mod submission;
mod term;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::document::DocumentError;
use crate::edit::EditError;
use crate::export::ExportError;
use crate::store::{Store, StoreError};

/// 重点政策 進捗管理 — the progress report of the mayor's pledges.
#[derive(Debug, Parser)]
#[command(
    name = "shinchoku",
    version,
    about = "重点政策の進捗管理（市長公約の進捗報告）",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// The report database (default: shinchoku.db in the app-data folder).
    #[arg(long, global = true, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// A request package (.shinchoku-package) or a submission (.shinchoku-submission) to open
    /// in the window, as a double-click on the file does.
    #[arg(value_name = "FILE")]
    pub open: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a report database, empty, with the built-in sample, or from a request package.
    Init {
        /// Load the built-in sample report (令和５・６年度, 81 measures).
        #[arg(long, conflicts_with = "package")]
        sample: bool,
        /// Start a department's database from a request package.
        #[arg(long, value_name = "FILE")]
        package: Option<PathBuf>,
        /// A generated report of N measures with every cell filled, for benchmarks and scale tests.
        #[arg(long, value_name = "N", conflicts_with_all = ["sample", "package"], hide = true)]
        generate: Option<usize>,
        /// The fiscal years of a generated report, comma-separated.
        #[arg(long, value_name = "YEARS", value_delimiter = ',', value_parser = year_arg, default_values_t = [2021, 2022, 2023, 2024], hide = true)]
        years: Vec<i32>,
    },
    /// Check the database and count pledges, measures, departments and filled cells.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// List measures with their ids, department and every cell.
    List {
        /// Only the measures of this department (課).
        #[arg(long, value_name = "課")]
        department: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Edit one measure's cells for a fiscal year and half.
    Set(edit::SetArgs),
    /// Write the consolidated report as .xlsx in the original layout (or CSV open data).
    Export(export::ExportArgs),
    /// Read a sheet in the original layout into the database.
    Import(import::ImportArgs),
    /// Write the report as an accessible web page with its stylesheet and the CSV, in a folder.
    Publish(publish::PublishArgs),
    /// Write a department's request package.
    Package(submission::PackageArgs),
    /// Take the next request package into a department database (the next half-year).
    Update(submission::UpdateArgs),
    /// Write this department database's submission.
    Submit(submission::SubmitArgs),
    /// Merge departments' submissions into the consolidated report.
    Merge(submission::MergeArgs),
    /// The submission board of the open period, with a reminder for the missing departments.
    Board {
        #[arg(long)]
        json: bool,
    },
    /// The conflicts waiting for the coordinator, side by side, then the settled ones with how,
    /// by whom and when.
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Settle a conflict by choosing whose value to keep; the department's value stays decided
    /// for its later submissions of the same package.
    Resolve(submission::ResolveArgs),
    /// List the automatic backups, or put the report back as it was in one of them.
    Restore(backup::RestoreArgs),
    /// Open, close or reopen a reporting period, or move on to the next one.
    #[command(subcommand)]
    Period(master::PeriodCommand),
    /// Add a fiscal year with the months of its halves.
    #[command(subcommand)]
    Year(master::YearCommand),
    /// Rename, merge or split departments (the April reorganisation), or show who owned what.
    #[command(subcommand)]
    Department(reorganise::DepartmentCommand),
    /// Move a measure to another department, end it, or show its owners over time.
    #[command(subcommand)]
    Measure(reorganise::MeasureCommand),
    /// Start a new mayor's term (the past term's report is kept read-only), or list past terms.
    #[command(subcommand)]
    Term(term::TermCommand),
}

/// Why a command failed; the message is what the user reads.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error(transparent)]
    Submission(#[from] crate::submission::SubmissionError),
    #[error(transparent)]
    Merge(#[from] crate::merge::MergeError),
    #[error(transparent)]
    Master(#[from] crate::master::MasterError),
    #[error(transparent)]
    Term(#[from] crate::term::TermError),
    #[error(transparent)]
    Publish(#[from] crate::publish::PublishError),
    /// Arguments that parse but do not make sense together.
    #[error("{0}")]
    Usage(String),
    /// Writing to the output failed (a closed pipe, a full disk).
    #[error("出力できません（{}）", crate::os_message::io(.0))]
    Output(#[from] std::io::Error),
    /// The default database's folder (in the user's app data) cannot be made.
    #[error("データベースのフォルダ {} を作成できません（{}）", .folder.display(), crate::os_message::io(.source))]
    DefaultFolder {
        folder: PathBuf,
        source: std::io::Error,
    },
    /// A command of a later stage that this build does not have yet.
    #[error("{0} はまだ使えません")]
    NotAvailable(&'static str),
}

/// A `--year` value: 2024 or 令和6年度, within the years a report can hold.
fn year_arg(text: &str) -> Result<i32, crate::wareki::YearError> {
    text.parse::<crate::wareki::Year>()
        .map(crate::wareki::Year::get)
}

/// The database the app and the commands use when `--db` is not given.
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(crate::APP_IDENTIFIER)
        .join("shinchoku.db")
}

/// Runs one subcommand, writing its output to `out`.
pub fn execute(
    db: Option<&Path>,
    command: Command,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let db = match db {
        Some(db) => db.to_path_buf(),
        None => {
            let db = default_db_path();
            // On a fresh PC the app-data folder is not there yet: `init` makes it (as the
            // window does), and nothing else creates anything.
            if let (Command::Init { .. }, Some(folder)) = (&command, db.parent()) {
                std::fs::create_dir_all(folder).map_err(|source| CliError::DefaultFolder {
                    folder: folder.to_path_buf(),
                    source,
                })?;
            }
            db
        }
    };
    match command {
        Command::Init {
            package: Some(package),
            ..
        } => submission::init_from_package(&db, &package, out),
        Command::Init {
            generate: Some(measures),
            years,
            ..
        } => check::init_generated(&db, measures, &years, out),
        Command::Init { sample, .. } => check::init(&db, sample, out),
        Command::Check { json } => check::check(&Store::open(&db)?, json, out),
        Command::List { department, json } => {
            check::list(&Store::open(&db)?, department.as_deref(), json, out)
        }
        Command::Set(args) => edit::set(&mut Store::open(&db)?, args, out),
        Command::Export(args) => export::export(&db, args, out),
        Command::Import(args) => import::import(&db, args, out),
        Command::Publish(args) => publish::publish(&db, args, out),
        Command::Package(args) => submission::package(&db, args, out),
        Command::Update(args) => submission::update(&db, args, out),
        Command::Submit(args) => submission::submit(&db, args, out),
        Command::Merge(args) => submission::merge(&db, args, out),
        Command::Restore(args) => backup::restore(&db, args, out),
        Command::Board { json } => submission::board(&db, json, out),
        Command::Conflicts { json } => submission::conflicts(&db, json, out),
        Command::Resolve(args) => submission::resolve(&db, args, out),
        Command::Period(command) => master::period(&db, command, out),
        Command::Year(command) => master::year(&db, command, out),
        Command::Department(command) => reorganise::department(&db, command, out),
        Command::Measure(command) => reorganise::measure(&db, command, out),
        Command::Term(command) => term::term(&db, command, out),
    }
}

/// Parses `args` (the program name first). Help and the version are written to `out` and give 0,
/// a usage error is written to `err` and gives 2: either way the caller exits with the code.
pub fn parse<I, T>(
    args: I,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> Result<Cli, i32>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    Cli::try_parse_from(args).map_err(|e| {
        if e.use_stderr() {
            let _ = writeln!(err, "{}", usage_message(&e));
            2
        } else {
            let _ = write!(out, "{}", e.render());
            0
        }
    })
}

/// A usage error in the user's words: clap's own are English. What was given and what is
/// allowed come from the error's context, so the message names the flag and the value.
fn usage_message(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    let value = context(ContextKind::InvalidValue);
    let valid = context(ContextKind::ValidValue);
    let mut message = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let mut m = format!("{arg} の値「{value}」は使えません");
            if let Some(reason) = std::error::Error::source(e) {
                m.push_str(&format!("（{reason}）"));
            }
            if !valid.is_empty() {
                m.push_str(&format!("。使える値: {valid}"));
            }
            m
        }
        ErrorKind::UnknownArgument => format!("{arg} という指定はありません"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "{} というコマンドはありません",
                context(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingRequiredArgument => format!("指定が足りません: {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "コマンドを指定してください".to_string()
        }
        ErrorKind::ArgumentConflict => format!(
            "{arg} と {} は一緒に指定できません",
            context(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{arg} の値の数が正しくありません")
        }
        ErrorKind::NoEquals => format!("{arg} には = で値を続けてください"),
        ErrorKind::InvalidUtf8 => "指定に読めない文字が含まれています".to_string(),
        _ => "コマンドの指定が正しくありません".to_string(),
    };
    if let Some(usage) = e.get(ContextKind::Usage) {
        message.push_str(&format!("\n{usage}"));
    }
    format!("エラー: {message}\n使い方は --help で表示されます")
}

/// Runs one parsed subcommand, for the app's binary and `shinchoku-cli` alike: 0 done, 1 refused
/// with `エラー: …` on `err`.
pub fn run_command(
    db: Option<&Path>,
    command: Command,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> i32 {
    match execute(db, command, out) {
        Ok(()) => 0,
        // The reader stopped reading (`| head`): what the command did is done, as a Unix tool
        // that meets a closed pipe ends quietly.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "エラー: {e}");
            1
        }
    }
}

/// The whole of `shinchoku-cli` (and of the tests' in-process runs): parse `args` (the program
/// name first) and run the command. Returns the process exit code: 0 done, 1 refused with a
/// message on `err`, 2 bad usage. Without a subcommand there is no window to open here, so the
/// help is printed with where the window is.
pub fn run<I, T>(args: I, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match parse(args, out, err) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let Some(command) = cli.command else {
        let help = <Cli as clap::CommandFactory>::command()
            .bin_name("shinchoku-cli")
            .render_help();
        let _ = write!(err, "{help}");
        let _ = writeln!(
            err,
            "\nコマンドを指定してください。ウィンドウを開くには shinchoku を起動してください"
        );
        return 2;
    };
    run_command(cli.db.as_deref(), command, out, err)
}
