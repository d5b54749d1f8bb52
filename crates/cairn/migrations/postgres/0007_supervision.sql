-- Supervision sessions with their attendees, agreed actions and private notes, and how
-- often each organisation wants supervision held. Kept in step with
-- ../sqlite/0007_supervision.sql.
CREATE TABLE supervision_session (
    id UUID PRIMARY KEY,
    org_id UUID NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    supervisor_id UUID REFERENCES person(id) ON DELETE SET NULL,
    held_on DATE NOT NULL,
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes > 0),
    -- individual, group or peer
    kind TEXT NOT NULL,
    -- the balance of the agenda, percent of the session, adding up to 100
    case_management BIGINT NOT NULL,
    reflection BIGINT NOT NULL,
    professional_development BIGINT NOT NULL,
    wellbeing BIGINT NOT NULL,
    notes TEXT NOT NULL,
    -- individual sessions only; seen by the supervisor and the one supervisee, never exported
    private_notes TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX supervision_session_supervisor ON supervision_session (supervisor_id, held_on);

CREATE TABLE supervision_attendee (
    session_id UUID NOT NULL REFERENCES supervision_session(id) ON DELETE CASCADE,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    -- the learning entry the session became in their record, if it did
    entry_id UUID REFERENCES entry(id) ON DELETE SET NULL,
    PRIMARY KEY (session_id, person_id)
);
CREATE INDEX supervision_attendee_person ON supervision_attendee (person_id, session_id);

CREATE TABLE supervision_action (
    id UUID PRIMARY KEY,
    session_id UUID NOT NULL REFERENCES supervision_session(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    owner_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    due_on DATE NOT NULL,
    done_at TIMESTAMPTZ
);
CREATE INDEX supervision_action_session ON supervision_action (session_id);
CREATE INDEX supervision_action_owner ON supervision_action (owner_id, done_at);

-- Days between sessions: for newly qualified workers in their first year, and for others.
CREATE TABLE supervision_frequency (
    org_id UUID PRIMARY KEY REFERENCES organisation(id) ON DELETE CASCADE,
    nqsw_every_days BIGINT NOT NULL CHECK (nqsw_every_days BETWEEN 1 AND 365),
    every_days BIGINT NOT NULL CHECK (every_days BETWEEN 1 AND 365)
);
