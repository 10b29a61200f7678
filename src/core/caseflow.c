/* Case and appeal state machines as tables; see caseflow.h. */
#include "core/caseflow.h"
#include "core/text.h"
#include <string.h>

const char *const nt_case_state_names[NT_CASE_STATE_COUNT + 1] = {"open", "under_review", "decided", "closed", NULL};

/* case_moves[from][to] */
static const bool case_moves[NT_CASE_STATE_COUNT][NT_CASE_STATE_COUNT] = {
    [NT_CASE_OPEN] = {[NT_CASE_UNDER_REVIEW] = true},
    [NT_CASE_UNDER_REVIEW] = {[NT_CASE_DECIDED] = true},
    [NT_CASE_DECIDED] = {[NT_CASE_CLOSED] = true},
};

const char *const nt_appeal_state_names[NT_APPEAL_STATE_COUNT + 1] = {"filed",      "under_review", "upheld",
                                                                      "overturned", "modified",     NULL};

static const bool appeal_moves[NT_APPEAL_STATE_COUNT][NT_APPEAL_STATE_COUNT] = {
    [NT_APPEAL_FILED] = {[NT_APPEAL_UNDER_REVIEW] = true},
    [NT_APPEAL_UNDER_REVIEW] = {[NT_APPEAL_UPHELD] = true, [NT_APPEAL_OVERTURNED] = true, [NT_APPEAL_MODIFIED] = true},
};

static int parse(const char *s, const char *const *names, int n)
{
    for (int i = 0; s != NULL && i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *nt_case_state_name(nt_case_state s)
{
    return (unsigned)s < NT_CASE_STATE_COUNT ? nt_case_state_names[s] : "?";
}

int nt_case_state_parse(const char *s)
{
    return parse(s, nt_case_state_names, NT_CASE_STATE_COUNT);
}

bool nt_case_can_move(nt_case_state from, nt_case_state to)
{
    return (unsigned)from < NT_CASE_STATE_COUNT && (unsigned)to < NT_CASE_STATE_COUNT && case_moves[from][to];
}

size_t nt_case_moves_from(nt_case_state from, const char **out, size_t max)
{
    size_t n = 0;
    for (int to = 0; to < NT_CASE_STATE_COUNT && n < max; to++)
        if (nt_case_can_move(from, (nt_case_state)to))
            out[n++] = nt_case_state_names[to];
    return n;
}

const char *nt_appeal_state_name(nt_appeal_state s)
{
    return (unsigned)s < NT_APPEAL_STATE_COUNT ? nt_appeal_state_names[s] : "?";
}

int nt_appeal_state_parse(const char *s)
{
    return parse(s, nt_appeal_state_names, NT_APPEAL_STATE_COUNT);
}

bool nt_appeal_can_move(nt_appeal_state from, nt_appeal_state to)
{
    return (unsigned)from < NT_APPEAL_STATE_COUNT && (unsigned)to < NT_APPEAL_STATE_COUNT && appeal_moves[from][to];
}

size_t nt_appeal_moves_from(nt_appeal_state from, const char **out, size_t max)
{
    size_t n = 0;
    for (int to = 0; to < NT_APPEAL_STATE_COUNT && n < max; to++)
        if (nt_appeal_can_move(from, (nt_appeal_state)to))
            out[n++] = nt_appeal_state_names[to];
    return n;
}

bool nt_appeal_resolved(nt_appeal_state s)
{
    return s == NT_APPEAL_UPHELD || s == NT_APPEAL_OVERTURNED || s == NT_APPEAL_MODIFIED;
}

int64_t nt_appeal_deadline(int64_t issued_us, int days)
{
    return issued_us + (int64_t)days * 86400 * 1000000;
}

bool nt_appeal_in_time(int64_t filed_us, int64_t deadline_us)
{
    return filed_us < deadline_us;
}

const char *const nt_report_categories[] = {"false_advertising",
                                            "counterfeit_or_substandard_goods",
                                            "undisclosed_advertising",
                                            "misinformation",
                                            "fraud_or_scam",
                                            "privacy",
                                            "offensive_content",
                                            "other",
                                            NULL};
const char *const nt_decision_grounds[] = {"law", "code_of_conduct", "contract", NULL};
const char *const nt_detection_sources[] = {"authority", "platform", "user_report", "own_initiative", NULL};

int nt_decision_requirements(const nt_decision_facts *f, nt_err *err)
{
    int before = err->nfields;
    if (f->violation) {
        if (f->legal_bases == 0)
            nt_err_field(err, "legal_bases", "required", 0);
        if (f->facts_chars == 0)
            nt_err_field(err, "facts", "required", 0);
        if (!f->notice)
            nt_err_field(err, "notice", "required", 0);
    } else if (f->sanctions > 0) {
        nt_err_field(err, "sanctions", "invalid", 0); /* no violation, no sanction */
    }
    if (f->issued_us > f->now_us + 60 * 1000000LL || f->issued_us < NT_DUE_PROCESS_EPOCH_US ||
        (f->opened_us != 0 && f->issued_us < f->opened_us))
        nt_err_field(err, "issued_at", "out_of_range", 0); /* recorded once issued, within its case's life */
    if (f->notice_us != 0 && (f->notice_us > f->now_us + 60 * 1000000LL || f->notice_us < NT_DUE_PROCESS_EPOCH_US ||
                              (f->opened_us != 0 && f->notice_us < f->opened_us)))
        nt_err_field(err, "notice.sent_at", "out_of_range", 0);
    if (f->delist_us != 0 && f->delist_us <= f->issued_us)
        nt_err_field(err, "delist_at", "out_of_range", 0); /* listed before it stops being listed */
    return err->nfields - before;
}

/* Two names are the same person's when they read the same without case, diacritics or extra spaces. */
static bool same_name(const char *a, const char *b)
{
    char ka[NT_KEY_MAX], kb[NT_KEY_MAX];
    if (a == NULL || b == NULL)
        return false;
    if (nt_text_search_key(a, ka, sizeof(ka)) < 0 || nt_text_search_key(b, kb, sizeof(kb)) < 0)
        return strcmp(a, b) == 0;
    return strcmp(ka, kb) == 0;
}

int nt_appeal_reviewer_conflict(const char *issued_by_key, const char *signer_name, const char *resolver_key,
                                const char *reviewer_name)
{
    if (issued_by_key != NULL && resolver_key != NULL && strcmp(issued_by_key, resolver_key) == 0)
        return NT_REVIEWER_SAME_KEY;
    if (same_name(signer_name, reviewer_name))
        return NT_REVIEWER_SAME_SIGNER;
    return 0;
}

bool nt_appeal_reviewer_independent(const char *issued_by_key, const char *signer_name, const char *resolver_key,
                                    const char *reviewer_name)
{
    return nt_appeal_reviewer_conflict(issued_by_key, signer_name, resolver_key, reviewer_name) == 0;
}
