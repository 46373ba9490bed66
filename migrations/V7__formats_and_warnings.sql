-- V7: HTML releases and repaired input.
-- documents.format: how the file was written, 'text' or 'html' (an HTML page is turned into
-- its text before extraction; `body` holds that text).
ALTER TABLE documents ADD COLUMN format TEXT NOT NULL DEFAULT 'text';

-- Files a run read, but only after repairing or guessing something the user should know:
-- an encoding guessed (Windows-1252), stray NUL bytes removed. Unlike ingest_failures, the
-- document is in the database.
CREATE TABLE ingest_warnings (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES ingest_runs(id) ON DELETE CASCADE,
    path    TEXT NOT NULL,
    reason  TEXT NOT NULL,
    detail  TEXT NOT NULL
) STRICT;
CREATE INDEX ingest_warnings_run ON ingest_warnings (run_id);
