//! `communique validate`: for each rule, a database made to break it (through the real ingest
//! where possible, by direct SQL where not), and the finding it must give.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

/// A workspace with the seed releases ingested.
fn ingested() -> tempfile::TempDir {
    let dir = seed_workspace();
    let out = run(dir.path(), &["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

fn sql(dir: &Path, statements: &str) {
    let conn = open(&dir.join("communique.db"));
    conn.execute_batch(statements).unwrap();
}

/// Run validate --format json; returns (exit code, findings).
fn validate(dir: &Path, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["validate", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    let findings = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (out.status.code().unwrap_or(-1), findings)
}

fn with_rule<'a>(findings: &'a [Value], rule: &str) -> Vec<&'a Value> {
    findings.iter().filter(|f| f["rule"] == rule).collect()
}

#[test]
fn the_seed_database_has_no_errors() {
    let dir = ingested();
    let (code, findings) = validate(dir.path(), &[]);
    assert_eq!(code, 0, "{findings:?}");
    assert!(
        findings.iter().all(|f| f["severity"] == "warning"),
        "{findings:?}"
    );
    // 004 has no year in its text: the manifest gave it
    let inferred = with_rule(&findings, "completeness.year-inferred");
    assert_eq!(inferred.len(), 1, "{findings:?}");
    assert!(
        inferred[0]["message"]
            .as_str()
            .unwrap()
            .contains("manifest")
    );
    assert_eq!(inferred[0]["document_path"], "004_31f2010559f7d3c6.txt");
    assert!(inferred[0]["line"].as_i64().unwrap() >= 1);
    // warnings fail only under --strict
    let (strict, _) = validate(dir.path(), &["--strict"]);
    assert_eq!(strict, 6);
}

#[test]
fn findings_are_stored_per_run_and_the_text_report_groups_them() {
    let dir = ingested();
    let out = run(dir.path(), &["validate"]);
    let text = stdout(&out);
    assert!(
        text.contains("warning completeness.year-inferred (1 found)"),
        "{text}"
    );
    assert!(text.contains("0 error(s), 1 warning(s)"), "{text}");
    run(dir.path(), &["validate"]);
    let conn = open(&dir.path().join("communique.db"));
    let runs = rows(
        &conn,
        "SELECT count(*), sum(warnings), min(status) FROM validation_runs",
    );
    assert_eq!(
        runs,
        vec![vec!["2".to_string(), "2".into(), "warnings".into()]]
    );
    let stored = rows(&conn, "SELECT DISTINCT rule FROM validation_findings");
    assert_eq!(stored, vec![vec!["completeness.year-inferred".to_string()]]);
}

#[test]
fn a_database_that_cannot_be_opened_has_its_own_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("communique.db"), "text").unwrap();
    assert_eq!(run(dir.path(), &["validate"]).status.code(), Some(4));
    assert_eq!(
        run(dir.path(), &["validate", "--db", "missing.db"])
            .status
            .code(),
        Some(4)
    );
}

/// Break the seed database with `statements`; the rule must report it as an error.
fn breaks(rule: &str, statements: &str) -> Vec<Value> {
    let dir = ingested();
    sql(dir.path(), statements);
    let (code, findings) = validate(dir.path(), &[]);
    let found: Vec<Value> = with_rule(&findings, rule).into_iter().cloned().collect();
    assert!(!found.is_empty(), "{rule} not reported: {findings:?}");
    if found.iter().any(|f| f["severity"] == "error") {
        assert_eq!(code, 6, "errors must fail the run");
    }
    found
}

#[test]
fn storage_rules() {
    breaks(
        "storage.foreign-keys",
        "PRAGMA foreign_keys = OFF; INSERT INTO meeting_topics VALUES (1, 999, 1, 'x', 0, 1, 'O');",
    );
    breaks("storage.schema-version", "DROP VIEW meetings_overview;");
}

#[test]
fn a_damaged_index_fails_the_integrity_check() {
    // Rewrite an index's definition behind SQLite's back: its entries no longer match the
    // table, which is what a damaged file looks like to `PRAGMA integrity_check`.
    let found = breaks(
        "storage.integrity",
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE INDEX meetings_held_on ON meetings (kind)'
          WHERE name = 'meetings_held_on';
         PRAGMA writable_schema = OFF;",
    );
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("meetings_held_on"),
        "{found:?}"
    );
}

#[test]
fn completeness_rules() {
    let found = breaks(
        "completeness.too-few-participants",
        "DELETE FROM participant_evidence WHERE participant_id = (SELECT id FROM participants WHERE name = 'Itsunori Onodera');
         DELETE FROM meeting_participants WHERE participant_id = (SELECT id FROM participants WHERE name = 'Itsunori Onodera');",
    );
    assert_eq!(found[0]["document_path"], "001_a04d2c13398cc779.txt");

    // through the real ingest: a release with no meeting, a file removed, a year-less date
    let dir = seed_workspace();
    std::fs::write(
        dir.path().join("raw/statement.txt"),
        "Statement\nJapan welcomes the agreement.",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("raw/manifest.csv")).unwrap();
    assert!(run(dir.path(), &["ingest"]).status.success());
    std::fs::remove_file(dir.path().join("raw/004_31f2010559f7d3c6.txt")).unwrap();
    let (_, findings) = validate(dir.path(), &[]);
    let none = with_rule(&findings, "completeness.document-without-meeting");
    assert_eq!(none.len(), 1);
    assert_eq!(none[0]["document_path"], "statement.txt");
    let gone = with_rule(&findings, "completeness.document-file-missing");
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0]["document_path"], "004_31f2010559f7d3c6.txt");
    // without the manifest, 002 and 004 have no year at all
    assert_eq!(
        with_rule(&findings, "completeness.meeting-without-date").len(),
        2,
        "{findings:?}"
    );
}

#[test]
fn plausibility_rules() {
    let found = breaks(
        "plausibility.date-after-publication",
        "UPDATE meetings SET held_on = '2017-11-30' WHERE starts_at = '22:45';",
    );
    assert_eq!(found[0]["document_path"], "004_31f2010559f7d3c6.txt");
    breaks(
        "plausibility.date-before-1949",
        "UPDATE meetings SET held_on = '1948-12-31' WHERE starts_at = '22:45';",
    );
    breaks(
        "plausibility.start-time-invalid",
        "UPDATE meetings SET starts_at = '25:61' WHERE starts_at = '22:45';",
    );
    breaks(
        "plausibility.duration-out-of-range",
        "UPDATE meetings SET duration_minutes = 0 WHERE starts_at = '22:45';",
    );
    breaks(
        "plausibility.duration-out-of-range",
        "UPDATE meetings SET duration_minutes = 721 WHERE starts_at = '22:45';",
    );
    let found = breaks(
        "plausibility.unmerged-meetings",
        "UPDATE meetings SET starts_at = NULL WHERE starts_at = '19:45';
         UPDATE meeting_participants SET participant_id = (SELECT id FROM participants WHERE name = 'Itsunori Onodera')
          WHERE participant_id = (SELECT id FROM participants WHERE name = 'Fumio Kishida');",
    );
    assert_eq!(found[0]["table"], "meetings");
    breaks(
        "plausibility.topic-not-in-taxonomy",
        "UPDATE topics SET slug = 'space-lasers' WHERE slug = 'cyber';",
    );
    // warnings
    let dir = ingested();
    sql(
        dir.path(),
        "INSERT INTO participants (name, name_key) VALUES ('Anders Rasmussen', 'anders rasmussen');
         UPDATE meeting_participants SET title = 'Prime Minister'
          WHERE participant_id = (SELECT id FROM participants WHERE name = 'Anders Fogh Rasmussen')
            AND meeting_id = (SELECT id FROM meetings WHERE starts_at = '19:45');",
    );
    let (code, findings) = validate(dir.path(), &[]);
    assert_eq!(code, 0, "warnings only");
    let dup = with_rule(&findings, "plausibility.duplicate-person");
    assert_eq!(dup.len(), 1, "{findings:?}");
    assert!(
        dup[0]["message"]
            .as_str()
            .unwrap()
            .contains("Anders Fogh Rasmussen")
    );
    let titles = with_rule(&findings, "plausibility.title-changes-within-day");
    assert_eq!(titles.len(), 1, "{findings:?}");
}

#[test]
fn provenance_rule() {
    breaks(
        "provenance.fact-without-source",
        "UPDATE meeting_participants SET evidence = 'not in the text' WHERE rowid = 1;",
    );
    breaks(
        "provenance.fact-without-source",
        "INSERT INTO meetings (kind) VALUES ('meeting');",
    );
}
