//! Parquet export with typed columns (INT64, DOUBLE, UTF8, DATE, TIMESTAMP in UTC) and
//! nullability taken from the schema; one file per table, or with `partition` one file per
//! year in Hive-style folders (`meetings/year=2013/part-0.parquet`) that DuckDB and Spark
//! read as one table.

use super::{Cell, ColumnKind, TableSpec};
use anyhow::Context;
use arrow_array::builder::{
    ArrayBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMillisecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::{DateTime, NaiveDate};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rusqlite::Connection;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows per record batch (and row group granularity).
const BATCH_ROWS: usize = 8192;

/// The folder name of rows without a year, as Hive and Spark write it.
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

pub fn arrow_schema(spec: &TableSpec) -> SchemaRef {
    let fields: Vec<Field> = spec
        .columns
        .iter()
        .map(|c| {
            let data_type = match c.kind {
                ColumnKind::Integer => DataType::Int64,
                ColumnKind::Real => DataType::Float64,
                ColumnKind::Text => DataType::Utf8,
                ColumnKind::Date => DataType::Date32,
                ColumnKind::Timestamp => {
                    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
                }
            };
            Field::new(&c.name, data_type, c.nullable)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

enum Builder {
    Int(Int64Builder),
    Real(Float64Builder),
    Text(StringBuilder),
    Date(Date32Builder),
    Time(TimestampMillisecondBuilder),
}

impl Builder {
    fn new(kind: ColumnKind) -> Self {
        match kind {
            ColumnKind::Integer => Builder::Int(Int64Builder::new()),
            ColumnKind::Real => Builder::Real(Float64Builder::new()),
            ColumnKind::Text => Builder::Text(StringBuilder::new()),
            ColumnKind::Date => Builder::Date(Date32Builder::new()),
            ColumnKind::Timestamp => {
                Builder::Time(TimestampMillisecondBuilder::new().with_timezone("UTC"))
            }
        }
    }

    fn append(&mut self, cell: &Cell, column: &str) -> anyhow::Result<()> {
        match (self, cell) {
            (Builder::Int(b), Cell::Null) => b.append_null(),
            (Builder::Real(b), Cell::Null) => b.append_null(),
            (Builder::Text(b), Cell::Null) => b.append_null(),
            (Builder::Date(b), Cell::Null) => b.append_null(),
            (Builder::Time(b), Cell::Null) => b.append_null(),
            (Builder::Int(b), Cell::Integer(i)) => b.append_value(*i),
            (Builder::Real(b), Cell::Real(f)) => b.append_value(*f),
            (Builder::Real(b), Cell::Integer(i)) => b.append_value(*i as f64),
            (Builder::Text(b), c) => b.append_value(c.to_text()),
            (Builder::Date(b), Cell::Text(t)) => {
                let date = NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .with_context(|| format!("column {column}: '{t}' is not a date"))?;
                b.append_value((date - epoch()).num_days() as i32);
            }
            (Builder::Time(b), Cell::Text(t)) => {
                let time = DateTime::parse_from_rfc3339(t)
                    .with_context(|| format!("column {column}: '{t}' is not an RFC 3339 time"))?;
                b.append_value(time.timestamp_millis());
            }
            (_, c) => anyhow::bail!("column {column}: unexpected value {c:?}"),
        }
        Ok(())
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Real(b) => Arc::new(b.finish()),
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Time(b) => Arc::new(b.finish()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Builder::Int(b) => b.len(),
            Builder::Real(b) => b.len(),
            Builder::Text(b) => b.len(),
            Builder::Date(b) => b.len(),
            Builder::Time(b) => b.len(),
        }
    }
}

struct Output {
    writer: ArrowWriter<File>,
    builders: Vec<Builder>,
    schema: SchemaRef,
}

impl Output {
    fn create(path: &Path, spec: &TableSpec, schema: &SchemaRef) -> anyhow::Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(64 * 1024))
            .build();
        Ok(Output {
            writer: ArrowWriter::try_new(file, schema.clone(), Some(props))?,
            builders: spec.columns.iter().map(|c| Builder::new(c.kind)).collect(),
            schema: schema.clone(),
        })
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        if self.builders.first().is_none_or(|b| b.len() == 0) {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)?;
        self.writer.write(&batch)?;
        Ok(())
    }

    fn close(mut self) -> anyhow::Result<()> {
        self.flush()?;
        self.writer.close()?;
        Ok(())
    }
}

/// Write a table under `dir`; returns the files written (relative to `dir`) and their rows.
pub fn write_table(
    conn: &Connection,
    spec: &TableSpec,
    dir: &Path,
    partition: bool,
) -> anyhow::Result<Vec<(PathBuf, u64)>> {
    let schema = arrow_schema(spec);
    let partitioned = partition && spec.year.is_some();
    let mut stmt = conn.prepare(&spec.select(partitioned))?;
    let mut rows = stmt.query([])?;
    let offset = usize::from(partitioned);
    let mut files: Vec<(PathBuf, u64)> = Vec::new();
    let mut current: Option<(Option<String>, Output)> = None;
    let relative_for = |year: &Option<String>| -> PathBuf {
        if partitioned {
            let folder = format!("year={}", year.as_deref().unwrap_or(NULL_PARTITION));
            PathBuf::from(&spec.name)
                .join(folder)
                .join("part-0.parquet")
        } else {
            PathBuf::from(format!("{}.parquet", spec.name))
        }
    };
    if !partitioned {
        let rel = relative_for(&None);
        current = Some((None, Output::create(&dir.join(&rel), spec, &schema)?));
        files.push((rel, 0));
    }
    while let Some(row) = rows.next()? {
        if partitioned {
            let year: Option<String> = row.get(0)?;
            if current.as_ref().is_none_or(|(y, _)| *y != year) {
                if let Some((_, out)) = current.take() {
                    out.close()?;
                }
                let rel = relative_for(&year);
                current = Some((year, Output::create(&dir.join(&rel), spec, &schema)?));
                files.push((rel, 0));
            }
        }
        let Some((_, out)) = current.as_mut() else {
            continue;
        };
        for (i, column) in spec.columns.iter().enumerate() {
            let cell = Cell::read(row, i + offset)?;
            out.builders[i].append(&cell, &column.name)?;
        }
        if let Some(last) = files.last_mut() {
            last.1 += 1;
        }
        if out.builders[0].len() >= BATCH_ROWS {
            out.flush()?;
        }
    }
    if let Some((_, out)) = current.take() {
        out.close()?;
    }
    Ok(files)
}
