/* Following the change sequence: the in-memory indexes, the caches that listen and the log's
 * signed checkpoint brought up to what was committed, by this process's writes (the commit
 * step) or by anyone's (the runtime's follower). */
#ifndef NT_SERVICE_FOLLOW_H
#define NT_SERVICE_FOLLOW_H
#include "service/service.h"

/** Brings the indexes, the listeners and the log's signed checkpoint up to what this process's
 * writes committed. The commit step calls it once a write is committed, so what it wrote is what
 * the next check sees. */
void nt_svc_catch_up(nt_svc *svc);
/** The same for every process's writes (the runtime's follower, every 200 ms). */
void nt_svc_catch_up_all(nt_svc *svc);

/** The change sequence followed so far. */
int64_t nt_svc_seq(nt_svc *svc);

typedef void (*nt_change_fn)(void *arg, const char *entity, const char *id);
/** Tells fn of every change followed from now on (at most NT_SVC_LISTENERS); 0 or NT_EBUSY. */
int nt_svc_listen(nt_svc *svc, nt_change_fn fn, void *arg);
void nt_svc_unlisten(nt_svc *svc, nt_change_fn fn, void *arg);

#endif
