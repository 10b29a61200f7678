/* libFuzzer: the request-target parser. */
#include "fuzz.h"
#include "http/query.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = nt_fuzz_cstr(data, size);
    if (s == NULL)
        return 0;
    static nt_uri u;
    nt_err err;
    nt_err_clear(&err);
    if (nt_uri_parse(s, &u, &err) == 0) {
        for (int i = 0; i < u.nsegs; i++)
            (void)strlen(u.segs[i]);
        for (int i = 0; i < u.nparams; i++)
            (void)nt_uri_param(&u, u.params[i].name);
    }
    free(s);
    return 0;
}
