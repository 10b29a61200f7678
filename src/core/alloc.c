/* Allocation that aborts with a message when memory runs out (see alloc.h). */
#include "core/alloc.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void oom(size_t n)
{
    fprintf(stderr, "niemtin: out of memory allocating %zu bytes\n", n);
    fflush(stderr);
    abort();
}

void *nt_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        oom(n);
    return p;
}

void *nt_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL)
        oom(n * size);
    return p;
}

void *nt_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        oom(n);
    return q;
}

char *nt_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = nt_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

char *nt_xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = nt_xmalloc(len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

_Noreturn void nt__assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "niemtin: invariant failed: %s (%s:%d)\n", expr, file, line);
    fflush(stderr);
    abort();
}

void nt_alloc_init(void)
{
    json_set_alloc_funcs(nt_xmalloc, free);
}
