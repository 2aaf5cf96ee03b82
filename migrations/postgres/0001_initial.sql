-- CodeHub's schema, PostgreSQL dialect. Keep in step with ../sqlite/0001_initial.sql:
-- same tables, columns, constraints and indexes; only the dialect differs.
-- Types: BIGINT (ids, times in ms since the epoch, booleans 0/1), TEXT (JSON too), DOUBLE PRECISION.

CREATE TABLE users (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('spectator', 'contestant', 'jury', 'admin')),
    created_at    BIGINT  NOT NULL
);

CREATE TABLE refresh_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT  NOT NULL
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE problems (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    package_hash     TEXT    NOT NULL,
    time_limit_ms    BIGINT  NOT NULL,
    memory_limit_kib BIGINT  NOT NULL,
    code_limit_bytes BIGINT  NOT NULL,
    statement        TEXT    NOT NULL,
    samples          TEXT    NOT NULL, -- JSON [[input, answer], ...]
    practice         BIGINT  NOT NULL CHECK (practice IN (0, 1)),
    created_at       BIGINT  NOT NULL
);

CREATE TABLE contests (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('icpc', 'ioi')),
    start_at        BIGINT  NOT NULL,
    end_at          BIGINT  NOT NULL,
    freeze_at       BIGINT,
    unfreeze_at     BIGINT,
    unfrozen        BIGINT  NOT NULL CHECK (unfrozen IN (0, 1)),
    penalty_minutes BIGINT  NOT NULL,
    problems        TEXT    NOT NULL -- JSON [{"problem_id": 1, "label": "A"}, ...]
);
CREATE INDEX contests_start ON contests (start_at, id);

CREATE TABLE participants (
    contest_id BIGINT  NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (contest_id, user_id)
);

CREATE TABLE submissions (
    id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES users (id),
    contest_id   BIGINT  REFERENCES contests (id),
    problem_id   BIGINT  NOT NULL REFERENCES problems (id),
    language     TEXT    NOT NULL,
    files        TEXT    NOT NULL, -- JSON [{"name": ..., "contents": ...}, ...]
    submitted_at BIGINT  NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('queued', 'judging', 'done')),
    judgement    TEXT              -- JSON Judgement, set when status = 'done'
);
CREATE INDEX submissions_user ON submissions (user_id, id);
CREATE INDEX submissions_contest ON submissions (contest_id, id);
CREATE INDEX submissions_status ON submissions (status, id);

CREATE TABLE events (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id BIGINT  REFERENCES contests (id),
    kind       TEXT    NOT NULL,
    payload    TEXT    NOT NULL, -- JSON
    at         BIGINT  NOT NULL
);
CREATE INDEX events_contest ON events (contest_id, id);
