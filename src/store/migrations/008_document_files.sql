-- 008: a product document's file, stored under the data directory as documents/<sha256>.
ALTER TABLE product_documents ADD COLUMN file_size INTEGER;
ALTER TABLE product_documents ADD COLUMN file_type TEXT;
