/* RFC 8785 JSON Canonicalization Scheme, for the records the log commits to.
 *
 * Object members are sorted by the UTF-16 code units of their names; strings
 * escape only what JSON requires (with the short forms \b \f \n \r \t and
 * lowercase \u00xx for other control characters); no white space. Numbers are
 * IEEE 754 doubles written as ECMAScript writes them (integers up to 2^53 in
 * plain decimal): the registry's records hold integers only; credentials from
 * elsewhere may hold any number. */
#ifndef NT_LOG_JCS_H
#define NT_LOG_JCS_H
#include "core/jbuf.h"
#include <jansson.h>

/** The canonical form of v, malloc'd; NULL when v holds no JSON value (NaN, infinity). */
char *nt_jcs(const json_t *v);
/** A double as RFC 8785 writes it; -1 for NaN and infinities. */
int nt_jcs_number(nt_jbuf *b, double d);

/** A string (n bytes of valid UTF-8) as RFC 8785 writes it, quotes included. */
void nt_jcs_string(nt_jbuf *b, const char *s, size_t n);
/** qsort comparator of member names (const char **) in RFC 8785 order: by UTF-16 code units. */
int nt_jcs_name_cmp(const void *a, const void *b);
#endif
