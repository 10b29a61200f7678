-- 013: why an organisation was suspended or reinstated, by whom and when (an admin's act: its
-- keys stop at once while it is suspended).
ALTER TABLE orgs ADD COLUMN status_reason TEXT;
ALTER TABLE orgs ADD COLUMN status_by TEXT;
ALTER TABLE orgs ADD COLUMN status_at TEXT;
