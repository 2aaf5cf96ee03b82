-- The practice archive: a problem's topic tags (JSON list of strings), its author's
-- difficulty (1-10) and source; and each judged submission's verdict in a column of its
-- own, for solve statistics without reading every judgement.
ALTER TABLE problems ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE problems ADD COLUMN difficulty INTEGER CHECK (difficulty BETWEEN 1 AND 10);
ALTER TABLE problems ADD COLUMN source TEXT;
ALTER TABLE submissions ADD COLUMN verdict TEXT;
UPDATE submissions SET verdict = json_extract(judgement, '$.verdict') WHERE judgement IS NOT NULL;
CREATE INDEX submissions_problem ON submissions (problem_id, user_id);
