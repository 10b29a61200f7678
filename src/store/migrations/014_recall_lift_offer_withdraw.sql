-- 014: a recall lifted by a regulator (when, why, by whom: the recall itself stays in the log),
-- and an open offer withdrawn by its advertiser (why).
ALTER TABLE products ADD COLUMN recall_lifted_at TEXT;
ALTER TABLE products ADD COLUMN recall_lift_reason TEXT;
ALTER TABLE products ADD COLUMN recall_lifted_by TEXT;
ALTER TABLE offers ADD COLUMN withdraw_reason TEXT;
