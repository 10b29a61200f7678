-- 004: the transparency log (docs/LOG.md). The public side is log_entries (what the tiles
-- serve); the private side, log_records, keeps each entry's salt and canonical record so that
-- `niemtin log verify` can recompute every commitment, and loses both when a record is redacted.
CREATE TABLE log_entries (
    idx INTEGER PRIMARY KEY,        -- the leaf index, from 0
    type TEXT NOT NULL,             -- decision.issued, sanction.lifted, ...
    record_id TEXT NOT NULL,        -- opaque: the row's id (accounts get a random one)
    at TEXT NOT NULL,
    entry @BYTES@ NOT NULL          -- the entry bytes (docs/LOG.md)
);
CREATE INDEX log_entries_record ON log_entries(record_id);

CREATE TABLE log_records (
    idx INTEGER PRIMARY KEY,
    record_table TEXT NOT NULL,     -- decisions, sanctions, appeals, accounts, redactions; log: the record has no other row
    record_key TEXT NOT NULL,       -- the row's key in that table
    salt @BYTES@,                   -- 32 random bytes; NULL once redacted
    record TEXT                     -- RFC 8785 JSON; NULL once redacted
);
CREATE INDEX log_records_key ON log_records(record_table, record_key);

CREATE TABLE log_checkpoints (
    size INTEGER PRIMARY KEY,
    note TEXT NOT NULL,             -- the signed checkpoint
    signed_at TEXT NOT NULL
);

CREATE TABLE redactions (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    record_table TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    reason TEXT,
    redacted_by TEXT,
    at TEXT NOT NULL
) @CLUSTERED@;
CREATE INDEX redactions_record ON redactions(record_id);
