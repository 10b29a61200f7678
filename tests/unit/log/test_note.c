/* log/note: signed notes byte for byte against the public vectors, and keys made like `init`. */
#include "helpers.h"
#include "log/note.h"
#include <sodium.h>

static char *slurp(const char *name, size_t *len)
{
    const char *shared = getenv("NT_SHARED");
    char path[1024];
    snprintf(path, sizeof(path), "%s/vectors/note/%s", shared ? shared : "../../../shared", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = calloc(1, 8192);
    *len = fread(buf, 1, 8191, f);
    fclose(f);
    return buf;
}

static void signs_and_verifies_like_the_vectors(void **state)
{
    size_t tl = 0, sl = 0, kl = 0, vl = 0;
    char *text = slurp("text.txt", &tl), *signed_note = slurp("signed.txt", &sl), *skey = slurp("signer.key", &kl),
         *vkey = slurp("verifier.key", &vl);
    if (text == NULL)
        skip();
    nt_note_signer s;
    nt_note_verifier v;
    assert_int_equal(nt_note_signer_parse(skey, &s), 0);
    assert_int_equal(nt_note_verifier_parse(vkey, &v), 0);
    assert_string_equal(s.name, "PeterNeumann");
    char *mine = nt_note_sign(&s, text, tl);
    assert_non_null(mine);
    assert_int_equal(strlen(mine), sl);
    assert_memory_equal(mine, signed_note, sl); /* Ed25519 is deterministic */
    size_t text_len = 0;
    assert_int_equal(nt_note_verify(&v, signed_note, sl, &text_len), 0);
    assert_int_equal(text_len, tl);
    /* Any change to the text breaks it. */
    signed_note[3] ^= 1;
    assert_int_equal(nt_note_verify(&v, signed_note, sl, &text_len), -1);
    free(mine);
    free(text);
    free(signed_note);
    free(skey);
    free(vkey);
}

static void rejects_bad_keys_and_text(void **state)
{
    nt_note_signer s;
    nt_note_verifier v;
    assert_int_equal(nt_note_signer_parse("PRIVATE+KEY+name+00000000+AAAA", &s), -1);
    assert_int_equal(nt_note_verifier_parse("name+zzzzzzzz+AAAA", &v), -1);
    assert_int_equal(nt_note_verifier_parse("no-plus-signs", &v), -1);
    /* A key whose hash does not match its name and key. */
    assert_int_equal(nt_note_verifier_parse("PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &v), -1);
    assert_int_equal(nt_note_signer_parse("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", &s), 0);
    assert_null(nt_note_sign(&s, "no final newline", 16));
    assert_int_equal(nt_note_verifier_parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &v), 0);
    assert_int_equal(nt_note_verify(&v, "text\n", 5, NULL), -1); /* no signature block */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(signs_and_verifies_like_the_vectors),
                                       cmocka_unit_test(rejects_bad_keys_and_text)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
