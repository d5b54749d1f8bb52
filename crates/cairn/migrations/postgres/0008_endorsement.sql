-- Requests to endorse learning entries: a practitioner asks their supervisor or a named
-- colleague; the endorser endorses (the entries are marked) or returns them with a comment.
-- Kept in step with ../sqlite/0008_endorsement.sql.
CREATE TABLE endorsement_request (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    endorser_id UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    message TEXT NOT NULL,
    -- requested, endorsed or returned
    status TEXT NOT NULL,
    comment TEXT NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    decided_at TIMESTAMPTZ
);
CREATE INDEX endorsement_request_endorser ON endorsement_request (endorser_id, status);
CREATE INDEX endorsement_request_person ON endorsement_request (person_id, requested_at);

CREATE TABLE endorsement_item (
    request_id UUID NOT NULL REFERENCES endorsement_request(id) ON DELETE CASCADE,
    entry_id UUID NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
    PRIMARY KEY (request_id, entry_id)
);
CREATE INDEX endorsement_item_entry ON endorsement_item (entry_id);
