-- Each judged submission's score in a column of its own (as its verdict since 0010), so a
-- user's tally per problem is one grouped query instead of reading every judgement.
ALTER TABLE submissions ADD COLUMN score REAL;
UPDATE submissions SET score = json_extract(judgement, '$.score') WHERE judgement IS NOT NULL;
