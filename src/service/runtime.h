/* The service runtime: the work that runs by itself, apart from any request.
 *
 * Following the change sequence (into the check, screening and ad indexes, the caches that
 * listen, and the log's signed checkpoint), ads stopping and resuming by time and by others'
 * writes, pruning restrictions that ended, folding the write-ahead log back into the database,
 * and delivering webhooks (with the time-driven events a sanction's start and end produce).
 * `niemtin serve` starts it beside the HTTP server and stops it after; tests start and stop it
 * the same way. The HTTP layer never runs background work itself. */
#ifndef NT_SERVICE_RUNTIME_H
#define NT_SERVICE_RUNTIME_H
#include "service/service.h"

typedef struct nt_runtime nt_runtime;

typedef struct nt_runtime_config {
    int follow_ms;         /* follow others' writes (the CLI, other servers) this often; 200 */
    int reconcile_ms;      /* ads by time; 1000 */
    int prune_ms;          /* restrictions that ended a day ago; 60000 */
    int checkpoint_ms;     /* the write-ahead log folded back; 200 */
    int deliver_ms;        /* webhook deliveries due; 200 */
    bool deliver_webhooks; /* false: leave deliveries to another process */
} nt_runtime_config;

/** The defaults above. */
nt_runtime_config nt_runtime_defaults(void);

/** Starts the runtime's threads over svc (whose index, if any, is built). */
int nt_runtime_start(nt_svc *svc, const nt_runtime_config *cfg, nt_runtime **out, nt_err *err);
/** Stops and joins them; the runtime is freed. */
void nt_runtime_stop(nt_runtime *rt);

/** Brings the indexes, the listeners and the log's signed checkpoint up to what this process's
 * writes committed. A write calls it before it is answered, so what it wrote is what the next
 * check sees. */
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
