/* Verified notices as Atom (RFC 4287) and JSON Feed 1.1 feeds, per topic and province: each
 * rendered once from the store and kept in memory with its ETag until a notice changes (the
 * change follower drops them), so a feed is answered from memory. Apart from notices.c, which
 * writes, so that following changes never calls back into a writer. */
#ifndef NT_SERVICE_FEEDS_H
#define NT_SERVICE_FEEDS_H
#include "service/service.h"

/** A rendered feed, shared by the cache and the answers being sent: reference-counted, freed by
 * the last nt_svc_feed_release. */
typedef struct nt_feed_body {
    int refs;
    size_t len;
    char etag[72];
    char data[];
} nt_feed_body;

/** A feed (format "atom" or "json") of a topic and/or province (NULL: all): the newest 100
 * notices, withdrawn ones included as such, with its ETag; one reference for the caller. */
int nt_svc_notice_feed(nt_svc *svc, const char *format, const char *topic, const char *province, nt_feed_body **out, nt_err *err);
void nt_svc_feed_release(nt_feed_body *b);
/** Forgets the rendered feeds (a notice changed). */
void nt_svc_notice_feeds_drop(nt_svc *svc);

/** A notice's public address (with suffix, "" for the notice itself). */
void nt__notice_url(const nt_svc *svc, const char *id, const char *suffix, char *out, size_t cap);
/** A notice row with its content parsed, as the renderers take it. */
json_t *nt__notice_doc(json_t *n);
#endif
