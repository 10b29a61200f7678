/* Web Push: a message encrypted for one browser (RFC 8291, the aes128gcm content coding of RFC
 * 8188 in one record) and the application server's voluntary identification (VAPID, RFC 8292: an
 * ES256 JWT signed with the server's P-256 key). P-256 and AES-128-GCM from libcrypto; HKDF is
 * HMAC-SHA-256. The push service (RFC 8030) only forwards the bytes: it cannot read them. */
#ifndef NT_CORE_WEBPUSH_H
#define NT_CORE_WEBPUSH_H
#include <stddef.h>
#include <stdint.h>

#define NT_P256_PUBLIC  65   /* an uncompressed point: 0x04 || x || y */
#define NT_P256_PRIVATE 32   /* the scalar, big-endian */
#define NT_PUSH_AUTH    16   /* the browser's auth secret */
#define NT_PUSH_HEADER  86   /* salt (16), record size (4), key id length (1), the sender's key (65) */
#define NT_PUSH_MAX     3993 /* the plaintext one 4096-byte record holds: 4096 - 16 (tag) - 1 (delimiter) - 86 */

#include <stdbool.h>

/** Whether 65 bytes are an uncompressed point of P-256 (a browser's p256dh key). */
bool nt_p256_valid(const uint8_t pk[NT_P256_PUBLIC]);
/** A new P-256 key pair. 0, or -1. */
int nt_p256_keypair(uint8_t sk[NT_P256_PRIVATE], uint8_t pk[NT_P256_PUBLIC]);
/** The public point of a private scalar. 0, or -1 for a scalar that is not one. */
int nt_p256_public(const uint8_t sk[NT_P256_PRIVATE], uint8_t pk[NT_P256_PUBLIC]);

/** Encrypts plain (at most NT_PUSH_MAX bytes) for a browser's key (ua_pk) and auth secret, as the
 * sender with key pair as_sk and the given salt — both fresh for every message (nt_webpush_seal
 * draws them); out gets NT_PUSH_HEADER + n + 17 bytes. Returns the length, or -1. */
long nt_webpush_encrypt(const uint8_t ua_pk[NT_P256_PUBLIC], const uint8_t auth[NT_PUSH_AUTH], const uint8_t as_sk[NT_P256_PRIVATE],
                        const uint8_t salt[16], const uint8_t *plain, size_t n, uint8_t *out, size_t cap);
/** As nt_webpush_encrypt with a fresh sender key and salt. */
long nt_webpush_seal(const uint8_t ua_pk[NT_P256_PUBLIC], const uint8_t auth[NT_PUSH_AUTH], const uint8_t *plain, size_t n,
                     uint8_t *out, size_t cap);

/** The Authorization header's value for a push service at aud ("https://push.example.net"):
 * "vapid t=<ES256 JWT {aud, exp, sub}>, k=<the server's public key, base64url>"; sub (a contact,
 * mailto: or https:) is left out when NULL. 0, or -1. */
int nt_vapid_header(const uint8_t sk[NT_P256_PRIVATE], const uint8_t pk[NT_P256_PUBLIC], const char *aud, int64_t exp_s,
                    const char *sub, char *out, size_t cap);
#endif
