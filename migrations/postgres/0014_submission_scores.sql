-- Each judged submission's score in a column of its own (as its verdict since 0010), so a
-- user's tally per problem is one grouped query instead of reading every judgement.
ALTER TABLE submissions ADD COLUMN score DOUBLE PRECISION;
UPDATE submissions SET score = (judgement::json ->> 'score')::double precision
    WHERE judgement IS NOT NULL;
