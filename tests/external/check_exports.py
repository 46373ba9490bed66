#!/usr/bin/env python3
"""Read communique's exports with the tools analysts use, and compare with SQLite.

Run by .ci/run after `cargo test --release`: ingests the dev corpus with the release binary,
exports CSV and Parquet (flat and partitioned by year), then
  - reads every Parquet file with DuckDB and with pyarrow and compares row counts (and the
    partitioned tables' per-year counts) with the SQLite database,
  - validates datapackage.json with frictionless (plain and --excel CSV).
Exits non-zero on any difference.
"""
import os
import sqlite3
import subprocess
import sys
import tempfile

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "communique")
TABLES = ["documents", "meetings", "participants", "meeting_participants", "topics",
          "meeting_topics", "meeting_documents", "participant_evidence", "topic_evidence",
          "ingest_runs", "ingest_failures", "validation_runs", "validation_findings",
          "meetings_overview"]
PARTITIONED = {"documents", "meetings", "meetings_overview", "meeting_documents",
               "meeting_participants", "meeting_topics"}
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def run(*args, cwd):
    subprocess.run([BIN, *args], cwd=cwd, check=True)


with tempfile.TemporaryDirectory() as work:
    raw = os.path.join(ROOT, "tests", "fixtures", "corpus")
    db = os.path.join(work, "c.db")
    run("ingest", "-q", "--raw", raw, "--db", db, cwd=work)
    run("validate", "-q", "--raw", raw, "--db", db, cwd=work)
    run("export", "-q", "--db", db, "--out", "flat", cwd=work)
    run("export", "-q", "--db", db, "--out", "parts", "--format", "parquet", "--partition-by", "year", cwd=work)
    run("export", "-q", "--db", db, "--out", "excel", "--format", "csv", "--excel", cwd=work)
    lite = sqlite3.connect(db)
    duck = duckdb.connect()
    for table in TABLES:
        want = lite.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        flat = os.path.join(work, "flat", "parquet", f"{table}.parquet")
        got = duck.execute(f"SELECT count(*) FROM read_parquet('{flat}')").fetchone()[0]
        check(got == want, f"duckdb {table}: {got} rows, sqlite {want}")
        check(pq.read_table(flat).num_rows == want, f"pyarrow {table}")
        if table in PARTITIONED:
            folder = os.path.join(work, "parts", "parquet", table)
            got = duck.execute(
                f"SELECT count(*) FROM read_parquet('{folder}/*/*.parquet', hive_partitioning = true)"
            ).fetchone()[0]
            check(got == want, f"duckdb partitioned {table}: {got} rows, sqlite {want}")
            dataset = ds.dataset(folder, format="parquet", partitioning="hive")
            check(dataset.count_rows() == want, f"pyarrow partitioned {table}")
    year_sql = ("SELECT substr(held_on, 1, 4) AS y, count(*) FROM meetings "
                "WHERE held_on IS NOT NULL GROUP BY y ORDER BY y")
    want = [(int(y), n) for y, n in lite.execute(year_sql)]
    folder = os.path.join(work, "parts", "parquet", "meetings")
    got = duck.execute(
        f"SELECT year, count(*) FROM read_parquet('{folder}/*/*.parquet', hive_partitioning = true) "
        "WHERE year IS NOT NULL GROUP BY year ORDER BY year"
    ).fetchall()
    check(got == want, f"meetings per year: {got}")
    types = dict(duck.execute(f"DESCRIBE SELECT * FROM read_parquet('{work}/flat/parquet/meetings.parquet')").fetchall()[i][:2]
                 for i in range(3))
    check(types.get("held_on") == "DATE" and types.get("id") == "BIGINT", f"meetings column types {types}")
    for folder in ("flat", "excel"):
        result = subprocess.run(["frictionless", "validate", os.path.join(work, folder, "datapackage.json")],
                                capture_output=True, text=True)
        check(result.returncode == 0, f"frictionless validate {folder}/datapackage.json")
        if result.returncode != 0:
            print(result.stdout[-3000:])

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all export checks passed")
