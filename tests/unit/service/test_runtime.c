/* service/runtime: the background work runs by itself and stops at once. */
#include "svc_fixture.h"
#include "service/check.h"
#include "service/runtime.h"
#include "service/service.h"
#include "service/registry.h"
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

static int setup(void **state)
{
    return nt_test_svc_setup(state, true);
}

static atomic_int persons_seen;

static void count_persons(void *arg, const char *entity, const char *id)
{
    (void)arg;
    (void)id;
    if (strcmp(entity, "person") == 0)
        atomic_fetch_add(&persons_seen, 1);
}

static void create_person(fixture *f, const char *name)
{
    char at[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), at);
    nt_wctx w = {.key_id = "k_test", .at = at};
    nt_actor who = {.role = NT_ROLE_REGULATOR};
    json_t *in = json_pack("{s:s}", "legal_name", name), *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_svc_person_create(f->svc, &w, &who, in, &out, &e), 0);
    json_decref(in);
    json_decref(out);
}

/* A write nobody caught up with (as from another process) reaches the listeners by itself. */
static void follows_writes_by_itself(void **state)
{
    fixture *f = *state;
    atomic_store(&persons_seen, 0);
    assert_int_equal(nt_svc_listen(f->svc, count_persons, NULL), 0);
    nt_runtime_config cfg = nt_runtime_defaults();
    cfg.follow_ms = 10;
    nt_runtime *rt = NULL;
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_runtime_start(f->svc, &cfg, &rt, &e), 0);
    int64_t seq0 = nt_svc_seq(f->svc);
    create_person(f, "Nguyễn Thị Theo Dõi");
    int64_t deadline = nt_mono_us() + 5 * 1000000;
    while (atomic_load(&persons_seen) == 0 && nt_mono_us() < deadline)
        usleep(5000);
    assert_int_equal(atomic_load(&persons_seen), 1);
    assert_true(nt_svc_seq(f->svc) > seq0);
    /* Stopping does not wait for the longest clock (a minute for pruning). */
    int64_t t0 = nt_mono_us();
    nt_runtime_stop(rt);
    assert_true(nt_mono_us() - t0 < 1000000);
    nt_svc_unlisten(f->svc, count_persons, NULL);
    create_person(f, "Trần Văn Sau Dừng");
    nt_svc_catch_up(f->svc);
    assert_int_equal(atomic_load(&persons_seen), 1); /* unlistened */
}

/* Without a runtime, the commit step catches the writing process up before the write returns:
 * what it wrote is what the next check sees. */
static void catch_up_without_runtime(void **state)
{
    fixture *f = *state;
    atomic_store(&persons_seen, 0);
    assert_int_equal(nt_svc_listen(f->svc, count_persons, NULL), 0);
    create_person(f, "Lê Thị Đồng Bộ");
    assert_int_equal(atomic_load(&persons_seen), 1);
    nt_svc_catch_up(f->svc); /* nothing left to follow */
    assert_int_equal(atomic_load(&persons_seen), 1);
    for (int i = 0; i < NT_SVC_LISTENERS - 1; i++)
        assert_int_equal(nt_svc_listen(f->svc, count_persons, f), 0);
    assert_int_equal(nt_svc_listen(f->svc, count_persons, f->svc), NT_EBUSY); /* bounded */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(follows_writes_by_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(catch_up_without_runtime, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
