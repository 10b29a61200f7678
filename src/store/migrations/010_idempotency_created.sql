-- 010: the idempotency record says whether the write created its resource, in the store's own
-- terms; `status` is the status of the answer kept with it (0 until the answer is kept).
ALTER TABLE idempotency ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
UPDATE idempotency SET created = 1 WHERE status = 201;
