-- Supervision sessions with their attendees, agreed actions and private notes, and how
-- often each organisation wants supervision held. Kept in step with
-- ../postgres/0007_supervision.sql.
CREATE TABLE supervision_session (
    id BLOB PRIMARY KEY,
    org_id BLOB NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    supervisor_id BLOB REFERENCES person(id) ON DELETE SET NULL,
    held_on TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    -- individual, group or peer
    kind TEXT NOT NULL,
    -- the balance of the agenda, percent of the session, adding up to 100
    case_management INTEGER NOT NULL,
    reflection INTEGER NOT NULL,
    professional_development INTEGER NOT NULL,
    wellbeing INTEGER NOT NULL,
    notes TEXT NOT NULL,
    -- individual sessions only; seen by the supervisor and the one supervisee, never exported
    private_notes TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX supervision_session_supervisor ON supervision_session (supervisor_id, held_on);

CREATE TABLE supervision_attendee (
    session_id BLOB NOT NULL REFERENCES supervision_session(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    -- the learning entry the session became in their record, if it did
    entry_id BLOB REFERENCES entry(id) ON DELETE SET NULL,
    PRIMARY KEY (session_id, person_id)
);
CREATE INDEX supervision_attendee_person ON supervision_attendee (person_id, session_id);

CREATE TABLE supervision_action (
    id BLOB PRIMARY KEY,
    session_id BLOB NOT NULL REFERENCES supervision_session(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    owner_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    due_on TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX supervision_action_session ON supervision_action (session_id);
CREATE INDEX supervision_action_owner ON supervision_action (owner_id, done_at);

-- Days between sessions: for newly qualified workers in their first year, and for others.
CREATE TABLE supervision_frequency (
    org_id BLOB PRIMARY KEY REFERENCES organisation(id) ON DELETE CASCADE,
    nqsw_every_days INTEGER NOT NULL CHECK (nqsw_every_days BETWEEN 1 AND 365),
    every_days INTEGER NOT NULL CHECK (every_days BETWEEN 1 AND 365)
);
