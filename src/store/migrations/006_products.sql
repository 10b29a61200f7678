-- 006: products and their documents (docs/ADVERTISING.md).
CREATE TABLE products (
    id TEXT PRIMARY KEY,
    advertiser_id TEXT NOT NULL REFERENCES advertisers(id),
    name TEXT NOT NULL,
    category TEXT NOT NULL,          -- an id in data/ad-categories.json
    recalled_at TEXT,                -- set by a regulator's recall
    recall_reason TEXT,
    recall_source TEXT,
    recalled_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) @CLUSTERED@;
CREATE INDEX products_advertiser ON products(advertiser_id);

CREATE TABLE product_documents (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products(id),
    type TEXT NOT NULL,              -- a key of document_types in data/ad-categories.json
    number TEXT NOT NULL,
    issuer TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT,                -- NULL: no end
    sha256 TEXT NOT NULL,            -- of the document's file, hex
    created_at TEXT NOT NULL
) @CLUSTERED@;
CREATE INDEX product_documents_product ON product_documents(product_id);
