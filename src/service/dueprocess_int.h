/* Internal to the due-process services (reports, cases, decisions, appeals, recommendations). */
#ifndef NT_SERVICE_DUEPROCESS_INT_H
#define NT_SERVICE_DUEPROCESS_INT_H
#include "core/sanction.h"
#include "service/commit.h"
#include "service/service.h"

#define DAY_US     (86400LL * 1000000)
#define SUBSPEC(s) s, sizeof(s) / sizeof(s[0])
#define q          nt__svc_q
#define q1         nt__svc_q1

/** Reads an RFC 3339 time field of in into *us (0 when absent); adds the field's error. */
int nt__dp_time_field(const json_t *in, const char *name, int64_t *us, bool required, nt_err *err);
/** The authority a case or decision is recorded under: the name of the acting key's organisation,
 * with the text given (a department, a unit) added after it unless that text already begins
 * with the organisation's name. Allocated; NULL only when out of memory. */
char *nt__dp_authority(nt_svc *svc, const nt_actor *who, const char *given);
/** Refuses a move from one state to another: 409 naming the moves allowed from where it is. */
int nt__dp_refuse_move(nt_err *err, const char *what, const char *id, const char *from, const char *to, const char **moves,
                       size_t n);
/** A sanction row's timeline. */
nt_sanction_timeline nt__dp_timeline_of(const json_t *s);
/** Issues decision `id` on a case; the rows of `extra`, if any, are written after its own in the
 * same transaction (an appeal's resolution that modifies the decision). */
int nt__dp_decision_issue(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *case_id, const json_t *in, const char *id,
                          nt_tx *extra, json_t **out, nt_err *err);

#endif
