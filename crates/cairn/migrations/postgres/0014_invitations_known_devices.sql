-- An organisation changes only the people it employs: a feed row for anyone else becomes an
-- invitation that the person accepts or declines. And browsers that have signed in before
-- are known, so a lock on an account never stops its owner. Kept in step with
-- ../sqlite/0014_invitations_known_devices.sql.
CREATE TABLE employment_invitation (
    id UUID PRIMARY KEY,
    org_id UUID NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    -- the feed row as the organisation sent it (employment, roles, registrations, supervisor)
    offer TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    -- 'waiting', 'accepted' or 'declined'
    status TEXT NOT NULL,
    decided_at TIMESTAMPTZ,
    UNIQUE (org_id, person_id)
);
CREATE INDEX employment_invitation_person ON employment_invitation (person_id, status);

-- A browser that signed in as this email before (the token is kept only hashed).
CREATE TABLE known_device (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX known_device_email ON known_device (email);
