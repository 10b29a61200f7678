/* libFuzzer: the log's parsers: signed notes, note keys and proof test vectors. */
#include "fuzz.h"
#include "log/merkle.h"
#include "log/note.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = nt_fuzz_cstr(data, size);
    if (s == NULL)
        return 0;
    static nt_note_verifier v;
    static int ready;
    if (!ready)
        ready = nt_note_verifier_parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &v) == 0;
    size_t text_len;
    nt_note_verify(&v, s, size, &text_len);
    nt_note_verifier other;
    nt_note_verifier_parse(s, &other);
    nt_note_signer signer;
    nt_note_signer_parse(s, &signer);
    char why[256];
    nt_merkle_check_vector(s, size, why, sizeof(why));
    free(s);
    return 0;
}
