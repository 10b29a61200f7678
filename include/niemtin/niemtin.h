/* libniemtin: the niemtin check in-process, over a mirror of the registry's
 * restrictions, for platforms that want the answer without a network hop.
 *
 * Load a snapshot (the body of GET /v1/restrictions/snapshot), then keep the
 * mirror current by applying pages of GET /v1/changes?since=<niemtin_mirror_seq()>.
 * Checks may run on any number of threads while one thread applies changes:
 * readers take no lock. Times are microseconds since the Unix epoch (UTC).
 *
 * The mirror knows the handles of restricted persons only: a handle it does
 * not know is allowed (as it is on the server, where unrestricted persons'
 * handles answer allowed too); handle_known says whether the mirror knew it. */
#ifndef NIEMTIN_NIEMTIN_H
#define NIEMTIN_NIEMTIN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NIEMTIN_OK     0
#define NIEMTIN_ENOMEM (-1)
#define NIEMTIN_EINVAL (-2)

typedef struct niemtin_mirror niemtin_mirror;

/** A new, empty mirror; NULL on no memory. */
niemtin_mirror *niemtin_mirror_new(void);
/** Frees it; no check may be running. */
void niemtin_mirror_free(niemtin_mirror *m);

/** Loads a snapshot into an empty mirror. NIEMTIN_EINVAL if it is not one. */
int niemtin_mirror_load_snapshot(niemtin_mirror *m, const char *json, size_t len);

/** Applies a page of the change feed. Changes at or below the mirror's sequence are skipped. */
int niemtin_mirror_apply_changes(niemtin_mirror *m, const char *json, size_t len);

/** The change sequence the mirror reflects: ask for changes after it. */
int64_t niemtin_mirror_seq(const niemtin_mirror *m);

/** Restrictions held. */
size_t niemtin_mirror_size(const niemtin_mirror *m);

typedef struct niemtin_answer {
    bool allowed;
    bool handle_known;        /* a handle subject the mirror knows */
    size_t restrictions;      /* how many apply */
    char decision_number[64]; /* of the first that applies */
    char authority[160];
    int64_t start_us, end_us; /* of the first that applies (end 0: open-ended) */
} niemtin_answer;

/** May `subject` (a person id, or "platform:handle") appear in `scope` ("broadcast", "press",
 * "performance", "livestream", "online_content", "advertising" or "any") at `at_us`?
 * NIEMTIN_EINVAL for an unknown scope or a malformed handle. */
int niemtin_check(niemtin_mirror *m, const char *subject, const char *scope, int64_t at_us, niemtin_answer *out);

/* What niemtin_certificate_verify finds. */
#define NIEMTIN_CERT_VALID         0
#define NIEMTIN_CERT_INVALID       (-10) /* not a credential, not signed by the pinned key, or altered */
#define NIEMTIN_CERT_EXPIRED       (-11) /* at or after its validUntil */
#define NIEMTIN_CERT_NOT_YET_VALID (-12) /* before its validFrom */

/** Verifies an Influencer Trust certificate (a W3C Verifiable Credential with an eddsa-jcs-2022
 * proof) offline: signed by the pinned issuer key (its Multikey, "z6Mk…", from the deployment's
 * /.well-known/did.json) and within its validity at `at_us`. Suspension and revocation live in the
 * status lists, which need the network: ask the deployment for them. why (why_cap bytes) says what
 * was found, in English. */
int niemtin_certificate_verify(const char *json, size_t len, const char *issuer_multikey, int64_t at_us, char *why, size_t why_cap);

/** The library's version. */
const char *niemtin_version(void);

#ifdef __cplusplus
}
#endif
#endif
