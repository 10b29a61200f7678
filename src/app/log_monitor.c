/* `niemtin log monitor URL`: an independent client of a running log. It reads
 * only what anyone can read over HTTP (the checkpoint, tiles, the proof
 * endpoint, the disclosed records), rebuilds the tree itself, and raises an
 * alarm on anything that does not add up. Its last verified checkpoint is kept
 * in a state file, so a rewritten history shows as an inconsistency. */
#include "core/alloc.h"
#include "core/util.h"
#include "app/cli.h"
#include "log/entry.h"
#include "log/note.h"
#include "log/tiles.h"
#include "log/tree.h"
#include <curl/curl.h>
#include "app/progress.h"
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static size_t on_data(char *data, size_t size, size_t nmemb, void *arg)
{
    buf *b = arg;
    size_t n = size * nmemb;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = nt_xrealloc(b->p, cap);
        if (p == NULL)
            return 0;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = '\0';
    return n;
}

typedef struct monitor {
    nt_progress prog;
    bool quiet;
    CURL *curl;
    const char *base;
    int alarms;
    nt_note_verifier key;
    nt_mtree tree;
    unsigned char *ent; /* the entries, back to back */
    size_t ent_len, ent_cap;
    uint64_t *off;
    json_t *redactions; /* record ids named by redaction entries */
    json_t *delistings; /* decision ids named by decision.delisted entries */
    json_t *disclosed;  /* this run: "idx" -> [decision id, delist_at in µs or 0] of each public record */
    json_t *status;     /* this run: "idx" -> the status the server gives its record */
    json_t *prev;       /* the last run's disclosed records, from the state file */
} monitor;

static void alarm_(monitor *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void alarm_(monitor *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("ALARM: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    m->alarms++;
}

/* GET base + path: the HTTP status (0 on a transport error) and the body in b. */
static long get(monitor *m, const char *path, buf *b)
{
    char url[2048];
    snprintf(url, sizeof(url), "%s%s", m->base, path);
    b->n = 0;
    if (b->p != NULL)
        b->p[0] = '\0';
    curl_easy_setopt(m->curl, CURLOPT_URL, url);
    curl_easy_setopt(m->curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(m->curl, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(m->curl, CURLOPT_TIMEOUT_MS, 30000L);
    long status = 0;
    if (curl_easy_perform(m->curl) != CURLE_OK)
        return 0;
    if (b->p == NULL && (b->p = nt_xcalloc(1, 1)) == NULL) /* an empty body is still a string */
        return 0;
    curl_easy_getinfo(m->curl, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

static bool b64_hash(const char *s, nt_hash *out)
{
    size_t got = 0;
    return s != NULL &&
           sodium_base642bin(out->b, NT_HASH_LEN, s, strlen(s), NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
           got == NT_HASH_LEN;
}

/* Verifies a signed checkpoint with the monitor's key: its size and root, or false (alarm raised). */
static bool checkpoint_ok(monitor *m, const char *note, size_t len, const char *what, uint64_t *size, nt_hash *root)
{
    size_t text_len = 0;
    char origin[256];
    if (nt_note_verify(&m->key, note, len, &text_len) != 0) {
        alarm_(m, "%s is not signed by the log key %s+%08x", what, m->key.name, m->key.hash);
        return false;
    }
    if (nt_checkpoint_parse(note, text_len, origin, sizeof(origin), size, root) != 0) {
        alarm_(m, "%s is not a checkpoint", what);
        return false;
    }
    if (strcmp(origin, m->key.name) != 0) {
        alarm_(m, "%s names the origin %s, not %s", what, origin, m->key.name);
        return false;
    }
    return true;
}

static void entry_name(monitor *m, uint64_t i, char *out, size_t cap)
{
    nt_log_entry e;
    if (i < m->tree.size && nt_log_entry_decode(m->ent + m->off[i], (size_t)(m->off[i + 1] - m->off[i]), &e) == 0)
        snprintf(out, cap, "entry %llu (%s %s)", (unsigned long long)i, nt_log_type_name(e.type), e.record_id);
    else
        snprintf(out, cap, "entry %llu", (unsigned long long)i);
}

/* Reads every level-0 tile and entry bundle up to size, checks each entry against its leaf hash and
 * rebuilds the tree; then compares the upper tiles with the subtree roots. */
static int fetch_tree(monitor *m, uint64_t size)
{
    buf hb = {0}, eb = {0};
    m->off = nt_xcalloc(size + 1, sizeof(uint64_t));
    if (m->off == NULL)
        return -1;
    nt_progress_begin(&m->prog, "monitor", "entries", size, m->quiet);
    for (uint64_t t = 0; t * NT_TILE_WIDTH < size; t++) {
        nt_progress_update(&m->prog, t * NT_TILE_WIDTH);
        uint64_t left = size - t * NT_TILE_WIDTH;
        unsigned w = left >= NT_TILE_WIDTH ? NT_TILE_WIDTH : (unsigned)left;
        char path[128], url[160];
        nt_tile_path(path, sizeof(path), 0, t, w);
        snprintf(url, sizeof(url), "/log/%s", path);
        long s1 = get(m, url, &hb);
        if (s1 != 200 || hb.n != (size_t)w * NT_HASH_LEN) {
            alarm_(m, "tile %s: HTTP %ld with %zu bytes, not %u hashes", path, s1, hb.n, w);
            break;
        }
        nt_tile_path(path, sizeof(path), -1, t, w);
        snprintf(url, sizeof(url), "/log/%s", path);
        long s2 = get(m, url, &eb);
        if (s2 != 200) {
            alarm_(m, "entry bundle %s: HTTP %ld", path, s2);
            break;
        }
        size_t o = 0;
        for (unsigned k = 0; k < w; k++) {
            uint64_t i = t * NT_TILE_WIDTH + k;
            if (o + 2 > eb.n || o + 2 + ((size_t)(unsigned char)eb.p[o] << 8 | (unsigned char)eb.p[o + 1]) > eb.n) {
                alarm_(m, "entry bundle %s ends before entry %llu", path, (unsigned long long)i);
                goto out;
            }
            size_t el = (size_t)(unsigned char)eb.p[o] << 8 | (unsigned char)eb.p[o + 1];
            const unsigned char *e = (const unsigned char *)eb.p + o + 2;
            o += 2 + el;
            nt_hash leaf;
            nt_merkle_leaf_hash(e, el, &leaf);
            if (memcmp(leaf.b, hb.p + (size_t)k * NT_HASH_LEN, NT_HASH_LEN) != 0)
                alarm_(m, "entry %llu in %s does not hash to its leaf in tile 0", (unsigned long long)i, path);
            nt_log_entry d;
            if (nt_log_entry_decode(e, el, &d) != 0)
                alarm_(m, "entry %llu is not a valid log entry", (unsigned long long)i);
            else if (d.type == NT_LOG_REDACTION)
                json_object_set_new(m->redactions, d.record_id, json_integer((json_int_t)i));
            else if (d.type == NT_LOG_DECISION_DELISTED)
                json_object_set_new(m->delistings, d.record_id, json_integer((json_int_t)i));
            if (m->ent_len + el > m->ent_cap) {
                m->ent_cap = (m->ent_len + el) * 2 + 4096;
                m->ent = nt_xrealloc(m->ent, m->ent_cap);
                if (m->ent == NULL)
                    goto out;
            }
            memcpy(m->ent + m->ent_len, e, el);
            m->off[i] = m->ent_len;
            m->ent_len += el;
            m->off[i + 1] = m->ent_len;
            nt_mtree_append(&m->tree, (const nt_hash *)(hb.p + (size_t)k * NT_HASH_LEN));
        }
        if (o != eb.n)
            alarm_(m, "entry bundle %s holds more than %u entries", path, w);
    }
    for (int level = 1; m->alarms == 0 && (size >> (8 * level)) > 0; level++) {
        uint64_t count = size >> (8 * level);
        for (uint64_t t = 0; t * NT_TILE_WIDTH < count; t++) {
            uint64_t left = count - t * NT_TILE_WIDTH;
            unsigned w = left >= NT_TILE_WIDTH ? NT_TILE_WIDTH : (unsigned)left;
            char path[128], url[160];
            nt_tile_path(path, sizeof(path), level, t, w);
            snprintf(url, sizeof(url), "/log/%s", path);
            const nt_hash *mine = NULL;
            unsigned have = 0;
            long st = get(m, url, &hb);
            if (st != 200 || hb.n != (size_t)w * NT_HASH_LEN || nt_mtree_tile(&m->tree, size, level, t, &mine, &have) != 0 ||
                memcmp(mine, hb.p, hb.n) != 0)
                alarm_(m, "tile %s does not hold the roots of the subtrees below it", path);
        }
    }
out:
    free(hb.p);
    free(eb.p);
    m->prog.done = m->alarms == 0 ? size : m->prog.done;
    nt_progress_end(&m->prog);
    return 0;
}

static bool hex_salt(const char *s, unsigned char salt[NT_LOG_SALT_LEN])
{
    size_t len = 0;
    return s != NULL && sodium_hex2bin(salt, NT_LOG_SALT_LEN, s, strlen(s), NULL, &len, NULL) == 0 && len == NT_LOG_SALT_LEN;
}

/* Remembers a public record: the decision it belongs to (itself, or a sanction's) and, for a
 * decision, the end of its publication as the record gives it. */
static void note_disclosed(monitor *m, uint64_t idx, const nt_log_entry *e, const char *rec, json_t *delist_of)
{
    json_t *r = json_loads(rec, 0, NULL);
    bool decision = e->type == NT_LOG_DECISION_ISSUED || e->type == NT_LOG_DECISION_AMENDED || e->type == NT_LOG_DECISION_DELISTED;
    const char *did = decision ? e->record_id : json_string_value(json_object_get(r, "decision_id"));
    if (did != NULL) {
        char k[32];
        snprintf(k, sizeof(k), "%llu", (unsigned long long)idx);
        json_object_set_new(m->disclosed, k, json_pack("[s, I]", did, (json_int_t)0));
        int64_t delist = 0;
        const char *at = json_string_value(json_object_get(r, "delist_at"));
        if (decision && (at == NULL || nt_time_parse(at, &delist) != 0))
            delist = 0;
        if (decision)
            json_object_set_new(delist_of, did, json_integer((json_int_t)delist));
    }
    json_decref(r);
}

/* The disclosed records: every public one must match its entry's commitment; none may be missing. */
static void check_records(monitor *m, uint64_t size)
{
    json_t *delist_of = json_object(); /* decision id -> the end of its publication, as last disclosed */
    buf b = {0};
    uint64_t from = 0;
    while (from < size) {
        char path[96];
        snprintf(path, sizeof(path), "/v1/log/records?from=%llu&limit=100", (unsigned long long)from);
        long st = get(m, path, &b);
        json_t *page = st == 200 ? json_loads(b.p, 0, NULL) : NULL;
        if (page == NULL) {
            alarm_(m, "GET %s: HTTP %ld", path, st);
            break;
        }
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(page, "items"), i, it)
        {
            uint64_t idx = (uint64_t)json_integer_value(json_object_get(it, "index"));
            const char *status = json_string_value(json_object_get(it, "status"));
            char name[160];
            entry_name(m, idx, name, sizeof(name));
            nt_log_entry e;
            if (idx >= m->tree.size || nt_log_entry_decode(m->ent + m->off[idx], (size_t)(m->off[idx + 1] - m->off[idx]), &e) != 0)
                continue;
            char k[32];
            snprintf(k, sizeof(k), "%llu", (unsigned long long)idx);
            json_object_set_new(m->status, k, json_string(status ? status : ""));
            if (status != NULL && strcmp(status, "missing") == 0) {
                alarm_(m, "%s: the record behind it has been deleted", name);
            } else if (status != NULL && strcmp(status, "redacted") == 0) {
                if (json_object_get(m->redactions, e.record_id) == NULL)
                    alarm_(m, "%s: its record was removed, but no redaction entry names %s", name, e.record_id);
            } else if (status != NULL && strcmp(status, "public") == 0) {
                unsigned char salt[NT_LOG_SALT_LEN];
                const char *rec = json_string_value(json_object_get(it, "record"));
                nt_hash c;
                if (!hex_salt(json_string_value(json_object_get(it, "salt")), salt) || rec == NULL)
                    alarm_(m, "%s: the disclosed record is malformed", name);
                else {
                    nt_log_commit(salt, rec, strlen(rec), &c);
                    if (memcmp(c.b, e.commitment.b, NT_HASH_LEN) != 0)
                        alarm_(m, "%s: the published record no longer matches its commitment in the log", name);
                    else
                        note_disclosed(m, idx, &e, rec, delist_of);
                }
            }
        }
        json_t *next = json_object_get(page, "next_from");
        from = json_is_integer(next) ? (uint64_t)json_integer_value(next) : size;
        json_decref(page);
    }
    /* Each disclosed record's publication ends with its decision's. */
    const char *k;
    json_t *v;
    json_object_foreach(m->disclosed, k, v)
    {
        json_t *end = json_object_get(delist_of, json_string_value(json_array_get(v, 0)));
        if (end != NULL)
            json_array_set(v, 1, end);
    }
    json_decref(delist_of);
    free(b.p);
}

/* Once disclosed, a record stays disclosed until its publication ends as its record said, a
 * logged delisting withdraws its decision, or a logged redaction removes it. prev: the records
 * disclosed at the last run ("idx" -> [decision id, delist_at]). */
static void check_withdrawn(monitor *m, const json_t *prev)
{
    int64_t now = nt_now_us();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)prev, k, v)
    {
        uint64_t idx = strtoull(k, NULL, 10);
        const char *st = json_string_value(json_object_get(m->status, k));
        const char *did = json_string_value(json_array_get(v, 0));
        int64_t end = json_integer_value(json_array_get(v, 1));
        if (idx >= m->tree.size ||
            (st != NULL && (strcmp(st, "public") == 0 || strcmp(st, "redacted") == 0 || strcmp(st, "missing") == 0)))
            continue; /* still public; or a removal the records check has judged already */
        if ((end != 0 && end <= now) || (did != NULL && json_object_get(m->delistings, did) != NULL))
            continue;
        char name[160];
        entry_name(m, idx, name, sizeof(name));
        alarm_(m,
               "%s: its record was disclosed and no longer is, but no delisting entry withdraws decision %s and its "
               "publication was not due to end",
               name, did ? did : "?");
    }
}

static void check_receipt(monitor *m, const char *file, uint64_t size)
{
    size_t len = 0;
    char *text = (char *)nt_cli_slurp(file, &len);
    nt_tlog_proof p;
    char why[256];
    if (text == NULL) {
        alarm_(m, "receipt %s cannot be read", file);
        return;
    }
    uint64_t rsize = 0;
    nt_hash rroot, leaf, now;
    char what[600];
    snprintf(what, sizeof(what), "the checkpoint of receipt %s", file);
    if (nt_tlog_proof_parse(text, len, &p, why, sizeof(why)) != 0)
        alarm_(m, "receipt %s: %s", file, why);
    else if (!checkpoint_ok(m, p.checkpoint, p.checkpoint_len, what, &rsize, &rroot))
        ;
    else if (!p.has_extra)
        alarm_(m, "receipt %s does not carry its entry", file);
    else {
        nt_merkle_leaf_hash(p.extra, p.extra_len, &leaf);
        if (!nt_merkle_verify_inclusion(p.index, rsize, &leaf, p.proof, p.nproof, &rroot))
            alarm_(m, "receipt %s: the inclusion proof of entry %llu does not verify", file, (unsigned long long)p.index);
        else if (rsize > size || rsize > m->tree.size)
            alarm_(m, "receipt %s: its checkpoint (size %llu) is larger than the log now (%llu): the log was cut back", file,
                   (unsigned long long)rsize, (unsigned long long)size);
        else {
            nt_mtree_root(&m->tree, rsize, &now);
            uint64_t i = p.index;
            if (memcmp(now.b, rroot.b, NT_HASH_LEN) != 0)
                alarm_(m, "receipt %s: its checkpoint (size %llu) is not consistent with the log now", file,
                       (unsigned long long)rsize);
            else if (m->off[i + 1] - m->off[i] != p.extra_len || memcmp(m->ent + m->off[i], p.extra, p.extra_len) != 0)
                alarm_(m, "receipt %s: entry %llu in the log differs from the receipt's", file, (unsigned long long)i);
            else
                printf("receipt %s: entry %llu is in the log\n", file, (unsigned long long)i);
        }
    }
    free(text);
}

static void usage(void)
{
    printf("usage: niemtin log monitor URL [--state FILE] [--key FILE] [--quiet] [RECEIPT...]\n\n"
           "Checks a running log over HTTP as any outsider can: verifies the checkpoint's signature, reads\n"
           "every tile and entry bundle, rebuilds the tree and compares its root; proves the new checkpoint\n"
           "consistent with the one verified last time (kept in the state file, default\n"
           "niemtin-monitor.state); checks every disclosed record against its commitment; and verifies the\n"
           "tlog-proof receipts named on the command line. The key is the log's public key (a signed-note\n"
           "verifier line, as GET /log/key serves it); without --key the one in the state file is used, and\n"
           "on the first run the served one is trusted and pinned. Prints ALARM lines and exits 1 on any\n"
           "inconsistency, 2 when the log cannot be reached, 0 when all is well.\n");
}

static int run(monitor *m, const char *state_path, const char *key_path, char **receipts, int nreceipts)
{
    char keyline[600] = "";
    uint64_t prev_size = 0;
    nt_hash prev_root;
    bool have_prev = false;
    size_t len = 0;
    json_t *prev_disclosed = m->prev;
    char *st = (char *)nt_cli_slurp(state_path, &len);
    for (char *line = st ? strtok(st, "\n") : NULL; line != NULL; line = strtok(NULL, "\n")) {
        if (strncmp(line, "key ", 4) == 0)
            snprintf(keyline, sizeof(keyline), "%s", line + 4);
        else if (strncmp(line, "size ", 5) == 0)
            prev_size = strtoull(line + 5, NULL, 10), have_prev = true;
        else if (strncmp(line, "root ", 5) == 0 && !b64_hash(line + 5, &prev_root))
            have_prev = false;
        else if (strncmp(line, "disclosed ", 10) == 0) {
            char did[NT_LOG_ID_MAX + 1];
            unsigned long long idx = 0;
            long long end = 0;
            if (sscanf(line + 10, "%llu %64s %lld", &idx, did, &end) == 3) {
                char k[32];
                snprintf(k, sizeof(k), "%llu", idx);
                json_object_set_new(prev_disclosed, k, json_pack("[s, I]", did, (json_int_t)end));
            }
        }
    }
    free(st);
    buf b = {0};
    if (key_path != NULL) {
        char *k = (char *)nt_cli_slurp(key_path, &len);
        if (k == NULL) {
            fprintf(stderr, "niemtin: %s cannot be read\n", key_path);
            return 2;
        }
        k[strcspn(k, "\r\n")] = '\0';
        if (keyline[0] && strcmp(keyline, k) != 0)
            alarm_(m, "the key %s differs from the one this monitor verified the log with before (%s)", k, keyline);
        snprintf(keyline, sizeof(keyline), "%s", k);
        free(k);
    } else if (keyline[0] == '\0') {
        if (get(m, "/log/key", &b) != 200) {
            fprintf(stderr, "niemtin: %s/log/key cannot be read\n", m->base);
            free(b.p);
            return 2;
        }
        b.p[strcspn(b.p, "\r\n")] = '\0';
        snprintf(keyline, sizeof(keyline), "%s", b.p);
        printf("note: trusting the served key %s on first use\n", keyline);
    }
    if (nt_note_verifier_parse(keyline, &m->key) != 0) {
        fprintf(stderr, "niemtin: not a signed-note public key: %s\n", keyline);
        free(b.p);
        return 2;
    }
    long status = get(m, "/log/checkpoint", &b);
    if (status != 200) {
        fprintf(stderr, "niemtin: %s/log/checkpoint: HTTP %ld\n", m->base, status);
        free(b.p);
        return 2;
    }
    uint64_t size = 0;
    nt_hash root, mine;
    if (!checkpoint_ok(m, b.p, b.n, "the served checkpoint", &size, &root)) {
        free(b.p);
        return 1;
    }
    if (fetch_tree(m, size) != 0) {
        free(b.p);
        return 2;
    }
    if (m->alarms == 0) {
        nt_mtree_root(&m->tree, size, &mine);
        if (memcmp(mine.b, root.b, NT_HASH_LEN) != 0)
            alarm_(m, "the tiles do not hash to the root of the checkpoint (size %llu)", (unsigned long long)size);
    }
    if (have_prev && m->alarms == 0) {
        if (size < prev_size) {
            alarm_(m, "the log shrank from %llu entries (verified before) to %llu", (unsigned long long)prev_size,
                   (unsigned long long)size);
        } else {
            nt_mtree_root(&m->tree, prev_size, &mine);
            if (memcmp(mine.b, prev_root.b, NT_HASH_LEN) != 0)
                alarm_(m, "the log of %llu entries does not extend the one of %llu verified before: history was rewritten",
                       (unsigned long long)size, (unsigned long long)prev_size);
            char path[128];
            snprintf(path, sizeof(path), "/v1/log/proof/consistency?from=%llu&to=%llu", (unsigned long long)prev_size,
                     (unsigned long long)size);
            json_t *proof = get(m, path, &b) == 200 ? json_loads(b.p, 0, NULL) : NULL;
            nt_hash hashes[NT_LOG_PROOF_MAX];
            size_t n = 0, i;
            json_t *h;
            bool ok = proof != NULL;
            json_array_foreach(json_object_get(proof, "hashes"), i, h) ok =
                ok && n < NT_LOG_PROOF_MAX && b64_hash(json_string_value(h), &hashes[n++]);
            if (!ok || (prev_size > 0 && !nt_merkle_verify_consistency(prev_size, size, &prev_root, &root, hashes, n)))
                alarm_(m, "the server's consistency proof from size %llu to %llu does not verify", (unsigned long long)prev_size,
                       (unsigned long long)size);
            json_decref(proof);
        }
    }
    if (m->alarms == 0) {
        check_records(m, size);
        check_withdrawn(m, prev_disclosed);
    }
    for (int i = 0; i < nreceipts; i++)
        check_receipt(m, receipts[i], size);
    free(b.p);
    if (m->alarms > 0) {
        printf("%d alarm(s); the state file is left as it was\n", m->alarms);
        return 1;
    }
    char tmp[4200], b64[64];
    snprintf(tmp, sizeof(tmp), "%s.tmp", state_path);
    sodium_bin2base64(b64, sizeof(b64), root.b, NT_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
    FILE *f = fopen(tmp, "w");
    bool wrote = f != NULL && fprintf(f, "key %s\nsize %llu\nroot %s\n", keyline, (unsigned long long)size, b64) >= 0;
    const char *k;
    json_t *v;
    json_object_foreach(m->disclosed, k, v) wrote =
        wrote && fprintf(f, "disclosed %s %s %lld\n", k, json_string_value(json_array_get(v, 0)),
                         (long long)json_integer_value(json_array_get(v, 1))) >= 0;
    if (f != NULL && fclose(f) != 0)
        wrote = false;
    if (!wrote || rename(tmp, state_path) != 0) {
        fprintf(stderr, "niemtin: cannot write %s\n", state_path);
        return 2;
    }
    if (have_prev)
        printf("ok: %s: %llu entries verified against the checkpoint, consistent with the one of size %llu\n", m->base,
               (unsigned long long)size, (unsigned long long)prev_size);
    else
        printf("ok: %s: %llu entries verified against the checkpoint\n", m->base, (unsigned long long)size);
    return 0;
}

int nt__log_monitor(int argc, char **argv)
{
    const char *state = "niemtin-monitor.state", *key = NULL;
    bool quiet = false;
    static const struct option opts[] = {{"state", required_argument, 0, 's'},
                                         {"key", required_argument, 0, 'k'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (c == 'q')
            quiet = true;
        else if (c == 's')
            state = optarg;
        else if (c == 'k')
            key = optarg;
        else {
            usage();
            return c == 'h' ? 0 : 2;
        }
    }
    if (optind >= argc) {
        usage();
        return 2;
    }
    if (sodium_init() < 0)
        return 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    monitor m = {.quiet = quiet,
                 .curl = curl_easy_init(),
                 .base = argv[optind],
                 .redactions = json_object(),
                 .delistings = json_object(),
                 .disclosed = json_object(),
                 .status = json_object(),
                 .prev = json_object()};
    char base[1024];
    snprintf(base, sizeof(base), "%s", argv[optind]);
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/')
        base[--bl] = '\0';
    m.base = base;
    int rc = m.curl ? run(&m, state, key, argv + optind + 1, argc - optind - 1) : 2;
    curl_easy_cleanup(m.curl);
    curl_global_cleanup();
    nt_mtree_free(&m.tree);
    free(m.ent);
    free(m.off);
    json_decref(m.redactions);
    json_decref(m.delistings);
    json_decref(m.disclosed);
    json_decref(m.status);
    json_decref(m.prev);
    return rc;
}
