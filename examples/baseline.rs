//! The floor any ingest pays: read every file of a folder and load its text into SQLite with
//! an FTS5 index, with the same settings communique uses, and nothing else (no decoding
//! checks, no extraction, no meetings). `bench/run.sh` reports communique's ingest time as a
//! ratio to this.
//!
//!     cargo run --release --example baseline -- RAW_DIR DB

use rusqlite::{Connection, params};
use std::path::{Path, PathBuf};

fn files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(raw), Some(db)) = (args.next(), args.next()) else {
        eprintln!("usage: baseline RAW_DIR DB");
        std::process::exit(2);
    };
    let raw = PathBuf::from(raw);
    let mut conn = Connection::open(&db)?;
    conn.pragma_update(None, "cache_size", -65536)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE,
                                 body TEXT NOT NULL) STRICT;
         CREATE VIRTUAL TABLE documents_fts USING fts5(
             body, content = 'documents', content_rowid = 'id', tokenize = 'unicode61');
         CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
             INSERT INTO documents_fts (rowid, body) VALUES (new.id, new.body);
         END;",
    )?;
    let tx = conn.transaction()?;
    let mut loaded = 0u64;
    {
        let mut insert = tx.prepare("INSERT INTO documents (path, body) VALUES (?1, ?2)")?;
        for path in files(&raw)? {
            let body = std::fs::read_to_string(&path)?;
            let relative = path.strip_prefix(&raw).unwrap_or(&path);
            insert.execute(params![relative.to_string_lossy(), body])?;
            loaded += 1;
        }
    }
    tx.commit()?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    println!("loaded {loaded} files");
    Ok(())
}
