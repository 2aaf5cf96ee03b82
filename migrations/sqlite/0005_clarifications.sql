-- Clarifications: teams' questions (from_user_id set), the jury's answers (reply_to_id)
-- and announcements. to_user_ids: JSON array of the teams a jury message goes to; NULL:
-- every team (a question: the jury).
CREATE TABLE clarifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id  INTEGER NOT NULL REFERENCES contests(id),
    from_user_id INTEGER REFERENCES users(id),
    to_user_ids TEXT,
    reply_to_id INTEGER REFERENCES clarifications(id),
    problem_id  INTEGER REFERENCES problems(id),
    text        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    answered    INTEGER NOT NULL DEFAULT 0,
    claimed_by  INTEGER REFERENCES users(id)
);
CREATE INDEX clarifications_by_contest ON clarifications (contest_id, id);
