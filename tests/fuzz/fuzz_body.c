/* libFuzzer: request-body decoding (JSON, and web forms' fields), the person schema check, and a
 * notice's content check with its names looked for and its forms rendered; multipart parts. */
#include "core/html.h"
#include "core/notices.h"
#include "fuzz.h"
#include "http/http.h"
#include "core/schema.h"
#include "service/registry.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nt_err err;
    nt_err_clear(&err);
    json_t *v = NULL;
    free(nt_form_value((const char *)data, size, "receipt"));
    free(nt_form_value((const char *)data, size, "csrf"));
    size_t at = 0, part = 0;
    if (nt_multipart_part("multipart/form-data; boundary=b", (const char *)data, size, "file", &at, &part) && at + part > size)
        abort(); /* a part lies inside the body */
    if (nt__body_decode((const char *)data, size, &v, &err) == 0) {
        nt_err_clear(&err);
        nt_svc_person_check(v, &err);
        nt_err_clear(&err);
        json_t *c = nt_notice_content_check(v, &err);
        if (c != NULL) {
            json_t *runs = nt_notice_name_runs(nt_json_str(json_object_get(c, "body"), "vi"));
            json_t *d = nt_notice_diff(v, c);
            json_t *n =
                json_pack("{s:s, s:i, s:s, s:O, s:s, s:s, s:s}", "id", "ntc_fuzz", "version", 2, "state", "published", "content", c,
                          "issuer_name", "X", "published_at", "2026-01-01T00:00:00Z", "updated_at", "2026-01-02T00:00:00Z");
            size_t len = 0;
            free(nt_notice_cap(n, "example.vn", "https://example.vn/n", &len));
            json_decref(nt_notice_claimreview(n, "https://example.vn/n"));
            json_decref(nt_notice_jsonfeed_item(n, "https://example.vn/n"));
            json_decref(n);
            json_decref(d);
            json_decref(runs);
            json_decref(c);
        }
        json_decref(v);
    }
    return 0;
}
