/* API keys: creating, listing and revoking them, and authenticating a request's bearer token
 * against a cache of keys (a revoked key stops within a minute, at once in this process). */
#ifndef NT_SERVICE_KEYS_H
#define NT_SERVICE_KEYS_H
#include "service/service.h"

/** Resolves "Bearer" token to an actor. NT_ENOTFOUND for an unknown, malformed or revoked key. */
int nt_svc_authenticate(nt_svc *svc, const char *token, nt_actor *out);

/** Forgets a cached key, so the next use reads it again (it changed elsewhere). */
void nt_svc_key_forget(nt_svc *svc, const char *id);

/** Keys held in the authentication cache. */
long nt_svc_key_cache_size(nt_svc *svc);

/** Creates a key: {role, org_id | person_id, label}. out has "secret", shown this once. */
int nt_svc_key_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err);
int nt_svc_key_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err);
int nt_svc_key_revoke(nt_svc *svc, nt_wctx *w, const char *id, json_t **out, nt_err *err);

/** Whether an owner fits a role: a kol's person, or an organisation of a kind the role allows
 * (docs/AUTHORIZATION.md). 0, or a field error naming what does not fit, or NT_ENOTFOUND. */
int nt__svc_owner_check(nt_svc *svc, int role, const char *org_id, const char *person_id, nt_err *err);

/** Forgets every cached key of an organisation (it was suspended or reinstated). */
void nt_svc_keys_forget_org(nt_svc *svc, const char *org_id);

/** Counts one refused national ID for a key, in the current hour; returns the count so far. */
int nt_svc_nid_refusal(nt_svc *svc, const char *key_id);

#endif
