-- A notice's reach is counted per group when it is published, and a member's row is written only
-- when the member acknowledges it: a million members cost a few group rows, not a million rows.
-- (Before, a row per member reached was written at publication: 17.7 s for a million.)

-- How many members a notice reached, per province, topic and channel, counted at publication.
CREATE TABLE notice_reach (
    notice_id TEXT NOT NULL REFERENCES notices(id),
    province TEXT NOT NULL,
    topic TEXT NOT NULL,
    channel TEXT NOT NULL,
    members INTEGER NOT NULL,
    PRIMARY KEY (notice_id, province, topic, channel)
) @CLUSTERED@;
INSERT INTO notice_reach (notice_id, province, topic, channel, members)
    SELECT notice_id, province, topic, channel, count(*) FROM notice_deliveries GROUP BY 1, 2, 3, 4;

-- A member's acknowledgements of a notice (received, read, shared), in the group it was counted
-- in. A member who leaves is forgotten here (member_id NULL); the counts stay.
CREATE TABLE notice_acks (
    id TEXT PRIMARY KEY,
    notice_id TEXT NOT NULL REFERENCES notices(id),
    member_id TEXT,
    province TEXT NOT NULL,
    topic TEXT NOT NULL,
    channel TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    received_at TEXT,
    read_at TEXT,
    shared_at TEXT,
    shared_link TEXT
);
INSERT INTO notice_acks (id, notice_id, member_id, province, topic, channel, queued_at, received_at, read_at, shared_at,
                         shared_link)
    SELECT 'nak_' || lower(hex(randomblob(8))), notice_id, member_id, province, topic, channel, queued_at, received_at,
           read_at, shared_at, shared_link FROM notice_deliveries WHERE received_at IS NOT NULL;
CREATE UNIQUE INDEX notice_acks_notice ON notice_acks(notice_id, member_id) WHERE member_id IS NOT NULL;
CREATE INDEX notice_acks_member ON notice_acks(member_id) WHERE member_id IS NOT NULL;
DROP TABLE notice_deliveries;

-- A payload many deliveries share (a notice's, to every member by webhook): written once, each
-- delivery's payload being the shared body with the delivery's own id put first. Such a delivery
-- keeps '' in its payload column and names the body in payload_ref.
CREATE TABLE webhook_payloads (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL
);
ALTER TABLE webhook_deliveries ADD COLUMN payload_ref TEXT REFERENCES webhook_payloads(id);
