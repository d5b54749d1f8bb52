-- The shared catalogue of learning opportunities, their sessions, bookings with a waiting
-- list, and in-app notifications. Kept in step with ../sqlite/0004_catalogue.sql.
CREATE TABLE opportunity (
    id UUID PRIMARY KEY,
    org_id UUID NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    provider TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    topics TEXT NOT NULL,
    elements TEXT NOT NULL,
    hours BIGINT NOT NULL,
    cost_pence BIGINT NOT NULL CHECK (cost_pence >= 0),
    -- own, partners or everyone; partners as |uuid|uuid|
    visibility TEXT NOT NULL,
    partners TEXT NOT NULL,
    created_by UUID REFERENCES person(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX opportunity_org ON opportunity (org_id);

CREATE TABLE opportunity_session (
    id UUID PRIMARY KEY,
    opportunity_id UUID NOT NULL REFERENCES opportunity(id) ON DELETE CASCADE,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    venue TEXT,
    locality TEXT,
    online_link TEXT,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    -- places taken, kept with the capacity so that one conditional UPDATE takes a place
    booked BIGINT NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity)
);
CREATE INDEX opportunity_session_opportunity ON opportunity_session (opportunity_id, starts_at);

CREATE TABLE booking (
    id UUID PRIMARY KEY,
    session_id UUID NOT NULL REFERENCES opportunity_session(id) ON DELETE CASCADE,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    -- booked, waiting, cancelled, attended or absent
    status TEXT NOT NULL,
    -- the order of the waiting list: when the person asked for a place
    requested_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    entry_id UUID REFERENCES entry(id) ON DELETE SET NULL,
    UNIQUE (session_id, person_id)
);
CREATE INDEX booking_session ON booking (session_id, status, requested_at);
CREATE INDEX booking_person ON booking (person_id);

CREATE TABLE notification (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    link TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ
);
CREATE INDEX notification_person ON notification (person_id, created_at);
