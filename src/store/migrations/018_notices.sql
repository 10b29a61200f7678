-- 018: verified notices and the trusted network (docs/NOTICES.md).

-- A notice as it stands now; every version's content is kept in notice_versions.
CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,                 -- correction | scam_alert | product_recall | public_information
    state TEXT NOT NULL,                -- published | withdrawn
    issuer_org TEXT NOT NULL REFERENCES orgs(id),
    issuer_key TEXT NOT NULL,
    content TEXT NOT NULL,              -- the notice's content (JSON) of this version
    content_sha256 TEXT NOT NULL,       -- what the log commits to: the content stays out of the log
    severity TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    published_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    withdrawn_at TEXT,
    withdraw_reason TEXT
);
CREATE INDEX notices_published ON notices(published_at);

-- A notice's topics and provinces, one row each ("<notice>:topic:<id>"), for feeds and fan-out;
-- rewritten with each version.
CREATE TABLE notice_tags (
    id TEXT PRIMARY KEY,
    notice_id TEXT NOT NULL REFERENCES notices(id),
    tag TEXT NOT NULL,                  -- topic | province
    value TEXT NOT NULL,
    active INTEGER NOT NULL             -- 0 once a later version dropped it
);
CREATE INDEX notice_tags_value ON notice_tags(tag, value, notice_id);

CREATE TABLE notice_versions (
    id TEXT PRIMARY KEY,                -- <notice id>.v<version>
    notice_id TEXT NOT NULL REFERENCES notices(id),
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    changes TEXT,                       -- what changed from the version before (JSON)
    key_id TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX notice_versions_version ON notice_versions(notice_id, version);

-- Members of the trusted network: who opted in, to what; deleted when they leave.
CREATE TABLE network_members (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                 -- person | org
    person_id TEXT,
    org_id TEXT,
    topics TEXT NOT NULL,
    provinces TEXT NOT NULL,
    channels TEXT NOT NULL,
    webhook_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX network_members_person ON network_members(person_id) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX network_members_org ON network_members(org_id) WHERE org_id IS NOT NULL;

-- One row per notice and member reached: what reach is counted from. A member who leaves is
-- forgotten here (member_id NULL); the counts stay.
CREATE TABLE notice_deliveries (
    id INTEGER PRIMARY KEY,             -- the rowid: rows appended in bulk keep no index of their own
    notice_id TEXT NOT NULL REFERENCES notices(id),
    member_id TEXT,
    province TEXT NOT NULL,
    topic TEXT NOT NULL,
    channel TEXT NOT NULL,
    webhook_delivery TEXT,
    queued_at TEXT NOT NULL,
    received_at TEXT,
    read_at TEXT,
    shared_at TEXT,
    shared_link TEXT
);
-- A notice's rows are written together, in the members' table order, so that a fan-out to a
-- million members appends rather than scatters.
CREATE INDEX notice_deliveries_notice ON notice_deliveries(notice_id, member_id);
CREATE INDEX notice_deliveries_member ON notice_deliveries(member_id) WHERE member_id IS NOT NULL;

-- Names written out in a notice are looked up by their search key.
CREATE INDEX persons_search_key ON persons(search_key);
