/* The service runtime (see runtime.h): three threads, each on its own clock, so that a slow
 * round of one (a webhook receiver that does not answer, a long checkpoint) never holds up the
 * others. Each sleeps on a condition variable, so stopping is immediate. */
#include "service/runtime.h"
#include "service/certificates.h"
#include "service/certindex.h"
#include "core/alloc.h"
#include "index/restrictions.h"
#include "service/ads.h"
#include "service/check.h"
#include "service/tlog.h"
#include "service/webhooks.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct nt_runtime {
    nt_svc *svc;
    nt_runtime_config cfg;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    pthread_t follower, checkpointer, deliverer;
    bool deliverer_started;
};

nt_runtime_config nt_runtime_defaults(void)
{
    return (nt_runtime_config){.follow_ms = 200,
                               .reconcile_ms = 1000,
                               .prune_ms = 60000,
                               .checkpoint_ms = 200,
                               .deliver_ms = 200,
                               .deliver_webhooks = true};
}

/* Sleeps ms, or less if the runtime is stopping; false once it is. */
static bool nap(nt_runtime *rt, int ms)
{
    struct timespec until;
    nt_deadline_ms(ms, &until);
    pthread_mutex_lock(&rt->mu);
    while (!rt->stopping && pthread_cond_timedwait(&rt->cv, &rt->mu, &until) != ETIMEDOUT)
        ;
    bool go_on = !rt->stopping;
    pthread_mutex_unlock(&rt->mu);
    return go_on;
}

/* Until the next round of following: follow_ms, or on PostgreSQL as soon as another server's
 * write commits (it notifies; waited for in slices so that a stop is seen). False once stopping. */
static bool wait_for_changes(nt_runtime *rt)
{
    nt_store *s = rt->svc->store;
    for (int waited = 0; waited < rt->cfg.follow_ms; waited += 50) {
        int told = s->ops->wait_change(s, 50);
        if (told < 0) /* the store cannot tell: a poll every follow_ms */
            return nap(rt, rt->cfg.follow_ms - waited);
        if (told > 0 || !nap(rt, 0))
            break;
    }
    return nap(rt, 0);
}

/* Follows the change sequence so writes made by other processes (the CLI, other servers) reach
 * this process within follow_ms; ads by time once a second; restrictions that ended can never
 * restrict again: dropped a day later, once a minute. */
static void *follow(void *arg)
{
    nt_runtime *rt = arg;
    int64_t pruned = nt_mono_us(), reconciled = 0;
    do {
        nt_svc_catch_up_all(rt->svc);
        /* The reconciliations write: by the lead only (each server still follows what they wrote). */
        bool lead = rt->svc->store->ops->lead(rt->svc->store);
        bool round = lead && nt_mono_us() - reconciled >= (int64_t)rt->cfg.reconcile_ms * 1000;
        if (round) {
            if (nt_svc_ads_reconcile(rt->svc) > 0)
                nt_svc_catch_up(rt->svc);
            reconciled = nt_mono_us();
        }
        /* Certificates follow their holders' restrictions as soon as a change is followed, and
         * by time (a restriction starting, a validity ending) once a round. */
        if (lead && (nt__certificates_dirty(rt->svc, false) || round) && nt_svc_certificates_reconcile(rt->svc) > 0)
            nt_svc_catch_up(rt->svc);
        if (rt->svc->index != NULL && nt_mono_us() - pruned >= (int64_t)rt->cfg.prune_ms * 1000) {
            nt_rindex_prune(rt->svc->index, nt_now_us() - 86400LL * 1000000);
            pruned = nt_mono_us();
        }
    } while (wait_for_changes(rt));
    return NULL;
}

static void *checkpoint(void *arg)
{
    nt_runtime *rt = arg;
    int rc;
    do {
        rc = rt->svc->store->ops->checkpoint(rt->svc->store);
        nt_svc_log_mark(rt->svc);
    } while (nap(rt, rc == 1 ? 10 : rt->cfg.checkpoint_ms)); /* a WAL growing fast is copied as fast */
    nt_svc_log_mark(rt->svc);
    return NULL;
}

static void *deliver(void *arg)
{
    nt_runtime *rt = arg;
    int n;
    do /* by one server of a database at a time (store lead) */
        n = rt->svc->store->ops->lead(rt->svc->store) ? nt_svc_webhooks_tick(rt->svc) : 0;
    while (nap(rt, n > 0 ? 1 : rt->cfg.deliver_ms)); /* while there is work, at once */
    return NULL;
}

int nt_runtime_start(nt_svc *svc, const nt_runtime_config *cfg, nt_runtime **out, nt_err *err)
{
    nt_runtime *rt = nt_xcalloc(1, sizeof(*rt));
    rt->svc = svc;
    rt->cfg = cfg ? *cfg : nt_runtime_defaults();
    pthread_mutex_init(&rt->mu, NULL);
    pthread_cond_init(&rt->cv, NULL);
    if (pthread_create(&rt->follower, NULL, follow, rt) != 0) {
        free(rt);
        return nt_err_set(err, NT_EIO, "cannot start a thread", "không khởi động được luồng");
    }
    NT_ASSERT(pthread_create(&rt->checkpointer, NULL, checkpoint, rt) == 0);
    if (rt->cfg.deliver_webhooks) {
        NT_ASSERT(pthread_create(&rt->deliverer, NULL, deliver, rt) == 0);
        rt->deliverer_started = true;
    }
    *out = rt;
    return 0;
}

void nt_runtime_stop(nt_runtime *rt)
{
    if (rt == NULL)
        return;
    pthread_mutex_lock(&rt->mu);
    rt->stopping = true;
    pthread_cond_broadcast(&rt->cv);
    pthread_mutex_unlock(&rt->mu);
    pthread_join(rt->follower, NULL);
    pthread_join(rt->checkpointer, NULL);
    if (rt->deliverer_started)
        pthread_join(rt->deliverer, NULL);
    pthread_mutex_destroy(&rt->mu);
    pthread_cond_destroy(&rt->cv);
    free(rt);
}
