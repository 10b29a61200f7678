/* Cases: opened from reports or on a regulator's own initiative, and moved through their states. */
#ifndef NT_SERVICE_CASES_H
#define NT_SERVICE_CASES_H
#include "service/service.h"

int nt_svc_case_open(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
int nt_svc_case_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
/** Cases by state, person, and "assigned=me" (those the caller's key opened). */
int nt_svc_case_list(nt_svc *svc, const nt_actor *who, const char *state, const char *person_id, const char *assigned,
                     const char *cursor, int limit, json_t **out, nt_err *err);
/** Moves a case; NT_ECONFLICT with err->allowed listing the moves from where it is. */
int nt_svc_case_move(nt_svc *svc, nt_wctx *w, const char *id, const json_t *in, json_t **out, nt_err *err);

#endif
