/* Data Integrity proofs (eddsa-jcs-2022), Multikeys and status bitstrings; see vc.h. */
#include "log/vc.h"
#include "log/jcs.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const char B58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

size_t nt_b58_encode(const unsigned char *in, size_t n, char *out, size_t cap)
{
    size_t zeros = 0;
    while (zeros < n && in[zeros] == 0)
        zeros++;
    size_t size = (n - zeros) * 138 / 100 + 1; /* log(256) / log(58) */
    unsigned char buf[256];
    if (size > sizeof(buf))
        return 0;
    memset(buf, 0, size);
    size_t high = size;
    for (size_t i = zeros; i < n; i++) {
        int carry = in[i];
        size_t j = size;
        while (j > 0 && (j > high || carry != 0)) {
            j--;
            carry += 256 * buf[j];
            buf[j] = (unsigned char)(carry % 58);
            carry /= 58;
        }
        high = j;
    }
    size_t k = 0;
    while (k < size && buf[k] == 0)
        k++;
    size_t len = zeros + (size - k);
    if (len + 1 > cap)
        return 0;
    memset(out, '1', zeros);
    for (size_t i = zeros; k < size; i++, k++)
        out[i] = B58[buf[k]];
    out[len] = '\0';
    return len;
}

int nt_b58_decode(const char *s, unsigned char *out, size_t cap)
{
    size_t n = strlen(s), zeros = 0;
    while (zeros < n && s[zeros] == '1')
        zeros++;
    size_t size = (n - zeros) * 733 / 1000 + 1; /* log(58) / log(256) */
    unsigned char buf[256];
    if (size > sizeof(buf) || n > 512)
        return -1;
    memset(buf, 0, size);
    for (size_t i = zeros; i < n; i++) {
        const char *p = s[i] ? strchr(B58, s[i]) : NULL;
        if (p == NULL)
            return -1;
        int carry = (int)(p - B58);
        for (size_t j = size; j-- > 0;) {
            carry += 58 * buf[j];
            buf[j] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
        if (carry != 0)
            return -1;
    }
    size_t k = 0;
    while (k < size && buf[k] == 0)
        k++;
    size_t len = zeros + (size - k);
    if (len > cap)
        return -1;
    memset(out, 0, zeros);
    memcpy(out + zeros, buf + k, size - k);
    return (int)len;
}

void nt_vc_multikey(const unsigned char pk[32], char out[NT_VC_MULTIKEY_LEN])
{
    unsigned char buf[34] = {0xed, 0x01};
    memcpy(buf + 2, pk, 32);
    out[0] = 'z';
    nt_b58_encode(buf, sizeof(buf), out + 1, NT_VC_MULTIKEY_LEN - 1);
}

int nt_vc_multikey_parse(const char *mb, unsigned char pk[32])
{
    unsigned char buf[40];
    if (mb == NULL || mb[0] != 'z' || nt_b58_decode(mb + 1, buf, sizeof(buf)) != 34 || buf[0] != 0xed || buf[1] != 0x01)
        return -1;
    memcpy(pk, buf + 2, 32);
    return 0;
}

int nt_vc_did_key_parse(const char *vm, unsigned char pk[32])
{
    if (vm == NULL || strncmp(vm, "did:key:", 8) != 0)
        return -1;
    char id[128];
    const char *hash = strchr(vm, '#');
    size_t n = hash ? (size_t)(hash - vm - 8) : strlen(vm + 8);
    if (n >= sizeof(id))
        return -1;
    memcpy(id, vm + 8, n);
    id[n] = '\0';
    if (hash != NULL && strcmp(hash + 1, id) != 0) /* the fragment names the key itself */
        return -1;
    return nt_vc_multikey_parse(id, pk);
}

const char *nt_vc_result_text(nt_vc_result r)
{
    switch (r) {
    case NT_VC_VALID:
        return "valid";
    case NT_VC_MALFORMED:
        return "malformed: not a credential with one proof, or it cannot be canonicalised";
    case NT_VC_UNSUPPORTED:
        return "unsupported: not a DataIntegrityProof with cryptosuite eddsa-jcs-2022 for assertionMethod";
    case NT_VC_BAD_CONTEXT:
        return "the proof's @context does not match the document's";
    case NT_VC_BAD_SIGNATURE:
        return "the signature does not verify";
    }
    return "?";
}

/* SHA-256(JCS(options)) || SHA-256(JCS(document)). */
static int hash_data(const json_t *options, const json_t *unsecured, unsigned char out[64])
{
    char *a = nt_jcs(options), *b = nt_jcs(unsecured);
    int rc = a && b ? 0 : -1;
    if (rc == 0) {
        crypto_hash_sha256(out, (const unsigned char *)a, strlen(a));
        crypto_hash_sha256(out + 32, (const unsigned char *)b, strlen(b));
    }
    free(a);
    free(b);
    return rc;
}

int nt_vc_sign(json_t *doc, const char *vm, const char *created, const unsigned char sk[64])
{
    if (!json_is_object(doc) || json_object_get(doc, "proof") != NULL)
        return NT_VC_MALFORMED;
    json_t *proof = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "DataIntegrityProof", "cryptosuite", "eddsa-jcs-2022", "created",
                              created, "verificationMethod", vm, "proofPurpose", "assertionMethod");
    json_t *ctx = json_object_get(doc, "@context");
    if (ctx != NULL)
        json_object_set(proof, "@context", ctx);
    unsigned char h[64], sig[64];
    if (hash_data(proof, doc, h) != 0) {
        json_decref(proof);
        return NT_VC_MALFORMED;
    }
    crypto_sign_detached(sig, NULL, h, sizeof(h), sk);
    char value[100] = "z";
    nt_b58_encode(sig, sizeof(sig), value + 1, sizeof(value) - 1);
    json_object_set_new(proof, "proofValue", json_string(value));
    json_object_set_new(doc, "proof", proof);
    return 0;
}

const char *nt_vc_proof_method(const json_t *doc)
{
    return json_string_value(json_object_get(json_object_get(doc, "proof"), "verificationMethod"));
}

static bool str_is(const json_t *o, const char *k, const char *want)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v != NULL && strcmp(v, want) == 0;
}

nt_vc_result nt_vc_verify(const json_t *doc, const unsigned char pk[32])
{
    const json_t *proof = json_object_get(doc, "proof");
    if (!json_is_object(doc) || !json_is_object(proof))
        return NT_VC_MALFORMED;
    if (!str_is(proof, "type", "DataIntegrityProof") || !str_is(proof, "cryptosuite", "eddsa-jcs-2022") ||
        !str_is(proof, "proofPurpose", "assertionMethod"))
        return NT_VC_UNSUPPORTED;
    const char *value = json_string_value(json_object_get(proof, "proofValue"));
    unsigned char sig[80];
    if (value == NULL || value[0] != 'z' || nt_b58_decode(value + 1, sig, sizeof(sig)) != 64)
        return NT_VC_MALFORMED;
    json_t *unsecured = json_copy((json_t *)doc), *options = json_copy((json_t *)proof);
    json_object_del(unsecured, "proof");
    json_object_del(options, "proofValue");
    nt_vc_result r = NT_VC_VALID;
    /* The proof's @context must be where the document's begins, in order; the document is then
     * checked under the proof's. */
    const json_t *pctx = json_object_get(options, "@context");
    if (pctx != NULL) {
        const json_t *dctx = json_object_get(unsecured, "@context");
        if (json_is_string(pctx) ? !(json_is_string(dctx) ? json_equal(pctx, dctx)
                                                          : json_is_array(dctx) && json_equal(json_array_get(dctx, 0), pctx))
                                 : !json_is_array(pctx) || !json_is_array(dctx) || json_array_size(pctx) > json_array_size(dctx))
            r = NT_VC_BAD_CONTEXT;
        for (size_t i = 0; r == NT_VC_VALID && json_is_array(pctx) && i < json_array_size(pctx); i++)
            if (!json_equal(json_array_get(pctx, i), json_array_get(dctx, i)))
                r = NT_VC_BAD_CONTEXT;
        if (r == NT_VC_VALID)
            json_object_set(unsecured, "@context", (json_t *)pctx);
    }
    unsigned char h[64];
    if (r == NT_VC_VALID && hash_data(options, unsecured, h) != 0)
        r = NT_VC_MALFORMED;
    if (r == NT_VC_VALID && crypto_sign_verify_detached(sig, h, sizeof(h), pk) != 0)
        r = NT_VC_BAD_SIGNATURE;
    json_decref(unsecured);
    json_decref(options);
    return r;
}

char *nt_vc_bitstring_encode(const unsigned char *bits, size_t nbytes)
{
    z_stream z = {0};
    if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) /* +16: GZIP */
        return NULL;
    uLong cap = deflateBound(&z, (uLong)nbytes) + 32;
    unsigned char *gz = malloc(cap);
    z.next_in = (unsigned char *)bits;
    z.avail_in = (uInt)nbytes;
    z.next_out = gz;
    z.avail_out = (uInt)cap;
    int rc = gz ? deflate(&z, Z_FINISH) : Z_MEM_ERROR;
    size_t n = z.total_out;
    deflateEnd(&z);
    char *out = NULL;
    if (rc == Z_STREAM_END) {
        size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        if ((out = malloc(len + 1)) != NULL) {
            out[0] = 'u';
            sodium_bin2base64(out + 1, len, gz, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        }
    }
    free(gz);
    return out;
}

unsigned char *nt_vc_bitstring_decode(const char *encoded, size_t max, size_t *nbytes)
{
    if (encoded == NULL || encoded[0] != 'u')
        return NULL;
    size_t len = strlen(encoded + 1), n = 0;
    unsigned char *gz = malloc(len + 1), *bits = malloc(max + 1);
    int ok = gz && bits &&
             sodium_base642bin(gz, len + 1, encoded + 1, len, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0;
    z_stream z = {0};
    if (ok && inflateInit2(&z, 15 + 16) == Z_OK) {
        z.next_in = gz;
        z.avail_in = (uInt)n;
        z.next_out = bits;
        z.avail_out = (uInt)(max + 1);
        ok = inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out <= max;
        *nbytes = z.total_out;
        inflateEnd(&z);
    } else {
        ok = 0;
    }
    free(gz);
    if (!ok) {
        free(bits);
        return NULL;
    }
    return bits;
}

int nt_vc_bit(const unsigned char *bits, size_t nbytes, uint64_t idx)
{
    if (idx / 8 >= nbytes)
        return -1;
    return (bits[idx / 8] >> (7 - idx % 8)) & 1;
}
