-- Editorials and hints of problems (Markdown with LaTeX; hints a JSON list), and what
-- each user revealed of them (hints one at a time; the editorial before solving).
CREATE TABLE problem_editorials (
    problem_id INTEGER PRIMARY KEY REFERENCES problems (id),
    editorial  TEXT NOT NULL,
    hints      TEXT NOT NULL
);
CREATE TABLE editorial_reveals (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    problem_id INTEGER NOT NULL REFERENCES problems (id),
    hints      INTEGER NOT NULL,
    editorial  INTEGER NOT NULL CHECK (editorial IN (0, 1)),
    PRIMARY KEY (user_id, problem_id)
);
