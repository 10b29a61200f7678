/* Chooses a storage backend by DSN. */
#include "store/store.h"
#include <stdlib.h>

int nt_store_open(const char *dsn, bool create, nt_store **out, nt_err *err)
{
    return nt_store_sqlite_ops.open(dsn, create, out, err);
}

void nt_store_close(nt_store *s)
{
    if (s != NULL)
        s->ops->close(s);
}

void nt_idem_record_free(nt_idem_record *r)
{
    free(r->response);
    free(r->headers);
    free(r->answer);
    r->response = r->headers = r->answer = NULL;
}
