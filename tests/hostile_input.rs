//! Hostile and messy input (issue 8): every file of `tests/fixtures/hostile` gets the outcome
//! `tests/fixtures/hostile-expected.csv` gives it — ingested (with the encoding, format,
//! warning and number of meetings listed) or rejected (with the reason listed) — together
//! with files made here that are too big to keep in the repository, a symbolic link out of
//! the raw folder, an unreadable file and a release of 500 meeting sentences; and in the same
//! run the seed releases are ingested as if nothing were wrong.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

#[derive(Debug)]
struct Expected {
    outcome: String,
    reason: String,
    encoding: String,
    format: String,
    meetings: Option<i64>,
}

fn expectations() -> BTreeMap<String, Expected> {
    let path = project_root().join("tests/fixtures/hostile-expected.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].to_string(),
                Expected {
                    outcome: r[1].to_string(),
                    reason: r[2].to_string(),
                    encoding: r[3].to_string(),
                    format: r[4].to_string(),
                    meetings: r[5].parse().ok(),
                },
            )
        })
        .collect()
}

/// 500 sentences that each report a meeting between two different people.
fn many_meetings() -> String {
    let given = [
        "Akira", "Beatriz", "Chidi", "Dorota", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jun",
    ];
    let family = [
        "Abe", "Bauer", "Costa", "Dahl", "Eze", "Fischer", "Garcia", "Horvat", "Ito", "Jensen",
        "Kowalski", "Lund", "Moreau", "Novak", "Olsen", "Petrov", "Quinn", "Rossi", "Sato",
        "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz",
    ];
    let mut text = String::from("Diplomatic Week in Review\n\nJune 30, 2023\n\n");
    for i in 0..500 {
        let a = format!("{} {}", given[i % 10], family[(i / 10) % 25]);
        let b = format!("{} {}", given[(i + 3) % 10], family[(i / 10 + 7) % 25]);
        let day = 1 + i % 28;
        text.push_str(&format!(
            "On June {day}, Mr. {a}, Minister for Foreign Affairs of Ruritania, held a meeting with Ms. {b}, Minister for Foreign Affairs of Freedonia.\n\n"
        ));
    }
    text
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Let an unprivileged user reach everything under `dir` (when we are root).
fn open_to_all(dir: &Path) {
    if running_as_root() {
        let status = Command::new("chmod")
            .args(["-R", "a+rwX"])
            .arg(dir)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

/// Run communique as an unprivileged user when we are root, so that a file with no read
/// permission is unreadable for it as it would be for a user's cron job.
fn run_as_user(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut command = if running_as_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary());
        c
    } else {
        Command::new(binary())
    };
    command
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap()
}

fn ingest_as_user(dir: &Path) -> std::process::Output {
    run_as_user(dir, &["ingest", "--log-format", "json"])
}

#[test]
fn every_bad_file_gets_its_outcome_and_the_rest_are_ingested() {
    let dir = seed_workspace();
    let raw = dir.path().join("raw");
    let hostile = raw.join("hostile");
    copy_dir(&project_root().join("tests/fixtures/hostile"), &hostile);

    // too big for the repository: made here
    let huge = std::fs::File::create(hostile.join("huge.txt")).unwrap();
    huge.set_len(100 * 1024 * 1024).unwrap();
    let line = "The ministers met. ".repeat(10 * 1024 * 1024 / 19);
    std::fs::write(hostile.join("one-line.txt"), &line).unwrap();
    std::fs::write(hostile.join("many-meetings.txt"), many_meetings()).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "Mr. A met Mr. B.").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        hostile.join("link-outside.txt"),
    )
    .unwrap();
    let unreadable = hostile.join("unreadable.txt");
    std::fs::write(&unreadable, "Japan-NATO Meeting").unwrap();

    open_to_all(dir.path());
    open_to_all(outside.path());
    let status = Command::new("chmod")
        .arg("000")
        .arg(&unreadable)
        .status()
        .unwrap();
    assert!(status.success());
    let db = dir.path().join("communique.db");
    let out = ingest_as_user(dir.path());
    let log = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{}\n{log}", stdout(&out));

    let conn = open(&db);
    let failures: BTreeMap<String, String> = rows(
        &conn,
        "SELECT path, reason FROM ingest_failures ORDER BY path",
    )
    .into_iter()
    .map(|r| (r[0].clone(), r[1].clone()))
    .collect();
    let warnings: BTreeMap<String, String> =
        rows(&conn, "SELECT path, reason FROM ingest_warnings")
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
    let documents: BTreeMap<String, (String, String, i64)> = rows(
        &conn,
        "SELECT d.path, d.encoding, d.format,
                (SELECT count(*) FROM meeting_documents md WHERE md.document_id = d.id)
         FROM documents d",
    )
    .into_iter()
    .map(|r| {
        (
            r[0].clone(),
            (r[1].clone(), r[2].clone(), r[3].parse().unwrap()),
        )
    })
    .collect();

    for (file, expected) in expectations() {
        let path = format!("hostile/{file}");
        match expected.outcome.as_str() {
            "rejected" => {
                assert_eq!(failures.get(&path), Some(&expected.reason), "{path}");
                assert!(!documents.contains_key(&path), "{path}");
            }
            "ingested" => {
                let (encoding, format, meetings) = documents
                    .get(&path)
                    .unwrap_or_else(|| panic!("{path} was not ingested: {failures:?}"));
                assert_eq!(encoding, &expected.encoding, "{path}");
                assert_eq!(format, &expected.format, "{path}");
                if let Some(n) = expected.meetings {
                    assert_eq!(*meetings, n, "{path}: meetings");
                }
                let warned = warnings.get(&path).cloned().unwrap_or_default();
                assert_eq!(warned, expected.reason, "{path}: warning");
            }
            other => panic!("unknown outcome {other}"),
        }
    }
    // made here
    assert_eq!(
        failures.get("hostile/huge.txt").map(String::as_str),
        Some("too-large")
    );
    assert_eq!(
        failures.get("hostile/one-line.txt").map(String::as_str),
        Some("too-large")
    );
    assert_eq!(
        failures.get("hostile/link-outside.txt").map(String::as_str),
        Some("symlink-outside")
    );
    assert_eq!(
        failures.get("hostile/unreadable.txt").map(String::as_str),
        Some("unreadable"),
        "{failures:?}"
    );
    assert_eq!(
        documents.get("hostile/many-meetings.txt").map(|d| d.2),
        Some(500)
    );
    // the reasons are in the summary and the log, with the paths
    let summary = stdout(&out);
    for path in [
        "hostile/huge.txt",
        "hostile/shift-jis.txt",
        "hostile/unreadable.txt",
    ] {
        assert!(summary.contains(&format!("failed: {path}: ")), "{summary}");
        assert!(log.contains(path), "{log}");
    }
    assert!(
        summary.contains("over the limit of 5242880 bytes"),
        "{summary}"
    );
    assert!(
        summary.contains("warning: hostile/latin-1.txt: "),
        "{summary}"
    );

    // hostile text is stored verbatim, and did nothing to the database
    let body = |path: &str| -> String {
        conn.query_row("SELECT body FROM documents WHERE path = ?1", [path], |r| {
            r.get(0)
        })
        .unwrap()
    };
    assert!(body("hostile/sql-injection.txt").contains("'; DROP TABLE documents;--"));
    assert!(
        body("hostile/formulas.txt").contains("=HYPERLINK(\"http://example.com/x\",\"click\")")
    );
    assert!(!body("hostile/control-characters.txt").contains('\u{7}'));
    assert!(!body("hostile/crlf.txt").contains('\r'));
    assert!(!body("hostile/cr-only.txt").contains('\r'));
    assert!(!body("hostile/no-break-spaces.txt").contains('\u{a0}'));
    assert!(!body("hostile/page.html").contains("document.write"));
    assert!(body("hostile/page.html").starts_with("Japan-NATO Meeting\n\nMay 4, 2023"));

    // and the good releases beside them were ingested as usual
    let seeds: i64 = conn
        .query_row(
            "SELECT count(*) FROM documents WHERE path NOT LIKE 'hostile/%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(seeds, 5);
    let status = rows(&conn, "SELECT status FROM ingest_runs");
    assert_eq!(status, vec![vec!["partial".to_string()]]);
}

#[test]
fn an_unreadable_folder_stops_the_run_and_nothing_is_pruned() {
    let dir = seed_workspace();
    let raw = dir.path().join("raw");
    std::fs::create_dir_all(raw.join("later")).unwrap();
    std::fs::copy(
        raw.join("000_d8e5542438cedef0.txt"),
        raw.join("later/copy.txt"),
    )
    .unwrap();
    open_to_all(dir.path());
    let first = ingest_as_user(dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    // the folder's releases must not look deleted: the run stops, even with --prune
    let status = Command::new("chmod")
        .arg("000")
        .arg(raw.join("later"))
        .status()
        .unwrap();
    assert!(status.success());
    let second = run_as_user(dir.path(), &["ingest", "--prune"]);
    Command::new("chmod")
        .arg("755")
        .arg(raw.join("later"))
        .status()
        .unwrap();
    assert_eq!(second.status.code(), Some(1), "{}", stdout(&second));
    assert!(
        stderr(&second).contains("cannot read the folder") && stderr(&second).contains("later"),
        "{}",
        stderr(&second)
    );
    let conn = open(&dir.path().join("communique.db"));
    assert_eq!(
        rows(
            &conn,
            "SELECT count(*) FROM documents WHERE path = 'later/copy.txt'"
        ),
        vec![vec!["1".to_string()]]
    );
    assert_eq!(
        rows(&conn, "SELECT status FROM ingest_runs ORDER BY id"),
        vec![vec!["ok".to_string()], vec!["failed".to_string()]]
    );
}
