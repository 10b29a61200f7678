/* A small JSON writer into a growable buffer, for hot responses (the check)
 * where building a jansson tree and serialising it costs more than the
 * lookup itself. The caller writes structure; strings are escaped here. */
#ifndef NT_CORE_JBUF_H
#define NT_CORE_JBUF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nt_jbuf {
    char *p;
    size_t len, cap;
    bool oom; /* an allocation failed: the content is incomplete */
} nt_jbuf;

void nt_jb_init(nt_jbuf *b, size_t cap);
/** Hands the NUL-terminated buffer over (the caller frees it); NULL after an allocation failure. */
char *nt_jb_take(nt_jbuf *b, size_t *len);
void nt_jb_free(nt_jbuf *b);

void nt_jb_raw(nt_jbuf *b, const char *s, size_t n);
/** A literal: punctuation or a known-safe key ("{\"allowed\":"). */
void nt_jb_lit(nt_jbuf *b, const char *s);
/** A quoted, escaped string; NULL writes null. */
void nt_jb_str(nt_jbuf *b, const char *s);
void nt_jb_int(nt_jbuf *b, int64_t v);
/** A CSV field (RFC 4180: quoted when it holds a comma, quote or line break; NULL is empty),
 * then a comma, or CRLF when last. */
void nt_jb_csv(nt_jbuf *b, const char *v, bool last);
/** Text escaped for XML and HTML (&, <, >, quotes), without quotes around it. */
void nt_jb_xml(nt_jbuf *b, const char *s);
void nt_jb_bool(nt_jbuf *b, bool v);
/** A quoted RFC 3339 time in Asia/Ho_Chi_Minh; 0 writes null. */
void nt_jb_time(nt_jbuf *b, int64_t us);
#endif
