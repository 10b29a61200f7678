/* Checks a decoded JSON object against a field list: unknown fields, types,
 * required fields, lengths and ranges. Every problem found is reported as a
 * field error naming the field, so a client can fix all of them at once. */
#ifndef NT_CORE_SCHEMA_H
#define NT_CORE_SCHEMA_H
#include "core/err.h"
#include <jansson.h>

enum nt_ftype { NT_FT_STR, NT_FT_INT, NT_FT_BOOL, NT_FT_STR_ARRAY, NT_FT_OBJ_ARRAY, NT_FT_OBJ, NT_FT_NUM };

#define NT_F_REQUIRED 1u
#define NT_F_NULLABLE 2u

typedef struct nt_field {
    const char *name;
    enum nt_ftype type;
    unsigned flags;
    long min;      /* INT: smallest; NUM: smallest in thousandths; STR: fewest code points */
    long max;      /* INT: largest; NUM: largest in thousandths; STR: most code points; arrays: most items */
    long item_max; /* STR_ARRAY: most code points per item */
} nt_field;

/** Checks obj against the n fields of spec, prefixing field names with prefix (may be ""). 0 or NT_EINVAL. */
int nt_schema_check(const json_t *obj, const nt_field *spec, size_t n, const char *prefix, nt_err *err);

/** The string value of a field, or NULL when absent or null. */
const char *nt_json_str(const json_t *obj, const char *name);

/** Shows stored UTC times in Asia/Ho_Chi_Minh, in place, everywhere in v: the values of keys that
 * name a time (…_at, at, from, to, …_from, …_until, deadline, appeal_deadline, start, end) that
 * are RFC 3339 times. User text is never touched. */
void nt_json_show_times(json_t *v);

/** Replaces, in place everywhere in v, each reason or detail given in both languages (a "detail",
 * "reason" or "state_reason" of exactly {"vi": string, "en": string}) by the one in lang. */
void nt_json_pick_language(json_t *v, nt_lang lang);

/** The time (µs since the epoch) of a field holding RFC 3339 text; 0 when absent, null or unreadable. */
int64_t nt_json_time(const json_t *obj, const char *name);

#endif
