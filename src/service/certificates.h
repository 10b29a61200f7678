/* The Influencer Trust certificate: applications, their hard requirements and five-pillar score,
 * the review, the certificate's life (issued, suspended and reinstated with its holder's
 * restrictions, revoked by a decision, expired, renewed) and its public faces (directory, badge,
 * QR code). docs/TRUST.md has the rules; the credential itself is service/credentials.h.
 *
 * Every change of a certificate's status is one write with its log entry (certificate.*), its
 * webhook, and — the status lists being computed from the stored status — its status bit. The
 * runtime reconciles certificates with restrictions as the check sees them: a restriction or
 * advertising ban becoming active suspends, its end or overturn reinstates, a
 * certificate_revocation sanction in force revokes for good, validUntil expires. */
#ifndef NT_SERVICE_CERTIFICATES_H
#define NT_SERVICE_CERTIFICATES_H
#include "service/service.h"

/** {platform, handle, followers, suspicious_percent, period}: a platform attests audience figures
 * of an account on it that the person holds (201). */
int nt_svc_audience_attest(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *person_id, const json_t *in, json_t **out,
                           nt_err *err);
/** The hard requirements, each with its result, and the automatic scores, for a kol's own person
 * (person_id NULL) or, for the secretariat, any person. */
int nt_svc_trust_eligibility(nt_svc *svc, const nt_actor *who, const char *person_id, json_t **out, nt_err *err);
/** A kol applies (201): 409 naming each unmet requirement, an open application, or a certificate
 * not yet in its renewal window. */
int nt_svc_application_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, json_t **out, nt_err *err);
/** An application: its person's kol key and the secretariat. */
int nt_svc_application_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);
int nt_svc_application_list(nt_svc *svc, const nt_actor *who, const char *state, const char *cursor, int limit, json_t **out,
                            nt_err *err);
/** {community: {points, reasons}, audience?: {points, reasons}}: a reviewer decides. Certified at
 * the scoring's threshold with every requirement met (the certificate issued in the same write),
 * refused otherwise with each pillar explained. 403 when the reviewer's organisation recorded
 * data about the person. */
int nt_svc_application_review(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out,
                              nt_err *err);

/** A certificate as anyone may read it: status now (expired from validUntil to the second). */
int nt_svc_certificate_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
/** The certificate a person holds now (as nt_svc_certificate_get), or NT_ENOTFOUND. */
int nt_svc_person_certificate(nt_svc *svc, const char *person_id, json_t **out, nt_err *err);
/** A certificate as nt_svc_certificate_get, with "signature_valid": its stored credential's proof
 * checked now against the programme's key. */
int nt_svc_certificate_verified(nt_svc *svc, const char *id, json_t **out, nt_err *err);
/** The signed credential's text (malloc'd). */
int nt_svc_certificate_credential(nt_svc *svc, const char *id, char **body, size_t *len, nt_err *err);

typedef struct nt_certificate_query {
    const char *q, *handle, *province, *topic, *status, *cursor;
    int limit;
} nt_certificate_query;
/** The public directory of certified influencers (status active by default). */
int nt_svc_certificate_list(nt_svc *svc, const nt_certificate_query *q, json_t **out, nt_err *err);
/** The live badge (SVG) of a certificate; an unknown id gets the "unrecognised" badge and NT_ENOTFOUND. */
int nt_svc_certificate_badge(nt_svc *svc, const char *id, char **svg, size_t *len, nt_err *err);
/** The QR code of the certificate's public page, as PNG or SVG (malloc'd). */
int nt_svc_certificate_qr(nt_svc *svc, const char *id, bool png, char **data, size_t *len, nt_err *err);

/** Brings every open certificate in line with its holder's restrictions, revocations and validity
 * (each change one write). Returns how many changed. */
int nt_svc_certificates_reconcile(nt_svc *svc);

/** Issues a certificate to a person now, as a review that certifies does (the benchmark too): the
 * write of the certificate with its credential into tx, its id into id_out. NT_ECONFLICT from the
 * commit means another process took its status index: build the write again. Internal. */
struct nt_tx;
int nt__certificate_issue(nt_svc *svc, struct nt_tx *tx, const char *person_id, const char *application_id, int score,
                          const json_t *pillars, const json_t *previous, const char *at, char id_out[NT_ID_LEN], nt_err *err);
#endif
