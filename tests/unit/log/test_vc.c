/* log/vc: eddsa-jcs-2022 proofs on the W3C Recommendation's own test vector, Multikeys, base58btc
 * and status bitstrings. */
#include "helpers.h"
#include "log/vc.h"
#include <sodium.h>

#ifndef NT_VC_VECTORS
#define NT_VC_VECTORS "tests/data/vc"
#endif

static json_t *load(const char *name)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", NT_VC_VECTORS, name);
    json_error_t e;
    json_t *v = json_load_file(path, 0, &e);
    if (v == NULL)
        fail_msg("%s: %s", path, e.text);
    return v;
}

static void the_specification_example_verifies(void **state)
{
    json_t *doc = load("eddsa-jcs-2022-signed.json");
    unsigned char pk[32];
    assert_int_equal(nt_vc_did_key_parse(nt_vc_proof_method(doc), pk), 0);
    assert_int_equal(nt_vc_verify(doc, pk), NT_VC_VALID);
    json_decref(doc);
}

/* Every byte of the example's text changed in turn: the result either is not JSON, or does not
 * verify. (A change inside white space between tokens leaves the same document, so only the
 * bytes of the compact form are walked.) */
static void a_one_byte_change_anywhere_fails(void **state)
{
    json_t *doc = load("eddsa-jcs-2022-signed.json");
    char *text = json_dumps(doc, JSON_COMPACT);
    size_t n = strlen(text), checked = 0;
    unsigned char pk[32];
    assert_int_equal(nt_vc_did_key_parse(nt_vc_proof_method(doc), pk), 0);
    for (size_t i = 0; i < n; i++) {
        char saved = text[i];
        text[i] = (char)(saved == 'a' ? 'b' : saved ^ 0x01);
        json_error_t e;
        json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, &e);
        if (v != NULL) {
            unsigned char k[32];
            const char *vm = nt_vc_proof_method(v);
            /* A change to the key named is a key of its own: it must still not verify. */
            bool own = vm != NULL && nt_vc_did_key_parse(vm, k) == 0;
            if (nt_vc_verify(v, own ? k : pk) == NT_VC_VALID && nt_vc_verify(v, pk) == NT_VC_VALID)
                fail_msg("byte %zu changed, still valid: %s", i, text);
            json_decref(v);
            checked++;
        }
        text[i] = saved;
    }
    assert_true(checked > n / 2);
    free(text);
    json_decref(doc);
}

static void signing_again_gives_the_specification_proof(void **state)
{
    json_t *doc = load("eddsa-jcs-2022-signed.json"), *keys = load("eddsa-jcs-2022-keypair.json");
    json_t *proof = json_deep_copy(json_object_get(doc, "proof"));
    json_object_del(doc, "proof");
    unsigned char raw[40], pk[32], sk[64];
    /* The secret key's multibase: 0x80 0x26 (ed25519-priv) and the 32-byte seed. */
    assert_int_equal(nt_b58_decode(json_string_value(json_object_get(keys, "privateKeyMultibase")) + 1, raw, sizeof(raw)), 34);
    assert_int_equal(raw[0], 0x80);
    assert_int_equal(raw[1], 0x26);
    crypto_sign_seed_keypair(pk, sk, raw + 2);
    char mk[NT_VC_MULTIKEY_LEN];
    nt_vc_multikey(pk, mk);
    assert_string_equal(mk, json_string_value(json_object_get(keys, "publicKeyMultibase")));
    assert_int_equal(nt_vc_sign(doc, json_string_value(json_object_get(proof, "verificationMethod")),
                                json_string_value(json_object_get(proof, "created")), sk),
                     0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "proof"), "proofValue")),
                        json_string_value(json_object_get(proof, "proofValue")));
    assert_int_equal(nt_vc_sign(doc, "x", "y", sk), NT_VC_MALFORMED); /* a proof there already */
    json_decref(proof);
    json_decref(doc);
    json_decref(keys);
}

static void refuses_what_it_does_not_support(void **state)
{
    json_t *doc = load("eddsa-jcs-2022-signed.json");
    unsigned char pk[32];
    assert_int_equal(nt_vc_did_key_parse(nt_vc_proof_method(doc), pk), 0);
    json_t *p = json_object_get(doc, "proof");
    json_object_set_new(p, "cryptosuite", json_string("eddsa-rdfc-2022"));
    assert_int_equal(nt_vc_verify(doc, pk), NT_VC_UNSUPPORTED);
    json_object_set_new(p, "cryptosuite", json_string("eddsa-jcs-2022"));
    json_object_set_new(p, "@context", json_pack("[s]", "https://example.org/other"));
    assert_int_equal(nt_vc_verify(doc, pk), NT_VC_BAD_CONTEXT);
    json_object_del(doc, "proof");
    assert_int_equal(nt_vc_verify(doc, pk), NT_VC_MALFORMED);
    json_object_set_new(doc, "proof",
                        json_pack("{s:s, s:s, s:s, s:s}", "type", "DataIntegrityProof", "cryptosuite", "eddsa-jcs-2022",
                                  "proofPurpose", "assertionMethod", "proofValue", "z0OIl"));
    assert_int_equal(nt_vc_verify(doc, pk), NT_VC_MALFORMED); /* not base58btc */
    json_object_set_new(doc, "score", json_real(0.5));
    json_decref(doc);
}

static void multikeys_and_did_keys(void **state)
{
    unsigned char pk[32], back[32];
    for (int i = 0; i < 32; i++)
        pk[i] = (unsigned char)(i * 7);
    char mk[NT_VC_MULTIKEY_LEN], vm[200];
    nt_vc_multikey(pk, mk);
    assert_memory_equal(mk, "z6Mk", 4);
    assert_int_equal(nt_vc_multikey_parse(mk, back), 0);
    assert_memory_equal(pk, back, 32);
    snprintf(vm, sizeof(vm), "did:key:%s#%s", mk, mk);
    assert_int_equal(nt_vc_did_key_parse(vm, back), 0);
    snprintf(vm, sizeof(vm), "did:key:%s#other", mk);
    assert_int_equal(nt_vc_did_key_parse(vm, back), -1);
    assert_int_equal(nt_vc_multikey_parse("z6Mk0", back), -1);
    assert_int_equal(nt_vc_multikey_parse("u6Mk", back), -1);
    assert_int_equal(nt_vc_did_key_parse("did:web:example.org#key-1", back), -1);
}

static void base58_keeps_leading_zeros(void **state)
{
    const unsigned char in[] = {0, 0, 1, 2, 255};
    char s[32];
    unsigned char out[16];
    assert_true(nt_b58_encode(in, sizeof(in), s, sizeof(s)) > 2);
    assert_memory_equal(s, "11", 2);
    assert_int_equal(nt_b58_decode(s, out, sizeof(out)), (int)sizeof(in));
    assert_memory_equal(in, out, sizeof(in));
    assert_int_equal(nt_b58_encode(in, sizeof(in), s, 3), 0); /* no room */
}

static void bitstrings_round_trip(void **state)
{
    size_t n = NT_VC_STATUS_MIN / 8, got = 0;
    unsigned char *bits = calloc(1, n);
    bits[0] = 0x80;     /* index 0 */
    bits[n - 1] = 0x01; /* the last index */
    bits[94567 / 8] |= (unsigned char)(0x80 >> (94567 % 8));
    char *enc = nt_vc_bitstring_encode(bits, n);
    assert_non_null(enc);
    assert_int_equal(enc[0], 'u');
    unsigned char *back = nt_vc_bitstring_decode(enc, n, &got);
    assert_non_null(back);
    assert_int_equal(got, n);
    assert_int_equal(nt_vc_bit(back, got, 0), 1);
    assert_int_equal(nt_vc_bit(back, got, 1), 0);
    assert_int_equal(nt_vc_bit(back, got, 94567), 1);
    assert_int_equal(nt_vc_bit(back, got, NT_VC_STATUS_MIN - 1), 1);
    assert_int_equal(nt_vc_bit(back, got, NT_VC_STATUS_MIN), -1);
    assert_null(nt_vc_bitstring_decode(enc, n - 1, &got)); /* larger than allowed */
    assert_null(nt_vc_bitstring_decode("zabc", n, &got));
    free(back);
    free(enc);
    free(bits);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_specification_example_verifies),
        cmocka_unit_test(a_one_byte_change_anywhere_fails),
        cmocka_unit_test(signing_again_gives_the_specification_proof),
        cmocka_unit_test(refuses_what_it_does_not_support),
        cmocka_unit_test(multikeys_and_did_keys),
        cmocka_unit_test(base58_keeps_leading_zeros),
        cmocka_unit_test(bitstrings_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
