//! Validation rules: checks on a communique database that tell a user the data is wrong (an
//! error) or doubtful (a warning) before they publish anything from it.
//!
//! Each rule is a function from the database to findings; `RULES` lists them with their ids,
//! severities and descriptions (the README's table is generated from the same words). This
//! module only reads; `commands::validate` stores and reports.

use crate::gazetteer::Gazetteer;
use crate::text::fold::fold;
use rusqlite::{Connection, params};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One thing found wrong or doubtful.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The table of the rows concerned, and their ids.
    pub table: Option<&'static str>,
    pub row_ids: Vec<i64>,
    pub meeting_id: Option<i64>,
    /// The release to open, and the line (1-based) where the fact was read.
    pub document_path: Option<String>,
    pub line: Option<i64>,
}

impl Finding {
    fn new(rule: &Rule, message: String) -> Self {
        Finding {
            rule: rule.id,
            severity: rule.severity,
            message,
            table: None,
            row_ids: Vec::new(),
            meeting_id: None,
            document_path: None,
            line: None,
        }
    }

    fn rows(mut self, table: &'static str, ids: Vec<i64>) -> Self {
        self.table = Some(table);
        self.row_ids = ids;
        self
    }

    fn meeting(mut self, id: i64) -> Self {
        self.meeting_id = Some(id);
        self
    }

    fn source(mut self, path: Option<String>, line: Option<i64>) -> Self {
        self.document_path = path;
        self.line = line;
        self
    }
}

/// What a rule needs besides the database.
pub struct Context<'a> {
    pub gazetteer: &'a Gazetteer,
    /// The raw folder, to check that documents' files still exist.
    pub raw: Option<&'a Path>,
}

type Check = fn(&Connection, &Context, &Rule) -> rusqlite::Result<Vec<Finding>>;

pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub description: &'static str,
    check: Check,
}

/// Every rule, in the order reports list them.
pub const RULES: &[Rule] = &[
    Rule {
        id: "storage.integrity",
        severity: Severity::Error,
        description: "`PRAGMA integrity_check` reports damage",
        check: integrity,
    },
    Rule {
        id: "storage.foreign-keys",
        severity: Severity::Error,
        description: "`PRAGMA foreign_key_check` finds a row pointing at nothing",
        check: foreign_keys,
    },
    Rule {
        id: "storage.schema-version",
        severity: Severity::Error,
        description: "the schema is not the one this communique knows (unknown migration, missing table)",
        check: schema_version,
    },
    Rule {
        id: "completeness.meeting-without-date",
        severity: Severity::Warning,
        description: "a meeting has no date",
        check: meeting_without_date,
    },
    Rule {
        id: "completeness.year-inferred",
        severity: Severity::Warning,
        description: "a meeting's year is not written in its release; says where it came from (URL, manifest, publication date)",
        check: year_inferred,
    },
    Rule {
        id: "completeness.too-few-participants",
        severity: Severity::Error,
        description: "a meeting has fewer than two participants who are not just mentioned",
        check: too_few_participants,
    },
    Rule {
        id: "completeness.document-without-meeting",
        severity: Severity::Warning,
        description: "a release reports no meeting",
        check: document_without_meeting,
    },
    Rule {
        id: "completeness.document-file-missing",
        severity: Severity::Warning,
        description: "a release's file is no longer in the raw folder",
        check: document_file_missing,
    },
    Rule {
        id: "plausibility.date-after-publication",
        severity: Severity::Error,
        description: "a meeting is dated after the publication of a release that reports it",
        check: date_after_publication,
    },
    Rule {
        id: "plausibility.date-before-1949",
        severity: Severity::Error,
        description: "a meeting is dated before 1949",
        check: date_before_1949,
    },
    Rule {
        id: "plausibility.start-time-invalid",
        severity: Severity::Error,
        description: "a start time is not a real time of day",
        check: start_time_invalid,
    },
    Rule {
        id: "plausibility.duration-out-of-range",
        severity: Severity::Error,
        description: "a duration is zero or less, or over 12 hours",
        check: duration_out_of_range,
    },
    Rule {
        id: "plausibility.title-changes-within-day",
        severity: Severity::Warning,
        description: "a person has two different titles on the same day",
        check: title_changes_within_day,
    },
    Rule {
        id: "plausibility.duplicate-person",
        severity: Severity::Warning,
        description: "two participants rows look like one person (\"Anders Rasmussen\", \"Anders Fogh Rasmussen\"); add an alias to data/people.csv",
        check: duplicate_person,
    },
    Rule {
        id: "plausibility.unmerged-meetings",
        severity: Severity::Error,
        description: "two meetings on the same day with the same participants, not told apart by their start times",
        check: unmerged_meetings,
    },
    Rule {
        id: "plausibility.topic-not-in-taxonomy",
        severity: Severity::Error,
        description: "a meeting is linked to a topic slug that is not in the taxonomy",
        check: topic_not_in_taxonomy,
    },
    Rule {
        id: "provenance.fact-without-source",
        severity: Severity::Error,
        description: "a meeting, participant link or topic link without a release, or whose span does not hold its evidence",
        check: fact_without_source,
    },
];

pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Run every rule.
pub fn run_all(conn: &Connection, ctx: &Context) -> rusqlite::Result<Vec<Finding>> {
    let mut out = Vec::new();
    for rule in RULES {
        out.extend((rule.check)(conn, ctx, rule)?);
    }
    Ok(out)
}

/// The first release of a meeting (by path) and the line of its evidence.
fn meeting_source(
    conn: &Connection,
    meeting_id: i64,
) -> rusqlite::Result<(Option<String>, Option<i64>)> {
    let row = conn
        .prepare_cached(
            "SELECT d.path, md.span_start, d.body FROM meeting_documents md
             JOIN documents d ON d.id = md.document_id
             WHERE md.meeting_id = ?1 ORDER BY d.path, md.ordinal LIMIT 1",
        )?
        .query_map([meeting_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .next()
        .transpose()?;
    Ok(match row {
        Some((path, start, body)) => (Some(path), Some(line_of(&body, start))),
        None => (None, None),
    })
}

/// 1-based line of a character offset.
pub fn line_of(body: &str, char_offset: i64) -> i64 {
    let offset = char_offset.max(0) as usize;
    1 + body.chars().take(offset).filter(|&c| c == '\n').count() as i64
}

fn ids_query(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<i64>> {
    conn.prepare(sql)?.query_map([], |r| r.get(0))?.collect()
}

/// A finding per meeting id the query returns (its first column), with its source.
fn per_meeting(
    conn: &Connection,
    rule: &Rule,
    sql: &str,
    message: impl Fn(&rusqlite::Row) -> rusqlite::Result<String>,
) -> rusqlite::Result<Vec<Finding>> {
    let mut stmt = conn.prepare(sql)?;
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, message(r)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (id, msg) in rows {
        let (path, line) = meeting_source(conn, id)?;
        out.push(
            Finding::new(rule, msg)
                .rows("meetings", vec![id])
                .meeting(id)
                .source(path, line),
        );
    }
    Ok(out)
}

fn integrity(conn: &Connection, _: &Context, rule: &Rule) -> rusqlite::Result<Vec<Finding>> {
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .filter(|r| r != "ok")
        .map(|r| Finding::new(rule, format!("integrity check: {r}")))
        .collect())
}

fn foreign_keys(conn: &Connection, _: &Context, rule: &Rule) -> rusqlite::Result<Vec<Finding>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows: Vec<(String, Option<i64>, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .map(|(table, rowid, parent)| {
            let mut f = Finding::new(
                rule,
                format!(
                    "a row of {table} (rowid {}) points at a missing row of {parent}",
                    rowid.map_or("?".into(), |r| r.to_string())
                ),
            );
            f.row_ids = rowid.into_iter().collect();
            f
        })
        .collect())
}

const PUBLIC_OBJECTS: &[&str] = &[
    "documents",
    "documents_fts",
    "meetings",
    "participants",
    "meeting_participants",
    "topics",
    "meeting_topics",
    "meeting_documents",
    "participant_evidence",
    "topic_evidence",
    "ingest_runs",
    "ingest_failures",
    "ingest_warnings",
    "file_states",
    "meetings_overview",
    "validation_runs",
    "validation_findings",
];

fn schema_version(conn: &Connection, _: &Context, rule: &Rule) -> rusqlite::Result<Vec<Finding>> {
    let mut out = Vec::new();
    let known = crate::db::known_version();
    let found = crate::db::schema_version(conn)?;
    if found != known {
        out.push(Finding::new(
            rule,
            format!("schema version {found}, this communique knows version {known}"),
        ));
    }
    for name in PUBLIC_OBJECTS {
        if !crate::db::has_object(conn, name)? {
            out.push(Finding::new(
                rule,
                format!("{name} is missing from the schema"),
            ));
        }
    }
    Ok(out)
}

fn meeting_without_date(
    conn: &Connection,
    _: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    per_meeting(
        conn,
        rule,
        "SELECT id FROM meetings WHERE held_on IS NULL ORDER BY id",
        |r| Ok(format!("meeting {} has no date", r.get::<_, i64>(0)?)),
    )
}

fn year_inferred(conn: &Connection, _: &Context, rule: &Rule) -> rusqlite::Result<Vec<Finding>> {
    per_meeting(
        conn,
        rule,
        "SELECT m.id, m.held_on, m.held_on_source, coalesce(d.published_on_source, 'nothing')
         FROM meetings m
         JOIN meeting_documents md ON md.meeting_id = m.id AND md.held_on = m.held_on
              AND md.held_on_source IS m.held_on_source
         JOIN documents d ON d.id = md.document_id
         WHERE m.held_on IS NOT NULL
           AND md.id = (SELECT md2.id FROM meeting_documents md2 JOIN documents d2 ON d2.id = md2.document_id
                        WHERE md2.meeting_id = m.id AND md2.held_on = m.held_on
                          AND md2.held_on_source IS m.held_on_source ORDER BY d2.path, md2.ordinal LIMIT 1)
           AND (m.held_on_source IN ('url-year', 'manifest-year')
                OR (m.held_on_source IN ('weekday', 'relative', 'context', 'publication-date')
                    AND coalesce(d.published_on_source, '') <> 'text'))
         ORDER BY m.id",
        |r| {
            let source: String = r.get(2)?;
            let from = match source.as_str() {
                "url-year" => "the release's URL".to_owned(),
                "manifest-year" => "the manifest".to_owned(),
                _ => format!("the publication date, taken from the {}", r.get::<_, String>(3)?),
            };
            Ok(format!(
                "meeting {} on {}: the year is not written in the release; it came from {from} ({source})",
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?
            ))
        },
    )
}

fn too_few_participants(
    conn: &Connection,
    _: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    per_meeting(
        conn,
        rule,
        "SELECT m.id, (SELECT count(*) FROM meeting_participants mp
                       WHERE mp.meeting_id = m.id AND mp.role <> 'mentioned') AS n
         FROM meetings m WHERE n < 2 ORDER BY m.id",
        |r| {
            Ok(format!(
                "meeting {} has {} participant(s) who were there",
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?
            ))
        },
    )
}

fn document_without_meeting(
    conn: &Connection,
    _: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    let mut stmt = conn.prepare(
        "SELECT id, path FROM documents d
         WHERE NOT EXISTS (SELECT 1 FROM meeting_documents md WHERE md.document_id = d.id)
         ORDER BY path",
    )?;
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .map(|(id, path)| {
            Finding::new(rule, format!("{path} reports no meeting"))
                .rows("documents", vec![id])
                .source(Some(path), None)
        })
        .collect())
}

fn document_file_missing(
    conn: &Connection,
    ctx: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    let Some(raw) = ctx.raw else {
        return Ok(Vec::new());
    };
    if !raw.is_dir() {
        return Ok(vec![Finding::new(
            rule,
            format!(
                "the raw folder {} does not exist; no file could be checked",
                raw.display()
            ),
        )]);
    }
    let mut stmt = conn.prepare("SELECT id, path FROM documents ORDER BY path")?;
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .filter(|(_, path)| !raw.join(path).is_file())
        .map(|(id, path)| {
            Finding::new(rule, format!("{path} is no longer in {}", raw.display()))
                .rows("documents", vec![id])
                .source(Some(path), None)
        })
        .collect())
}

fn date_after_publication(
    conn: &Connection,
    _: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    let mut stmt = conn.prepare(
        "SELECT m.id, m.held_on, d.published_on, d.path, md.span_start, d.body
         FROM meetings m JOIN meeting_documents md ON md.meeting_id = m.id
         JOIN documents d ON d.id = md.document_id
         WHERE m.held_on > d.published_on ORDER BY m.id, d.path",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(id, held, published, path, start, body)| {
            Finding::new(
                rule,
                format!("meeting {id} is dated {held}, after {path} was published ({published})"),
            )
            .rows("meetings", vec![id])
            .meeting(id)
            .source(Some(path), Some(line_of(&body, start)))
        })
        .collect())
}

fn date_before_1949(conn: &Connection, _: &Context, rule: &Rule) -> rusqlite::Result<Vec<Finding>> {
    per_meeting(
        conn,
        rule,
        "SELECT id, held_on FROM meetings WHERE held_on < '1949-01-01' ORDER BY id",
        |r| {
            Ok(format!(
                "meeting {} is dated {}, before 1949",
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?
            ))
        },
    )
}

fn start_time_invalid(
    conn: &Connection,
    _: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    per_meeting(
        conn,
        rule,
        "SELECT id, starts_at FROM meetings WHERE starts_at IS NOT NULL AND NOT (
             length(starts_at) = 5 AND substr(starts_at, 3, 1) = ':'
             AND substr(starts_at, 1, 2) BETWEEN '00' AND '23'
             AND substr(starts_at, 4, 2) BETWEEN '00' AND '59'
             AND starts_at GLOB '[0-9][0-9]:[0-9][0-9]') ORDER BY id",
        |r| {
            Ok(format!(
                "meeting {} starts at '{}', not a time of day",
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?
            ))
        },
    )
}

fn duration_out_of_range(
    conn: &Connection,
    _: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    per_meeting(
        conn,
        rule,
        "SELECT id, duration_minutes FROM meetings
         WHERE duration_minutes <= 0 OR duration_minutes > 720 ORDER BY id",
        |r| {
            Ok(format!(
                "meeting {} lasts {} minutes",
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?
            ))
        },
    )
}

fn title_changes_within_day(
    conn: &Connection,
    _: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name, m.held_on, group_concat(DISTINCT mp.title), group_concat(DISTINCT m.id)
         FROM meeting_participants mp JOIN meetings m ON m.id = mp.meeting_id
         JOIN participants p ON p.id = mp.participant_id
         WHERE m.held_on IS NOT NULL AND mp.title IS NOT NULL
         GROUP BY p.id, m.held_on HAVING count(DISTINCT mp.title) > 1
         ORDER BY p.name, m.held_on",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (id, name, day, titles, meetings) in rows {
        let first_meeting: Option<i64> = meetings.split(',').next().and_then(|m| m.parse().ok());
        let (path, line) = match first_meeting {
            Some(m) => meeting_source(conn, m)?,
            None => (None, None),
        };
        let mut f = Finding::new(
            rule,
            format!("{name} has the titles {titles} on {day} (meetings {meetings})"),
        )
        .rows("participants", vec![id])
        .source(path, line);
        f.meeting_id = first_meeting;
        out.push(f);
    }
    Ok(out)
}

/// Edit distance between two short strings.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

/// Do two names look like one person's? One's words all in the other's with the same first
/// and last word ("Anders Rasmussen" / "Anders Fogh Rasmussen"), or a typo's distance apart
/// ("Volodymyr Zelensky" / "Volodymyr Zelenskyy").
pub fn near_identical(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 1)
            .map(str::to_owned)
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() || wa == wb {
        return false;
    }
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    if short.len() >= 2
        && short.iter().all(|w| long.contains(w))
        && short.first() == long.first()
        && short.last() == long.last()
    {
        return true;
    }
    let (ja, jb) = (wa.join(" "), wb.join(" "));
    ja.len() >= 8
        && wa.len() == wb.len()
        && levenshtein(&ja, &jb) <= 2
        && wa.last().map(|w| &w[..1]) == wb.last().map(|w| &w[..1])
}

fn duplicate_person(conn: &Connection, _: &Context, rule: &Rule) -> rusqlite::Result<Vec<Finding>> {
    let people: Vec<(i64, String)> = conn
        .prepare("SELECT id, name FROM participants ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // Compare only names that share a word's first three letters (blocking keeps it linear
    // in practice on a large database).
    let mut blocks: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (_, name)) in people.iter().enumerate() {
        for word in fold(name)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
        {
            blocks
                .entry(word.chars().take(3).collect())
                .or_default()
                .push(i);
        }
    }
    let mut pairs = BTreeSet::new();
    for members in blocks.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if i != j && near_identical(&people[i].1, &people[j].1) {
                    pairs.insert((i.min(j), i.max(j)));
                }
            }
        }
    }
    Ok(pairs
        .into_iter()
        .map(|(i, j)| {
            Finding::new(
                rule,
                format!(
                    "\"{}\" (participant {}) and \"{}\" (participant {}) may be one person",
                    people[i].1, people[i].0, people[j].1, people[j].0
                ),
            )
            .rows("participants", vec![people[i].0, people[j].0])
        })
        .collect())
}

fn unmerged_meetings(
    conn: &Connection,
    _: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    let mut stmt = conn.prepare(
        "WITH people AS (
             SELECT m.id, m.held_on, m.starts_at,
                    (SELECT group_concat(participant_id) FROM (SELECT participant_id FROM meeting_participants
                       WHERE meeting_id = m.id AND role <> 'mentioned' ORDER BY participant_id)) AS who
             FROM meetings m WHERE m.held_on IS NOT NULL)
         SELECT a.id, b.id, a.held_on FROM people a JOIN people b
           ON a.held_on = b.held_on AND a.who = b.who AND a.id < b.id
         WHERE a.who IS NOT NULL
           AND NOT (a.starts_at IS NOT NULL AND b.starts_at IS NOT NULL AND a.starts_at <> b.starts_at)
         ORDER BY a.id, b.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (a, b, day) in rows {
        let (path, line) = meeting_source(conn, b)?;
        out.push(
            Finding::new(rule, format!("meetings {a} and {b} on {day} have the same participants and no different start times"))
                .rows("meetings", vec![a, b])
                .meeting(b)
                .source(path, line),
        );
    }
    Ok(out)
}

fn topic_not_in_taxonomy(
    conn: &Connection,
    ctx: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    let known: BTreeSet<&str> = ctx
        .gazetteer
        .topics
        .iter()
        .map(|t| t.slug.as_str())
        .collect();
    let mut stmt = conn.prepare(
        "SELECT t.id, t.slug, group_concat(mt.meeting_id) FROM topics t
         JOIN meeting_topics mt ON mt.topic_id = t.id GROUP BY t.id ORDER BY t.slug",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter(|(_, slug, _)| !known.contains(slug.as_str()))
        .map(|(id, slug, meetings)| {
            Finding::new(
                rule,
                format!(
                    "topic '{slug}' (meetings {meetings}) is not in the taxonomy (data/topics.csv)"
                ),
            )
            .rows("topics", vec![id])
        })
        .collect())
}

fn fact_without_source(
    conn: &Connection,
    _: &Context,
    rule: &Rule,
) -> rusqlite::Result<Vec<Finding>> {
    let mut out = Vec::new();
    for id in ids_query(
        conn,
        "SELECT id FROM meetings m WHERE NOT EXISTS (SELECT 1 FROM meeting_documents md WHERE md.meeting_id = m.id) ORDER BY id",
    )? {
        out.push(
            Finding::new(rule, format!("meeting {id} is linked to no release"))
                .rows("meetings", vec![id])
                .meeting(id),
        );
    }
    // the stored evidence must be exactly the text at the stored span of the stored release
    for (table, key, id_sql, doc_sql) in [
        (
            "meeting_documents",
            "meeting_documents",
            "x.id",
            "x.document_id",
        ),
        (
            "meeting_participants",
            "meeting_participants",
            "x.meeting_id",
            "x.document_id",
        ),
        (
            "meeting_topics",
            "meeting_topics",
            "x.meeting_id",
            "x.document_id",
        ),
        (
            "participant_evidence",
            "participant_evidence",
            "x.meeting_document_id",
            "(SELECT document_id FROM meeting_documents WHERE id = x.meeting_document_id)",
        ),
        (
            "topic_evidence",
            "topic_evidence",
            "x.meeting_document_id",
            "(SELECT document_id FROM meeting_documents WHERE id = x.meeting_document_id)",
        ),
    ] {
        let sql = format!(
            "SELECT {id_sql}, d.path, x.span_start, x.evidence IS NULL, d.body FROM {key} x
             LEFT JOIN documents d ON d.id = {doc_sql}
             WHERE d.id IS NULL OR x.evidence IS NULL OR x.span_start IS NULL OR x.span_end IS NULL
                OR x.span_end <= x.span_start OR x.span_end > length(d.body)
                OR substr(d.body, x.span_start + 1, x.span_end - x.span_start) <> x.evidence
             ORDER BY 1"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, path, start, body) in rows {
            let line = match (&body, start) {
                (Some(b), Some(s)) => Some(line_of(b, s)),
                _ => None,
            };
            out.push(
                Finding::new(
                    rule,
                    format!("a row of {table} (id {id}) has no source span holding its evidence"),
                )
                .rows(table_name(table), vec![id])
                .source(path, line),
            );
        }
    }
    Ok(out)
}

fn table_name(table: &str) -> &'static str {
    match table {
        "meeting_documents" => "meeting_documents",
        "meeting_participants" => "meeting_participants",
        "meeting_topics" => "meeting_topics",
        "participant_evidence" => "participant_evidence",
        _ => "topic_evidence",
    }
}

/// Store a validation run and its findings; returns the run id.
pub fn store(
    conn: &Connection,
    findings: &[Finding],
    started_at: &str,
    finished_at: &str,
    strict: bool,
) -> rusqlite::Result<i64> {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count() as i64;
    let warnings = findings.len() as i64 - errors;
    let status = if errors > 0 {
        "errors"
    } else if warnings > 0 {
        "warnings"
    } else {
        "ok"
    };
    conn.execute(
        "INSERT INTO validation_runs (started_at, finished_at, strict, errors, warnings, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            started_at,
            finished_at,
            strict as i64,
            errors,
            warnings,
            status
        ],
    )?;
    let run = conn.last_insert_rowid();
    let mut stmt = conn.prepare(
        "INSERT INTO validation_findings (run_id, rule, severity, message, table_name, row_ids,
                meeting_id, document_path, line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for f in findings {
        let ids = (!f.row_ids.is_empty()).then(|| {
            f.row_ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        });
        stmt.execute(params![
            run,
            f.rule,
            f.severity.as_str(),
            f.message,
            f.table,
            ids,
            f.meeting_id,
            f.document_path,
            f.line
        ])?;
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_identical_names() {
        assert!(near_identical("Anders Rasmussen", "Anders Fogh Rasmussen"));
        assert!(near_identical("Volodymyr Zelensky", "Volodymyr Zelenskyy"));
        assert!(!near_identical("Shinzo Abe", "Akie Abe"));
        assert!(!near_identical("Jens Stoltenberg", "Camilla Stoltenberg"));
        assert!(!near_identical("Izumi", "Izumi"));
    }

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("é\nb", 2), 2);
    }

    #[test]
    fn rule_ids_are_unique() {
        let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len());
    }
}
