/* libFuzzer: the credential parsers: a credential's proof checked (JSON, base58btc, Multikeys,
 * did:key methods, JCS), status-list bitstrings (base64url + GZIP), and the quiz's answer sheets. */
#include "core/trust.h"
#include "fuzz.h"
#include "log/vc.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = nt_fuzz_cstr(data, size);
    if (s == NULL)
        return 0;
    json_error_t e;
    json_t *doc = json_loadb(s, size, JSON_REJECT_DUPLICATES, &e);
    unsigned char pk[32] = {0};
    const char *vm = nt_vc_proof_method(doc);
    if (vm != NULL)
        nt_vc_did_key_parse(vm, pk);
    nt_vc_verify(doc, pk);
    const char *enc = json_string_value(json_object_get(json_object_get(doc, "credentialSubject"), "encodedList"));
    size_t n = 0;
    unsigned char *bits = nt_vc_bitstring_decode(enc ? enc : s, 1u << 20, &n);
    if (bits != NULL)
        nt_vc_bit(bits, n, n * 8 / 2);
    free(bits);
    unsigned char raw[256];
    nt_b58_decode(s, raw, sizeof(raw));
    nt_vc_multikey_parse(s, pk);
    /* An answer sheet against a real draw. */
    json_t *drawn = nt_trust_quiz_draw(20), *per = NULL;
    int correct = 0;
    const char *field = NULL;
    if (json_is_object(doc) && nt_trust_quiz_score(drawn, doc, &correct, &per, &field) == 0)
        json_decref(per);
    json_decref(drawn);
    json_decref(doc);
    free(s);
    return 0;
}
