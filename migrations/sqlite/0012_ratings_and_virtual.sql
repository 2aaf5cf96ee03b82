-- Rated contests and their rating history (`engine/src/rating`), and virtual
-- participations in past contests.
ALTER TABLE contests ADD COLUMN rated INTEGER NOT NULL DEFAULT 0 CHECK (rated IN (0, 1));
-- Contests whose ratings the jury finalised.
CREATE TABLE rating_finals (
    contest_id INTEGER PRIMARY KEY REFERENCES contests (id)
);
-- Each player's result in a finalised rated contest; `round` orders the history.
CREATE TABLE rating_changes (
    contest_id  INTEGER NOT NULL REFERENCES contests (id),
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    round       INTEGER NOT NULL,
    place       INTEGER NOT NULL,
    performance REAL NOT NULL,
    mu          REAL NOT NULL,
    sigma       REAL NOT NULL,
    rating      INTEGER NOT NULL,
    previous    INTEGER,
    PRIMARY KEY (contest_id, user_id)
);
CREATE INDEX rating_changes_user ON rating_changes (user_id, round);
CREATE TABLE virtual_participations (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contest_id INTEGER NOT NULL REFERENCES contests (id),
    started_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, contest_id)
);
