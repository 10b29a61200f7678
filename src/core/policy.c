/* The repeat-violation policy; see policy.h. */
#include "core/policy.h"
#include <stdbool.h>
#include <stdio.h>

#define DAY_US (86400LL * 1000000)

nt_policy nt_policy_default(void)
{
    nt_policy p = {.short_count = 5,
                   .short_days = 30,
                   .long_count = 10,
                   .long_days = 90,
                   .restrict_min_days = 7,
                   .restrict_max_days = 30,
                   .long_term_after = 3};
    return p;
}

int nt_policy_parse(const char *s, nt_policy *out)
{
    nt_policy p;
    char tail;
    if (s == NULL || sscanf(s, "%d/%d,%d/%d,%d-%d,%d%c", &p.short_count, &p.short_days, &p.long_count, &p.long_days,
                            &p.restrict_min_days, &p.restrict_max_days, &p.long_term_after, &tail) != 7)
        return -1;
    if (p.short_count < 0 || p.long_count < 0 || p.short_days < 1 || p.long_days < 1 || p.restrict_min_days < 1 ||
        p.restrict_max_days < p.restrict_min_days || p.long_term_after < 0)
        return -1;
    *out = p;
    return 0;
}

const char *nt_recommendation_kind_name(nt_recommendation_kind k)
{
    switch (k) {
    case NT_RECOMMEND_TEMPORARY_RESTRICTION:
        return "temporary_restriction";
    case NT_RECOMMEND_LONG_TERM_REVIEW:
        return "long_term_review";
    default:
        return "none";
    }
}

/* Violations in (now - days, now]: the window ends now and reaches back `days`. */
static size_t in_window(const int64_t *v, size_t n, int64_t now, int days, size_t *first)
{
    int64_t from = now - (int64_t)days * DAY_US;
    size_t count = 0;
    *first = n;
    for (size_t i = 0; i < n; i++) {
        if (v[i] > from && v[i] <= now) {
            if (count++ == 0)
                *first = i;
        }
    }
    return count;
}

nt_recommendation nt_policy_evaluate(const nt_policy *p, const int64_t *v, size_t n, int temporary_restrictions, int64_t now)
{
    nt_recommendation r = {0};
    if (p->long_term_after > 0 && temporary_restrictions >= p->long_term_after) {
        r.kind = NT_RECOMMEND_LONG_TERM_REVIEW;
        return r;
    }
    size_t f_short, f_long;
    size_t c_short = in_window(v, n, now, p->short_days, &f_short);
    size_t c_long = in_window(v, n, now, p->long_days, &f_long);
    bool short_hit = p->short_count > 0 && (int)c_short >= p->short_count;
    bool long_hit = p->long_count > 0 && (int)c_long >= p->long_count;
    if (!short_hit && !long_hit)
        return r;
    r.kind = NT_RECOMMEND_TEMPORARY_RESTRICTION;
    r.min_days = p->restrict_min_days;
    r.max_days = p->restrict_max_days;
    bool use_long = long_hit && (!short_hit || c_long > c_short);
    r.violations_in_window = (int)(use_long ? c_long : c_short);
    r.window_days = use_long ? p->long_days : p->short_days;
    r.first = use_long ? f_long : f_short;
    r.last = r.first + (size_t)r.violations_in_window - 1;
    return r;
}
