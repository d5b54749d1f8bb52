-- A private calendar address per person (a secret token in the URL, which the person can
-- reset). Kept in step with ../postgres/0005_calendar_feed.sql.
CREATE TABLE calendar_feed (
    person_id BLOB PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
