/* The certificates as the check sees them; see certindex.h. */
#include "service/certindex.h"
#include "core/schema.h"
#include "core/util.h"
#include "index/restrictions.h"
#include "service/query.h"

bool nt__certificates_dirty(nt_svc *svc, bool mark)
{
    static int dirty = 1; /* one per process: a process serves one database */
    if (mark) {
        __atomic_store_n(&dirty, 1, __ATOMIC_RELEASE);
        return true;
    }
    return __atomic_exchange_n(&dirty, 0, __ATOMIC_ACQ_REL) != 0;
}

static void put_brief(nt_svc *svc, const json_t *c)
{
    nt_cert_brief b = {0};
    nt_strlcpy(b.id, nt_json_str(c, "id"), sizeof(b.id));
    nt_strlcpy(b.status, nt_json_str(c, "status"), sizeof(b.status));
    b.valid_until_us = nt_json_time(c, "valid_until");
    char until[NT_TIME_LEN];
    nt_time_local(b.valid_until_us, until);
    /* Ids are [A-Za-z0-9_]: nothing to escape. */
    b.head_len = (unsigned char)snprintf(b.head, sizeof(b.head), "{\"id\":\"%s\",\"status\":\"", b.id);
    b.tail_len = (unsigned char)snprintf(b.tail, sizeof(b.tail), "\",\"valid_until\":\"%s\"}", until);
    nt_rindex_put_cert(svc->index, nt_json_str(c, "person_id"), &b);
}

int nt_svc_certificate_index_build(nt_svc *svc)
{
    json_t *rows = nt__svc_q(svc, NT_Q_certificates_current_all, json_array());
    size_t i;
    json_t *c;
    json_array_foreach(rows, i, c) put_brief(svc, c); /* by person, oldest first: the newest stays */
    json_decref(rows);
    return rows ? 0 : NT_EIO;
}

void nt_svc_certificate_refresh(nt_svc *svc, const char *id)
{
    json_t *c = nt__svc_q1(svc, NT_Q_certificate_get, json_pack("[s]", id));
    if (c == NULL)
        return;
    json_t *cur = nt__svc_q1(svc, NT_Q_certificate_current, json_pack("[s]", nt_json_str(c, "person_id")));
    if (cur != NULL)
        put_brief(svc, cur);
    json_decref(cur);
    json_decref(c);
}
