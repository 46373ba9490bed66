//! Validated settings, built once from the command line and the environment and passed down
//! by reference; nothing deeper reads the environment or the clock.

use crate::cli::{ExportArgs, ExportFormatArg, IngestArgs, ReportFormat, ValidateArgs};
use crate::commands::export::{ExportConfig, ExportFormat};
use crate::commands::validate::{Format, ValidateConfig};
use chrono::{DateTime, SecondsFormat, Utc};
use std::path::PathBuf;

/// Releases are a few kilobytes; anything over 5 MiB is not one.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// The time recorded as `ingested_at` and in `ingest_runs`: now, or `SOURCE_DATE_EPOCH`
/// (seconds since 1970) when set, for reproducible databases.
pub fn run_time(source_date_epoch: Option<&str>) -> anyhow::Result<DateTime<Utc>> {
    match source_date_epoch {
        Some(s) => {
            let secs: i64 = s.trim().parse().map_err(|_| {
                anyhow::anyhow!("SOURCE_DATE_EPOCH '{s}' is not a number of seconds")
            })?;
            DateTime::from_timestamp(secs, 0)
                .ok_or_else(|| anyhow::anyhow!("SOURCE_DATE_EPOCH '{s}' is out of range"))
        }
        None => Ok(Utc::now()),
    }
}

pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[derive(Debug, Clone)]
pub struct IngestConfig {
    pub raw: PathBuf,
    pub db: PathBuf,
    pub data: Option<PathBuf>,
    pub max_file_bytes: u64,
    pub now: DateTime<Utc>,
    pub quiet: bool,
    /// How long to wait for another writer to finish.
    pub wait: std::time::Duration,
    /// Remove documents whose file left the raw folder.
    pub prune: bool,
    /// Draw a progress bar (a terminal, not quiet, text logs).
    pub progress: bool,
    /// Hash every file, not only those whose size or modification time changed.
    pub checksum: bool,
    /// Threads that read and extract releases.
    pub jobs: usize,
}

/// The number of extraction threads: as asked, else one per core.
fn jobs(asked: Option<usize>) -> anyhow::Result<usize> {
    match asked {
        Some(0) => anyhow::bail!("--jobs must be at least 1"),
        Some(n) => Ok(n),
        None => Ok(crate::parallel::default_jobs()),
    }
}

impl IngestConfig {
    pub fn new(
        args: &IngestArgs,
        quiet: bool,
        progress: bool,
        source_date_epoch: Option<&str>,
    ) -> anyhow::Result<Self> {
        if !args.raw.is_dir() {
            anyhow::bail!(
                "the raw folder {} does not exist or is not a folder",
                args.raw.display()
            );
        }
        if args.max_file_size == 0 {
            anyhow::bail!("--max-file-size must be at least 1 byte");
        }
        Ok(IngestConfig {
            raw: args.raw.clone(),
            db: args.db.clone(),
            data: args.data.clone(),
            max_file_bytes: args.max_file_size,
            now: run_time(source_date_epoch)?,
            quiet,
            wait: std::time::Duration::from_secs(args.wait),
            prune: args.prune,
            progress,
            checksum: args.checksum,
            jobs: jobs(args.jobs)?,
        })
    }
}

impl ValidateConfig {
    pub fn new(
        args: &ValidateArgs,
        quiet: bool,
        source_date_epoch: Option<&str>,
    ) -> anyhow::Result<Self> {
        Ok(ValidateConfig {
            db: args.db.clone(),
            raw: Some(args.raw.clone()),
            data: args.data.clone(),
            format: match args.format {
                ReportFormat::Text => Format::Text,
                ReportFormat::Json => Format::Json,
            },
            strict: args.strict,
            now: run_time(source_date_epoch)?,
            quiet,
        })
    }
}

impl ExportConfig {
    pub fn new(args: &ExportArgs, quiet: bool) -> Self {
        ExportConfig {
            db: args.db.clone(),
            out: args.out.clone(),
            format: match args.format {
                ExportFormatArg::Csv => ExportFormat::Csv,
                ExportFormatArg::Parquet => ExportFormat::Parquet,
                ExportFormatArg::All => ExportFormat::All,
            },
            tables: args.tables.clone(),
            excel: args.excel,
            partition_by_year: args.partition_by.is_some(),
            quiet,
        }
    }
}

/// Settings of `communique reingest`.
#[derive(Debug, Clone)]
pub struct ReingestConfig {
    pub db: PathBuf,
    pub data: Option<PathBuf>,
    pub now: DateTime<Utc>,
    pub quiet: bool,
    pub wait: std::time::Duration,
    pub progress: bool,
    /// Threads that extract releases.
    pub jobs: usize,
}

impl ReingestConfig {
    pub fn new(
        args: &crate::cli::ReingestArgs,
        quiet: bool,
        progress: bool,
        source_date_epoch: Option<&str>,
    ) -> anyhow::Result<Self> {
        Ok(ReingestConfig {
            db: args.db.clone(),
            data: args.data.clone(),
            now: run_time(source_date_epoch)?,
            quiet,
            wait: std::time::Duration::from_secs(args.wait),
            progress,
            jobs: jobs(args.jobs)?,
        })
    }
}
