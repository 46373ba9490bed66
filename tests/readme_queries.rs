//! Every SQL query in the README runs in the real `sqlite3` shell against the seed database
//! and returns rows, so the documentation cannot drift from the schema.

mod common;

use common::*;
use std::io::Write;
use std::process::{Command, Stdio};

fn readme_queries() -> Vec<String> {
    let readme = std::fs::read_to_string(project_root().join("README.md")).unwrap();
    let mut queries = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```sql") => current = Some(String::new()),
            (Some(q), l) if l.starts_with("```") => {
                queries.push(q.clone());
                current = None;
            }
            (Some(q), _) => {
                q.push_str(line);
                q.push('\n');
            }
            _ => {}
        }
    }
    queries
}

#[test]
fn every_readme_query_runs_in_the_sqlite3_shell() {
    let queries = readme_queries();
    assert!(queries.len() >= 5, "the README shows at least five queries");
    let dir = seed_workspace();
    let out = run(dir.path(), &["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // the README's validation query reads the findings of a validate run
    assert!(run(dir.path(), &["validate", "-q"]).status.success());
    let db = dir.path().join("communique.db");
    for query in queries {
        let mut child = Command::new("sqlite3")
            .args(["-bail", "-batch"])
            .arg(&db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the sqlite3 shell is installed");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(query.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "query failed:\n{query}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&output.stdout).trim().is_empty(),
            "query returned no rows on the seed database:\n{query}"
        );
    }
}

#[test]
fn the_readme_lists_every_validation_rule() {
    let readme = std::fs::read_to_string(project_root().join("README.md")).unwrap();
    for rule in communique::validate::RULES {
        assert!(
            readme.contains(&format!("| `{}` |", rule.id)),
            "README misses rule {}",
            rule.id
        );
    }
}

#[test]
fn the_readme_documents_every_table_and_column() {
    let readme = std::fs::read_to_string(project_root().join("README.md")).unwrap();
    let schema = &readme[readme.find("## Schema").expect("a Schema section")..];
    let dir = seed_workspace();
    assert!(run(dir.path(), &["ingest", "-q"]).status.success());
    let conn = open(&dir.path().join("communique.db"));
    // FTS5's own shadow tables and refinery's history are not ours to document
    let tables = rows(
        &conn,
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')
           AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'documents_fts_%'
           AND name <> 'refinery_schema_history' ORDER BY name",
    );
    assert!(tables.len() >= 10, "{tables:?}");
    let mut missing = Vec::new();
    for table in tables.iter().map(|r| r[0].clone()) {
        if !schema.contains(&format!("`{table}")) {
            missing.push(table.clone());
            continue;
        }
        for column in rows(
            &conn,
            &format!("SELECT name FROM pragma_table_info('{table}')"),
        ) {
            let column = &column[0];
            let named = schema.contains(&format!("`{column}`"))
                || schema.contains(&format!("{column},"))
                || schema.contains(&format!(", {column})"))
                || schema.contains(&format!("({column},"));
            if !named {
                missing.push(format!("{table}.{column}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the README's schema: {missing:?}"
    );
}
