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
#include "service/follow.h"
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

#endif
