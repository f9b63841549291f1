-- Users, API tokens (hashes only) and named tunnels.
CREATE TABLE users (
    id         uuid NOT NULL CONSTRAINT pk_users PRIMARY KEY,
    email      text NOT NULL,
    slug       text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE UNIQUE INDEX ux_users_email ON users (email);
CREATE UNIQUE INDEX ux_users_slug ON users (slug);

CREATE TABLE api_tokens (
    id           uuid NOT NULL CONSTRAINT pk_api_tokens PRIMARY KEY,
    user_id      uuid NOT NULL CONSTRAINT fk_api_tokens_users REFERENCES users (id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL,
    name         text NOT NULL,
    created_at   timestamp with time zone NOT NULL,
    last_used_at timestamp with time zone NULL
);
CREATE UNIQUE INDEX ux_api_tokens_token_hash ON api_tokens (token_hash);
CREATE INDEX ix_api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE tunnels (
    id         uuid NOT NULL CONSTRAINT pk_tunnels PRIMARY KEY,
    user_id    uuid NOT NULL CONSTRAINT fk_tunnels_users REFERENCES users (id) ON DELETE CASCADE,
    name       text NOT NULL,
    subdomain  text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE UNIQUE INDEX ux_tunnels_subdomain ON tunnels (subdomain);
CREATE UNIQUE INDEX ux_tunnels_user_id_name ON tunnels (user_id, name);
