/* Webhooks: platforms and advertisers subscribe to events and receive them as
 * signed HTTP POSTs from a persistent outbox.
 *
 * An event is written to the outbox (one delivery per subscription) in the same
 * transaction as the write it reports, so an event is never lost and never
 * invented. A deliverer (nt_svc_webhooks_tick, run by the server) posts due
 * deliveries with an HMAC-SHA256 signature, retries failures with exponential
 * backoff and, after the last attempt, leaves them dead-lettered where the
 * subscriber can see them. Time-driven events (a sanction starting or ending)
 * are found by scanning the sanctions whose start or end passed since the last
 * scan. */
#ifndef NT_SERVICE_WEBHOOKS_H
#define NT_SERVICE_WEBHOOKS_H
#include "service/commit.h"
#include "service/service.h"

/** decision.published, sanction.activated, sanction.lifted, sanction.expired, appeal.filed, appeal.resolved,
 * offer.sent, offer.accepted, offer.declined (to the offer's parties only),
 * ad.suspended, ad.reinstated */
extern const char *const nt_webhook_events[];

/** The server's Web Push key (its public point, base64url): a browser's applicationServerKey. */
#define NT_PUSH_KEY_LEN 100
void nt_svc_push_key(const nt_svc *svc, char out[NT_PUSH_KEY_LEN]);
/** A browser's push subscription ({endpoint, keys: {p256dh, auth}}, as PushSubscription.toJSON()
 * gives it) for the caller: notices it follows in the trusted network reach that browser, encrypted
 * for it (RFC 8291). The same endpoint again renews its keys (created false). It is a webhook row of
 * its own kind: listed, read and stopped as the caller's webhooks are. */
int nt_svc_push_subscribe(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, bool *created, nt_err *err);
int nt_svc_webhook_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
int nt_svc_webhook_list(nt_svc *svc, const nt_actor *who, json_t **out, nt_err *err);
int nt_svc_webhook_delete(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, nt_err *err);
int nt_svc_webhook_deliveries(nt_svc *svc, const nt_actor *who, const char *id, int limit, json_t **out, nt_err *err);

/** Adds to the write one outbox delivery of `event` to subscription webhook_id (data is borrowed);
 * the delivery's id into id_out when asked. */
void nt_webhook_enqueue_to(nt_tx *tx, const char *webhook_id, const char *event, const json_t *data, const char *at,
                           char id_out[NT_ID_LEN]);
/** Adds to the write an outbox delivery of `event` to every subscription that wants it (data is borrowed). */
void nt_webhook_enqueue(nt_svc *svc, nt_tx *tx, const char *event, const json_t *data, const char *at);

/** One round: time-driven events since the last scan, then every due delivery. Returns deliveries attempted. */
int nt_svc_webhooks_tick(nt_svc *svc);
#endif
