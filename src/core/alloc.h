/* One out-of-memory policy for the program: allocation that cannot fail.
 *
 * The server, the CLI and their services allocate through these wrappers; when memory runs out
 * they print what was asked for and abort, as redis' zmalloc does. A request half-built on a
 * failed allocation is worse than a crash that the supervisor restarts: a write is one
 * transaction, so nothing acknowledged is lost. The embeddable library (src/lib and what it
 * links) keeps returning NT_ENOMEM instead, since aborting its host is not its call.
 *
 * NT_ASSERT checks an invariant in every build, release included. */
#ifndef NT_CORE_ALLOC_H
#define NT_CORE_ALLOC_H
#include <stddef.h>

void *nt_xmalloc(size_t n);
void *nt_xcalloc(size_t n, size_t size);
void *nt_xrealloc(void *p, size_t n);
char *nt_xstrdup(const char *s);
char *nt_xstrndup(const char *s, size_t n);

/** Prints the failed invariant with its place and aborts. */
_Noreturn void nt__assert_fail(const char *expr, const char *file, int line);

#define NT_ASSERT(e) ((e) ? (void)0 : nt__assert_fail(#e, __FILE__, __LINE__))

/** Routes jansson's allocations through the wrappers (once, at start). */
void nt_alloc_init(void);

#endif
