//! The five seed releases in `raw/` must come out exactly right: the real binary ingests them
//! and the database is checked with SQL.

mod common;

use common::*;

/// (held_on, starts_at, duration, kind, names of non-mentioned participants, linked documents)
fn meetings(conn: &rusqlite::Connection) -> Vec<Vec<String>> {
    rows(
        conn,
        "SELECT coalesce(m.held_on, 'NULL'), coalesce(m.starts_at, 'NULL'),
                coalesce(m.duration_minutes, 'NULL'), m.kind,
                (SELECT group_concat(name, ' + ') FROM (SELECT p.name FROM meeting_participants mp
                   JOIN participants p ON p.id = mp.participant_id
                   WHERE mp.meeting_id = m.id AND mp.role <> 'mentioned' ORDER BY p.name)),
                (SELECT group_concat(substr(path, 1, 3), ' ') FROM (SELECT d.path FROM meeting_documents md
                   JOIN documents d ON d.id = md.document_id WHERE md.meeting_id = m.id ORDER BY d.path))
         FROM meetings m ORDER BY m.held_on, m.starts_at IS NULL, m.starts_at, 5",
    )
}

#[test]
fn seed_releases_give_the_five_meetings() {
    let dir = seed_workspace();
    let out = run(dir.path(), &["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conn = open(&dir.path().join("communique.db"));
    let docs: i64 = conn
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(docs, 5);
    let found = meetings(&conn);
    let want: Vec<Vec<String>> = [
        [
            "2013-04-15",
            "18:15",
            "30",
            "courtesy-call",
            "Anders Fogh Rasmussen + Shinzo Abe",
            "000 001",
        ],
        [
            "2013-04-15",
            "19:45",
            "100",
            "meeting",
            "Anders Fogh Rasmussen + Fumio Kishida",
            "001 002",
        ],
        [
            "2013-04-15",
            "NULL",
            "NULL",
            "meeting",
            "Anders Fogh Rasmussen + Itsunori Onodera",
            "001",
        ],
        [
            "2014-05-06",
            "NULL",
            "NULL",
            "signing",
            "Anders Fogh Rasmussen + Shinzo Abe",
            "003",
        ],
        [
            "2017-10-31",
            "22:45",
            "35",
            "meeting",
            "Jens Stoltenberg + Shinzo Abe",
            "004",
        ],
    ]
    .iter()
    .map(|r| r.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(found, want);
}

#[test]
fn dates_record_where_they_came_from() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest"]).status.success());
    let conn = open(&dir.path().join("communique.db"));
    let sources = rows(
        &conn,
        "SELECT substr(d.path, 1, 3), md.held_on, md.held_on_source FROM meeting_documents md
         JOIN documents d ON d.id = md.document_id ORDER BY d.path, md.ordinal",
    );
    let get =
        |doc: &str| -> Vec<String> { sources.iter().find(|r| r[0] == doc).unwrap()[1..].to_vec() };
    assert_eq!(get("000"), vec!["2013-04-15", "dateline-year"]);
    assert_eq!(get("002"), vec!["2013-04-15", "manifest-year"]);
    assert_eq!(get("003"), vec!["2014-05-06", "weekday"]);
}

#[test]
fn the_ambassador_is_mentioned_not_a_participant() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest"]).status.success());
    let conn = open(&dir.path().join("communique.db"));
    let roles = rows(
        &conn,
        "SELECT DISTINCT mp.role FROM meeting_participants mp JOIN participants p ON p.id = mp.participant_id
         WHERE p.name LIKE '%Sakaba%'",
    );
    assert_eq!(roles, vec![vec!["mentioned".to_string()]]);
}

#[test]
fn every_fact_points_at_its_source_text() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest"]).status.success());
    let conn = open(&dir.path().join("communique.db"));
    // the stored evidence is exactly the body's text at the stored span
    for table in [
        "meeting_documents md",
        "meeting_participants md",
        "meeting_topics md",
    ] {
        let bad: i64 = conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM {table} JOIN documents d ON d.id = md.document_id
                     WHERE substr(d.body, md.span_start + 1, md.span_end - md.span_start) <> md.evidence
                        OR md.span_end <= md.span_start"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(bad, 0, "{table}");
    }
    let topics: i64 = conn
        .query_row("SELECT count(*) FROM meeting_topics", [], |r| r.get(0))
        .unwrap();
    assert!(topics > 10);
}

#[test]
fn a_second_run_changes_nothing() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest"]).status.success());
    let conn = open(&dir.path().join("communique.db"));
    let before = rows(&conn, "SELECT * FROM meetings_overview");
    drop(conn);
    let out = run(dir.path(), &["ingest"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("0 new, 0 changed, 5 unchanged"),
        "{}",
        stdout(&out)
    );
    let conn = open(&dir.path().join("communique.db"));
    assert_eq!(rows(&conn, "SELECT * FROM meetings_overview"), before);
    let runs: i64 = conn
        .query_row("SELECT count(*) FROM ingest_runs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(runs, 2);
}

#[test]
fn event_data_columns_time_zone_cameo_and_roles() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest"]).status.success());
    let conn = open(&dir.path().join("communique.db"));
    let found = rows(
        &conn,
        "SELECT m.held_on, coalesce(m.starts_at, '-'), coalesce(m.timezone, '-'), m.cameo_code,
                (SELECT group_concat(p.name || ':' || mp.role, ', ') FROM (SELECT * FROM meeting_participants
                   WHERE meeting_id = m.id AND role <> 'mentioned' ORDER BY participant_id) mp
                   JOIN participants p ON p.id = mp.participant_id)
         FROM meetings m WHERE m.starts_at = '18:15' OR m.held_on = '2014-05-06'
         ORDER BY m.held_on",
    );
    assert_eq!(
        found,
        vec![
            vec![
                "2013-04-15",
                "18:15",
                "Asia/Tokyo",
                "043",
                "Shinzo Abe:host, Anders Fogh Rasmussen:guest"
            ],
            vec![
                "2014-05-06",
                "-",
                "Europe/Brussels",
                "057",
                "Shinzo Abe:guest, Anders Fogh Rasmussen:host"
            ],
        ]
        .into_iter()
        .map(|r| r.into_iter().map(String::from).collect::<Vec<_>>())
        .collect::<Vec<_>>()
    );
}
