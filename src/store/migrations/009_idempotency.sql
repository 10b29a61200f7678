-- 009: one idempotency record per write, holding the answer to replay.
-- Written in the write's own transaction: the status and resource the service recorded (NULL when
-- it recorded none), the log entries the write appended, and the audited entity. Once the answer
-- has been sent, its exact bytes and the headers that matter are kept too, so that a retry is
-- answered byte for byte.
CREATE TABLE idempotency_v2 (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT,
    entity_id TEXT,
    log_first INTEGER,
    log_count INTEGER NOT NULL DEFAULT 0,
    answer_headers TEXT,
    answer @BYTES@,
    created_at TEXT NOT NULL,
    answered_at TEXT,
    PRIMARY KEY (scope, idem_key)
) @CLUSTERED@;
INSERT INTO idempotency_v2 (scope, idem_key, request_hash, status, response, created_at)
    SELECT scope, idem_key, request_hash, status, response, created_at FROM idempotency;
DROP TABLE idempotency;
ALTER TABLE idempotency_v2 RENAME TO idempotency;
