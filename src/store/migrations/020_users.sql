-- 020: people who sign in to the web pages, and their sessions (docs/ACCOUNTS.md). API keys stay
-- for machines; a user has the same roles as a key and belongs to an organisation, or (kol) to
-- their person. Nothing here is ever logged: logins and sessions are personal data.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,         -- lower case, as typed at sign-in
    name TEXT NOT NULL,                 -- shown on the pages
    role TEXT NOT NULL,
    org_id TEXT REFERENCES orgs(id),
    person_id TEXT,
    pwhash TEXT NOT NULL,               -- argon2id (libsodium crypto_pwhash_str)
    password_at TEXT NOT NULL,
    totp_secret TEXT,                   -- base32, once the second factor is set up
    totp_pending TEXT,                  -- offered at sign-in, until its first code is right
    totp_at TEXT,
    totp_step INTEGER NOT NULL DEFAULT 0, -- the last time step used: a code is good once
    failed INTEGER NOT NULL DEFAULT 0,  -- failed sign-ins in a row
    failed_at TEXT,
    locked_until TEXT,
    disabled_at TEXT,
    disabled_reason TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

-- A session is named by the SHA-256 of the secret in its cookie, never the secret itself.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    stage TEXT NOT NULL,                -- code (a second factor to give) | enrol (one to set up) | full
    client TEXT,                        -- the address it began from
    created_at TEXT NOT NULL,
    seen_at TEXT NOT NULL,              -- written at most every minute
    ended_at TEXT,
    end_reason TEXT                     -- logout | logout_everywhere | disabled | reset
);
CREATE INDEX sessions_user ON sessions(user_id) WHERE ended_at IS NULL;
