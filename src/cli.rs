//! The command line: every command and flag, with the help text users see.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// communique: press releases about diplomatic meetings in, a clean SQLite database out.
///
/// Run `communique ingest` in a folder holding `raw/` to build `communique.db`; query it with
/// the sqlite3 shell (start with `SELECT * FROM meetings_overview;`).
#[derive(Debug, Parser)]
#[command(name = "communique", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// More log output on stderr (-v: debug, -vv: trace). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Print nothing on success: no summary, only warnings and errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Format of the log lines on stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read new and changed releases from the raw folder into the database.
    ///
    /// Incremental: files whose contents, manifest row, extractor version and data files are
    /// unchanged are skipped. The whole run is one transaction.
    Ingest(IngestArgs),
    /// Re-extract every release from the text stored in the database, with the current
    /// extractor, gazetteer and taxonomy, in one transaction (the raw files are not needed).
    ///
    /// The result is the same database a fresh ingest of the same files would give.
    Reingest(ReingestArgs),
    /// Check the database: storage, completeness, plausibility and provenance rules.
    ///
    /// Prints the findings grouped by rule (or one JSON object per line with --format json),
    /// stores them in the validation_findings table, and exits with 6 when errors (or, with
    /// --strict, warnings) are found.
    Validate(ValidateArgs),
    /// Write the public tables as CSV (for spreadsheets), Parquet (for DuckDB, Spark,
    /// Trino) and a Frictionless datapackage.json describing the CSV files.
    ///
    /// Files are written to a temporary folder inside --out and moved into place when
    /// complete; each run replaces the csv/ and parquet/ folders it writes.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// SQLite database to export.
    #[arg(long, default_value = "communique.db", env = "COMMUNIQUE_DB")]
    pub db: PathBuf,

    /// Folder to write into (csv/, parquet/, datapackage.json); created if needed.
    #[arg(long, default_value = "exports")]
    pub out: PathBuf,

    /// What to write.
    #[arg(long, value_enum, default_value_t = ExportFormatArg::All)]
    pub format: ExportFormatArg,

    /// Only these tables (comma-separated), e.g. --tables meetings,meeting_participants.
    #[arg(long, value_delimiter = ',')]
    pub tables: Vec<String>,

    /// CSV for spreadsheets: a UTF-8 byte-order mark, and text cells that start with =, +,
    /// -, @, tab or carriage return prefixed with ' so they are not run as formulas.
    #[arg(long)]
    pub excel: bool,

    /// Partition the Parquet files of dated tables into Hive-style year=YYYY folders.
    #[arg(long, value_enum)]
    pub partition_by: Option<PartitionArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    Csv,
    Parquet,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartitionArg {
    /// One folder per year of the meeting (or of the release, for documents).
    Year,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// SQLite database to check.
    #[arg(long, default_value = "communique.db", env = "COMMUNIQUE_DB")]
    pub db: PathBuf,

    /// Raw folder, to check that every release's file is still there.
    #[arg(long, default_value = "raw")]
    pub raw: PathBuf,

    /// Folder with extra rows for the data files (the taxonomy the topics are checked against).
    #[arg(long, env = "COMMUNIQUE_DATA")]
    pub data: Option<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Treat warnings as errors for the exit status.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Findings grouped by rule, with counts and the first examples.
    Text,
    /// One JSON object per finding, one per line.
    Json,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Folder of releases (text files) and the optional manifest.csv.
    #[arg(long, default_value = "raw")]
    pub raw: PathBuf,

    /// SQLite database to create or update.
    #[arg(long, default_value = "communique.db", env = "COMMUNIQUE_DB")]
    pub db: PathBuf,

    /// Folder with extra rows for the data files (people.csv, topics.csv, ...), added to the
    /// built-in ones.
    #[arg(long, env = "COMMUNIQUE_DATA")]
    pub data: Option<PathBuf>,

    /// Largest release accepted, in bytes; bigger files are recorded as failures.
    #[arg(long, default_value_t = crate::config::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_size: u64,

    /// Remove from the database the releases whose file is no longer in the raw folder, with
    /// the meetings only they reported.
    #[arg(long)]
    pub prune: bool,

    /// Seconds to wait for another run that is writing to the database; then give up with
    /// exit status 5.
    #[arg(long, default_value_t = 60)]
    pub wait: u64,

    /// Read and hash every file, even those whose size and modification time are what the
    /// last run saw (by default such files are passed over unread).
    #[arg(long)]
    pub checksum: bool,

    /// Threads that read and extract releases (one more writes); default: one per core.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
}

#[derive(Debug, Args)]
pub struct ReingestArgs {
    /// SQLite database to re-extract.
    #[arg(long, default_value = "communique.db", env = "COMMUNIQUE_DB")]
    pub db: PathBuf,

    /// Folder with extra rows for the data files (people.csv, topics.csv, ...), added to the
    /// built-in ones.
    #[arg(long, env = "COMMUNIQUE_DATA")]
    pub data: Option<PathBuf>,

    /// Seconds to wait for another run that is writing to the database; then give up with
    /// exit status 5.
    #[arg(long, default_value_t = 60)]
    pub wait: u64,

    /// Threads that extract releases (one more writes); default: one per core.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
}
