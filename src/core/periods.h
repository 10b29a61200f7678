/* The periods a report counts by: calendar months or quarters in Vietnam's time, from the one
 * holding `from` to the one holding `to`. Pure. */
#ifndef NT_CORE_PERIODS_H
#define NT_CORE_PERIODS_H
#include "core/err.h"
#include <stdint.h>

#define NT_PERIODS_MAX 120

typedef struct nt_period {
    char label[16];   /* "2026-11" or "2026-Q4" */
    int64_t from, to; /* [from, to), UTC microseconds */
} nt_period;

/** The periods for by ("month", the default when NULL, or "quarter"), from and to (YYYY-MM-DD or
 * YYYY-MM; to defaults to today, a YYYY-MM-DD; from to 11 months or 7 quarters before to): *n of
 * them in out (at most NT_PERIODS_MAX), or NT_EINVAL with the field named (by, from, to; from
 * after to; too many periods). */
int nt_periods(const char *from, const char *to, const char *by, const char *today, nt_period out[NT_PERIODS_MAX], int *n,
               nt_err *err);
#endif
