/* The due-process state machines: cases and appeals, and the appeal deadline.
 *
 * A case moves open -> under_review -> decided -> closed and nowhere else; an
 * invalid move is refused with the moves allowed from where the case is, so a
 * client can say "409: from decided you may only close". An appeal is filed
 * strictly before the decision's deadline, reviewed, and resolved as upheld,
 * overturned or modified. And the rules a decision must meet before it is
 * recorded: a violation names its legal basis and facts and the person was
 * given notice; no sanction without a violation; an appeal is resolved by
 * someone other than who decided. Pure functions. */
#ifndef NT_CORE_CASEFLOW_H
#define NT_CORE_CASEFLOW_H
#include "core/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum nt_case_state {
    NT_CASE_OPEN = 0,
    NT_CASE_UNDER_REVIEW,
    NT_CASE_DECIDED,
    NT_CASE_CLOSED,
    NT_CASE_STATE_COUNT
} nt_case_state;

const char *nt_case_state_name(nt_case_state s);
int nt_case_state_parse(const char *s);

/** The case states' names, NULL-terminated. */
extern const char *const nt_case_state_names[];

/** True when a case may move from one state to the other. */
bool nt_case_can_move(nt_case_state from, nt_case_state to);

/** The states a case may move to from `from`, as names; returns how many (at most max). */
size_t nt_case_moves_from(nt_case_state from, const char **out, size_t max);

typedef enum nt_appeal_state {
    NT_APPEAL_FILED = 0,
    NT_APPEAL_UNDER_REVIEW,
    NT_APPEAL_UPHELD,
    NT_APPEAL_OVERTURNED,
    NT_APPEAL_MODIFIED,
    NT_APPEAL_STATE_COUNT
} nt_appeal_state;

const char *nt_appeal_state_name(nt_appeal_state s);
int nt_appeal_state_parse(const char *s);

/** The appeal states' names, NULL-terminated. */
extern const char *const nt_appeal_state_names[];
bool nt_appeal_can_move(nt_appeal_state from, nt_appeal_state to);
size_t nt_appeal_moves_from(nt_appeal_state from, const char **out, size_t max);

/** True once the appeal has an outcome. */
bool nt_appeal_resolved(nt_appeal_state s);

#define NT_APPEAL_DEADLINE_DAYS_DEFAULT 30

/** The deadline: issued_at plus days, to the microsecond. */
int64_t nt_appeal_deadline(int64_t issued_us, int days);

/** An appeal may be filed strictly before the deadline. */
bool nt_appeal_in_time(int64_t filed_us, int64_t deadline_us);

/** What a report is about; on what ground a decision rests; how the violation came to light.
 * NULL-terminated. */
extern const char *const nt_report_categories[];
extern const char *const nt_decision_grounds[];
extern const char *const nt_detection_sources[];

/** Nothing in the registry is dated before 2000-01-01: a year before that is a typing mistake. */
#define NT_DUE_PROCESS_EPOCH_US (946684800LL * 1000000)

/** What a decision says, as far as due process asks. */
typedef struct nt_decision_facts {
    bool violation;     /* the outcome: a violation (else no violation) */
    size_t legal_bases; /* how many legal bases it names */
    size_t facts_chars; /* length of its statement of facts */
    bool notice;        /* the notice given to the person is recorded */
    size_t sanctions;   /* how many sanctions it imposes */
    int64_t issued_us;  /* when it was issued */
    int64_t now_us;     /* when it is recorded */
    int64_t opened_us;  /* when its case was opened (0: not known) */
    int64_t notice_us;  /* when notice was given (0: none) */
    int64_t delist_us;  /* when it stops being listed publicly (0: never) */
} nt_decision_facts;

/** Adds a field error for each requirement the decision does not meet (legal_bases, facts and
 * notice required for a violation; sanctions only with a violation; issued_at and notice.sent_at
 * not before the case was opened, nor before 2000, nor more than a minute ahead of now;
 * delist_at after issued_at); returns how many. */
int nt_decision_requirements(const nt_decision_facts *f, nt_err *err);

/** An appeal is resolved by someone independent of the decision: not the key that issued it, and
 * a reviewer other than its signer (names compared without case, diacritics or extra spaces).
 * nt_appeal_reviewer_conflict says which rule fails: 0, NT_REVIEWER_SAME_KEY or
 * NT_REVIEWER_SAME_SIGNER. */
enum { NT_REVIEWER_SAME_KEY = 1, NT_REVIEWER_SAME_SIGNER = 2 };
int nt_appeal_reviewer_conflict(const char *issued_by_key, const char *signer_name, const char *resolver_key,
                                const char *reviewer_name);
bool nt_appeal_reviewer_independent(const char *issued_by_key, const char *signer_name, const char *resolver_key,
                                    const char *reviewer_name);

#endif
