-- communique schema, version 2: columns that connect meetings to event-data tools.

-- IANA time zone of the venue ('Asia/Tokyo'), when the place is known, so that
-- starts_at (venue-local) can be turned into an instant.
ALTER TABLE meetings ADD COLUMN timezone TEXT;

-- CAMEO event code: 040 consult, 041 discuss by telephone (or video), 042 make a visit,
-- 043 host a visit, 044 meet at a third location, 057 sign formal agreement.
-- With 042/043 the participants with role 'guest' are the visitors, 'host' the hosts.
ALTER TABLE meetings ADD COLUMN cameo_code TEXT
    CHECK (cameo_code IS NULL OR cameo_code IN ('040', '041', '042', '043', '044', '057'));

-- What each release says about the place's time zone.
ALTER TABLE meeting_documents ADD COLUMN timezone TEXT;

DROP VIEW meetings_overview;
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
    (SELECT count(*) FROM meeting_documents md WHERE md.meeting_id = m.id) AS sources,
    m.timezone,
    m.cameo_code
FROM meetings m
ORDER BY m.held_on IS NULL, m.held_on, m.starts_at IS NULL, m.starts_at, m.id;
