/* Web Push encryption and VAPID; see webpush.h. */
#include "core/webpush.h"
#include "core/util.h"
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

/* ---- P-256 ---- */

int nt_p256_public(const uint8_t sk[NT_P256_PRIVATE], uint8_t pk[NT_P256_PUBLIC])
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    EC_POINT *pt = g ? EC_POINT_new(g) : NULL;
    BIGNUM *d = BN_bin2bn(sk, NT_P256_PRIVATE, NULL);
    BN_CTX *bn = BN_CTX_new();
    int rc = -1;
    /* A private scalar is in [1, n - 1]. */
    if (pt != NULL && d != NULL && bn != NULL && !BN_is_zero(d) && BN_cmp(d, EC_GROUP_get0_order(g)) < 0 &&
        EC_POINT_mul(g, pt, d, NULL, NULL, bn) == 1 &&
        EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, pk, NT_P256_PUBLIC, bn) == NT_P256_PUBLIC)
        rc = 0;
    BN_clear_free(d);
    BN_CTX_free(bn);
    EC_POINT_free(pt);
    EC_GROUP_free(g);
    return rc;
}

bool nt_p256_valid(const uint8_t pk[NT_P256_PUBLIC])
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    EC_POINT *pt = g ? EC_POINT_new(g) : NULL;
    bool ok = pt != NULL && pk[0] == 4 && EC_POINT_oct2point(g, pt, pk, NT_P256_PUBLIC, NULL) == 1 &&
              EC_POINT_is_on_curve(g, pt, NULL) == 1 && !EC_POINT_is_at_infinity(g, pt);
    EC_POINT_free(pt);
    EC_GROUP_free(g);
    return ok;
}

int nt_p256_keypair(uint8_t sk[NT_P256_PRIVATE], uint8_t pk[NT_P256_PUBLIC])
{
    for (int tries = 0; tries < 16; tries++) /* a 256-bit draw is below the order all but ~2^-32 of the time */
        if (RAND_bytes(sk, NT_P256_PRIVATE) == 1 && nt_p256_public(sk, pk) == 0)
            return 0;
    return -1;
}

/* An EVP key of a point, with its private scalar when sk is not NULL. */
static EVP_PKEY *pkey_of(const uint8_t *sk, const uint8_t pk[NT_P256_PUBLIC])
{
    OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
    BIGNUM *d = sk ? BN_bin2bn(sk, NT_P256_PRIVATE, NULL) : NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *k = NULL;
    if (b == NULL || (sk != NULL && d == NULL) ||
        OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pk, NT_P256_PUBLIC) != 1 ||
        (d != NULL && OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1))
        goto done;
    params = OSSL_PARAM_BLD_to_param(b);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &k, sk ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1)
        k = NULL;
done:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(b);
    BN_clear_free(d);
    return k;
}

/* ECDH(as, ua): the x coordinate of the shared point. */
static int ecdh(const uint8_t as_sk[NT_P256_PRIVATE], const uint8_t as_pk[NT_P256_PUBLIC], const uint8_t ua_pk[NT_P256_PUBLIC],
                uint8_t secret[32])
{
    EVP_PKEY *mine = pkey_of(as_sk, as_pk), *peer = pkey_of(NULL, ua_pk);
    EVP_PKEY_CTX *ctx = mine ? EVP_PKEY_CTX_new(mine, NULL) : NULL;
    size_t len = 32;
    int rc = ctx != NULL && peer != NULL && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
                     EVP_PKEY_derive(ctx, secret, &len) == 1 && len == 32
                 ? 0
                 : -1;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(mine);
    EVP_PKEY_free(peer);
    return rc;
}

/* ---- RFC 8291 ---- */

/* HMAC-SHA-256(key, a || b || c), the building block of HKDF (RFC 5869). */
static void hmac(const uint8_t *key, size_t klen, const void *a, size_t an, const void *b, size_t bn, const void *c, size_t cn,
                 uint8_t out[32])
{
    uint8_t buf[256];
    size_t n = 0;
    memcpy(buf + n, a, an), n += an;
    if (b != NULL)
        memcpy(buf + n, b, bn), n += bn;
    if (c != NULL)
        memcpy(buf + n, c, cn), n += cn;
    unsigned int len = 32;
    HMAC(EVP_sha256(), key, (int)klen, buf, n, out, &len);
    OPENSSL_cleanse(buf, sizeof(buf));
}

long nt_webpush_encrypt(const uint8_t ua_pk[NT_P256_PUBLIC], const uint8_t auth[NT_PUSH_AUTH], const uint8_t as_sk[NT_P256_PRIVATE],
                        const uint8_t salt[16], const uint8_t *plain, size_t n, uint8_t *out, size_t cap)
{
    uint8_t as_pk[NT_P256_PUBLIC], secret[32], prk_key[32], ikm[32], prk[32], cek[32], nonce[32];
    if (n > NT_PUSH_MAX || cap < NT_PUSH_HEADER + n + 17 || nt_p256_public(as_sk, as_pk) != 0 ||
        ecdh(as_sk, as_pk, ua_pk, secret) != 0)
        return -1;
    /* The input keying material from the shared secret and the browser's auth secret (RFC 8291 §3.3). */
    static const char info[] = "WebPush: info"; /* with its NUL */
    static const uint8_t one = 1;
    uint8_t key_info[sizeof(info) + 2 * NT_P256_PUBLIC];
    memcpy(key_info, info, sizeof(info));
    memcpy(key_info + sizeof(info), ua_pk, NT_P256_PUBLIC);
    memcpy(key_info + sizeof(info) + NT_P256_PUBLIC, as_pk, NT_P256_PUBLIC);
    hmac(auth, NT_PUSH_AUTH, secret, 32, NULL, 0, NULL, 0, prk_key);
    hmac(prk_key, 32, key_info, sizeof(key_info), &one, 1, NULL, 0, ikm);
    /* The content encryption key and nonce of aes128gcm (RFC 8188 §2.2, §2.3). */
    static const char cek_info[] = "Content-Encoding: aes128gcm", nonce_info[] = "Content-Encoding: nonce";
    hmac(salt, 16, ikm, 32, NULL, 0, NULL, 0, prk);
    hmac(prk, 32, cek_info, sizeof(cek_info), &one, 1, NULL, 0, cek);
    hmac(prk, 32, nonce_info, sizeof(nonce_info), &one, 1, NULL, 0, nonce);
    /* The header, then the one record: the plaintext and its delimiter (2: the last record), sealed. */
    memcpy(out, salt, 16);
    out[16] = 0, out[17] = 0, out[18] = 0x10, out[19] = 0; /* rs = 4096 */
    out[20] = NT_P256_PUBLIC;
    memcpy(out + 21, as_pk, NT_P256_PUBLIC);
    uint8_t *rec = out + NT_PUSH_HEADER;
    memcpy(rec, plain, n);
    rec[n] = 2;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0;
    long rc = c != NULL && EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL) == 1 &&
                      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1 &&
                      EVP_EncryptInit_ex(c, NULL, NULL, cek, nonce) == 1 && EVP_EncryptUpdate(c, rec, &len, rec, (int)n + 1) == 1 &&
                      EVP_EncryptFinal_ex(c, rec + len, &fin) == 1 &&
                      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, rec + len + fin) == 1
                  ? (long)(NT_PUSH_HEADER + len + fin + 16)
                  : -1;
    EVP_CIPHER_CTX_free(c);
    OPENSSL_cleanse(secret, sizeof(secret)), OPENSSL_cleanse(prk_key, sizeof(prk_key)), OPENSSL_cleanse(ikm, sizeof(ikm));
    OPENSSL_cleanse(prk, sizeof(prk)), OPENSSL_cleanse(cek, sizeof(cek)), OPENSSL_cleanse(nonce, sizeof(nonce));
    return rc;
}

long nt_webpush_seal(const uint8_t ua_pk[NT_P256_PUBLIC], const uint8_t auth[NT_PUSH_AUTH], const uint8_t *plain, size_t n,
                     uint8_t *out, size_t cap)
{
    uint8_t sk[NT_P256_PRIVATE], pk[NT_P256_PUBLIC], salt[16];
    if (nt_p256_keypair(sk, pk) != 0 || RAND_bytes(salt, sizeof(salt)) != 1)
        return -1;
    long rc = nt_webpush_encrypt(ua_pk, auth, sk, salt, plain, n, out, cap);
    OPENSSL_cleanse(sk, sizeof(sk));
    return rc;
}

/* ---- RFC 8292 ---- */

int nt_vapid_header(const uint8_t sk[NT_P256_PRIVATE], const uint8_t pk[NT_P256_PUBLIC], const char *aud, int64_t exp_s,
                    const char *sub, char *out, size_t cap)
{
    char head[64], claims[600], input[1024], sig_b64[100], key_b64[100];
    nt_b64url_encode("{\"typ\":\"JWT\",\"alg\":\"ES256\"}", 27, head, sizeof(head));
    char body[512];
    int bn = sub ? snprintf(body, sizeof(body), "{\"aud\":\"%s\",\"exp\":%lld,\"sub\":\"%s\"}", aud, (long long)exp_s, sub)
                 : snprintf(body, sizeof(body), "{\"aud\":\"%s\",\"exp\":%lld}", aud, (long long)exp_s);
    if (bn < 0 || (size_t)bn >= sizeof(body) || strpbrk(aud, "\"\\") != NULL || (sub && strpbrk(sub, "\"\\") != NULL))
        return -1;
    nt_b64url_encode(body, (size_t)bn, claims, sizeof(claims));
    int in = snprintf(input, sizeof(input), "%s.%s", head, claims);
    if (in < 0 || (size_t)in >= sizeof(input))
        return -1;
    /* ES256: ECDSA over SHA-256, the signature as r || s of 32 bytes each (RFC 7518 §3.4). */
    EVP_PKEY *k = pkey_of(sk, pk);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    uint8_t der[80], raw[64];
    size_t dlen = sizeof(der);
    int rc = -1;
    if (k != NULL && m != NULL && EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, k) == 1 &&
        EVP_DigestSign(m, der, &dlen, (const uint8_t *)input, (size_t)in) == 1) {
        const uint8_t *p = der;
        ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
        const BIGNUM *r = NULL, *sv = NULL;
        if (s != NULL) {
            ECDSA_SIG_get0(s, &r, &sv);
            if (BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(sv, raw + 32, 32) == 32)
                rc = 0;
            ECDSA_SIG_free(s);
        }
    }
    EVP_MD_CTX_free(m);
    EVP_PKEY_free(k);
    if (rc != 0)
        return -1;
    nt_b64url_encode(raw, 64, sig_b64, sizeof(sig_b64));
    nt_b64url_encode(pk, NT_P256_PUBLIC, key_b64, sizeof(key_b64));
    int w = snprintf(out, cap, "vapid t=%s.%s, k=%s", input, sig_b64, key_b64);
    return w < 0 || (size_t)w >= cap ? -1 : 0;
}
