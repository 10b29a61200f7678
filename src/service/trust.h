/* The Digital Trust alliance: its standards, its members, and the training quiz behind the
 * Influencer Trust certificate (docs/TRUST.md).
 *
 * Organisations (platforms, press, broadcasters, advertisers and agencies) and persons (by their
 * kol key) apply; the secretariat (programme keys) admits or refuses with reasons; a member
 * accepts the standards version in force, leaves, or is removed with a reason. Admissions,
 * acceptances, departures and removals are logged (member.*). A new standards version asks every
 * member to accept it within the days the standards give; until they do they are shown as
 * pending_acceptance. The quiz draws from the bank on the server and scores there: the bank's
 * answers never leave it. */
#ifndef NT_SERVICE_TRUST_H
#define NT_SERVICE_TRUST_H
#include "service/service.h"

/** The standards: the version in force (with when members must accept it) and the list of
 * versions; with version > 0, that version whole. */
int nt_svc_standards(int version, json_t **out, nt_err *err);

/** {category?, province?, topics?, statement?}: the caller's organisation or person applies. 409
 * naming the open membership when there is one. */
int nt_svc_member_apply(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
/** A member: anyone sees an admitted one; the secretariat and the member itself see any state. */
int nt_svc_member_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);

typedef struct nt_member_query {
    const char *state, *kind, *category, *province, *topic, *q, *cursor;
    int limit;
} nt_member_query;

/** The directory: admitted members for anyone, any state for the secretariat. */
int nt_svc_member_list(nt_svc *svc, const nt_actor *who, const nt_member_query *q, json_t **out, nt_err *err);

typedef enum nt_member_step { NT_MEMBER_ADMIT, NT_MEMBER_REFUSE, NT_MEMBER_REMOVE, NT_MEMBER_LEAVE } nt_member_step;
/** The secretariat admits or refuses an application ({reason}, required to refuse) or removes a
 * member ({reason}); the member leaves ({reason?}). 409 naming the state when the step does not apply. */
int nt_svc_member_step(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, nt_member_step step, const json_t *in,
                       json_t **out, nt_err *err);
/** {version}: the member accepts the standards version in force (recorded with the time). */
int nt_svc_member_accept(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err);
/** The person's admitted membership, or NULL. */
json_t *nt__trust_person_member(nt_svc *svc, const char *person_id);
/** Whether that membership accepted the version in force now. */
bool nt__trust_standards_accepted(const json_t *member, int64_t now_us);

/** The training modules (no question bank). */
int nt_svc_training(json_t **out, nt_err *err);
/** A kol starts a quiz: 20 questions drawn (options shuffled), no answers. 429 after 3 attempts in 24 hours. */
int nt_svc_quiz_start(nt_svc *svc, nt_wctx *w, const nt_actor *who, json_t **out, nt_err *err);
/** {answers: {question id: option index as shown}}: scored once, on the server. */
int nt_svc_quiz_submit(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err);
/** The caller's attempt (score and which questions were right once submitted). */
int nt_svc_quiz_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);
/** The person's best passed percentage within the last `days`, or -1 when none passed. */
int nt__trust_quiz_best(nt_svc *svc, const char *person_id, int days);
#endif
