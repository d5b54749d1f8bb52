-- A colleague's record of peer supervision counts for an attendee only once they confirm
-- they were there: until then it adds nothing to their record or to when they were last
-- supervised. Kept in step with ../sqlite/0015_peer_confirmation.sql.
ALTER TABLE supervision_attendee ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT TRUE;
-- whether the session is to become a learning entry once they confirm
ALTER TABLE supervision_attendee ADD COLUMN entry_on_confirm BOOLEAN NOT NULL DEFAULT FALSE;
