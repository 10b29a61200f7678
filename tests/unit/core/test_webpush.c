/* core/webpush: RFC 8291's own example (Appendix A) byte for byte; a sealed message new each time;
 * a VAPID JWT (RFC 8292) whose ES256 signature verifies with the server's key and whose claims say
 * the audience, expiry and contact; scalars that are not P-256 keys refused. */
#include "core/util.h"
#include "core/webpush.h"
#include "helpers.h"
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void b64(const char *s, uint8_t *out, size_t n)
{
    assert_int_equal(nt_b64url_decode(s, out, n), (int)n);
}

static void rfc8291_appendix_a(void **state)
{
    uint8_t as_sk[32], as_pk[65], want_pk[65], ua_pk[65], auth[16], salt[16], out[512], want[300];
    b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw", as_sk, 32);
    b64("BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8", want_pk, 65);
    b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", ua_pk, 65);
    b64("BTBZMqHH6r4Tts7J_aSIgg", auth, 16);
    b64("DGv6ra1nlYgDCS1FRnbzlw", salt, 16);
    const char *body =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7"
        "A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";
    int wn = nt_b64url_decode(body, want, sizeof(want));
    assert_true(wn > 0);
    assert_int_equal(nt_p256_public(as_sk, as_pk), 0);
    assert_memory_equal(as_pk, want_pk, 65);
    const char *plain = "When I grow up, I want to be a watermelon";
    long n = nt_webpush_encrypt(ua_pk, auth, as_sk, salt, (const uint8_t *)plain, strlen(plain), out, sizeof(out));
    assert_int_equal(n, wn);
    assert_memory_equal(out, want, (size_t)wn);
}

static void sealed_anew_each_time(void **state)
{
    uint8_t ua_pk[65], auth[16], a[256], b[256];
    b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", ua_pk, 65);
    b64("BTBZMqHH6r4Tts7J_aSIgg", auth, 16);
    long n1 = nt_webpush_seal(ua_pk, auth, (const uint8_t *)"Cảnh báo", 11, a, sizeof(a));
    long n2 = nt_webpush_seal(ua_pk, auth, (const uint8_t *)"Cảnh báo", 11, b, sizeof(b));
    assert_int_equal(n1, NT_PUSH_HEADER + 11 + 17);
    assert_int_equal(n1, n2);
    assert_memory_not_equal(a, b, 16);           /* a fresh salt */
    assert_memory_not_equal(a + 21, b + 21, 65); /* and a fresh sender key */
    assert_int_equal(nt_webpush_seal(ua_pk, auth, (const uint8_t *)"x", 1, a, NT_PUSH_HEADER + 10), -1); /* no room */
    static uint8_t big[NT_PUSH_MAX + 1], room[NT_PUSH_MAX + 200];
    assert_int_equal(nt_webpush_seal(ua_pk, auth, big, sizeof(big), room, sizeof(room)), -1); /* one record's worth at most */
}

static void not_a_key(void **state)
{
    uint8_t zero[32] = {0}, order[32], pk[65];
    assert_int_equal(nt_p256_public(zero, pk), -1);
    BIGNUM *n = NULL;
    assert_true(BN_hex2bn(&n, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551") > 0);
    BN_bn2binpad(n, order, 32);
    BN_free(n);
    assert_int_equal(nt_p256_public(order, pk), -1);
}

static EVP_PKEY *public_key(const uint8_t pk[65])
{
    OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pk, 65);
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(b);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *k = NULL;
    EVP_PKEY_fromdata_init(ctx);
    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(b);
    return k;
}

static void vapid_verifies(void **state)
{
    uint8_t sk[32], pk[65];
    assert_int_equal(nt_p256_keypair(sk, pk), 0);
    char h[1024];
    assert_int_equal(nt_vapid_header(sk, pk, "https://push.example.net", 1796000000, "mailto:lienhe@niemtin.vn", h, sizeof(h)), 0);
    assert_true(strncmp(h, "vapid t=", 8) == 0);
    char *k = strstr(h, ", k=");
    assert_non_null(k);
    uint8_t kb[65];
    b64(k + 4, kb, 65);
    assert_memory_equal(kb, pk, 65);
    *k = '\0';
    const char *jwt = h + 8, *dot2 = strrchr(jwt, '.');
    uint8_t sig[64];
    b64(dot2 + 1, sig, 64);
    char claims[256] = "";
    const char *dot1 = strchr(jwt, '.');
    char part[512];
    snprintf(part, sizeof(part), "%.*s", (int)(dot2 - dot1 - 1), dot1 + 1);
    int cn = nt_b64url_decode(part, claims, sizeof(claims) - 1);
    assert_true(cn > 0);
    claims[cn] = '\0';
    assert_string_equal(claims, "{\"aud\":\"https://push.example.net\",\"exp\":1796000000,\"sub\":\"mailto:lienhe@niemtin.vn\"}");
    /* r || s as DER, verified over the signing input with the public key alone. */
    ECDSA_SIG *es = ECDSA_SIG_new();
    ECDSA_SIG_set0(es, BN_bin2bn(sig, 32, NULL), BN_bin2bn(sig + 32, 32, NULL));
    uint8_t *der = NULL;
    int dl = i2d_ECDSA_SIG(es, &der);
    EVP_PKEY *key = public_key(pk);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestVerifyInit(m, NULL, EVP_sha256(), NULL, key), 1);
    assert_int_equal(EVP_DigestVerify(m, der, (size_t)dl, (const uint8_t *)jwt, (size_t)(dot2 - jwt)), 1);
    EVP_MD_CTX_free(m);
    EVP_PKEY_free(key);
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
    assert_int_equal(nt_vapid_header(sk, pk, "https://a\"b", 1, "mailto:x", h, sizeof(h)), -1); /* nothing to escape in a JWT */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc8291_appendix_a),
        cmocka_unit_test(sealed_anew_each_time),
        cmocka_unit_test(not_a_key),
        cmocka_unit_test(vapid_verifies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
