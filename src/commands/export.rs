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

fn write_all(
    config: &ExportConfig,
    specs: &[TableSpec],
    conn: &rusqlite::Connection,
    staging: &Path,
) -> anyhow::Result<Written> {
    let mut written = Vec::new();
    if matches!(config.format, ExportFormat::Csv | ExportFormat::All) {
        let dir = staging.join("csv");
        std::fs::create_dir_all(&dir)?;
        for spec in specs {
            let rel = PathBuf::from("csv").join(format!("{}.csv", spec.name));
            let file = std::fs::File::create(staging.join(&rel))?;
            let rows = export::csv::write_table(conn, spec, config.excel, BufWriter::new(file))
                .with_context(|| format!("writing {}", rel.display()))?;
            written.push((rel, rows));
        }
        let package = export::datapackage::descriptor(specs, config.excel);
        let mut text = serde_json::to_string_pretty(&package)?;
        text.push('\n');
        std::fs::write(staging.join("datapackage.json"), text)?;
        written.push((PathBuf::from("datapackage.json"), specs.len() as u64));
    }
    if matches!(config.format, ExportFormat::Parquet | ExportFormat::All) {
        let dir = staging.join("parquet");
        std::fs::create_dir_all(&dir)?;
        for spec in specs {
            for (rel, rows) in
                export::parquet::write_table(conn, spec, &dir, config.partition_by_year)
                    .with_context(|| format!("writing the Parquet files of {}", spec.name))?
            {
                written.push((PathBuf::from("parquet").join(rel), rows));
            }
        }
    }
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
