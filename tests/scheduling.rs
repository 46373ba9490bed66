//! Re-ingest and scheduled runs: reingest equals a fresh ingest, changed rules are noticed,
//! removed files are reported and pruned, a killed run never leaves a half-written database,
//! two runs at once wait for each other, and the logs suit cron.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn corpus_workspace() -> tempfile::TempDir {
    let dir = seed_workspace();
    copy_dir(
        &project_root().join("tests/fixtures/corpus"),
        &dir.path().join("raw/corpus"),
    );
    dir
}

/// A data folder that adds a topic cue, so extraction differs from the built-in rules.
fn extra_data(dir: &Path) -> String {
    let data = dir.join("extra");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("topic_cues.csv"),
        "topic,cue,unless\nafghanistan,Tokyo,\n",
    )
    .unwrap();
    data.display().to_string()
}

#[test]
fn reingest_gives_the_database_a_fresh_ingest_gives() {
    let dir = corpus_workspace();
    let data = extra_data(dir.path());
    assert!(
        run(dir.path(), &["ingest", "--data", &data])
            .status
            .success()
    );
    let before = dump(&open(&dir.path().join("communique.db")));
    // the raw files are not needed: move them away
    std::fs::rename(dir.path().join("raw"), dir.path().join("moved")).unwrap();
    let out = run(dir.path(), &["reingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("re-extracted: 28 documents"),
        "{}",
        stdout(&out)
    );
    let reingested = dump(&open(&dir.path().join("communique.db")));
    assert_ne!(
        before, reingested,
        "the extra cue changed the first extraction"
    );

    let fresh = tempfile::tempdir().unwrap();
    copy_dir(&dir.path().join("moved"), &fresh.path().join("raw"));
    copy_dir(
        &dir.path().join("moved/corpus"),
        &fresh.path().join("raw/corpus"),
    );
    assert!(run(fresh.path(), &["ingest"]).status.success());
    assert_eq!(reingested, dump(&open(&fresh.path().join("communique.db"))));
}

#[test]
fn ingest_rereads_what_other_rules_extracted() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest"]).status.success());
    let data = extra_data(dir.path());
    let out = run(dir.path(), &["ingest", "--data", &data]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("re-read: 5 files"),
        "{}",
        stdout(&out)
    );
    let conn = open(&dir.path().join("communique.db"));
    let fingerprints = rows(
        &conn,
        "SELECT count(DISTINCT dictionary_fingerprint) FROM documents",
    );
    assert_eq!(fingerprints, vec![vec!["1".to_string()]]);
    let runs = rows(
        &conn,
        "SELECT files_reextracted, files_unchanged FROM ingest_runs ORDER BY id",
    );
    assert_eq!(runs[1], vec!["5".to_string(), "5".into()]);
}

#[test]
fn removed_files_are_reported_and_pruned_on_request() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest"]).status.success());
    std::fs::remove_file(dir.path().join("raw/000_d8e5542438cedef0.txt")).unwrap();
    std::fs::remove_file(dir.path().join("raw/004_31f2010559f7d3c6.txt")).unwrap();
    let out = run(dir.path(), &["ingest"]);
    assert!(stdout(&out).contains("2 removed"), "{}", stdout(&out));
    assert!(stdout(&out).contains("missing: 000_d8e5542438cedef0.txt"));
    let conn = open(&dir.path().join("communique.db"));
    let docs: i64 = conn
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(docs, 5, "without --prune nothing is deleted");
    drop(conn);
    let out = run(dir.path(), &["ingest", "--prune"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("pruned: 004_31f2010559f7d3c6.txt"),
        "{}",
        stdout(&out)
    );
    let conn = open(&dir.path().join("communique.db"));
    let docs: i64 = conn
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(docs, 3);
    // 004's meeting is gone; the 2013-04-15 courtesy call stays, now reported by 001 alone
    let meetings = rows(
        &conn,
        "SELECT held_on, coalesce(starts_at, '-'), (SELECT count(*) FROM meeting_documents WHERE meeting_id = m.id) FROM meetings m ORDER BY held_on, starts_at",
    );
    assert!(
        !meetings.iter().any(|m| m[0] == "2017-10-31"),
        "{meetings:?}"
    );
    assert!(
        meetings.iter().any(|m| m[0] == "2013-04-15" && m[2] == "1"),
        "{meetings:?}"
    );
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM participants p WHERE NOT EXISTS (SELECT 1 FROM meeting_participants mp WHERE mp.participant_id = p.id)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orphans, 0);
    let fk: Vec<Vec<String>> = rows(&conn, "PRAGMA foreign_key_check");
    assert!(fk.is_empty());
}

fn check_database(db: &Path) -> i64 {
    let conn = open(db);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let fk = rows(&conn, "PRAGMA foreign_key_check");
    assert!(fk.is_empty(), "{fk:?}");
    conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_killed_ingest_leaves_the_old_or_the_new_database_never_a_mix() {
    let work = tempfile::tempdir().unwrap();
    let raw = work.path().join("raw");
    many_releases(&raw, 400);
    // the previous state: the first 200 files ingested
    let half = work.path().join("half");
    std::fs::create_dir(&half).unwrap();
    for i in 0..200 {
        let name = format!("r{i:05}.txt");
        std::fs::copy(raw.join(&name), half.join(&name)).unwrap();
    }
    let pristine = work.path().join("pristine.db");
    assert!(
        run(
            work.path(),
            &["ingest", "-q", "--raw", "half", "--db", "pristine.db"]
        )
        .status
        .success()
    );
    let previous = dump(&open(&pristine));
    // the new state, uninterrupted, and how long it takes
    std::fs::copy(&pristine, work.path().join("reference.db")).unwrap();
    let started = Instant::now();
    assert!(
        run(
            work.path(),
            &["ingest", "-q", "--raw", "raw", "--db", "reference.db"]
        )
        .status
        .success()
    );
    let took = started.elapsed();
    let new = dump(&open(&work.path().join("reference.db")));
    assert_ne!(previous, new);
    // Kill points spread over the run. The run's length under `cargo test`
    // varies with what else the machine is doing, so when a run finishes
    // before its kill the window shrinks and the next kills come earlier:
    // the test needs kills that land inside the run, not a fixed clock.
    let mut interrupted = 0;
    let mut window = took;
    let mut attempts = 0u32;
    while interrupted < 20 && attempts < 80 {
        let k = attempts;
        attempts += 1;
        let db = work.path().join(format!("kill{k}.db"));
        std::fs::copy(&pristine, &db).unwrap();
        let mut child = Command::new(binary())
            .args(["ingest", "-q", "--raw", "raw", "--db"])
            .arg(&db)
            .current_dir(work.path())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(window * (k % 20) / 20);
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        if finished {
            window = window * 3 / 4;
        } else {
            interrupted += 1;
        }
        let documents = check_database(&db);
        let state = dump(&open(&db));
        assert!(
            state == previous || state == new,
            "kill point {k}: {documents} documents, a mixed state"
        );
        // a rerun converges on the uninterrupted result
        let out = Command::new(binary())
            .args(["ingest", "-q", "--raw", "raw", "--db"])
            .arg(&db)
            .current_dir(work.path())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(dump(&open(&db)), new, "kill point {k}: the rerun differs");
    }
    assert!(
        interrupted >= 20,
        "only {interrupted} of {attempts} kills landed inside the run ({took:?})"
    );
}

#[test]
fn a_second_writer_waits_and_then_gives_up_with_its_own_code() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest", "-q"]).status.success());
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join("communique.db.lock"))
        .unwrap();
    lock.lock().unwrap();
    let started = Instant::now();
    let out = run(dir.path(), &["ingest", "--wait", "1"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(
        stderr(&out).contains("another communique run is writing"),
        "{}",
        stderr(&out)
    );
    // readers are not blocked by a writer
    assert_eq!(
        rows(
            &open(&dir.path().join("communique.db")),
            "SELECT count(*) FROM documents"
        )[0][0],
        "5"
    );
    lock.unlock().unwrap();
    assert!(run(dir.path(), &["ingest", "--wait", "1"]).status.success());
}

#[test]
fn two_ingests_at_once_both_finish_and_agree() {
    let work = tempfile::tempdir().unwrap();
    many_releases(&work.path().join("raw"), 150);
    let path = work.path().to_path_buf();
    let spawn = move || {
        Command::new(binary())
            .args(["ingest", "-q"])
            .current_dir(&path)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
    };
    let a = std::thread::spawn(spawn.clone());
    let b = std::thread::spawn(spawn);
    let (a, b) = (a.join().unwrap().unwrap(), b.join().unwrap().unwrap());
    assert!(a.status.success() && b.status.success());
    let conn = open(&work.path().join("communique.db"));
    let runs = rows(
        &conn,
        "SELECT files_new FROM ingest_runs ORDER BY files_new",
    );
    assert_eq!(runs, vec![vec!["0".to_string()], vec!["150".to_string()]]);
    assert_eq!(check_database(&work.path().join("communique.db")), 150);
}

#[test]
fn a_reader_during_an_ingest_sees_one_consistent_state() {
    let work = tempfile::tempdir().unwrap();
    many_releases(&work.path().join("raw"), 300);
    assert!(run(work.path(), &["ingest", "-q"]).status.success());
    // change every file, then read while the second ingest writes
    for i in 0..300 {
        let p = work.path().join("raw").join(format!("r{i:05}.txt"));
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, format!("{text}Changed.\n")).unwrap();
    }
    let mut child = Command::new(binary())
        .args(["ingest", "-q"])
        .current_dir(work.path())
        .spawn()
        .unwrap();
    let conn = open(&work.path().join("communique.db"));
    let mut seen = std::collections::BTreeSet::new();
    while child.try_wait().unwrap().is_none() {
        // within one read transaction every document has the same version of its text
        let changed: i64 = conn
            .query_row(
                "SELECT count(*) FROM documents WHERE body LIKE '%Changed.'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        seen.insert(changed);
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(child.wait().unwrap().success());
    assert!(seen.iter().all(|&n| n == 0 || n == 300), "{seen:?}");
}

#[test]
fn logs_suit_cron_quiet_and_json() {
    let dir = seed_workspace();
    let out = run(dir.path(), &["ingest", "-q"]);
    assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty());
    std::fs::write(dir.path().join("raw/empty.txt"), "").unwrap();
    let out = run(dir.path(), &["ingest", "-v", "--log-format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    let lines: Vec<&str> = std::str::from_utf8(&out.stderr).unwrap().lines().collect();
    assert!(lines.len() >= 2, "{lines:?}");
    for line in &lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(v.get("level").is_some(), "{line}");
    }
    assert!(lines.iter().any(|l| l.contains("empty.txt")));
    // no progress bar when stderr is not a terminal
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("files") && l.contains("eta"))
    );
}

#[test]
fn meetings_written_at_once_equal_their_recomputation_from_evidence() {
    let dir = corpus_workspace();
    copy_dir(
        &project_root().join("tests/fixtures/written"),
        &dir.path().join("raw/written"),
    );
    assert!(run(dir.path(), &["ingest"]).status.success());
    let conn = open(&dir.path().join("communique.db"));
    let before = dump(&conn);
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM meetings ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(ids.len() > 50);
    for id in ids {
        communique::db::store::rematerialize(&conn, id).unwrap();
    }
    assert_eq!(dump(&conn), before);
}

#[test]
fn unchanged_files_are_passed_over_by_size_and_time_and_checksum_reads_them() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest", "-q"]).status.success());
    let db = dir.path().join("communique.db");
    let before = dump(&open(&db));
    // same size, same modification time, other bytes: a scheduled run trusts the file system
    let path = dir.path().join("raw/001_a04d2c13398cc779.txt");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen("Japan", "JAPAN", 1);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&path, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let out = run(dir.path(), &["ingest"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("0 changed, 5 unchanged"),
        "{}",
        stdout(&out)
    );
    assert_eq!(dump(&open(&db)), before);
    // --checksum reads every file and finds the edit
    let out = run(dir.path(), &["ingest", "--checksum"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("1 changed, 4 unchanged"),
        "{}",
        stdout(&out)
    );
    let body: String = open(&db)
        .query_row(
            "SELECT body FROM documents WHERE path = '001_a04d2c13398cc779.txt'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(body.contains("JAPAN"));
}

#[test]
fn a_touched_file_is_read_once_and_its_new_time_remembered() {
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest", "-q"]).status.success());
    let db = dir.path().join("communique.db");
    let state = |conn: &rusqlite::Connection| {
        rows(
            conn,
            "SELECT f.size, f.modified_ns FROM file_states f JOIN documents d ON d.id = f.document_id
             WHERE d.path = '002_ba43d9e61176bfd3.txt'",
        )
    };
    let first = state(&open(&db));
    assert_eq!(first.len(), 1);
    let path = dir.path().join("raw/002_ba43d9e61176bfd3.txt");
    let later = std::fs::metadata(&path).unwrap().modified().unwrap() + Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let before = dump(&open(&db));
    let out = run(dir.path(), &["ingest"]);
    assert!(
        stdout(&out).contains("0 changed, 5 unchanged"),
        "{}",
        stdout(&out)
    );
    assert_eq!(dump(&open(&db)), before, "same bytes, same content");
    let second = state(&open(&db));
    assert_eq!(second[0][0], first[0][0]);
    let nanos: i64 = second[0][1].parse().unwrap();
    let expected = later
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i64;
    assert_eq!(nanos, expected);
}

#[test]
fn the_number_of_workers_does_not_change_the_database() {
    let mut dumps = Vec::new();
    for jobs in ["1", "2", "5"] {
        let dir = corpus_workspace();
        copy_dir(
            &project_root().join("tests/fixtures/written"),
            &dir.path().join("raw/written"),
        );
        let out = run(dir.path(), &["ingest", "-q", "--jobs", jobs]);
        assert!(out.status.success(), "{}", stderr(&out));
        let db = dir.path().join("communique.db");
        let out = run(dir.path(), &["reingest", "-q", "--jobs", jobs]);
        assert!(out.status.success(), "{}", stderr(&out));
        dumps.push(dump(&open(&db)));
    }
    assert!(dumps[0][1].1.len() > 20, "meetings were extracted");
    assert_eq!(dumps[0], dumps[1]);
    assert_eq!(dumps[0], dumps[2]);
}

#[test]
fn a_scheduled_run_matches_files_to_documents_across_folders_and_pages() {
    // More documents than the cursor reads at a time (2,048), in folders whose names sort
    // around '/' ("a-b" < "a/" < "a0"), so the walk and the database must agree on order.
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw");
    let mut paths = Vec::new();
    for (folder, count) in [("a", 1100), ("a-b", 900), ("a0", 700)] {
        std::fs::create_dir_all(raw.join(folder)).unwrap();
        for i in 0..count {
            let relative = format!("{folder}/r{i:04}.txt");
            std::fs::write(raw.join(&relative), format!("Release {relative}.\n")).unwrap();
            paths.push(relative);
        }
    }
    let first = run(dir.path(), &["ingest", "--jobs", "2"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("2700 seen, 2700 new"),
        "{}",
        stdout(&first)
    );
    // remove files on both sides of the page boundary and at the ends, add and change some
    let mut sorted = paths.clone();
    sorted.sort();
    let gone = [&sorted[0], &sorted[2047], &sorted[2048], &sorted[2699]];
    for path in gone {
        std::fs::remove_file(raw.join(path)).unwrap();
    }
    std::fs::write(raw.join("a-b/r0500.txt"), "Release changed.\n").unwrap();
    std::fs::write(raw.join("a/new.txt"), "A new release.\n").unwrap();
    std::fs::write(raw.join("zz.txt"), "Another new release.\n").unwrap();
    let second = run(dir.path(), &["ingest", "--jobs", "2"]);
    let text = stdout(&second);
    assert!(
        text.contains("2698 seen, 2 new, 1 changed, 2695 unchanged, 4 removed, 0 failed"),
        "{text}"
    );
    for path in gone {
        assert!(
            text.contains(&format!("missing: {path}:")),
            "{path}: {text}"
        );
    }
    let third = run(dir.path(), &["ingest", "--prune", "--jobs", "1"]);
    assert!(
        stdout(&third).contains("2698 unchanged, 4 removed"),
        "{}",
        stdout(&third)
    );
    let conn = open(&dir.path().join("communique.db"));
    let stored: Vec<String> = rows(&conn, "SELECT path FROM documents ORDER BY path")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    let mut expected: Vec<String> = sorted
        .iter()
        .filter(|p| !gone.contains(p))
        .cloned()
        .chain(["a/new.txt".to_owned(), "zz.txt".to_owned()])
        .collect();
    expected.sort();
    assert_eq!(stored, expected);
}

#[test]
fn releases_added_one_run_at_a_time_give_the_database_one_run_gives() {
    // Merging reads a run's own cache of each day's meetings; a run per release reads them
    // from SQLite every time. The two must agree, merges and all.
    let all = corpus_workspace();
    // a meeting reported three times: the second report adds a person, through whom the
    // third report matches it (two shared people), so merging must see the meeting as the
    // second report left it
    let merge = all.path().join("raw/merge");
    std::fs::create_dir_all(&merge).unwrap();
    for (name, who) in [
        ("a.txt", "Prime Minister Shinzo Abe"),
        (
            "b.txt",
            "Prime Minister Shinzo Abe and Foreign Minister Fumio Kishida",
        ),
        ("c.txt", "Foreign Minister Fumio Kishida"),
    ] {
        std::fs::write(
            merge.join(name),
            format!("On 9 September 2013, {who} met NATO Secretary General Anders Fogh Rasmussen in Tokyo.\n"),
        )
        .unwrap();
    }
    assert!(run(all.path(), &["ingest"]).status.success());
    let reports: i64 = open(&all.path().join("communique.db"))
        .query_row(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM meeting_documents md
             JOIN documents d ON d.id = md.document_id
             WHERE d.path LIKE 'merge/%' GROUP BY md.meeting_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reports, 3, "the three reports are one meeting");
    let at_once = dump(&open(&all.path().join("communique.db")));
    let merged: i64 = open(&all.path().join("communique.db"))
        .query_row(
            "SELECT count(*) FROM meetings m WHERE (SELECT count(*) FROM meeting_documents md WHERE md.meeting_id = m.id) > 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        merged >= 3,
        "the corpus has meetings reported twice: {merged}"
    );

    let one_by_one = tempfile::tempdir().unwrap();
    let raw = one_by_one.path().join("raw");
    std::fs::create_dir_all(raw.join("corpus")).unwrap();
    let mut files: Vec<String> = Vec::new();
    std::fs::create_dir_all(raw.join("merge")).unwrap();
    for (from, to) in [("raw", ""), ("corpus", "corpus/"), ("merge", "merge/")] {
        let source = all
            .path()
            .join("raw")
            .join(if from == "raw" { "" } else { from });
        for entry in std::fs::read_dir(&source).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(format!(
                    "{to}{}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    files.sort();
    // the manifests first, so that every release is read with its row from the start
    files.sort_by_key(|f| !f.ends_with(".csv"));
    for relative in &files {
        std::fs::copy(all.path().join("raw").join(relative), raw.join(relative)).unwrap();
        if relative.ends_with(".csv") {
            continue;
        }
        let out = run(one_by_one.path(), &["ingest"]);
        assert!(out.status.success(), "{relative}: {}", stderr(&out));
    }
    assert_eq!(
        at_once,
        dump(&open(&one_by_one.path().join("communique.db")))
    );
}

#[test]
fn a_shell_beside_a_running_ingest_can_neither_checkpoint_nor_write_under_it() {
    // A scheduled run over an existing database reads what it knows through a second
    // connection; opening it must not drop the locks of the first (POSIX drops a process's
    // locks on a file when any descriptor of it closes), or a shell that closes believes it
    // is the last user and removes the WAL the run is writing.
    let work = tempfile::tempdir().unwrap();
    many_releases(&work.path().join("raw"), 50);
    assert!(run(work.path(), &["ingest", "-q"]).status.success());
    many_releases(&work.path().join("raw/more"), 5000);
    let db = work.path().join("communique.db");
    let mut child = Command::new(binary())
        .args(["ingest", "-q", "--jobs", "1"])
        .current_dir(work.path())
        .spawn()
        .unwrap();
    // give the run time to load its rules and begin writing (it takes several seconds with
    // one worker); the WAL file exists from then on, however little has spilled into it
    let wal = work.path().join("communique.db-wal");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the ingest ended before the test"
    );
    assert!(wal.exists());
    let shell = |sql: &str| Command::new("sqlite3").arg(&db).arg(sql).output().unwrap();
    let read = shell("SELECT count(*) FROM documents;");
    assert!(read.status.success(), "{}", stderr(&read));
    assert!(
        wal.exists(),
        "a reader that closed removed the running ingest's WAL"
    );
    let write = shell("PRAGMA busy_timeout = 0; CREATE TABLE notes (x);");
    let still_running = child.try_wait().unwrap().is_none();
    assert!(child.wait().unwrap().success());
    assert!(
        still_running,
        "the ingest ended before the test could write beside it"
    );
    assert!(
        !write.status.success() && stderr(&write).contains("locked"),
        "a write went through beside the running ingest: {}",
        stderr(&write)
    );
    let conn = open(&db);
    assert_eq!(
        rows(&conn, "PRAGMA integrity_check"),
        vec![vec!["ok".to_string()]]
    );
    assert_eq!(
        rows(&conn, "SELECT count(*) FROM documents"),
        vec![vec!["5050".to_string()]]
    );
}
