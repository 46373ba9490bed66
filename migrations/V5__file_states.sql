-- V5: what ingest last saw of each release's file, so that a scheduled run passes over
-- unchanged files by their size and modification time without reading them again
-- (`ingest --checksum` reads and hashes every file regardless). Run bookkeeping, like
-- ingest_runs: it says nothing about the releases themselves and is not exported.
CREATE TABLE file_states (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    size        INTEGER NOT NULL,   -- bytes, as the file system reported them
    modified_ns INTEGER NOT NULL    -- modification time, nanoseconds since 1970-01-01 UTC
) STRICT;

-- What ingest compares for every file, in an index of its own: reading these columns from
-- `documents` would walk every body's overflow pages (manifest_entry is stored after body),
-- so a scheduled run over a large archive read the whole database to find nothing to do.
CREATE INDEX documents_known ON documents
    (path, id, sha256, extractor_version, dictionary_fingerprint, manifest_entry);
