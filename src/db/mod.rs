//! The database: opening it (checks, pragmas, migrations) and the typed errors of doing so.
//! Loading extracted facts lives in `store`.
//!
//! Opening refuses, without writing a byte, a file that is not a SQLite database, a SQLite
//! database that is not communique's, and a communique database written by a newer version.

pub mod store;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// Why a database cannot be used.
#[derive(Debug, Error)]
pub enum DbError {
    #[error(
        "{path} is not a SQLite database (its first bytes are not the SQLite header); left untouched"
    )]
    NotADatabase { path: PathBuf },
    #[error(
        "{path} is a SQLite database but not a communique one (it has tables and no migration history); left untouched"
    )]
    Foreign { path: PathBuf },
    #[error(
        "{path} was written by a newer communique (schema version {found}; this one knows up to {known}); left untouched — upgrade communique or use another --db"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("cannot open {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("applying migrations to {path} failed: {source}")]
    Migrate {
        path: PathBuf,
        #[source]
        source: refinery::Error,
    },
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
const HISTORY_TABLE: &str = "refinery_schema_history";

/// The highest schema version this build knows.
pub fn known_version() -> i64 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0)
}

/// The schema version recorded in an open database (0 for a new one).
pub fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    let has_history: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
        [HISTORY_TABLE],
        |r| r.get(0),
    )?;
    if !has_history {
        return Ok(0);
    }
    conn.query_row(
        &format!("SELECT COALESCE(MAX(version), 0) FROM {HISTORY_TABLE}"),
        [],
        |r| r.get(0),
    )
}

/// Check an existing file before anything writes to it. Only before this process opens a
/// connection to it: see `open_another_reader`.
fn check_existing(path: &Path) -> Result<(), DbError> {
    let io = |source| DbError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        let n = file.read(&mut header[read..]).map_err(io)?;
        if n == 0 {
            break;
        }
        read += n;
    }
    if read == 0 {
        return Ok(()); // an empty file becomes a new database
    }
    if read < header.len() || &header != SQLITE_HEADER {
        return Err(DbError::NotADatabase {
            path: path.to_owned(),
        });
    }
    let open_err = |source| DbError::Open {
        path: path.to_owned(),
        source,
    };
    // the header is read and its descriptor closed before any connection exists
    let conn = open_another_reader(path)?;
    let found = schema_version(&conn).map_err(|source| match source {
        rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::NotADatabase => {
            DbError::NotADatabase {
                path: path.to_owned(),
            }
        }
        other => open_err(other),
    })?;
    if found == 0 {
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                [],
                |r| r.get(0),
            )
            .map_err(open_err)?;
        if tables > 0 {
            return Err(DbError::Foreign {
                path: path.to_owned(),
            });
        }
    }
    let known = known_version();
    if found > known {
        return Err(DbError::TooNew {
            path: path.to_owned(),
            found,
            known,
        });
    }
    Ok(())
}

/// Open (creating if needed) a communique database: checks, pragmas, migrations.
pub fn open(path: &Path) -> Result<Connection, DbError> {
    if path.exists() {
        check_existing(path)?;
    }
    let open_err = |source| DbError::Open {
        path: path.to_owned(),
        source,
    };
    let mut conn = Connection::open(path).map_err(open_err)?;
    configure(&conn).map_err(open_err)?;
    embedded::migrations::runner()
        .run(&mut conn)
        .map_err(|source| DbError::Migrate {
            path: path.to_owned(),
            source,
        })?;
    Ok(conn)
}

/// Open an existing database for reading only (no migrations are applied).
pub fn open_read_only(path: &Path) -> Result<Connection, DbError> {
    if !path.exists() {
        return Err(DbError::Io {
            path: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    check_existing(path)?;
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|source| {
            DbError::Open {
                path: path.to_owned(),
                source,
            }
        })?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(|source| DbError::Open {
            path: path.to_owned(),
            source,
        })?;
    Ok(conn)
}

/// One more read-only connection to a database this process already has open (and has
/// checked). Unlike `open_read_only` it never opens the file itself: on POSIX, closing any
/// descriptor of a file drops every lock the process holds on it, so reading the header
/// while a connection is open would silently release that connection's locks, and another
/// process could then checkpoint, truncate or write the database under a running ingest.
pub fn open_another_reader(path: &Path) -> Result<Connection, DbError> {
    let open_err = |source| DbError::Open {
        path: path.to_owned(),
        source,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(open_err)?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(open_err)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // the loader uses a few dozen statements over and over: keep them all prepared
    conn.set_prepared_statement_cache_capacity(128);
    conn.busy_timeout(Duration::from_secs(30))?;
    // 32 MiB of page cache and temporary tables in memory: fewer reads on large databases
    conn.pragma_update(None, "cache_size", -32768)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // WAL: readers (a sqlite3 shell left open) neither block nor see a half-written run.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

/// Is a table or view of this name in the database?
pub fn has_object(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT 1 FROM sqlite_schema WHERE name = ?1",
        [name],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_gets_the_whole_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let conn = open(&path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), known_version());
        for table in [
            "documents",
            "documents_fts",
            "meetings",
            "participants",
            "meeting_participants",
            "topics",
            "meeting_topics",
            "meeting_documents",
            "ingest_runs",
            "ingest_failures",
            "meetings_overview",
        ] {
            assert!(has_object(&conn, table).unwrap(), "{table}");
        }
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        drop(conn);
        // opening again is a no-op
        let conn = open(&path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), known_version());
    }

    fn assert_intact(conn: &Connection) {
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
    }

    /// The INSERT of each table whose CHECKs were lists, with one column set to `value`.
    fn insert_with(conn: &Connection, column: &str, value: Option<&str>) -> rusqlite::Result<()> {
        conn.execute_batch(
            "INSERT OR IGNORE INTO documents (id, path, sha256, bytes, body, encoding, ingested_at,
                    extractor_version, dictionary_fingerprint) VALUES (1, 'a.txt', '', 0, '', 'utf-8', '', '', '');
             INSERT OR IGNORE INTO meetings (id, kind) VALUES (1, 'meeting');
             INSERT OR IGNORE INTO participants (id, name, name_key) VALUES (1, 'A B', 'a b');
             INSERT OR IGNORE INTO meeting_documents (id, meeting_id, document_id, ordinal, kind, span_start, span_end, evidence)
                    VALUES (1, 1, 1, 1, 'meeting', 0, 0, '');",
        )?;
        let sql = match column {
            "published_on_source" => "UPDATE documents SET published_on_source = ?1 WHERE id = 1",
            "held_on_source" => "INSERT INTO meetings (held_on_source, kind) VALUES (?1, 'meeting')",
            "kind" => "INSERT INTO meetings (kind) VALUES (coalesce(?1, 'meeting'))",
            "cameo_code" => "INSERT INTO meetings (kind, cameo_code) VALUES ('meeting', ?1)",
            "participant_evidence.role" => {
                "INSERT OR REPLACE INTO participant_evidence (meeting_document_id, participant_id, role, span_start, span_end, evidence)
                 VALUES (1, 1, coalesce(?1, 'host'), 0, 0, '')"
            }
            "meeting_participants.role" => {
                "INSERT OR REPLACE INTO meeting_participants (meeting_id, participant_id, role, document_id, span_start, span_end, evidence)
                 VALUES (1, 1, coalesce(?1, 'host'), 1, 0, 0, '')"
            }
            other => panic!("no insert for {other}"),
        };
        conn.execute(sql, [value]).map(|_| ())
    }

    #[test]
    fn checks_allow_and_refuse_what_they_did_without_building_an_index_per_insert() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("c.db")).unwrap();
        let cases = [
            ("published_on_source", "manifest", "press"),
            ("held_on_source", "publication-date", "guessed"),
            ("kind", "signing", "lunch"),
            ("cameo_code", "057", "099"),
            ("participant_evidence.role", "mentioned", "chair"),
            ("meeting_participants.role", "guest", "chair"),
        ];
        for (column, allowed, refused) in cases {
            insert_with(&conn, column, Some(allowed))
                .unwrap_or_else(|e| panic!("{column} = {allowed}: {e}"));
            let refusal = insert_with(&conn, column, Some(refused))
                .expect_err(&format!("{column} = {refused} must be refused"));
            assert!(
                refusal.to_string().contains("CHECK constraint failed"),
                "{refusal}"
            );
            // the lists never refused NULL; the nullable columns still take it
            if !column.contains("role") && column != "kind" {
                insert_with(&conn, column, None).unwrap_or_else(|e| panic!("{column} NULL: {e}"));
            }
        }
        // An IN list in a CHECK makes SQLite build a temporary index at every INSERT.
        for sql in [
            "INSERT INTO documents (path, sha256, bytes, published_on_source, body, encoding,
                    ingested_at, extractor_version, dictionary_fingerprint)
             VALUES ('b', '', 0, ?1, '', '', '', '', '')",
            "INSERT INTO meetings (held_on_source, kind, cameo_code) VALUES (?1, ?1, ?1)",
            "INSERT INTO participant_evidence (meeting_document_id, participant_id, role, span_start,
                    span_end, evidence) VALUES (1, 1, ?1, 0, 0, '')",
            "INSERT INTO meeting_participants (meeting_id, participant_id, role, document_id,
                    span_start, span_end, evidence) VALUES (1, 1, ?1, 1, 0, 0, '')",
        ] {
            let mut explain = conn.prepare(&format!("EXPLAIN {sql}")).unwrap();
            let opcodes: Vec<String> = explain
                .query_map([Option::<String>::None], |r| r.get(1))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert!(opcodes.iter().any(|op| op == "Insert" || op == "IdxInsert"));
            assert!(
                !opcodes.iter().any(|op| op == "OpenEphemeral"),
                "{sql} builds a temporary index"
            );
        }
        assert_intact(&conn);
    }

    #[test]
    fn a_database_of_version_7_is_upgraded_in_place_with_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            embedded::migrations::runner()
                .set_target(refinery::Target::Version(7))
                .run(&mut conn)
                .unwrap();
            insert_with(&conn, "kind", Some("telephone-talk")).unwrap();
            insert_with(&conn, "participant_evidence.role", Some("guest")).unwrap();
            let schema: String = conn
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE name = 'meetings'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(
                schema.contains("kind IN ("),
                "version 7 still has the lists"
            );
        }
        // a connection left open across the upgrade (a sqlite3 shell) has read version 7
        let bystander = Connection::open(&path).unwrap();
        let count: i64 = bystander
            .query_row("SELECT count(*) FROM meetings", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 2);
        let conn = open(&path).unwrap();
        // it reads the edited definitions before its next statement: a change to the schema
        // made through it works from them
        bystander
            .execute_batch("ALTER TABLE meetings ADD COLUMN note TEXT")
            .expect("the bystander sees the upgraded schema");
        drop(bystander);
        assert_eq!(schema_version(&conn).unwrap(), known_version());
        let kinds: Vec<String> = conn
            .prepare("SELECT kind FROM meetings ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(kinds, ["meeting", "telephone-talk"]);
        let schema: String = conn
            .query_row(
                "SELECT group_concat(sql) FROM sqlite_schema WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(!schema.contains("kind IN ("), "{schema}");
        assert!(schema.contains("kind = 'signing'"));
        assert!(insert_with(&conn, "kind", Some("lunch")).is_err());
        assert_intact(&conn);
    }

    #[test]
    fn refuses_what_is_not_ours_without_touching_it() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.db");
        std::fs::write(&text, "not a database at all, just text").unwrap();
        assert!(matches!(open(&text), Err(DbError::NotADatabase { .. })));
        assert_eq!(
            std::fs::read_to_string(&text).unwrap(),
            "not a database at all, just text"
        );

        let foreign = dir.path().join("foreign.db");
        Connection::open(&foreign)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let before = std::fs::read(&foreign).unwrap();
        assert!(matches!(open(&foreign), Err(DbError::Foreign { .. })));
        assert_eq!(std::fs::read(&foreign).unwrap(), before);
    }

    #[test]
    fn refuses_a_newer_schema_without_touching_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        drop(open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (?1, 'future', '2030-01-01T00:00:00Z', '0')",
            [known_version() + 1],
        )
        .unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        drop(conn);
        let before = std::fs::read(&path).unwrap();
        match open(&path) {
            Err(DbError::TooNew { found, known, .. }) => assert_eq!(found, known + 1),
            other => panic!("expected TooNew, got {other:?}"),
        }
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
}
