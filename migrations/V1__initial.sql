-- communique schema, version 1.
--
-- This is the public query interface: later versions add tables and columns in new
-- migrations; nothing here is ever renamed or removed. Offsets (`span_start`, `span_end`) are
-- character positions in `documents.body`, 0-based, end exclusive, so the quoted text is
-- `substr(body, span_start + 1, span_end - span_start)`.

-- One row per file of the raw folder that was read as text.
CREATE TABLE documents (
    id                     INTEGER PRIMARY KEY,
    path                   TEXT NOT NULL UNIQUE,   -- relative to the raw folder, '/' separated
    sha256                 TEXT NOT NULL,          -- of the file's bytes, lower-case hex
    bytes                  INTEGER NOT NULL,       -- size of the file
    title                  TEXT,                   -- headline, as found in the text
    publisher              TEXT,                   -- manifest, else guessed from the URL
    url                    TEXT,                   -- manifest
    published_on           TEXT,                   -- ISO date of the release
    published_on_source    TEXT CHECK (published_on_source IN ('text', 'url', 'manifest')),
    body                   TEXT NOT NULL,          -- the decoded, normalised text
    encoding               TEXT NOT NULL,          -- how the bytes were decoded, e.g. 'utf-8'
    manifest_entry         TEXT,                   -- the manifest row used, as JSON (NULL: none)
    ingested_at            TEXT NOT NULL,          -- UTC, RFC 3339, when this version was read
    extractor_version      TEXT NOT NULL,          -- communique version that extracted it
    dictionary_fingerprint TEXT NOT NULL           -- sha256 of the gazetteers and taxonomy used
) STRICT;

-- Full-text index over title and body, kept in step with `documents` by triggers.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, body, content = 'documents', content_rowid = 'id', tokenize = 'unicode61'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, body ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO documents_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

-- One row per meeting, however many releases report it.
CREATE TABLE meetings (
    id               INTEGER PRIMARY KEY,
    held_on          TEXT CHECK (held_on IS NULL OR held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- where the date came from: see README ("Where a date comes from")
    held_on_source   TEXT CHECK (held_on_source IN ('stated', 'dateline-year', 'url-year',
                         'manifest-year', 'weekday', 'relative', 'context', 'publication-date')),
    starts_at        TEXT CHECK (starts_at IS NULL OR starts_at GLOB '[0-9][0-9]:[0-9][0-9]'),
    duration_minutes INTEGER,
    kind             TEXT NOT NULL CHECK (kind IN ('meeting', 'courtesy-call', 'working-meal',
                         'telephone-talk', 'video-conference', 'summit-session', 'signing')),
    location         TEXT,                         -- city, or country when that is all that is known
    venue            TEXT                          -- building or site, when named
) STRICT;
CREATE INDEX meetings_held_on ON meetings (held_on);

-- One row per person, under a canonical name (given name first).
CREATE TABLE participants (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL UNIQUE,             -- folded name tokens, sorted: identity of a person
    family_name  TEXT,
    in_gazetteer INTEGER NOT NULL DEFAULT 0 CHECK (in_gazetteer IN (0, 1))
) STRICT;

-- The topic taxonomy (data/topics.csv plus any user extension).
CREATE TABLE topics (
    id    INTEGER PRIMARY KEY,
    slug  TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    scope TEXT
) STRICT;

-- What one release says about one meeting (its provenance). A meeting reported by two
-- releases has two rows here and one in `meetings`.
CREATE TABLE meeting_documents (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    document_id      INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal          INTEGER NOT NULL,             -- 1 for the first meeting the release reports
    held_on          TEXT,
    held_on_source   TEXT,
    held_on_evidence TEXT,                         -- the date as written, e.g. 'On April 15'
    starts_at        TEXT,
    duration_minutes INTEGER,
    kind             TEXT NOT NULL,
    location         TEXT,
    venue            TEXT,
    span_start       INTEGER NOT NULL,             -- the sentence that reports the meeting
    span_end         INTEGER NOT NULL,
    evidence         TEXT NOT NULL,
    UNIQUE (meeting_id, document_id),
    UNIQUE (document_id, ordinal)
) STRICT;
CREATE INDEX meeting_documents_document ON meeting_documents (document_id);

-- Each person a release names for a meeting, with the sentence it was read from.
CREATE TABLE participant_evidence (
    meeting_document_id INTEGER NOT NULL REFERENCES meeting_documents (id) ON DELETE CASCADE,
    participant_id      INTEGER NOT NULL REFERENCES participants (id),
    title               TEXT,
    organization        TEXT,
    role                TEXT NOT NULL CHECK (role IN ('host', 'guest', 'participant', 'mentioned')),
    span_start          INTEGER NOT NULL,
    span_end            INTEGER NOT NULL,
    evidence            TEXT NOT NULL,
    PRIMARY KEY (meeting_document_id, participant_id)
) STRICT;
CREATE INDEX participant_evidence_participant ON participant_evidence (participant_id);

-- Each topic a release says was discussed in a meeting, with the cue and sentence.
CREATE TABLE topic_evidence (
    meeting_document_id INTEGER NOT NULL REFERENCES meeting_documents (id) ON DELETE CASCADE,
    topic_id            INTEGER NOT NULL REFERENCES topics (id),
    cue                 TEXT NOT NULL,
    span_start          INTEGER NOT NULL,
    span_end            INTEGER NOT NULL,
    evidence            TEXT NOT NULL,
    PRIMARY KEY (meeting_document_id, topic_id)
) STRICT;
CREATE INDEX topic_evidence_topic ON topic_evidence (topic_id);

-- Who took part in a meeting: the union over its releases (first release by path gives the
-- title, organisation and source span).
CREATE TABLE meeting_participants (
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    title          TEXT,                           -- as of that meeting
    organization   TEXT,                           -- the state or organisation represented
    role           TEXT NOT NULL CHECK (role IN ('host', 'guest', 'participant', 'mentioned')),
    document_id    INTEGER NOT NULL REFERENCES documents (id),
    span_start     INTEGER NOT NULL,
    span_end       INTEGER NOT NULL,
    evidence       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
) STRICT;
CREATE INDEX meeting_participants_participant ON meeting_participants (participant_id);
CREATE INDEX meeting_participants_document ON meeting_participants (document_id);

-- What a meeting discussed: the union over its releases.
CREATE TABLE meeting_topics (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    topic_id    INTEGER NOT NULL REFERENCES topics (id),
    document_id INTEGER NOT NULL REFERENCES documents (id),
    cue         TEXT NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    evidence    TEXT NOT NULL,
    PRIMARY KEY (meeting_id, topic_id)
) STRICT;
CREATE INDEX meeting_topics_topic ON meeting_topics (topic_id);
CREATE INDEX meeting_topics_document ON meeting_topics (document_id);

-- One row per run of `communique ingest` (or `reingest`).
CREATE TABLE ingest_runs (
    id                     INTEGER PRIMARY KEY,
    command                TEXT NOT NULL,          -- 'ingest' or 'reingest'
    started_at             TEXT NOT NULL,
    finished_at            TEXT,
    raw_dir                TEXT NOT NULL,
    files_seen             INTEGER NOT NULL DEFAULT 0,
    files_new              INTEGER NOT NULL DEFAULT 0,
    files_changed          INTEGER NOT NULL DEFAULT 0,
    files_unchanged        INTEGER NOT NULL DEFAULT 0,
    files_removed          INTEGER NOT NULL DEFAULT 0,
    files_failed           INTEGER NOT NULL DEFAULT 0,
    meetings               INTEGER NOT NULL DEFAULT 0,  -- totals in the database after the run
    participants           INTEGER NOT NULL DEFAULT 0,
    topics                 INTEGER NOT NULL DEFAULT 0,
    extractor_version      TEXT NOT NULL,
    dictionary_fingerprint TEXT NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed', 'interrupted'))
) STRICT;

-- Files a run could not ingest, and why.
CREATE TABLE ingest_failures (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
    path    TEXT NOT NULL,
    reason  TEXT NOT NULL,                         -- short code: 'not-utf8', 'empty', 'binary', ...
    detail  TEXT NOT NULL                          -- a sentence for people
) STRICT;
CREATE INDEX ingest_failures_run ON ingest_failures (run_id);

-- The first thing to look at: one row per meeting, everything on one line.
CREATE VIEW meetings_overview AS
SELECT
    m.id AS meeting_id,
    m.held_on,
    m.starts_at,
    m.duration_minutes,
    m.kind,
    m.location,
    m.venue,
    (SELECT group_concat(entry, '; ') FROM (
        SELECT p.name
               || CASE WHEN mp.title IS NULL AND mp.organization IS NULL THEN ''
                       ELSE ' (' || trim(coalesce(mp.title, '') || ', ' || coalesce(mp.organization, ''), ', ') || ')'
                  END AS entry
        FROM meeting_participants mp JOIN participants p ON p.id = mp.participant_id
        WHERE mp.meeting_id = m.id AND mp.role <> 'mentioned'
        ORDER BY CASE mp.role WHEN 'host' THEN 0 WHEN 'guest' THEN 1 ELSE 2 END, p.name
    )) AS participants,
    (SELECT group_concat(label, '; ') FROM (
        SELECT t.label FROM meeting_topics mt JOIN topics t ON t.id = mt.topic_id
        WHERE mt.meeting_id = m.id ORDER BY t.id
    )) AS topics,
    (SELECT count(*) FROM meeting_documents md WHERE md.meeting_id = m.id) AS sources
FROM meetings m
ORDER BY m.held_on IS NULL, m.held_on, m.starts_at IS NULL, m.starts_at, m.id;
