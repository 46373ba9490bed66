//! `communique validate`: run the validation rules, report the findings (text grouped by rule,
//! or one JSON object per line), store them in `validation_runs`/`validation_findings`, and
//! exit non-zero when errors (or, with `--strict`, warnings) are found.

use super::exit;
use crate::config::timestamp;
use crate::db;
use crate::gazetteer::Gazetteer;
use crate::validate::{self, Finding, RULES, Severity};
use anyhow::Context;
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct ValidateConfig {
    pub db: PathBuf,
    pub raw: Option<PathBuf>,
    pub data: Option<PathBuf>,
    pub format: Format,
    pub strict: bool,
    pub now: DateTime<Utc>,
    /// Print nothing when the run passes.
    pub quiet: bool,
}

/// How many examples the text report shows for each rule.
const EXAMPLES: usize = 5;

fn location(f: &Finding) -> String {
    match (&f.document_path, f.line) {
        (Some(p), Some(l)) => format!(" ({p}:{l})"),
        (Some(p), None) => format!(" ({p})"),
        _ => String::new(),
    }
}

fn print_text(findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    for rule in RULES {
        let of_rule: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule.id).collect();
        if of_rule.is_empty() {
            continue;
        }
        writeln!(
            out,
            "{:7} {} ({} found): {}",
            rule.severity.as_str(),
            rule.id,
            of_rule.len(),
            rule.description
        )?;
        for f in of_rule.iter().take(EXAMPLES) {
            writeln!(out, "        {}{}", f.message, location(f))?;
        }
        if of_rule.len() > EXAMPLES {
            writeln!(
                out,
                "        ... and {} more (SELECT * FROM validation_findings WHERE rule = '{}')",
                of_rule.len() - EXAMPLES,
                rule.id
            )?;
        }
    }
    Ok(())
}

/// Run validation; returns the findings and the exit code.
pub fn run(config: &ValidateConfig, out: &mut dyn Write) -> anyhow::Result<(Vec<Finding>, u8)> {
    if !config.db.exists() {
        return Err(db::DbError::Io {
            path: config.db.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such database"),
        }
        .into());
    }
    let gazetteer = Gazetteer::load(config.data.as_deref()).context("loading the data files")?;
    let conn = db::open(&config.db)?;
    let ctx = validate::Context {
        gazetteer: &gazetteer,
        raw: config.raw.as_deref(),
    };
    let findings = validate::run_all(&conn, &ctx).context("running the validation rules")?;
    let started = timestamp(config.now);
    let finished = timestamp(Utc::now().max(config.now));
    // A damaged database may refuse the write; the report still goes out.
    if let Err(e) = validate::store(&conn, &findings, &started, &finished, config.strict) {
        tracing::warn!("could not store the findings in the database: {e}");
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let failed = errors > 0 || (config.strict && warnings > 0);
    if config.quiet && !failed {
        return Ok((findings, exit::OK));
    }
    match config.format {
        Format::Json => {
            for f in &findings {
                serde_json::to_writer(&mut *out, f)?;
                writeln!(out)?;
            }
        }
        Format::Text => {
            print_text(&findings, out)?;
            writeln!(out, "{errors} error(s), {warnings} warning(s)")?;
        }
    }
    let failed = errors > 0 || (config.strict && warnings > 0);
    Ok((
        findings,
        if failed {
            exit::VALIDATION_FAILED
        } else {
            exit::OK
        },
    ))
}
