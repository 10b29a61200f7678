/* RFC 6238 TOTP and RFC 4648 base32. HMAC-SHA-1 is the one every authenticator app speaks; SHA-1's
 * collision weakness does not touch HMAC. */
#include "core/totp.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <string.h>

uint32_t nt_hotp(const unsigned char *key, size_t len, uint64_t counter, int digits)
{
    unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
    unsigned maclen = 0;
    for (int i = 7; i >= 0; i--, counter >>= 8)
        msg[i] = (unsigned char)(counter & 0xff);
    if (HMAC(EVP_sha1(), key, (int)len, msg, sizeof(msg), mac, &maclen) == NULL || maclen != 20)
        return UINT32_MAX;
    unsigned off = mac[19] & 0x0f;
    uint32_t bin =
        ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) | ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
    uint32_t mod = 1;
    for (int i = 0; i < digits; i++)
        mod *= 10;
    return bin % mod;
}

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

bool nt_base32_encode(const unsigned char *in, size_t len, char *out, size_t cap)
{
    size_t need = (len * 8 + 4) / 5 + 1, o = 0;
    if (cap < need)
        return false;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = B32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = B32[(acc << (5 - bits)) & 31];
    out[o] = '\0';
    return true;
}

int nt_base32_decode(const char *in, unsigned char *out, size_t cap)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (const char *c = in; *c; c++) {
        if (*c == ' ' || *c == '-' || *c == '=')
            continue;
        char u = (*c >= 'a' && *c <= 'z') ? (char)(*c - 32) : *c;
        const char *at = u ? strchr(B32, u) : NULL;
        if (at == NULL)
            return -1;
        acc = (acc << 5) | (uint32_t)(at - B32);
        bits += 5;
        if (bits >= 8) {
            if (o == cap)
                return -1;
            out[o++] = (unsigned char)((acc >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return (int)o;
}

int64_t nt_totp_check(const char *secret_b32, const char *code, int64_t now, int64_t last)
{
    unsigned char key[64];
    int len = secret_b32 ? nt_base32_decode(secret_b32, key, sizeof(key)) : -1;
    if (len <= 0 || code == NULL)
        return -1;
    uint32_t given = 0;
    int digits = 0;
    for (const char *c = code; *c; c++) {
        if (*c == ' ')
            continue;
        if (*c < '0' || *c > '9' || ++digits > 6)
            return -1;
        given = given * 10 + (uint32_t)(*c - '0');
    }
    if (digits != 6 || now < 0)
        return -1;
    int64_t step = now / NT_TOTP_STEP;
    for (int64_t s = step - 1; s <= step + 1; s++)
        if (s > last && nt_hotp(key, (size_t)len, (uint64_t)s, 6) == given)
            return s;
    return -1;
}
