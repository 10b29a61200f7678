-- 016: a product's document renewed: the new one names the document it supersedes (rows stay as
-- written; a document is superseded when another names it).
ALTER TABLE product_documents ADD COLUMN supersedes TEXT;
CREATE UNIQUE INDEX product_documents_supersedes ON product_documents(supersedes); -- renewed once
