//! A Frictionless Data Package descriptor (`datapackage.json`) for the CSV export: field
//! types, required fields, primary and foreign keys, so `frictionless validate` can check
//! the files and tools can load them typed.

use super::{ColumnKind, TableSpec};
use serde_json::{Value, json};

fn field_type(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Integer => "integer",
        ColumnKind::Real => "number",
        ColumnKind::Text => "string",
        ColumnKind::Date => "date",
        ColumnKind::Timestamp => "datetime",
    }
}

/// The descriptor for the CSV files of `tables` (paths `csv/<table>.csv`).
pub fn descriptor(tables: &[TableSpec], excel: bool) -> Value {
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let resources: Vec<Value> = tables
        .iter()
        .map(|t| {
            let fields: Vec<Value> = t
                .columns
                .iter()
                .map(|c| {
                    let mut f = json!({ "name": c.name, "type": field_type(c.kind) });
                    if !c.nullable {
                        f["constraints"] = json!({ "required": true });
                    }
                    f
                })
                .collect();
            // only keys into tables that are part of this package
            let foreign: Vec<Value> = t
                .foreign_keys
                .iter()
                .filter(|fk| names.contains(&fk.table.as_str()))
                .map(|fk| {
                    json!({
                        "fields": fk.columns,
                        "reference": { "resource": fk.table, "fields": fk.references }
                    })
                })
                .collect();
            let mut schema = json!({
                "fields": fields,
                "primaryKey": t.primary_key,
                "missingValues": [""],
            });
            if !foreign.is_empty() {
                schema["foreignKeys"] = Value::Array(foreign);
            }
            json!({
                "name": t.name,
                "path": format!("csv/{}.csv", t.name),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": if excel { "utf-8-sig" } else { "utf-8" },
                "dialect": { "delimiter": ",", "quoteChar": "\"", "doubleQuote": true, "lineTerminator": "\r\n", "header": true },
                "schema": schema,
            })
        })
        .collect();
    json!({
        "profile": "tabular-data-package",
        "name": "communique",
        "title": "Diplomatic meetings extracted from press releases by communique",
        "resources": resources,
    })
}
