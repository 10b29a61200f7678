-- 002: reports, cases, decisions with their sanctions, appeals.
-- Times are RFC 3339 UTC text; ids are opaque text; JSON columns hold arrays or objects.

CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    reporter_key TEXT,          -- the key that filed it; NULL for the public
    reporter_org TEXT,
    reporter_contact TEXT,      -- a public reporter's contact; shown to regulators only
    subject_person TEXT REFERENCES persons(id),
    subject_platform TEXT,
    subject_handle TEXT,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    case_id TEXT,
    received_at TEXT NOT NULL
) @CLUSTERED@;
CREATE INDEX reports_reporter ON reports(reporter_key);
CREATE INDEX reports_person ON reports(subject_person);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    authority TEXT NOT NULL,
    state TEXT NOT NULL,
    opened_by TEXT,
    own_initiative INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) @CLUSTERED@;
CREATE INDEX cases_person ON cases(person_id);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    case_id TEXT NOT NULL REFERENCES cases(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    amends TEXT REFERENCES decisions(id),
    authority TEXT NOT NULL,
    signer_name TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    issued_by TEXT,             -- the key that recorded it
    issued_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    body TEXT NOT NULL,         -- the whole decision as submitted (legal bases, facts, notice, ...)
    appeal_deadline TEXT NOT NULL,
    publish INTEGER NOT NULL DEFAULT 0,
    delist_at TEXT,
    created_at TEXT NOT NULL
) @CLUSTERED@;
CREATE INDEX decisions_person ON decisions(person_id);
CREATE INDEX decisions_case ON decisions(case_id);

CREATE TABLE sanctions (
    id TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL REFERENCES decisions(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    type TEXT NOT NULL,
    scopes INTEGER NOT NULL DEFAULT 0,
    platforms TEXT NOT NULL DEFAULT '[]',   -- empty: all platforms
    territory TEXT NOT NULL DEFAULT 'VN',
    amount_vnd INTEGER,
    description TEXT,
    start_at TEXT NOT NULL,
    end_at TEXT,
    suspend_pending_appeal INTEGER NOT NULL DEFAULT 0,
    lifted_at TEXT,
    lifted_by_decision TEXT,
    suspended_from TEXT,
    suspended_until TEXT,
    created_at TEXT NOT NULL
) @CLUSTERED@;
CREATE INDEX sanctions_person ON sanctions(person_id);
CREATE INDEX sanctions_decision ON sanctions(decision_id);

CREATE TABLE appeals (
    id TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL REFERENCES decisions(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    filed_by TEXT,
    grounds TEXT NOT NULL,
    state TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    reviewer TEXT,
    resolved_by TEXT,
    reasons TEXT,
    amending_decision TEXT REFERENCES decisions(id),
    resolved_at TEXT,
    updated_at TEXT NOT NULL
) @CLUSTERED@;
CREATE INDEX appeals_decision ON appeals(decision_id);
