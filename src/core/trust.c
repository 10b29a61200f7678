/* The trust programme's rules; see trust.h. */
#include "core/trust.h"
#include "core/alloc.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/util.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define DAY_US (86400LL * 1000000)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static json_t *standards, *training, *scoring;

static json_t *embedded(const char *name)
{
    const struct nt_embedded *f = nt_embed_find(name);
    json_error_t e;
    json_t *v = f ? json_loadb(f->data, f->len, 0, &e) : NULL;
    NT_ASSERT(v != NULL); /* compiled in: a broken file fails the build's tests, not a user */
    return v;
}

static void load(void)
{
    if (standards == NULL)
        standards = embedded("trust-standards.json");
    training = embedded("trust-training.json");
    scoring = embedded("trust-scoring.json");
}

/* A standards document's shape: versions ascending, each adopted at a time, its commitments
 * each with an id and a pillar of that version. */
static const char *standards_invalid(const json_t *doc)
{
    const json_t *vs = json_object_get(doc, "versions");
    if (!json_is_integer(json_object_get(doc, "accept_within_days")) || !json_is_array(vs) || json_array_size(vs) == 0)
        return "needs accept_within_days and versions";
    json_int_t prev = 0;
    size_t i, j;
    json_t *v, *c;
    json_array_foreach(vs, i, v)
    {
        int64_t at;
        json_int_t n = json_integer_value(json_object_get(v, "version"));
        if (n <= prev || nt_time_parse(json_string_value(json_object_get(v, "adopted_at")), &at) != 0)
            return "each version needs a number above the one before and an adopted time";
        prev = n;
        json_array_foreach(json_object_get(v, "commitments"), j, c)
        {
            const char *pillar = json_string_value(json_object_get(c, "pillar"));
            bool known = false;
            size_t k;
            json_t *p;
            json_array_foreach(json_object_get(v, "pillars"), k, p) known =
                known || (pillar && nt_streq(json_string_value(json_object_get(p, "id")), pillar));
            if (!json_is_string(json_object_get(c, "id")) || !known)
                return "each commitment needs an id and a pillar of its version";
        }
    }
    return NULL;
}

int nt_trust_standards_load(const char *path, char *why, size_t cap)
{
    json_error_t e;
    json_t *doc = json_load_file(path, 0, &e);
    const char *bad = doc ? standards_invalid(doc) : e.text;
    if (bad != NULL) {
        snprintf(why, cap, "%s: %s", path, bad);
        json_decref(doc);
        return -1;
    }
    json_decref(standards);
    standards = doc;
    return 0;
}

const json_t *nt_trust_standards(void)
{
    pthread_once(&once, load);
    return standards;
}

const json_t *nt_trust_standards_current(int64_t now_us)
{
    const json_t *cur = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(nt_trust_standards(), "versions"), i, v)
    {
        int64_t at = 0;
        if (nt_time_parse(json_string_value(json_object_get(v, "adopted_at")), &at) == 0 && at <= now_us)
            cur = v;
    }
    return cur;
}

const json_t *nt_trust_standards_version(int n)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(nt_trust_standards(), "versions"), i,
                       v) if (json_integer_value(json_object_get(v, "version")) == n) return v;
    return NULL;
}

int64_t nt_trust_accept_by(int n)
{
    const json_t *v = nt_trust_standards_version(n);
    int64_t at = 0;
    if (v == NULL || nt_time_parse(json_string_value(json_object_get(v, "adopted_at")), &at) != 0)
        return 0;
    return at + json_integer_value(json_object_get(nt_trust_standards(), "accept_within_days")) * DAY_US;
}

const json_t *nt_trust_training(void)
{
    pthread_once(&once, load);
    return training;
}

json_t *nt_trust_training_public(void)
{
    json_t *t = json_deep_copy(nt_trust_training());
    json_object_del(t, "questions");
    json_object_set_new(t, "bank_size",
                        json_integer((json_int_t)json_array_size(json_object_get(nt_trust_training(), "questions"))));
    return t;
}

static const json_t *question(const char *id)
{
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(nt_trust_training(), "questions"), i,
                       q) if (id && nt_streq(json_string_value(json_object_get(q, "id")), id)) return q;
    return NULL;
}

json_t *nt_trust_quiz_draw(int n)
{
    const json_t *bank = json_object_get(nt_trust_training(), "questions");
    size_t total = json_array_size(bank);
    size_t *pick = nt_xcalloc(total, sizeof(size_t));
    for (size_t i = 0; i < total; i++)
        pick[i] = i;
    json_t *out = json_array();
    for (size_t i = 0; i < total && (int)i < n; i++) { /* a partial Fisher-Yates shuffle */
        size_t j = i + randombytes_uniform((uint32_t)(total - i));
        size_t t = pick[i];
        pick[i] = pick[j];
        pick[j] = t;
        const json_t *q = json_array_get(bank, pick[i]);
        size_t nopt = json_array_size(json_object_get(q, "options"));
        int order[8];
        for (size_t k = 0; k < nopt && k < 8; k++)
            order[k] = (int)k;
        /* True/false keeps its order (True first); other options are shuffled. */
        for (size_t k = nopt; nopt > 2 && k > 1; k--) {
            size_t r = randombytes_uniform((uint32_t)k);
            int x = order[k - 1];
            order[k - 1] = order[r];
            order[r] = x;
        }
        json_t *ord = json_array();
        for (size_t k = 0; k < nopt && k < 8; k++)
            json_array_append_new(ord, json_integer(order[k]));
        json_array_append_new(out, json_pack("{s:O, s:o}", "id", json_object_get(q, "id"), "order", ord));
    }
    free(pick);
    return out;
}

json_t *nt_trust_quiz_shown(const json_t *drawn)
{
    json_t *out = json_array();
    size_t i, k;
    json_t *d, *o;
    json_array_foreach(drawn, i, d)
    {
        const json_t *q = question(json_string_value(json_object_get(d, "id")));
        if (q == NULL)
            continue;
        json_t *opts = json_array();
        json_array_foreach(json_object_get(d, "order"), k, o)
            json_array_append(opts, json_array_get(json_object_get(q, "options"), (size_t)json_integer_value(o)));
        json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:o}", "id", json_object_get(q, "id"), "module",
                                             json_object_get(q, "module"), "text", json_object_get(q, "text"), "options", opts));
    }
    return out;
}

int nt_trust_quiz_score(const json_t *drawn, const json_t *answers, int *correct, json_t **per_question, const char **field)
{
    const char *k;
    json_t *v;
    *correct = 0;
    json_object_foreach((json_t *)answers, k, v)
    {
        bool found = false;
        size_t i;
        json_t *d;
        json_array_foreach(drawn, i, d) found = found || nt_streq(json_string_value(json_object_get(d, "id")), k);
        json_int_t n = json_integer_value(v);
        if (!found || !json_is_integer(v) || n < 0 || n >= 8) {
            *field = k;
            return -1;
        }
    }
    json_t *out = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(drawn, i, d)
    {
        const char *id = json_string_value(json_object_get(d, "id"));
        const json_t *q = question(id), *ord = json_object_get(d, "order");
        const json_t *a = json_object_get(answers, id);
        bool right = false;
        if (q != NULL && json_is_integer(a) && (size_t)json_integer_value(a) < json_array_size(ord))
            right = json_integer_value(json_array_get(ord, (size_t)json_integer_value(a))) ==
                    json_integer_value(json_object_get(q, "answer"));
        *correct += right;
        json_array_append_new(out,
                              json_pack("{s:s, s:O, s:b}", "id", id, "module", json_object_get(q, "module"), "correct", right));
    }
    *per_question = out;
    return 0;
}

const json_t *nt_trust_scoring(void)
{
    pthread_once(&once, load);
    return scoring;
}

const json_t *nt_trust_pillar(const char *id)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(nt_trust_scoring(), "pillars"), i,
                       p) if (nt_streq(json_string_value(json_object_get(p, "id")), id)) return p;
    return NULL;
}

int nt_trust_pillar_points(const char *id)
{
    return (int)json_integer_value(json_object_get(nt_trust_pillar(id), "points"));
}

int nt_trust_conduct_permille(const int64_t *at_us, const bool *warning_only, int n, int64_t now_us)
{
    const json_t *p = nt_trust_pillar("conduct");
    int64_t decay = json_integer_value(json_object_get(p, "decay_months")) * 30 * DAY_US;
    int64_t lost = 0; /* per mille */
    for (int i = 0; i < n && decay > 0; i++) {
        int64_t age = now_us - at_us[i];
        if (age < 0)
            age = 0;
        if (age >= decay)
            continue;
        int64_t full = json_integer_value(json_object_get(p, warning_only[i] ? "warning" : "violation")) * 10;
        lost += full * (decay - age) / decay;
    }
    return lost >= 1000 ? 0 : (int)(1000 - lost);
}
