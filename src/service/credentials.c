/* Verifiable credentials of the trust programme; see credentials.h. */
#include "service/credentials.h"
#include "core/alloc.h"
#include "core/schema.h"
#include "core/util.h"
#include "log/vc.h"
#include "service/query.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VC_CONTEXT "https://www.w3.org/ns/credentials/v2"

struct nt_status_lists {
    struct {
        char *body;
        size_t len;
        char etag[72];
    } list[2]; /* suspension, revocation */
};

void nt_svc_did(const nt_svc *svc, char *out, size_t cap)
{
    const char *u = svc->public_url, *p = strstr(u, "://");
    p = p ? p + 3 : u;
    size_t n = strlen("did:web:");
    nt_strlcpy(out, "did:web:", cap);
    for (; *p && n + 4 < cap; p++) {
        if (*p == ':') { /* a port is percent-encoded */
            memcpy(out + n, "%3A", 3);
            n += 3;
        } else if (*p == '/') { /* a path's segments are separated by colons */
            if (p[1] == '\0')
                break;
            out[n++] = ':';
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

void nt_svc_did_method(const nt_svc *svc, char *out, size_t cap)
{
    char did[600], mk[NT_VC_MULTIKEY_LEN];
    nt_svc_did(svc, did, sizeof(did));
    nt_vc_multikey(svc->programme_pk, mk);
    snprintf(out, cap, "%s#%s", did, mk);
}

json_t *nt_svc_did_document(const nt_svc *svc)
{
    char did[600], vm[700], mk[NT_VC_MULTIKEY_LEN];
    nt_svc_did(svc, did, sizeof(did));
    nt_svc_did_method(svc, vm, sizeof(vm));
    nt_vc_multikey(svc->programme_pk, mk);
    return json_pack("{s:[s, s], s:s, s:[{s:s, s:s, s:s, s:s}], s:[s], s:[s]}", "@context", "https://www.w3.org/ns/did/v1",
                     "https://w3id.org/security/multikey/v1", "id", did, "verificationMethod", "id", vm, "type", "Multikey",
                     "controller", did, "publicKeyMultibase", mk, "assertionMethod", vm, "authentication", vm);
}

static json_t *status_entry(const nt_svc *svc, const char *purpose, int64_t index)
{
    char list[700], id[760], idx[24];
    snprintf(list, sizeof(list), "%s/v1/status-lists/%s", svc->public_url, purpose);
    snprintf(idx, sizeof(idx), "%lld", (long long)index);
    snprintf(id, sizeof(id), "%s#%s", list, idx);
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id, "type", "BitstringStatusListEntry", "statusPurpose", purpose,
                     "statusListIndex", idx, "statusListCredential", list);
}

char *nt_svc_credential_issue(const nt_svc *svc, const nt_cert_claims *c, const char *created)
{
    char did[600], vm[700], url[700], subject[200];
    nt_svc_did(svc, did, sizeof(did));
    nt_svc_did_method(svc, vm, sizeof(vm));
    snprintf(url, sizeof(url), "%s/certificates/%s", svc->public_url, c->id);
    snprintf(subject, sizeof(subject), "urn:niemtin:person:%s", c->person_id);
    json_t *doc = json_pack(
        "{s:[s], s:s, s:[s, s], s:s, s:s, s:{s:s, s:s}, s:s, s:s, "
        "s:{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:O, s:O}, s:[o, o]}",
        "@context", VC_CONTEXT, "id", url, "type", "VerifiableCredential", "InfluencerTrustCredential", "name",
        "Chứng nhận Người có ảnh hưởng tin cậy (Influencer Trust)", "description",
        "Liên minh Niềm tin số chứng nhận người có ảnh hưởng đáp ứng bộ tiêu chuẩn và đạt điểm tin cậy. / The Digital Trust "
        "alliance certifies an influencer who meets its standards and its trust score.",
        "issuer", "id", did, "name", "Liên minh Niềm tin số", "validFrom", c->valid_from, "validUntil", c->valid_until,
        "credentialSubject", "id", subject, "type", "Influencer", "name", c->name, "personId", c->person_id, "score", c->score,
        "scoringVersion", c->scoring_version, "standardsVersion", c->standards_version, "pillars", c->pillars, "accounts",
        c->accounts, "credentialStatus", status_entry(svc, "suspension", c->status_index),
        status_entry(svc, "revocation", c->status_index));
    char *text = NULL;
    if (doc != NULL && nt_vc_sign(doc, vm, created, svc->programme_sk) == 0)
        text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

char *nt__status_list_sign(const nt_svc *svc, const char *purpose, const unsigned char *bits, size_t nbytes, const char *created)
{
    char did[600], vm[700], url[700], subject[720];
    nt_svc_did(svc, did, sizeof(did));
    nt_svc_did_method(svc, vm, sizeof(vm));
    snprintf(url, sizeof(url), "%s/v1/status-lists/%s", svc->public_url, purpose);
    snprintf(subject, sizeof(subject), "%s#list", url);
    char *encoded = nt_vc_bitstring_encode(bits, nbytes);
    if (encoded == NULL)
        return NULL;
    json_t *doc =
        json_pack("{s:[s], s:s, s:[s, s], s:s, s:s, s:{s:s, s:s, s:s, s:s, s:i}}", "@context", VC_CONTEXT, "id", url, "type",
                  "VerifiableCredential", "BitstringStatusListCredential", "issuer", did, "validFrom", created, "credentialSubject",
                  "id", subject, "type", "BitstringStatusList", "statusPurpose", purpose, "encodedList", encoded, "ttl", 60000);
    free(encoded);
    char *text = NULL;
    if (doc != NULL && nt_vc_sign(doc, vm, created, svc->programme_sk) == 0)
        text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

/* Both lists from the certificates as stored: a suspended certificate's bit in the suspension
 * list; a revoked or superseded one's in the revocation list. */
static int build(nt_svc *svc, struct nt_status_lists *out, nt_err *err)
{
    json_t *next = nt__svc_q1(svc, NT_Q_certificates_next_index, json_array());
    json_t *flagged = nt__svc_q(svc, NT_Q_certificates_flagged, json_array());
    if (next == NULL || flagged == NULL) {
        json_decref(next);
        json_decref(flagged);
        return nt_err_set(err, NT_EIO, "cannot read the certificates", "không đọc được danh sách chứng nhận");
    }
    int64_t n = json_integer_value(json_object_get(next, "n"));
    size_t bits = NT_VC_STATUS_MIN;
    while ((int64_t)bits < n)
        bits += NT_VC_STATUS_MIN;
    unsigned char *lists[2] = {nt_xcalloc(1, bits / 8), nt_xcalloc(1, bits / 8)};
    size_t i;
    json_t *r;
    json_array_foreach(flagged, i, r)
    {
        int64_t idx = json_integer_value(json_object_get(r, "status_index"));
        int which = nt_streq(nt_json_str(r, "status"), "suspended") ? 0 : 1;
        if (idx >= 0 && (size_t)idx < bits)
            lists[which][idx / 8] |= (unsigned char)(0x80 >> (idx % 8));
    }
    char now[NT_TIME_LEN];
    nt_time_utc(nt_now_us() / 1000000 * 1000000, now);
    static const char *const purposes[] = {"suspension", "revocation"};
    int rc = 0;
    for (int k = 0; k < 2; k++) {
        out->list[k].body = nt__status_list_sign(svc, purposes[k], lists[k], bits / 8, now);
        if (out->list[k].body == NULL) {
            rc = nt_err_set(err, NT_EIO, "cannot sign the status list", "không ký được danh sách trạng thái");
            continue;
        }
        out->list[k].len = strlen(out->list[k].body);
        unsigned char h[32];
        crypto_hash_sha256(h, (const unsigned char *)out->list[k].body, out->list[k].len);
        char hex[65];
        sodium_bin2hex(hex, sizeof(hex), h, 16);
        snprintf(out->list[k].etag, sizeof(out->list[k].etag), "\"%s\"", hex);
    }
    free(lists[0]);
    free(lists[1]);
    json_decref(next);
    json_decref(flagged);
    return rc;
}

static void lists_free(struct nt_status_lists *l)
{
    if (l == NULL)
        return;
    free(l->list[0].body);
    free(l->list[1].body);
    free(l);
}

int nt_svc_status_list(nt_svc *svc, const char *purpose, char **body, size_t *len, char etag[72], nt_err *err)
{
    int k = nt_streq(purpose, "suspension") ? 0 : nt_streq(purpose, "revocation") ? 1 : -1;
    if (k < 0)
        return nt_err_set(err, NT_ENOTFOUND, "no status list %s: suspension or revocation",
                          "không có danh sách trạng thái %s: suspension hoặc revocation", purpose);
    pthread_mutex_lock(&svc->status_lock);
    int rc = 0;
    if (svc->status == NULL) {
        struct nt_status_lists *l = nt_xcalloc(1, sizeof(*l));
        rc = build(svc, l, err);
        if (rc == 0)
            svc->status = l;
        else
            lists_free(l);
    }
    if (rc == 0) {
        *body = nt_xstrdup(svc->status->list[k].body);
        *len = svc->status->list[k].len;
        memcpy(etag, svc->status->list[k].etag, 72);
    }
    pthread_mutex_unlock(&svc->status_lock);
    return rc;
}

void nt_svc_status_lists_drop(nt_svc *svc)
{
    pthread_mutex_lock(&svc->status_lock);
    lists_free(svc->status);
    svc->status = NULL;
    pthread_mutex_unlock(&svc->status_lock);
}

void nt_svc_status_lists_free(nt_svc *svc)
{
    lists_free(svc->status);
    svc->status = NULL;
}
