-- Clarifications: teams' questions (from_user_id set), the jury's answers (reply_to_id)
-- and announcements. to_user_ids: JSON array of the teams a jury message goes to; NULL:
-- every team (a question: the jury).
CREATE TABLE clarifications (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id  BIGINT NOT NULL REFERENCES contests(id),
    from_user_id BIGINT REFERENCES users(id),
    to_user_ids TEXT,
    reply_to_id BIGINT REFERENCES clarifications(id),
    problem_id  BIGINT REFERENCES problems(id),
    text        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    answered    BIGINT NOT NULL DEFAULT 0,
    claimed_by  BIGINT REFERENCES users(id)
);
CREATE INDEX clarifications_by_contest ON clarifications (contest_id, id);
