-- External identities (OpenID Connect / OAuth 2.0 sign-in): who a provider's subject is
-- here. One account may link several providers, at most one identity of each.
CREATE TABLE identities (
    provider   TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT,
    linked_at  BIGINT NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE UNIQUE INDEX identities_by_user ON identities (user_id, provider);
