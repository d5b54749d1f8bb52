-- Declarations that a policy's period is complete, and their verification by a named person.
-- Kept in step with ../sqlite/0003_declarations.sql.
CREATE TABLE declaration (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    policy_id TEXT NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    declared_on DATE NOT NULL,
    statement TEXT,
    -- declared (no verification needed), awaiting-verification, verified or returned
    status TEXT NOT NULL,
    verifier_id UUID REFERENCES person(id) ON DELETE SET NULL,
    verifier_role TEXT,
    verified_on DATE,
    comment TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, policy_id, period_start)
);
CREATE INDEX declaration_verifier ON declaration (verifier_id, status);
