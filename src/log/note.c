/* Signed notes; see note.h. */
#include "core/alloc.h"
#include "log/note.h"
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char EM_DASH[] = "\xe2\x80\x94 ";

static uint32_t key_hash(const char *name, const unsigned char pk[32])
{
    crypto_hash_sha256_state st;
    unsigned char h[32];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)name, strlen(name));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n\x01", 2);
    crypto_hash_sha256_update(&st, pk, 32);
    crypto_hash_sha256_final(&st, h);
    return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

/* name+hash+base64: the three fields of a key after any prefix. */
static int key_fields(const char *s, char name[256], uint32_t *hash, unsigned char *key, size_t keylen)
{
    const char *p1 = strchr(s, '+');
    const char *p2 = p1 ? strchr(p1 + 1, '+') : NULL;
    if (p1 == NULL || p2 == NULL || p1 == s || (size_t)(p1 - s) >= 256 || p2 - p1 != 9)
        return -1;
    memcpy(name, s, (size_t)(p1 - s));
    name[p1 - s] = '\0';
    char hex[9];
    memcpy(hex, p1 + 1, 8);
    hex[8] = '\0';
    char *end;
    *hash = (uint32_t)strtoul(hex, &end, 16);
    if (*end != '\0')
        return -1;
    unsigned char raw[1 + 64];
    size_t len = 0, n = strcspn(p2 + 1, "\r\n");
    if (sodium_base642bin(raw, sizeof(raw), p2 + 1, n, NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len != 1 + keylen || raw[0] != 0x01)
        return -1;
    memcpy(key, raw + 1, keylen);
    return 0;
}

int nt_note_signer_parse(const char *text, nt_note_signer *out)
{
    static const char prefix[] = "PRIVATE+KEY+";
    unsigned char seed[32], pk[32];
    if (strncmp(text, prefix, sizeof(prefix) - 1) != 0 ||
        key_fields(text + sizeof(prefix) - 1, out->name, &out->hash, seed, 32) != 0)
        return -1;
    crypto_sign_seed_keypair(pk, out->sk, seed);
    sodium_memzero(seed, sizeof(seed));
    return key_hash(out->name, pk) == out->hash ? 0 : -1;
}

int nt_note_verifier_parse(const char *text, nt_note_verifier *out)
{
    if (key_fields(text, out->name, &out->hash, out->pk, 32) != 0)
        return -1;
    return key_hash(out->name, out->pk) == out->hash ? 0 : -1;
}

char *nt_note_sign(const nt_note_signer *s, const char *text, size_t len)
{
    if (len == 0 || text[len - 1] != '\n')
        return NULL;
    unsigned char sig[4 + 64];
    sig[0] = (unsigned char)(s->hash >> 24);
    sig[1] = (unsigned char)(s->hash >> 16);
    sig[2] = (unsigned char)(s->hash >> 8);
    sig[3] = (unsigned char)s->hash;
    crypto_sign_detached(sig + 4, NULL, (const unsigned char *)text, len, s->sk);
    char b64[sodium_base64_ENCODED_LEN(sizeof(sig), sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
    size_t cap = len + 1 + sizeof(EM_DASH) + strlen(s->name) + 1 + strlen(b64) + 2;
    char *out = nt_xmalloc(cap);
    if (out == NULL)
        return NULL;
    memcpy(out, text, len);
    snprintf(out + len, cap - len, "\n%s%s %s\n", EM_DASH, s->name, b64);
    return out;
}

int nt_note_verify(const nt_note_verifier *v, const char *note, size_t len, size_t *text_len)
{
    /* The text ends at the last "\n\n" before the signature lines. */
    const char *sep = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (note[i] == '\n' && note[i + 1] == '\n')
            sep = note + i;
    if (sep == NULL)
        return -1;
    size_t tlen = (size_t)(sep - note) + 1;
    const char *p = sep + 2, *end = note + len;
    bool ok = false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            return -1; /* every signature line ends in a newline */
        size_t dl = sizeof(EM_DASH) - 1, nlen = strlen(v->name);
        if ((size_t)(nl - p) > dl + nlen + 1 && memcmp(p, EM_DASH, dl) == 0 && memcmp(p + dl, v->name, nlen) == 0 &&
            p[dl + nlen] == ' ') {
            const char *b = p + dl + nlen + 1;
            unsigned char sig[4 + 64];
            size_t got = 0;
            if (sodium_base642bin(sig, sizeof(sig), b, (size_t)(nl - b), NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
                got == sizeof(sig)) {
                uint32_t h = (uint32_t)sig[0] << 24 | (uint32_t)sig[1] << 16 | (uint32_t)sig[2] << 8 | sig[3];
                if (h == v->hash && crypto_sign_verify_detached(sig + 4, (const unsigned char *)note, tlen, v->pk) == 0)
                    ok = true;
            }
        }
        p = nl + 1;
    }
    if (ok && text_len)
        *text_len = tlen;
    return ok ? 0 : -1;
}
