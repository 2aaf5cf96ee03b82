-- Fencing tokens of contest owners (cluster mode): every node that takes a contest's
-- lease takes the next token; a judgement is stored only with the latest one.
CREATE TABLE contest_fences (
    contest_id BIGINT NOT NULL PRIMARY KEY REFERENCES contests (id),
    fence      BIGINT NOT NULL
);
