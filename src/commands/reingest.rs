//! `communique reingest`: re-extract every release from the text stored in the database with
//! the current extractor, gazetteer and taxonomy, in one transaction. Everything derived is
//! rebuilt in path order, so the result is the database a fresh ingest of the same files
//! would give; the raw folder is not needed.

use super::exit;
use super::ingest::{Summary, record_failed_run, record_run};
use super::progress::Progress;
use crate::config::{ReingestConfig, timestamp};
use crate::db::{self, store};
use crate::extract::{self, EXTRACTOR_VERSION, SourceMeta};
use crate::gazetteer::Gazetteer;
use crate::lock;
use crate::raw::ManifestEntry;
use anyhow::Context;
use rusqlite::{Connection, TransactionBehavior, params};
use std::io::Write;

/// Documents whose bodies are held in memory at once.
const BATCH: usize = 2048;

pub fn run(config: &ReingestConfig, out: &mut dyn Write) -> anyhow::Result<(Summary, u8)> {
    if !config.db.exists() {
        return Err(db::DbError::Io {
            path: config.db.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such database"),
        }
        .into());
    }
    let gazetteer = Gazetteer::load(config.data.as_deref()).context("loading the data files")?;
    let _lock = lock::acquire(&config.db, config.wait)?;
    let mut conn = db::open(&config.db)?;
    let started_at = timestamp(config.now);
    let summary = match reingest(config, &gazetteer, &mut conn, &started_at) {
        Ok(s) => s,
        Err(e) => {
            record_failed_run(&conn, "reingest", &started_at, "", &e);
            return Err(e);
        }
    };
    if !config.quiet {
        writeln!(out, "re-extracted: {} documents", summary.reextracted)?;
        writeln!(
            out,
            "database: {} meetings, {} participants, {} topic links",
            summary.meetings, summary.participants, summary.topics
        )?;
        for f in &summary.failures {
            writeln!(out, "failed: {}: {} ({})", f.path, f.detail, f.reason)?;
        }
    }
    let code = if summary.failed > 0 {
        exit::SOME_FILES_FAILED
    } else {
        exit::OK
    };
    Ok((summary, code))
}

fn reingest(
    config: &ReingestConfig,
    gazetteer: &Gazetteer,
    conn: &mut Connection,
    started_at: &str,
) -> anyhow::Result<Summary> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting the reingest transaction")?;
    let total: i64 = tx.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?;
    // Start the derived tables afresh: ids are then handed out in path order, as by a
    // fresh ingest.
    tx.execute_batch(
        "DELETE FROM meeting_documents; DELETE FROM meetings; DELETE FROM participants;",
    )?;
    store::sync_topics(&tx, gazetteer).context("loading the taxonomy")?;
    let progress = Progress::new(total as u64, config.progress);
    let mut summary = Summary::default();
    let mut cache = store::WriteCache::new(&tx).context("preparing the writer's statements")?;
    // Documents are read a batch at a time in path order (each batch after the last path of
    // the one before), so memory stays flat however large the database; each batch is
    // extracted on every core and written in path order.
    let mut after = String::new();
    loop {
        let batch: Vec<(i64, String, Option<String>, String)> = tx
            .prepare_cached(
                "SELECT id, path, manifest_entry, body FROM documents
                 WHERE path > ?1 ORDER BY path LIMIT ?2",
            )?
            .query_map(params![after, BATCH as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let Some((_, last, _, _)) = batch.last() else {
            break;
        };
        after = last.clone();
        crate::parallel::ordered_map(
            &batch,
            config.jobs,
            |(_, _, manifest_entry, body)| {
                let source: SourceMeta = manifest_entry
                    .as_deref()
                    .and_then(|j| serde_json::from_str::<ManifestEntry>(j).ok())
                    .map(|m| m.source())
                    .unwrap_or_default();
                // A bug in a rule must cost one release, not the run (as in ingest).
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    extract::extract(body, &source, gazetteer)
                }))
                .ok()
            },
            |index, extraction| -> anyhow::Result<()> {
                let (id, path, _, body) = &batch[index];
                progress.tick();
                let Some(extraction) = extraction else {
                    let detail = "the extractor failed on this release (a bug in communique; \
                                  please report it with the file); its meetings are left out"
                        .to_owned();
                    tracing::warn!(path = %path, reason = "extractor-error", "{detail}");
                    summary.seen += 1;
                    summary.failures.push(super::ingest::Failure {
                        path: path.clone(),
                        reason: "extractor-error".to_owned(),
                        detail,
                    });
                    return Ok(());
                };
                // the title only when the rules read it otherwise: a change re-indexes the
                // document's text, which costs more than all the rest
                tx.prepare_cached(
                    "UPDATE documents SET title = ?2 WHERE id = ?1 AND title IS NOT ?2",
                )?
                .execute(params![id, extraction.title])?;
                tx.prepare_cached(
                    "UPDATE documents SET publisher = ?2, published_on = ?3,
                            published_on_source = ?4, extractor_version = ?5,
                            dictionary_fingerprint = ?6
                     WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    extraction.publisher,
                    extraction.published_on.map(|d| d.to_string()),
                    extraction.published_on_source.map(|s| s.as_str()),
                    EXTRACTOR_VERSION,
                    gazetteer.fingerprint,
                ])?;
                store::write_meetings(&tx, &mut cache, *id, body, &extraction.meetings)
                    .with_context(|| format!("writing {path}"))?;
                summary.seen += 1;
                summary.reextracted += 1;
                Ok(())
            },
        )?;
    }
    progress.finish();
    summary.failed = summary.failures.len() as u64;
    let (meetings, participants, topics) = store::totals(&tx)?;
    summary.meetings = meetings;
    summary.participants = participants;
    summary.topics = topics;
    let finished_at = timestamp(chrono::Utc::now().max(config.now));
    record_run(
        &tx,
        "reingest",
        started_at,
        &finished_at,
        "",
        &gazetteer.fingerprint,
        &mut summary,
    )?;
    // its statements are the transaction's: they go first
    drop(cache);
    tx.commit().context("committing the reingest")?;
    Ok(summary)
}
