-- A POST sent with an Idempotency-Key header is done once: a retry with the same key (a
-- phone on a poor connection that never saw the answer) gets the first answer again. Kept a
-- day, then forgotten by housekeeping. Kept in step with ../postgres/0017_idempotency.sql.
CREATE TABLE idempotent_request (
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    -- 'POST /api/v1/me/entries' and a hash of the body: the same key for another request is refused
    request TEXT NOT NULL,
    -- NULL while the first request is still being handled
    status INTEGER,
    content_type TEXT,
    body BLOB,
    created_at TEXT NOT NULL,
    PRIMARY KEY (person_id, key)
);
CREATE INDEX idempotent_request_created ON idempotent_request (created_at);
