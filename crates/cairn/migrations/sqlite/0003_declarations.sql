-- Declarations that a policy's period is complete, and their verification by a named person.
-- Kept in step with ../postgres/0003_declarations.sql.
CREATE TABLE declaration (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    policy_id TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    declared_on TEXT NOT NULL,
    statement TEXT,
    -- declared (no verification needed), awaiting-verification, verified or returned
    status TEXT NOT NULL,
    verifier_id BLOB REFERENCES person(id) ON DELETE SET NULL,
    verifier_role TEXT,
    verified_on TEXT,
    comment TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (person_id, policy_id, period_start)
);
CREATE INDEX declaration_verifier ON declaration (verifier_id, status);
