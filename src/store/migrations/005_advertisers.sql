-- 005: advertisers, the businesses behind advertising offers (docs/ADVERTISING.md).
CREATE TABLE advertisers (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL UNIQUE REFERENCES orgs(id),   -- the advertiser organisation that registered it
    enterprise_code TEXT NOT NULL UNIQUE,              -- 10 digits, or 13 as NNNNNNNNNN-NNN for a branch
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',             -- active | suspended
    status_reason TEXT,
    status_legal_basis TEXT,
    status_by TEXT,
    status_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) @CLUSTERED@;
