/* The audit trail; see audit.h. */
#include "core/schema.h"
#include "core/util.h"
#include "service/audit.h"
#include "service/query.h"
#include <stdio.h>
#include <stdlib.h>

int nt_svc_audit_list(nt_svc *svc, const char *action, const char *entity, const char *entity_id, const char *key_id,
                      const char *from, const char *to, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char before[32] = "", f[NT_TIME_LEN] = "", t[NT_TIME_LEN] = "";
    long long seq = 0x7fffffffffffffffLL;
    if (cursor != NULL) {
        char *end;
        if (nt_svc_cursor_decode(cursor, before, sizeof(before)) != 0 || (seq = strtoll(before, &end, 10)) <= 0 || *end != '\0')
            nt_err_field(err, "cursor", "invalid", 0);
    }
    nt__svc_time_param(from, "from", f, err);
    nt__svc_time_param(to, "to", t, err);
    if (err->nfields > 0)
        return NT_EINVAL;
    json_t *rows = nt__svc_q(svc, NT_Q_audit_page,
                             json_pack("[I, s?, s?, s?, s?, s?, s?, i]", (json_int_t)seq, action, entity, entity_id, key_id,
                                       f[0] ? f : NULL, t[0] ? t : NULL, limit));
    if (rows == NULL)
        return nt_err_set(err, NT_EIO, "cannot read the audit trail", "không đọc được nhật ký kiểm toán");
    char next[64] = "";
    size_t n = json_array_size(rows);
    if ((int)n == limit && n > 0) {
        snprintf(before, sizeof(before), "%lld",
                 (long long)json_integer_value(json_object_get(json_array_get(rows, n - 1), "seq")));
        nt_svc_cursor_encode(before, next, sizeof(next));
    }
    *out = json_pack("{s:o, s:s?}", "items", rows, "next_cursor", next[0] ? next : NULL);
    return 0;
}
