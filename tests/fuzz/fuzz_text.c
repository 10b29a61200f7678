/* libFuzzer: the Vietnamese text normaliser, handle rules, and screening's name and handle forms. */
#include "fuzz.h"
#include "core/names.h"
#include "core/text.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = nt_fuzz_cstr(data, size);
    if (s == NULL)
        return 0;
    char *nfc = nt_text_nfc(s);
    if (nfc != NULL) {
        char key[NT_KEY_MAX], *tok[64];
        int n = nt_text_search_key(nfc, key, sizeof(key));
        if (n >= 0) {
            /* The key of a key is itself. */
            char again[NT_KEY_MAX];
            if (nt_text_search_key(key, again, sizeof(again)) != n || strcmp(key, again) != 0)
                abort();
            nt_text_tokens(key, tok, 64);
        }
        free(nfc);
    }
    for (const char *const *p = nt_platforms; *p; p++) {
        char h[NT_HANDLE_MAX];
        if (nt_handle_normalize(*p, s, h) == 0) {
            char again[NT_HANDLE_MAX];
            if (nt_handle_normalize(*p, h, again) != 0 || strcmp(h, again) != 0)
                abort();
        }
    }
    char plat[NT_PLATFORM_MAX], key[NT_SUBJECT_KEY_MAX];
    if (nt_subject_handle(s, plat, key) == 0 && strncmp(key, plat, strlen(plat)) != 0)
        abort();
    /* Screening's forms: a toned form is its own toned form; handle tokens are plain letters whose
     * sound keys always exist. */
    char toned[NT_KEY_MAX], again[NT_KEY_MAX], toks[NT_KEY_MAX], sound[NT_KEY_MAX];
    int tn = nt_name_toned(s, toned, sizeof(toned));
    if (tn >= 0 && (nt_name_toned(toned, again, sizeof(again)) != tn || strcmp(toned, again) != 0))
        abort();
    if (nt_handle_tokens(s, (unsigned)size % 4, toks, sizeof(toks)) > 0) {
        char *save = NULL;
        for (char *t = strtok_r(toks, " ", &save); t; t = strtok_r(NULL, " ", &save))
            if (nt_name_sound(t, sound, sizeof(sound)) < 0)
                abort();
    }
    free(s);
    return 0;
}
