/* The request-target parser: path segments and query parameters, percent-
 * decoded into one fixed buffer, with explicit limits. Rejects malformed
 * escapes, invalid UTF-8, NUL bytes, duplicate parameters and anything over
 * its limits. This is a fuzzing target (tests/fuzz/fuzz_query.c). */
#ifndef NT_HTTP_QUERY_H
#define NT_HTTP_QUERY_H
#include "core/err.h"

#define NT_URI_MAX_LEN    4096
#define NT_URI_MAX_SEGS   12
#define NT_URI_MAX_PARAMS 16

typedef struct nt_uri {
    char buf[NT_URI_MAX_LEN + 8];
    int nsegs;
    char *segs[NT_URI_MAX_SEGS];
    int nparams;
    struct {
        char *name;
        char *value;
    } params[NT_URI_MAX_PARAMS];
} nt_uri;

/** Parses "/a/b%40c?x=1&y=%C3%A1". 0, or NT_EINVAL with a field error naming the part at fault
 * (err->fields[0].code "too_long" when the target is over NT_URI_MAX_LEN). */
int nt_uri_parse(const char *raw, nt_uri *out, nt_err *err);

/** The value of a query parameter, or NULL. */
const char *nt_uri_param(const nt_uri *u, const char *name);

#endif
