//! `communique export`: every CSV and Parquet file read back and compared with SQLite, the
//! partitioned layout, spreadsheet safety, determinism and the safety of the output folder.

mod common;

use arrow_array::{Array, Date32Array, Int64Array, StringArray, TimestampMillisecondArray};
use arrow_schema::{DataType, TimeUnit};
use common::*;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::{Path, PathBuf};

fn ingested() -> tempfile::TempDir {
    let dir = seed_workspace();
    let out = run(dir.path(), &["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(run(dir.path(), &["validate", "-q"]).status.success());
    dir
}

fn export(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["export", "-q"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

/// The table's rows from SQLite as CSV would write them, in primary-key order.
fn sqlite_rows(conn: &rusqlite::Connection, table: &str) -> Vec<Vec<String>> {
    let spec = communique::export::describe(conn, table).unwrap();
    let mut stmt = conn.prepare(&spec.select(false)).unwrap();
    let n = spec.columns.len();
    stmt.query_map([], |r| {
        Ok((0..n)
            .map(|i| communique::export::Cell::read(r, i).unwrap().to_text())
            .collect())
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn every_csv_reads_back_as_the_database() {
    let dir = ingested();
    export(dir.path(), &["--format", "csv"]);
    let conn = open(&dir.path().join("communique.db"));
    for table in communique::export::PUBLIC_TABLES {
        let path = dir.path().join("exports/csv").join(format!("{table}.csv"));
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let spec = communique::export::describe(&conn, table).unwrap();
        let names: Vec<String> = spec.columns.iter().map(|c| c.name.clone()).collect();
        assert_eq!(header, names, "{table}");
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(rows, sqlite_rows(&conn, table), "{table}");
    }
    // RFC 4180: CRLF line ends, and the multi-line bodies quoted
    let meetings = std::fs::read(dir.path().join("exports/csv/meetings.csv")).unwrap();
    assert!(meetings.windows(2).any(|w| w == b"\r\n"));
    assert!(
        !meetings.starts_with(b"\xEF\xBB\xBF"),
        "plain CSV has no byte-order mark"
    );
}

fn parquet_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A Parquet file's values as text (as CSV would show them), with its column types.
/// (name, type, nullable) of each column.
type Fields = Vec<(String, DataType, bool)>;

fn read_parquet(path: &Path) -> (Fields, Vec<Vec<String>>) {
    let file = std::fs::File::open(path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = builder.schema().clone();
    let fields = schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable()))
        .collect();
    let mut rows = Vec::new();
    for batch in builder.build().unwrap() {
        let batch = batch.unwrap();
        for i in 0..batch.num_rows() {
            let mut row = Vec::new();
            for column in batch.columns() {
                let any = column.as_any();
                let text = if column.is_null(i) {
                    String::new()
                } else if let Some(a) = any.downcast_ref::<Int64Array>() {
                    a.value(i).to_string()
                } else if let Some(a) = any.downcast_ref::<StringArray>() {
                    a.value(i).to_string()
                } else if let Some(a) = any.downcast_ref::<Date32Array>() {
                    a.value_as_date(i).unwrap().to_string()
                } else if let Some(a) = any.downcast_ref::<TimestampMillisecondArray>() {
                    a.value_as_datetime(i)
                        .unwrap()
                        .and_utc()
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                } else {
                    panic!("unexpected column type {:?}", column.data_type());
                };
                row.push(text);
            }
            rows.push(row);
        }
    }
    (fields, rows)
}

#[test]
fn every_parquet_file_reads_back_typed_as_the_database() {
    let dir = ingested();
    export(dir.path(), &["--format", "parquet"]);
    let conn = open(&dir.path().join("communique.db"));
    for table in communique::export::PUBLIC_TABLES {
        let (fields, rows) = read_parquet(
            &dir.path()
                .join("exports/parquet")
                .join(format!("{table}.parquet")),
        );
        assert_eq!(rows, sqlite_rows(&conn, table), "{table}");
        let spec = communique::export::describe(&conn, table).unwrap();
        for ((name, data_type, nullable), column) in fields.iter().zip(&spec.columns) {
            assert_eq!(name, &column.name);
            assert_eq!(*nullable, column.nullable, "{table}.{name}");
            let want = match column.kind {
                communique::export::ColumnKind::Integer => DataType::Int64,
                communique::export::ColumnKind::Real => DataType::Float64,
                communique::export::ColumnKind::Text => DataType::Utf8,
                communique::export::ColumnKind::Date => DataType::Date32,
                communique::export::ColumnKind::Timestamp => {
                    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
                }
            };
            assert_eq!(data_type, &want, "{table}.{name}");
        }
    }
    // the types that matter to analysts
    let (fields, _) = read_parquet(&dir.path().join("exports/parquet/meetings.parquet"));
    let held_on = fields.iter().find(|f| f.0 == "held_on").unwrap();
    assert_eq!(held_on.1, DataType::Date32);
    let id = fields.iter().find(|f| f.0 == "id").unwrap();
    assert_eq!((id.1.clone(), id.2), (DataType::Int64, false));
}

#[test]
fn partitions_by_year_hold_each_row_once() {
    let dir = ingested();
    export(
        dir.path(),
        &["--format", "parquet", "--partition-by", "year"],
    );
    let conn = open(&dir.path().join("communique.db"));
    let root = dir.path().join("exports/parquet/meetings");
    let files = parquet_files(&root);
    let years: Vec<String> = files
        .iter()
        .map(|f| {
            f.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(years, vec!["year=2013", "year=2014", "year=2017"]);
    for file in &files {
        let year = file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()[5..]
            .to_string();
        let (_, rows) = read_parquet(file);
        let want: Vec<Vec<String>> = sqlite_rows(&conn, "meetings")
            .into_iter()
            .filter(|r| r[1].starts_with(&year))
            .collect();
        assert_eq!(rows, want, "{}", file.display());
    }
    // link tables follow their meeting's year; undated tables stay whole
    let links: usize = parquet_files(&dir.path().join("exports/parquet/meeting_participants"))
        .iter()
        .map(|f| read_parquet(f).1.len())
        .sum();
    assert_eq!(links, sqlite_rows(&conn, "meeting_participants").len());
    assert!(dir.path().join("exports/parquet/topics.parquet").is_file());
}

#[test]
fn excel_mode_neutralises_formulas_and_plain_mode_keeps_them() {
    let dir = seed_workspace();
    std::fs::write(
        dir.path().join("raw/formula.txt"),
        "=HYPERLINK(\"http://example.com\",\"click\")\nSome text; '; DROP TABLE documents;--\n",
    )
    .unwrap();
    assert!(run(dir.path(), &["ingest"]).status.success());
    export(dir.path(), &["--format", "csv", "--tables", "documents"]);
    let plain = std::fs::read_to_string(dir.path().join("exports/csv/documents.csv")).unwrap();
    assert!(
        plain.contains("\"=HYPERLINK(\"\"http://example.com\"\",\"\"click\"\")"),
        "{plain}"
    );
    assert!(plain.contains("'; DROP TABLE documents;--"));
    export(
        dir.path(),
        &["--format", "csv", "--tables", "documents", "--excel"],
    );
    let excel = std::fs::read(dir.path().join("exports/csv/documents.csv")).unwrap();
    assert!(excel.starts_with(b"\xEF\xBB\xBF"));
    let excel = String::from_utf8(excel[3..].to_vec()).unwrap();
    assert!(excel.contains("\"'=HYPERLINK("), "{excel}");
    assert!(!excel.contains(",=HYPERLINK") && !excel.contains(",\"=HYPERLINK"));
    // only the named table was written this time
    assert!(!dir.path().join("exports/csv/meetings.csv").exists());
}

#[test]
fn two_exports_of_one_database_are_byte_identical() {
    let dir = ingested();
    let read_all = |root: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push((
                        p.strip_prefix(root).unwrap().to_path_buf(),
                        std::fs::read(&p).unwrap(),
                    ));
                }
            }
        }
        out.sort();
        out
    };
    export(dir.path(), &["--out", "a", "--partition-by", "year"]);
    export(dir.path(), &["--out", "b", "--partition-by", "year"]);
    let (a, b) = (
        read_all(&dir.path().join("a")),
        read_all(&dir.path().join("b")),
    );
    assert!(a.len() > 30);
    assert_eq!(a, b);
    // --format all writes on two threads; each format alone on one: the same files
    export(
        dir.path(),
        &["--out", "c", "--format", "csv", "--partition-by", "year"],
    );
    export(
        dir.path(),
        &[
            "--out",
            "c",
            "--format",
            "parquet",
            "--partition-by",
            "year",
        ],
    );
    assert_eq!(a, read_all(&dir.path().join("c")));
}

#[test]
fn a_bad_output_folder_is_a_clear_error_and_nothing_is_half_written() {
    let dir = ingested();
    export(dir.path(), &["--format", "csv"]);
    let before = std::fs::read(dir.path().join("exports/csv/meetings.csv")).unwrap();
    // --out under a file cannot be created
    std::fs::write(dir.path().join("plain-file"), "x").unwrap();
    let out = run(dir.path(), &["export", "--out", "plain-file/exports"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--out"), "{}", stderr(&out));
    // an unknown table stops the export before anything is written, never outside --out
    let out = run(dir.path(), &["export", "--tables", "../../etc/passwd"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not an exported table"));
    assert_eq!(
        std::fs::read(dir.path().join("exports/csv/meetings.csv")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_missing_database_is_not_created_by_export() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["export"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(!dir.path().join("communique.db").exists());
}
