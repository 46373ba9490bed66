-- V6: new documents enter the full-text index in one statement per run, written by ingest
-- (INSERT INTO documents_fts ... SELECT ... FROM documents), instead of a trigger per row.
-- FTS5 writes its pending index to disk at every statement that touches it inside a
-- trigger, so a row-by-row trigger made a hundred thousand small index segments, and
-- merging them was a quarter of the time of a large ingest. Changes and deletions keep
-- their triggers: they are few, and need the old text to take it out of the index.
DROP TRIGGER documents_fts_insert;
