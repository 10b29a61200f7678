/* Reads shared by the services: a named read of the store, and pages of a listing with their
 * opaque cursors. */
#ifndef NT_SERVICE_QUERY_H
#define NT_SERVICE_QUERY_H
#include "service/service.h"

/** Opaque cursor for a last id, and back. */
void nt_svc_cursor_encode(const char *last_id, char *out, size_t cap);
int nt_svc_cursor_decode(const char *cursor, char *out, size_t cap);

/** The rows of a named read (taking params, which it releases), or NULL on failure; the caller owns them. */
json_t *nt__svc_q(nt_svc *svc, nt_query q, json_t *params);
/** Its first row, or NULL. */
json_t *nt__svc_q1(nt_svc *svc, nt_query q, json_t *params);
/** A store listing as {items, next_cursor}: the cursor names the last item when the page is full. */
int nt__svc_paged(int rc, json_t *items, int limit, json_t **out, nt_err *err);

/** An optional time filter of a listing (RFC 3339, or a date): into out as stored (UTC), or ""
 * when absent; a field error naming it when it is not a time. */
void nt__svc_time_param(const char *value, const char *field, char out[NT_TIME_LEN], nt_err *err);

/** Restriction scope bits as an array of their names, for output. */
json_t *nt__svc_scope_names(unsigned bits);

#endif
