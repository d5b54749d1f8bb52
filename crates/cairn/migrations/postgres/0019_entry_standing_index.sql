-- Whether an entry holds a written reflection, kept beside the texts so that the rules can
-- see it without reading them (Social Work England's "reflection = true").
ALTER TABLE entry ADD COLUMN reflected BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE entry SET reflected = (TRIM(COALESCE(reflection, '')) <> ''
    OR TRIM(COALESCE(reflection_so_what, '')) <> '' OR TRIM(COALESCE(reflection_now_what, '')) <> '')
    WHERE TRIM(COALESCE(reflection, '')) <> '' OR TRIM(COALESCE(reflection_so_what, '')) <> ''
    OR TRIM(COALESCE(reflection_now_what, '')) <> '';
-- Everything the requirement rules read of an entry, in person order: the whole register's
-- standing is one index-only walk of this index.
CREATE INDEX entry_standing ON entry (person_id, date)
    INCLUDE (kind, hours, topics, elements, peer_reflection, endorsed, reflected) WHERE deleted_at IS NULL;
