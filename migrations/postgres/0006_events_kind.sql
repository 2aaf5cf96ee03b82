-- The contest log read by kind (the Contest API feed's records, balloon marks, award
-- edits) without scanning the other kinds.
CREATE INDEX events_contest_kind ON events (contest_id, kind, id);
