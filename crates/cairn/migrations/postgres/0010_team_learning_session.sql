-- Team learning sessions a supervisor runs (such as an online module and a case study
-- discussed together): each participant's attendance is a learning entry in their record.
-- Kept in step with ../sqlite/0010_team_learning_session.sql.
CREATE TABLE team_session (
    id UUID PRIMARY KEY,
    org_id UUID NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    led_by UUID REFERENCES person(id) ON DELETE SET NULL,
    held_on DATE NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- ten-thousandths of an hour, as entries
    hours BIGINT NOT NULL,
    topics TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX team_session_led_by ON team_session (led_by, held_on);

CREATE TABLE team_session_attendee (
    session_id UUID NOT NULL REFERENCES team_session(id) ON DELETE CASCADE,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    entry_id UUID REFERENCES entry(id) ON DELETE SET NULL,
    PRIMARY KEY (session_id, person_id)
);
