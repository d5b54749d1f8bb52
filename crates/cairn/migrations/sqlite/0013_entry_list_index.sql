-- The record as a person opens it, newest first, from the index alone: its order is the
-- list's order (so a page stops after its fifty entries), and it carries what the totals
-- need (deleted_at, hours), so counting a record reads no table rows. Its first two columns
-- are the old index's, so reads by person and date range keep their index.
CREATE INDEX entry_person_list ON entry (person_id, date, created_at, id, deleted_at, hours);
DROP INDEX entry_person_date;
