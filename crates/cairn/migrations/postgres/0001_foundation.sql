-- The foundation: organisations, people, sign-in and the learning record.
-- Kept in step with ../sqlite/0001_foundation.sql: same tables, columns and indexes.
-- Ids are UUID v7 (native UUIDs here), made in Rust; times are TIMESTAMPTZ;
-- hours are whole ten-thousandths of an hour.

CREATE TABLE organisation (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE team (
    id UUID PRIMARY KEY,
    org_id UUID NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    service TEXT NOT NULL,
    locality TEXT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE person (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    birth_year BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE employment (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    org_id UUID NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    team_id UUID REFERENCES team(id) ON DELETE SET NULL,
    job_role TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    hours_per_week BIGINT NOT NULL
);
CREATE INDEX employment_person ON employment (person_id);
CREATE INDEX employment_org ON employment (org_id, person_id);

CREATE TABLE registration (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    register TEXT NOT NULL,
    part TEXT NOT NULL,
    start_date DATE NOT NULL,
    first BOOLEAN NOT NULL,
    UNIQUE (person_id, register, part, start_date)
);

CREATE TABLE role_grant (
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    org_id UUID NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (person_id, org_id, role)
);

CREATE TABLE supervision_link (
    supervisor_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    supervisee_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    org_id UUID NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    PRIMARY KEY (supervisor_id, supervisee_id)
);
CREATE INDEX supervision_link_supervisee ON supervision_link (supervisee_id);

CREATE TABLE entry (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    date DATE NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    hours BIGINT NOT NULL,
    topics TEXT NOT NULL,
    elements TEXT NOT NULL,
    reflection TEXT,
    reflection_so_what TEXT,
    reflection_now_what TEXT,
    peer_reflection BOOLEAN NOT NULL,
    peer_name TEXT,
    endorsed BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ
);
CREATE INDEX entry_person_date ON entry (person_id, date);

CREATE TABLE evidence (
    id UUID PRIMARY KEY,
    entry_id UUID NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX evidence_entry ON evidence (entry_id);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX session_person ON session (person_id);

CREATE TABLE login_throttle (
    email TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ
);

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
