-- 017: the Digital Trust alliance and the Influencer Trust certificate (docs/TRUST.md).

-- Members of the alliance: an organisation (by its keys) or a person (by their kol key).
CREATE TABLE members (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                 -- org | person
    org_id TEXT REFERENCES orgs(id),
    person_id TEXT REFERENCES persons(id),
    name TEXT NOT NULL,
    category TEXT NOT NULL,             -- platform, press, broadcaster, advertiser, agency, kol, koc, ...
    province TEXT,
    topics TEXT NOT NULL DEFAULT '[]',
    statement TEXT,
    state TEXT NOT NULL,                -- applied | admitted | refused | left | removed
    applied_by TEXT,
    applied_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_reason TEXT,
    standards_version INTEGER,          -- the version last accepted
    standards_accepted_at TEXT,
    ended_at TEXT,
    end_reason TEXT,
    updated_at TEXT NOT NULL
);
-- One open membership (applied or admitted) per organisation and per person.
CREATE UNIQUE INDEX members_org ON members(org_id) WHERE org_id IS NOT NULL AND state IN ('applied', 'admitted');
CREATE UNIQUE INDEX members_person ON members(person_id) WHERE person_id IS NOT NULL AND state IN ('applied', 'admitted');

-- Quiz attempts: the questions drawn (with the order their options were shown in) stay here; only
-- the score leaves the server.
CREATE TABLE quiz_attempts (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    questions TEXT NOT NULL,
    started_at TEXT NOT NULL,
    submitted_at TEXT,
    correct INTEGER,
    total INTEGER NOT NULL,
    percent INTEGER,
    passed INTEGER
);
CREATE INDEX quiz_attempts_person ON quiz_attempts(person_id, started_at);

-- Audience figures a platform attests for an account on it.
CREATE TABLE audience_attestations (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    platform TEXT NOT NULL,
    handle TEXT NOT NULL,
    followers INTEGER NOT NULL,
    suspicious_percent INTEGER NOT NULL,
    period TEXT NOT NULL,
    attested_by TEXT NOT NULL,
    org_id TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX audience_attestations_person ON audience_attestations(person_id, created_at);

-- Applications for the certificate: requirements and automatic scores as found when applying,
-- then the review.
CREATE TABLE trust_applications (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    state TEXT NOT NULL,                -- awaiting_review | certified | refused
    requirements TEXT NOT NULL,
    scores TEXT NOT NULL,
    scoring_version INTEGER NOT NULL,
    reviewer_key TEXT,
    reviewer_org TEXT,
    review TEXT,
    total INTEGER,
    certificate_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX trust_applications_open ON trust_applications(person_id) WHERE state = 'awaiting_review';

-- Certificates. The status lists are computed from status: a change of status and of its bit are
-- one write.
CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    application_id TEXT NOT NULL REFERENCES trust_applications(id),
    status_index INTEGER NOT NULL UNIQUE,
    status TEXT NOT NULL,               -- active | suspended | revoked | superseded | expired
    status_reason TEXT,
    status_at TEXT,
    status_decision TEXT,               -- the decision that suspended or revoked it
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    scoring_version INTEGER NOT NULL,
    score INTEGER NOT NULL,
    credential TEXT NOT NULL,
    credential_sha256 TEXT NOT NULL,
    supersedes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX certificates_person ON certificates(person_id, created_at);
CREATE UNIQUE INDEX certificates_supersedes ON certificates(supersedes);
-- The status lists read only the certificates whose bit is set.
CREATE INDEX certificates_flagged ON certificates(status) WHERE status IN ('suspended', 'revoked', 'superseded');
