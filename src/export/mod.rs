//! Export: the public tables as CSV (for spreadsheets), Parquet (for analytics engines) and a
//! Frictionless Data Package descriptor for the CSV files.
//!
//! `describe` reads a table's columns, keys and types from the database itself, so every
//! format is derived from the one schema. Writing files is in `csv`, `parquet` and
//! `datapackage`; putting them in place atomically is in `commands::export`.

pub mod csv;
pub mod datapackage;
pub mod parquet;

use rusqlite::Connection;

/// Tables (and the view) that make up the public interface, in export order.
pub const PUBLIC_TABLES: &[&str] = &[
    "documents",
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
    "validation_runs",
    "validation_findings",
    "meetings_overview",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Integer,
    Real,
    Text,
    /// ISO date (`YYYY-MM-DD`).
    Date,
    /// RFC 3339 UTC time.
    Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub references: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSpec {
    pub name: String,
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
    /// SQL for the year of a row, when the table can be partitioned by year.
    pub year: Option<&'static str>,
}

impl TableSpec {
    /// `SELECT` of every column in primary-key order, with the year first when asked.
    pub fn select(&self, with_year: bool) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("t.\"{}\"", c.name))
            .collect();
        let order: Vec<String> = self
            .primary_key
            .iter()
            .map(|c| format!("t.\"{c}\""))
            .collect();
        match (with_year, self.year) {
            (true, Some(year)) => format!(
                "SELECT {year} AS _year, {} FROM \"{}\" t ORDER BY _year IS NULL, _year, {}",
                columns.join(", "),
                self.name,
                order.join(", ")
            ),
            _ => format!(
                "SELECT {} FROM \"{}\" t ORDER BY {}",
                columns.join(", "),
                self.name,
                order.join(", ")
            ),
        }
    }
}

fn kind_of(column: &str, declared: &str) -> ColumnKind {
    match column {
        "held_on" | "published_on" => ColumnKind::Date,
        "ingested_at" | "started_at" | "finished_at" => ColumnKind::Timestamp,
        _ => match declared.to_ascii_uppercase().as_str() {
            "INTEGER" | "INT" => ColumnKind::Integer,
            "REAL" => ColumnKind::Real,
            "TEXT" => ColumnKind::Text,
            // a view's columns have no declared type
            _ => match column {
                "meeting_id" | "duration_minutes" | "sources" => ColumnKind::Integer,
                _ => ColumnKind::Text,
            },
        },
    }
}

fn year_of(table: &str) -> Option<&'static str> {
    match table {
        "meetings" | "meetings_overview" => Some("substr(t.held_on, 1, 4)"),
        "documents" => Some("substr(t.published_on, 1, 4)"),
        "meeting_documents" | "meeting_participants" | "meeting_topics" => {
            Some("(SELECT substr(m.held_on, 1, 4) FROM meetings m WHERE m.id = t.meeting_id)")
        }
        _ => None,
    }
}

/// Read a public table's description from the database.
pub fn describe(conn: &Connection, table: &str) -> rusqlite::Result<TableSpec> {
    let mut columns = Vec::new();
    let mut keyed: Vec<(i64, String)> = Vec::new();
    let mut stmt = conn.prepare(&format!("PRAGMA table_info(\"{table}\")"))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (name, declared, not_null, pk) = row?;
        if pk > 0 {
            keyed.push((pk, name.clone()));
        }
        columns.push(Column {
            kind: kind_of(&name, &declared),
            // an INTEGER PRIMARY KEY is never NULL even without NOT NULL
            nullable: not_null == 0 && !(pk > 0 && declared.eq_ignore_ascii_case("INTEGER")),
            name,
        });
    }
    keyed.sort();
    let mut primary_key: Vec<String> = keyed.into_iter().map(|(_, n)| n).collect();
    if primary_key.is_empty() {
        // the view: one row per meeting
        primary_key = columns
            .first()
            .map(|c| vec![c.name.clone()])
            .unwrap_or_default();
    }
    let mut foreign: Vec<(i64, i64, String, String, String)> = conn
        .prepare(&format!("PRAGMA foreign_key_list(\"{table}\")"))?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    foreign.sort();
    let mut foreign_keys: Vec<ForeignKey> = Vec::new();
    for (id, _, parent, from, to) in foreign {
        match foreign_keys.get_mut(id as usize) {
            Some(fk) => {
                fk.columns.push(from);
                fk.references.push(to);
            }
            None => foreign_keys.push(ForeignKey {
                columns: vec![from],
                table: parent,
                references: vec![to],
            }),
        }
    }
    Ok(TableSpec {
        name: table.to_owned(),
        columns,
        primary_key,
        foreign_keys,
        year: year_of(table),
    })
}

/// A cell read from SQLite.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

impl Cell {
    pub fn read(row: &rusqlite::Row, index: usize) -> rusqlite::Result<Cell> {
        Ok(match row.get_ref(index)? {
            rusqlite::types::ValueRef::Null => Cell::Null,
            rusqlite::types::ValueRef::Integer(i) => Cell::Integer(i),
            rusqlite::types::ValueRef::Real(f) => Cell::Real(f),
            rusqlite::types::ValueRef::Text(t) => {
                Cell::Text(String::from_utf8_lossy(t).into_owned())
            }
            rusqlite::types::ValueRef::Blob(b) => {
                Cell::Text(String::from_utf8_lossy(b).into_owned())
            }
        })
    }

    /// The cell as CSV writes it: NULL is empty.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Integer(i) => i.to_string(),
            Cell::Real(f) => f.to_string(),
            Cell::Text(t) => t.clone(),
        }
    }
}
