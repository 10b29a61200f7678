/* A service on a fresh database in a temporary directory, for the service unit tests. */
#ifndef NT_TEST_SVC_FIXTURE_H
#define NT_TEST_SVC_FIXTURE_H
#include "helpers.h"
#include "core/util.h"
#include "service/check.h"
#include "service/service.h"

typedef struct fixture {
    char *dir;
    char db[512];
    nt_svc *svc;
    char at[NT_TIME_LEN]; /* when the fixture was made, for write contexts */
} fixture;

/* Opens the service; with_index, builds the check index as a server does. */
static inline int nt_test_svc_setup(void **state, bool with_index)
{
    fixture *f = calloc(1, sizeof(*f));
    f->dir = nt_test_tmpdir();
    snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
    nt_test_hash_key(f->dir);
    nt_err e;
    nt_err_clear(&e);
    if (nt_svc_open(&f->svc, f->db, true, &e) != 0 || (with_index && nt_svc_index_build(f->svc, &e) != 0))
        return -1;
    nt_time_utc(nt_now_us(), f->at);
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    fixture *f = *state;
    nt_svc_close(f->svc);
    nt_test_rmtree(f->dir);
    free(f);
    return 0;
}
#endif
