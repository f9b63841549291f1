-- Tenants and their invites (secrets as SHA-256 only), the hostnames and ports tenants hold,
-- the agent processes seen per tenant, and the edges agents are told about.
CREATE TABLE tenants (
    id                uuid NOT NULL CONSTRAINT pk_tenants PRIMARY KEY,
    name              text NOT NULL,
    allowed_hostnames text NOT NULL,
    allowed_ports     text NOT NULL,
    created_at        timestamp with time zone NOT NULL
);
CREATE UNIQUE INDEX ux_tenants_name ON tenants (name);

CREATE TABLE invites (
    id          uuid NOT NULL CONSTRAINT pk_invites PRIMARY KEY,
    tenant_id   uuid NOT NULL CONSTRAINT fk_invites_tenants REFERENCES tenants (id) ON DELETE CASCADE,
    secret_hash bytea NOT NULL,
    expires_at  timestamp with time zone NULL,
    created_at  timestamp with time zone NOT NULL
);
CREATE INDEX ix_invites_tenant_id ON invites (tenant_id);

-- kind is 'hostname', 'tcp' or 'udp'; key is the hostname or the port in decimal.
CREATE TABLE tenant_entries (
    id         uuid NOT NULL CONSTRAINT pk_tenant_entries PRIMARY KEY,
    tenant_id  uuid NOT NULL CONSTRAINT fk_tenant_entries_tenants REFERENCES tenants (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    key        text NOT NULL,
    service    text NOT NULL,
    source     text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE UNIQUE INDEX ux_tenant_entries_kind_key ON tenant_entries (kind, key);
CREATE INDEX ix_tenant_entries_tenant_id ON tenant_entries (tenant_id);

CREATE TABLE tenant_agents (
    id            uuid NOT NULL CONSTRAINT pk_tenant_agents PRIMARY KEY,
    tenant_id     uuid NOT NULL CONSTRAINT fk_tenant_agents_tenants REFERENCES tenants (id) ON DELETE CASCADE,
    config_hash   text NOT NULL,
    revoked_at    timestamp with time zone NULL,
    first_seen_at timestamp with time zone NOT NULL,
    last_seen_at  timestamp with time zone NOT NULL
);
CREATE INDEX ix_tenant_agents_tenant_id ON tenant_agents (tenant_id);

CREATE TABLE edges (
    url          text NOT NULL CONSTRAINT pk_edges PRIMARY KEY,
    last_seen_at timestamp with time zone NOT NULL
);
