-- 012: when a matter began, as the regulator states it (a case recorded after it was opened on
-- paper), apart from when its record was created; decisions are not dated before it.
ALTER TABLE cases ADD COLUMN opened_at TEXT;
UPDATE cases SET opened_at = created_at;
