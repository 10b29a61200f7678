/* Verified notices and the trusted network (docs/NOTICES.md).
 *
 * A notice — a correction, a scam alert, a product recall or public information — comes from an
 * accountable issuer (a regulator, a platform, press or broadcaster, the alliance's secretariat;
 * an advertiser only for a recall of its own products) with its sources, is published at once,
 * logged (notice.published, .amended, .withdrawn: the log commits to a digest of the content),
 * amended as a new version whose answer shows what changed, and withdrawn with a reason; nothing
 * is edited silently. Publishing a recall runs the products' recall in the same write. A notice
 * names no private person: see nt_svc_notice_create.
 *
 * Members of the trusted network opt in to topics, provinces and channels; a notice reaches each
 * member whose topics and provinces it shares (one delivery row, and a signed webhook through
 * the outbox for the webhook channel); members acknowledge it (received, read, shared with a
 * link that is stored, never fetched); issuers see reach only in aggregate, groups under five
 * suppressed. A member who leaves is deleted; the counts stay. */
#ifndef NT_SERVICE_NOTICES_H
#define NT_SERVICE_NOTICES_H
#include "service/service.h"

/** The notice's content (core/notices.h) from the caller's organisation: 201 with the notice and
 * its receipts, or 400 per field (a private person named: names_private_person), 403 (an
 * advertiser's notice other than a recall of its own products; a recall by anyone but a
 * regulator or the products' advertiser). */
int nt_svc_notice_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
/** A new version by the issuing organisation (the same kind): the notice with "changes". */
int nt_svc_notice_amend(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err);
/** {reason}: withdrawn by the issuing organisation or a regulator. */
int nt_svc_notice_withdraw(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out,
                           nt_err *err);
int nt_svc_notice_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
int nt_svc_notice_versions(nt_svc *svc, const char *id, json_t **out, nt_err *err);

typedef struct nt_notice_query {
    const char *state, *kind, *topic, *province, *cursor;
    int limit;
} nt_notice_query;
int nt_svc_notice_list(nt_svc *svc, const nt_notice_query *q, json_t **out, nt_err *err);

/** A correction as ClaimReview JSON-LD (out), a scam alert or recall as CAP 1.2 XML (text). */
int nt_svc_notice_claimreview(nt_svc *svc, const char *id, json_t **out, nt_err *err);
int nt_svc_notice_cap(nt_svc *svc, const char *id, char **xml, size_t *len, nt_err *err);
/** The topics and provinces notices use. */
int nt_svc_notice_topics(json_t **out, nt_err *err);
int nt_svc_provinces(json_t **out, nt_err *err);

/** {topics, provinces, channels: ["webhook", "feed"], webhook_id?}: the caller (its person or its
 * organisation) joins the network (201), or changes what it receives (200). */
int nt_svc_network_join(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, bool *created, nt_err *err);
int nt_svc_network_me(nt_svc *svc, const nt_actor *who, json_t **out, nt_err *err);
/** The member leaves: its subscription is deleted, its deliveries forgotten (the counts stay). */
int nt_svc_network_leave(nt_svc *svc, nt_wctx *w, const nt_actor *who, json_t **out, nt_err *err);
/** The notices that reached the caller, newest first, with what they acknowledged. */
int nt_svc_network_inbox(nt_svc *svc, const nt_actor *who, int limit, json_t **out, nt_err *err);
/** {state: received | read | shared, link?}: the member acknowledges a notice that reached them. */
int nt_svc_notice_ack(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err);
/** Reach in aggregate for the issuing organisation (and regulators): per province, topic and
 * channel, groups under 5 members suppressed ("<5"), with the median time to read. */
int nt_svc_notice_reach(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);
#endif
