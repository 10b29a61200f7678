/* libniemtin's offline check of an Influencer Trust certificate; see include/niemtin/niemtin.h.
 *
 * The same verification the server and `niemtin credential verify` use (log/vc.h), against an
 * issuer key the caller pins: no network, no DID resolution. */
#include "core/util.h"
#include "log/vc.h"
#include "niemtin/niemtin.h"
#include <string.h>

int niemtin_certificate_verify(const char *json, size_t len, const char *issuer_multikey, int64_t at_us, char *why, size_t why_cap)
{
    unsigned char pk[32];
    json_error_t je;
    int rc = NIEMTIN_CERT_INVALID;
    const char *reason = "";
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    const char *vm = nt_vc_proof_method(doc);
    int64_t from = 0, until = 0;
    const char *vf = json_string_value(json_object_get(doc, "validFrom"));
    const char *vu = json_string_value(json_object_get(doc, "validUntil"));
    if (doc == NULL)
        reason = "not JSON";
    else if (nt_vc_multikey_parse(issuer_multikey, pk) != 0)
        reason = "the pinned issuer key is not an Ed25519 Multikey";
    else if (vm == NULL || strchr(vm, '#') == NULL || strcmp(strchr(vm, '#') + 1, issuer_multikey) != 0)
        reason = "not signed by the pinned issuer key";
    else if (nt_vc_verify(doc, pk) != NT_VC_VALID)
        reason = nt_vc_result_text(nt_vc_verify(doc, pk));
    else if ((vf != NULL && nt_time_parse(vf, &from) != 0) || (vu != NULL && nt_time_parse(vu, &until) != 0))
        reason = "validFrom or validUntil is not a time";
    else if (vf != NULL && at_us < from)
        rc = NIEMTIN_CERT_NOT_YET_VALID, reason = "not valid yet";
    else if (vu != NULL && at_us >= until)
        rc = NIEMTIN_CERT_EXPIRED, reason = "expired";
    else
        rc = NIEMTIN_CERT_VALID, reason = "valid";
    if (why != NULL && why_cap > 0)
        nt_strlcpy(why, reason, why_cap);
    json_decref(doc);
    return rc;
}
