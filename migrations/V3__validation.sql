-- communique schema, version 3: findings of `communique validate`, queryable with SQL.

-- One row per run of `communique validate`.
CREATE TABLE validation_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    strict      INTEGER NOT NULL CHECK (strict IN (0, 1)),
    errors      INTEGER NOT NULL,
    warnings    INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('ok', 'warnings', 'errors'))
) STRICT;

-- One row per finding: which rule, how bad, which rows, and where to look in the source.
CREATE TABLE validation_findings (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES validation_runs (id) ON DELETE CASCADE,
    rule          TEXT NOT NULL,                 -- e.g. 'plausibility.date-after-publication'
    severity      TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    message       TEXT NOT NULL,
    table_name    TEXT,                          -- the table of the rows concerned
    row_ids       TEXT,                          -- their ids, comma-separated
    meeting_id    INTEGER,
    document_path TEXT,                          -- the release to open
    line          INTEGER                        -- 1-based line in documents.body
) STRICT;
CREATE INDEX validation_findings_run ON validation_findings (run_id);
CREATE INDEX validation_findings_rule ON validation_findings (rule);
