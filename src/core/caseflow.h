/* The due-process state machines: cases and appeals, and the appeal deadline.
 *
 * A case moves open -> under_review -> decided -> closed and nowhere else; an
 * invalid move is refused with the moves allowed from where the case is, so a
 * client can say "409: from decided you may only close". An appeal is filed
 * strictly before the decision's deadline, reviewed, and resolved as upheld,
 * overturned or modified. Pure functions. */
#ifndef NT_CORE_CASEFLOW_H
#define NT_CORE_CASEFLOW_H
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
bool nt_appeal_can_move(nt_appeal_state from, nt_appeal_state to);
size_t nt_appeal_moves_from(nt_appeal_state from, const char **out, size_t max);

/** True once the appeal has an outcome. */
bool nt_appeal_resolved(nt_appeal_state s);

#define NT_APPEAL_DEADLINE_DAYS_DEFAULT 30

/** The deadline: issued_at plus days, to the microsecond. */
int64_t nt_appeal_deadline(int64_t issued_us, int days);

/** An appeal may be filed strictly before the deadline. */
bool nt_appeal_in_time(int64_t filed_us, int64_t deadline_us);

#endif
