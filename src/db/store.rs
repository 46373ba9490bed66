//! Loading: write one release and what was extracted from it, merging its meetings with
//! those other releases reported, and keep the derived tables in step.
//!
//! What each release says about a meeting is kept as evidence (`meeting_documents`,
//! `participant_evidence`, `topic_evidence`); `meetings`, `meeting_participants` and
//! `meeting_topics` are recomputed from that evidence whenever it changes, so removing or
//! re-reading one release never leaves stale facts behind.

use crate::extract::dates::DateSource;
use crate::extract::{Extraction, Meeting};
use crate::gazetteer::Gazetteer;
use crate::text::Span;
use crate::text::fold::name_key;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, BTreeSet};

/// What the database knows of a release already: enough to tell whether it must be read
/// again, kept small because a large archive holds a hundred thousand of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDocument {
    pub id: i64,
    pub sha256: String,
    /// Extracted by this extractor version with these data files.
    pub same_rules: bool,
    /// Digest of the manifest row used (see `manifest_digest`).
    pub manifest_digest: Option<u64>,
    /// The file's size and modification time when it was last read, if recorded.
    pub file_state: Option<FileState>,
}

/// A digest of a manifest row's JSON, to compare with the stored one without holding it.
pub fn manifest_digest(entry_json: &str) -> u64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(entry_json.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

/// What the file system says about a file: enough to tell that it has not changed without
/// reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileState {
    pub size: u64,
    pub modified_ns: i64,
}

impl FileState {
    pub fn of(metadata: &std::fs::Metadata) -> Option<FileState> {
        let modified = metadata.modified().ok()?;
        let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(FileState {
            size: metadata.len(),
            modified_ns: i64::try_from(since.as_nanos()).ok()?,
        })
    }
}

/// Remember what the file of a document looked like when it was read.
pub fn record_file_state(
    conn: &Connection,
    document_id: i64,
    state: FileState,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO file_states (document_id, size, modified_ns) VALUES (?1, ?2, ?3)
         ON CONFLICT (document_id) DO UPDATE SET size = excluded.size,
                                                 modified_ns = excluded.modified_ns",
    )?
    .execute(params![document_id, state.size as i64, state.modified_ns])?;
    Ok(())
}

/// A release to write.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub path: &'a str,
    pub sha256: &'a str,
    pub bytes: u64,
    pub body: &'a str,
    pub encoding: &'a str,
    /// 'text' or 'html'
    pub format: &'a str,
    pub url: Option<&'a str>,
    pub manifest_entry: Option<&'a str>,
    pub ingested_at: &'a str,
    pub extractor_version: &'a str,
    pub dictionary_fingerprint: &'a str,
    pub extraction: &'a Extraction,
}

/// Up to `limit` documents whose path sorts after `after`, in path order.
pub fn known_documents_after(
    conn: &Connection,
    after: Option<&str>,
    limit: usize,
    extractor_version: &str,
    dictionary_fingerprint: &str,
) -> rusqlite::Result<Vec<(String, KnownDocument)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.path, d.id, d.sha256,
                d.extractor_version = ?1 AND d.dictionary_fingerprint = ?2,
                d.manifest_entry, f.size, f.modified_ns
         FROM documents d LEFT JOIN file_states f ON f.document_id = d.id
         WHERE d.path > ?3
         ORDER BY d.path
         LIMIT ?4",
    )?;
    // every path sorts after the empty string
    let after = after.unwrap_or("");
    let rows = stmt.query_map(
        params![
            extractor_version,
            dictionary_fingerprint,
            after,
            limit as i64
        ],
        |r| {
            let size: Option<i64> = r.get(5)?;
            let modified_ns: Option<i64> = r.get(6)?;
            let entry: Option<String> = r.get(4)?;
            Ok((
                r.get::<_, String>(0)?,
                KnownDocument {
                    id: r.get(1)?,
                    sha256: r.get(2)?,
                    same_rules: r.get(3)?,
                    manifest_digest: entry.as_deref().map(manifest_digest),
                    file_state: size.zip(modified_ns).map(|(size, modified_ns)| FileState {
                        size: size as u64,
                        modified_ns,
                    }),
                },
            ))
        },
    )?;
    rows.collect()
}

/// The documents already in the database, in path order, read a page at a time: a
/// scheduled run over a large archive holds one page, not the archive.
///
/// It reads through a connection of its own, inside one read transaction, so it sees the
/// database as it was before the run wrote anything (WAL), whatever the run writes meanwhile.
pub struct KnownCursor {
    conn: Connection,
    page: std::collections::VecDeque<(String, KnownDocument)>,
    last: Option<String>,
    done: bool,
    extractor_version: String,
    dictionary_fingerprint: String,
}

/// Documents read at a time by a `KnownCursor`.
const KNOWN_PAGE: usize = 2048;

impl KnownCursor {
    /// `conn`: a read connection to the database, not used for anything else.
    pub fn new(
        conn: Connection,
        extractor_version: &str,
        dictionary_fingerprint: &str,
    ) -> rusqlite::Result<KnownCursor> {
        conn.execute_batch("BEGIN")?;
        Ok(KnownCursor {
            conn,
            page: std::collections::VecDeque::new(),
            last: None,
            done: false,
            extractor_version: extractor_version.to_owned(),
            dictionary_fingerprint: dictionary_fingerprint.to_owned(),
        })
    }

    /// The path of the next document, without taking it.
    pub fn peek(&mut self) -> rusqlite::Result<Option<&str>> {
        if self.page.is_empty() && !self.done {
            let page = known_documents_after(
                &self.conn,
                self.last.as_deref(),
                KNOWN_PAGE,
                &self.extractor_version,
                &self.dictionary_fingerprint,
            )?;
            self.done = page.len() < KNOWN_PAGE;
            self.last = page.last().map(|(path, _)| path.clone());
            self.page = page.into();
        }
        Ok(self.page.front().map(|(path, _)| path.as_str()))
    }

    /// Take the next document (after `peek` said there is one).
    pub fn take(&mut self) -> Option<(String, KnownDocument)> {
        self.page.pop_front()
    }
}

/// Make `topics` hold every topic of the taxonomy (new slugs added, labels updated; slugs
/// are never removed, since facts may point at them).
pub fn sync_topics(conn: &Connection, gazetteer: &Gazetteer) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO topics (slug, label, scope) VALUES (?1, ?2, ?3)
         ON CONFLICT (slug) DO UPDATE SET label = excluded.label, scope = excluded.scope
         WHERE label IS NOT excluded.label OR scope IS NOT excluded.scope",
    )?;
    for t in &gazetteer.topics {
        stmt.execute(params![t.slug, t.label, t.scope])?;
    }
    Ok(())
}

/// Converts byte offsets of a body to the character offsets stored in the database.
struct Chars<'a> {
    body: &'a str,
    ascii: bool,
}

impl<'a> Chars<'a> {
    fn new(body: &'a str) -> Self {
        Chars {
            body,
            ascii: body.is_ascii(),
        }
    }

    fn at(&self, byte: usize) -> i64 {
        if self.ascii {
            byte as i64
        } else {
            self.body.get(..byte).map_or(0, |s| s.chars().count()) as i64
        }
    }

    fn span(&self, span: Span) -> (i64, i64, &'a str) {
        (self.at(span.start), self.at(span.end), span.text(self.body))
    }
}

/// How much a date source is worth when two releases disagree: a stated date beats a
/// weekday counted back, which beats a date taken from context.
fn source_rank(source: Option<&str>) -> u8 {
    match source {
        Some("stated") => 0,
        Some("dateline-year") => 1,
        Some("url-year") => 2,
        Some("manifest-year") => 3,
        Some("weekday") => 4,
        Some("relative") => 5,
        Some("context") => 6,
        Some("publication-date") => 7,
        _ => 8,
    }
}

/// Most specific kind first: a courtesy call reported elsewhere as "talks" is a courtesy call.
fn kind_rank(kind: &str) -> u8 {
    match kind {
        "telephone-talk" => 0,
        "video-conference" => 1,
        "courtesy-call" => 2,
        "working-meal" => 3,
        "summit-session" => 4,
        "meeting" => 5,
        "signing" => 6,
        _ => 7,
    }
}

/// What a run has looked up already: topic ids, participant rows and the meetings of the
/// days it merged on, so that each release does not ask SQLite again. Valid for one
/// transaction in which no participant is deleted (ingest deletes orphans only after the
/// last release is written) and documents change only through `write_document`.
#[derive(Debug)]
pub struct WriteCache<'c> {
    rows: RowStatements<'c>,
    topics: Option<BTreeMap<String, i64>>,
    /// name_key → (id, name, in_gazetteer)
    people: std::collections::HashMap<String, (i64, String, i64)>,
    /// held_on → the meetings of that day, as merging compares them (see `merge_candidate`)
    days: std::collections::HashMap<chrono::NaiveDate, Vec<DayMeeting>>,
    /// meetings held in `days`, to keep it bounded
    day_meetings: usize,
    /// the meeting kinds seen, so that a `DayMeeting` holds a small number, not a string
    kinds: Vec<String>,
}

/// The statements run for every release, prepared once for the transaction: looking each
/// up in the connection's statement cache and handing it back after every row was a
/// twentieth of the writer's work.
#[derive(Debug)]
struct RowStatements<'c> {
    insert_document: rusqlite::Statement<'c>,
    find_participant: rusqlite::Statement<'c>,
    insert_participant: rusqlite::Statement<'c>,
    insert_meeting: rusqlite::Statement<'c>,
    insert_report: rusqlite::Statement<'c>,
    insert_participant_evidence: rusqlite::Statement<'c>,
    insert_meeting_participant: rusqlite::Statement<'c>,
    insert_topic_evidence: rusqlite::Statement<'c>,
    insert_meeting_topic: rusqlite::Statement<'c>,
}

const INSERT_DOCUMENT: &str = "INSERT INTO documents (path, sha256, bytes, title, publisher, url,
        published_on, published_on_source, body, encoding, manifest_entry, ingested_at,
        extractor_version, dictionary_fingerprint, format)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
const FIND_PARTICIPANT: &str =
    "SELECT id, name, in_gazetteer FROM participants WHERE name_key = ?1";
const INSERT_PARTICIPANT: &str =
    "INSERT INTO participants (name, name_key, family_name, in_gazetteer) VALUES (?1, ?2, ?3, ?4)";
const INSERT_MEETING: &str = "INSERT INTO meetings (held_on, held_on_source, starts_at,
        duration_minutes, kind, location, venue, timezone, cameo_code)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
const INSERT_REPORT: &str = "INSERT INTO meeting_documents (meeting_id, document_id, ordinal,
        held_on, held_on_source, held_on_evidence, starts_at, duration_minutes, kind, location,
        venue, span_start, span_end, evidence, timezone)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
const INSERT_PARTICIPANT_EVIDENCE: &str = "INSERT INTO participant_evidence
        (meeting_document_id, participant_id, title, organization, role, span_start, span_end,
         evidence)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
const INSERT_MEETING_PARTICIPANT: &str = "INSERT INTO meeting_participants (meeting_id,
        participant_id, title, organization, role, document_id, span_start, span_end, evidence)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
const INSERT_TOPIC_EVIDENCE: &str = "INSERT INTO topic_evidence (meeting_document_id, topic_id,
        cue, span_start, span_end, evidence)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const INSERT_MEETING_TOPIC: &str = "INSERT INTO meeting_topics (meeting_id, topic_id,
        document_id, cue, span_start, span_end, evidence)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// Meetings `WriteCache::days` may hold before it starts afresh: about 80 bytes each, so a
/// few megabytes, enough that a run over an archive in date-scattered order seldom asks
/// SQLite for a day again.
const DAY_CACHE_MEETINGS: usize = 65_536;

/// A meeting as `merge_candidate` compares it, mirroring its rows in the database; kept
/// small, since a run holds tens of thousands.
#[derive(Debug, Clone)]
struct DayMeeting {
    id: i64,
    /// minutes after midnight (`starts_at`), if known
    starts_at: Option<u16>,
    /// index into `WriteCache::kinds`
    kind: u16,
    /// how many of `ids` are participants (the rest are documents)
    present_count: u16,
    /// participants whose role is not 'mentioned' (sorted), then the documents that report it
    ids: Box<[i64]>,
}

impl DayMeeting {
    fn present(&self) -> &[i64] {
        &self.ids[..usize::from(self.present_count)]
    }

    fn documents(&self) -> &[i64] {
        &self.ids[usize::from(self.present_count)..]
    }
}

/// "HH:MM" as minutes after midnight.
fn minutes_of(hhmm: &str) -> Option<u16> {
    let (hours, minutes) = hhmm.split_once(':')?;
    Some(hours.parse::<u16>().ok()? * 60 + minutes.parse::<u16>().ok()?)
}

impl<'c> WriteCache<'c> {
    /// A cache for one transaction on `conn`; drop it before the transaction ends.
    pub fn new(conn: &'c Connection) -> rusqlite::Result<Self> {
        // Persistent, as the statement cache prepares them: a statement kept for the whole
        // run must not hold the connection's lookaside memory, or every small allocation
        // after it goes to malloc (1.7 million of them for 10,000 releases).
        let prepare = |sql: &str| {
            conn.prepare_with_flags(sql, rusqlite::PrepFlags::SQLITE_PREPARE_PERSISTENT)
        };
        Ok(WriteCache {
            rows: RowStatements {
                insert_document: prepare(INSERT_DOCUMENT)?,
                find_participant: prepare(FIND_PARTICIPANT)?,
                insert_participant: prepare(INSERT_PARTICIPANT)?,
                insert_meeting: prepare(INSERT_MEETING)?,
                insert_report: prepare(INSERT_REPORT)?,
                insert_participant_evidence: prepare(INSERT_PARTICIPANT_EVIDENCE)?,
                insert_meeting_participant: prepare(INSERT_MEETING_PARTICIPANT)?,
                insert_topic_evidence: prepare(INSERT_TOPIC_EVIDENCE)?,
                insert_meeting_topic: prepare(INSERT_MEETING_TOPIC)?,
            },
            topics: None,
            people: std::collections::HashMap::new(),
            days: std::collections::HashMap::new(),
            day_meetings: 0,
            kinds: Vec::new(),
        })
    }

    fn kind_index(&mut self, kind: &str) -> u16 {
        match self.kinds.iter().position(|k| k == kind) {
            Some(i) => i as u16,
            None => {
                self.kinds.push(kind.to_owned());
                (self.kinds.len() - 1) as u16
            }
        }
    }

    /// The meetings held on `held_on`, read from the database the first time.
    fn day(
        &mut self,
        conn: &Connection,
        held_on: chrono::NaiveDate,
    ) -> rusqlite::Result<&[DayMeeting]> {
        if !self.days.contains_key(&held_on) {
            if self.day_meetings > DAY_CACHE_MEETINGS {
                self.forget_days();
            }
            let meetings = load_day(conn, self, held_on)?;
            self.day_meetings += meetings.len();
            self.days.insert(held_on, meetings);
        }
        Ok(self.days.get(&held_on).map_or(&[], Vec::as_slice))
    }

    /// A meeting just written: add it to its day, if that day is held.
    fn add_meeting(&mut self, held_on: chrono::NaiveDate, meeting: DayMeeting) {
        if let Some(day) = self.days.get_mut(&held_on) {
            day.push(meeting);
            self.day_meetings += 1;
        }
    }

    /// Forget a day whose meetings changed other than by `add_meeting`.
    fn forget_day(&mut self, held_on: chrono::NaiveDate) {
        if let Some(day) = self.days.remove(&held_on) {
            self.day_meetings -= day.len();
        }
    }

    fn forget_days(&mut self) {
        self.days.clear();
        self.day_meetings = 0;
    }
}

fn day_meeting(
    id: i64,
    starts_at: Option<u16>,
    kind: u16,
    mut present: Vec<i64>,
    documents: &[i64],
) -> DayMeeting {
    present.sort_unstable();
    present.dedup();
    let present_count = u16::try_from(present.len()).unwrap_or(u16::MAX);
    present.truncate(usize::from(present_count));
    present.extend_from_slice(documents);
    DayMeeting {
        id,
        starts_at,
        kind,
        present_count,
        ids: present.into_boxed_slice(),
    }
}

/// The meetings of one day with their present participants and reporting documents.
fn load_day(
    conn: &Connection,
    cache: &mut WriteCache<'_>,
    held_on: chrono::NaiveDate,
) -> rusqlite::Result<Vec<DayMeeting>> {
    let day = held_on.to_string();
    let rows: Vec<(i64, Option<String>, String)> = conn
        .prepare_cached("SELECT id, starts_at, kind FROM meetings WHERE held_on = ?1 ORDER BY id")?
        .query_map([&day], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut present: Vec<Vec<i64>> = vec![Vec::new(); rows.len()];
    let mut documents: Vec<Vec<i64>> = vec![Vec::new(); rows.len()];
    let position = |id: i64| rows.binary_search_by_key(&id, |r| r.0);
    let mut people = conn.prepare_cached(
        "SELECT mp.meeting_id, mp.participant_id
         FROM meetings m JOIN meeting_participants mp ON mp.meeting_id = m.id
         WHERE m.held_on = ?1 AND mp.role <> 'mentioned'",
    )?;
    let mut found = people.query([&day])?;
    while let Some(row) = found.next()? {
        if let Ok(i) = position(row.get(0)?) {
            present[i].push(row.get(1)?);
        }
    }
    let mut reports = conn.prepare_cached(
        "SELECT md.meeting_id, md.document_id
         FROM meetings m JOIN meeting_documents md ON md.meeting_id = m.id
         WHERE m.held_on = ?1",
    )?;
    let mut found = reports.query([&day])?;
    while let Some(row) = found.next()? {
        if let Ok(i) = position(row.get(0)?) {
            documents[i].push(row.get(1)?);
        }
    }
    let mut meetings = Vec::with_capacity(rows.len());
    for (((id, starts_at, kind), present), documents) in rows.iter().zip(present).zip(documents) {
        let kind = cache.kind_index(kind);
        meetings.push(day_meeting(
            *id,
            starts_at.as_deref().and_then(minutes_of),
            kind,
            present,
            &documents,
        ));
    }
    Ok(meetings)
}

/// The participant row of a person, created or given a better display name.
fn participant_id(
    conn: &Connection,
    cache: &mut WriteCache<'_>,
    name: &str,
    family: Option<&str>,
    in_gazetteer: bool,
) -> rusqlite::Result<i64> {
    let key = name_key(name);
    let key = if key.is_empty() {
        name.to_lowercase()
    } else {
        key
    };
    let existing = match cache.people.get(&key) {
        Some(found) => Some(found.clone()),
        None => cache
            .rows
            .find_participant
            .query_row([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?,
    };
    match existing {
        Some((id, current, known)) => {
            // Keep the fuller spelling: the gazetteer's, else the longer, else the first in
            // alphabetical order, so the result does not depend on the order of ingestion.
            let better = (in_gazetteer as i64, name.len(), std::cmp::Reverse(name))
                > (known, current.len(), std::cmp::Reverse(current.as_str()));
            if better {
                conn.prepare_cached(
                    "UPDATE participants SET name = ?2, family_name = ?3, in_gazetteer = ?4 WHERE id = ?1",
                )?
                .execute(params![id, name, family, in_gazetteer as i64])?;
                cache
                    .people
                    .insert(key, (id, name.to_owned(), in_gazetteer as i64));
            } else {
                cache.people.insert(key, (id, current, known));
            }
            Ok(id)
        }
        None => {
            cache.rows.insert_participant.execute(params![
                name,
                key,
                family,
                in_gazetteer as i64
            ])?;
            let id = conn.last_insert_rowid();
            cache
                .people
                .insert(key, (id, name.to_owned(), in_gazetteer as i64));
            Ok(id)
        }
    }
}

/// A meeting already in the database that `meeting` (from document `document_id`) reports
/// again: same day, at least two of the same people, no conflicting start time.
fn merge_candidate(
    conn: &Connection,
    cache: &mut WriteCache<'_>,
    document_id: i64,
    meeting: &Meeting,
    people: &BTreeSet<i64>,
) -> rusqlite::Result<Option<i64>> {
    let Some(held_on) = meeting.held_on else {
        return Ok(None);
    };
    let needed = people.len().min(2);
    if needed < 2 {
        return Ok(None);
    }
    // The day's meetings come from the run's cache: a busy day (a summit's fifty bilaterals)
    // is read from SQLite once, not once per release that reports it.
    let starts = meeting
        .starts_at
        .and_then(|t| u16::try_from(t.minutes()).ok());
    let kind = cache.kind_index(&meeting.kind);
    let mut best: Option<(u8, i64)> = None;
    for candidate in cache.day(conn, held_on)? {
        if candidate.documents().contains(&document_id) {
            continue;
        }
        if let (Some(a), Some(b)) = (starts, candidate.starts_at)
            && a != b
        {
            continue;
        }
        let shared = candidate
            .present()
            .iter()
            .filter(|p| people.contains(p))
            .count();
        if shared < needed {
            continue;
        }
        // prefer the same start time, then the same kind, then the earliest meeting
        let score = match (starts, candidate.starts_at) {
            (Some(a), Some(b)) if a == b => 0,
            _ if candidate.kind == kind => 1,
            _ => 2,
        };
        if best.is_none_or(|(s, _)| score < s) {
            best = Some((score, candidate.id));
        }
    }
    Ok(best.map(|(_, id)| id))
}

/// Recompute a meeting's fields, people and topics from its evidence; delete it when no
/// release reports it any more.
pub fn rematerialize(conn: &Connection, meeting_id: i64) -> rusqlite::Result<()> {
    type Report = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let reports: Vec<Report> = conn
        .prepare_cached(
            "SELECT md.held_on, md.held_on_source, md.starts_at, md.duration_minutes, md.kind,
                    md.location, md.venue, md.timezone
             FROM meeting_documents md JOIN documents d ON d.id = md.document_id
             WHERE md.meeting_id = ?1 ORDER BY d.path, md.ordinal",
        )?
        .query_map([meeting_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if reports.is_empty() {
        conn.prepare_cached("DELETE FROM meetings WHERE id = ?1")?
            .execute([meeting_id])?;
        return Ok(());
    }
    let dated = reports
        .iter()
        .filter(|r| r.0.is_some())
        .min_by_key(|r| source_rank(r.1.as_deref()));
    let held_on = dated.and_then(|r| r.0.clone());
    let held_on_source = dated.and_then(|r| r.1.clone());
    let starts_at = reports.iter().find_map(|r| r.2.clone());
    let duration = reports.iter().find_map(|r| r.3);
    let kind = reports
        .iter()
        .map(|r| r.4.clone())
        .min_by_key(|k| kind_rank(k))
        .unwrap_or_else(|| "meeting".to_owned());
    // the most precise place any release gives: a venue, else a city, else a country
    let placed = reports
        .iter()
        .find(|r| r.6.is_some())
        .or_else(|| reports.iter().find(|r| r.7.is_some() && r.5.is_some()))
        .or_else(|| reports.iter().find(|r| r.5.is_some()));
    let location = placed.and_then(|r| r.5.clone());
    let venue = placed.and_then(|r| r.6.clone());
    let timezone = placed.and_then(|r| r.7.clone());
    conn.prepare_cached(
        "UPDATE meetings SET held_on = ?2, held_on_source = ?3, starts_at = ?4,
                duration_minutes = ?5, kind = ?6, location = ?7, venue = ?8, timezone = ?9
         WHERE id = ?1",
    )?
    .execute(params![
        meeting_id,
        held_on,
        held_on_source,
        starts_at,
        duration,
        kind,
        location,
        venue,
        timezone
    ])?;

    conn.prepare_cached("DELETE FROM meeting_participants WHERE meeting_id = ?1")?
        .execute([meeting_id])?;
    conn.prepare_cached(
        "INSERT INTO meeting_participants
             (meeting_id, participant_id, title, organization, role, document_id, span_start, span_end, evidence)
         SELECT md.meeting_id, pe.participant_id, pe.title, pe.organization, pe.role, md.document_id,
                pe.span_start, pe.span_end, pe.evidence
         FROM participant_evidence pe
         JOIN meeting_documents md ON md.id = pe.meeting_document_id
         JOIN documents d ON d.id = md.document_id
         WHERE md.meeting_id = ?1
         ORDER BY pe.role = 'mentioned', pe.role = 'participant', d.path, md.ordinal
         ON CONFLICT (meeting_id, participant_id) DO NOTHING",
    )?
    .execute([meeting_id])?;
    conn.prepare_cached("DELETE FROM meeting_topics WHERE meeting_id = ?1")?
        .execute([meeting_id])?;
    conn.prepare_cached(
        "INSERT INTO meeting_topics (meeting_id, topic_id, document_id, cue, span_start, span_end, evidence)
         SELECT md.meeting_id, te.topic_id, md.document_id, te.cue, te.span_start, te.span_end, te.evidence
         FROM topic_evidence te
         JOIN meeting_documents md ON md.id = te.meeting_document_id
         JOIN documents d ON d.id = md.document_id
         WHERE md.meeting_id = ?1
         ORDER BY d.path, md.ordinal
         ON CONFLICT (meeting_id, topic_id) DO NOTHING",
    )?
    .execute([meeting_id])?;
    let (hosts, guests): (i64, i64) = conn
        .prepare_cached(
            "SELECT count(*) FILTER (WHERE role = 'host'), count(*) FILTER (WHERE role = 'guest')
             FROM meeting_participants WHERE meeting_id = ?1",
        )?
        .query_row([meeting_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let code = cameo_code(&kind, hosts > 0, guests > 0, location.is_some());
    conn.prepare_cached("UPDATE meetings SET cameo_code = ?2 WHERE id = ?1")?
        .execute(params![meeting_id, code])?;
    Ok(())
}

/// The CAMEO event code of a meeting: 041 a call, 057 a signing, 043 a visit with its host
/// known (hosts are the source actors), 042 a visit whose host is not named, 044 a meeting
/// at a place neither side calls home, 040 otherwise.
pub fn cameo_code(kind: &str, has_host: bool, has_guest: bool, located: bool) -> &'static str {
    match kind {
        "telephone-talk" | "video-conference" => "041",
        "signing" => "057",
        _ if has_host && has_guest => "043",
        _ if has_guest => "042",
        _ if located => "044",
        _ => "040",
    }
}

/// Remove everything derived from a document (its evidence), recomputing or deleting the
/// meetings it reported. The document row itself stays.
pub fn clear_document(conn: &Connection, document_id: i64) -> rusqlite::Result<()> {
    let meetings: Vec<i64> = conn
        .prepare_cached("SELECT meeting_id FROM meeting_documents WHERE document_id = ?1")?
        .query_map([document_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.prepare_cached("DELETE FROM meeting_documents WHERE document_id = ?1")?
        .execute([document_id])?;
    for m in meetings {
        rematerialize(conn, m)?;
    }
    Ok(())
}

/// Delete a document and everything only it reported.
pub fn remove_document(conn: &Connection, document_id: i64) -> rusqlite::Result<()> {
    clear_document(conn, document_id)?;
    conn.prepare_cached("DELETE FROM documents WHERE id = ?1")?
        .execute([document_id])?;
    Ok(())
}

/// The largest document id so far: the documents a run adds come after it.
pub fn last_document_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(max(id), 0) FROM documents", [], |r| {
        r.get(0)
    })
}

/// Put the documents added after `after` into the full-text index, in one statement (see
/// `migrations/V6__fts_bulk_insert.sql` for why not a trigger per row).
pub fn index_new_documents(conn: &Connection, after: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO documents_fts (rowid, title, body)
         SELECT id, title, body FROM documents WHERE id > ?1 ORDER BY id",
        [after],
    )
}

/// Participants no meeting refers to any more.
pub fn remove_orphan_participants(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM participants WHERE NOT EXISTS
           (SELECT 1 FROM participant_evidence pe WHERE pe.participant_id = participants.id)",
        [],
    )
}

fn topic_ids(conn: &Connection) -> rusqlite::Result<BTreeMap<String, i64>> {
    conn.prepare_cached("SELECT slug, id FROM topics")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Write a release (new or changed) and its meetings. Returns the document id.
pub fn write_document(
    conn: &Connection,
    cache: &mut WriteCache<'_>,
    doc: &NewDocument,
    existing: Option<i64>,
) -> rusqlite::Result<i64> {
    let e = doc.extraction;
    let published_on = e.published_on.map(|d| d.to_string());
    let published_source = e.published_on_source.map(|s| s.as_str());
    let document_id = match existing {
        Some(id) => {
            // its meetings may be on any day
            cache.forget_days();
            clear_document(conn, id)?;
            conn.prepare_cached(
                "UPDATE documents SET sha256 = ?2, bytes = ?3, title = ?4, publisher = ?5, url = ?6,
                        published_on = ?7, published_on_source = ?8, body = ?9, encoding = ?10,
                        manifest_entry = ?11, ingested_at = ?12, extractor_version = ?13,
                        dictionary_fingerprint = ?14, format = ?15
                 WHERE id = ?1",
            )?
            .execute(params![
                id, doc.sha256, doc.bytes as i64, e.title, e.publisher, doc.url, published_on,
                published_source, doc.body, doc.encoding, doc.manifest_entry, doc.ingested_at,
                doc.extractor_version, doc.dictionary_fingerprint, doc.format
            ])?;
            id
        }
        None => {
            cache.rows.insert_document.execute(params![
                doc.path,
                doc.sha256,
                doc.bytes as i64,
                e.title,
                e.publisher,
                doc.url,
                published_on,
                published_source,
                doc.body,
                doc.encoding,
                doc.manifest_entry,
                doc.ingested_at,
                doc.extractor_version,
                doc.dictionary_fingerprint,
                doc.format
            ])?;
            conn.last_insert_rowid()
        }
    };
    write_meetings(conn, cache, document_id, doc.body, &e.meetings)?;
    Ok(document_id)
}

/// Write the meetings one release reports, merging each with a meeting already known.
pub fn write_meetings(
    conn: &Connection,
    cache: &mut WriteCache<'_>,
    document_id: i64,
    body: &str,
    meetings: &[Meeting],
) -> rusqlite::Result<()> {
    let chars = Chars::new(body);
    if cache.topics.is_none() {
        cache.topics = Some(topic_ids(conn)?);
    }
    let topics = cache.topics.take().unwrap_or_default();
    let written = write_meetings_with(conn, cache, &topics, document_id, &chars, meetings);
    cache.topics = Some(topics);
    written
}

fn write_meetings_with(
    conn: &Connection,
    cache: &mut WriteCache<'_>,
    topics: &BTreeMap<String, i64>,
    document_id: i64,
    chars: &Chars,
    meetings: &[Meeting],
) -> rusqlite::Result<()> {
    for (ordinal, meeting) in meetings.iter().enumerate() {
        let mut people: Vec<i64> = Vec::with_capacity(meeting.participants.len());
        for p in &meeting.participants {
            people.push(participant_id(
                conn,
                cache,
                &p.name,
                p.family_name.as_deref(),
                p.in_gazetteer,
            )?);
        }
        let present: BTreeSet<i64> = meeting
            .participants
            .iter()
            .zip(&people)
            .filter(|(p, _)| p.role != crate::gazetteer::Role::Mentioned)
            .map(|(_, id)| *id)
            .collect();
        let merged = merge_candidate(conn, cache, document_id, meeting, &present)?;
        let meeting_id = match merged {
            Some(id) => id,
            None => {
                // A meeting only this release reports: its fields are this release's, as
                // `rematerialize` would compute them, written at once.
                let located = meeting.location.is_some() || meeting.venue.is_some();
                let has = |role| meeting.participants.iter().any(|p| p.role == role);
                let code = cameo_code(
                    &meeting.kind,
                    has(crate::gazetteer::Role::Host),
                    has(crate::gazetteer::Role::Guest),
                    meeting.location.is_some(),
                );
                cache.rows.insert_meeting.execute(params![
                    meeting.held_on.map(|d| d.to_string()),
                    meeting
                        .held_on
                        .and(meeting.held_on_source.map(DateSource::as_str)),
                    meeting.starts_at.map(|t| t.hhmm()),
                    meeting.duration_minutes.map(i64::from),
                    meeting.kind,
                    meeting.location,
                    meeting.venue,
                    if located {
                        meeting.timezone.as_deref()
                    } else {
                        None
                    },
                    code
                ])?;
                conn.last_insert_rowid()
            }
        };
        let (span_start, span_end, evidence) = chars.span(meeting.span);
        cache.rows.insert_report.execute(params![
            meeting_id,
            document_id,
            ordinal as i64 + 1,
            meeting.held_on.map(|d| d.to_string()),
            meeting.held_on_source.map(DateSource::as_str),
            meeting.held_on_evidence,
            meeting.starts_at.map(|t| t.hhmm()),
            meeting.duration_minutes.map(i64::from),
            meeting.kind,
            meeting.location,
            meeting.venue,
            span_start,
            span_end,
            evidence,
            meeting.timezone
        ])?;
        let report_id = conn.last_insert_rowid();
        let mut seen = BTreeSet::new();
        for (p, id) in meeting.participants.iter().zip(&people) {
            if !seen.insert(*id) {
                continue;
            }
            let (s, e, text) = chars.span(p.span);
            cache.rows.insert_participant_evidence.execute(params![
                report_id,
                id,
                p.title,
                p.organization,
                p.role.as_str(),
                s,
                e,
                text
            ])?;
            if merged.is_none() {
                cache.rows.insert_meeting_participant.execute(params![
                    meeting_id,
                    id,
                    p.title,
                    p.organization,
                    p.role.as_str(),
                    document_id,
                    s,
                    e,
                    text
                ])?;
            }
        }
        for t in &meeting.topics {
            let Some(topic_id) = topics.get(&t.slug) else {
                continue;
            };
            let (s, e, text) = chars.span(t.span);
            cache
                .rows
                .insert_topic_evidence
                .execute(params![report_id, topic_id, t.cue, s, e, text])?;
            if merged.is_none() {
                cache.rows.insert_meeting_topic.execute(params![
                    meeting_id,
                    topic_id,
                    document_id,
                    t.cue,
                    s,
                    e,
                    text
                ])?;
            }
        }
        match (merged, meeting.held_on) {
            (Some(_), held_on) => {
                rematerialize(conn, meeting_id)?;
                // the merged meeting's people, documents and perhaps its day have changed
                if let Some(day) = held_on {
                    cache.forget_day(day);
                }
                let now: Option<String> = conn
                    .prepare_cached("SELECT held_on FROM meetings WHERE id = ?1")?
                    .query_row([meeting_id], |r| r.get(0))
                    .optional()?
                    .flatten();
                match now.map(|d| d.parse::<chrono::NaiveDate>()) {
                    Some(Ok(day)) => cache.forget_day(day),
                    Some(Err(_)) => cache.forget_days(),
                    None => {}
                }
            }
            (None, Some(day)) => {
                // as written above: a participant's first mention gives its row's role
                let mut seen = BTreeSet::new();
                let present: Vec<i64> = meeting
                    .participants
                    .iter()
                    .zip(&people)
                    .filter(|(_, id)| seen.insert(**id))
                    .filter(|(p, _)| p.role != crate::gazetteer::Role::Mentioned)
                    .map(|(_, id)| *id)
                    .collect();
                let starts_at = meeting
                    .starts_at
                    .and_then(|t| u16::try_from(t.minutes()).ok());
                let kind = cache.kind_index(&meeting.kind);
                let entry = day_meeting(meeting_id, starts_at, kind, present, &[document_id]);
                cache.add_meeting(day, entry);
            }
            (None, None) => {}
        }
    }
    Ok(())
}

/// (meetings, participants, topics linked to meetings) in the database.
pub fn totals(conn: &Connection) -> rusqlite::Result<(i64, i64, i64)> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM participants),
                (SELECT count(*) FROM meeting_topics)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
