/* Appeals against decisions: filed, reviewed and resolved, with what that does to the sanctions. */
#ifndef NT_SERVICE_APPEALS_H
#define NT_SERVICE_APPEALS_H
#include "service/service.h"

int nt_svc_appeal_file(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *decision_id, const json_t *in, json_t **out,
                       nt_err *err);
/** Appeals: every one for a regulator, the person's own for a kol; by state, and those due to be
 * resolved before a time (30 days after filing). */
int nt_svc_appeal_list(nt_svc *svc, const nt_actor *who, const char *state, const char *due_before, const char *cursor, int limit,
                       json_t **out, nt_err *err);
int nt_svc_appeal_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);
int nt_svc_appeal_review(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, json_t **out, nt_err *err);
int nt_svc_appeal_resolve(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out,
                          nt_err *err);

#endif
