/* Webhooks; see webhooks.h. */
#include "core/alloc.h"
#include "service/webhooks.h"
#include "core/webpush.h"
#include "service/query.h"
#include "service/commit.h"
#include "core/schema.h"
#include "core/util.h"
#include "core/net.h"
#include <curl/curl.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

const char *const nt_webhook_events[] = {"decision.published",
                                         "decision.delisted",
                                         "sanction.activated",
                                         "sanction.lifted",
                                         "sanction.expired",
                                         "appeal.filed",
                                         "appeal.resolved",
                                         "ad.suspended",
                                         "ad.reinstated",
                                         "offer.sent",
                                         "offer.accepted",
                                         "offer.declined",
                                         "offer.withdrawn",
                                         "certificate.issued",
                                         "certificate.suspended",
                                         "certificate.reinstated",
                                         "certificate.revoked",
                                         "certificate.expired",
                                         "member.admitted",
                                         "member.left",
                                         "member.removed",
                                         "notice.published",
                                         NULL};

/* Who hears an event beyond regulators and, for a kol, its own person's (the query's filter):
 * an offer's only its parties — the advertiser's organisation and the influencer — and an
 * appeal's filing only regulators and the person concerned. */
static bool hears(const json_t *sub, const char *event, const json_t *data)
{
    const char *role = nt_json_str(sub, "role");
    if (role == NULL)
        return false; /* a subscriber no longer known hears nothing */
    if (strcmp(role, "regulator") == 0 || strcmp(role, "kol") == 0)
        return true; /* a kol's subscription is already limited to its own person */
    if (strncmp(event, "offer.", 6) == 0) {
        const char *org = nt_json_str(data, "advertiser_org");
        const char *mine = nt_json_str(sub, "org_id");
        return strcmp(role, "advertiser") == 0 && org != NULL && mine != NULL && strcmp(org, mine) == 0;
    }
    if (strcmp(event, "appeal.filed") == 0)
        return false;
    return true;
}

static bool known_event(const char *e)
{
    for (const char *const *p = nt_webhook_events; e != NULL && *p; p++)
        if (strcmp(*p, e) == 0)
            return true;
    return false;
}

void nt_webhook_enqueue_to(nt_tx *tx, const char *webhook_id, const char *event, const json_t *data, const char *at,
                           char id_out[NT_ID_LEN])
{
    char id[NT_ID_LEN];
    nt_id_new("wd_", id, sizeof(id));
    json_t *payload = json_pack("{s:s, s:s, s:s, s:O}", "id", id, "event", event, "occurred_at", at, "data", data);
    nt_row *row = nt_tx_insert(tx, NT_T_webhook_deliveries, id, NULL, NULL, 0);
    nt_row_str(row, COL(webhook_deliveries, webhook_id), webhook_id);
    nt_row_str(row, COL(webhook_deliveries, event), event);
    nt_row_set(row, COL(webhook_deliveries, payload), payload);
    nt_row_str(row, COL(webhook_deliveries, state), "pending");
    nt_row_int(row, COL(webhook_deliveries, attempts), 0);
    nt_row_str(row, COL(webhook_deliveries, next_attempt_at), at);
    nt_row_str(row, COL(webhook_deliveries, created_at), at);
    if (id_out != NULL)
        nt_strlcpy(id_out, id, NT_ID_LEN);
}

void nt_webhook_enqueue(nt_svc *svc, nt_tx *tx, const char *event, const json_t *data, const char *at)
{
    char needle[64];
    snprintf(needle, sizeof(needle), "\"%s\"", event);
    const char *person = json_string_value(json_object_get(data, "person_id"));
    json_t *params = json_pack("[s, s]", needle, person ? person : ""), *subs = NULL;
    svc->store->ops->query(svc->store, NT_Q_webhooks_for_event, params, &subs);
    json_decref(params);
    size_t i;
    json_t *s;
    json_t *shown = json_deep_copy(data);
    json_object_del(shown, "advertiser_org"); /* who may hear it, not what it says */
    json_array_foreach(subs, i, s)
    {
        if (!hears(s, event, data))
            continue;
        nt_webhook_enqueue_to(tx, nt_json_str(s, "id"), event, shown, at, NULL);
    }
    json_decref(shown);
    json_decref(subs);
}

/* ---- where a delivery may go ---- */

enum { RECEIVER_OK, RECEIVER_INTERNAL, RECEIVER_UNRESOLVED };

/* Whether a receiver may be sent to, and the address to send to: its literal, or the first
 * address its name resolves to — refused if any of them is internal (loopback too, unless the
 * operator allows it for local receivers). */
static int receiver_address(nt_svc *svc, const nt_url *u, char *addr, size_t cap)
{
    int kind = nt_host_literal_kind(u->host);
    if (kind >= 0) {
        if (kind == NT_ADDR_INTERNAL || (kind == NT_ADDR_LOOPBACK && !svc->webhook_loopback))
            return RECEIVER_INTERNAL;
        nt_strlcpy(addr, strcmp(u->host, "localhost") == 0 || strstr(u->host, ".localhost") ? "127.0.0.1" : u->host, cap);
        return RECEIVER_OK;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(u->host, NULL, &hints, &res) != 0 || res == NULL)
        return RECEIVER_UNRESOLVED;
    int rc = RECEIVER_OK;
    addr[0] = '\0';
    for (struct addrinfo *a = res; a != NULL && rc == RECEIVER_OK; a = a->ai_next) {
        nt_addr_kind k = nt_addr_classify(a->ai_addr);
        if (k == NT_ADDR_INTERNAL || (k == NT_ADDR_LOOPBACK && !svc->webhook_loopback))
            rc = RECEIVER_INTERNAL;
        else if (addr[0] == '\0')
            getnameinfo(a->ai_addr, a->ai_addrlen, addr, (socklen_t)cap, NULL, 0, NI_NUMERICHOST);
    }
    freeaddrinfo(res);
    return rc;
}

/* ---- subscriptions ---- */

static const nt_field webhook_spec[] = {
    {"url", NT_FT_STR, NT_F_REQUIRED, 8, 1000, 0},
    {"events", NT_FT_STR_ARRAY, NT_F_REQUIRED, 0, 10, 40},
};

int nt_svc_webhook_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, webhook_spec, sizeof(webhook_spec) / sizeof(webhook_spec[0]), "", err) != 0)
        return NT_EINVAL;
    const char *url = nt_json_str(in, "url");
    nt_url u;
    char addr[INET6_ADDRSTRLEN];
    if (!nt_url_parse(url, &u))
        nt_err_field(err, "url", "invalid", 0);
    else if (receiver_address(svc, &u, addr, sizeof(addr)) == RECEIVER_INTERNAL)
        nt_err_field(err, "url", "internal_address", 0); /* a name that does not resolve yet is checked at delivery */
    json_t *events = json_object_get(in, "events");
    if (json_array_size(events) == 0)
        nt_err_field(err, "events", "required", 0);
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
    {
        if (!known_event(json_string_value(e))) {
            char f[32];
            snprintf(f, sizeof(f), "events[%zu]", i);
            nt_err_field(err, f, "invalid", 0);
        }
    }
    if (err->nfields > 0)
        return NT_EINVAL;
    char id[NT_ID_LEN], secret[65];
    nt_id_new("wh_", id, sizeof(id));
    nt_random_hex(secret, 32);
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_webhooks, id, "webhook", "webhook.create", 0);
    nt_row_str(row, COL(webhooks, key_id), who->key_id);
    nt_row_str(row, COL(webhooks, org_id), who->org_id[0] ? who->org_id : NULL);
    nt_row_str(row, COL(webhooks, url), url);
    nt_row_set(row, COL(webhooks, events), json_incref(events));
    nt_row_str(row, COL(webhooks, secret), secret);
    nt_row_int(row, COL(webhooks, active), 1);
    nt_row_str(row, COL(webhooks, created_at), w->at);
    json_t *res = json_pack("{s:s, s:s, s:O, s:b, s:s}", "id", id, "url", url, "events", events, "active", 1, "created_at", w->at);
    /* The replay shows the subscription; the secret only in this response. */
    nt_tx_answer(&tx, res, true);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc != 0) {
        json_decref(res);
        return rc;
    }
    json_object_set_new(res, "secret", json_string(secret));
    sodium_memzero(secret, sizeof(secret));
    *out = res;
    return 0;
}

/* ---- browser push subscriptions ---- */

static const nt_field push_spec[] = {{"endpoint", NT_FT_STR, NT_F_REQUIRED, 8, 1000, 0},
                                     {"keys", NT_FT_OBJ, NT_F_REQUIRED, 0, 0, 0},
                                     {"expirationTime", NT_FT_INT, NT_F_NULLABLE, 0, INT64_MAX, 0}};
static const nt_field push_keys_spec[] = {{"p256dh", NT_FT_STR, NT_F_REQUIRED, 80, 100, 0},
                                          {"auth", NT_FT_STR, NT_F_REQUIRED, 16, 40, 0}};

void nt_svc_push_key(const nt_svc *svc, char out[NT_PUSH_KEY_LEN])
{
    nt_b64url_encode(svc->vapid_pk, sizeof(svc->vapid_pk), out, NT_PUSH_KEY_LEN);
}

int nt_svc_push_subscribe(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, bool *created, nt_err *err)
{
    if (nt_schema_check(in, push_spec, sizeof(push_spec) / sizeof(push_spec[0]), "", err) != 0 ||
        nt_schema_check(json_object_get(in, "keys"), push_keys_spec, sizeof(push_keys_spec) / sizeof(push_keys_spec[0]), "keys.",
                        err) != 0)
        return NT_EINVAL;
    const char *endpoint = nt_json_str(in, "endpoint");
    const json_t *keys = json_object_get(in, "keys");
    uint8_t pk[NT_P256_PUBLIC], auth[NT_PUSH_AUTH];
    nt_url u;
    char addr[INET6_ADDRSTRLEN];
    if (!nt_url_parse(endpoint, &u))
        nt_err_field(err, "endpoint", "invalid", 0);
    else if (receiver_address(svc, &u, addr, sizeof(addr)) == RECEIVER_INTERNAL)
        nt_err_field(err, "endpoint", "internal_address", 0);
    if (nt_b64url_decode(nt_json_str(keys, "p256dh"), pk, sizeof(pk)) != NT_P256_PUBLIC || !nt_p256_valid(pk))
        nt_err_field(err, "keys.p256dh", "invalid", 0); /* a browser's key is a point of P-256 */
    if (nt_b64url_decode(nt_json_str(keys, "auth"), auth, sizeof(auth)) != NT_PUSH_AUTH)
        nt_err_field(err, "keys.auth", "invalid", 0);
    if (err->nfields > 0)
        return NT_EINVAL;
    /* The same browser subscribing again (a renewed subscription): its keys replaced, one row. */
    json_t *old = nt__svc_q1(svc, NT_Q_push_by_endpoint, json_pack("[s]", endpoint));
    bool mine = old != NULL && (nt_streq(nt_json_str(old, "key_id"), who->key_id) ||
                                (who->role != NT_ROLE_KOL && who->org_id[0] && nt_streq(nt_json_str(old, "org_id"), who->org_id)) ||
                                (who->role == NT_ROLE_KOL && nt_streq(nt_json_str(old, "person_id"), who->person_id)));
    char id[NT_ID_LEN];
    nt_tx tx = {0};
    nt_row *row;
    if (mine) {
        nt_strlcpy(id, nt_json_str(old, "id"), sizeof(id));
        row = nt_tx_update(&tx, NT_T_webhooks, id, NT_COL_NONE, NULL, "webhook", "push.renew", 0);
    } else {
        nt_id_new("wh_", id, sizeof(id));
        row = nt_tx_insert(&tx, NT_T_webhooks, id, "webhook", "push.subscribe", 0);
        nt_row_str(row, COL(webhooks, key_id), who->key_id);
        nt_row_str(row, COL(webhooks, org_id), who->role != NT_ROLE_KOL && who->org_id[0] ? who->org_id : NULL);
        nt_row_str(row, COL(webhooks, person_id), who->role == NT_ROLE_KOL ? who->person_id : NULL);
        nt_row_str(row, COL(webhooks, url), endpoint);
        nt_row_set(row, COL(webhooks, events), json_pack("[s]", "notice.published"));
        nt_row_str(row, COL(webhooks, created_at), w->at);
        tx.created = true;
    }
    nt_row_str(row, COL(webhooks, secret), nt_json_str(keys, "auth"));
    nt_row_str(row, COL(webhooks, push_p256dh), nt_json_str(keys, "p256dh"));
    nt_row_int(row, COL(webhooks, active), 1);
    json_decref(old);
    int rc = old != NULL && !mine ? nt_err_set(err, NT_ECONFLICT, "this browser is subscribed by someone else",
                                               "trình duyệt này đã được người khác đăng ký")
                                  : nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc != 0)
        return rc;
    *created = !mine;
    *out = json_pack("{s:s, s:s, s:[s], s:b, s:s}", "id", id, "endpoint", endpoint, "events", "notice.published", "push", 1,
                     "created_at", w->at);
    return 0;
}

int nt_svc_webhook_list(nt_svc *svc, const nt_actor *who, json_t **out, nt_err *err)
{
    /* An organisation's subscriptions are its own whichever key or user made them; a kol's are its key's. */
    json_t *params = json_pack("[s, s?, s?]", who->key_id, who->role != NT_ROLE_KOL && who->org_id[0] ? who->org_id : NULL,
                               who->role == NT_ROLE_KOL ? who->person_id : NULL),
           *rows = NULL;
    int rc = svc->store->ops->query(svc->store, NT_Q_webhooks_by_key, params, &rows);
    json_decref(params);
    if (rc != 0)
        return nt_err_set(err, NT_EIO, "cannot read webhooks", "không đọc được webhook");
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        json_object_set_new(r, "active", json_boolean(json_integer_value(json_object_get(r, "active"))));
        json_object_set_new(r, "push", json_boolean(json_integer_value(json_object_get(r, "push"))));
    }
    *out = json_pack("{s:o}", "items", rows);
    return 0;
}

/* The subscription, if it is the caller's. */
static json_t *own(nt_svc *svc, const nt_actor *who, const char *id, nt_err *err)
{
    json_t *params = json_pack("[s]", id), *rows = NULL;
    svc->store->ops->query(svc->store, NT_Q_webhook_get, params, &rows);
    json_decref(params);
    json_t *w = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    bool mine = w != NULL && (nt_streq(nt_json_str(w, "key_id"), who->key_id) ||
                              (who->role != NT_ROLE_KOL && who->org_id[0] && nt_streq(nt_json_str(w, "org_id"), who->org_id)) ||
                              (who->role == NT_ROLE_KOL && nt_streq(nt_json_str(w, "person_id"), who->person_id)));
    if (!mine) {
        json_decref(w);
        nt_err_set(err, NT_ENOTFOUND, "no webhook %s", "không có webhook %s", id);
        return NULL;
    }
    return w;
}

int nt_svc_webhook_delete(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, nt_err *err)
{
    json_t *hook = own(svc, who, id, err);
    if (hook == NULL)
        return NT_ENOTFOUND;
    json_decref(hook);
    nt_tx tx = {0};
    nt_row_int(nt_tx_update(&tx, NT_T_webhooks, id, NT_COL_NONE, NULL, "webhook", "webhook.delete", 0), COL(webhooks, active), 0);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    return rc;
}

int nt_svc_webhook_deliveries(nt_svc *svc, const nt_actor *who, const char *id, int limit, json_t **out, nt_err *err)
{
    json_t *hook = own(svc, who, id, err);
    if (hook == NULL)
        return NT_ENOTFOUND;
    json_decref(hook);
    json_t *params = json_pack("[s, i]", id, limit), *rows = NULL;
    int rc = svc->store->ops->query(svc->store, NT_Q_webhook_deliveries, params, &rows);
    json_decref(params);
    if (rc != 0)
        return nt_err_set(err, NT_EIO, "cannot read deliveries", "không đọc được lượt gửi");
    *out = json_pack("{s:o}", "items", rows);
    return 0;
}

/* ---- the deliverer ---- */

/* Time-driven events: sanctions that started or ended since the last scan. */
static void scan_clock(nt_svc *svc, const char *now)
{
    json_t *rows = NULL;
    svc->store->ops->query(svc->store, NT_Q_webhook_clock_get, NULL, &rows);
    const char *last = nt_json_str(json_array_get(rows, 0), "scanned_at");
    nt_tx rs = {0};
    nt_wctx w = {.key_id = "system:webhooks", .at = now};
    nt_err err;
    nt_err_clear(&err);
    if (last == NULL) { /* first run: start from now */
        nt_row_str(nt_tx_insert(&rs, NT_T_webhook_clock, "sanctions", NULL, NULL, 0), COL(webhook_clock, scanned_at), now);
    } else {
        static const struct {
            nt_query query;
            const char *event;
        } kinds[] = {{NT_Q_sanctions_starting, "sanction.activated"}, {NT_Q_sanctions_ending, "sanction.expired"}};
        for (size_t k = 0; k < 2; k++) {
            json_t *params = json_pack("[s, s]", last, now), *hits = NULL;
            svc->store->ops->query(svc->store, kinds[k].query, params, &hits);
            json_decref(params);
            size_t i;
            json_t *h;
            json_array_foreach(hits, i, h)
            {
                json_t *p2 = json_pack("[s]", nt_json_str(h, "id")), *srows = NULL;
                svc->store->ops->query(svc->store, NT_Q_sanction_get, p2, &srows);
                json_decref(p2);
                json_t *s = json_array_get(srows, 0);
                if (s != NULL) {
                    json_t *data = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "sanction_id", json_object_get(s, "id"),
                                             "decision_id", json_object_get(s, "decision_id"), "person_id",
                                             json_object_get(s, "person_id"), "type", json_object_get(s, "type"), "start_at",
                                             json_object_get(s, "start_at"), "end_at", json_object_get(s, "end_at"));
                    nt_webhook_enqueue(svc, &rs, kinds[k].event, data, now);
                    json_decref(data);
                }
                json_decref(srows);
            }
            json_decref(hits);
        }
        /* Nothing happened: leave the clock where it is rather than commit (and fsync) a write five
         * times a second; the next scan covers the longer window. Move it on at least every minute. */
        int64_t last_us = 0, now_us = 0;
        nt_time_parse(last, &last_us);
        nt_time_parse(now, &now_us);
        if (rs.n == 0 && now_us - last_us < 60 * 1000000LL) {
            json_decref(rows);
            return;
        }
        /* Guarded: if another process advanced the clock meanwhile, it wrote these events. */
        nt_row_str(nt_tx_update(&rs, NT_T_webhook_clock, "sanctions", COL(webhook_clock, scanned_at), last, NULL, NULL, 0),
                   COL(webhook_clock, scanned_at), now);
    }
    nt_svc_commit(svc, &w, &rs, &err);
    nt_tx_free(&rs);
    json_decref(rows);
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    (void)ptr;
    (void)userdata;
    return size * nmemb;
}

/* POSTs body (len bytes) with headers (freed here) to url, its host pinned to addr, the address
 * just checked (a name rebound meanwhile to an internal address is still refused; a literal needs no
 * resolving); the HTTP status, or -1 with error set. */
static long send_to(CURL *curl, const nt_url *u, const char *addr, const char *url, struct curl_slist *headers, const void *body,
                    long len, char *error, size_t cap)
{
    curl_easy_reset(curl); /* options anew; the connections kept alive stay */
    char pin[600], errbuf[CURL_ERROR_SIZE] = "";
    snprintf(pin, sizeof(pin), "%s:%d:%s%s%s", u->host, u->port, strchr(addr, ':') ? "[" : "", addr, strchr(addr, ':') ? "]" : "");
    struct curl_slist *resolve = nt_host_literal_kind(u->host) < 0 ? curl_slist_append(NULL, pin) : NULL;
    curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, len);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(curl);
    long status = -1;
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    else
        snprintf(error, cap, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    return status;
}

/* POSTs one delivery to the address the receiver's name resolves to now, if that address is one
 * we may send to (resolved here and pinned, so a name rebound to an internal address between the
 * check and the connection is still refused); the HTTP status, or -1 with error set. */
static long post(nt_svc *svc, CURL *curl, const char *url, const char *secret, const char *delivery, const char *event,
                 const char *body, char *error, size_t cap)
{
    nt_url u;
    char addr[INET6_ADDRSTRLEN];
    int where = nt_url_parse(url, &u) ? receiver_address(svc, &u, addr, sizeof(addr)) : RECEIVER_INTERNAL;
    if (where != RECEIVER_OK) {
        snprintf(error, cap, where == RECEIVER_INTERNAL ? "refused: %s is an internal address" : "%s does not resolve", u.host);
        return -1;
    }
    char ts[32], sig[80] = "sha256=", h_sig[128], h_ts[64], h_event[96], h_id[96];
    snprintf(ts, sizeof(ts), "%lld", (long long)(nt_now_us() / 1000000));
    /* HMAC-SHA256 over "<timestamp>.<body>" with the subscription's secret. */
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(sig + 7, sizeof(sig) - 7, mac, sizeof(mac));
    snprintf(h_sig, sizeof(h_sig), "X-Niemtin-Signature: %s", sig);
    snprintf(h_ts, sizeof(h_ts), "X-Niemtin-Timestamp: %s", ts);
    snprintf(h_event, sizeof(h_event), "X-Niemtin-Event: %s", event);
    snprintf(h_id, sizeof(h_id), "X-Niemtin-Delivery: %s", delivery);
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, h_sig);
    headers = curl_slist_append(headers, h_ts);
    headers = curl_slist_append(headers, h_event);
    headers = curl_slist_append(headers, h_id);
    return send_to(curl, &u, addr, url, headers, body, (long)strlen(body), error, cap);
}

/* A text cut to at most cap - 1 bytes on a UTF-8 boundary, "…" when cut (into out). */
static void cut(const char *s, char *out, size_t cap)
{
    size_t n = s ? strlen(s) : 0;
    if (n < cap) {
        memcpy(out, s ? s : "", n + 1);
        return;
    }
    n = cap - 4; /* room for "…" */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(out, s, n);
    memcpy(out + n, "…", 4);
}

/* What a browser shows of a notice: its title and summary (Vietnamese, English beside), where to
 * read it, and its id as the tag (a newer version replaces the shown one). */
static char *push_message(const nt_svc *svc, const json_t *payload)
{
    const json_t *d = json_object_get(payload, "data"), *t = json_object_get(d, "title"), *sm = json_object_get(d, "summary");
    char body[700], body_en[700], url[700];
    cut(nt_json_str(sm, "vi"), body, sizeof(body));
    cut(nt_json_str(sm, "en"), body_en, sizeof(body_en));
    snprintf(url, sizeof(url), "%s/notices/%s", svc->public_url, nt_json_str(d, "notice_id") ? nt_json_str(d, "notice_id") : "");
    json_t *m = json_pack("{s:s?, s:s, s:s, s:s?, s:s?, s:s?, s:{s:s?, s:s?}}", "title", nt_json_str(t, "vi"), "body", body, "url",
                          url, "tag", nt_json_str(d, "notice_id"), "kind", nt_json_str(d, "kind"), "severity",
                          nt_json_str(d, "severity"), "en", "title", nt_json_str(t, "en"), "body", body_en[0] ? body_en : NULL);
    char *text = json_dumps(m, JSON_COMPACT);
    json_decref(m);
    return text;
}

/* Sends one push message (RFC 8030) to a browser's push service: the message encrypted for that
 * browser (RFC 8291) and this server identified (VAPID, RFC 8292), with the same address checks as
 * a webhook; the HTTP status, or -1 with error set. */
static long post_push(nt_svc *svc, CURL *curl, const char *endpoint, const char *auth_b64, const char *p256dh_b64,
                      const json_t *payload, char *error, size_t cap)
{
    nt_url u;
    char addr[INET6_ADDRSTRLEN];
    int where = nt_url_parse(endpoint, &u) ? receiver_address(svc, &u, addr, sizeof(addr)) : RECEIVER_INTERNAL;
    if (where != RECEIVER_OK) {
        snprintf(error, cap, where == RECEIVER_INTERNAL ? "refused: %s is an internal address" : "%s does not resolve", u.host);
        return -1;
    }
    uint8_t pk[NT_P256_PUBLIC], auth[NT_PUSH_AUTH], sealed[NT_PUSH_HEADER + 1200];
    char *text = push_message(svc, payload);
    long n = text && nt_b64url_decode(p256dh_b64, pk, sizeof(pk)) == NT_P256_PUBLIC &&
                     nt_b64url_decode(auth_b64, auth, sizeof(auth)) == NT_PUSH_AUTH
                 ? nt_webpush_seal(pk, auth, (const uint8_t *)text, strlen(text), sealed, sizeof(sealed))
                 : -1;
    free(text);
    /* The audience is the push service's origin; the contact, this deployment's address when it is https. */
    char aud[400], port[16] = "", vapid[1200];
    if (u.port != (u.https ? 443 : 80))
        snprintf(port, sizeof(port), ":%d", u.port);
    bool v6 = strchr(u.host, ':') != NULL;
    snprintf(aud, sizeof(aud), "%s://%s%s%s%s", u.https ? "https" : "http", v6 ? "[" : "", u.host, v6 ? "]" : "", port);
    const char *sub = strncmp(svc->public_url, "https://", 8) == 0 ? svc->public_url : NULL;
    if (n < 0 ||
        nt_vapid_header(svc->vapid_sk, svc->vapid_pk, aud, nt_now_us() / 1000000 + 12 * 3600, sub, vapid, sizeof(vapid)) != 0) {
        snprintf(error, cap, "cannot encrypt for this subscription");
        return -1;
    }
    char h_auth[1300], h_urgency[40];
    snprintf(h_auth, sizeof(h_auth), "Authorization: %s", vapid);
    const char *sev = nt_json_str(json_object_get(payload, "data"), "severity");
    snprintf(h_urgency, sizeof(h_urgency), "Urgency: %s", nt_streq(sev, "extreme") || nt_streq(sev, "severe") ? "high" : "normal");
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
    headers = curl_slist_append(headers, "Content-Encoding: aes128gcm");
    headers = curl_slist_append(headers, "TTL: 86400");
    headers = curl_slist_append(headers, h_urgency);
    headers = curl_slist_append(headers, h_auth);
    return send_to(curl, &u, addr, endpoint, headers, sealed, n, error, cap);
}

/* The outcome of one delivery attempt, into the write that records a batch of them. */
static void record(nt_svc *svc, nt_tx *done, const char *id, int attempts, long status, char *error, size_t cap)
{
    char done_at[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), done_at);
    nt_row *set = nt_tx_update(done, NT_T_webhook_deliveries, id, NT_COL_NONE, NULL, NULL, NULL, 0);
    if (status >= 200 && status < 300) {
        nt_row_str(set, COL(webhook_deliveries, state), "delivered");
        nt_row_int(set, COL(webhook_deliveries, last_status), status);
        nt_row_str(set, COL(webhook_deliveries, delivered_at), done_at);
        nt_row_str(set, COL(webhook_deliveries, last_error), NULL);
        return;
    }
    bool dead = attempts + 1 >= svc->webhook_attempts;
    int64_t backoff = (int64_t)svc->webhook_backoff_ms * 1000 * (1LL << (attempts < 20 ? attempts : 20));
    char next[NT_TIME_LEN];
    nt_time_utc(nt_now_us() + backoff, next);
    if (status > 0)
        snprintf(error, cap, "HTTP %ld", status);
    nt_row_str(set, COL(webhook_deliveries, state), dead ? "dead" : "pending");
    nt_row_str(set, COL(webhook_deliveries, next_attempt_at), next);
    nt_row_str(set, COL(webhook_deliveries, last_error), error);
    nt_row_set(set, COL(webhook_deliveries, last_status), status > 0 ? json_integer(status) : json_null());
}

/* The claim of one delivery (another process may be delivering too): attempts moves on only once,
 * and the lease keeps others off it while it is sent. */
static void claim_row(nt_tx *claim, const json_t *d, const char *lease)
{
    char attempts_s[16];
    int attempts = (int)json_integer_value(json_object_get(d, "attempts"));
    snprintf(attempts_s, sizeof(attempts_s), "%d", attempts);
    nt_row *cr = nt_tx_update(claim, NT_T_webhook_deliveries, nt_json_str(d, "id"), COL(webhook_deliveries, attempts), attempts_s,
                              NULL, NULL, 0);
    nt_row_int(cr, COL(webhook_deliveries, attempts), attempts + 1);
    nt_row_str(cr, COL(webhook_deliveries, next_attempt_at), lease);
}

#define DELIVERY_BATCH     500
#define DELIVERY_BUDGET_US (10 * 1000000LL) /* well inside the 30-s lease */

/* One round: the time-driven events since the last scan, then up to DELIVERY_BATCH due deliveries,
 * claimed in one write, posted one after another over connections kept alive, and their outcomes
 * recorded in one write. A batch claimed together can clash with another process's claim: then
 * each is claimed on its own. Posting stops after DELIVERY_BUDGET_US (slow receivers): what was
 * claimed and not tried is handed back as it was, due at once. */
int nt_svc_webhooks_tick(nt_svc *svc)
{
    char now[NT_TIME_LEN], lease[NT_TIME_LEN];
    int64_t now_us = nt_now_us();
    nt_time_utc(now_us, now);
    nt_time_utc(now_us + 30 * 1000000LL, lease);
    scan_clock(svc, now);
    json_t *params = json_pack("[s, i]", now, DELIVERY_BATCH), *due = NULL;
    svc->store->ops->query(svc->store, NT_Q_deliveries_due, params, &due);
    json_decref(params);
    size_t n = json_array_size(due), i;
    json_t *d;
    if (n == 0) {
        json_decref(due);
        return 0;
    }
    nt_wctx w = {.key_id = "system:webhooks", .at = now};
    nt_err err;
    nt_err_clear(&err);
    bool *claimed = nt_xcalloc(n, sizeof(bool));
    nt_tx claim = {0};
    json_array_foreach(due, i, d) claim_row(&claim, d, lease);
    bool all = nt_svc_commit(svc, &w, &claim, &err) == 0;
    nt_tx_free(&claim);
    json_array_foreach(due, i, d)
    {
        if (all) {
            claimed[i] = true;
            continue;
        }
        nt_tx one = {0};
        claim_row(&one, d, lease);
        nt_err_clear(&err);
        claimed[i] = nt_svc_commit(svc, &w, &one, &err) == 0;
        nt_tx_free(&one);
    }
    CURL *curl = curl_easy_init();
    nt_tx done = {0};
    int attempted = 0;
    int64_t until = nt_mono_us() + DELIVERY_BUDGET_US;
    json_array_foreach(due, i, d)
    {
        if (!claimed[i])
            continue;
        if (nt_mono_us() > until) { /* not tried: back as it was */
            nt_row *back = nt_tx_update(&done, NT_T_webhook_deliveries, nt_json_str(d, "id"), NT_COL_NONE, NULL, NULL, NULL, 0);
            nt_row_int(back, COL(webhook_deliveries, attempts), json_integer_value(json_object_get(d, "attempts")));
            nt_row_str(back, COL(webhook_deliveries, next_attempt_at), now);
            continue;
        }
        attempted++;
        char error[256] = "";
        long status = -1;
        json_t *shown = json_deep_copy(json_object_get(d, "payload"));
        nt_json_show_times(shown); /* receivers read times in Asia/Ho_Chi_Minh, as API clients do */
        char *body = json_dumps(shown, JSON_COMPACT);
        json_decref(shown);
        bool push = nt_json_str(d, "push_p256dh") != NULL;
        if (curl == NULL)
            snprintf(error, sizeof(error), "cannot start an HTTP client");
        else if (push)
            status = post_push(svc, curl, nt_json_str(d, "url"), nt_json_str(d, "secret"), nt_json_str(d, "push_p256dh"),
                               json_object_get(d, "payload"), error, sizeof(error));
        else
            status = post(svc, curl, nt_json_str(d, "url"), nt_json_str(d, "secret"), nt_json_str(d, "id"), nt_json_str(d, "event"),
                          body ? body : "{}", error, sizeof(error));
        free(body);
        int attempts = (int)json_integer_value(json_object_get(d, "attempts"));
        if (push && (status == 404 || status == 410)) {
            /* The browser unsubscribed or the subscription expired (RFC 8030 §7.3): no retries, and
             * the subscription stops. */
            attempts = svc->webhook_attempts;
            nt_row_int(nt_tx_update(&done, NT_T_webhooks, nt_json_str(d, "webhook_id"), NT_COL_NONE, NULL, NULL, NULL, 0),
                       COL(webhooks, active), 0);
        }
        record(svc, &done, nt_json_str(d, "id"), attempts, status, error, sizeof(error));
    }
    if (curl != NULL)
        curl_easy_cleanup(curl);
    char done_at[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), done_at);
    w.at = done_at;
    nt_err_clear(&err);
    if (done.n > 0)
        nt_svc_commit(svc, &w, &done, &err);
    nt_tx_free(&done);
    free(claimed);
    json_decref(due);
    return attempted;
}
