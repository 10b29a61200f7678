/* The restriction index; see restrictions.h.
 *
 * Each map is an array of buckets; a bucket is an atomic pointer to an
 * immutable chain of nodes. A writer builds the bucket's new chain (copying
 * the few nodes of that bucket), publishes it with one atomic store, and
 * retires the old nodes. A person's restriction set is immutable too: a change
 * makes a new set and retires the old one. */
#include "index/restrictions.h"
#include "core/text.h"
#include "index/epoch.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* A chain node holds its value inline, then its key: one allocation, and a lookup that finds
 * the node has the value in the same (or the next) cache line. */
typedef struct node {
    struct node *next;
    uint64_t hash; /* compared before the key: most of a chain is skipped without a strcmp */
    size_t vsize;  /* bytes of value, rounded up to 8; the key follows */
    _Alignas(8) unsigned char data[];
} node;

static void *node_value(const node *n)
{
    return (void *)n->data;
}

static const char *node_key(const node *n)
{
    return (const char *)n->data + n->vsize;
}

typedef struct cmap {
    size_t nbuckets; /* a power of two */
    _Atomic(node *) *b;
    size_t count;
} cmap;

/* A person's restrictions, inline in its node: the count and the first restriction's hot
 * fields come first; the name, read only for the public list, follows the restrictions. */
typedef struct pset {
    size_t n;
    nt_restriction r[];
} pset;

static const char *pset_name(const pset *p)
{
    return (const char *)&p->r[p->n];
}

struct nt_rindex {
    pthread_mutex_t wlock;
    nt_epoch *epoch;
    cmap handles; /* value: a holder */
    cmap persons; /* value: a pset */
    cmap certs;   /* value: an nt_cert_brief, the person's current Influencer Trust certificate */
    size_t restrictions;
    _Atomic int64_t seq;
};

static size_t pow2_at_least(size_t n)
{
    size_t p = 1024;
    while (p < n && p < ((size_t)1 << 30))
        p <<= 1;
    return p;
}

static int cmap_init(cmap *m, size_t expected)
{
    m->nbuckets = pow2_at_least(expected + expected / 2);
    m->b = calloc(m->nbuckets, sizeof(*m->b));
    m->count = 0;
    return m->b ? 0 : -1;
}

static void free_chain(void *p)
{
    node *n = p;
    while (n) {
        node *next = n->next;
        free(n);
        n = next;
    }
}

static void cmap_destroy(cmap *m)
{
    for (size_t i = 0; m->b && i < m->nbuckets; i++)
        free_chain(atomic_load(&m->b[i]));
    free(m->b);
}

/* Reader: inside an epoch section; the value stays valid until the section ends. h is the key's hash. */
static const void *cmap_get_h(cmap *m, const char *key, uint64_t h)
{
    node *n = atomic_load_explicit(&m->b[h & (m->nbuckets - 1)], memory_order_acquire);
    for (; n; n = n->next)
        if (n->hash == h && strcmp(node_key(n), key) == 0)
            return node_value(n);
    return NULL;
}

static const void *cmap_get(cmap *m, const char *key)
{
    return cmap_get_h(m, key, nt_hash_str(key));
}

/* A handle's value: its holder, with the holder's hash so the second lookup skips hashing. A
 * person's own entry may carry their certificate after the id (8-aligned): the check reads it from
 * the node it has just found, without another cache miss. */
typedef struct holder {
    uint64_t hash;
    bool has_cert;
    char person_id[];
} holder;

static node *node_new(uint64_t hash, const void *value, size_t vlen, const char *key)
{
    size_t vsize = (vlen + 7) & ~(size_t)7, klen = strlen(key) + 1;
    node *c = malloc(sizeof(node) + vsize + klen);
    if (c == NULL)
        abort();
    c->next = NULL;
    c->hash = hash;
    c->vsize = vsize;
    memcpy(c->data, value, vlen);
    memcpy(c->data + vsize, key, klen);
    return c;
}

static node *node_copy(const node *n)
{
    size_t size = sizeof(node) + n->vsize + strlen(node_key(n)) + 1;
    node *c = malloc(size);
    if (c == NULL)
        abort();
    memcpy(c, n, size);
    c->next = NULL;
    return c;
}

/* Writer: sets (value != NULL, copied) or removes (value == NULL) key, publishing the bucket's new
 * chain in one store and retiring the old one. +1 if added, -1 if removed, 0 otherwise. */
static int cmap_set(cmap *m, nt_epoch *e, const char *key, const void *value, size_t vlen)
{
    uint64_t h = nt_hash_str(key);
    _Atomic(node *) *slot = &m->b[h & (m->nbuckets - 1)];
    node *old = atomic_load(slot), *head = NULL, **tail = &head;
    bool found = false;
    for (node *n = old; n; n = n->next) {
        bool same = n->hash == h && strcmp(node_key(n), key) == 0;
        found = found || same;
        if (same && value == NULL)
            continue;
        node *c = same ? node_new(h, value, vlen, key) : node_copy(n);
        *tail = c;
        tail = &c->next;
    }
    if (!found && value == NULL) {
        free_chain(head);
        return 0;
    }
    if (!found)
        *tail = node_new(h, value, vlen, key);
    atomic_store(slot, head); /* seq_cst: published before the retire's epoch bump */
    nt_epoch_retire(e, old, free_chain);
    int delta = !found ? 1 : value == NULL ? -1 : 0;
    m->count = (size_t)((long)m->count + delta);
    return delta;
}

static size_t cert_offset(size_t id_len)
{
    return (offsetof(holder, person_id) + id_len + 1 + 7) & ~(size_t)7;
}

static const nt_cert_brief *holder_cert(const holder *h)
{
    return h != NULL && h->has_cert ? (const nt_cert_brief *)((const char *)h + cert_offset(strlen(h->person_id))) : NULL;
}

/* Writer, under wlock: key's holder is person_id, with certificate c (NULL: none). */
static void set_holder(nt_rindex *ix, const char *key, const char *person_id, const nt_cert_brief *c)
{
    size_t n = strlen(person_id);
    size_t size = c ? cert_offset(n) + sizeof(*c) : sizeof(holder) + n + 1;
    holder *h = calloc(1, size);
    if (h == NULL)
        abort();
    h->hash = nt_hash_str(person_id);
    memcpy(h->person_id, person_id, n + 1);
    if (c != NULL) {
        h->has_cert = true;
        memcpy((char *)h + cert_offset(n), c, sizeof(*c));
    }
    cmap_set(&ix->handles, ix->epoch, key, h, size);
    free(h);
}

nt_rindex *nt_rindex_new(size_t handles, size_t persons)
{
    nt_rindex *ix = calloc(1, sizeof(*ix));
    if (ix == NULL)
        return NULL;
    ix->epoch = nt_epoch_new();
    if (ix->epoch == NULL || cmap_init(&ix->handles, handles) != 0 || cmap_init(&ix->persons, persons) != 0) {
        nt_rindex_free(ix);
        return NULL;
    }
    pthread_mutex_init(&ix->wlock, NULL);
    return ix;
}

void nt_rindex_free(nt_rindex *ix)
{
    if (ix == NULL)
        return;
    cmap_destroy(&ix->handles);
    cmap_destroy(&ix->persons);
    nt_epoch_free(ix->epoch);
    pthread_mutex_destroy(&ix->wlock);
    free(ix);
}

void nt_rindex_put_handle(nt_rindex *ix, const char *key, const char *person_id)
{
    pthread_mutex_lock(&ix->wlock);
    /* A person's entry put again (the person changed) keeps the certificate it holds. */
    const nt_cert_brief *c = key[0] == '#' ? holder_cert(cmap_get(&ix->handles, key)) : NULL;
    nt_cert_brief keep;
    if (c != NULL)
        keep = *c;
    set_holder(ix, key, person_id, c ? &keep : NULL);
    pthread_mutex_unlock(&ix->wlock);
}

/* Persons live in the handle map under "#" and their id in lower case ("platform:handle" keys
 * never start with "#"), holding the id as the registry writes it. */
static bool person_key(const char *id, char key[NT_ID_LEN + 1])
{
    size_t n = strlen(id);
    if (n == 0 || n >= NT_ID_LEN)
        return false;
    key[0] = '#';
    for (size_t i = 0; i <= n; i++)
        key[i + 1] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] + ('a' - 'A') : id[i]);
    return true;
}

void nt_rindex_put_person(nt_rindex *ix, const char *person_id)
{
    char key[NT_ID_LEN + 1];
    if (person_key(person_id, key))
        nt_rindex_put_handle(ix, key, person_id);
}

void nt_rindex_del_person(nt_rindex *ix, const char *person_id)
{
    char key[NT_ID_LEN + 1];
    if (person_key(person_id, key))
        nt_rindex_del_handle(ix, key);
}

bool nt_rindex_person(nt_rindex *ix, const char *id, char registered[NT_ID_LEN])
{
    char key[NT_ID_LEN + 1];
    return person_key(id, key) && nt_rindex_handle(ix, key, registered);
}

void nt_rindex_del_handle(nt_rindex *ix, const char *key)
{
    pthread_mutex_lock(&ix->wlock);
    cmap_set(&ix->handles, ix->epoch, key, NULL, 0);
    pthread_mutex_unlock(&ix->wlock);
}

void nt_rindex_put_cert(nt_rindex *ix, const char *person_id, const nt_cert_brief *c)
{
    char key[NT_ID_LEN + 1];
    if (!person_key(person_id, key))
        return;
    pthread_mutex_lock(&ix->wlock);
    const holder *old = cmap_get(&ix->handles, key); /* the writer may read without a section */
    if (old != NULL || c != NULL) {
        char registered[NT_ID_LEN];
        nt_strlcpy(registered, old ? old->person_id : person_id, sizeof(registered));
        set_holder(ix, key, registered, c);
    }
    pthread_mutex_unlock(&ix->wlock);
}

bool nt_rindex_cert(nt_rindex *ix, const char *person_id, nt_cert_brief *out)
{
    char key[NT_ID_LEN + 1];
    if (!person_key(person_id, key))
        return false;
    nt_epoch_enter(ix->epoch);
    const nt_cert_brief *c = holder_cert(cmap_get(&ix->handles, key));
    if (c != NULL)
        *out = *c;
    nt_epoch_leave(ix->epoch);
    return c != NULL;
}

/* Writer: the person's set with r added or replaced (r != NULL) or sanction_id removed. */
static void change_set(nt_rindex *ix, const char *person_id, const char *legal_name, const nt_restriction *r,
                       const char *sanction_id)
{
    pthread_mutex_lock(&ix->wlock);
    const pset *old = cmap_get(&ix->persons, person_id); /* the writer may read without a section */
    size_t n = old ? old->n : 0, keep = 0;
    const char *name = legal_name ? legal_name : old ? pset_name(old) : "";
    size_t nl = strlen(name) + 1, size = sizeof(pset) + (n + 1) * sizeof(nt_restriction) + nl;
    pset *p = malloc(size);
    if (p == NULL)
        abort();
    bool replaced = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(old->r[i].sanction_id, sanction_id) == 0) {
            if (r != NULL) {
                p->r[keep++] = *r;
                replaced = true;
            }
            continue;
        }
        p->r[keep++] = old->r[i];
    }
    if (r != NULL && !replaced)
        p->r[keep++] = *r;
    p->n = keep;
    memcpy((char *)&p->r[keep], name, nl);
    ix->restrictions = ix->restrictions - n + keep;
    if (keep == 0)
        cmap_set(&ix->persons, ix->epoch, person_id, NULL, 0);
    else
        cmap_set(&ix->persons, ix->epoch, person_id, p, sizeof(pset) + keep * sizeof(nt_restriction) + nl);
    free(p);
    pthread_mutex_unlock(&ix->wlock);
}

void nt_rindex_put(nt_rindex *ix, const char *person_id, const char *legal_name, const nt_restriction *r)
{
    change_set(ix, person_id, legal_name, r, r->sanction_id);
}

void nt_rindex_del(nt_rindex *ix, const char *person_id, const char *sanction_id)
{
    change_set(ix, person_id, NULL, NULL, sanction_id);
}

void nt_rindex_rename(nt_rindex *ix, const char *person_id, const char *legal_name)
{
    change_set(ix, person_id, legal_name, NULL, ""); /* every restriction kept; none restricts: nothing stored */
}

static bool ended_before(const nt_restriction *r, int64_t before)
{
    return (r->t.end_us != 0 && r->t.end_us <= before) || (r->t.lifted_us != 0 && r->t.lifted_us <= before);
}

size_t nt_rindex_prune(nt_rindex *ix, int64_t before)
{
    /* Collect first, then delete: deleting changes the chains being walked. */
    size_t cap = 64, n = 0, dropped = 0;
    struct victim {
        char person[NT_ID_LEN], sanction[NT_ID_LEN];
    } *v = malloc(cap * sizeof(*v));
    if (v == NULL) /* this library returns what it cannot do; nothing pruned, try again later */
        return 0;
    pthread_mutex_lock(&ix->wlock);
    for (size_t b = 0; b < ix->persons.nbuckets; b++) {
        for (node *nd = atomic_load(&ix->persons.b[b]); nd; nd = nd->next) {
            const pset *p = node_value(nd);
            for (size_t i = 0; i < p->n; i++) {
                if (!ended_before(&p->r[i], before))
                    continue;
                if (n == cap) {
                    struct victim *nv = realloc(v, cap * 2 * sizeof(*v));
                    if (nv == NULL) /* prune what was collected; the rest next time */
                        goto collected;
                    v = nv;
                    cap *= 2;
                }
                nt_strlcpy(v[n].person, node_key(nd), NT_ID_LEN);
                nt_strlcpy(v[n].sanction, p->r[i].sanction_id, NT_ID_LEN);
                n++;
            }
        }
    }
collected:
    pthread_mutex_unlock(&ix->wlock);
    for (size_t i = 0; i < n; i++, dropped++)
        nt_rindex_del(ix, v[i].person, v[i].sanction);
    free(v);
    return dropped;
}

void nt_rindex_set_seq(nt_rindex *ix, int64_t seq)
{
    atomic_store(&ix->seq, seq);
}

int64_t nt_rindex_seq(nt_rindex *ix)
{
    return atomic_load(&ix->seq);
}

bool nt_rindex_handle(nt_rindex *ix, const char *key, char person[NT_ID_LEN])
{
    nt_epoch_enter(ix->epoch);
    const holder *v = cmap_get(&ix->handles, key);
    if (v != NULL)
        nt_strlcpy(person, v->person_id, NT_ID_LEN);
    nt_epoch_leave(ix->epoch);
    return v != NULL;
}

static int platform_bit(const char *platform)
{
    for (int i = 0; platform != NULL && nt_platforms[i] != NULL; i++)
        if (strcmp(nt_platforms[i], platform) == 0)
            return i;
    return -1;
}

/* Inside a read section: the restrictions of a person that apply. */
static size_t check_in(nt_rindex *ix, const char *person_id, uint64_t hash, unsigned scopes, int pb, int64_t from, int64_t to,
                       nt_restriction *out, size_t max)
{
    size_t found = 0;
    const pset *p = cmap_get_h(&ix->persons, person_id, hash);
    for (size_t i = 0; p != NULL && i < p->n; i++) {
        const nt_restriction *r = &p->r[i];
        if ((r->scopes & scopes) == 0)
            continue;
        if (pb >= 0 && r->platforms != 0 && !(r->platforms & (1u << pb)))
            continue;
        bool in_force = to > from ? nt_sanction_in_force_during(&r->t, from, to) : nt_sanction_in_force_at(&r->t, from);
        if (!in_force)
            continue;
        if (found < max)
            out[found] = *r;
        found++;
    }
    return found;
}

size_t nt_rindex_check(nt_rindex *ix, const char *person_id, unsigned scopes, const char *platform, int64_t from, int64_t to,
                       nt_restriction *out, size_t max)
{
    int pb = platform_bit(platform);
    nt_epoch_enter(ix->epoch);
    size_t found = check_in(ix, person_id, nt_hash_str(person_id), scopes, pb, from, to, out, max);
    nt_epoch_leave(ix->epoch);
    return found;
}

size_t nt_rindex_check_handle(nt_rindex *ix, const char *key, char person[NT_ID_LEN], bool *known, unsigned scopes,
                              const char *platform, int64_t from, int64_t to, nt_restriction *out, size_t max)
{
    int pb = platform_bit(platform);
    size_t found = 0;
    nt_epoch_enter(ix->epoch);
    const holder *v = cmap_get(&ix->handles, key);
    *known = v != NULL;
    if (v != NULL) {
        nt_strlcpy(person, v->person_id, NT_ID_LEN);
        found = check_in(ix, v->person_id, v->hash, scopes, pb, from, to, out, max);
    } else {
        person[0] = '\0';
    }
    nt_epoch_leave(ix->epoch);
    return found;
}

size_t nt_rindex_check_brief(nt_rindex *ix, const char *person_id, const char *key, bool *known, unsigned scopes,
                             const char *platform, int64_t at, const nt_restriction_brief *first)
{
    int pb = platform_bit(platform);
    size_t found = 0;
    nt_epoch_enter(ix->epoch);
    const pset *p = NULL;
    if (key != NULL) {
        const holder *v = cmap_get(&ix->handles, key);
        *known = v != NULL;
        if (v != NULL)
            p = cmap_get_h(&ix->persons, v->person_id, v->hash);
    } else {
        p = cmap_get(&ix->persons, person_id);
    }
    for (size_t i = 0; p != NULL && i < p->n; i++) {
        const nt_restriction *r = &p->r[i];
        if ((r->scopes & scopes) == 0 || (pb >= 0 && r->platforms != 0 && !(r->platforms & (1u << pb))) ||
            !nt_sanction_in_force_at(&r->t, at))
            continue;
        if (found++ == 0) {
            memcpy(first->decision_number, r->decision_number, sizeof(r->decision_number));
            memcpy(first->authority, r->authority, sizeof(r->authority));
            *first->start_us = r->t.start_us;
            *first->end_us = r->t.end_us;
        }
    }
    nt_epoch_leave(ix->epoch);
    return found;
}

void nt_rindex_each(nt_rindex *ix, void (*fn)(void *arg, const char *person_id, const char *legal_name, const nt_restriction *r),
                    void *arg)
{
    nt_epoch_enter(ix->epoch);
    for (size_t b = 0; b < ix->persons.nbuckets; b++)
        for (node *nd = atomic_load_explicit(&ix->persons.b[b], memory_order_acquire); nd; nd = nd->next) {
            const pset *p = node_value(nd);
            for (size_t i = 0; i < p->n; i++)
                fn(arg, node_key(nd), pset_name(p), &p->r[i]);
        }
    nt_epoch_leave(ix->epoch);
}

void nt_rindex_stats_get(nt_rindex *ix, nt_rindex_stats *out)
{
    pthread_mutex_lock(&ix->wlock);
    out->handles = ix->handles.count;
    out->persons = ix->persons.count;
    out->restrictions = ix->restrictions;
    out->retired_pending = nt_epoch_pending(ix->epoch);
    pthread_mutex_unlock(&ix->wlock);
}
