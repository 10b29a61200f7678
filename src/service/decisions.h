/* Decisions with their sanctions: issued on a case, or amending an earlier decision; each
 * checked against what due process asks (core/caseflow.h) and logged with receipts. */
#ifndef NT_SERVICE_DECISIONS_H
#define NT_SERVICE_DECISIONS_H
#include "service/service.h"

/** Issues a decision on a case (or one amending an earlier decision). *sanctions_changed gets the
 * ids of the persons whose restrictions changed, for the caller's caches. */
int nt_svc_decision_issue(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *case_id, const json_t *in, json_t **out,
                          nt_err *err);
/** A decision with its sanctions (and their state now) and appeals; NT_ENOTFOUND for one the
 * caller may not see (unpublished, or delisted, unless regulator or the person concerned). */
int nt_svc_decision_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);
/** A published decision withdrawn from publication now, before its delist_at, with its legal
 * basis and reason: logged (decision.delisted), its sanctions untouched; 409 when not published. */
int nt_svc_decision_delist(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out,
                           nt_err *err);
/** Decisions by person, number (a decision is found by its number), publication and issue time
 * [from, to): every one for a regulator; published and not delisted ones for anyone else (and a
 * kol's own). Each item links to its full record (url). */
int nt_svc_decision_list(nt_svc *svc, const nt_actor *who, const char *person_id, const char *number, const char *published,
                         const char *from, const char *to, const char *cursor, int limit, json_t **out, nt_err *err);

/** The state names a sanction row is in at an instant. */
const char *nt_svc_sanction_state(const json_t *sanction, int64_t at_us);

#endif
