-- Whether an entry holds a written reflection, kept beside the texts so that the rules can
-- see it without reading them (Social Work England's "reflection = true").
ALTER TABLE entry ADD COLUMN reflected INTEGER NOT NULL DEFAULT 0;
UPDATE entry SET reflected = (TRIM(COALESCE(reflection, '')) <> ''
    OR TRIM(COALESCE(reflection_so_what, '')) <> '' OR TRIM(COALESCE(reflection_now_what, '')) <> '');
-- Everything the requirement rules read of an entry, in person order: the whole register's
-- standing is one walk of this index, with no table rows read (deleted_at is a column, not
-- a partial-index condition, because SQLite covers a query only with columns it holds).
CREATE INDEX entry_standing ON entry (person_id, deleted_at, date, kind, hours, topics, elements, peer_reflection, endorsed, reflected);
