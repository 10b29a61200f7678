/* Reports brought to a regulator: created by anyone (the public anonymously), seen by their
 * reporter and by regulators. */
#ifndef NT_SERVICE_REPORTS_H
#define NT_SERVICE_REPORTS_H
#include "service/service.h"

int nt_svc_report_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
int nt_svc_report_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);
/** Reports: all for a regulator, the caller's own otherwise; unassigned "true": not in a case yet. */
int nt_svc_report_list(nt_svc *svc, const nt_actor *who, const char *unassigned, const char *cursor, int limit, json_t **out,
                       nt_err *err);

#endif
