-- Personal development plans: goals that belong to the person (so the plan moves with them
-- between employers), learning entries linked as evidence, and reviews with the
-- supervisor's comments on each goal. Kept in step with ../postgres/0009_development_plan.sql.
CREATE TABLE plan_goal (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    why TEXT NOT NULL,
    how TEXT NOT NULL,
    by_when TEXT NOT NULL,
    -- framework elements as |id|id|
    elements TEXT NOT NULL,
    -- not-started, in-progress, achieved or dropped
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX plan_goal_person ON plan_goal (person_id, by_when);

CREATE TABLE plan_goal_entry (
    goal_id BLOB NOT NULL REFERENCES plan_goal(id) ON DELETE CASCADE,
    entry_id BLOB NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
    PRIMARY KEY (goal_id, entry_id)
);

CREATE TABLE plan_review (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    reviewer_id BLOB REFERENCES person(id) ON DELETE SET NULL,
    reviewed_on TEXT NOT NULL,
    comments TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX plan_review_person ON plan_review (person_id, reviewed_on);

CREATE TABLE plan_review_goal (
    review_id BLOB NOT NULL REFERENCES plan_review(id) ON DELETE CASCADE,
    goal_id BLOB NOT NULL REFERENCES plan_goal(id) ON DELETE CASCADE,
    comment TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (review_id, goal_id)
);
