-- The foundation: organisations, people, sign-in and the learning record.
-- Kept in step with ../postgres/0001_foundation.sql: same tables, columns and indexes.
-- Ids are UUID v7 (16-byte blobs here), made in Rust; times are UTC RFC 3339 text;
-- hours are whole ten-thousandths of an hour.

CREATE TABLE organisation (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE team (
    id BLOB PRIMARY KEY,
    org_id BLOB NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    service TEXT NOT NULL,
    locality TEXT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE person (
    id BLOB PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    birth_year INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE employment (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    org_id BLOB NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    team_id BLOB REFERENCES team(id) ON DELETE SET NULL,
    job_role TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    hours_per_week INTEGER NOT NULL
);
CREATE INDEX employment_person ON employment (person_id);
CREATE INDEX employment_org ON employment (org_id, person_id);

CREATE TABLE registration (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    register TEXT NOT NULL,
    part TEXT NOT NULL,
    start_date TEXT NOT NULL,
    first INTEGER NOT NULL,
    UNIQUE (person_id, register, part, start_date)
);

CREATE TABLE role_grant (
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    org_id BLOB NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (person_id, org_id, role)
);

CREATE TABLE supervision_link (
    supervisor_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    supervisee_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    org_id BLOB NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    PRIMARY KEY (supervisor_id, supervisee_id)
);
CREATE INDEX supervision_link_supervisee ON supervision_link (supervisee_id);

CREATE TABLE entry (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    hours INTEGER NOT NULL,
    topics TEXT NOT NULL,
    elements TEXT NOT NULL,
    reflection TEXT,
    reflection_so_what TEXT,
    reflection_now_what TEXT,
    peer_reflection INTEGER NOT NULL,
    peer_name TEXT,
    endorsed INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX entry_person_date ON entry (person_id, date);

CREATE TABLE evidence (
    id BLOB PRIMARY KEY,
    entry_id BLOB NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX evidence_entry ON evidence (entry_id);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX session_person ON session (person_id);

CREATE TABLE login_throttle (
    email TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
);

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
