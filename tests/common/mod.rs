//! Helpers for integration tests: run the real binary in a temporary folder and look at the
//! database it wrote.
#![allow(dead_code)]

pub mod scoring;

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_communique"))
}

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `communique` with `args` in `dir`, with a fixed clock.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("RUST_LOG")
        .env_remove("COMMUNIQUE_DB")
        .env_remove("COMMUNIQUE_DATA")
        .output()
        .expect("the binary runs")
}

/// Copy every file of `from` into `to` (flat).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A temporary folder holding a copy of `raw/` (the seed releases).
pub fn seed_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&project_root().join("raw"), &dir.path().join("raw"));
    dir
}

pub fn open(path: &Path) -> Connection {
    Connection::open(path).unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// All rows of a query as strings ('NULL' for NULL), for comparing.
pub fn rows(conn: &Connection, sql: &str) -> Vec<Vec<String>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        Ok((0..n)
            .map(|i| match r.get_ref(i).unwrap() {
                rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                rusqlite::types::ValueRef::Real(v) => v.to_string(),
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                rusqlite::types::ValueRef::Blob(b) => format!("{b:?}"),
            })
            .collect())
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Every public table's rows, as text, in a fixed order — the content of a database without
/// its run bookkeeping (runs, failures, validation findings and `ingested_at`).
pub fn dump(conn: &Connection) -> Vec<(String, Vec<Vec<String>>)> {
    let tables = [
        "documents",
        "meetings",
        "participants",
        "meeting_participants",
        "topics",
        "meeting_topics",
        "meeting_documents",
        "participant_evidence",
        "topic_evidence",
    ];
    tables
        .iter()
        .map(|t| {
            let columns: Vec<String> = conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{t}') WHERE name <> 'ingested_at'"
                ))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let list = columns
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("SELECT {list} FROM {t} ORDER BY {list}");
            (t.to_string(), rows(conn, &sql))
        })
        .collect()
}

/// A folder of `n` distinct releases made from the fixture corpora (each copy's text gets
/// a line of its own so that files differ), with a manifest.
pub fn many_releases(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut sources: Vec<PathBuf> = Vec::new();
    for set in [
        "tests/fixtures/corpus",
        "tests/fixtures/written",
        "tests/fixtures/written2",
        "raw",
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(project_root().join(set))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        sources.extend(files);
    }
    let mut manifest = String::from("file,url,publisher,published_on\n");
    for i in 0..n {
        let source = &sources[i % sources.len()];
        let text = std::fs::read_to_string(source).unwrap();
        let name = format!("r{i:05}.txt");
        std::fs::write(dir.join(&name), format!("{text}\n\nCopy {i}.\n")).unwrap();
        manifest.push_str(&format!("{name},,,2024-01-01\n"));
    }
    std::fs::write(dir.join("manifest.csv"), manifest).unwrap();
}
