-- Submit-answer (output-only) problems: the answer files a submission consists of, one
-- per test case (JSON ["1.out", ...]); empty for problems that take programs.
ALTER TABLE problems ADD COLUMN answer_files TEXT NOT NULL DEFAULT '[]';
