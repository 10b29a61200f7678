-- Browser push (Web Push, RFC 8030/8291/8292) as a channel of the trusted network. A browser's
-- push subscription is a webhook row of its own kind: url is the push service's endpoint, secret
-- the browser's auth secret and push_p256dh its public key (both base64url); deliveries go through
-- the same outbox, encrypted for that browser. person_id: an influencer's subscription, so that a
-- member who is a person is reached on their own browsers.
ALTER TABLE webhooks ADD COLUMN push_p256dh TEXT;
ALTER TABLE webhooks ADD COLUMN person_id TEXT;
CREATE INDEX webhooks_push_org ON webhooks(org_id) WHERE push_p256dh IS NOT NULL;
CREATE INDEX webhooks_push_person ON webhooks(person_id) WHERE push_p256dh IS NOT NULL;
