/* Log entries, checkpoints and tlog-proof receipts; see entry.h. */
/* SHA256_Init and friends are deprecated in OpenSSL 3 in favour of EVP, which locks and allocates on
 * every digest; they remain supported and are what a hot loop wants. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/alloc.h"
#include "core/util.h"
#include "log/entry.h"
#include <openssl/sha.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
} types[NT_LOG_TYPE_END] = {
    [NT_LOG_DECISION_ISSUED] = {"decision.issued"},
    [NT_LOG_DECISION_AMENDED] = {"decision.amended"},
    [NT_LOG_SANCTION_CREATED] = {"sanction.created"},
    [NT_LOG_SANCTION_LIFTED] = {"sanction.lifted"},
    [NT_LOG_SANCTION_SUSPENDED] = {"sanction.suspended"},
    [NT_LOG_SANCTION_REINSTATED] = {"sanction.reinstated"},
    [NT_LOG_SANCTION_MODIFIED] = {"sanction.modified"},
    [NT_LOG_APPEAL_FILED] = {"appeal.filed"},
    [NT_LOG_APPEAL_REVIEW] = {"appeal.review_started"},
    [NT_LOG_APPEAL_RESOLVED] = {"appeal.resolved"},
    [NT_LOG_ACCOUNT_ATTESTED] = {"account.attested"},
    [NT_LOG_ACCOUNT_UNLINKED] = {"account.unlinked"},
    [NT_LOG_REDACTION] = {"redaction"},
    [NT_LOG_ADVERTISER_SUSPENDED] = {"advertiser.suspended"},
    [NT_LOG_ADVERTISER_REINSTATED] = {"advertiser.reinstated"},
    [NT_LOG_PRODUCT_RECALLED] = {"product.recalled"},
    [NT_LOG_AD_REGISTERED] = {"ad.registered"},
    [NT_LOG_AD_SUSPENDED] = {"ad.suspended"},
    [NT_LOG_AD_REINSTATED] = {"ad.reinstated"},
    [NT_LOG_PERSON_IDENTITY] = {"person.identity_changed"},
    [NT_LOG_ORG_SUSPENDED] = {"org.suspended"},
    [NT_LOG_ORG_REINSTATED] = {"org.reinstated"},
    [NT_LOG_PRODUCT_RECALL_LIFTED] = {"product.recall_lifted"},
    [NT_LOG_DECISION_DELISTED] = {"decision.delisted"},
    [NT_LOG_PRODUCT_DOCUMENT_ADDED] = {"product.document_added"},
    [NT_LOG_MEMBER_ADMITTED] = {"member.admitted"},
    [NT_LOG_MEMBER_STANDARDS_ACCEPTED] = {"member.standards_accepted"},
    [NT_LOG_MEMBER_LEFT] = {"member.left"},
    [NT_LOG_MEMBER_REMOVED] = {"member.removed"},
    [NT_LOG_CERTIFICATE_ISSUED] = {"certificate.issued"},
    [NT_LOG_CERTIFICATE_SUSPENDED] = {"certificate.suspended"},
    [NT_LOG_CERTIFICATE_REINSTATED] = {"certificate.reinstated"},
    [NT_LOG_CERTIFICATE_REVOKED] = {"certificate.revoked"},
    [NT_LOG_CERTIFICATE_EXPIRED] = {"certificate.expired"},
    [NT_LOG_CERTIFICATE_SUPERSEDED] = {"certificate.superseded"},
    [NT_LOG_NOTICE_PUBLISHED] = {"notice.published"},
    [NT_LOG_NOTICE_AMENDED] = {"notice.amended"},
    [NT_LOG_NOTICE_WITHDRAWN] = {"notice.withdrawn"},
};

const char *nt_log_type_name(int type)
{
    return type > 0 && type < NT_LOG_TYPE_END ? types[type].name : NULL;
}

/* A fresh 32-byte salt: the ChaCha20 keystream of a random per-thread key, one 64-byte block per
 * salt under a counter nonce. A cryptographic generator without a system call per entry. */
static void new_salt(unsigned char out[NT_LOG_SALT_LEN])
{
    static _Thread_local unsigned char key[crypto_stream_chacha20_ietf_KEYBYTES];
    static _Thread_local uint64_t counter;
    if (counter == 0)
        randombytes_buf(key, sizeof(key));
    unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {0};
    uint64_t n = ++counter;
    memcpy(nonce, &n, sizeof(n));
    crypto_stream_chacha20_ietf(out, NT_LOG_SALT_LEN, nonce, key);
}

int nt_log_build(int type, const char *record_id, int64_t at_ms, const char *canon, size_t len, nt_log_built *out)
{
    nt_log_entry e = {.type = type, .at_ms = at_ms};
    if (strlen(record_id) > NT_LOG_ID_MAX)
        return -1;
    memcpy(e.record_id, record_id, strlen(record_id) + 1);
    new_salt(out->salt);
    nt_log_commit(out->salt, canon, len, &e.commitment);
    out->len = nt_log_entry_encode(&e, out->bytes);
    return out->len < 0 ? -1 : 0;
}

void nt_log_record_id(const char *table, const char *key, const char *prev, char out[NT_LOG_ID_MAX + 1])
{
    if (strcmp(table, "accounts") != 0) {
        snprintf(out, NT_LOG_ID_MAX + 1, "%s", key);
    } else if (prev != NULL && prev[0] != '\0') {
        snprintf(out, NT_LOG_ID_MAX + 1, "%s", prev);
    } else {
        nt_id_new("acc_", out, NT_LOG_ID_MAX + 1);
    }
}

void nt_log_commit(const unsigned char salt[NT_LOG_SALT_LEN], const void *record, size_t len, nt_hash *out)
{
    /* OpenSSL's SHA-256 uses the CPU's SHA extensions: a record of a few hundred bytes hashes about
     * three times faster than with libsodium's portable code, which counts when verify recomputes a
     * million commitments. The low-level interface takes no lock and allocates nothing. The result
     * is the same SHA-256 (tested against libsodium's). */
    SHA256_CTX st;
    SHA256_Init(&st);
    SHA256_Update(&st, NT_LOG_DOMAIN, sizeof(NT_LOG_DOMAIN)); /* with its NUL */
    SHA256_Update(&st, salt, NT_LOG_SALT_LEN);
    SHA256_Update(&st, record, len);
    SHA256_Final(out->b, &st);
}

static bool id_ok(const char *s, size_t n)
{
    if (n == 0 || n > NT_LOG_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

int nt_log_entry_encode(const nt_log_entry *e, unsigned char *out)
{
    size_t n = strlen(e->record_id);
    if (nt_log_type_name(e->type) == NULL || !id_ok(e->record_id, n) || e->at_ms < 0)
        return -1;
    out[0] = NT_LOG_VERSION;
    out[1] = (unsigned char)e->type;
    for (int i = 0; i < 8; i++)
        out[2 + i] = (unsigned char)((uint64_t)e->at_ms >> (56 - 8 * i));
    out[10] = (unsigned char)n;
    memcpy(out + 11, e->record_id, n);
    memcpy(out + 11 + n, e->commitment.b, NT_HASH_LEN);
    return (int)(11 + n + NT_HASH_LEN);
}

int nt_log_entry_decode(const unsigned char *in, size_t len, nt_log_entry *out)
{
    if (len < 11 + 1 + NT_HASH_LEN || in[0] != NT_LOG_VERSION || nt_log_type_name(in[1]) == NULL)
        return -1;
    size_t n = in[10];
    if (len != 11 + n + NT_HASH_LEN || !id_ok((const char *)in + 11, n))
        return -1;
    uint64_t ms = 0;
    for (int i = 0; i < 8; i++)
        ms = ms << 8 | in[2 + i];
    if (ms > (uint64_t)INT64_MAX)
        return -1;
    out->type = in[1];
    out->at_ms = (int64_t)ms;
    memcpy(out->record_id, in + 11, n);
    out->record_id[n] = '\0';
    memcpy(out->commitment.b, in + 11 + n, NT_HASH_LEN);
    return 0;
}

/* One line of [p, end): its length without the newline, or -1 when there is no newline. */
static long line_len(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl - p : -1;
}

static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool parse_hash(const char *s, size_t n, nt_hash *out)
{
    size_t got = 0;
    const char *end = NULL;
    return n == 44 && sodium_base642bin(out->b, NT_HASH_LEN, s, n, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL) == 0 &&
           got == NT_HASH_LEN && end == s + n;
}

int nt_checkpoint_parse(const char *text, size_t len, char *origin, size_t cap, uint64_t *size, nt_hash *root)
{
    const char *p = text, *end = text + len;
    long n = line_len(p, end);
    if (n <= 0 || (size_t)n >= cap || memchr(p, '\0', (size_t)n) != NULL)
        return -1;
    memcpy(origin, p, (size_t)n);
    origin[n] = '\0';
    p += n + 1;
    if ((n = line_len(p, end)) < 0 || !parse_u64(p, (size_t)n, size))
        return -1;
    p += n + 1;
    if ((n = line_len(p, end)) < 0 || !parse_hash(p, (size_t)n, root))
        return -1;
    p += n + 1;
    /* Extension lines: each non-empty and ending in a newline. */
    while (p < end) {
        if ((n = line_len(p, end)) <= 0)
            return -1;
        p += n + 1;
    }
    return 0;
}

static const char PROOF_HEADER[] = "c2sp.org/tlog-proof@v1";

char *nt_tlog_proof_format(uint64_t index, const nt_hash *proof, size_t nproof, const void *extra, size_t extra_len,
                           const char *checkpoint)
{
    size_t b64 = sodium_base64_ENCODED_LEN(NT_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
    size_t xb64 = sodium_base64_ENCODED_LEN(extra_len, sodium_base64_VARIANT_ORIGINAL);
    size_t cap = sizeof(PROOF_HEADER) + 8 + xb64 + 32 + nproof * (b64 + 1) + 2 + strlen(checkpoint) + 1;
    char *out = nt_xmalloc(cap);
    if (out == NULL)
        return NULL;
    size_t o = (size_t)snprintf(out, cap, "%s\n", PROOF_HEADER);
    if (extra != NULL) {
        o += (size_t)snprintf(out + o, cap - o, "extra ");
        sodium_bin2base64(out + o, cap - o, extra, extra_len, sodium_base64_VARIANT_ORIGINAL);
        o += strlen(out + o);
        out[o++] = '\n';
    }
    o += (size_t)snprintf(out + o, cap - o, "index %llu\n", (unsigned long long)index);
    for (size_t i = 0; i < nproof; i++) {
        sodium_bin2base64(out + o, cap - o, proof[i].b, NT_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
        o += strlen(out + o);
        out[o++] = '\n';
    }
    snprintf(out + o, cap - o, "\n%s", checkpoint);
    return out;
}

#define FAIL(...)                                                                                                                  \
    do {                                                                                                                           \
        snprintf(why, cap, __VA_ARGS__);                                                                                           \
        return -1;                                                                                                                 \
    } while (0)

int nt_tlog_proof_parse(const char *text, size_t len, nt_tlog_proof *out, char *why, size_t cap)
{
    const char *p = text, *end = text + len;
    if (memchr(text, '\0', len) != NULL)
        FAIL("a receipt is text: it holds no NUL byte");
    long n = line_len(p, end);
    if (n != (long)sizeof(PROOF_HEADER) - 1 || memcmp(p, PROOF_HEADER, (size_t)n) != 0)
        FAIL("the first line is not %s", PROOF_HEADER);
    p += n + 1;
    out->has_extra = false;
    out->extra_len = 0;
    if ((n = line_len(p, end)) > 6 && memcmp(p, "extra ", 6) == 0) {
        const char *b_end = NULL;
        if (sodium_base642bin(out->extra, sizeof(out->extra), p + 6, (size_t)n - 6, NULL, &out->extra_len, &b_end,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            b_end != p + n || out->extra_len == 0)
            FAIL("the extra line is not base64 of at most %zu bytes", sizeof(out->extra));
        out->has_extra = true;
        p += n + 1;
        n = line_len(p, end);
    }
    if (n < 7 || memcmp(p, "index ", 6) != 0 || !parse_u64(p + 6, (size_t)n - 6, &out->index))
        FAIL("no index line");
    p += n + 1;
    out->nproof = 0;
    while ((n = line_len(p, end)) > 0) {
        if (out->nproof == NT_LOG_PROOF_MAX)
            FAIL("more than %d proof hashes", NT_LOG_PROOF_MAX);
        if (!parse_hash(p, (size_t)n, &out->proof[out->nproof]))
            FAIL("proof line %zu is not a base64 SHA-256 hash", out->nproof + 1);
        out->nproof++;
        p += n + 1;
    }
    if (n != 0)
        FAIL("no empty line before the checkpoint");
    p++;
    if (p >= end)
        FAIL("no checkpoint");
    out->checkpoint = p;
    out->checkpoint_len = (size_t)(end - p);
    return 0;
}
