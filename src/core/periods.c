/* The periods a report counts by; see periods.h. */
#include "core/periods.h"
#include "core/util.h"
#include <stdio.h>
#include <string.h>

/* A month index (year * 12 + month - 1) from "YYYY-MM" or a valid "YYYY-MM-DD". */
static int month_of(const char *s, int *mi)
{
    size_t len = s != NULL ? strlen(s) : 0;
    if (len != 7 && len != 10)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'), m = (s[5] - '0') * 10 + (s[6] - '0');
    int64_t us;
    if (m < 1 || m > 12 || y < 2000 || y > 2200 || (len == 10 && nt_time_parse(s, &us) != 0))
        return -1;
    *mi = y * 12 + m - 1;
    return 0;
}

/* Midnight in Vietnam on the first day of a month. */
static int64_t month_start(int mi)
{
    char d[32];
    snprintf(d, sizeof(d), "%04d-%02d-01", mi / 12, mi % 12 + 1);
    int64_t us = 0;
    nt_time_parse(d, &us);
    return us;
}

int nt_periods(const char *from, const char *to, const char *by, const char *today, nt_period out[NT_PERIODS_MAX], int *n,
               nt_err *err)
{
    bool quarter = by != NULL && strcmp(by, "quarter") == 0;
    if (by != NULL && !quarter && strcmp(by, "month") != 0)
        nt_err_field_allowed(err, "by", "invalid", "month,quarter");
    int step = quarter ? 3 : 1, lo = 0, hi = 0;
    if (month_of(to != NULL ? to : today, &hi) != 0)
        nt_err_field(err, "to", "invalid", 0);
    hi -= hi % step;
    if (from != NULL && month_of(from, &lo) != 0)
        nt_err_field(err, "from", "invalid", 0);
    if (from == NULL)
        lo = hi - (quarter ? 7 : 11) * step;
    lo -= lo % step;
    if (err->nfields == 0 && lo > hi)
        nt_err_field(err, "from", "after_to", 0);
    if (err->nfields == 0 && (hi - lo) / step + 1 > NT_PERIODS_MAX)
        nt_err_field(err, "from", "out_of_range", NT_PERIODS_MAX);
    if (err->nfields > 0)
        return NT_EINVAL;
    *n = (hi - lo) / step + 1;
    for (int i = 0; i < *n; i++) {
        int mi = lo + i * step;
        if (quarter)
            snprintf(out[i].label, sizeof(out[i].label), "%04d-Q%d", mi / 12, mi % 12 / 3 + 1);
        else
            snprintf(out[i].label, sizeof(out[i].label), "%04d-%02d", mi / 12, mi % 12 + 1);
        out[i].from = month_start(mi);
        out[i].to = month_start(mi + step);
    }
    return 0;
}
