-- 007: advertising offers and the ads they register (docs/ADVERTISING.md).
CREATE TABLE offers (
    id TEXT PRIMARY KEY,
    advertiser_id TEXT NOT NULL REFERENCES advertisers(id),
    person_id TEXT NOT NULL REFERENCES persons(id),     -- the influencer
    product_id TEXT NOT NULL REFERENCES products(id),
    claims TEXT NOT NULL,                               -- what the ad will say
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    platforms TEXT NOT NULL DEFAULT '[]',
    fee_vnd INTEGER NOT NULL,
    relationship TEXT,                                  -- an ownership or commission link, if any
    state TEXT NOT NULL,                                -- sent | accepted | declined
    confirmations TEXT NOT NULL DEFAULT '{}',           -- {name: {value, at}} given by the influencer
    decline_reason TEXT,
    ad_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) @CLUSTERED@;
CREATE INDEX offers_person ON offers(person_id);
CREATE INDEX offers_advertiser ON offers(advertiser_id);

CREATE TABLE ads (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,                          -- QC-YYYY-NNNNNNC
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    offer_id TEXT NOT NULL REFERENCES offers(id),
    advertiser_id TEXT NOT NULL REFERENCES advertisers(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    product_id TEXT NOT NULL REFERENCES products(id),
    platforms TEXT NOT NULL DEFAULT '[]',
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    label TEXT NOT NULL,                                -- #QuảngCáo QC-…
    state TEXT NOT NULL,                                -- registered | suspended | withdrawn
    state_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (year, seq)
) @CLUSTERED@;
