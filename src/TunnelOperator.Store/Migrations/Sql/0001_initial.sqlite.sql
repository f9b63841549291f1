-- Users, API tokens (hashes only) and named tunnels. Ids are EF Core's TEXT form of a GUID,
-- timestamps are UTC as 'yyyy-MM-dd HH:mm:ss.FFFFFFF' text, which sorts chronologically.
CREATE TABLE users (
    id         TEXT NOT NULL CONSTRAINT pk_users PRIMARY KEY,
    email      TEXT NOT NULL,
    slug       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_users_email ON users (email);
CREATE UNIQUE INDEX ux_users_slug ON users (slug);

CREATE TABLE api_tokens (
    id           TEXT NOT NULL CONSTRAINT pk_api_tokens PRIMARY KEY,
    user_id      TEXT NOT NULL CONSTRAINT fk_api_tokens_users REFERENCES users (id) ON DELETE CASCADE,
    token_hash   BLOB NOT NULL,
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NULL
);
CREATE UNIQUE INDEX ux_api_tokens_token_hash ON api_tokens (token_hash);
CREATE INDEX ix_api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE tunnels (
    id         TEXT NOT NULL CONSTRAINT pk_tunnels PRIMARY KEY,
    user_id    TEXT NOT NULL CONSTRAINT fk_tunnels_users REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    subdomain  TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_tunnels_subdomain ON tunnels (subdomain);
CREATE UNIQUE INDEX ux_tunnels_user_id_name ON tunnels (user_id, name);
