/* Catching up with the change sequence and the log; see follow.h. */
#include "service/follow.h"
#include "index/restrictions.h"
#include "service/check.h"
#include "core/util.h"
#include "service/certindex.h"
#include "service/credentials.h"
#include "service/feeds.h"
#include "service/tlog.h"
#include <string.h>

/* Every change followed: keys forgotten from the authentication cache, then the listeners. */
static void on_change(void *arg, const char *entity, const char *id)
{
    nt_svc *svc = arg;
    if (strcmp(entity, "key") == 0 && svc->key_changed != NULL)
        svc->key_changed(svc, id);
    else if (strcmp(entity, "org") == 0 && svc->org_changed != NULL)
        svc->org_changed(svc, id);
    /* A certificate's status is its status lists' bit: the signed lists are made again. What may
     * suspend, reinstate or revoke one has the runtime look at certificates now. */
    static const char *const trust[] = {"sanction", "decision", "appeal", "certificate", NULL};
    if (strcmp(entity, "certificate") == 0)
        nt_svc_status_lists_drop(svc);
    if (strcmp(entity, "notice") == 0) /* its feeds are rendered again */
        nt_svc_notice_feeds_drop(svc);
    if (nt_str_one_of(entity, trust))
        nt__certificates_dirty(svc, true);
    for (int i = 0; i < svc->nlisteners; i++) /* under follow_lock, as nt_svc_listen writes them */
        svc->listeners[i].fn(svc->listeners[i].arg, entity, id);
}

void nt_svc_catch_up_all(nt_svc *svc)
{
    nt_err err;
    nt_err_clear(&err);
    nt_svc_log_sync(svc, &err);
    nt_svc_follow(svc, on_change, svc);
}

void nt_svc_catch_up(nt_svc *svc)
{
    /* After this process's own write: what it committed is known, so a catch-up that another
     * request's already made (a group's first one does it for all) reads nothing. */
    int64_t seq = 0, log_size = 0;
    svc->store->ops->committed(svc->store, &seq, &log_size);
    nt_err err;
    nt_err_clear(&err);
    if (log_size == 0 || !nt_svc_log_covers(svc, log_size))
        nt_svc_log_sync(svc, &err);
    if (seq == 0 || nt_svc_seq(svc) < seq)
        nt_svc_follow(svc, on_change, svc);
}

int64_t nt_svc_seq(nt_svc *svc)
{
    return svc->index ? nt_rindex_seq(svc->index) : __atomic_load_n(&svc->seq, __ATOMIC_ACQUIRE);
}

int nt_svc_listen(nt_svc *svc, nt_change_fn fn, void *arg)
{
    int rc = NT_EBUSY;
    pthread_mutex_lock(&svc->follow_lock);
    if (svc->nlisteners < NT_SVC_LISTENERS) {
        svc->listeners[svc->nlisteners].fn = fn;
        svc->listeners[svc->nlisteners].arg = arg;
        svc->nlisteners++;
        rc = 0;
    }
    pthread_mutex_unlock(&svc->follow_lock);
    return rc;
}

void nt_svc_unlisten(nt_svc *svc, nt_change_fn fn, void *arg)
{
    pthread_mutex_lock(&svc->follow_lock);
    for (int i = 0; i < svc->nlisteners; i++)
        if (svc->listeners[i].fn == fn && svc->listeners[i].arg == arg) {
            svc->listeners[i] = svc->listeners[--svc->nlisteners];
            break;
        }
    pthread_mutex_unlock(&svc->follow_lock);
}
