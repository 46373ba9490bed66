//! `communique export`: the public tables as CSV, Parquet and a data package descriptor,
//! written to a temporary folder inside `--out` and moved into place only when complete.

use crate::db;
use crate::export::{self, PUBLIC_TABLES, TableSpec};
use anyhow::{Context, bail};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Parquet,
    All,
}

#[derive(Debug, Clone)]
pub struct ExportConfig {
    pub db: PathBuf,
    pub out: PathBuf,
    pub format: ExportFormat,
    pub tables: Vec<String>,
    pub excel: bool,
    pub partition_by_year: bool,
    pub quiet: bool,
}

/// What one export wrote: (path relative to --out, rows).
pub type Written = Vec<(PathBuf, u64)>;

const STAGING: &str = ".communique-export.tmp";

fn tables(config: &ExportConfig) -> anyhow::Result<Vec<&'static str>> {
    if config.tables.is_empty() {
        return Ok(PUBLIC_TABLES.to_vec());
    }
    let mut out = Vec::new();
    for wanted in &config.tables {
        match PUBLIC_TABLES.iter().find(|t| **t == wanted.as_str()) {
            Some(t) if !out.contains(t) => out.push(*t),
            Some(_) => {}
            None => bail!(
                "'{wanted}' is not an exported table; choose from: {}",
                PUBLIC_TABLES.join(", ")
            ),
        }
    }
    Ok(out)
}

/// Replace `target` by `staged` (a file or folder) in one rename, keeping the old one only
/// until the new one is in place.
fn swap_in(staged: &Path, target: &Path) -> std::io::Result<()> {
    let old = target.with_file_name(format!(
        ".old-{}",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    if old.exists() {
        remove(&old)?;
    }
    if target.exists() {
        std::fs::rename(target, &old)?;
    }
    std::fs::rename(staged, target)?;
    if old.exists() {
        remove(&old)?;
    }
    Ok(())
}

fn remove(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    }
}

fn write_csv_table(
    config: &ExportConfig,
    spec: &TableSpec,
    conn: &rusqlite::Connection,
    staging: &Path,
) -> anyhow::Result<Written> {
    let rel = PathBuf::from("csv").join(format!("{}.csv", spec.name));
    let file = std::fs::File::create(staging.join(&rel))?;
    let rows = export::csv::write_table(conn, spec, config.excel, BufWriter::new(file))
        .with_context(|| format!("writing {}", rel.display()))?;
    Ok(vec![(rel, rows)])
}

fn write_parquet_table(
    config: &ExportConfig,
    spec: &TableSpec,
    conn: &rusqlite::Connection,
    staging: &Path,
) -> anyhow::Result<Written> {
    let dir = staging.join("parquet");
    Ok(
        export::parquet::write_table(conn, spec, &dir, config.partition_by_year)
            .with_context(|| format!("writing the Parquet files of {}", spec.name))?
            .into_iter()
            .map(|(rel, rows)| (PathBuf::from("parquet").join(rel), rows))
            .collect(),
    )
}

/// One file (or partitioned set of files) to write.
#[derive(Clone, Copy)]
enum Job<'a> {
    Csv(&'a TableSpec),
    Parquet(&'a TableSpec),
}

impl Job<'_> {
    fn run(
        self,
        config: &ExportConfig,
        conn: &rusqlite::Connection,
        staging: &Path,
    ) -> anyhow::Result<Written> {
        match self {
            Job::Csv(spec) => write_csv_table(config, spec, conn, staging),
            Job::Parquet(spec) => write_parquet_table(config, spec, conn, staging),
        }
    }
}

/// What identifies the state of a database that communique wrote: every run that changes it
/// adds a row to `ingest_runs` or `validation_runs`, so two read transactions that see the
/// same last runs (and the same counts) see the same snapshot.
fn state_of(conn: &rusqlite::Connection) -> rusqlite::Result<(i64, i64, i64, i64)> {
    conn.query_row(
        "SELECT (SELECT coalesce(max(id), 0) FROM ingest_runs),
                (SELECT coalesce(max(id), 0) FROM validation_runs),
                (SELECT count(*) FROM documents),
                (SELECT count(*) FROM meetings)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
}

/// Write every job, on two connections in two threads when the second connection reads the
/// same snapshot as the first; otherwise (a run committed in between) all on the first. The
/// files are the same either way; only the time differs.
fn write_all(
    config: &ExportConfig,
    specs: &[TableSpec],
    conn: &rusqlite::Connection,
    staging: &Path,
) -> anyhow::Result<Written> {
    let mut jobs = Vec::new();
    if matches!(config.format, ExportFormat::Csv | ExportFormat::All) {
        std::fs::create_dir_all(staging.join("csv"))?;
        jobs.extend(specs.iter().map(Job::Csv));
    }
    if matches!(config.format, ExportFormat::Parquet | ExportFormat::All) {
        std::fs::create_dir_all(staging.join("parquet"))?;
        jobs.extend(specs.iter().map(Job::Parquet));
    }
    let second = db::open_another_reader(&config.db)?;
    second.execute_batch("BEGIN")?;
    let mut results: Vec<Option<anyhow::Result<Written>>> = (0..jobs.len()).map(|_| None).collect();
    if jobs.len() > 1 && state_of(&second)? == state_of(conn)? {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = &|conn: &rusqlite::Connection| {
            let mut done = Vec::new();
            loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(job) = jobs.get(index) else {
                    return done;
                };
                let result = job.run(config, conn, staging);
                let failed = result.is_err();
                done.push((index, result));
                if failed {
                    // let the other thread run out of work
                    next.store(jobs.len(), std::sync::atomic::Ordering::Relaxed);
                }
            }
        };
        let (theirs, ours) = std::thread::scope(|scope| {
            let helper = scope.spawn(move || {
                let done = work(&second);
                let _ = second.execute_batch("COMMIT");
                done
            });
            let ours = work(conn);
            (helper.join(), ours)
        });
        let theirs = theirs.map_err(|_| anyhow::anyhow!("an export thread failed"))?;
        for (index, result) in theirs.into_iter().chain(ours) {
            results[index] = Some(result);
        }
    } else {
        drop(second);
        for (index, job) in jobs.iter().enumerate() {
            let result = job.run(config, conn, staging);
            let failed = result.is_err();
            results[index] = Some(result);
            if failed {
                break;
            }
        }
    }
    // The first error, if any; otherwise every job's files, in job order (a job is left
    // without a result only when another failed).
    let results: Vec<Written> = results
        .into_iter()
        .flatten()
        .collect::<anyhow::Result<_>>()?;
    let csv_jobs = jobs.iter().filter(|j| matches!(j, Job::Csv(_))).count();
    let (csv, parquet) = results.split_at(csv_jobs);
    let mut written: Written = csv.concat();
    if csv_jobs > 0 {
        let package = export::datapackage::descriptor(specs, config.excel);
        let mut text = serde_json::to_string_pretty(&package)?;
        text.push('\n');
        std::fs::write(staging.join("datapackage.json"), text)?;
        written.push((PathBuf::from("datapackage.json"), specs.len() as u64));
    }
    written.extend(parquet.concat());
    Ok(written)
}

/// Run an export; returns what was written.
pub fn run(config: &ExportConfig, out: &mut dyn Write) -> anyhow::Result<Written> {
    let conn = db::open_read_only(&config.db)?;
    let known = db::schema_version(&conn).map_err(|source| db::DbError::Open {
        path: config.db.clone(),
        source,
    })?;
    if known < db::known_version() {
        bail!(
            "{} has schema version {known}; run `communique ingest` (or `validate`) once to bring it to version {}",
            config.db.display(),
            db::known_version()
        );
    }
    let names = tables(config)?;
    let specs: Vec<TableSpec> = names
        .iter()
        .map(|t| export::describe(&conn, t))
        .collect::<rusqlite::Result<_>>()
        .context("reading the schema")?;
    std::fs::create_dir_all(&config.out).with_context(|| {
        format!(
            "cannot create the output folder {} (--out)",
            config.out.display()
        )
    })?;
    let staging = config.out.join(STAGING);
    if staging.exists() {
        remove(&staging).with_context(|| format!("removing a stale {}", staging.display()))?;
    }
    std::fs::create_dir(&staging).with_context(|| {
        format!(
            "cannot write to the output folder {} (--out)",
            config.out.display()
        )
    })?;
    // Everything is read in one transaction, so the files are one consistent snapshot even
    // while an ingest runs.
    conn.execute_batch("BEGIN")?;
    // the first read starts the snapshot that `state_of` compares
    state_of(&conn)?;
    let result = write_all(config, &specs, &conn, &staging);
    conn.execute_batch("COMMIT")?;
    let written = match result {
        Ok(w) => w,
        Err(e) => {
            let _ = remove(&staging);
            return Err(e);
        }
    };
    for name in ["csv", "datapackage.json", "parquet"] {
        let staged = staging.join(name);
        if staged.exists() {
            swap_in(&staged, &config.out.join(name))
                .with_context(|| format!("moving {name} into {}", config.out.display()))?;
        }
    }
    remove(&staging)?;
    if !config.quiet {
        for (path, rows) in &written {
            writeln!(out, "{}\t{rows}", config.out.join(path).display())?;
        }
    }
    Ok(written)
}
