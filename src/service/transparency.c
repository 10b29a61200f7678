/* Transparency numbers; see transparency.h. Each measure is read from the records with one named
 * read over the whole range and sorted into its period here: reports, decisions and their
 * sanctions, appeals and restrictions from their tables; certificates, notices and ads from the
 * public log's entries (the log is their history: a certificate suspended and reinstated counts
 * once in each). */
#include "service/transparency.h"
#include "core/alloc.h"
#include "core/jbuf.h"
#include "core/periods.h"
#include "core/sanction.h"
#include "core/schema.h"
#include "core/util.h"
#include "service/dueprocess_int.h"
#include "service/query.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUPPRESS_BELOW 5 /* counts about persons under this are shown as "<5" */

typedef struct period {
    char label[16];
    int64_t from, to; /* [from, to), UTC microseconds */
    json_t *o;
    double *ttd, *ttr; /* days: report to decision; appeal filed to resolved */
    size_t nttd, nttr;
} period;

typedef struct {
    period *p; /* the periods, then the whole range as p[n] */
    int n;
} periods;

static void add_sample(double **v, size_t *n, double x)
{
    *v = nt_xrealloc(*v, (*n + 1) * sizeof(**v));
    (*v)[(*n)++] = x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The nearest-rank percentile of the samples, in days to one decimal. */
static json_t *percentile(double *v, size_t n, double pct)
{
    if (n == 0)
        return json_null();
    qsort(v, n, sizeof(*v), cmp_double);
    size_t rank = (size_t)ceil(pct / 100.0 * (double)n);
    double x = v[rank > 0 ? rank - 1 : 0];
    return json_real(round(x * 10.0) / 10.0);
}

static json_t *sect(period *p, const char *name)
{
    json_t *s = json_object_get(p->o, name);
    if (s == NULL) {
        s = json_object();
        json_object_set_new(p->o, name, s);
    }
    return s;
}

static void bump(json_t *obj, const char *key, json_int_t by)
{
    json_int_t v = json_integer_value(json_object_get(obj, key));
    json_object_set_new(obj, key, json_integer(v + by));
}

static void bump_in(period *p, const char *section, const char *group, const char *key, json_int_t by)
{
    json_t *s = sect(p, section);
    if (group != NULL) {
        json_t *g = json_object_get(s, group);
        if (g == NULL) {
            g = json_object();
            json_object_set_new(s, group, g);
        }
        s = g;
    }
    bump(s, key != NULL && key[0] ? key : "unknown", by);
}

/* The period an instant falls in, or NULL outside the range. */
static period *period_at(periods *ps, const char *utc)
{
    int64_t us;
    if (utc == NULL || nt_time_parse(utc, &us) != 0)
        return NULL;
    for (int i = 0; i < ps->n; i++)
        if (us >= ps->p[i].from && us < ps->p[i].to)
            return &ps->p[i];
    return NULL;
}

/* Counts one event in its period and in the whole range. */
#define EACH_OF(ps, per, body)                                                                                                     \
    do {                                                                                                                           \
        period *each_[2] = {(per), &(ps)->p[(ps)->n]};                                                                             \
        for (int k_ = 0; k_ < 2; k_++) {                                                                                           \
            period *P = each_[k_];                                                                                                 \
            body;                                                                                                                  \
        }                                                                                                                          \
    } while (0)

static json_t *rows(nt_svc *svc, nt_query query, periods *ps)
{
    char from[NT_TIME_LEN], to[NT_TIME_LEN];
    nt_time_utc(ps->p[0].from, from);
    nt_time_utc(ps->p[ps->n - 1].to, to);
    return nt__svc_q(svc, query, json_pack("[s, s]", from, to));
}

/* Calls fn for each row of a named read over the range, with the period its at_field falls in
 * (rows outside the range skipped); with at_field NULL, with no period (fn places the row). */
typedef void (*row_fn)(periods *ps, period *p, const json_t *r);

static int each_row(nt_svc *svc, nt_query query, periods *ps, const char *at_field, row_fn fn)
{
    json_t *rs = rows(svc, query, ps), *r;
    size_t i;
    json_array_foreach(rs, i, r)
    {
        period *p = at_field != NULL ? period_at(ps, nt_json_str(r, at_field)) : NULL;
        if (at_field == NULL || p != NULL)
            fn(ps, p, r);
    }
    int rc = rs != NULL ? 0 : NT_EIO;
    json_decref(rs);
    return rc;
}

static const char *source_of(const char *role)
{
    if (role == NULL)
        return "public";
    if (strcmp(role, "regulator") == 0)
        return "regulator";
    if (strcmp(role, "platform") == 0 || strcmp(role, "broadcaster") == 0)
        return "platform";
    return "other";
}

static void report_row(periods *ps, period *p, const json_t *r)
{
    const char *src = nt_json_str(r, "reporter_key") ? source_of(nt_json_str(r, "role")) : "public";
    EACH_OF(ps, p, {
        bump(sect(P, "reports"), "total", 1);
        bump_in(P, "reports", "by_category", nt_json_str(r, "category"), 1);
        bump_in(P, "reports", "by_source", src, 1);
    });
}

static void decision_row(periods *ps, period *p, const json_t *r)
{
    json_t *body = json_object_get(r, "body"); /* read as JSON by the store, or its text */
    body = json_is_object(body) ? json_incref(body) : json_loads(json_is_string(body) ? json_string_value(body) : "{}", 0, NULL);
    int64_t issued, reported;
    bool timed = nt_json_str(r, "amends") == NULL && nt_time_parse(nt_json_str(r, "issued_at"), &issued) == 0 &&
                 nt_time_parse(nt_json_str(r, "reported_at"), &reported) == 0 && issued >= reported;
    EACH_OF(ps, p, {
        bump(sect(P, "decisions"), "total", 1);
        bump_in(P, "decisions", "by_outcome", nt_json_str(r, "outcome"), 1);
        bump_in(P, "decisions", "by_category", nt_json_str(body, "category"), 1);
        bump_in(P, "decisions", "by_authority", nt_json_str(r, "authority"), 1);
        size_t j;
        json_t *b;
        json_array_foreach(json_object_get(body, "legal_bases"), j, b)
        {
            char basis[400];
            snprintf(basis, sizeof(basis), "%s, %s", nt_json_str(b, "instrument") ? nt_json_str(b, "instrument") : "",
                     nt_json_str(b, "article") ? nt_json_str(b, "article") : "");
            bump_in(P, "decisions", "by_legal_basis", basis, 1);
        }
        if (timed)
            add_sample(&P->ttd, &P->nttd, (double)(issued - reported) / DAY_US);
    });
    json_decref(body);
}

static void sanction_row(periods *ps, period *p, const json_t *r)
{
    unsigned scopes = (unsigned)json_integer_value(json_object_get(r, "scopes"));
    json_t *amount = json_object_get(r, "amount_vnd");
    bool fine = strcmp(nt_json_str(r, "type") ? nt_json_str(r, "type") : "", "fine") == 0 && json_is_integer(amount);
    EACH_OF(ps, p, {
        bump(sect(P, "sanctions"), "total", 1);
        bump_in(P, "sanctions", "by_type", nt_json_str(r, "type"), 1);
        for (unsigned bit = 1; bit != 0 && bit <= scopes; bit <<= 1)
            if ((scopes & bit) && nt_scope_name(bit) != NULL)
                bump_in(P, "sanctions", "by_scope", nt_scope_name(bit), 1);
        if (fine) {
            bump(sect(P, "fines"), "count", 1);
            bump(sect(P, "fines"), "total_vnd", json_integer_value(amount));
        }
    });
}

static void appeal_row(periods *ps, period *p, const json_t *r)
{
    (void)p; /* an appeal counts where it was filed and, apart, where it was resolved */
    period *filed = period_at(ps, nt_json_str(r, "filed_at"));
    if (filed != NULL)
        EACH_OF(ps, filed, bump(sect(P, "appeals"), "filed", 1));
    period *resolved = nt_json_str(r, "resolved_at") ? period_at(ps, nt_json_str(r, "resolved_at")) : NULL;
    int64_t f, t;
    if (resolved == NULL || nt_time_parse(nt_json_str(r, "filed_at"), &f) != 0 ||
        nt_time_parse(nt_json_str(r, "resolved_at"), &t) != 0)
        return;
    EACH_OF(ps, resolved, {
        bump(sect(P, "appeals"), "resolved", 1);
        bump_in(P, "appeals", "by_outcome", nt_json_str(r, "state"), 1);
        add_sample(&P->ttr, &P->nttr, (double)(t - f) / DAY_US);
    });
}

/* Restrictions and advertising bans in force at the end of each period (or now, for the period
 * under way). */
static int count_restrictions(nt_svc *svc, periods *ps)
{
    json_t *rs = rows(svc, NT_Q_tr_restrictions, ps), *r;
    int64_t now = nt_now_us();
    for (int k = 0; k <= ps->n; k++) {
        period *p = &ps->p[k];
        int64_t at = (p->to < now ? p->to : now) - 1;
        json_int_t n = 0;
        size_t i;
        json_array_foreach(rs, i, r)
        {
            nt_sanction_timeline t = nt__dp_timeline_of(r);
            n += nt_sanction_in_force_at(&t, at);
        }
        json_object_set_new(p->o, "restrictions_in_force_at_end", json_integer(n));
    }
    int rc = rs != NULL ? 0 : NT_EIO;
    json_decref(rs);
    return rc;
}

/* Why an ad stopped, by kind (service/ads.c says it in words, in both languages): each kind
 * found in its reason counts once. */
static void ad_reasons(period *p, const json_t *rec)
{
    const char *text = nt_json_str(rec, "state_reason");
    json_t *both = text != NULL ? json_loads(text, 0, NULL) : NULL;
    const char *en = nt_json_str(both, "en") ? nt_json_str(both, "en") : text;
    static const char *const kinds[][2] = {{"product recalled", "product_recalled"},
                                           {"advertiser suspended", "advertiser_suspended"},
                                           {"restricted from advertising", "influencer_restricted"}};
    int found = 0;
    for (size_t i = 0; en != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strstr(en, kinds[i][0]) != NULL) {
            bump_in(p, "ads", "suspended_by_reason", kinds[i][1], 1);
            found++;
        }
    if (found == 0) /* what is left: a required document of the product not valid for the ad's period */
        bump_in(p, "ads", "suspended_by_reason", en == NULL ? "unknown" : "product_documents", 1);
    json_decref(both);
}

/* Certificates, notices and ads by their log entries; a notice's kind and an ad's reason from the
 * entry's record (a redacted record counts as "unknown"). */
static void event_row(periods *ps, period *p, const json_t *r)
{
    const char *type = nt_json_str(r, "type"), *dot = type != NULL ? strchr(type, '.') : NULL;
    if (dot == NULL)
        return;
    char kind[32];
    snprintf(kind, sizeof(kind), "%.*s", (int)(dot - type), type);
    json_t *rec = nt_json_str(r, "record") ? json_loads(nt_json_str(r, "record"), 0, NULL) : NULL;
    EACH_OF(ps, p, {
        if (strcmp(kind, "certificate") == 0) {
            bump(sect(P, "certificates"), dot + 1, 1);
        } else if (strcmp(kind, "notice") == 0) {
            bump(sect(P, "notices"), dot + 1, 1);
            if (strcmp(dot + 1, "published") == 0)
                bump_in(P, "notices", "published_by_kind", nt_json_str(rec, "kind"), 1);
        } else if (strcmp(kind, "ad") == 0) {
            bump(sect(P, "ads"), dot + 1, 1);
            if (strcmp(dot + 1, "suspended") == 0)
                ad_reasons(P, rec);
        }
    });
    json_decref(rec);
}

/* Counts about persons under SUPPRESS_BELOW become "<5", in place. */
static void suppress(json_t *v)
{
    const char *key;
    json_t *x;
    void *tmp;
    json_object_foreach_safe(v, tmp, key, x)
    {
        if (json_is_object(x))
            suppress(x);
        else if (json_is_integer(x) && json_integer_value(x) > 0 && json_integer_value(x) < SUPPRESS_BELOW)
            json_object_set_new(v, key, json_string("<5"));
    }
}

/* Every measure present (zeros where nothing happened), medians and fines made, small counts hidden. */
static void finish(period *p)
{
    static const char *const zero[][2] = {
        {"reports", "total"},        {"decisions", "total"},   {"sanctions", "total"},     {"fines", "count"},
        {"appeals", "filed"},        {"appeals", "resolved"},  {"certificates", "issued"}, {"certificates", "suspended"},
        {"certificates", "revoked"}, {"notices", "published"}, {"notices", "withdrawn"},   {"ads", "registered"},
        {"ads", "suspended"},
    };
    for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
        bump(sect(p, zero[i][0]), zero[i][1], 0);
    json_t *fines = sect(p, "fines");
    if (json_integer_value(json_object_get(fines, "count")) < SUPPRESS_BELOW)
        json_object_set_new(fines, "total_vnd", json_null()); /* a sum of few fines names them */
    else if (json_object_get(fines, "total_vnd") == NULL)
        json_object_set_new(fines, "total_vnd", json_integer(0));
    bool few = p->nttd < SUPPRESS_BELOW;
    json_object_set_new(p->o, "time_to_decision_days",
                        json_pack("{s:I, s:o, s:o}", "decisions", (json_int_t)p->nttd, "median",
                                  few ? json_null() : percentile(p->ttd, p->nttd, 50), "p90",
                                  few ? json_null() : percentile(p->ttd, p->nttd, 90)));
    json_object_set_new(sect(p, "appeals"), "median_days_to_resolution",
                        p->nttr < SUPPRESS_BELOW ? json_null() : percentile(p->ttr, p->nttr, 50));
    static const char *const personal[] = {"reports", "decisions", "sanctions", "fines", "appeals", "time_to_decision_days"};
    for (size_t i = 0; i < sizeof(personal) / sizeof(personal[0]); i++)
        suppress(json_object_get(p->o, personal[i]));
    json_int_t r = json_integer_value(json_object_get(p->o, "restrictions_in_force_at_end"));
    if (r > 0 && r < SUPPRESS_BELOW)
        json_object_set_new(p->o, "restrictions_in_force_at_end", json_string("<5"));
}

/* The measures in the order they are shown. */
static json_t *sections(void)
{
    static const char *const names[] = {"reports", "time_to_decision_days",        "decisions",    "sanctions", "fines",
                                        "appeals", "restrictions_in_force_at_end", "certificates", "notices",   "ads"};
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        json_object_set_new(o, names[i], i == 6 ? json_integer(0) : json_object());
    return o;
}

int nt_svc_transparency(nt_svc *svc, const char *from, const char *to, const char *by, json_t **out, nt_err *err)
{
    char now[NT_TIME_LEN], today[16];
    nt_time_local(nt_now_us(), now);
    snprintf(today, sizeof(today), "%.10s", now);
    nt_period *spans = nt_xcalloc(NT_PERIODS_MAX, sizeof(*spans));
    int n = 0;
    if (nt_periods(from, to, by, today, spans, &n, err) != 0) {
        free(spans);
        return NT_EINVAL;
    }
    bool quarter = by != NULL && strcmp(by, "quarter") == 0;
    periods ps = {.n = n};
    ps.p = nt_xcalloc((size_t)ps.n + 1, sizeof(*ps.p));
    for (int i = 0; i < ps.n; i++) {
        period *p = &ps.p[i];
        snprintf(p->label, sizeof(p->label), "%s", spans[i].label);
        p->from = spans[i].from;
        p->to = spans[i].to;
        p->o = sections();
    }
    free(spans);
    period *all = &ps.p[ps.n];
    snprintf(all->label, sizeof(all->label), "total");
    all->from = ps.p[0].from;
    all->to = ps.p[ps.n - 1].to;
    all->o = sections();
    int rc = each_row(svc, NT_Q_tr_reports, &ps, "received_at", report_row);
    if (rc == 0)
        rc = each_row(svc, NT_Q_tr_decisions, &ps, "issued_at", decision_row);
    if (rc == 0)
        rc = each_row(svc, NT_Q_tr_sanctions, &ps, "issued_at", sanction_row);
    if (rc == 0)
        rc = each_row(svc, NT_Q_tr_appeals, &ps, NULL, appeal_row);
    if (rc == 0)
        rc = count_restrictions(svc, &ps);
    if (rc == 0)
        rc = each_row(svc, NT_Q_tr_events, &ps, "at", event_row);
    json_t *list = json_array();
    for (int i = 0; i <= ps.n; i++) {
        period *p = &ps.p[i];
        finish(p);
        char f[NT_TIME_LEN], t[NT_TIME_LEN];
        nt_time_local(p->from, f);
        nt_time_local(p->to, t);
        json_t *head = json_pack("{s:s, s:s, s:s}", "period", p->label, "from", f, "to", t);
        json_object_update(head, p->o);
        json_decref(p->o);
        if (i < ps.n)
            json_array_append_new(list, head);
        else
            all->o = head;
        free(p->ttd);
        free(p->ttr);
    }
    json_t *total = all->o;
    free(ps.p);
    if (rc != 0) {
        json_decref(list);
        json_decref(total);
        return nt_err_set(err, rc, "cannot count: %s", "không đếm được: %s", nt_strerror(rc));
    }
    char generated[NT_TIME_LEN];
    nt_time_local(nt_now_us(), generated);
    *out = json_pack("{s:O, s:O, s:s, s:s, s:i, s:s, s:o, s:o}", "from", json_object_get(json_array_get(list, 0), "from"), "to",
                     json_object_get(total, "to"), "by", quarter ? "quarter" : "month", "time_zone", "Asia/Ho_Chi_Minh",
                     "suppressed_below", SUPPRESS_BELOW, "generated_at", generated, "periods", list, "total", total);
    return 0;
}

/* ---- CSV ---- */

static void csv_value(nt_jbuf *b, const json_t *v)
{
    char t[64];
    if (json_is_integer(v))
        snprintf(t, sizeof(t), "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(t, sizeof(t), "%.1f", json_real_value(v));
    else if (json_is_string(v))
        snprintf(t, sizeof(t), "%s", json_string_value(v));
    else
        t[0] = '\0';
    nt_jb_csv(b, t, true);
}

/* One row per leaf: the measure is the path to it without its last part, which is the key. */
static void csv_rows(nt_jbuf *b, const char *label, const char *measure, const json_t *o)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        if (measure == NULL && (strcmp(key, "period") == 0 || strcmp(key, "from") == 0 || strcmp(key, "to") == 0))
            continue;
        if (json_is_object(v)) {
            char m[128];
            snprintf(m, sizeof(m), "%s%s%s", measure ? measure : "", measure ? "." : "", key);
            csv_rows(b, label, m, v);
            continue;
        }
        nt_jb_csv(b, label, false);
        nt_jb_csv(b, measure ? measure : key, false);
        nt_jb_csv(b, measure ? key : "", false);
        csv_value(b, v);
    }
}

char *nt_transparency_csv(const json_t *numbers, size_t *len)
{
    nt_jbuf b;
    nt_jb_init(&b, 4096);
    nt_jb_lit(&b, "\xEF\xBB\xBFperiod,measure,key,value\r\n");
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(numbers, "periods"), i, p) csv_rows(&b, nt_json_str(p, "period"), NULL, p);
    csv_rows(&b, "total", NULL, json_object_get(numbers, "total"));
    return nt_jb_take(&b, len);
}
