-- A private calendar address per person (a secret token in the URL, which the person can
-- reset). Kept in step with ../sqlite/0005_calendar_feed.sql.
CREATE TABLE calendar_feed (
    person_id UUID PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);
