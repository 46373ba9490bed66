-- communique schema, version 4: why a run failed, and how many documents it re-read because
-- the extractor or the data files changed.

ALTER TABLE ingest_runs ADD COLUMN message TEXT;            -- the error of a failed run
ALTER TABLE ingest_runs ADD COLUMN files_reextracted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ingest_runs ADD COLUMN files_pruned INTEGER NOT NULL DEFAULT 0;
