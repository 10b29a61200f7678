/* The repeat-violation policy: recommendations for a regulator, never sanctions.
 *
 * Default thresholds, from those used in Vietnam for social-media accounts:
 * 5 decided violations within 30 days, or 10 within 90 days, recommend a
 * temporary restriction of 7 to 30 days; a third temporary restriction
 * recommends review for a long-term one. Nothing here applies anything: a
 * recommendation only becomes a sanction through a decision. Pure functions. */
#ifndef NT_CORE_POLICY_H
#define NT_CORE_POLICY_H
#include <stddef.h>
#include <stdint.h>

typedef struct nt_policy {
    int short_count, short_days; /* 5 within 30 days */
    int long_count, long_days;   /* 10 within 90 days */
    int restrict_min_days, restrict_max_days;
    int long_term_after; /* recommend long-term review from the Nth temporary restriction */
} nt_policy;

/** The default thresholds above. */
nt_policy nt_policy_default(void);

/** Parses "5/30,10/90,7-30,3": N violations within D days (twice), the recommended restriction's
 * range in days, and from which temporary restriction to recommend a long-term review. A count of 0
 * switches that rule off. 0 or -1 when malformed. */
int nt_policy_parse(const char *s, nt_policy *out);

typedef enum nt_recommendation_kind {
    NT_RECOMMEND_NONE = 0,
    NT_RECOMMEND_TEMPORARY_RESTRICTION,
    NT_RECOMMEND_LONG_TERM_REVIEW,
} nt_recommendation_kind;

typedef struct nt_recommendation {
    nt_recommendation_kind kind;
    int min_days, max_days;   /* for a temporary restriction */
    int violations_in_window; /* how many decisions triggered it */
    int window_days;          /* over which window */
    size_t first, last;       /* the triggering decisions: indexes into the input, oldest..newest */
} nt_recommendation;

/** Evaluates one person's decided violations (issue times, ascending) and the number of
 * temporary restrictions imposed so far, as of now. Long-term review outranks a temporary
 * restriction; of the two windows, the one with more violations is reported. */
nt_recommendation nt_policy_evaluate(const nt_policy *p, const int64_t *violations_us, size_t n, int temporary_restrictions,
                                     int64_t now_us);

const char *nt_recommendation_kind_name(nt_recommendation_kind k);
#endif
