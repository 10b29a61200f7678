/* The template layer of the web pages: HTML written into a growable buffer by a format whose
 * arguments are escaped unless the format says otherwise. A page is a C function; its markup is
 * the format strings (ours), and everything that comes from data goes through %s, which escapes
 * &, <, >, " and ' — so a value can never open a tag or leave an attribute. Only %R takes markup
 * as it is, and only markup this program wrote (a fragment rendered by the same layer). */
#ifndef NT_CORE_HTML_H
#define NT_CORE_HTML_H
#include "core/jbuf.h"
#include <stdbool.h>
#include <stdint.h>

/**
 * Appends fmt with its arguments:
 *   %s  a string, escaped (NULL writes nothing)
 *   %R  a string of markup this program made, as it is
 *   %u  a URL path segment or query value, percent-encoded (then escaped)
 *   %d  an int            %D  an int64_t
 *   %T  a time (int64_t microseconds) as people read it in Asia/Ho_Chi_Minh: 30/11/2026 19:56
 *   %V  an amount of VND (int64_t): 70.000.000 ₫
 *   %%  a percent sign
 */
void nt_html(nt_jbuf *b, const char *fmt, ...);

/** The date and time as shown on pages, in Asia/Ho_Chi_Minh ("30/11/2026 19:56"). */
void nt_html_time(char *out, size_t cap, int64_t us);

/** An amount of VND as shown on pages ("70.000.000 ₫"). */
void nt_html_vnd(char *out, size_t cap, int64_t amount);
/** A field of an application/x-www-form-urlencoded body (its name compared decoded, as browsers
 * encode "a[0]" as "a%5B0%5D"), decoded ('+' a space, %XX a byte), in
 * a NUL-terminated copy (malloc'd; a NUL inside the value ends it early), or NULL when absent. */
char *nt_form_value(const char *body, size_t len, const char *name);
/** A part of a multipart/form-data body (RFC 7578) by its field name: where its content starts in
 * body and its length, or false. content_type is the request's header (its boundary, quoted or
 * not, at most 70 characters). The content is not copied: a file may hold any byte. */
bool nt_multipart_part(const char *content_type, const char *body, size_t len, const char *name, size_t *at, size_t *part_len);
#endif
