/* Request-body decoding: strict JSON (no duplicate keys, valid UTF-8, no
 * trailing garbage, an object at the top). A fuzzing target
 * (tests/fuzz/fuzz_body.c). */
#include "http/http.h"
#include <string.h>

int nt__body_decode(const char *buf, size_t len, json_t **out, nt_err *err)
{
    *out = NULL;
    if (len == 0)
        return nt_err_set(err, NT_EINVAL, "the body is empty; a JSON object is expected", "nội dung trống; cần một đối tượng JSON");
    json_error_t je;
    json_t *v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (v == NULL)
        return nt_err_set(err, NT_EINVAL, "line %d, column %d: %s", "dòng %d, cột %d: %s", je.line, je.column, je.text);
    if (!json_is_object(v)) {
        json_decref(v);
        return nt_err_set(err, NT_EINVAL, "the body must be a JSON object", "nội dung phải là một đối tượng JSON");
    }
    *out = v;
    return 0;
}
