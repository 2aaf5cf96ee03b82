-- Rated contests and their rating history (`engine/src/rating`), and virtual
-- participations in past contests.
ALTER TABLE contests ADD COLUMN rated BIGINT NOT NULL DEFAULT 0 CHECK (rated IN (0, 1));
-- Contests whose ratings the jury finalised.
CREATE TABLE rating_finals (
    contest_id BIGINT PRIMARY KEY REFERENCES contests (id)
);
-- Each player's result in a finalised rated contest; `round` orders the history.
CREATE TABLE rating_changes (
    contest_id  BIGINT NOT NULL REFERENCES contests (id),
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    round       BIGINT NOT NULL,
    place       BIGINT NOT NULL,
    performance DOUBLE PRECISION NOT NULL,
    mu          DOUBLE PRECISION NOT NULL,
    sigma       DOUBLE PRECISION NOT NULL,
    rating      BIGINT NOT NULL,
    previous    BIGINT,
    PRIMARY KEY (contest_id, user_id)
);
CREATE INDEX rating_changes_user ON rating_changes (user_id, round);
CREATE TABLE virtual_participations (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    started_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, contest_id)
);
