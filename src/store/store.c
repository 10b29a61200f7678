/* Opens the store on its engine: a file path (SQLite) or a postgres:// URL (PostgreSQL, db.h). */
#include "store/store.h"
#include "store/db.h"
#include <stdlib.h>

bool nt_store_is_postgres(const char *dsn)
{
    return db_is_postgres(dsn);
}

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
