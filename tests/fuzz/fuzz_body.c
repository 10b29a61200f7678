/* libFuzzer: request-body decoding and the person schema check. */
#include "fuzz.h"
#include "http/http.h"
#include "service/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nt_err err;
    nt_err_clear(&err);
    json_t *v = NULL;
    if (nt__body_decode((const char *)data, size, &v, &err) == 0) {
        nt_err_clear(&err);
        nt_svc_person_check(v, &err);
        json_decref(v);
    }
    return 0;
}
