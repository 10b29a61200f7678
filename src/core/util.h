/* Small shared helpers: random ids, clocks, RFC 3339 times, encodings.
 *
 * Times are kept as microseconds since the Unix epoch (UTC), stored as
 * RFC 3339 UTC strings with millisecond precision (they sort as text), and
 * shown to people in Asia/Ho_Chi_Minh, which is UTC+07:00 all year. */
#ifndef NT_CORE_UTIL_H
#define NT_CORE_UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NT_TIME_LEN 40
#define NT_ID_LEN   48

/** Writes prefix + 16 random base32 characters (80 bits) to out. */
void nt_id_new(const char *prefix, char *out, size_t cap);

/** Writes n random bytes as 2n lowercase hex characters plus NUL. */
void nt_random_hex(char *out, size_t nbytes);

/** Wall clock, microseconds since the epoch. */
int64_t nt_now_us(void);

/** Monotonic clock, microseconds. */
int64_t nt_mono_us(void);

struct timespec;
/** The CLOCK_REALTIME instant ms milliseconds from now, as pthread_cond_timedwait takes it. */
void nt_deadline_ms(int64_t ms, struct timespec *out);

/** "2026-11-28T14:30:00.123Z" */
void nt_time_utc(int64_t us, char out[NT_TIME_LEN]);

/** "2026-11-28T21:30:00.123+07:00": the same instant in Asia/Ho_Chi_Minh. */
void nt_time_local(int64_t us, char out[NT_TIME_LEN]);

/** Parses an RFC 3339 date-time with Z or a numeric offset. 0 or NT_EINVAL. */
int nt_time_parse(const char *s, int64_t *us);

/** Re-renders a stored UTC time in Asia/Ho_Chi_Minh; copies the input if it does not parse. */
void nt_time_show(const char *utc, char out[NT_TIME_LEN]);

/** The current year in Asia/Ho_Chi_Minh. */
int nt_current_year(void);

/** Base64url without padding; returns bytes written (excluding NUL) or -1 if cap is too small. */
int nt_b64url_encode(const void *in, size_t n, char *out, size_t cap);

/** Decodes base64url without padding; returns bytes decoded or -1. */
int nt_b64url_decode(const char *in, void *out, size_t cap);

/** A hash of a string for in-memory tables (FNV-1a with a final mix). */
uint64_t nt_hash_str(const char *s);

/** Copies at most cap-1 bytes and NUL-terminates; returns 0, or -1 if truncated. */
int nt_strlcpy(char *dst, const char *src, size_t cap);

/** True when s is one of the strings of the NULL-terminated list (false for NULL). */
bool nt_str_one_of(const char *s, const char *const *list);
/** Both non-NULL and equal. */
bool nt_streq(const char *a, const char *b);

#endif
