-- What each person wants to be reminded of, and when their last daily email digest went.
-- Without a row, everything is on. Kept in step with ../postgres/0011_reminders.sql.
CREATE TABLE reminder_preference (
    person_id BLOB PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    email_digest INTEGER NOT NULL DEFAULT 1,
    -- requirements at risk or overdue, and mandatory items expiring
    requirements INTEGER NOT NULL DEFAULT 1,
    supervision INTEGER NOT NULL DEFAULT 1,
    development_plan INTEGER NOT NULL DEFAULT 1,
    endorsements INTEGER NOT NULL DEFAULT 1,
    follow_ups INTEGER NOT NULL DEFAULT 1,
    bookings INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

CREATE TABLE digest_sent (
    person_id BLOB PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    sent_on TEXT NOT NULL
);
