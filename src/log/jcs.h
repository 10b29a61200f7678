/* RFC 8785 JSON Canonicalization Scheme, for the records the log commits to.
 *
 * Object members are sorted by the UTF-16 code units of their names; strings
 * escape only what JSON requires (with the short forms \b \f \n \r \t and
 * lowercase \u00xx for other control characters); no white space. Numbers are
 * limited to integers — the registry's records hold no others — which print the
 * same in RFC 8785 as in decimal. */
#ifndef NT_LOG_JCS_H
#define NT_LOG_JCS_H
#include "core/jbuf.h"
#include <jansson.h>

/** The canonical form of v, malloc'd; NULL for a real number or no memory. */
char *nt_jcs(const json_t *v);

/** A string (n bytes of valid UTF-8) as RFC 8785 writes it, quotes included. */
void nt_jcs_string(nt_jbuf *b, const char *s, size_t n);
/** qsort comparator of member names (const char **) in RFC 8785 order: by UTF-16 code units. */
int nt_jcs_name_cmp(const void *a, const void *b);
#endif
