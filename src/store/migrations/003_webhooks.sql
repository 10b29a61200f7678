-- 003: webhook subscriptions and their persistent outbox.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL,       -- the subscriber's API key: it sees and manages only its own
    org_id TEXT,
    url TEXT NOT NULL,
    events TEXT NOT NULL,       -- JSON array of event names
    secret TEXT NOT NULL,       -- the HMAC-SHA256 key shared with the subscriber
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
) @CLUSTERED@;
CREATE INDEX webhooks_key ON webhooks(key_id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL REFERENCES webhooks(id),
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,        -- pending | delivered | dead
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT
) @CLUSTERED@;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, created_at);

-- How far the time-driven events (a sanction starting or ending) have been scanned.
CREATE TABLE webhook_clock (
    id TEXT PRIMARY KEY,
    scanned_at TEXT NOT NULL
) @CLUSTERED@;
