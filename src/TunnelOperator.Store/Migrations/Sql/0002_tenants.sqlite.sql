-- Tenants and their invites (secrets as SHA-256 only), the hostnames and ports tenants hold,
-- the agent processes seen per tenant, and the edges agents are told about.
CREATE TABLE tenants (
    id                TEXT NOT NULL CONSTRAINT pk_tenants PRIMARY KEY,
    name              TEXT NOT NULL,
    allowed_hostnames TEXT NOT NULL,
    allowed_ports     TEXT NOT NULL,
    created_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_tenants_name ON tenants (name);

CREATE TABLE invites (
    id          TEXT NOT NULL CONSTRAINT pk_invites PRIMARY KEY,
    tenant_id   TEXT NOT NULL CONSTRAINT fk_invites_tenants REFERENCES tenants (id) ON DELETE CASCADE,
    secret_hash BLOB NOT NULL,
    expires_at  TEXT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ix_invites_tenant_id ON invites (tenant_id);

-- kind is 'hostname', 'tcp' or 'udp'; key is the hostname or the port in decimal.
CREATE TABLE tenant_entries (
    id         TEXT NOT NULL CONSTRAINT pk_tenant_entries PRIMARY KEY,
    tenant_id  TEXT NOT NULL CONSTRAINT fk_tenant_entries_tenants REFERENCES tenants (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    service    TEXT NOT NULL,
    source     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_tenant_entries_kind_key ON tenant_entries (kind, key);
CREATE INDEX ix_tenant_entries_tenant_id ON tenant_entries (tenant_id);

CREATE TABLE tenant_agents (
    id            TEXT NOT NULL CONSTRAINT pk_tenant_agents PRIMARY KEY,
    tenant_id     TEXT NOT NULL CONSTRAINT fk_tenant_agents_tenants REFERENCES tenants (id) ON DELETE CASCADE,
    config_hash   TEXT NOT NULL,
    revoked_at    TEXT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
CREATE INDEX ix_tenant_agents_tenant_id ON tenant_agents (tenant_id);

CREATE TABLE edges (
    url          TEXT NOT NULL CONSTRAINT pk_edges PRIMARY KEY,
    last_seen_at TEXT NOT NULL
);
