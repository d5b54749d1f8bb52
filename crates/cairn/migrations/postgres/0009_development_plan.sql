-- Personal development plans: goals that belong to the person (so the plan moves with them
-- between employers), learning entries linked as evidence, and reviews with the
-- supervisor's comments on each goal. Kept in step with ../sqlite/0009_development_plan.sql.
CREATE TABLE plan_goal (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    why TEXT NOT NULL,
    how TEXT NOT NULL,
    by_when DATE NOT NULL,
    -- framework elements as |id|id|
    elements TEXT NOT NULL,
    -- not-started, in-progress, achieved or dropped
    status TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_goal_person ON plan_goal (person_id, by_when);

CREATE TABLE plan_goal_entry (
    goal_id UUID NOT NULL REFERENCES plan_goal(id) ON DELETE CASCADE,
    entry_id UUID NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
    PRIMARY KEY (goal_id, entry_id)
);

CREATE TABLE plan_review (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    reviewer_id UUID REFERENCES person(id) ON DELETE SET NULL,
    reviewed_on DATE NOT NULL,
    comments TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_review_person ON plan_review (person_id, reviewed_on);

CREATE TABLE plan_review_goal (
    review_id UUID NOT NULL REFERENCES plan_review(id) ON DELETE CASCADE,
    goal_id UUID NOT NULL REFERENCES plan_goal(id) ON DELETE CASCADE,
    comment TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (review_id, goal_id)
);
