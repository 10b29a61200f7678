/* libFuzzer: the Vietnamese text normaliser, handle rules, screening's name and handle forms, and
 * a screening query (name and handle readings, cutting into syllables, scoring) on a small index. */
#include "fuzz.h"
#include "core/names.h"
#include "core/text.h"
#include "index/screen.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The persons every query meets, from the first'th to before the last'th. */
static void put_base(nt_screen *ix, int first, int last)
{
    const char *aliases[] = {"Thu Cúc Review"}, *handles[] = {"tiktok:@thucuc.official", "@cuc_nguyen99"};
    nt_screen_person p[] = {{.id = "cuc",
                             .name = "Nguyễn Thị Thu Cúc",
                             .aliases = aliases,
                             .naliases = 1,
                             .handles = handles,
                             .nhandles = 2,
                             .birth_year = 1990,
                             .gender = 'f'},
                            {.id = "dung", .name = "Trần Văn Dũng", .handles = handles + 1, .nhandles = 1},
                            {.id = "x", .name = "Đặng Ngọc Như Quỳnh"}};
    for (int i = first; i < last; i++)
        nt_screen_put(ix, &p[i]);
}

/* Built once and only read by queries, so every input meets the same index; what a put and a
 * delete change is tried on an index of its own each run. */
static nt_screen *base_index(void)
{
    static nt_screen *ix;
    if (ix == NULL && (ix = nt_screen_new()) != NULL)
        put_base(ix, 0, 3);
    return ix;
}

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
    char un[NT_KEY_MAX];
    if (nt_handle_tokens(s, 0, toks, sizeof(toks)) > 0) {
        char *save = NULL;
        for (char *t = strtok_r(toks, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
            nt_name_syllable(t);
            if (nt_name_untelex(t, un, sizeof(un)) > (int)strlen(t))
                abort(); /* undoing Telex only removes letters */
        }
    }
    /* A query: as a name and as a handle. */
    nt_screen *ix = base_index();
    if (ix == NULL) {
        free(s);
        return 0;
    }
    nt_screen_hit hits[5];
    nt_screen_query q = {.name = s, .limit = 5, .explain = true, .birth_year = size % 2 ? 1990 : 0};
    int n = nt_screen_run(ix, &q, hits);
    for (int i = 0; i < n; i++)
        if (!(hits[i].score >= 0.0f && hits[i].score <= 1.0f) || (i > 0 && hits[i].score > hits[i - 1].score))
            abort(); /* scores in [0, 1], best first */
    q.name = NULL;
    q.handle = s;
    nt_screen_run(ix, &q, hits);
    /* The input as a person (name, alias and handle) put beside another and taken out again: never
     * found once gone. */
    if ((ix = nt_screen_new()) == NULL) {
        free(s);
        return 0;
    }
    put_base(ix, 1, 2);
    nt_screen_person p = {.id = "fuzz",
                          .name = s,
                          .aliases = (const char *const[]){s},
                          .naliases = 1,
                          .handles = (const char *const[]){s},
                          .nhandles = 1};
    if (nt_screen_put(ix, &p) == 0) {
        q.handle = NULL;
        q.name = s;
        nt_screen_run(ix, &q, hits);
        nt_screen_del(ix, "fuzz");
        n = nt_screen_run(ix, &q, hits);
        for (int i = 0; i < n; i++)
            if (strcmp(hits[i].person_id, "fuzz") == 0)
                abort();
    }
    nt_screen_free(ix);
    free(s);
    return 0;
}
