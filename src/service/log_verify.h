/* niemtin log verify: the whole log checked against the database, apart from the log the server
 * serves. */
#ifndef NT_SERVICE_LOG_VERIFY_H
#define NT_SERVICE_LOG_VERIFY_H
#include "service/service.h"

typedef struct nt_log_verify_result {
    uint64_t entries;         /* in log_entries */
    uint64_t records;         /* commitments recomputed */
    uint64_t redacted;        /* entries whose record was redacted */
    uint64_t rows;            /* live rows compared with their latest record */
    uint64_t checkpoint_size; /* of the latest checkpoint, when it verified */
    int discrepancies;
    /* Set by the caller, kept: told now and then how far the checks have gone (entries, then
     * records: done of total). */
    void (*progress)(void *arg, uint64_t done, uint64_t total);
    void *progress_arg;
} nt_log_verify_result;

/** niemtin log verify: recomputes every commitment from the database, rebuilds the tree, compares
 * each row with its latest logged record, finds rows that are not in the log, and checks the
 * latest stored checkpoint (and old_checkpoint, if given) against the tree and the public key
 * pub. Each finding goes to report (bad: a discrepancy, else information). */
int nt_svc_log_verify(nt_svc *svc, const char *pub, const char *old_checkpoint,
                      void (*report)(void *arg, bool bad, const char *line), void *arg, nt_log_verify_result *res);

#endif
