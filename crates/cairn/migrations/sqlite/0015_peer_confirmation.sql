-- A colleague's record of peer supervision counts for an attendee only once they confirm
-- they were there: until then it adds nothing to their record or to when they were last
-- supervised. Kept in step with ../postgres/0015_peer_confirmation.sql.
ALTER TABLE supervision_attendee ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1;
-- whether the session is to become a learning entry once they confirm
ALTER TABLE supervision_attendee ADD COLUMN entry_on_confirm INTEGER NOT NULL DEFAULT 0;
