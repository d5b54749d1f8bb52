-- Each person's standing against each policy in force for them, kept: rewritten in the
-- transaction of every write that changes it, and by a daily pass as the date moves on.
-- One row per line: a regulator's policy (org_id NULL), an employer's own policy (org_id
-- that employer), or, when no regulator's policy applies, the `none` line (policy_id '')
-- with the reason.
CREATE TABLE standing (
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    org_id UUID REFERENCES organisation(id) ON DELETE CASCADE,
    policy_id TEXT NOT NULL,
    status TEXT NOT NULL,
    deadline DATE,
    next TEXT,
    reason TEXT,
    -- the day it was judged for
    as_of DATE NOT NULL,
    computed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX standing_person ON standing (person_id);

-- Each pass over the whole register: the day it judged for, when it finished, and how many
-- kept lines it found different from its own (drift: a write that did not update them).
CREATE TABLE standing_pass (
    id UUID PRIMARY KEY,
    as_of DATE NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    people BIGINT NOT NULL,
    lines BIGINT NOT NULL,
    drifted BIGINT NOT NULL
);
CREATE INDEX standing_pass_as_of ON standing_pass (as_of);
