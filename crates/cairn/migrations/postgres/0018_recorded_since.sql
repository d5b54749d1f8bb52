-- The day cairn began to hold each person's learning: when they were added, or the earliest
-- entry of an imported history, whichever is earlier. An ended period that began before it is
-- "not recorded", never judged (see ../shared/design/POLICIES.md). For people already here the
-- two cannot be told apart, so the earliest entry counts.
ALTER TABLE person ADD COLUMN recorded_since DATE;
UPDATE person SET recorded_since = LEAST(
    (created_at AT TIME ZONE 'UTC')::date,
    (SELECT MIN(e.date) FROM entry e WHERE e.person_id = person.id AND e.deleted_at IS NULL)
);
