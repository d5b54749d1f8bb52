-- The supported first year of newly qualified social workers: what their organisation
-- requires, who is on it (with a mentor and protected learning time), and the milestone
-- reviews. Kept in step with ../postgres/0012_nqsw_year.sql.
CREATE TABLE nqsw_requirement (
    id BLOB PRIMARY KEY,
    org_id BLOB NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    -- an entry of this kind (and topic, when set) meets it
    kind TEXT NOT NULL,
    topic TEXT,
    due_after_months INTEGER NOT NULL CHECK (due_after_months BETWEEN 1 AND 12),
    created_at TEXT NOT NULL
);
CREATE INDEX nqsw_requirement_org ON nqsw_requirement (org_id, due_after_months);

CREATE TABLE nqsw_year (
    person_id BLOB PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    org_id BLOB NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    started_on TEXT NOT NULL,
    mentor_id BLOB REFERENCES person(id) ON DELETE SET NULL,
    -- ten-thousandths of an hour a week
    protected_hours_per_week INTEGER NOT NULL CHECK (protected_hours_per_week >= 0),
    created_at TEXT NOT NULL
);
CREATE INDEX nqsw_year_org ON nqsw_year (org_id);

CREATE TABLE nqsw_milestone (
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    month INTEGER NOT NULL,
    reviewed_on TEXT NOT NULL,
    reviewer_id BLOB REFERENCES person(id) ON DELETE SET NULL,
    comments TEXT NOT NULL,
    PRIMARY KEY (person_id, month)
);
