//! The ingest command as a scheduled job sees it: failures recorded with reasons, exit
//! codes, changed files re-read, a database that is not ours left alone.

mod common;

use common::*;

#[test]
fn unreadable_files_are_recorded_and_the_rest_ingested() {
    let dir = seed_workspace();
    let raw = dir.path().join("raw");
    std::fs::write(raw.join("empty.txt"), "").unwrap();
    std::fs::write(raw.join("latin1.txt"), b"Caf\xe9 au lait").unwrap();
    std::fs::write(raw.join("blob.bin"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let out = run(dir.path(), &["ingest"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("8 seen, 6 new"), "{text}");
    assert!(text.contains("2 failed"), "{text}");
    // Latin-1 is read, and the guess is reported
    assert!(
        text.contains("warning: latin1.txt: not UTF-8 (first bad byte at offset 3); read as Windows-1252 (Latin-1) (windows-1252)"),
        "{text}"
    );
    assert!(
        text.contains("failed: empty.txt: the file is empty (empty)"),
        "{text}"
    );
    let conn = open(&dir.path().join("communique.db"));
    let failures = rows(
        &conn,
        "SELECT path, reason FROM ingest_failures ORDER BY path",
    );
    assert_eq!(
        failures,
        vec![
            vec!["blob.bin".to_string(), "binary".into()],
            vec!["empty.txt".to_string(), "empty".into()],
        ]
    );
    assert_eq!(
        rows(&conn, "SELECT path, reason FROM ingest_warnings"),
        vec![vec!["latin1.txt".to_string(), "windows-1252".into()]]
    );
    assert_eq!(
        rows(
            &conn,
            "SELECT body, encoding FROM documents WHERE path = 'latin1.txt'"
        ),
        vec![vec!["Café au lait".to_string(), "windows-1252".into()]]
    );
    let status = rows(&conn, "SELECT status, files_failed FROM ingest_runs");
    assert_eq!(status, vec![vec!["partial".to_string(), "2".into()]]);
    let meetings: i64 = conn
        .query_row("SELECT count(*) FROM meetings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(meetings, 5);
}

#[test]
fn a_changed_file_is_read_again_and_its_old_facts_go() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest"]).status.success());
    let path = dir.path().join("raw/004_31f2010559f7d3c6.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("10:45 p.m.", "9:15 p.m.")).unwrap();
    let out = run(dir.path(), &["ingest"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("0 new, 1 changed, 4 unchanged"),
        "{}",
        stdout(&out)
    );
    let conn = open(&dir.path().join("communique.db"));
    let times = rows(
        &conn,
        "SELECT starts_at FROM meetings WHERE held_on = '2017-10-31'",
    );
    assert_eq!(times, vec![vec!["21:15".to_string()]]);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = seed_workspace();
    let db = dir.path().join("notes.db");
    std::fs::write(&db, "my notes, not a database").unwrap();
    let out = run(dir.path(), &["ingest", "--db", "notes.db"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("not a SQLite database"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(&db).unwrap(),
        "my notes, not a database"
    );
}

#[test]
fn quiet_prints_nothing_on_success_and_help_exists() {
    let dir = seed_workspace();
    let out = run(dir.path(), &["ingest", "-q"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let help = run(dir.path(), &["ingest", "--help"]);
    assert!(help.status.success());
    assert!(stdout(&help).contains("--max-file-size"));
    let bad = run(dir.path(), &["ingest", "--no-such-flag"]);
    assert_eq!(bad.status.code(), Some(2));
    let missing = run(dir.path(), &["ingest", "--raw", "nowhere"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("nowhere"));
}

#[test]
fn the_manifest_is_optional() {
    let dir = seed_workspace();
    std::fs::remove_file(dir.path().join("raw/manifest.csv")).unwrap();
    let out = run(dir.path(), &["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conn = open(&dir.path().join("communique.db"));
    // without the manifest, 002 has no year: its meeting is still found, undated
    let undated = rows(
        &conn,
        "SELECT md.held_on IS NULL FROM meeting_documents md JOIN documents d ON d.id = md.document_id
         WHERE d.path LIKE '002%'",
    );
    assert_eq!(undated, vec![vec!["1".to_string()]]);
}

#[test]
fn a_database_from_a_newer_communique_is_refused_untouched() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest", "-q"]).status.success());
    let db = dir.path().join("communique.db");
    {
        let conn = open(&db);
        conn.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum)
             VALUES (999, 'from_the_future', '2030-01-01T00:00:00Z', '0')",
            [],
        )
        .unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    std::fs::write(
        dir.path().join("raw/new.txt"),
        "Japan-NATO Meeting\n\nMore text.",
    )
    .unwrap();
    for command in [&["ingest"][..], &["reingest"], &["validate"], &["export"]] {
        let out = run(dir.path(), command);
        assert_eq!(out.status.code(), Some(4), "{command:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("newer communique"),
            "{command:?}: {}",
            stderr(&out)
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{command:?} changed the file"
        );
    }
}
