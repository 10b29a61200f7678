/* Screening: candidates from the posting lists of a query's readings. */
#include "index/screen_int.h"

/* ---- readers ---- */

static bool has_marks(const char *toned, const char *plain)
{
    return toned[0] != '\0' && strcmp(toned, plain) != 0;
}

static void expand(const nt_screen *ix, qtok *q)
{
    size_t n = strlen(q->plain);
    q->nx = 0;
    q->postings = 0;
    if (q->initial || q->filler)
        return;
#define ADD(id, s, h)                                                                                                              \
    do {                                                                                                                           \
        bool dup = false;                                                                                                          \
        for (int j_ = 0; j_ < q->nx && !dup; j_++)                                                                                 \
            dup = q->x[j_].v == (id);                                                                                              \
        if (!dup && q->nx < MAXX) {                                                                                                \
            q->x[q->nx].v = (id);                                                                                                  \
            q->x[q->nx].sim = (s);                                                                                                 \
            q->x[q->nx].how = (uint8_t)(h);                                                                                        \
            q->postings += ix->v[id].post.n;                                                                                       \
            q->nx++;                                                                                                               \
        }                                                                                                                          \
    } while (0)
    if (q->pid != NONE)
        ADD(q->pid, SIM_TONED, NT_SM_PLAIN);
    char un[TOKLEN];
    uint32_t tv;
    if (nt_name_untelex(q->plain, un, sizeof(un)) > 0 && (tv = vfind(ix, un, strlen(un))) != NONE)
        ADD(tv, SIM_PLAIN, NT_SM_PLAIN); /* typed in Telex with its keys left in */
    size_t o = 0;                        /* letters drawn out ("cuccc", "thuuy") */
    for (size_t k = 0; k < n; k++)
        if (k == 0 || q->plain[k] != q->plain[k - 1])
            un[o++] = q->plain[k];
    if (o < n && o >= 2 && (tv = vfind(ix, un, o)) != NONE)
        ADD(tv, SIM_PLAIN, NT_SM_PLAIN);
    uint64_t sh = hkey(sound_hash(q->plain));
    for (size_t it = mm_first(&ix->sounds, sh); it != SIZE_MAX; it = mm_next(&ix->sounds, sh, it)) {
        uint32_t v = ix->sounds.s[it].v;
        if (hkey(ix->v[v].sound) == sh)
            ADD(v, SIM_SOUND, NT_SM_SOUND);
    }
    if (n >= 2) {
        char d[TOKLEN];
        for (size_t k = 0; k <= n; k++) {
            size_t dn = n;
            if (k < n) {
                memcpy(d, q->plain, k);
                memcpy(d + k, q->plain + k + 1, n - k - 1);
                dn = n - 1;
            } else
                memcpy(d, q->plain, n);
            uint64_t h = hash_bytes(d, dn);
            for (size_t it = mm_first(&ix->deletes, h); it != SIZE_MAX; it = mm_next(&ix->deletes, h, it)) {
                uint32_t v = ix->deletes.s[it].v;
                if (ix->v[v].len >= 2 && nt__scr_within_one(q->plain, n, ix->v[v].s, ix->v[v].len))
                    ADD(v, SIM_TYPO, NT_SM_TYPO);
            }
        }
    }
    /* A word no name has: the names' words two edits away, or one from its sound ("nguiyen",
     * "hoagn"; "woc" for quốc), within what is left of the room. */
    if (n >= 3 && (q->pid == NONE || !ix->v[q->pid].syllable)) {
        char qs[TOKLEN + 2];
        int qn = nt_name_sound(q->plain, qs, sizeof(qs));
        uint32_t ql = letter_set(q->plain, n), qsl = qn > 0 ? letter_set(qs, (size_t)qn) : 0;
        for (uint32_t k = 0; k < ix->syllables.n && q->nx < MAXX; k++) {
            const vtok *t = &ix->v[ix->syllables.a[k]];
            const struct sylkey *sk = &ix->sylkeys[k];
            if (t->len < 2)
                continue;
            bool near = __builtin_popcount(ql ^ sk->letters) <= 4 && nt__scr_within_two(q->plain, n, t->s, t->len) <= 2;
            if (!near && qn > 0 && sk->n > 0 && __builtin_popcount(qsl ^ sk->sounds) <= 2)
                near = nt__scr_within_two(qs, (size_t)qn, sk->sound, (size_t)sk->n) <= 1;
            if (near)
                ADD(ix->syllables.a[k], SIM_TYPO2, NT_SM_TYPO);
        }
    }
#undef ADD
    /* The likeliest first: by similarity, then the commoner word (a typo of "phan" more likely
     * meant Phan than Nhan); pairs try only the first few. */
    for (int a = 1; a < q->nx; a++)
        for (int b = a; b > 0; b--) {
            const vtok *x = &ix->v[q->x[b].v], *y = &ix->v[q->x[b - 1].v];
            if (q->x[b].sim < q->x[b - 1].sim || (q->x[b].sim == q->x[b - 1].sim && x->df <= y->df))
                break;
            __typeof__(q->x[0]) t = q->x[b];
            q->x[b] = q->x[b - 1];
            q->x[b - 1] = t;
        }
}

static void make_reading(const nt_screen *ix, const toks *t, reading *r)
{
    r->n = 0;
    r->wsum = 0;
    r->first = r->last = -1;
    r->marks = false;
    for (int i = 0; i < t->n; i++)
        if (!t->filler[i]) {
            r->first = r->first < 0 ? i : r->first;
            r->last = i;
        }
    for (int i = 0; i < t->n; i++) {
        qtok *q = &r->t[r->n++];
        strcpy(q->plain, t->plain[i]);
        size_t n = strlen(q->plain);
        q->initial = n == 1;
        q->filler = t->filler[i];
        q->pid = vfind(ix, q->plain, n);
        q->tid = t->toned[i][0] ? tfind(ix, t->toned[i]) : q->pid != NONE ? tfind(ix, q->plain) : NONE;
        q->marks = has_marks(t->toned[i], q->plain);
        q->open = !q->initial && !q->filler && (q->pid == NONE || !ix->v[q->pid].syllable);
        q->letters = letter_set(q->plain, n);
        q->near = NULL; /* until nt__scr_near gives it room */
        r->marks = r->marks || q->marks;
        /* What a token the candidate lacks costs: at an end of the name (where the given name is
         * written) more; a given name nobody in the registry has, most. */
        bool end = (i == r->first || i == r->last) && r->first != r->last;
        if (q->initial) {
            q->w = 1.0f;
            q->miss = 0.3f;
        } else if (q->filler)
            q->w = q->miss = 0.3f;
        else if (q->pid != NONE && ix->v[q->pid].syllable) {
            q->w = ix->v[q->pid].w > 5.0f ? 5.0f : ix->v[q->pid].w;
            q->miss = end ? 1.5f * q->w : MIDDLE_ADDED * q->w; /* an extra middle name costs less */
        } else {
            q->w = 1.5f;
            q->miss = end ? 4.0f : 1.5f;
        }
        expand(ix, q);
        r->wsum += q->w;
    }
    /* In "Nguyễn Thị Thu" the unmarked Thu is meant as written: it is not Thư. */
    for (int i = 0; i < r->n; i++)
        r->t[i].as_meant = r->t[i].marks || r->marks;
    nt__scr_concat(t, r->letters, sizeof(r->letters));
    r->concat = strlen(r->letters) >= 4 ? hash_bytes(r->letters, strlen(r->letters)) : 0;
}

static bool same_reading(const reading *a, const reading *b)
{
    if (a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->t[i].plain, b->t[i].plain) != 0)
            return false;
    return true;
}

/* Words that met nothing cut into what syllables they hold and what is left ("th0cuc" -> "tho cuc"):
 * the left-over letters then meet syllables by typo or sound. False when there is no such word. */
static bool partial(const nt_screen *ix, const toks *in, const reading *rd, toks *out)
{
    bool changed = false;
    out->n = 0;
    for (int i = 0; i < in->n; i++) {
        char pieces[MAXTOK][TOKLEN];
        bool whole;
        size_t n = strlen(in->plain[i]);
        int k = 0;
        if (i < rd->n && rd->t[i].nx == 0 && !rd->t[i].filler && n >= 5)
            k = nt__scr_segment(ix, in->plain[i], n, pieces, MAXTOK, &whole, rd->handle);
        if (k >= 2) {
            for (int j = 0; j < k; j++)
                push_tok(out, pieces[j], strlen(pieces[j]), NULL);
            changed = true;
        } else
            push_tok(out, in->plain[i], n, in->toned[i][0] ? in->toned[i] : NULL);
    }
    return changed;
}

/* Initials written together: in a name, a word of two to four capitals beside words that are not
 * ("NQĐ Cường", "TT Hiên") becomes its letters ("N Q Đ Cường"). */
static const char *spread_initials(const char *s, char *out, size_t cap)
{
    bool lower = false;
    for (const char *p = s; *p; p++)
        lower = lower || (*p >= 'a' && *p <= 'z');
    if (!lower)
        return s;
    size_t o = 0;
    for (const char *p = s; *p;) {
        size_t n = 0, len = 0; /* letters and bytes of the word of capitals at p */
        while (n < 5 && ((p[len] >= 'A' && p[len] <= 'Z') || ((unsigned char)p[len] == 0xC4 && (unsigned char)p[len + 1] == 0x90)))
            len += p[len] == (char)0xC4 ? 2 : 1, n++;
        bool word = (p == s || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0');
        if (n >= 2 && n <= 4 && word) {
            for (size_t k = 0; k < len && o + 3 < cap; k++) {
                out[o++] = p[k];
                if (p[k] != (char)0xC4 && k + 1 < len)
                    out[o++] = ' ';
            }
            p += len;
            continue;
        }
        if (o + 1 >= cap)
            return s;
        out[o++] = *p++;
    }
    out[o] = '\0';
    return out;
}

/* A handle's word of two to four letters that is no syllable ("@ptt.huan", "@nv_triet") is read as
 * initials. */
static void handle_initials(const nt_screen *ix, toks *t)
{
    toks o = {0};
    for (int i = 0; i < t->n; i++) {
        size_t n = strlen(t->plain[i]);
        if (n >= 2 && n <= 4 && !t->filler[i] && i + 1 < t->n && !is_syllable(ix, t->plain[i], n) && !nt_name_syllable(t->plain[i]))
            for (size_t k = 0; k < n; k++)
                push_tok(&o, t->plain[i] + k, 1, NULL);
        else
            push_tok(&o, t->plain[i], n, t->toned[i][0] ? t->toned[i] : NULL);
    }
    *t = o;
}

/* Makes r[*n] of t; keeps it (counts it in *n) unless an earlier reading is the same. */
static bool add_reading(const nt_screen *ix, const toks *t, reading *r, int *n, bool handle, int number)
{
    make_reading(ix, t, &r[*n]);
    r[*n].handle = handle;
    r[*n].number = number;
    for (int i = 0; handle && i < r[*n].n; i++)
        r[*n].t[i].open = false; /* a handle's pieces are not words written with a typo */
    for (int i = 0; i < *n; i++)
        if (same_reading(&r[i], &r[*n]))
            return false;
    (*n)++;
    return true;
}

/* The readings of a query (docs/SCREENING.md): its words, each cut into syllables if need be; a
 * handle's edge digits read as letters; its letters as one string cut into syllables; a word that
 * met nothing cut into what syllables it holds. Duplicates are dropped. */
int nt__scr_readings(const nt_screen *ix, const nt_screen_query *q, reading *r)
{
    int n = 0;
    toks t, all, first = {0};
    all.n = 0;
    char spread[512];
    if (q->name != NULL && nt__scr_name_toks(spread_initials(q->name, spread, sizeof(spread)), &t) == 0 && t.n > 0) {
        nt__scr_honorific(&t);
        all = t;
        nt__scr_cut(ix, &t, NULL, false);
        first = t;
        make_reading(ix, &t, &r[n]);
        r[n].handle = false;
        r[n++].number = -1;
    }
    if (q->handle != NULL) {
        for (int edges = 0; edges < 2 && n < READINGS; edges++) {
            if (nt__scr_handle_toks(q->handle, edges == 1, &t) != 0 || t.n == 0)
                continue;
            if (edges == 0) {
                for (int i = 0; i < t.n && all.n < MAXTOK; i++)
                    push_tok(&all, t.plain[i], strlen(t.plain[i]), NULL);
            }
            handle_initials(ix, &t);
            nt__scr_cut(ix, &t, NULL, true);
            if (first.n == 0)
                first = t;
            add_reading(ix, &t, r, &n, true, nt__scr_handle_number(q->handle));
        }
    }
    /* A handle's letters as initials and a given name, where the registry has someone so named
     * ("@na.tram": N. A. Trâm; "@nthao": N. T. Hảo as well as N. Thảo), up to two ways. */
    if (q->handle != NULL && all.n > 0 && n < READINGS) {
        char letters[TOKLEN * MAXTOK];
        nt__scr_concat(&all, letters, sizeof(letters));
        size_t len = strlen(letters);
        int made = 0;
        for (size_t k = 1; k <= 4 && k + 2 <= len && n < READINGS && made < 2; k++) {
            const char *given = letters + k;
            bool alpha = true;
            for (size_t j = 0; j < len; j++)
                alpha = alpha && letters[j] >= 'a' && letters[j] <= 'z';
            if (!alpha || len - k >= TOKLEN || !is_syllable(ix, given, len - k) ||
                letters_find(ix, initials_key(letters, k, given)) == NULL)
                continue;
            toks split = {0};
            for (size_t j = 0; j < k; j++)
                push_tok(&split, letters + j, 1, NULL);
            push_tok(&split, given, len - k, NULL);
            made += add_reading(ix, &split, r, &n, true, nt__scr_handle_number(q->handle));
        }
    }
    /* The letters as one string: "tun.gle" -> "tungle" -> "tung le"; "nguyenanhthien". For a name,
     * only when it has a word that is no syllable (its spaces are missing or misplaced). */
    bool broken = q->handle != NULL || all.n == 1;
    for (int i = 0; i < all.n && !broken; i++)
        broken = !all.filler[i] && strlen(all.plain[i]) > 1 && !is_syllable(ix, all.plain[i], strlen(all.plain[i])) &&
                 !nt_name_syllable(all.plain[i]);
    if (broken && all.n > 0 && n < READINGS) {
        toks one = {0};
        char letters[TOKLEN * MAXTOK];
        nt__scr_concat(&all, letters, sizeof(letters));
        size_t len = strlen(letters);
        if (len >= 4 && len < TOKLEN) {
            char pieces[MAXTOK][TOKLEN];
            bool whole = false;
            int k = nt__scr_segment(ix, letters, len, pieces, MAXTOK, &whole, q->handle != NULL);
            if (whole) {
                for (int i = 0; i < k; i++)
                    push_tok(&one, pieces[i], strlen(pieces[i]), NULL);
                bool handle = q->handle != NULL && q->name == NULL;
                add_reading(ix, &one, r, &n, handle, handle ? nt__scr_handle_number(q->handle) : -1);
            }
        }
    }
    toks part;
    if (n > 0 && n < READINGS && partial(ix, &first, &r[0], &part)) {
        make_reading(ix, &part, &r[n]);
        r[n].handle = r[0].handle;
        r[n].number = r[0].number;
        n++;
    }
    return n;
}

scratch *nt__scr_take_scratch(nt_screen *ix)
{
    pthread_mutex_lock(&ix->pool_lock);
    scratch *s = ix->pool;
    if (s != NULL)
        ix->pool = s->next;
    pthread_mutex_unlock(&ix->pool_lock);
    if (s == NULL && (s = nt_xcalloc(1, sizeof(*s))) == NULL)
        return NULL;
    if (s->cap < ix->np) {
        size_t cap = ix->np + ix->np / 4 + 64;
        slot *slots = nt_xcalloc(cap, sizeof(*slots));
        if (slots == NULL) {
            free(s->slots);
            free(s->touched.a);
            free(s->near);
            free(s);
            return NULL;
        }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
        s->serial = 0;
    }
    return s;
}

static void touch(scratch *s, uint32_t pi)
{
    slot *sl = &s->slots[pi];
    if (sl->stamp != s->serial) {
        sl->stamp = s->serial;
        sl->acc = 0;
        sl->bits = 0;
        vpush(&s->touched, pi);
    }
}

static void heap_sift(cand *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && h[l].s < h[m].s)
            m = l;
        if (l + 1 < n && h[l + 1].s < h[m].s)
            m = l + 1;
        if (m == i)
            return;
        cand t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* Credits a person once per query token (bit), at the first (best) similarity it is met with. */
static inline void credit(const nt_screen *ix, scratch *s, const nt_screen_query *q, const post_t *x, uint32_t bit, float c,
                          uint32_t bit2, float c2)
{
    uint32_t pi = x->p;
    if (!live(ix, x) || (q->flagged_only && !(ix->p[pi].flags & P_FLAG)))
        return;
    touch(s, pi);
    slot *sl = &s->slots[pi];
    uint32_t was = sl->bits;
    if (!(sl->bits & bit)) {
        sl->bits |= bit;
        sl->acc += c;
    }
    if (bit2 && !(sl->bits & bit2)) {
        sl->bits |= bit2;
        sl->acc += c2;
    }
    s->full += (sl->bits & s->all) == s->all && (was & s->all) != s->all && (!q->birth_year || ix->years[pi] == q->birth_year);
}

static bool usable(const qtok *t)
{
    return t->nx > 0 && !t->filler && !t->initial;
}

static void walk_add(walk *w, int *n, walk x)
{
    int k = (*n)++;
    while (k > 0 && (w[k - 1].tier > x.tier || (w[k - 1].tier == x.tier && w[k - 1].size > x.size))) {
        w[k] = w[k - 1];
        k--;
    }
    w[k] = x;
}

static void walk_all(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q, const walk *w, int n,
                     size_t budget, bool pairs)
{
    /* By tier, rarest first, while the budget lasts; but each pair of the query's words (each word,
     * alone) has its best list walked within four budgets: "Nguyen zuc Anh" must not spend all on
     * the common Nguyễn … Anh and never walk Đức Anh. A list longer than four budgets ("Nguyễn"
     * alone) tells nothing worth its time. */
    size_t walked = 0;
    uint64_t done = 0;
    /* The list each pair of words is guaranteed: of its best tier, the likeliest spellings (the
     * expansions come likeliest first: "phan" before "nhan" for "pnhan"), then the shortest. */
    int best[MAXTOK * MAXTOK];
    for (int k = 0; k < MAXTOK * MAXTOK; k++)
        best[k] = -1;
    for (int k = 0; k < n; k++) {
        int *b = &best[w[k].i * MAXTOK + w[k].j];
        if (*b < 0 || (w[k].tier == w[*b].tier && w[k].a + w[k].b < w[*b].a + w[*b].b))
            *b = k;
    }
    for (int k = 0; k < n; k++) {
        uint64_t bit = 1ULL << (w[k].i * MAXTOK + w[k].j);
        bool guaranteed = !(done & bit) && best[w[k].i * MAXTOK + w[k].j] == k &&
                          s->full < KEEP / 4; /* not when enough have every word already */
        if (w[k].size > 4 * budget || (k > 0 && walked + w[k].size > budget && (!guaranteed || walked + w[k].size > 3 * budget)))
            continue;
        done |= bit;
        walked += w[k].size;
        const qtok *ti = &r->t[w[k].i], *tj = &r->t[w[k].j];
        float ci = ti->w * ti->x[w[k].a].sim, cj = pairs ? tj->w * tj->x[w[k].b].sim : 0;
        const post_t *a = w[k].list->a;
        uint32_t len = w[k].list->n;
        for (uint32_t e = 0; e < len; e++) {
            if (e + 16 < len) /* the slots are scattered over the persons: ask for them ahead */
                __builtin_prefetch(&s->slots[a[e + 16].p], 1);
            credit(ix, s, q, &a[e], 1u << w[k].i, ci, pairs ? 1u << w[k].j : 0, cj);
        }
    }
}

/* As written 0, by sound 1, by a typo 2, by two edits 3 (a pair's tier is the sum of its words'). */
static uint8_t tier_of(float sim)
{
    return sim >= 0.9f ? 0 : sim >= 0.75f ? 1 : sim >= SIM_TYPO ? 2 : 3;
}

/* The entries holding two of the query's words (or their spellings). */
static void walk_pairs(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q, size_t share)
{
    enum { MAXC = 1024 };
    walk w[MAXC];
    int n = 0;
    for (int i = 0; i < r->n; i++)
        for (int j = i + 1; j < r->n; j++) {
            if (!usable(&r->t[i]) || !usable(&r->t[j]))
                continue;
            for (int a = 0; a < r->t[i].nx && a < PAIR_X; a++)
                for (int b = 0; b < r->t[j].nx && b < PAIR_X && n < MAXC; b++) {
                    uint32_t id = nt__scr_pair_find(ix, r->t[i].x[a].v, r->t[j].x[b].v);
                    if (id != NONE)
                        walk_add(w, &n,
                                 (walk){&ix->pairs[id].post, ix->pairs[id].post.n, (uint8_t)i, (uint8_t)j, (uint8_t)a, (uint8_t)b,
                                        (uint8_t)(tier_of(r->t[i].x[a].sim) + tier_of(r->t[j].x[b].sim))});
                }
        }
    walk_all(ix, s, r, q, w, n, (ix->ne / 200 > 12000 ? ix->ne / 200 : 12000) / share, true);
}

/* The entries holding one of the query's words (or its spellings). */
static void walk_singles(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q, size_t share)
{
    enum { MAXL = MAXTOK * MAXX };
    walk w[MAXL];
    int n = 0;
    for (int i = 0; i < r->n; i++)
        for (int x = 0; x < r->t[i].nx && n < MAXL; x++) {
            float sim = r->t[i].x[x].sim;
            const pvec *list = &ix->v[r->t[i].x[x].v].post;
            walk_add(w, &n, (walk){list, list->n, (uint8_t)i, (uint8_t)i, (uint8_t)x, (uint8_t)x, tier_of(sim)});
        }
    walk_all(ix, s, r, q, w, n, (ix->ne / 96 > 20000 ? ix->ne / 96 : 20000) / share, false);
}

/* Every live person of a group (the same letters, the same initials) at least `credit`. */
static void group_hits(const nt_screen *ix, scratch *s, const nt_screen_query *q, const pvec *group, float credit)
{
    for (uint32_t k = 0; group != NULL && k < group->n; k++) {
        uint32_t pi = group->a[k].p;
        if (!live(ix, &group->a[k]) || (q->flagged_only && !(ix->p[pi].flags & P_FLAG)))
            continue;
        touch(s, pi);
        slot *sl = &s->slots[pi];
        sl->acc = credit > sl->acc ? credit : sl->acc;
    }
}

static void concat_hits(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q)
{
    group_hits(ix, s, q, r->concat ? letters_find(ix, r->concat) : NULL, r->wsum);
}

/* A query with initials before its given name ("N. Q. Đ. Cường", "@nqdcuong", "N. Thị Lan"): the
 * persons whose legal name has those initials and that given name (or a spelling of it), found by
 * their key, with the credit of the whole reading times the given name's similarity. */
static void initials_hits(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q)
{
    char initials[MAXTOK];
    size_t n = 0;
    bool any = false;
    if (r->first < 0 || r->last <= r->first)
        return;
    for (int i = r->first; i < r->last; i++)
        if (!r->t[i].filler) {
            initials[n++] = r->t[i].plain[0];
            any = any || r->t[i].initial;
        }
    const qtok *g = &r->t[r->last];
    if (!any || g->initial)
        return;
    for (int x = -1; x < g->nx; x++) {
        const char *given = x < 0 ? g->plain : ix->v[g->x[x].v].s;
        float sim = x < 0 ? 1.0f : g->x[x].sim;
        if (x >= 0 && g->x[x].v == g->pid)
            continue;
        group_hits(ix, s, q, letters_find(ix, initials_key(initials, n, given)), r->wsum * sim);
    }
}

/* What a query's initials ("N. T. Cúc", "@ntcuc") add to a person's partial score: each met by a
 * family or middle name of the legal name. */
static float initials_credit(const nt_screen *ix, uint32_t pi, const char *initials, int ni)
{
    const person *p = &ix->p[pi];
    if (ni == 0 || p->n == 0 || ix->e[p->first].via != VIA_NAME)
        return 0;
    const entry *en = &ix->e[p->first];
    uint32_t used = 0;
    float c = 0;
    for (int a = 0; a < ni; a++)
        for (int j = 0; j + 1 < en->ntok; j++)
            if (!((used >> j) & 1) && ix->v[ix->tokp[en->tok + j]].s[0] == initials[a]) {
                used |= 1u << j;
                c += SIM_INITIAL;
                break;
            }
    return c;
}

/* What a query's words no name has add to a person's partial score where no list credited them:
 * each against the legal name's words, by its letters ("Nguyen My hdni Lan": of everyone named
 * Nguyễn Mỹ … Lan, Nguyễn Mỹ Hồng Lan). */
static float open_credit(const nt_screen *ix, const reading *r, const int *open, int nopen, uint32_t bits, const struct legal *lw)
{
    float c = 0;
    for (int a = 0; a < nopen; a++) {
        const qtok *t = &r->t[open[a]];
        float best = 0;
        for (int j = 0; !(bits >> open[a] & 1) && j < lw->ntok; j++) {
            float sim = nt__scr_open_sim(t, &ix->v[lw->tok[j]], lw->tok[j]);
            best = sim > best ? sim : best;
        }
        c += best * t->w;
    }
    return c;
}

void nt__scr_near(const nt_screen *ix, scratch *s, reading *r, int nr)
{
    enum { WORDS = 8 };
    const char *word[WORDS];
    int n = 0, place[READINGS][MAXTOK];
    for (int k = 0; k < nr && k < READINGS; k++)
        for (int i = 0; i < r[k].n; i++) {
            const qtok *t = &r[k].t[i];
            int a = 0;
            while (t->open && a < n && strcmp(word[a], t->plain) != 0)
                a++;
            if (t->open && a == n && n < WORDS)
                word[n++] = t->plain;
            place[k][i] = t->open && a < n ? a : -1;
        }
    size_t need = (size_t)n * ix->nv;
    if (need > s->nearcap) {
        uint8_t *m = nt_xrealloc(s->near, need);
        if (m != NULL) {
            s->near = m;
            s->nearcap = need;
        }
    }
    bool room = need <= s->nearcap;
    if (room && need > 0)
        memset(s->near, 255, need);
    for (int k = 0; k < nr && k < READINGS; k++)
        for (int i = 0; i < r[k].n; i++)
            r[k].t[i].near = room && place[k][i] >= 0 ? s->near + (size_t)place[k][i] * ix->nv : NULL;
}

static int by_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->s != y->s ? (x->s > y->s ? -1 : 1) : (x->p < y->p ? -1 : x->p > y->p);
}

static size_t select_best(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q, cand *out, size_t nout,
                          bool first)
{
    /* The best by partial score times the birth-year factor, a min-heap; the caller's filter is
     * asked only of those that would enter. A query with initials keeps four times as many, adds
     * what its initials meet (reading those persons' names), and keeps the best KEEP of them. */
    char initials[MAXTOK];
    int ni = 0;
    int open[OPEN_MAX], nopen = 0, words = 0;
    uint32_t known = s->all;
    for (int i = 0; i < r->n; i++) {
        if (r->t[i].initial)
            initials[ni++] = r->t[i].plain[0];
        if (r->t[i].open && nopen < OPEN_MAX) {
            open[nopen++] = i;
            known &= ~(1u << i);
        }
        words += !r->t[i].filler;
    }
    if (nopen > 0 && (known == 0 || !first))
        nopen = 0;  /* nothing else met; or a reading after the first, the words as written */
    float most = 0; /* the most the open words can add */
    for (int a = 0; a < nopen; a++)
        most += SIM_TYPO * r->t[open[a]].w / (r->wsum > 0 ? r->wsum : 1.0f);
    size_t cap = ni > 0 ? 4 * KEEP : KEEP, nh = 0;
    cand heap[4 * KEEP];
    for (uint32_t k = 0; k < s->touched.n; k++) {
        uint32_t pi = s->touched.a[k];
        if (k + 16 < s->touched.n) {
            __builtin_prefetch(&s->slots[s->touched.a[k + 16]]);
            if (nopen > 0) /* most of those read it */
                __builtin_prefetch(&ix->legal[s->touched.a[k + 16]]);
        }
        float sc = s->slots[pi].acc / (r->wsum > 0 ? r->wsum : 1.0f);
        if (q->birth_year)
            sc *= year_factor(q->birth_year, ix->years[pi]);
        else if (q->year_hint && ix->years[pi] != q->year_hint)
            sc *= YEAR_HINT;
        uint32_t bits = s->slots[pi].bits;
        if (nopen > 0 && (bits & known) == known && (nh < cap || sc + most >= heap[0].s)) {
            /* Of everyone met by all the other words, those whose name also has a word near
             * the query's unknown one; then those with as many words. */
            const struct legal *lw = &ix->legal[pi];
            sc += open_credit(ix, r, open, nopen, bits, lw) / (r->wsum > 0 ? r->wsum : 1.0f);
            if (lw->words != words)
                sc *= 0.999f;
        }
        if (nh == cap && (sc < heap[0].s || (sc == heap[0].s && pi > heap[0].p)))
            continue;
        if (q->keep != NULL && !q->keep(q->keep_arg, ix->p[pi].id))
            continue;
        if (nh < cap) {
            heap[nh].s = sc;
            heap[nh].p = pi;
            nh++;
            for (size_t i = nh / 2 + 1; i-- > 0;)
                heap_sift(heap, nh, i);
        } else {
            heap[0].s = sc;
            heap[0].p = pi;
            heap_sift(heap, nh, 0);
        }
    }
    if (ni > 0) {
        for (size_t i = 0; i < nh; i++)
            heap[i].s += initials_credit(ix, heap[i].p, initials, ni) / (r->wsum > 0 ? r->wsum : 1.0f);
        qsort(heap, nh, sizeof(*heap), by_cand);
        nh = nh > KEEP ? KEEP : nh;
    }
    size_t n = 0;
    for (size_t i = 0; i < nh && n < nout; i++)
        out[n++] = heap[i];
    return n;
}

/* Partial scores from the posting lists of pairs of the query's words, then of single words if
 * that found few; the best KEEP persons by partial score are added to out. */
size_t nt__scr_candidates(const nt_screen *ix, scratch *s, const reading *r, const nt_screen_query *q, cand *out, size_t nout,
                          size_t share)
{
    if (++s->serial == 0) {
        for (size_t i = 0; i < s->cap; i++)
            s->slots[i].stamp = 0;
        s->serial = 1;
    }
    s->touched.n = 0;
    s->full = 0;
    s->all = 0;
    for (int i = 0; i < r->n; i++)
        s->all |= usable(&r->t[i]) ? 1u << i : 0;
    walk_pairs(ix, s, r, q, share);
    initials_hits(ix, s, r, q);
    if (s->touched.n < KEEP / 8) /* pairs and initials found (almost) nothing: the single words too */
        walk_singles(ix, s, r, q, share);
    /* The same letters as one string: full credit. */
    concat_hits(ix, s, r, q);
    return select_best(ix, s, r, q, out, nout, share == 1);
}
