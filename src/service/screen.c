/* Screening: the name index fed from the registry, and POST /v1/screen. See screen.h. */
#include "core/alloc.h"
#include "service/screen.h"
#include "core/schema.h"
#include "core/util.h"
#include "index/restrictions.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the index, from the registry ---- */

int nt_svc_screen_put_json(nt_screen *ix, const json_t *row)
{
    const char *aliases[32], *handles[32];
    const char *name = nt_json_str(row, "legal_name");
    nt_screen_person p = {.id = nt_json_str(row, "id"), .name = name ? name : nt_json_str(row, "name")};
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(row, "aliases"), i, v)
    {
        if (p.naliases < 32 && json_is_string(v))
            aliases[p.naliases++] = json_string_value(v);
    }
    /* A registry row's "platform:@handle" strings, or a file's accounts [{platform, handle}]. */
    json_t *list = json_object_get(row, "handles");
    bool accounts = list == NULL;
    json_array_foreach(accounts ? json_object_get(row, "accounts") : list, i, v)
    {
        const char *h = json_string_value(accounts ? json_object_get(v, "handle") : v);
        if (p.nhandles < 32 && h != NULL)
            handles[p.nhandles++] = h;
    }
    p.aliases = aliases;
    p.handles = handles;
    p.birth_year = (int)json_integer_value(json_object_get(row, "birth_year"));
    const char *g = nt_json_str(row, "gender");
    p.gender = g ? g[0] : 0;
    return p.id != NULL && p.name != NULL ? nt_screen_put(ix, &p) : NT_EINVAL;
}

static void put_each(void *arg, const json_t *row)
{
    nt_svc_screen_put_json(arg, row);
}

/* Restricted: a restriction or ban in force now or later (active or scheduled). */
static bool restricted(nt_svc *svc, const char *person_id)
{
    return svc->index != NULL && nt_rindex_check(svc->index, person_id, ~0u, NULL, nt_now_us(), INT64_MAX, NULL, 0) > 0;
}

static void flag_each(void *arg, const char *person_id, const char *legal_name, const nt_restriction *r)
{
    (void)legal_name;
    (void)r;
    nt_screen_flag(arg, person_id, true);
}

int nt_svc_screen_build(nt_svc *svc, nt_err *err)
{
    nt_screen *ix = nt_screen_new();
    if (ix == NULL)
        return NT_ENOMEM;
    if (svc->store->ops->query_each(svc->store, NT_Q_screen_persons, NULL, put_each, ix) != 0) {
        nt_screen_free(ix);
        return nt_err_set(err, NT_EIO, "cannot read persons", "không đọc được danh sách người");
    }
    nt_screen_reweigh(ix);
    /* Flagged: whoever the check index holds a restriction for; a query re-checks the time. */
    if (svc->index != NULL)
        nt_rindex_each(svc->index, flag_each, ix);
    svc->screen = ix;
    return 0;
}

void nt_svc_screen_apply(nt_svc *svc, const char *entity, const char *id, const char *person_id)
{
    if (svc->screen == NULL)
        return;
    if (strcmp(entity, "person") == 0) {
        json_t *params = json_pack("[s]", id), *rows = NULL;
        svc->store->ops->query(svc->store, NT_Q_screen_person, params, &rows);
        json_decref(params);
        json_t *row = json_array_get(rows, 0);
        if (row != NULL) {
            nt_svc_screen_put_json(svc->screen, row);
            nt_screen_flag(svc->screen, id, restricted(svc, id));
        } else
            nt_screen_del(svc->screen, id);
        json_decref(rows);
    } else if (strcmp(entity, "sanction") == 0 && person_id != NULL)
        nt_screen_flag(svc->screen, person_id, restricted(svc, person_id));
}

/* ---- the answer ---- */

static void num(nt_jbuf *b, double v)
{
    char s[32];
    int n = snprintf(s, sizeof(s), "%.3f", v);
    while (n > 1 && s[n - 1] == '0' && s[n - 2] != '.') /* 0.800 -> 0.8 */
        s[--n] = '\0';
    nt_jb_raw(b, s, (size_t)n);
}

static void factor(nt_jbuf *b, bool *first, const char *name, double v, const char *why)
{
    if (v == 1.0)
        return;
    nt_jb_lit(b, *first ? "{\"factor\":" : ",{\"factor\":");
    nt_jb_str(b, name);
    nt_jb_lit(b, ",\"value\":");
    num(b, v);
    nt_jb_lit(b, ",\"why\":");
    nt_jb_str(b, why);
    nt_jb_lit(b, "}");
    *first = false;
}

/* Tokens one side has and the other lacks, with what each costs (and its role, on the candidate's side). */
static void misses(nt_jbuf *b, const nt_screen_miss *m, int n)
{
    nt_jb_lit(b, "[");
    for (int i = 0; i < n; i++) {
        nt_jb_lit(b, i ? ",{\"token\":" : "{\"token\":");
        nt_jb_str(b, m[i].token);
        if (m[i].role != NULL) {
            nt_jb_lit(b, ",\"role\":");
            nt_jb_str(b, m[i].role);
        }
        nt_jb_lit(b, ",\"weight\":");
        num(b, m[i].weight);
        nt_jb_lit(b, "}");
    }
    nt_jb_lit(b, "]");
}

void nt_screen_hit_json(nt_jbuf *b, const nt_screen_hit *h, const char *legal_name, bool is_restricted)
{
    nt_jb_lit(b, "{\"person_id\":");
    nt_jb_str(b, h->person_id);
    nt_jb_lit(b, ",\"legal_name\":");
    nt_jb_str(b, legal_name ? legal_name : h->name);
    if (h->birth_year) {
        nt_jb_lit(b, ",\"birth_year\":");
        nt_jb_int(b, h->birth_year);
    }
    nt_jb_lit(b, ",\"restricted\":");
    nt_jb_bool(b, is_restricted);
    nt_jb_lit(b, ",\"score\":");
    num(b, h->score);
    nt_jb_lit(b, ",\"level\":");
    nt_jb_str(b, nt_screen_level_name(h->level));
    nt_jb_lit(b, ",\"matched\":{\"via\":");
    nt_jb_str(b, h->via);
    nt_jb_lit(b, ",\"text\":");
    nt_jb_str(b, h->text);
    nt_jb_lit(b, ",\"query_read_as\":");
    nt_jb_str(b, h->reading);
    nt_jb_lit(b, "},\"explanation\":{\"tokens\":[");
    for (int i = 0; i < h->npairs; i++) {
        const nt_screen_pair *p = &h->pairs[i];
        nt_jb_lit(b, i ? ",{\"query\":" : "{\"query\":");
        nt_jb_str(b, p->query);
        nt_jb_lit(b, ",\"matched\":");
        nt_jb_str(b, p->matched);
        nt_jb_lit(b, ",\"role\":");
        nt_jb_str(b, p->role);
        nt_jb_lit(b, ",\"how\":");
        nt_jb_str(b, nt_screen_how_name(p->how));
        nt_jb_lit(b, ",\"similarity\":");
        num(b, p->similarity);
        nt_jb_lit(b, ",\"weight\":");
        num(b, p->weight);
        nt_jb_lit(b, "}");
    }
    nt_jb_lit(b, "],\"unmatched_candidate\":");
    misses(b, h->missing, h->nmissing);
    nt_jb_lit(b, ",\"unmatched_query\":");
    misses(b, h->extra, h->nextra);
    nt_jb_lit(b, ",\"base\":");
    num(b, h->base);
    nt_jb_lit(b, ",\"same_letters\":");
    nt_jb_bool(b, h->same_letters);
    nt_jb_lit(b, ",\"given_name_matched\":");
    nt_jb_bool(b, h->given_matched);
    nt_jb_lit(b, ",\"family_name_matched\":");
    nt_jb_bool(b, h->family_matched);
    nt_jb_lit(b, ",\"factors\":[");
    bool first = true;
    factor(b, &first, "word_order", h->order_factor, "the words are in no order a name is written in");
    factor(b, &first, "birth_year", h->birth_year_factor, "the birth years differ");
    factor(b, &first, "gender", h->gender_factor, "the genders differ");
    factor(b, &first, "kind", h->kind_factor, "a name met a handle, or a handle a name");
    factor(b, &first, "number", h->number_factor, "the handle's number differs");
    nt_jb_lit(b, "]");
    if (h->capped) {
        nt_jb_lit(b, ",\"not_strong_because\":");
        nt_jb_str(b, h->not_strong_because);
    }
    nt_jb_lit(b, "}}");
}

/* ---- POST /v1/screen ---- */

static const nt_field query_spec[] = {
    {"name", NT_FT_STR, NT_F_NULLABLE, 1, 200, 0},
    {"handle", NT_FT_STR, NT_F_NULLABLE, 1, 100, 0},
    {"birth_year", NT_FT_INT, NT_F_NULLABLE, 1900, 2100, 0},
    {"gender", NT_FT_STR, NT_F_NULLABLE, 1, 1, 0},
    {"limit", NT_FT_INT, NT_F_NULLABLE, 1, NT_SCREEN_LIMIT_MAX, 0},
    {"among", NT_FT_STR, NT_F_NULLABLE, 1, 20, 0},
    {"exclude", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, NT_SCREEN_EXCLUDE_MAX, NT_ID_LEN - 1},
    {"min_score", NT_FT_NUM, NT_F_NULLABLE, 0, 1000, 0},
};

typedef struct opts {
    size_t limit;
    double min_score;
    bool restricted_only;
    const char **exclude; /* sorted */
    size_t nexclude;
} opts;

typedef struct keep_arg {
    nt_svc *svc;
    const opts *o;
} keep_arg;

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool keep(void *arg, const char *person_id)
{
    const keep_arg *k = arg;
    if (k->o->nexclude > 0 && bsearch(&person_id, k->o->exclude, k->o->nexclude, sizeof(char *), by_str) != NULL)
        return false;
    return !k->o->restricted_only || restricted(k->svc, person_id);
}

/* Reads the options of one object (a query, or the batch's defaults over `base`) into o. */
static void read_opts(const json_t *in, const char *path, const opts *base, opts *o, nt_err *err)
{
    *o = *base;
    char f[64];
    json_t *v;
    if ((v = json_object_get(in, "limit")) != NULL && json_is_integer(v))
        o->limit = (size_t)json_integer_value(v);
    if ((v = json_object_get(in, "min_score")) != NULL && json_is_number(v))
        o->min_score = json_number_value(v);
    const char *among = nt_json_str(in, "among");
    if (among != NULL) {
        if (strcmp(among, "all") != 0 && strcmp(among, "restricted") != 0) {
            snprintf(f, sizeof(f), "%samong", path);
            nt_err_field(err, f, "invalid", 0);
        }
        o->restricted_only = strcmp(among, "restricted") == 0;
    }
    const json_t *ex = json_object_get(in, "exclude");
    if (json_is_array(ex)) {
        o->nexclude = json_array_size(ex);
        o->exclude = nt_xcalloc(o->nexclude + 1, sizeof(char *));
        for (size_t i = 0; o->exclude != NULL && i < o->nexclude; i++)
            o->exclude[i] = json_string_value(json_array_get(ex, i));
        if (o->exclude != NULL)
            qsort(o->exclude, o->nexclude, sizeof(char *), by_str);
        else
            o->nexclude = 0;
    }
}

/* Checks one query object; 0 when it can run. */
static int check_query(const json_t *q, const char *path, nt_err *err)
{
    if (!json_is_object(q)) {
        nt_err_field(err, *path ? path : "body", "type", 0);
        return NT_EINVAL;
    }
    if (nt_schema_check(q, query_spec, sizeof(query_spec) / sizeof(query_spec[0]), path, err) != 0)
        return NT_EINVAL;
    char f[64];
    const char *name = nt_json_str(q, "name"), *handle = nt_json_str(q, "handle"), *g = nt_json_str(q, "gender");
    if (name == NULL && handle == NULL) {
        snprintf(f, sizeof(f), "%sname", path);
        nt_err_field(err, f, "required", 0);
    }
    if (g != NULL && strcmp(g, "f") != 0 && strcmp(g, "m") != 0 && strcmp(g, "x") != 0) {
        snprintf(f, sizeof(f), "%sgender", path);
        nt_err_field(err, f, "invalid", 0);
    }
    return err->nfields > 0 ? NT_EINVAL : 0;
}

static int run_one(nt_svc *svc, const json_t *q, const opts *o, nt_screen_hit *hits, nt_jbuf *b, const char *path, nt_err *err)
{
    keep_arg ka = {svc, o};
    const char *g = nt_json_str(q, "gender");
    nt_screen_query sq = {.name = nt_json_str(q, "name"),
                          .handle = nt_json_str(q, "handle"),
                          .birth_year = (int)json_integer_value(json_object_get(q, "birth_year")),
                          .gender = g ? g[0] : 0,
                          .limit = o->limit,
                          .min_score = o->min_score,
                          .flagged_only = o->restricted_only,
                          .keep = (o->restricted_only || o->nexclude > 0) ? keep : NULL,
                          .keep_arg = &ka,
                          .explain = true};
    int n = nt_screen_run(svc->screen, &sq, hits);
    if (n < 0) {
        char f[64];
        snprintf(f, sizeof(f), "%s%s", path, sq.name ? "name" : "handle");
        nt_err_field(err, f, "nothing_to_compare", 0);
        return NT_EINVAL;
    }
    nt_jb_lit(b, "{\"candidates\":[");
    for (int i = 0; i < n; i++) {
        if (i)
            nt_jb_lit(b, ",");
        nt_screen_hit_json(b, &hits[i], NULL, restricted(svc, hits[i].person_id));
    }
    nt_jb_lit(b, "]}");
    return 0;
}

int nt_svc_screen(nt_svc *svc, const json_t *in, char **body, size_t *len, nt_err *err)
{
    if (!json_is_object(in)) {
        nt_err_field(err, "body", "type", 0);
        return NT_EINVAL;
    }
    if (svc->screen == NULL)
        return nt_err_set(err, NT_EBUSY, "the screening index is not loaded", "chỉ mục sàng lọc chưa được nạp");
    const json_t *queries = json_object_get(in, "queries");
    bool batch = queries != NULL;
    opts defaults = {.limit = 10}, base;
    if (batch) {
        static const nt_field batch_spec[] = {
            {"queries", NT_FT_OBJ_ARRAY, NT_F_REQUIRED, 1, NT_SCREEN_BATCH_MAX, 0},
            {"limit", NT_FT_INT, NT_F_NULLABLE, 1, NT_SCREEN_LIMIT_MAX, 0},
            {"among", NT_FT_STR, NT_F_NULLABLE, 1, 20, 0},
            {"exclude", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, NT_SCREEN_EXCLUDE_MAX, NT_ID_LEN - 1},
            {"min_score", NT_FT_NUM, NT_F_NULLABLE, 0, 1000, 0},
        };
        if (nt_schema_check(in, batch_spec, sizeof(batch_spec) / sizeof(batch_spec[0]), "", err) != 0)
            return NT_EINVAL;
        if (json_array_size(queries) == 0) {
            nt_err_field(err, "queries", "required", 0);
            return NT_EINVAL;
        }
    } else if (check_query(in, "", err) != 0)
        return NT_EINVAL;
    read_opts(in, "", &defaults, &base, err);
    size_t n = batch ? json_array_size(queries) : 1;
    for (size_t i = 0; batch && i < n; i++) {
        char path[32];
        snprintf(path, sizeof(path), "queries[%zu].", i);
        check_query(json_array_get(queries, i), path, err);
    }
    nt_screen_hit *hits = err->nfields == 0 ? nt_xmalloc(NT_SCREEN_LIMIT_MAX * sizeof(*hits)) : NULL;
    if (hits == NULL) {
        free(base.exclude);
        return err->nfields > 0 ? NT_EINVAL : NT_ENOMEM;
    }
    nt_jbuf b;
    nt_jb_init(&b, 4096 * n);
    nt_jb_lit(&b, batch ? "{\"results\":[" : "{\"result\":");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const json_t *q = batch ? json_array_get(queries, i) : in;
        char path[32] = "";
        if (batch)
            snprintf(path, sizeof(path), "queries[%zu].", i);
        opts o = base;
        if (batch)
            read_opts(q, path, &base, &o, err);
        if (i)
            nt_jb_lit(&b, ",");
        rc = err->nfields > 0 ? NT_EINVAL : run_one(svc, q, &o, hits, &b, path, err);
        if (o.exclude != base.exclude)
            free(o.exclude);
    }
    free(hits);
    free(base.exclude);
    if (rc != 0) {
        nt_jb_free(&b);
        return rc;
    }
    nt_jb_lit(&b, batch ? "]" : "");
    char now[NT_TIME_LEN];
    nt_time_local(nt_now_us(), now);
    nt_jb_lit(&b, ",\"screened_at\":");
    nt_jb_str(&b, now);
    nt_jb_lit(&b, ",\"thresholds\":{\"strong\":");
    num(&b, NT_SCREEN_STRONG);
    nt_jb_lit(&b, ",\"possible\":");
    num(&b, NT_SCREEN_POSSIBLE);
    nt_jb_lit(&b, "},\"seq\":");
    nt_jb_int(&b, svc->index ? nt_rindex_seq(svc->index) : svc->seq);
    nt_jb_lit(&b, "}");
    *body = nt_jb_take(&b, len);
    return *body ? 0 : NT_ENOMEM;
}
