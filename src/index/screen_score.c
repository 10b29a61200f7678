/* Screening: full scoring of the candidates, the levels and the explanation; the readers of the
 * index as a whole (the warm-up, the statistics). */
#include "index/screen_int.h"

/* ---- full scoring ---- */

static float pair_sim(const nt_screen *ix, const qtok *q, uint32_t v, uint32_t tn, uint8_t role, bool legal, uint8_t *how)
{
    if (q->initial) { /* of a legal name's family or middle name */
        *how = NT_SM_INITIAL;
        return (role == FAMILY || role == MIDDLE) && legal && ix->v[v].s[0] == q->plain[0] ? SIM_INITIAL : 0;
    }
    if (v == q->pid) {
        /* As written: the same marks, or no marks on either side to compare (a handle's letters).
         * Other marks: a different word when the query's marks are meant, else unknown. */
        if ((q->tid != NONE && q->tid == tn) || (!q->marks && tn == NONE)) {
            *how = NT_SM_TONED;
            return SIM_TONED;
        }
        *how = NT_SM_PLAIN;
        return q->as_meant && tn != NONE ? SIM_PLAIN_DIFF : SIM_PLAIN;
    }
    for (int x = 0; x < q->nx; x++)
        if (q->x[x].v == v) {
            *how = q->x[x].how;
            return q->x[x].sim;
        }
    /* A word no name has, against the candidate's own word: two edits from it. A short word has
     * too many such spellings to list ("lr": la, lê, lan, ...), but the query's other words chose
     * the candidate ("Nguyen Thi lr Chau" 2003 for Nguyễn Thị Lan Châu). */
    if (!q->open || role >= OTHER || !ix->v[v].syllable) /* a name's word: not a handle's "tv" or an alias's "Food" */
        return 0;
    *how = NT_SM_TYPO;
    return nt__scr_open_sim(q, &ix->v[v], v);
}

/* Met as written: the same marks, or letters alone when the query wrote none. */
static bool as_written(uint8_t how, float sim)
{
    return how == NT_SM_TONED || (how == NT_SM_PLAIN && sim == SIM_PLAIN);
}

static float entry_weight(const nt_screen *ix, uint32_t v, uint8_t role)
{
    float w = ix->v[v].w;
    return role == GIVEN ? 1.5f * w : role >= OTHER ? 0.3f : w;
}

static void score_entry(const nt_screen *ix, const reading *r, uint32_t e, const nt_screen_query *q, scored *out)
{
    const entry *en = &ix->e[e];
    const person *p = &ix->p[en->person];
    const uint32_t *tv = ix->tokp + en->tok, *tt = ix->tonp + en->tok;
    const uint8_t *role = ix->rolep + en->tok;
    int m = en->ntok;
    /* Every pair that meets, best first; then one to one. */
    cpair pairs[MAXTOK * MAXTOK];
    int np = 0;
    for (int i = 0; i < r->n; i++)
        for (int j = 0; j < m; j++) {
            uint8_t how = 0;
            float sim = pair_sim(ix, &r->t[i], tv[j], tt[j], role[j], en->via == VIA_NAME, &how);
            if (sim > 0) {
                pairs[np].sim = sim;
                pairs[np].v = sim * entry_weight(ix, tv[j], role[j]);
                pairs[np].i = i;
                pairs[np].j = j;
                pairs[np].how = how;
                np++;
            }
        }
    for (int a = 1; a < np; a++)
        for (int b = a; b > 0 && pairs[b].v > pairs[b - 1].v; b--) {
            cpair t = pairs[b];
            pairs[b] = pairs[b - 1];
            pairs[b - 1] = t;
        }
    uint32_t qused = 0, eused = 0;
    float matched = 0, denom = 0;
    out->npairs = 0;
    out->initials = false;
    out->given = false;
    out->typo = false;
    bool has_given = false;
    int given_q = -1;
    for (int j = 0; j < m; j++)
        has_given = has_given || role[j] == GIVEN;
    for (int k = 0; k < np; k++) {
        if ((qused >> pairs[k].i) & 1 || (eused >> pairs[k].j) & 1)
            continue;
        qused |= 1u << pairs[k].i;
        eused |= 1u << pairs[k].j;
        matched += pairs[k].v;
        int n = out->npairs++;
        out->pair[n].qi = pairs[k].i;
        out->pair[n].ej = pairs[k].j;
        out->pair[n].sim = pairs[k].sim;
        out->pair[n].w = entry_weight(ix, tv[pairs[k].j], role[pairs[k].j]);
        out->pair[n].how = pairs[k].how;
        /* The given name, met at an end of the query as written (a query that wrote Dân did not
         * mean Danh or Giang, nor Dan by a typo). */
        if (role[pairs[k].j] == GIVEN && (pairs[k].i == r->first || pairs[k].i == r->last) &&
            as_written(pairs[k].how, pairs[k].sim)) {
            out->given = true;
            given_q = pairs[k].i;
        }
        out->typo = out->typo || pairs[k].how == NT_SM_TYPO;
    }
    /* Initials meet the family and middle names in the order they are written ("T. T. Vương" is
     * Trần Trọng, not Trọng Trần); when they meet every one of them, they say nearly as much as the
     * words ("N. Q. Đ. Cường" for Nguyễn Quốc Đình Cường). */
    int ninit = 0, inits[MAXTOK];
    for (int k = 0; k < out->npairs; k++)
        if (out->pair[k].how == NT_SM_INITIAL)
            inits[ninit++] = k;
    for (int a = 0; a < ninit; a++)
        for (int b = a + 1; b < ninit; b++) {
            int x = inits[a], y = inits[b];
            bool crossed = (out->pair[x].qi < out->pair[y].qi) != (out->pair[x].ej < out->pair[y].ej);
            if (crossed && r->t[out->pair[x].qi].plain[0] == r->t[out->pair[y].qi].plain[0]) {
                int qi = out->pair[x].qi;
                out->pair[x].qi = out->pair[y].qi;
                out->pair[y].qi = qi;
            }
        }
    if (ninit > 0 && en->via == VIA_NAME && ninit == m - 1) {
        for (int a = 0; a < ninit; a++) {
            int k = inits[a];
            matched += (SIM_INITIAL_ALL - SIM_INITIAL) * out->pair[k].w;
            out->pair[k].sim = SIM_INITIAL_ALL;
        }
        out->initials = true;
    }
    /* A middle name dropped or added costs little; one put in the place of another costs in full. */
    bool dropped = false, added = false;
    for (int j = 0; j < m; j++)
        dropped = dropped || (!((eused >> j) & 1) && role[j] == MIDDLE);
    for (int i = 0; i < r->n; i++)
        added = added || (!((qused >> i) & 1) && i != r->first && i != r->last && !r->t[i].filler && !r->t[i].initial);
    if (!added && dropped) /* an initial no middle name starts with was put in another's place too */
        for (int i = 0; i < r->n; i++)
            added = added || (!((qused >> i) & 1) && r->t[i].initial && i != r->first && i != r->last);
    bool replaced = dropped && added;
    /* An alias or a handle shows no middle name: the query's extra one is compared with the legal
     * name's ("Pham Van Vuong" is not "Vương Phạm" when he is Phạm Việt Vương). */
    const entry *name = &ix->e[p->first];
    bool initials = false;
    for (int i = 0; i < r->n; i++)
        initials = initials || (!((qused >> i) & 1) && r->t[i].initial && i != r->first && i != r->last);
    if ((added || initials) && !replaced && en->via != VIA_NAME && p->n > 0 && name->via == VIA_NAME && name->ntok > 2) {
        bool met = false;
        for (int i = 0; i < r->n; i++) {
            if ((qused >> i) & 1 || i == r->first || i == r->last || r->t[i].filler)
                continue;
            for (int j = 1; j + 1 < name->ntok; j++) {
                uint8_t how;
                float sim = pair_sim(ix, &r->t[i], ix->tokp[name->tok + j], ix->tonp[name->tok + j], MIDDLE, true, &how);
                met = met || sim >= SIM_SOUND || (r->t[i].initial && sim > 0);
            }
        }
        replaced = !met;
    }
    /* A family name the query leaves out ("Thu Bích Trâm" for Tạ Thu Bích Trâm: every word it has met
     * one) is unknown rather than different, and costs half; one in whose place the query has another
     * word costs in full. */
    bool spare = false;
    for (int i = 0; i < r->n; i++)
        spare = spare || (!((qused >> i) & 1) && !r->t[i].filler);
    for (int j = 0; j < m; j++) {
        float w = entry_weight(ix, tv[j], role[j]);
        denom += (eused >> j) & 1                       ? w
                 : role[j] == MIDDLE && !replaced       ? MIDDLE_MISS * w
                 : role[j] == FAMILY && !spare && m > 2 ? FAMILY_MISS * w
                                                        : w;
    }
    /* An initial the entry does not show ("T. T. Dương" against the stage name "Dương Nguyễn") costs
     * little if the legal name has a family or middle name it starts, as much as a word if not. */
    uint32_t lused = 0;
    for (int i = 0; i < r->n; i++)
        if (!((qused >> i) & 1)) {
            float miss = replaced && i != r->first && i != r->last ? r->t[i].w : r->t[i].miss;
            if (r->t[i].initial && en->via != VIA_NAME && p->n > 0 && name->via == VIA_NAME) {
                int j = i == r->first ? 0 : 1; /* the first initial is the family name's */
                while (j + 1 < name->ntok && (((lused >> j) & 1) || ix->v[ix->tokp[name->tok + j]].s[0] != r->t[i].plain[0]))
                    j++;
                if (j + 1 < name->ntok && (i != r->first || j == 0))
                    lused |= 1u << j;
                else
                    miss = r->t[i].w;
            }
            denom += miss;
        }
    out->base = denom > 0 ? matched / denom : 0;
    /* The same letters as one string (handles written with other separators). */
    out->letters = false;
    if (r->concat != 0) {
        char letters[TOKLEN * MAXTOK];
        size_t o = 0;
        for (int j = 0; j < m; j++) {
            const vtok *t = &ix->v[tv[j]];
            if (role[j] == FILLER)
                continue;
            if (o + t->len + 1 > sizeof(letters))
                break;
            memcpy(letters + o, t->s, t->len);
            o += t->len;
        }
        letters[o] = '\0';
        if (!r->marks && strcmp(letters, r->letters) == 0) {
            out->letters = true;
            out->base = out->base > SIM_PLAIN ? out->base : SIM_PLAIN;
            out->given = out->given || has_given;
        }
    }
    /* Word order: as written; reversed; or the given name moved to the front (western order,
     * "Tuyết Minh Khánh Nguyễn", or "Tuyết Nguyễn Minh Khánh"). Anything else is a penalty. */
    int seq[MAXTOK], ns = 0;
    for (int i = 0; i < r->n; i++)
        for (int k = 0; k < out->npairs; k++)
            if (out->pair[k].qi == i)
                seq[ns++] = out->pair[k].ej;
    bool up = true, down = true, western = ns >= 2 && seq[0] == m - 1;
    for (int k = 1; k < ns; k++) {
        up = up && seq[k] > seq[k - 1];
        down = down && seq[k] < seq[k - 1];
        bool family_last = k == ns - 1 && seq[k] == 0;
        western = western && (k == 1 || family_last || seq[k] > seq[k - 1]);
    }
    out->order = up || down || western || out->letters;
    /* A name query must meet the legal name's family name as written, without marks, or by its
     * initial; a handle rarely shows one, and is judged by its own words. */
    out->family = r->handle || name->via != VIA_NAME || name->ntok < 2;
    for (int i = 0; i < r->n && !out->family; i++) {
        uint8_t how;
        float sim = i == given_q ? 0 : pair_sim(ix, &r->t[i], ix->tokp[name->tok], ix->tonp[name->tok], FAMILY, true, &how);
        out->family = sim > 0 && (how == NT_SM_INITIAL || as_written(how, sim));
    }
    /* Family and given names swapped ("Vũ Gia Dân" for Đặng Gia Vũ) need a birth year or a handle
     * to say it is the same person. */
    int fam_q = -1, giv_q = -1; /* by the roles, not the entry's order: a stage name "Cúc Nguyễn" is not swapped */
    for (int k = 0; k < out->npairs; k++) {
        if (role[out->pair[k].ej] == FAMILY)
            fam_q = out->pair[k].qi;
        if (role[out->pair[k].ej] == GIVEN)
            giv_q = out->pair[k].qi;
    }
    out->swapped = fam_q >= 0 && giv_q >= 0 && giv_q < fam_q && !r->handle; /* "Hoang Thai" meeting "@hoangthai" too */
    /* A query that says more than the name ("Phạm Quốc Hữu Tài" for Phạm Quốc Tài) names another. */
    out->extra = false;
    for (int i = 0; i < r->n && !out->letters; i++)
        out->extra = out->extra || (!((qused >> i) & 1) && !r->t[i].filler);
    /* Another order and a respelled word together ("Thu Tuyet Trang" for Trần Tuyết Thu) is one
     * guess on another: it costs as much as no order at all. */
    bool respelled = false;
    for (int k = 0; k < out->npairs; k++)
        respelled = respelled || out->pair[k].how == NT_SM_SOUND || out->pair[k].how == NT_SM_TYPO;
    out->of = out->order && (up || out->letters || !respelled) ? 1.0f : 0.9f;
    out->yf = q->birth_year                                   ? year_factor(q->birth_year, p->birth_year)
              : q->year_hint && p->birth_year != q->year_hint ? YEAR_HINT
                                                              : 1.0f;
    out->gf = q->gender && p->gender && q->gender != p->gender ? 0.85f : 1.0f;
    /* A handle query finds handles first, a name query names; a handle's number is a hint. */
    out->kf = r->handle == (en->via == VIA_HANDLE) || out->initials ? 1.0f : OTHER_KIND; /* "@nqdcuong" is a name's */
    out->nf = r->number >= 0 && en->via == VIA_HANDLE && en->number != r->number ? OTHER_NUMBER : 1.0f;
    float s = out->base * out->of * out->yf * out->gf * out->kf * out->nf;
    out->corroborated = q->birth_year != 0 && p->birth_year == q->birth_year;
    out->score = s;
    out->e = e;
}

/* Why a score that reached strong is not strong (docs/SCREENING.md, Levels), or NULL. */
static const char *held_back(const scored *s)
{
    if (s->score < (float)NT_SCREEN_STRONG)
        return NULL;
    return !s->given                        ? "the given name is not matched as written at an end of the query"
           : !s->family                     ? "the family name is not matched as written or by its initial"
           : !s->order                      ? "the words are in no order a name is written in"
           : s->typo                        ? "a token matched only as a typo"
           : s->extra                       ? "the query has a word the name does not"
           : s->swapped && !s->corroborated ? "family and given names are swapped, and no birth year or handle confirms it"
                                            : NULL;
}

static nt_screen_level level_of(const scored *s)
{
    if (s->score >= (float)NT_SCREEN_STRONG && held_back(s) == NULL)
        return NT_SCREEN_STRONG_LEVEL;
    return s->score >= (float)NT_SCREEN_POSSIBLE ? NT_SCREEN_POSSIBLE_LEVEL : NT_SCREEN_WEAK;
}

static void fill_hit(const nt_screen *ix, const reading *rd, const scored *s, bool explain, nt_screen_hit *h)
{
    const entry *en = &ix->e[s->e];
    const person *p = &ix->p[en->person];
    memset(h, 0, offsetof(nt_screen_hit, pairs));
    nt_strlcpy(h->person_id, p->id, sizeof(h->person_id));
    h->score = s->score;
    h->level = level_of(s);
    h->via = nt__scr_via_names[en->via];
    h->text = en->text;
    h->name = p->name;
    h->base = s->base;
    h->order_factor = s->of;
    h->birth_year_factor = s->yf;
    h->gender_factor = s->gf;
    h->kind_factor = s->kf;
    h->number_factor = s->nf;
    h->not_strong_because = held_back(s);
    h->capped = h->not_strong_because != NULL;
    h->family_matched = s->family;
    h->given_matched = s->given;
    h->order_kept = s->order;
    h->same_letters = s->letters;
    h->birth_year = p->birth_year;
    size_t o = 0;
    for (int i = 0; i < rd->n; i++) {
        size_t n = strlen(rd->t[i].plain);
        if (o + n + 2 > sizeof(h->reading))
            break;
        if (o)
            h->reading[o++] = ' ';
        memcpy(h->reading + o, rd->t[i].plain, n);
        o += n;
    }
    h->reading[o] = '\0';
    if (!explain)
        return;
    const uint32_t *tv = ix->tokp + en->tok, *tt = ix->tonp + en->tok;
    const uint8_t *role = ix->rolep + en->tok;
    uint32_t qused = 0, eused = 0;
    for (int k = 0; k < s->npairs; k++) {
        nt_screen_pair *pr = &h->pairs[h->npairs++];
        int j = s->pair[k].ej;
        nt_strlcpy(pr->query, rd->t[s->pair[k].qi].plain, sizeof(pr->query));
        nt_strlcpy(pr->matched, tt[j] != NONE ? ix->toned[tt[j]] : ix->v[tv[j]].s, sizeof(pr->matched));
        pr->how = (nt_screen_how)s->pair[k].how;
        pr->role = nt__scr_role_names[role[j]];
        pr->similarity = s->pair[k].sim;
        pr->weight = s->pair[k].w;
        qused |= 1u << s->pair[k].qi;
        eused |= 1u << j;
    }
    for (int j = 0; j < en->ntok; j++)
        if (!((eused >> j) & 1)) {
            nt_screen_miss *m = &h->missing[h->nmissing++];
            nt_strlcpy(m->token, tt[j] != NONE ? ix->toned[tt[j]] : ix->v[tv[j]].s, sizeof(m->token));
            m->role = nt__scr_role_names[role[j]];
            m->weight = role[j] == MIDDLE ? MIDDLE_MISS * entry_weight(ix, tv[j], role[j]) : entry_weight(ix, tv[j], role[j]);
        }
    for (int i = 0; i < rd->n; i++)
        if (!((qused >> i) & 1)) {
            nt_screen_miss *m = &h->extra[h->nextra++];
            nt_strlcpy(m->token, rd->t[i].plain, sizeof(m->token));
            m->role = NULL;
            m->weight = rd->t[i].miss;
        }
}

static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    uint32_t px = x->e, py = y->e; /* entries of older persons first: stable across runs */
    return px < py ? -1 : px > py;
}

/* A year written in a name ("Thu Cúc 1990"): the birth year, when the query gives none. */
static int year_in(const char *name)
{
    for (const char *p = name; p != NULL && *p; p++) {
        bool start = p == name || !(p[-1] >= '0' && p[-1] <= '9');
        if (start && (strncmp(p, "19", 2) == 0 || strncmp(p, "20", 2) == 0) && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
            p[3] <= '9' && !(p[4] >= '0' && p[4] <= '9'))
            return atoi(p);
    }
    return 0;
}

int nt_screen_run(nt_screen *ix, const nt_screen_query *in, nt_screen_hit *out)
{
    nt_screen_query qy = *in;
    if (qy.birth_year == 0)
        qy.birth_year = year_in(qy.name);
    qy.year_hint = qy.birth_year == 0 ? year_in(qy.handle) : 0; /* "@thucuc1990": a hint only */
    const nt_screen_query *q = &qy;
    reading *r = nt_xmalloc(READINGS * sizeof(*r));
    if (r == NULL)
        return -1;
    pthread_rwlock_rdlock(&ix->rw);
    int nr = nt__scr_readings(ix, q, r), result = -1;
    scratch *s = nr > 0 ? nt__scr_take_scratch(ix) : NULL;
    if (s != NULL)
        nt__scr_near(ix, s, r, nr);
    cand *c = s ? nt_xmalloc(READINGS * KEEP * sizeof(*c)) : NULL;
    scored *best = c ? nt_xmalloc(READINGS * KEEP * sizeof(*best)) : NULL;
    if (best == NULL)
        goto done;
    size_t nc = 0;
    for (int k = 0; k < nr; k++)
        nc += nt__scr_candidates(ix, s, &r[k], q, c + nc, KEEP, k == 0 ? 1 : 2); /* readings after the first: half the walk */
    /* Each person once (a fresh serial marks who is done), at the best of their names and handles
     * under the best reading. */
    if (++s->serial == 0) {
        for (size_t i = 0; i < s->cap; i++)
            s->slots[i].stamp = 0;
        s->serial = 1;
    }
    size_t nb = 0;
    for (size_t i = 0; i < nc; i++) {
        uint32_t pi = c[i].p;
        if (s->slots[pi].stamp == s->serial)
            continue;
        s->slots[pi].stamp = s->serial;
        const person *p = &ix->p[pi];
        /* A query with a name and a handle: the handle met strongly confirms a swapped name. */
        bool by_handle = false;
        for (uint32_t e = p->first; q->name != NULL && q->handle != NULL && !by_handle && e < p->first + p->n; e++)
            for (int k = 0; k < nr && !by_handle; k++) {
                scored sc;
                if (r[k].handle && ix->e[e].via == VIA_HANDLE) {
                    score_entry(ix, &r[k], e, q, &sc);
                    by_handle = sc.score >= (float)NT_SCREEN_STRONG;
                }
            }
        scored top = {.score = -1};
        for (uint32_t e = p->first; e < p->first + p->n; e++)
            for (int k = 0; k < nr; k++) {
                scored sc;
                score_entry(ix, &r[k], e, q, &sc);
                sc.corroborated = sc.corroborated || by_handle;
                /* A person at their best: strong before not (a stage name may score higher than the
                 * legal name and not earn strong), then by score. */
                bool strong = level_of(&sc) == NT_SCREEN_STRONG_LEVEL,
                     was = top.score >= 0 && level_of(&top) == NT_SCREEN_STRONG_LEVEL;
                if (strong != was ? strong : sc.score > top.score) {
                    top = sc;
                    top.r = k;
                }
            }
        if (top.score >= (float)q->min_score && top.score > 0)
            best[nb++] = top;
    }
    qsort(best, nb, sizeof(*best), by_score);
    size_t limit = q->limit == 0 ? 10 : q->limit > NT_SCREEN_LIMIT_MAX ? NT_SCREEN_LIMIT_MAX : q->limit;
    result = 0;
    for (size_t i = 0; i < nb && (size_t)result < limit; i++)
        fill_hit(ix, &r[best[i].r], &best[i], q->explain, &out[result++]);
done:
    if (s != NULL)
        give_scratch(ix, s);
    pthread_rwlock_unlock(&ix->rw);
    free(best);
    free(c);
    free(r);
    return result;
}

/* ---- warming: what a build leaves costs at its first touch, so a server pays that before it answers ---- */

#define WARM_PAGE 4096

/* Reads one byte of each page of [a, a + bytes); returns bytes. */
static size_t touch_pages(const void *a, size_t bytes)
{
    const volatile unsigned char *c = a;
    for (size_t i = 0; i < bytes; i += WARM_PAGE)
        (void)c[i];
    return bytes;
}

static size_t touch_lists(const nt_screen *ix)
{
    size_t bytes = 0;
    for (uint32_t i = 0; i < ix->nv; i++)
        bytes += touch_pages(ix->v[i].post.a, (size_t)ix->v[i].post.n * sizeof(post_t));
    for (uint32_t i = 0; i < ix->npairs; i++)
        bytes += touch_pages(ix->pairs[i].post.a, (size_t)ix->pairs[i].post.n * sizeof(post_t));
    for (uint32_t i = 0; i < ix->nletters; i++)
        bytes += touch_pages(ix->letters[i].post.a, (size_t)ix->letters[i].post.n * sizeof(post_t));
    return bytes;
}

static size_t touch_tables(const nt_screen *ix)
{
    size_t bytes = touch_pages(ix->years, (size_t)ix->np * sizeof(*ix->years));
    bytes += touch_pages(ix->legal, (size_t)ix->np * sizeof(*ix->legal));
    bytes += touch_pages(ix->p, (size_t)ix->np * sizeof(*ix->p));
    bytes += touch_pages(ix->e, (size_t)ix->ne * sizeof(*ix->e));
    bytes += touch_pages(ix->tokp, (size_t)ix->ntp * sizeof(*ix->tokp));
    bytes += touch_pages(ix->tonp, (size_t)ix->ntp * sizeof(*ix->tonp));
    bytes += touch_pages(ix->rolep, (size_t)ix->ntp * sizeof(*ix->rolep));
    bytes += touch_pages(ix->v, (size_t)ix->nv * sizeof(*ix->v));
    bytes += touch_pages(ix->pairs, (size_t)ix->npairs * sizeof(*ix->pairs));
    bytes += touch_pages(ix->letters, (size_t)ix->nletters * sizeof(*ix->letters));
    bytes += touch_pages(ix->toned, (size_t)ix->nt * sizeof(*ix->toned));
    bytes += touch_pages(ix->syllables.a, (size_t)ix->syllables.n * sizeof(*ix->syllables.a));
    bytes += touch_pages(ix->sylkeys, (size_t)ix->syllables.n * sizeof(*ix->sylkeys));
    bytes += touch_pages(ix->dead, ix->deadcap * sizeof(*ix->dead));
    const mmap_t *maps[] = {&ix->vmap, &ix->sounds, &ix->deletes, &ix->tmap, &ix->pmap, &ix->concat, &ix->pairmap};
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
        bytes += touch_pages(maps[i]->s, maps[i]->cap * sizeof(*maps[i]->s));
    for (const chunk *c = ix->arena; c != NULL; c = c->next)
        bytes += touch_pages(c->data, c->used);
    return bytes;
}

size_t nt_screen_warm(nt_screen *ix, unsigned scratches)
{
    pthread_rwlock_rdlock(&ix->rw);
    size_t bytes = touch_lists(ix) + touch_tables(ix);
    /* Most of a first query's time is its scratch: a slot for every person, fresh from calloc, so
     * each person it meets first faults a page in. Ready ones are written once and pooled. */
    scratch *ready = NULL;
    for (unsigned i = 0; i < scratches; i++) {
        scratch *s = nt__scr_take_scratch(ix);
        if (s == NULL)
            break;
        if (s->cap > 0) /* none in an empty registry */
            memset(s->slots, 0, s->cap * sizeof(*s->slots));
        bytes += s->cap * sizeof(*s->slots);
        s->next = ready;
        ready = s;
    }
    for (scratch *s = ready, *next; s != NULL; s = next) {
        next = s->next;
        give_scratch(ix, s);
    }
    pthread_rwlock_unlock(&ix->rw);
    return bytes;
}

void nt_screen_stats_get(nt_screen *ix, nt_screen_stats *st)
{
    pthread_rwlock_rdlock(&ix->rw);
    st->persons = ix->live;
    st->entries = ix->ne;
    st->tokens = ix->nv;
    st->dead = ix->ndead;
    st->reclaimed = ix->reclaimed;
    st->reclaim_us_max = ix->reclaim_us_max;
    st->scratches = 0;
    pthread_mutex_lock(&ix->pool_lock);
    for (const scratch *s = ix->pool; s != NULL; s = s->next)
        st->scratches++;
    pthread_mutex_unlock(&ix->pool_lock);
    size_t post = 0, bytes = ix->arena_bytes;
    for (uint32_t i = 0; i < ix->nv; i++) {
        post += ix->v[i].post.n;
        bytes += ix->v[i].post.cap * sizeof(post_t);
    }
    st->postings = post;
    bytes += (size_t)ix->capv * sizeof(vtok) + (size_t)ix->capp * sizeof(person) + (size_t)ix->cape * sizeof(entry) +
             (size_t)ix->captp * 9 + (size_t)ix->capt * sizeof(char *) +
             (size_t)ix->capyears * (sizeof(int16_t) + sizeof(struct legal));
    const mmap_t *maps[] = {&ix->vmap, &ix->sounds, &ix->deletes, &ix->tmap, &ix->pmap, &ix->concat, &ix->pairmap};
    for (uint32_t i = 0; i < ix->npairs; i++)
        bytes += ix->pairs[i].post.cap * sizeof(post_t);
    for (uint32_t i = 0; i < ix->nletters; i++)
        bytes += ix->letters[i].post.cap * sizeof(post_t);
    bytes += (size_t)ix->capletters * sizeof(struct lettergroup);
    bytes += (size_t)ix->cappairs * sizeof(pairpost);
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
        bytes += maps[i]->cap * sizeof(mslot);
    st->bytes = bytes;
    pthread_rwlock_unlock(&ix->rw);
}

const char *nt_screen_level_name(nt_screen_level l)
{
    return l == NT_SCREEN_STRONG_LEVEL ? "strong" : l == NT_SCREEN_POSSIBLE_LEVEL ? "possible" : "weak";
}

const char *nt_screen_how_name(nt_screen_how h)
{
    static const char *const names[] = {"toned", "plain", "sound", "typo", "initial"};
    return h <= NT_SM_INITIAL ? names[h] : "?";
}
