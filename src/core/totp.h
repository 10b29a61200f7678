/* Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA-1, 6 digits, 30-second
 * steps): what authenticator apps compute from the secret shown once as base32 (RFC 4648) and as an
 * otpauth:// URI for their QR code. */
#ifndef NT_CORE_TOTP_H
#define NT_CORE_TOTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NT_TOTP_SECRET 20 /* bytes: 160 bits, as RFC 4226 recommends */
#define NT_TOTP_STEP   30 /* seconds */
#define NT_TOTP_B32    33 /* base32 of a secret, with its NUL */

/** The HOTP value of counter under key, truncated to `digits` decimal digits (6 or 8). */
uint32_t nt_hotp(const unsigned char *key, size_t len, uint64_t counter, int digits);

/** Base32 (RFC 4648, upper case, no padding) of len bytes into out; false when out is too small. */
bool nt_base32_encode(const unsigned char *in, size_t len, char *out, size_t cap);
/** Base32 back to bytes, ignoring spaces and case, padding allowed; its length, or -1. */
int nt_base32_decode(const char *in, unsigned char *out, size_t cap);

/** The time step a code given at unix time `now` was made for, if it is one of the steps from one
 * before to one after now (clocks drift) and later than `last` (a code is good once): the step,
 * else -1. secret in base32; code as typed (spaces allowed). */
int64_t nt_totp_check(const char *secret_b32, const char *code, int64_t now, int64_t last);
#endif
