/* Reads shared by the services; see query.h. */
#include "service/query.h"
#include "core/sanction.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include <string.h>

json_t *nt__svc_q(nt_svc *svc, nt_query q, json_t *params)
{
    json_t *out = NULL;
    int rc = svc->store->ops->query(svc->store, q, params, &out);
    json_decref(params);
    return rc == 0 ? out : NULL;
}

json_t *nt__svc_q1(nt_svc *svc, nt_query q, json_t *params)
{
    json_t *rows = nt__svc_q(svc, q, params);
    json_t *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return row;
}

int nt__svc_paged(int rc, json_t *items, int limit, json_t **out, nt_err *err)
{
    if (rc != 0)
        return nt_err_set(err, rc, "cannot list: %s", "không liệt kê được: %s", nt_strerror(rc));
    char cursor[128] = "";
    size_t n = json_array_size(items);
    if ((int)n == limit && n > 0)
        nt_svc_cursor_encode(nt_json_str(json_array_get(items, n - 1), "id"), cursor, sizeof(cursor));
    *out = json_pack("{s:o, s:s?}", "items", items, "next_cursor", cursor[0] ? cursor : NULL);
    return 0;
}

void nt_svc_cursor_encode(const char *last_id, char *out, size_t cap)
{
    if (last_id == NULL || nt_b64url_encode(last_id, strlen(last_id), out, cap) < 0)
        out[0] = '\0';
}

int nt_svc_cursor_decode(const char *cursor, char *out, size_t cap)
{
    if (strlen(cursor) > 2 * cap)
        return NT_EINVAL;
    int n = nt_b64url_decode(cursor, out, cap - 1);
    if (n < 0)
        return NT_EINVAL;
    out[n] = '\0';
    return nt_text_valid_utf8(out, (size_t)n) ? 0 : NT_EINVAL;
}

json_t *nt__svc_scope_names(unsigned bits)
{
    json_t *a = json_array();
    for (unsigned b = 1; b <= NT_SCOPE_ADVERTISING; b <<= 1)
        if (bits & b)
            json_array_append_new(a, json_string(nt_scope_name(b)));
    return a;
}

void nt__svc_time_param(const char *value, const char *field, char out[NT_TIME_LEN], nt_err *err)
{
    int64_t us;
    out[0] = '\0';
    if (value != NULL && nt_time_parse(value, &us) == 0)
        nt_time_utc(us, out);
    else if (value != NULL)
        nt_err_field(err, field, "invalid", 0);
}
