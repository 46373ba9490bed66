//! CSV export: RFC 4180 (comma, double quotes, CRLF), UTF-8, a header row, rows in
//! primary-key order, NULL as an empty field. `excel` mode adds a byte-order mark and
//! neutralises formula injection for spreadsheets.

use super::{ColumnKind, TableSpec};
use rusqlite::Connection;
use std::fmt::Write as _;
use std::io::Write;

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A text cell safe to open in a spreadsheet: prefixed with `'` when it would start a formula.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Write one table as CSV; returns the number of rows.
pub fn write_table(
    conn: &Connection,
    spec: &TableSpec,
    excel: bool,
    out: impl Write,
) -> anyhow::Result<u64> {
    let mut out = out;
    if excel {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(out);
    writer.write_record(spec.columns.iter().map(|c| c.name.as_str()))?;
    let mut stmt = conn.prepare(&spec.select(false))?;
    let mut rows = stmt.query([])?;
    let mut count = 0;
    let mut number = String::new();
    while let Some(row) = rows.next()? {
        // fields straight from SQLite's buffers to the writer: no copy of the text
        for (i, column) in spec.columns.iter().enumerate() {
            use rusqlite::types::ValueRef;
            number.clear();
            let text: std::borrow::Cow<str> = match row.get_ref(i)? {
                ValueRef::Null => "".into(),
                ValueRef::Integer(n) => {
                    let _ = write!(number, "{n}");
                    number.as_str().into()
                }
                ValueRef::Real(f) => {
                    let _ = write!(number, "{f}");
                    number.as_str().into()
                }
                ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
                    let text = String::from_utf8_lossy(bytes);
                    if excel && matches!(column.kind, ColumnKind::Text) {
                        match neutralise(&text) {
                            std::borrow::Cow::Borrowed(_) => text,
                            std::borrow::Cow::Owned(o) => o.into(),
                        }
                    } else {
                        text
                    }
                }
            };
            writer.write_field(text.as_bytes())?;
        }
        writer.write_record(None::<&[u8]>)?;
        count += 1;
    }
    writer.flush()?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Tokyo"), "Tokyo");
    }
}
