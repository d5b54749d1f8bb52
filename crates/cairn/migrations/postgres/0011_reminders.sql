-- What each person wants to be reminded of, and when their last daily email digest went.
-- Without a row, everything is on. Kept in step with ../sqlite/0011_reminders.sql.
CREATE TABLE reminder_preference (
    person_id UUID PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    email_digest BOOLEAN NOT NULL DEFAULT TRUE,
    -- requirements at risk or overdue, and mandatory items expiring
    requirements BOOLEAN NOT NULL DEFAULT TRUE,
    supervision BOOLEAN NOT NULL DEFAULT TRUE,
    development_plan BOOLEAN NOT NULL DEFAULT TRUE,
    endorsements BOOLEAN NOT NULL DEFAULT TRUE,
    follow_ups BOOLEAN NOT NULL DEFAULT TRUE,
    bookings BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE digest_sent (
    person_id UUID PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    sent_on DATE NOT NULL
);
