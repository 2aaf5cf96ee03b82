-- CodeHub's schema, SQLite dialect. Keep in step with ../postgres/0001_initial.sql:
-- same tables, columns, constraints and indexes; only the dialect differs.
-- Types: INTEGER (ids, times in ms since the epoch, booleans 0/1), TEXT (JSON too), REAL.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('spectator', 'contestant', 'jury', 'admin')),
    created_at    INTEGER NOT NULL
);

CREATE TABLE refresh_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE problems (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    slug             TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    package_hash     TEXT    NOT NULL,
    time_limit_ms    INTEGER NOT NULL,
    memory_limit_kib INTEGER NOT NULL,
    code_limit_bytes INTEGER NOT NULL,
    statement        TEXT    NOT NULL,
    samples          TEXT    NOT NULL, -- JSON [[input, answer], ...]
    practice         INTEGER NOT NULL CHECK (practice IN (0, 1)),
    created_at       INTEGER NOT NULL
);

CREATE TABLE contests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    slug            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('icpc', 'ioi')),
    start_at        INTEGER NOT NULL,
    end_at          INTEGER NOT NULL,
    freeze_at       INTEGER,
    unfreeze_at     INTEGER,
    unfrozen        INTEGER NOT NULL CHECK (unfrozen IN (0, 1)),
    penalty_minutes INTEGER NOT NULL,
    problems        TEXT    NOT NULL -- JSON [{"problem_id": 1, "label": "A"}, ...]
);
CREATE INDEX contests_start ON contests (start_at, id);

CREATE TABLE participants (
    contest_id INTEGER NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (contest_id, user_id)
);

CREATE TABLE submissions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    contest_id   INTEGER REFERENCES contests (id),
    problem_id   INTEGER NOT NULL REFERENCES problems (id),
    language     TEXT    NOT NULL,
    files        TEXT    NOT NULL, -- JSON [{"name": ..., "contents": ...}, ...]
    submitted_at INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('queued', 'judging', 'done')),
    judgement    TEXT              -- JSON Judgement, set when status = 'done'
);
CREATE INDEX submissions_user ON submissions (user_id, id);
CREATE INDEX submissions_contest ON submissions (contest_id, id);
CREATE INDEX submissions_status ON submissions (status, id);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id INTEGER REFERENCES contests (id),
    kind       TEXT    NOT NULL,
    payload    TEXT    NOT NULL, -- JSON
    at         INTEGER NOT NULL
);
CREATE INDEX events_contest ON events (contest_id, id);
