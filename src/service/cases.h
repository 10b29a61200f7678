/* Due process: reports, cases, decisions with their sanctions, appeals and
 * recommendations. Each function validates, writes in one transaction and
 * returns the resource as JSON (times in UTC). */
#ifndef NT_SERVICE_CASES_H
#define NT_SERVICE_CASES_H
#include "service/service.h"

int nt_svc_report_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
int nt_svc_report_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);
int nt_svc_report_list(nt_svc *svc, const nt_actor *who, const char *cursor, int limit, json_t **out, nt_err *err);

int nt_svc_case_open(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
int nt_svc_case_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
int nt_svc_case_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err);
/** Moves a case; NT_ECONFLICT with err->allowed listing the moves from where it is. */
int nt_svc_case_move(nt_svc *svc, nt_wctx *w, const char *id, const json_t *in, json_t **out, nt_err *err);

/** Issues a decision on a case (or one amending an earlier decision). *sanctions_changed gets the
 * ids of the persons whose restrictions changed, for the caller's caches. */
int nt_svc_decision_issue(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *case_id, const json_t *in, json_t **out,
                          nt_err *err);
/** A decision with its sanctions (and their state now) and appeals; NT_ENOTFOUND for one the
 * caller may not see (unpublished, or delisted, unless regulator or the person concerned). */
int nt_svc_decision_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);

int nt_svc_appeal_file(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *decision_id, const json_t *in, json_t **out,
                       nt_err *err);
int nt_svc_appeal_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);
int nt_svc_appeal_review(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, json_t **out, nt_err *err);
int nt_svc_appeal_resolve(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out,
                          nt_err *err);

/** Recommendations from the repeat-violation policy, with the decisions behind each. */
int nt_svc_recommendations(nt_svc *svc, json_t **out, nt_err *err);

/** Internal: scope bits as an array of names, for output. */
json_t *nt__svc_scope_names(unsigned bits);

/** The state names a sanction row is in at an instant. */
const char *nt_svc_sanction_state(const json_t *sanction, int64_t at_us);
#endif
