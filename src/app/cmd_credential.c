/* `niemtin credential verify|sign`: W3C Verifiable Credentials with eddsa-jcs-2022 proofs.
 *
 * verify checks any such credential whose verification method is a did:key (Ed25519 Multikey) or
 * a did:web whose DID document the caller pinned (--did FILE): the proof, the validity period at
 * a time (--at, default now) and, with --status, each credentialStatus entry against Bitstring
 * Status List credentials (files, URLs, or "auto": the URLs the credential names), themselves
 * verified against the same issuer. It fails closed: a status that cannot be read is not "valid".
 * Exit 0 valid, 1 not valid (with the reason), 2 for a usage or input error. sign adds a proof
 * with a key file, for tests and tools. */
#include "app/cli.h"
#include "core/alloc.h"
#include "core/util.h"
#include "log/vc.h"
#include <curl/curl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STATUS 8
#define LIST_MAX   (16u << 20) /* bytes of a decoded status list: 134 million entries */

static void usage(void)
{
    printf("usage: niemtin credential verify FILE [--did DID.json] [--status FILE|URL|auto]... [--at TIME]\n"
           "       niemtin credential sign --key FILE [--method VM] [--created TIME] FILE\n\n"
           "verify: checks a W3C Verifiable Credential's eddsa-jcs-2022 proof. The issuer's key comes from\n"
           "its verification method: a did:key, or a did:web found in the DID document given with --did (the\n"
           "deployment's /.well-known/did.json, pinned). Checks validFrom/validUntil at TIME (RFC 3339,\n"
           "default now). With --status, each credentialStatus entry is looked up in the status list\n"
           "credentials given (files or URLs; \"auto\": the URLs the credential names), each verified too.\n"
           "Prints what it found; exit 0 when valid, 1 when not (expired, suspended, revoked, altered,\n"
           "unrecognised), 2 on a usage or input error.\n"
           "sign: adds a DataIntegrityProof (eddsa-jcs-2022, assertionMethod) with the Ed25519 key in\n"
           "FILE (the 32-byte seed in hex, as programme.key holds it, or a multibase secret key \"z3u…\").\n"
           "The verification method defaults to the key's did:key. Prints the signed credential.\n");
}

typedef struct buf {
    char *p;
    size_t n;
} buf;

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
    buf *b = arg;
    size_t k = size * n;
    if (b->n + k > LIST_MAX * 2)
        return 0;
    b->p = nt_xrealloc(b->p, b->n + k + 1);
    memcpy(b->p + b->n, data, k);
    b->n += k;
    b->p[b->n] = '\0';
    return k;
}

/* A JSON document from a file or an http(s) URL; NULL with a message. */
static json_t *load(const char *src)
{
    json_error_t e;
    json_t *v = NULL;
    if (strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0) {
        CURL *c = curl_easy_init();
        buf b = {0};
        long status = 0;
        curl_easy_setopt(c, CURLOPT_URL, src);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
        if (curl_easy_perform(c) == CURLE_OK)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(c);
        if (status == 200 && b.p != NULL)
            v = json_loadb(b.p, b.n, JSON_REJECT_DUPLICATES, &e);
        else
            fprintf(stderr, "niemtin: %s: HTTP %ld\n", src, status);
        free(b.p);
    } else {
        size_t len = 0;
        unsigned char *data = nt_cli_slurp(src, &len);
        if (data == NULL)
            fprintf(stderr, "niemtin: cannot read %s\n", src);
        else if ((v = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &e)) == NULL)
            fprintf(stderr, "niemtin: %s: not JSON: %s (line %d)\n", src, e.text, e.line);
        free(data);
    }
    return v;
}

/* The issuer key of a verification method: did:key itself, or did:web from the pinned document
 * (a method it lists, of type Multikey, allowed for assertions). */
static int resolve(const char *vm, const json_t *did, unsigned char pk[32], const char **why)
{
    if (vm == NULL)
        return *why = "the proof names no verification method", -1;
    if (strncmp(vm, "did:key:", 8) == 0)
        return nt_vc_did_key_parse(vm, pk) == 0 ? 0 : (*why = "the did:key is not an Ed25519 Multikey", -1);
    if (strncmp(vm, "did:web:", 8) != 0)
        return *why = "the verification method is neither a did:key nor a did:web", -1;
    if (did == NULL)
        return *why = "a did:web issuer: pin its DID document with --did FILE (https://HOST/.well-known/did.json)", -1;
    const char *id = json_string_value(json_object_get(did, "id"));
    size_t n = id ? strlen(id) : 0;
    if (id == NULL || strncmp(vm, id, n) != 0 || vm[n] != '#')
        return *why = "the verification method is not of the pinned DID document's subject", -1;
    bool assert_ok = false;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(did, "assertionMethod"), i, m) assert_ok =
        assert_ok || (json_is_string(m) && strcmp(json_string_value(m), vm) == 0);
    if (!assert_ok)
        return *why = "the pinned DID document does not allow this key to make assertions", -1;
    json_array_foreach(json_object_get(did, "verificationMethod"), i, m)
    {
        if (!json_is_string(json_object_get(m, "id")) || strcmp(json_string_value(json_object_get(m, "id")), vm) != 0)
            continue;
        if (nt_vc_multikey_parse(json_string_value(json_object_get(m, "publicKeyMultibase")), pk) == 0)
            return 0;
        return *why = "the pinned key is not an Ed25519 Multikey", -1;
    }
    return *why = "the pinned DID document has no such verification method", -1;
}

static const char *issuer_of(const json_t *doc)
{
    const json_t *i = json_object_get(doc, "issuer");
    return json_is_string(i) ? json_string_value(i) : json_string_value(json_object_get(i, "id"));
}

/* A verified document: proof by a key of its issuer. 0, or -1 with why. */
static int verified(const json_t *doc, const json_t *did, const char **why)
{
    unsigned char pk[32];
    const char *vm = nt_vc_proof_method(doc), *issuer = issuer_of(doc);
    if (resolve(vm, did, pk, why) != 0)
        return -1;
    /* An issuer named by a DID must be the one whose key signed; an issuer named otherwise (a web
     * address, as in the specification's example) cannot be tied to a key here. */
    size_t n = issuer ? strlen(issuer) : 0;
    if (issuer != NULL && strncmp(issuer, "did:", 4) == 0 && (strncmp(vm, issuer, n) != 0 || vm[n] != '#'))
        return *why = "signed by a key that is not the issuer's", -1;
    nt_vc_result r = nt_vc_verify(doc, pk);
    if (r != NT_VC_VALID)
        return *why = nt_vc_result_text(r), -1;
    return 0;
}

static int verify(int argc, char **argv)
{
    const char *did_path = NULL, *at_s = NULL, *status[MAX_STATUS];
    int nstatus = 0;
    static const struct option opts[] = {{"did", required_argument, 0, 'd'},
                                         {"status", required_argument, 0, 's'},
                                         {"at", required_argument, 0, 'a'},
                                         {"help", no_argument, 0, 'h'},
                                         {0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'd')
            did_path = optarg;
        else if (c == 'a')
            at_s = optarg;
        else if (c == 's' && nstatus < MAX_STATUS)
            status[nstatus++] = optarg;
        else {
            usage();
            return c == 'h' ? 0 : 2;
        }
    }
    if (optind != argc - 1) {
        usage();
        return 2;
    }
    int64_t at = nt_now_us();
    if (at_s != NULL && nt_time_parse(at_s, &at) != 0) {
        fprintf(stderr, "niemtin: --at wants an RFC 3339 time, like 2026-12-01T09:00:00+07:00\n");
        return 2;
    }
    json_t *doc = load(argv[optind]), *did = did_path ? load(did_path) : NULL;
    if (doc == NULL || (did_path != NULL && did == NULL)) {
        json_decref(doc);
        json_decref(did);
        return 2;
    }
    const char *why = NULL, *result = "valid";
    printf("credential: %s\n",
           json_string_value(json_object_get(doc, "id")) ? json_string_value(json_object_get(doc, "id")) : "(no id)");
    printf("issuer: %s\n", issuer_of(doc) ? issuer_of(doc) : "(none)");
    if (verified(doc, did, &why) != 0) {
        printf("proof: not valid: %s\n", why);
        result = "not valid";
    } else {
        printf("proof: valid (eddsa-jcs-2022, %s)\n", nt_vc_proof_method(doc));
        if (issuer_of(doc) == NULL || strncmp(issuer_of(doc), "did:", 4) != 0)
            printf("issuer: not a DID, so not tied to the key that signed\n");
        const char *vf = json_string_value(json_object_get(doc, "validFrom"));
        const char *vu = json_string_value(json_object_get(doc, "validUntil"));
        int64_t from = 0, until = 0;
        char when[NT_TIME_LEN];
        nt_time_local(at, when);
        if ((vf && nt_time_parse(vf, &from) != 0) || (vu && nt_time_parse(vu, &until) != 0))
            result = "not valid", printf("validity: unreadable validFrom or validUntil\n");
        else if (vf && at < from)
            result = "not yet valid", printf("validity: from %s, not yet at %s\n", vf, when);
        else if (vu && at >= until)
            result = "expired", printf("validity: until %s, expired at %s\n", vu, when);
        else
            printf("validity: %s .. %s, in force at %s\n", vf ? vf : "-", vu ? vu : "-", when);
    }
    /* Status: every entry, against the lists given; what cannot be read fails closed. */
    json_t *lists = json_array();
    for (int i = 0; i < nstatus && strcmp(status[i], "auto") != 0; i++) {
        json_t *l = load(status[i]);
        if (l != NULL)
            json_array_append_new(lists, l);
    }
    bool automatic = false;
    for (int i = 0; i < nstatus; i++)
        automatic = automatic || strcmp(status[i], "auto") == 0;
    size_t i;
    json_t *entry;
    json_t *entries = json_object_get(doc, "credentialStatus");
    if (json_is_object(entries))
        entries = json_pack("[O]", entries);
    else
        entries = json_incref(entries);
    json_array_foreach(entries, i, entry)
    {
        const char *purpose = json_string_value(json_object_get(entry, "statusPurpose"));
        const char *url = json_string_value(json_object_get(entry, "statusListCredential"));
        const char *idx_s = json_string_value(json_object_get(entry, "statusListIndex"));
        if (nstatus == 0) {
            printf("status %s: not checked (give --status)\n", purpose ? purpose : "?");
            continue;
        }
        char *end = NULL;
        unsigned long long idx = idx_s ? strtoull(idx_s, &end, 10) : 0;
        json_t *list = NULL;
        size_t k;
        json_t *l;
        json_array_foreach(lists, k, l) if (url && nt_streq(json_string_value(json_object_get(l, "id")), url)) list =
            json_incref(l);
        if (list == NULL && automatic && url != NULL)
            list = load(url);
        const json_t *subject = json_object_get(list, "credentialSubject");
        const char *lwhy = NULL;
        size_t nbytes = 0;
        unsigned char *bits = NULL;
        if (!nt_streq(json_string_value(json_object_get(entry, "type")), "BitstringStatusListEntry") || idx_s == NULL ||
            end == idx_s || *end != '\0')
            lwhy = "not a BitstringStatusListEntry with a statusListIndex";
        else if (list == NULL)
            lwhy = automatic ? "its status list could not be fetched" : "no status list given for it";
        else if (verified(list, did, &lwhy) != 0)
            ;
        else if (!nt_streq(issuer_of(list), issuer_of(doc)))
            lwhy = "the status list has another issuer";
        else if (!nt_streq(json_string_value(json_object_get(subject, "statusPurpose")), purpose))
            lwhy = "the status list is for another purpose";
        else if ((bits = nt_vc_bitstring_decode(json_string_value(json_object_get(subject, "encodedList")), LIST_MAX, &nbytes)) ==
                 NULL)
            lwhy = "the status list's encodedList cannot be decoded";
        int bit = bits ? nt_vc_bit(bits, nbytes, idx) : -1;
        if (bits != NULL && bit < 0)
            lwhy = "the index is beyond the status list";
        free(bits);
        json_decref(list);
        if (lwhy != NULL) {
            printf("status %s: unknown: %s\n", purpose ? purpose : "?", lwhy);
            if (strcmp(result, "valid") == 0)
                result = "status unknown";
            continue;
        }
        printf("status %s: %s (index %llu)\n", purpose, bit ? "SET" : "not set", idx);
        if (bit && (strcmp(result, "valid") == 0 || strcmp(result, "status unknown") == 0))
            result = nt_streq(purpose, "revocation") ? "revoked" : nt_streq(purpose, "suspension") ? "suspended" : "status set";
    }
    json_decref(entries);
    json_decref(lists);
    printf("result: %s\n", result);
    json_decref(doc);
    json_decref(did);
    return strcmp(result, "valid") == 0 ? 0 : 1;
}

/* An Ed25519 secret key from a file: a hex seed, or a multibase secret key (0x8026 || seed). */
static int read_key(const char *path, unsigned char pk[32], unsigned char sk[64])
{
    size_t len = 0, got = 0;
    unsigned char *data = nt_cli_slurp(path, &len), seed[40];
    if (data == NULL)
        return -1;
    char *text = (char *)data;
    text[strcspn(text, "\r\n")] = '\0';
    int rc = -1;
    if (text[0] == 'z' && nt_b58_decode(text + 1, seed, sizeof(seed)) == 34 && seed[0] == 0x80 && seed[1] == 0x26) {
        crypto_sign_seed_keypair(pk, sk, seed + 2);
        rc = 0;
    } else if (sodium_hex2bin(seed, 32, text, strlen(text), NULL, &got, NULL) == 0 && got == 32) {
        crypto_sign_seed_keypair(pk, sk, seed);
        rc = 0;
    }
    sodium_memzero(seed, sizeof(seed));
    sodium_memzero(data, len);
    free(data);
    return rc;
}

static int sign(int argc, char **argv)
{
    const char *key = NULL, *method = NULL, *created = NULL;
    static const struct option opts[] = {{"key", required_argument, 0, 'k'},
                                         {"method", required_argument, 0, 'm'},
                                         {"created", required_argument, 0, 'c'},
                                         {"help", no_argument, 0, 'h'},
                                         {0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'k')
            key = optarg;
        else if (c == 'm')
            method = optarg;
        else if (c == 'c')
            created = optarg;
        else {
            usage();
            return c == 'h' ? 0 : 2;
        }
    }
    unsigned char pk[32], sk[64];
    if (key == NULL || optind != argc - 1) {
        usage();
        return 2;
    }
    if (read_key(key, pk, sk) != 0) {
        fprintf(stderr, "niemtin: %s holds no Ed25519 key (a 32-byte hex seed or a multibase secret key)\n", key);
        return 2;
    }
    char vm[200], mk[NT_VC_MULTIKEY_LEN], now[NT_TIME_LEN];
    nt_vc_multikey(pk, mk);
    snprintf(vm, sizeof(vm), "did:key:%s#%s", mk, mk);
    nt_time_utc(nt_now_us() / 1000000 * 1000000, now);
    json_t *doc = load(argv[optind]);
    int rc = 2;
    if (doc != NULL && json_object_get(doc, "proof") != NULL)
        fprintf(stderr, "niemtin: %s has a proof already\n", argv[optind]);
    else if (doc != NULL && nt_vc_sign(doc, method ? method : vm, created ? created : now, sk) != 0)
        fprintf(stderr, "niemtin: %s cannot be canonicalised (JCS)\n", argv[optind]);
    else if (doc != NULL) {
        char *out = json_dumps(doc, JSON_INDENT(2));
        printf("%s\n", out);
        free(out);
        rc = 0;
    }
    sodium_memzero(sk, sizeof(sk));
    json_decref(doc);
    return rc;
}

int nt_cmd_credential(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 2;
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return verify(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "sign") == 0)
        return sign(argc - 1, argv + 1);
    usage();
    return argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) ? 0 : 2;
}
