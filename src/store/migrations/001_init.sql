-- 001: the registry. Times are RFC 3339 UTC text; ids are opaque text.
-- Written in the subset of SQL that SQLite and PostgreSQL share. Two
-- placeholders are spelled per backend by the migration runner:
--   @SEQ@            SQLite: INTEGER PRIMARY KEY; PostgreSQL: BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
--   @CLUSTERED@      SQLite: WITHOUT ROWID (the table is its primary-key B-tree); PostgreSQL: nothing
--   @BYTES@          SQLite: BLOB; PostgreSQL: BYTEA
CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    platform TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    legal_name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    kind TEXT NOT NULL,
    birth_year INTEGER,
    gender TEXT,
    province TEXT,
    nid_hash TEXT UNIQUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) @CLUSTERED@;

-- One row per distinct token of a person's name and aliases: word-order free search.
CREATE TABLE person_tokens (
    token TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    PRIMARY KEY (token, person_id)
) @CLUSTERED@;
CREATE INDEX person_tokens_person ON person_tokens(person_id);

CREATE TABLE accounts (
    platform TEXT NOT NULL,
    handle TEXT NOT NULL,
    display_handle TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    platform_user_id TEXT,
    url TEXT,
    followers INTEGER,
    verified_by TEXT REFERENCES orgs(id),
    verified_at TEXT,
    claimed_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, handle)
) @CLUSTERED@;
CREATE INDEX accounts_person ON accounts(person_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    org_id TEXT REFERENCES orgs(id),
    person_id TEXT REFERENCES persons(id),
    label TEXT,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

CREATE TABLE audit (
    seq @SEQ@,
    at TEXT NOT NULL,
    key_id TEXT,
    request_id TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL
);

CREATE TABLE changes (
    seq @SEQ@,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE TABLE idempotency (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, idem_key)
) @CLUSTERED@;
