-- Team learning sessions a supervisor runs (such as an online module and a case study
-- discussed together): each participant's attendance is a learning entry in their record.
-- Kept in step with ../postgres/0010_team_learning_session.sql.
CREATE TABLE team_session (
    id BLOB PRIMARY KEY,
    org_id BLOB NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    led_by BLOB REFERENCES person(id) ON DELETE SET NULL,
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- ten-thousandths of an hour, as entries
    hours INTEGER NOT NULL,
    topics TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX team_session_led_by ON team_session (led_by, held_on);

CREATE TABLE team_session_attendee (
    session_id BLOB NOT NULL REFERENCES team_session(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    entry_id BLOB REFERENCES entry(id) ON DELETE SET NULL,
    PRIMARY KEY (session_id, person_id)
);
