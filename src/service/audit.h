/* The audit trail: who did what, when, with which request, for admins and regulators. */
#ifndef NT_SERVICE_AUDIT_H
#define NT_SERVICE_AUDIT_H
#include "service/service.h"

/** The newest first, after cursor; each filter NULL for any: action, entity, entity_id, key_id,
 * and a period [from, to). */
int nt_svc_audit_list(nt_svc *svc, const char *action, const char *entity, const char *entity_id, const char *key_id,
                      const char *from, const char *to, const char *cursor, int limit, json_t **out, nt_err *err);

#endif
