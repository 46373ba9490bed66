-- communique schema, version 8: the same CHECK constraints, written without IN lists.
--
-- SQLite checks `kind IN ('meeting', 'courtesy-call', ...)` by building a temporary index
-- of the list each time an INSERT statement runs, and the loader runs one statement per row:
-- in a large ingest that was about a quarter of the writer's work. `kind = 'meeting' OR
-- kind = 'courtesy-call' OR ...` allows exactly the same values (NULL included) and builds
-- nothing. Only the text of the constraints changes — not the columns, the rows or the file
-- format — so the table definitions are edited in place, the procedure SQLite's
-- documentation gives for changing CHECK constraints ("Making Other Kinds Of Table Schema
-- Changes"); RESET makes this connection read the edited definitions at once.

PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
        'CHECK (published_on_source IN (''text'', ''url'', ''manifest''))',
        'CHECK (published_on_source = ''text'' OR published_on_source = ''url''
                           OR published_on_source = ''manifest'')')
WHERE type = 'table' AND name = 'documents';

UPDATE sqlite_schema SET sql = replace(replace(replace(sql,
        'CHECK (held_on_source IN (''stated'', ''dateline-year'', ''url-year'',
                         ''manifest-year'', ''weekday'', ''relative'', ''context'', ''publication-date''))',
        'CHECK (held_on_source = ''stated'' OR held_on_source = ''dateline-year''
                         OR held_on_source = ''url-year'' OR held_on_source = ''manifest-year''
                         OR held_on_source = ''weekday'' OR held_on_source = ''relative''
                         OR held_on_source = ''context'' OR held_on_source = ''publication-date'')'),
        'CHECK (kind IN (''meeting'', ''courtesy-call'', ''working-meal'',
                         ''telephone-talk'', ''video-conference'', ''summit-session'', ''signing''))',
        'CHECK (kind = ''meeting'' OR kind = ''courtesy-call''
                         OR kind = ''working-meal'' OR kind = ''telephone-talk''
                         OR kind = ''video-conference'' OR kind = ''summit-session''
                         OR kind = ''signing'')'),
        'CHECK (cameo_code IS NULL OR cameo_code IN (''040'', ''041'', ''042'', ''043'', ''044'', ''057''))',
        'CHECK (cameo_code IS NULL OR cameo_code = ''040'' OR cameo_code = ''041'' OR cameo_code = ''042''
    OR cameo_code = ''043'' OR cameo_code = ''044'' OR cameo_code = ''057'')')
WHERE type = 'table' AND name = 'meetings';

UPDATE sqlite_schema SET sql = replace(sql,
        'CHECK (role IN (''host'', ''guest'', ''participant'', ''mentioned''))',
        'CHECK (role = ''host'' OR role = ''guest''
                         OR role = ''participant'' OR role = ''mentioned'')')
WHERE type = 'table' AND name = 'participant_evidence';

UPDATE sqlite_schema SET sql = replace(sql,
        'CHECK (role IN (''host'', ''guest'', ''participant'', ''mentioned''))',
        'CHECK (role = ''host'' OR role = ''guest''
                         OR role = ''participant'' OR role = ''mentioned'')')
WHERE type = 'table' AND name = 'meeting_participants';

PRAGMA writable_schema = RESET;

-- A statement that changes the schema moves its version number on, so that every other
-- connection open on the database (a sqlite3 shell, a reader) reads the edited definitions
-- before its next statement, as the documented procedure requires.
CREATE TABLE v8_schema_edited (x INTEGER);
DROP TABLE v8_schema_edited;

-- Stop (and roll back) if a definition was not the text versions 1 and 2 wrote, so no list
-- was left behind unnoticed.
CREATE TEMP TABLE v8_lists_rewritten (
    every_in_list_rewritten INTEGER NOT NULL CHECK (every_in_list_rewritten = 1)
);
INSERT INTO v8_lists_rewritten
SELECT NOT EXISTS (
    SELECT 1 FROM sqlite_schema
    WHERE type = 'table'
      AND name IN ('documents', 'meetings', 'participant_evidence', 'meeting_participants')
      AND (sql LIKE '%source IN (%' OR sql LIKE '%kind IN (%' OR sql LIKE '%code IN (%'
           OR sql LIKE '%role IN (%')
);
DROP TABLE v8_lists_rewritten;
