/* Transparency numbers: what the registry did, month by month or quarter by quarter, computed
 * from its records (docs/TRANSPARENCY.md): reports received, time from report to decision,
 * decisions, sanctions, fines, appeals, restrictions in force, certificates, notices and ads.
 * Counts about persons under 5 are shown as "<5". Public. */
#ifndef NT_SERVICE_TRANSPARENCY_H
#define NT_SERVICE_TRANSPARENCY_H
#include "service/service.h"

/** The numbers for the periods (by "month", the default, or "quarter", in Vietnam's time) from
 * the one holding `from` to the one holding `to` (dates, YYYY-MM-DD or YYYY-MM; by default the
 * last 12 months or 8 quarters to today): {from, to, by, time_zone, suppressed_below, periods:
 * [{period, from, to, …}], total: {…}}. A field error names a bad parameter. */
int nt_svc_transparency(nt_svc *svc, const char *from, const char *to, const char *by, json_t **out, nt_err *err);

/** The same numbers as CSV (RFC 4180, UTF-8 with a byte-order mark): one row per period, measure
 * and key — period,measure,key,value. malloc'd. */
char *nt_transparency_csv(const json_t *numbers, size_t *len);

#endif
