//! `communique ingest`: read new and changed releases from the raw folder into the database,
//! in one transaction, under the write lock, and report what happened.

use super::exit;
use super::progress::Progress;
use crate::config::{IngestConfig, timestamp};
use crate::db::{self, store};
use crate::extract::{self, EXTRACTOR_VERSION};
use crate::gazetteer::Gazetteer;
use crate::lock;
use crate::raw::{self, ManifestEntry};
use crate::text::{clean, decode, hex, html};
use anyhow::Context;
use rusqlite::{Connection, TransactionBehavior, params};
use sha2::{Digest, Sha256};
use std::io::Write;
use tracing::{debug, info, warn};

/// A file that could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub path: String,
    pub reason: String,
    pub detail: String,
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub run_id: i64,
    pub seen: u64,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    /// Unchanged files read again because the extractor or the data files changed.
    pub reextracted: u64,
    /// Documents in the database whose file is no longer in the raw folder.
    pub removed: u64,
    /// Of those, the ones deleted (`--prune`).
    pub pruned: u64,
    pub failed: u64,
    pub meetings: i64,
    pub participants: i64,
    pub topics: i64,
    pub failures: Vec<Failure>,
    /// Files read only after a repair or a guess (`ingest_warnings`).
    pub warnings: Vec<Failure>,
    pub missing: Vec<String>,
}

impl Summary {
    pub fn status(&self) -> &'static str {
        if self.failed > 0 { "partial" } else { "ok" }
    }

    pub fn print(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(
            out,
            "files: {} seen, {} new, {} changed, {} unchanged, {} removed, {} failed",
            self.seen, self.new, self.changed, self.unchanged, self.removed, self.failed
        )?;
        if self.reextracted > 0 {
            writeln!(
                out,
                "re-read: {} files, extracted with another communique version or other data files",
                self.reextracted
            )?;
        }
        writeln!(
            out,
            "database: {} meetings, {} participants, {} topic links",
            self.meetings, self.participants, self.topics
        )?;
        for f in &self.failures {
            writeln!(out, "failed: {}: {} ({})", f.path, f.detail, f.reason)?;
        }
        for w in &self.warnings {
            writeln!(out, "warning: {}: {} ({})", w.path, w.detail, w.reason)?;
        }
        for m in &self.missing {
            if self.pruned > 0 {
                writeln!(
                    out,
                    "pruned: {m}: no longer in the raw folder, removed with its meetings"
                )?;
            } else {
                writeln!(
                    out,
                    "missing: {m}: in the database, no longer in the raw folder (--prune removes it)"
                )?;
            }
        }
        Ok(())
    }
}

/// One file's turn in a run, in path order: a release to read, something the walk passed
/// over, a manifest problem, or a document whose file is gone.
enum Job {
    File {
        file: raw::RawFile,
        entry: Option<ManifestEntry>,
        known: Option<store::KnownDocument>,
    },
    Skipped(raw::Skipped),
    ManifestProblem(String),
    Missing {
        path: String,
        id: i64,
    },
}

/// The raw folder's walk merged with the database's documents, both in path order: each
/// file meets what the database knows of it, and a document no file matches is `Missing`.
struct Feed {
    walk: raw::Walk,
    known: Option<store::KnownCursor>,
    /// the next file of the walk, read ahead to compare with the next document
    ahead: Option<(raw::RawFile, Option<ManifestEntry>)>,
    walk_done: bool,
}

impl Feed {
    fn step(&mut self) -> anyhow::Result<Option<Job>> {
        if self.ahead.is_none() && !self.walk_done {
            match self
                .walk
                .next()
                .transpose()
                .context("listing the raw folder")?
            {
                None => self.walk_done = true,
                Some(raw::WalkItem::File { file, entry }) => self.ahead = Some((file, entry)),
                Some(raw::WalkItem::Skipped(s)) => return Ok(Some(Job::Skipped(s))),
                Some(raw::WalkItem::ManifestProblem(m)) => {
                    return Ok(Some(Job::ManifestProblem(m)));
                }
            }
        }
        // which comes first in path order: the next file, or the next stored document
        let order = {
            let next_known = match &mut self.known {
                Some(cursor) => cursor
                    .peek()
                    .context("reading the documents already in the database")?,
                None => None,
            };
            let next_file = self.ahead.as_ref().map(|(f, _)| f.relative.as_str());
            match (next_file, next_known) {
                (None, None) => return Ok(None),
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(_), None) => std::cmp::Ordering::Less,
                (Some(file), Some(known)) => file.cmp(known),
            }
        };
        let mut take_known = || {
            self.known
                .as_mut()
                .and_then(store::KnownCursor::take)
                .context("the document cursor lost its place")
        };
        if order == std::cmp::Ordering::Greater {
            // no file has this document's path any more
            let (path, k) = take_known()?;
            return Ok(Some(Job::Missing { path, id: k.id }));
        }
        let known = if order == std::cmp::Ordering::Equal {
            Some(take_known()?.1)
        } else {
            None
        };
        let Some((file, entry)) = self.ahead.take() else {
            return Ok(None);
        };
        Ok(Some(Job::File { file, entry, known }))
    }
}

impl Iterator for Feed {
    type Item = anyhow::Result<Job>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(job) => job.map(Ok),
            Err(e) => {
                // the first error ends the feed; the run stops there
                self.walk_done = true;
                self.ahead = None;
                self.known = None;
                Some(Err(e))
            }
        }
    }
}

/// New documents put into the full-text index at once: large enough that the index is
/// written in few segments, small enough that its pending memory stays small.
const FTS_BATCH: usize = 4096;

/// What reading and extracting one file gave: made on a worker, written by the writer.
enum Prepared {
    Failed {
        reason: &'static str,
        detail: String,
    },
    /// Same bytes, same manifest entry, same rules as last time; `new_state` when the file
    /// was read to find that out and its size or time should be remembered.
    Unchanged {
        new_state: Option<store::FileState>,
    },
    Extracted(Box<Ready>),
}

/// A release read and extracted, ready to be written.
struct Ready {
    sha256: String,
    bytes: u64,
    body: String,
    encoding: &'static str,
    url: Option<String>,
    entry_json: Option<String>,
    extraction: extract::Extraction,
    /// The bytes and manifest entry are those already stored (only the rules changed).
    same_input: bool,
    /// 'text' or 'html'
    format: &'static str,
    notes: Vec<decode::Note>,
    state: Option<store::FileState>,
}

/// What every worker needs to prepare a file; shared read-only.
struct Work<'a> {
    gazetteer: &'a Gazetteer,
    max_file_bytes: u64,
    checksum: bool,
}

impl Work<'_> {
    fn prepare(
        &self,
        file: &raw::RawFile,
        entry: Option<&ManifestEntry>,
        existing: Option<&store::KnownDocument>,
    ) -> Prepared {
        let entry_json = entry.map(ManifestEntry::to_json);
        let same_rules = existing.is_some_and(|k| k.same_rules);
        let same_entry = existing.is_some_and(|k| {
            k.manifest_digest == entry_json.as_deref().map(store::manifest_digest)
        });
        // A file the database knows is looked at before it is read: one with the size and
        // time it had when it was read is passed over unread. A new file is only read, and
        // its size and time taken from the open file.
        let mut state = existing.and_then(|_| {
            std::fs::metadata(&file.path)
                .ok()
                .and_then(|m| store::FileState::of(&m))
        });
        if !self.checksum
            && same_rules
            && same_entry
            && state.is_some()
            && existing.and_then(|k| k.file_state) == state
        {
            return Prepared::Unchanged { new_state: None };
        }
        let bytes = match raw::read_limited(&file.path, self.max_file_bytes) {
            Ok((bytes, metadata)) => {
                if existing.is_none() {
                    state = store::FileState::of(&metadata);
                }
                bytes
            }
            Err(e) => {
                return Prepared::Failed {
                    reason: e.code(),
                    detail: e.to_string(),
                };
            }
        };
        let sha256 = hex(&Sha256::digest(&bytes));
        let same_input = same_entry && existing.is_some_and(|k| k.sha256 == sha256);
        if same_input && same_rules {
            let new_state = state.filter(|s| existing.and_then(|k| k.file_state) != Some(*s));
            return Prepared::Unchanged { new_state };
        }
        let decoded = match decode::decode(&bytes) {
            Ok(d) => d,
            Err(e) => {
                return Prepared::Failed {
                    reason: e.code(),
                    detail: e.to_string(),
                };
            }
        };
        let (body, format) = if html::is_html(&file.relative, &decoded.text) {
            (clean::normalise(&html::to_text(&decoded.text)), "html")
        } else {
            (clean::normalise(&decoded.text), "text")
        };
        if body.trim().is_empty() {
            return Prepared::Failed {
                reason: "no-text",
                detail: "the page has no text outside scripts, styles and navigation".to_owned(),
            };
        }
        let source = entry.map(ManifestEntry::source).unwrap_or_default();
        // A bug in a rule must cost one file, not the run: a panic is that file's failure.
        let extraction = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            extract::extract(&body, &source, self.gazetteer)
        })) {
            Ok(extraction) => extraction,
            Err(_) => {
                return Prepared::Failed {
                    reason: "extractor-error",
                    detail: "the extractor failed on this file (a bug in communique; \
                             please report it with the file)"
                        .to_owned(),
                };
            }
        };
        Prepared::Extracted(Box::new(Ready {
            sha256,
            bytes: bytes.len() as u64,
            body,
            encoding: decoded.encoding,
            format,
            notes: decoded.notes,
            url: source.url,
            entry_json,
            extraction,
            same_input,
            state,
        }))
    }
}

/// Record a run that could not finish (its own small transaction, after the rollback).
pub fn record_failed_run(
    conn: &Connection,
    command: &str,
    started_at: &str,
    raw_dir: &str,
    error: &anyhow::Error,
) {
    let result = conn.execute(
        "INSERT INTO ingest_runs (command, started_at, finished_at, raw_dir, extractor_version,
                dictionary_fingerprint, status, message)
         VALUES (?1, ?2, ?3, ?4, ?5, '', 'failed', ?6)",
        params![
            command,
            started_at,
            timestamp(chrono::Utc::now()),
            raw_dir,
            EXTRACTOR_VERSION,
            format!("{error:#}")
        ],
    );
    if let Err(e) = result {
        warn!("could not record the failed run: {e}");
    }
}

/// Insert the run row and its failures (inside the run's transaction).
pub fn record_run(
    conn: &Connection,
    command: &str,
    started_at: &str,
    finished_at: &str,
    raw_dir: &str,
    fingerprint: &str,
    summary: &mut Summary,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO ingest_runs (command, started_at, finished_at, raw_dir, files_seen, files_new,
                files_changed, files_unchanged, files_removed, files_failed, meetings, participants,
                topics, extractor_version, dictionary_fingerprint, status, files_reextracted,
                files_pruned)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            command,
            started_at,
            finished_at,
            raw_dir,
            summary.seen as i64,
            summary.new as i64,
            summary.changed as i64,
            summary.unchanged as i64,
            summary.removed as i64,
            summary.failed as i64,
            summary.meetings,
            summary.participants,
            summary.topics,
            EXTRACTOR_VERSION,
            fingerprint,
            summary.status(),
            summary.reextracted as i64,
            summary.pruned as i64,
        ],
    )?;
    summary.run_id = conn.last_insert_rowid();
    for f in &summary.failures {
        conn.execute(
            "INSERT INTO ingest_failures (run_id, path, reason, detail) VALUES (?1, ?2, ?3, ?4)",
            params![summary.run_id, f.path, f.reason, f.detail],
        )?;
    }
    for w in &summary.warnings {
        conn.execute(
            "INSERT INTO ingest_warnings (run_id, path, reason, detail) VALUES (?1, ?2, ?3, ?4)",
            params![summary.run_id, w.path, w.reason, w.detail],
        )?;
    }
    Ok(())
}

/// Run an ingest; returns the summary (also printed unless quiet) and the exit code.
pub fn run(config: &IngestConfig, out: &mut dyn Write) -> anyhow::Result<(Summary, u8)> {
    let gazetteer = Gazetteer::load(config.data.as_deref()).context("loading the data files")?;
    let _lock = lock::acquire(&config.db, config.wait)?;
    let mut conn = db::open(&config.db)?;
    let started_at = timestamp(config.now);
    let raw_dir = config.raw.display().to_string();
    let summary = match ingest(config, &gazetteer, &mut conn, &started_at) {
        Ok(s) => s,
        Err(e) => {
            record_failed_run(&conn, "ingest", &started_at, &raw_dir, &e);
            return Err(e);
        }
    };
    info!(
        seen = summary.seen,
        new = summary.new,
        changed = summary.changed,
        unchanged = summary.unchanged,
        failed = summary.failed,
        "ingest finished"
    );
    if !config.quiet {
        summary.print(out)?;
    }
    let code = if summary.failed > 0 {
        exit::SOME_FILES_FAILED
    } else {
        exit::OK
    };
    Ok((summary, code))
}

fn ingest(
    config: &IngestConfig,
    gazetteer: &Gazetteer,
    conn: &mut Connection,
    started_at: &str,
) -> anyhow::Result<Summary> {
    let clock = std::time::Instant::now();
    info!(raw = %config.raw.display(), db = %config.db.display(), "ingest started");
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting the ingest transaction")?;
    store::sync_topics(&tx, gazetteer).context("loading the taxonomy")?;
    // new documents enter the full-text index a batch at a time (see index_new_documents)
    let mut indexed_up_to = store::last_document_id(&tx)?;
    // What the database already holds is read beside the walk, in path order, through a
    // second connection that sees the database as it was before this run.
    let known = if indexed_up_to > 0 {
        let reader = db::open_another_reader(&config.db)?;
        Some(
            store::KnownCursor::new(reader, EXTRACTOR_VERSION, &gazetteer.fingerprint)
                .context("reading the documents already in the database")?,
        )
    } else {
        None
    };
    let feed = Feed {
        walk: raw::Walk::new(&config.raw),
        known,
        ahead: None,
        walk_done: false,
    };
    let mut unindexed = 0usize;
    let mut cache = store::WriteCache::new(&tx).context("preparing the writer's statements")?;
    let mut summary = Summary::default();
    let mut removed: Vec<(String, i64)> = Vec::new();
    let total = if config.progress {
        raw::count_files(&config.raw)
    } else {
        0
    };
    let progress = Progress::new(total, config.progress);
    // Workers read, decode and extract; this thread writes, in path order, so the database
    // is the same whatever the number of workers.
    let work = Work {
        gazetteer,
        max_file_bytes: config.max_file_bytes,
        checksum: config.checksum,
    };
    crate::parallel::ordered_map_iter(
        feed,
        config.jobs,
        |job| match job {
            Ok(Job::File { file, entry, known }) => {
                Some(work.prepare(file, entry.as_ref(), known.as_ref()))
            }
            _ => None,
        },
        |job, prepared| -> anyhow::Result<()> {
            let (file, existing) = match job? {
                Job::File { file, known, .. } => (file, known),
                Job::Skipped(s) => {
                    warn!(path = %s.relative, reason = s.reason, "{}", s.detail);
                    summary.failures.push(Failure {
                        path: s.relative,
                        reason: s.reason.to_owned(),
                        detail: s.detail,
                    });
                    return Ok(());
                }
                Job::ManifestProblem(message) => {
                    warn!("{message}");
                    return Ok(());
                }
                Job::Missing { path, id } => {
                    removed.push((path, id));
                    return Ok(());
                }
            };
            let Some(prepared) = prepared else {
                return Ok(());
            };
            progress.tick();
            summary.seen += 1;
            match prepared {
                Prepared::Failed { reason, detail } => {
                    warn!(path = %file.relative, reason, "{detail}");
                    summary.failures.push(Failure {
                        path: file.relative.clone(),
                        reason: reason.to_owned(),
                        detail,
                    });
                }
                Prepared::Unchanged { new_state } => {
                    summary.unchanged += 1;
                    debug!(path = %file.relative, "unchanged");
                    if let (Some(state), Some(k)) = (new_state, &existing) {
                        store::record_file_state(&tx, k.id, state)?;
                    }
                }
                Prepared::Extracted(ready) => {
                    debug!(path = %file.relative, meetings = ready.extraction.meetings.len(), "extracted");
                    let doc = store::NewDocument {
                        path: &file.relative,
                        sha256: &ready.sha256,
                        bytes: ready.bytes,
                        body: &ready.body,
                        encoding: ready.encoding,
                        format: ready.format,
                        url: ready.url.as_deref(),
                        manifest_entry: ready.entry_json.as_deref(),
                        ingested_at: started_at,
                        extractor_version: EXTRACTOR_VERSION,
                        dictionary_fingerprint: &gazetteer.fingerprint,
                        extraction: &ready.extraction,
                    };
                    for note in &ready.notes {
                        warn!(path = %file.relative, reason = note.code, "{}", note.detail);
                        summary.warnings.push(Failure {
                            path: file.relative.clone(),
                            reason: note.code.to_owned(),
                            detail: note.detail.clone(),
                        });
                    }
                    let id = store::write_document(
                        &tx,
                        &mut cache,
                        &doc,
                        existing.as_ref().map(|k| k.id),
                    )
                    .with_context(|| format!("writing {}", file.relative))?;
                    if let Some(state) = ready.state {
                        store::record_file_state(&tx, id, state)?;
                    }
                    match existing {
                        None => {
                            summary.new += 1;
                            unindexed += 1;
                            if unindexed == FTS_BATCH {
                                store::index_new_documents(&tx, indexed_up_to)?;
                                indexed_up_to = id;
                                unindexed = 0;
                            }
                        }
                        Some(_) if ready.same_input => {
                            summary.unchanged += 1;
                            summary.reextracted += 1;
                        }
                        Some(_) => summary.changed += 1,
                    }
                }
            }
            Ok(())
        },
    )?;
    progress.finish();
    debug!(
        elapsed_ms = clock.elapsed().as_millis() as u64,
        "files written"
    );
    store::index_new_documents(&tx, indexed_up_to).context("indexing the new documents")?;
    // Documents whose file is gone are pruned after every file is written, as before a
    // merge could depend on the order.
    for (path, id) in removed {
        summary.removed += 1;
        if config.prune {
            store::remove_document(&tx, id).with_context(|| format!("pruning {path}"))?;
            summary.pruned += 1;
        }
        summary.missing.push(path);
    }
    debug!(
        elapsed_ms = clock.elapsed().as_millis() as u64,
        "indexed, removed files handled"
    );
    store::remove_orphan_participants(&tx)?;
    summary.failed = summary.failures.len() as u64;
    let (meetings, participants, topics) = store::totals(&tx)?;
    summary.meetings = meetings;
    summary.participants = participants;
    summary.topics = topics;
    let finished_at = timestamp(chrono::Utc::now().max(config.now));
    record_run(
        &tx,
        "ingest",
        started_at,
        &finished_at,
        &config.raw.display().to_string(),
        &gazetteer.fingerprint,
        &mut summary,
    )?;
    // its statements are the transaction's: they go first
    drop(cache);
    tx.commit().context("committing the ingest")?;
    debug!(elapsed_ms = clock.elapsed().as_millis() as u64, "committed");
    Ok(summary)
}
