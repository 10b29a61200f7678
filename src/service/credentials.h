/* The certificate as a W3C Verifiable Credential 2.0: the deployment's did:web and DID document,
 * certificates signed with eddsa-jcs-2022 by the programme key, and the Bitstring Status List
 * credentials for suspension and revocation.
 *
 * A status list is computed from the certificates' stored status, so a status change and its bit
 * are one write; the signed list is kept in memory and rebuilt on the first read after a
 * certificate changes (the change follower drops it). */
#ifndef NT_SERVICE_CREDENTIALS_H
#define NT_SERVICE_CREDENTIALS_H
#include "service/service.h"

/** The deployment's DID: did:web of public_url ("did:web:example.org", "did:web:127.0.0.1%3A8080"). */
void nt_svc_did(const nt_svc *svc, char *out, size_t cap);
/** The programme key's verification method: "<did>#<its Multikey>". */
void nt_svc_did_method(const nt_svc *svc, char *out, size_t cap);
/** The DID document served at /.well-known/did.json. */
json_t *nt_svc_did_document(const nt_svc *svc);

/** What a certificate credential says. */
typedef struct nt_cert_claims {
    const char *id, *person_id, *name;
    const char *valid_from, *valid_until; /* RFC 3339 UTC */
    int64_t status_index;
    int score, scoring_version, standards_version;
    const json_t *pillars;  /* [{id, points, max}] */
    const json_t *accounts; /* ["platform:handle", ...] */
} nt_cert_claims;

/** The signed credential's text (malloc'd). */
char *nt_svc_credential_issue(const nt_svc *svc, const nt_cert_claims *c, const char *created);

/** A status list credential (purpose "suspension" or "revocation") as served, with its ETag; the
 * caller frees *body. NT_ENOTFOUND for another purpose. */
int nt_svc_status_list(nt_svc *svc, const char *purpose, char **body, size_t *len, char etag[72], nt_err *err);
/** Signs a status list credential over a bitstring (bits: nbytes, at least NT_VC_STATUS_MIN / 8). */
char *nt__status_list_sign(const nt_svc *svc, const char *purpose, const unsigned char *bits, size_t nbytes, const char *created);
/** Forgets the signed lists (a certificate changed). */
void nt_svc_status_lists_drop(nt_svc *svc);
void nt_svc_status_lists_free(nt_svc *svc);
#endif
