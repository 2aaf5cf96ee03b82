-- Whether the contest's participants may run code on samples or typed input during it
-- (POST /api/runs); 0: not during the contest (the default).
ALTER TABLE contests ADD COLUMN allow_runs INTEGER NOT NULL DEFAULT 0 CHECK (allow_runs IN (0, 1));
