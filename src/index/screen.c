/* Screening's in-memory name index: its tables and the writers that keep it; see screen.h. */
#include "index/screen_int.h"
#include <malloc.h>
#include <time.h>
const char *const nt__scr_role_names[] = {"family", "middle", "given", "other", "filler"};
const char *const nt__scr_via_names[] = {"name", "alias", "handle"};
static int pair_add(nt_screen *ix, uint32_t a, uint32_t b, uint32_t p, uint32_t e)
{
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uint32_t id = nt__scr_pair_find(ix, a, b);
    if (id == NONE) {
        if (room(&ix->pairs, ix->npairs, &ix->cappairs, sizeof(*ix->pairs), 4096) != 0)
            return NT_ENOMEM;
        id = ix->npairs++;
        ix->pairs[id] = (pairpost){.a = a, .b = b};
        if (mm_put(&ix->pairmap, pair_hash(a, b), id) != 0)
            return NT_ENOMEM;
    }
    pvec *v = &ix->pairs[id].post;
    return v->n > 0 && v->a[v->n - 1].e == e ? 0 : ppush(v, p, e);
}

static int letters_add(nt_screen *ix, uint64_t h, uint32_t p, uint32_t e)
{
    pvec *v = (pvec *)letters_find(ix, h);
    if (v == NULL) {
        if (room(&ix->letters, ix->nletters, &ix->capletters, sizeof(*ix->letters), 4096) != 0)
            return NT_ENOMEM;
        uint32_t id = ix->nletters++;
        ix->letters[id] = (struct lettergroup){.h = h};
        if (mm_put(&ix->concat, h, id) != 0)
            return NT_ENOMEM;
        v = &ix->letters[id].post;
    }
    return ppush(v, p, e);
}

/* A copy of s's n bytes, terminated, in the arena (chunks doubling from 4 KiB to 1 MiB, so that
 * a small index stays small; counted in *bytes). */
static const char *arena_put(chunk **arena, size_t *bytes, const char *s, size_t n)
{
    if (*arena == NULL || (*arena)->used + n + 1 > (*arena)->cap) {
        size_t cap = *arena == NULL ? 4096 : (*arena)->cap < (1 << 20) ? (*arena)->cap * 2 : (1 << 20);
        if (cap < n + 1)
            cap = n + 1;
        chunk *c = nt_xmalloc(sizeof(chunk) + cap);
        if (c == NULL)
            return NULL;
        c->next = *arena;
        c->used = 0;
        c->cap = cap;
        *arena = c;
        *bytes += cap;
    }
    char *d = (*arena)->data + (*arena)->used;
    memcpy(d, s, n);
    d[n] = '\0';
    (*arena)->used += n + 1;
    return d;
}

static void arena_free(chunk *c)
{
    for (chunk *next; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
}

const char *nt__scr_keep_str(nt_screen *ix, const char *s, size_t n)
{
    return arena_put(&ix->arena, &ix->arena_bytes, s, n);
}

static float weight_of(const nt_screen *ix, uint32_t df)
{
    float w = logf(((float)ix->live + 1.0f) / ((float)df + 1.0f));
    return w < 0.05f ? 0.05f : w > 8.0f ? 8.0f : w;
}

static uint32_t vadd(nt_screen *ix, const char *s)
{
    size_t n = strlen(s);
    uint32_t id = vfind(ix, s, n);
    if (id != NONE)
        return id;
    if (room(&ix->v, ix->nv, &ix->capv, sizeof(*ix->v), 1024) != 0)
        return NONE;
    vtok *t = &ix->v[ix->nv];
    memset(t, 0, sizeof(*t));
    if ((t->s = nt__scr_keep_str(ix, s, n)) == NULL)
        return NONE;
    t->len = (uint8_t)n;
    t->letters = letter_set(s, n);
    t->sound = sound_hash(s);
    t->w = weight_of(ix, 0);
    id = ix->nv++;
    if (mm_put(&ix->vmap, hash_bytes(s, n), id) != 0 || mm_put(&ix->sounds, t->sound, id) != 0)
        return NONE;
    /* The token and each of its one-letter deletions, for typos within one edit. */
    if (n >= 2) {
        char d[TOKLEN];
        mm_put(&ix->deletes, hash_bytes(s, n), id);
        for (size_t i = 0; i < n; i++) {
            memcpy(d, s, i);
            memcpy(d + i, s + i + 1, n - i - 1);
            mm_put(&ix->deletes, hash_bytes(d, n - 1), id);
        }
    }
    return id;
}

static uint32_t tadd(nt_screen *ix, const char *s)
{
    uint32_t id = tfind(ix, s);
    if (id != NONE)
        return id;
    if (room(&ix->toned, ix->nt, &ix->capt, sizeof(*ix->toned), 1024) != 0)
        return NONE;
    if ((ix->toned[ix->nt] = nt__scr_keep_str(ix, s, strlen(s))) == NULL)
        return NONE;
    id = ix->nt++;
    return mm_put(&ix->tmap, hash_bytes(s, strlen(s)), id) == 0 ? id : NONE;
}

/* ---- writers ---- */

nt_screen *nt_screen_new(void)
{
    nt_screen *ix = nt_xcalloc(1, sizeof(*ix));
    if (ix == NULL)
        return NULL;
    pthread_rwlock_init(&ix->rw, NULL);
    pthread_mutex_init(&ix->pool_lock, NULL);
    return ix;
}

void nt_screen_free(nt_screen *ix)
{
    if (ix == NULL)
        return;
    for (uint32_t i = 0; i < ix->nv; i++)
        free(ix->v[i].post.a);
    free(ix->v);
    for (uint32_t i = 0; i < ix->npairs; i++)
        free(ix->pairs[i].post.a);
    free(ix->pairs);
    for (uint32_t i = 0; i < ix->nletters; i++)
        free(ix->letters[i].post.a);
    free(ix->letters);
    free(ix->cuts);
    free(ix->syllables.a);
    free(ix->sylkeys);
    free(ix->toned);
    free(ix->p);
    free(ix->years);
    free(ix->legal);
    free(ix->e);
    free(ix->tokp);
    free(ix->tonp);
    free(ix->rolep);
    mmap_t *maps[] = {&ix->vmap, &ix->sounds, &ix->deletes, &ix->tmap, &ix->pmap, &ix->concat, &ix->pairmap, &ix->cutmap};
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
        free(maps[i]->s);
    arena_free(ix->arena);
    for (scratch *s = ix->pool, *next; s != NULL; s = next) {
        next = s->next;
        free(s->slots);
        free(s->touched.a);
        free(s->near);
        free(s);
    }
    free(ix->dead);
    pthread_mutex_destroy(&ix->pool_lock);
    pthread_rwlock_destroy(&ix->rw);
    free(ix);
}

static uint32_t pfind(const nt_screen *ix, const char *id)
{
    uint64_t h = hash_bytes(id, strlen(id));
    for (size_t it = mm_first(&ix->pmap, h); it != SIZE_MAX; it = mm_next(&ix->pmap, h, it))
        if (strcmp(ix->p[ix->pmap.s[it].v].id, id) == 0)
            return ix->pmap.s[it].v;
    return NONE;
}

static void df_change(nt_screen *ix, uint32_t pi, int by)
{
    const person *p = &ix->p[pi];
    for (uint32_t e = p->first; e < p->first + p->n; e++) {
        if (ix->e[e].via != VIA_NAME)
            continue;
        const entry *en = &ix->e[e];
        for (uint32_t k = 0; k < en->ntok; k++) {
            uint32_t v = ix->tokp[en->tok + k];
            bool first = true; /* count a token once per name */
            for (uint32_t j = 0; j < k; j++)
                first = first && ix->tokp[en->tok + j] != v;
            if (first && v != NONE) {
                ix->v[v].df = (uint32_t)((int64_t)ix->v[v].df + by);
                ix->v[v].w = weight_of(ix, ix->v[v].df);
            }
        }
    }
}

void nt_screen_reweigh(nt_screen *ix)
{
    for (uint32_t i = 0; i < ix->nv; i++)
        ix->v[i].w = weight_of(ix, ix->v[i].df);
    ix->weighed_at = ix->live;
}

/* ---- reclaiming the entries of changed and removed persons ---- */

static const char *move_str(chunk **arena, size_t *bytes, const char *s)
{
    return arena_put(arena, bytes, s, strlen(s));
}

/* A posting list without dead entries, the rest renumbered, its room fitted to what is left. */
static void compact_list(pvec *v, const uint32_t *map)
{
    uint32_t o = 0;
    for (uint32_t k = 0; k < v->n; k++)
        if (map[v->a[k].e] != NONE) {
            v->a[o].p = v->a[k].p;
            v->a[o++].e = map[v->a[k].e];
        }
    v->n = o;
    if (v->cap > 2 * o + 4) {
        uint32_t cap = o < 4 ? 4 : o;
        post_t *a = nt_xrealloc(v->a, (size_t)cap * sizeof(*a));
        if (a != NULL) {
            v->a = a;
            v->cap = cap;
        }
    }
}

static void *fit(void *a, size_t n, size_t size, uint32_t *cap)
{
    size_t c = n + n / 8 + 64;
    if (c >= *cap)
        return a;
    void *b = nt_xrealloc(a, c * size);
    if (b == NULL)
        return a;
    *cap = (uint32_t)c;
    return b;
}

/* Drops the entries of changed and removed persons: renumbers the live ones, filters every posting
 * list, and copies the strings still in use into a fresh arena. Under the write lock; its time grows
 * with the index (docs/SCREENING.md), which is why it waits until a sixteenth of the entries are dead. */
static int reclaim(nt_screen *ix)
{
    uint32_t *map = nt_xmalloc(((size_t)ix->ne + 1) * sizeof(*map));
    chunk *arena = NULL;
    size_t bytes = 0;
    if (map == NULL)
        return NT_ENOMEM;
    /* The strings first: if memory runs out, nothing has changed. */
    bool ok = true;
    const char **vs = nt_xmalloc(((size_t)ix->nv + 1) * sizeof(*vs)), **ts = nt_xmalloc(((size_t)ix->nt + 1) * sizeof(*ts)),
               **cs = nt_xmalloc(((size_t)ix->ncuts + 1) * sizeof(*cs)),
               **ids = nt_xmalloc(((size_t)ix->np + 1) * 2 * sizeof(*ids)),
               **texts = nt_xmalloc(((size_t)ix->ne + 1) * sizeof(*texts));
    ok = vs && ts && cs && ids && texts;
    for (uint32_t i = 0; ok && i < ix->nv; i++)
        ok = (vs[i] = move_str(&arena, &bytes, ix->v[i].s)) != NULL;
    for (uint32_t i = 0; ok && i < ix->nt; i++)
        ok = (ts[i] = move_str(&arena, &bytes, ix->toned[i])) != NULL;
    for (uint32_t i = 0; ok && i < ix->ncuts; i++)
        ok = (cs[i] = move_str(&arena, &bytes, ix->cuts[i])) != NULL;
    for (uint32_t i = 0; ok && i < ix->np; i++)
        ok = (ids[2 * i] = move_str(&arena, &bytes, ix->p[i].id)) != NULL &&
             (ids[2 * i + 1] = move_str(&arena, &bytes, ix->p[i].name)) != NULL;
    uint32_t ne = 0;
    for (uint32_t e = 0; ok && e < ix->ne; e++) {
        bool dead = e / 64 < ix->deadcap && (ix->dead[e / 64] >> (e % 64) & 1);
        map[e] = dead ? NONE : ne++;
        if (!dead)
            ok = (texts[map[e]] = move_str(&arena, &bytes, ix->e[e].text)) != NULL;
    }
    if (!ok) {
        arena_free(arena);
        free(vs), free(ts), free(cs), free(ids), free(texts), free(map);
        return NT_ENOMEM;
    }
    for (uint32_t i = 0; i < ix->nv; i++)
        ix->v[i].s = vs[i];
    for (uint32_t i = 0; i < ix->nt; i++)
        ix->toned[i] = ts[i];
    for (uint32_t i = 0; i < ix->ncuts; i++)
        ix->cuts[i] = cs[i];
    for (uint32_t i = 0; i < ix->np; i++) {
        ix->p[i].id = ids[2 * i];
        ix->p[i].name = ids[2 * i + 1];
    }
    /* The entries and their tokens, in order, without the dead. */
    uint32_t ntp = 0;
    for (uint32_t e = 0; e < ix->ne; e++) {
        if (map[e] == NONE)
            continue;
        entry en = ix->e[e];
        memmove(ix->tokp + ntp, ix->tokp + en.tok, en.ntok * sizeof(*ix->tokp));
        memmove(ix->tonp + ntp, ix->tonp + en.tok, en.ntok * sizeof(*ix->tonp));
        memmove(ix->rolep + ntp, ix->rolep + en.tok, en.ntok);
        en.tok = ntp;
        en.text = texts[map[e]];
        ntp += en.ntok;
        ix->e[map[e]] = en;
    }
    for (uint32_t i = 0; i < ix->np; i++)
        ix->p[i].first = ix->p[i].n > 0 ? map[ix->p[i].first] : 0;
    for (uint32_t i = 0; i < ix->nv; i++)
        compact_list(&ix->v[i].post, map);
    for (uint32_t i = 0; i < ix->npairs; i++)
        compact_list(&ix->pairs[i].post, map);
    for (uint32_t i = 0; i < ix->nletters; i++)
        compact_list(&ix->letters[i].post, map);
    ix->ne = ne;
    ix->ntp = ntp;
    ix->e = fit(ix->e, ne, sizeof(*ix->e), &ix->cape);
    uint32_t captp = ix->captp, c2 = captp, c3 = captp;
    ix->tokp = fit(ix->tokp, ntp + MAXTOK, sizeof(*ix->tokp), &captp);
    ix->tonp = fit(ix->tonp, ntp + MAXTOK, sizeof(*ix->tonp), &c2);
    ix->rolep = fit(ix->rolep, ntp + MAXTOK, 1, &c3);
    ix->captp = captp < c2 ? (captp < c3 ? captp : c3) : (c2 < c3 ? c2 : c3);
    arena_free(ix->arena);
    ix->arena = arena;
    ix->arena_bytes = bytes;
    memset(ix->dead, 0, ix->deadcap * sizeof(*ix->dead));
    ix->ndead = 0;
    ix->reclaimed++;
    free(vs), free(ts), free(cs), free(ids), free(texts), free(map);
    malloc_trim(0); /* give the freed pages back, or the process keeps them */
    return 0;
}

static void retire(nt_screen *ix, uint32_t pi)
{
    df_change(ix, pi, -1);
    const person *p = &ix->p[pi];
    size_t need = (ix->ne + 63) / 64;
    if (need > ix->deadcap) {
        size_t cap = need * 2;
        uint64_t *d = nt_xrealloc(ix->dead, cap * sizeof(*d));
        if (d == NULL)
            return; /* its postings stay: a query rescoring them sees the person's new names only */
        memset(d + ix->deadcap, 0, (cap - ix->deadcap) * sizeof(*d));
        ix->dead = d;
        ix->deadcap = cap;
    }
    for (uint32_t e = p->first; e < p->first + p->n; e++) {
        ix->dead[e / 64] |= 1ULL << (e % 64);
        ix->ndead++;
    }
    ix->p[pi].n = 0;
    if (ix->ndead >= 4096 && ix->ndead * 16 >= ix->ne) { /* a sixteenth dead: memory stays within 10 % */
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (reclaim(ix) == 0) { /* on failure the dead stay marked, and the next change tries again */
            clock_gettime(CLOCK_MONOTONIC, &b);
            uint64_t us = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000u + (uint64_t)((b.tv_nsec - a.tv_nsec) / 1000);
            ix->reclaim_us_max = us > ix->reclaim_us_max ? us : ix->reclaim_us_max;
        }
    }
}

static int add_entry(nt_screen *ix, uint32_t pi, int via, const char *text, const toks *t, const toks *legal)
{
    if (t->n == 0)
        return 0;
    if (room(&ix->e, ix->ne, &ix->cape, sizeof(*ix->e), 4096) != 0)
        return NT_ENOMEM;
    if (ix->ntp + MAXTOK > ix->captp) {
        uint32_t cap = ix->captp ? ix->captp * 2 : 16384;
        uint32_t *a = nt_xrealloc(ix->tokp, cap * sizeof(*a)), *b = a ? nt_xrealloc(ix->tonp, cap * sizeof(*b)) : NULL;
        if (a != NULL)
            ix->tokp = a;
        if (b != NULL)
            ix->tonp = b;
        uint8_t *r = b ? nt_xrealloc(ix->rolep, cap) : NULL;
        if (r == NULL)
            return NT_ENOMEM;
        ix->rolep = r;
        ix->captp = cap;
    }
    uint32_t ei = ix->ne;
    entry *en = &ix->e[ei];
    en->person = pi;
    en->tok = ix->ntp;
    en->ntok = (uint8_t)t->n;
    en->via = (uint8_t)via;
    en->number = (int16_t)(via == VIA_HANDLE ? nt__scr_handle_number(text) : -1);
    if ((en->text = nt__scr_keep_str(ix, text, strlen(text))) == NULL)
        return NT_ENOMEM;
    for (int k = 0; k < t->n; k++) {
        uint32_t v = vadd(ix, t->plain[k]);
        if (v == NONE)
            return NT_ENOMEM;
        if (via != VIA_HANDLE && t->plain[k][1] != '\0' && !t->filler[k]) {
            if (!ix->v[v].syllable) {
                if (room(&ix->sylkeys, ix->syllables.n, &ix->capsylkeys, sizeof(*ix->sylkeys), 64) != 0 ||
                    vpush(&ix->syllables, v) != 0)
                    return NT_ENOMEM;
                struct sylkey *sk = &ix->sylkeys[ix->syllables.n - 1];
                sk->letters = ix->v[v].letters;
                sk->n = (int8_t)nt_name_sound(ix->v[v].s, sk->sound, sizeof(sk->sound));
                sk->sounds = sk->n > 0 ? letter_set(sk->sound, (size_t)sk->n) : 0;
            }
            ix->v[v].syllable = true;
            ix->v[v].seen++;
        }
        uint32_t tn = t->toned[k][0] ? tadd(ix, t->toned[k]) : NONE;
        uint8_t role = OTHER;
        if (via == VIA_NAME)
            role = k == t->n - 1 ? GIVEN : k == 0 ? FAMILY : MIDDLE;
        else if (t->filler[k])
            role = FILLER;
        else if (legal->n > 0) {
            if (strcmp(t->plain[k], legal->plain[legal->n - 1]) == 0)
                role = GIVEN;
            else if (legal->n > 1 && strcmp(t->plain[k], legal->plain[0]) == 0)
                role = FAMILY;
            else
                for (int j = 1; j < legal->n - 1; j++)
                    if (strcmp(t->plain[k], legal->plain[j]) == 0)
                        role = MIDDLE;
        }
        ix->tokp[ix->ntp + k] = v;
        ix->tonp[ix->ntp + k] = tn;
        ix->rolep[ix->ntp + k] = role;
        bool again = false; /* one posting per entry and token */
        for (int j = 0; j < k; j++)
            again = again || ix->tokp[ix->ntp + j] == v;
        if (!again && ppush(&ix->v[v].post, pi, ei) != 0)
            return NT_ENOMEM;
    }
    /* Every pair of its words (not fillers, not initials). */
    for (int i = 0; i < t->n; i++)
        for (int j = i + 1; j < t->n; j++)
            if (!t->filler[i] && !t->filler[j] && t->plain[i][1] && t->plain[j][1] &&
                pair_add(ix, ix->tokp[ix->ntp + i], ix->tokp[ix->ntp + j], pi, ei) != 0)
                return NT_ENOMEM;
    ix->ntp += (uint32_t)t->n;
    char letters[TOKLEN * MAXTOK];
    nt__scr_concat(t, letters, sizeof(letters));
    if (strlen(letters) >= 4 && letters_add(ix, hash_bytes(letters, strlen(letters)), pi, ei) != 0)
        return NT_ENOMEM;
    if (via == VIA_NAME && t->n >= 2) { /* its initials with its given name: "N. Q. Đ. Cường", "@nqdcuong" */
        char initials[MAXTOK];
        for (int k = 0; k + 1 < t->n; k++)
            initials[k] = t->plain[k][0];
        uint64_t h = initials_key(initials, (size_t)t->n - 1, t->plain[t->n - 1]);
        if (h != 0 && letters_add(ix, h, pi, ei) != 0)
            return NT_ENOMEM;
    }
    ix->ne++;
    return 0;
}

int nt_screen_put(nt_screen *ix, const nt_screen_person *in)
{
    if (in == NULL || in->id == NULL || in->name == NULL || strlen(in->id) >= NT_ID_LEN)
        return NT_EINVAL;
    toks legal;
    if (nt__scr_name_toks(in->name, &legal) != 0)
        return NT_EINVAL;
    pthread_rwlock_wrlock(&ix->rw);
    int rc = 0;
    uint32_t pi = pfind(ix, in->id);
    if (pi == NONE) {
        if (room(&ix->p, ix->np, &ix->capp, sizeof(*ix->p), 1024) != 0) {
            rc = NT_ENOMEM;
            goto out;
        }
        pi = ix->np;
        memset(&ix->p[pi], 0, sizeof(person));
        if ((ix->p[pi].id = nt__scr_keep_str(ix, in->id, strlen(in->id))) == NULL ||
            mm_put(&ix->pmap, hash_bytes(in->id, strlen(in->id)), pi) != 0) {
            rc = NT_ENOMEM;
            goto out;
        }
        ix->np++;
        ix->live++;
    } else if (ix->p[pi].flags & P_DEAD) {
        ix->p[pi].flags &= (uint8_t)~P_DEAD;
        ix->live++;
    } else
        retire(ix, pi);
    person *p = &ix->p[pi];
    if ((p->name = nt__scr_keep_str(ix, in->name, strlen(in->name))) == NULL) {
        rc = NT_ENOMEM;
        goto out;
    }
    p->birth_year = (int16_t)(in->birth_year > 0 && in->birth_year < 3000 ? in->birth_year : 0);
    if (ix->capyears < ix->capp) {
        int16_t *y = nt_xrealloc(ix->years, (size_t)ix->capp * sizeof(*y));
        struct legal *l = y ? nt_xrealloc(ix->legal, (size_t)ix->capp * sizeof(*l)) : NULL;
        ix->years = y ? y : ix->years;
        ix->legal = l ? l : ix->legal;
        if (l == NULL) {
            rc = NT_ENOMEM;
            goto out;
        }
        ix->capyears = ix->capp;
    }
    ix->years[pi] = p->birth_year;
    struct legal *lw = &ix->legal[pi];
    lw->words = 0;
    for (int i = 0; i < legal.n; i++)
        lw->words += !legal.filler[i];
    p->gender = in->gender;
    uint32_t first = ix->ne;
    /* The legal name as written; aliases and handles cut into the syllables of the names so far. */
    rc = add_entry(ix, pi, VIA_NAME, in->name, &legal, &legal);
    lw->ntok = rc == 0 && ix->ne > first ? (uint8_t)(ix->e[first].ntok < LEGAL_TOK ? ix->e[first].ntok : LEGAL_TOK) : 0;
    if (lw->ntok > 0)
        memcpy(lw->tok, ix->tokp + ix->e[first].tok, lw->ntok * sizeof(uint32_t));
    for (size_t i = 0; rc == 0 && i < in->naliases; i++) {
        toks t;
        if (in->aliases[i] != NULL && nt__scr_name_toks(in->aliases[i], &t) == 0) {
            nt__scr_cut(ix, &t, ix, false);
            rc = add_entry(ix, pi, VIA_ALIAS, in->aliases[i], &t, &legal);
        }
    }
    for (size_t i = 0; rc == 0 && i < in->nhandles; i++) {
        toks t;
        if (in->handles[i] != NULL && nt__scr_handle_toks(in->handles[i], false, &t) == 0) {
            nt__scr_cut(ix, &t, ix, true);
            rc = add_entry(ix, pi, VIA_HANDLE, in->handles[i], &t, &legal);
        }
    }
    p = &ix->p[pi];
    p->first = first;
    p->n = ix->ne - first;
    df_change(ix, pi, +1);
    if (ix->live > ix->weighed_at + ix->weighed_at / 10 + 16 || ix->live + ix->live / 10 < ix->weighed_at)
        nt_screen_reweigh(ix);
out:
    pthread_rwlock_unlock(&ix->rw);
    return rc;
}

void nt_screen_del(nt_screen *ix, const char *id)
{
    pthread_rwlock_wrlock(&ix->rw);
    uint32_t pi = pfind(ix, id);
    if (pi != NONE && !(ix->p[pi].flags & P_DEAD)) {
        retire(ix, pi);
        ix->p[pi].flags |= P_DEAD;
        ix->live--;
    }
    pthread_rwlock_unlock(&ix->rw);
}

void nt_screen_flag(nt_screen *ix, const char *id, bool on)
{
    pthread_rwlock_wrlock(&ix->rw);
    uint32_t pi = pfind(ix, id);
    if (pi != NONE)
        ix->p[pi].flags = (uint8_t)(on ? ix->p[pi].flags | P_FLAG : ix->p[pi].flags & ~P_FLAG);
    pthread_rwlock_unlock(&ix->rw);
}

/* ---- words cut into syllables (readers and writers; a writer remembers each cut) ---- */

/* A writer's memory of how a word was cut ("lanthao" -> "lan thao"; "" for not at all). */
static const char *cut_seen(const nt_screen *ix, const char *s, size_t n)
{
    uint64_t h = hash_bytes(s, n);
    for (size_t it = mm_first(&ix->cutmap, h); it != SIZE_MAX; it = mm_next(&ix->cutmap, h, it)) {
        const char *c = ix->cuts[ix->cutmap.s[it].v];
        if (strncmp(c, s, n) == 0 && c[n] == '=')
            return c + n + 1;
    }
    return NULL;
}

static void cut_keep(nt_screen *ix, const char *s, size_t n, char pieces[][TOKLEN], int k)
{
    char buf[TOKLEN * (MAXTOK + 2)];
    size_t o = 0;
    memcpy(buf, s, n);
    o = n;
    buf[o++] = '=';
    for (int j = 0; j < k; j++) {
        size_t l = strlen(pieces[j]);
        if (o + l + 2 > sizeof(buf))
            return;
        if (j)
            buf[o++] = ' ';
        memcpy(buf + o, pieces[j], l);
        o += l;
    }
    if (room(&ix->cuts, ix->ncuts, &ix->capcuts, sizeof(*ix->cuts), 1024) != 0)
        return;
    const char *kept = nt__scr_keep_str(ix, buf, o);
    if (kept != NULL && mm_put(&ix->cutmap, hash_bytes(s, n), ix->ncuts) == 0)
        ix->cuts[ix->ncuts++] = kept;
}

/* Replaces each word that is no Vietnamese syllable by the syllables that cover all its letters
 * (if none do, it stays: a typo, or letters to compare as they are). A writer passes itself as `w`
 * to remember each cut: handles repeat, and cutting costs. */
void nt__scr_cut(const nt_screen *ix, toks *t, nt_screen *w, bool initials)
{
    toks o = {0};
    for (int i = 0; i < t->n; i++) {
        const char *s = t->plain[i];
        size_t n = strlen(s);
        char pieces[MAXTOK][TOKLEN];
        bool whole = false;
        int k = 0;
        const char *seen;
        if (n >= 4 && !t->filler[i] && w != NULL && (seen = cut_seen(ix, s, n)) != NULL) {
            for (const char *p = seen; *p && k < MAXTOK;) {
                size_t l = strcspn(p, " ");
                memcpy(pieces[k], p, l);
                pieces[k++][l] = '\0';
                p += l + (p[l] == ' ');
            }
        } else if (n >= 4 && !t->filler[i] && !is_syllable(ix, s, n) && !nt_name_syllable(s)) {
            k = nt__scr_segment(ix, s, n, pieces, MAXTOK, &whole, initials);
            if (!whole) /* a typo, or letters no syllable covers: compared as they are */
                k = 0;
            if (w != NULL)
                cut_keep(w, s, n, pieces, k);
        }
        if (k >= 2)
            for (int j = 0; j < k; j++)
                push_tok(&o, pieces[j], strlen(pieces[j]), NULL);
        else {
            int before = o.n;
            push_tok(&o, s, n, t->toned[i][0] ? t->toned[i] : NULL);
            if (o.n > before)
                o.filler[before] = o.filler[before] || t->filler[i]; /* an honorific stays one */
        }
    }
    *t = o;
}
