-- 015: a published decision withdrawn from publication before its delist_at, by a regulator,
-- with the legal basis and the reason (logged as decision.delisted; the sanctions stand).
ALTER TABLE decisions ADD COLUMN delisted_by TEXT;
ALTER TABLE decisions ADD COLUMN delist_reason TEXT;
ALTER TABLE decisions ADD COLUMN delist_legal_basis TEXT;
