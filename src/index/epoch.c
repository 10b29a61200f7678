/* Epoch-based reclamation; see epoch.h. */
#include "index/epoch.h"
#include <stdatomic.h>
#include <stdlib.h>

#define SLOTS 512

struct retired {
    void *obj;
    void (*fn)(void *);
    uint64_t epoch;
    struct retired *next;
};

struct nt_epoch {
    uint64_t gen; /* tells apart a domain from an earlier one freed at the same address */
    _Atomic uint64_t global;
    _Atomic uint64_t slot[SLOTS]; /* 0: not reading */
    _Atomic int nslots;
    struct retired *retired;
    size_t pending;
};

/* Each thread's slot, per epoch domain: a thread reads from few domains. */
#define TL_DOMAINS 4
static _Thread_local struct {
    nt_epoch *e;
    uint64_t gen;
    int slot;
} tl[TL_DOMAINS];
static _Atomic uint64_t next_gen = 1;

nt_epoch *nt_epoch_new(void)
{
    nt_epoch *e = calloc(1, sizeof(*e));
    if (e != NULL) {
        atomic_store(&e->global, 1);
        e->gen = atomic_fetch_add(&next_gen, 1);
    }
    return e;
}

void nt_epoch_free(nt_epoch *e)
{
    if (e == NULL)
        return;
    struct retired *r = e->retired;
    while (r) {
        struct retired *n = r->next;
        r->fn(r->obj);
        free(r);
        r = n;
    }
    free(e);
}

static int my_slot(nt_epoch *e)
{
    static _Thread_local nt_epoch *last_e;
    static _Thread_local uint64_t last_gen;
    static _Thread_local int last_slot;
    if (last_e == e && last_gen == e->gen) /* the common case: one domain, over and over */
        return last_slot;
    for (int i = 0; i < TL_DOMAINS; i++)
        if (tl[i].e == e && tl[i].gen == e->gen) {
            last_e = e;
            last_gen = e->gen;
            last_slot = tl[i].slot;
            return last_slot;
        }
    int s = atomic_fetch_add(&e->nslots, 1);
    if (s >= SLOTS)
        abort(); /* more reader threads than slots: a configuration error, loud on purpose */
    /* Take a free entry, or the one of a domain that no longer exists (round robin). */
    static _Thread_local int victim;
    int i = 0;
    while (i < TL_DOMAINS && tl[i].e != NULL)
        i++;
    if (i == TL_DOMAINS)
        i = victim++ % TL_DOMAINS;
    tl[i].e = e;
    tl[i].gen = e->gen;
    tl[i].slot = s;
    last_e = e;
    last_gen = e->gen;
    last_slot = s;
    return s;
}

void nt_epoch_enter(nt_epoch *e)
{
    atomic_store(&e->slot[my_slot(e)], atomic_load(&e->global)); /* seq_cst: before any load of shared pointers */
}

void nt_epoch_leave(nt_epoch *e)
{
    atomic_store_explicit(&e->slot[my_slot(e)], 0, memory_order_release);
}

void nt_epoch_collect(nt_epoch *e)
{
    uint64_t min = UINT64_MAX;
    int n = atomic_load(&e->nslots);
    for (int i = 0; i < n && i < SLOTS; i++) {
        uint64_t v = atomic_load(&e->slot[i]);
        if (v != 0 && v < min)
            min = v;
    }
    struct retired **p = &e->retired;
    while (*p) {
        struct retired *r = *p;
        if (r->epoch < min) {
            *p = r->next;
            r->fn(r->obj);
            free(r);
            e->pending--;
        } else {
            p = &r->next;
        }
    }
}

void nt_epoch_retire(nt_epoch *e, void *obj, void (*fn)(void *))
{
    if (obj == NULL)
        return;
    struct retired *r = malloc(sizeof(*r));
    if (r == NULL)
        abort();
    r->obj = obj;
    r->fn = fn;
    r->epoch = atomic_fetch_add(&e->global, 1);
    r->next = e->retired;
    e->retired = r;
    e->pending++;
    nt_epoch_collect(e);
}

size_t nt_epoch_pending(nt_epoch *e)
{
    return e->pending;
}
