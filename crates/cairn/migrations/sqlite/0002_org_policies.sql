-- Organisations' own requirement policies (mandatory training), versioned: a new version is a
-- new row, so a past result stays explainable by the version in force then.
-- Kept in step with ../postgres/0002_org_policies.sql.
CREATE TABLE org_policy (
    id BLOB PRIMARY KEY,
    org_id BLOB NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    policy_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    source_text TEXT NOT NULL,
    -- JSON: {"job_roles": [...], "teams": [...]}; empty lists mean everyone employed.
    assigned_to TEXT NOT NULL,
    in_force_from TEXT NOT NULL,
    created_by BLOB REFERENCES person(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    UNIQUE (org_id, policy_id, version)
);
CREATE INDEX org_policy_org ON org_policy (org_id, policy_id, version);
