/* The registered ads in memory, for the platforms' check of a post (GET /v1/ads/{code}/verify):
 * a hash table by code under a read-write lock, loaded at start and kept current from the change
 * sequence like the restriction index. See ads.h. */
#include "core/alloc.h"
#include "core/ads.h"
#include "core/jbuf.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include "index/restrictions.h"
#include "service/ads.h"
#include "service/query.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct ad_entry {
    char code[NT_AD_CODE_LEN];
    char id[NT_ID_LEN];
    char person[NT_ID_LEN];
    unsigned platforms; /* a bit per nt_platforms; 0: every platform */
    int64_t start_us, end_us;
    bool registered; /* else suspended or withdrawn */
    char state[16];
    struct ad_entry *next;
} ad_entry;

struct nt_adindex {
    pthread_rwlock_t rw;
    ad_entry **buckets;
    size_t nbuckets, n;
};

static size_t slot(const struct nt_adindex *x, const char *code)
{
    return (size_t)(nt_hash_str(code) % x->nbuckets);
}

/* The platforms of an ad row (an array, as rows come back parsed) as bits of nt_platforms. */
static unsigned platform_bits(const json_t *list)
{
    unsigned bits = 0;
    size_t i;
    json_t *p;
    json_array_foreach((json_t *)list, i, p)
    {
        for (int k = 0; nt_platforms[k] != NULL && json_is_string(p); k++)
            if (strcmp(nt_platforms[k], json_string_value(p)) == 0)
                bits |= 1u << k;
    }
    return bits;
}

/* Puts (or replaces) one ad row. Called with the write lock held. */
static void put_locked(struct nt_adindex *x, const json_t *row)
{
    const char *code = nt_json_str(row, "code");
    if (code == NULL || strlen(code) != NT_AD_CODE_LEN - 1)
        return;
    size_t s = slot(x, code);
    ad_entry *e = x->buckets[s];
    while (e != NULL && strcmp(e->code, code) != 0)
        e = e->next;
    if (e == NULL) {
        if ((e = nt_xcalloc(1, sizeof(*e))) == NULL)
            return;
        memcpy(e->code, code, NT_AD_CODE_LEN);
        e->next = x->buckets[s];
        x->buckets[s] = e;
        x->n++;
    }
    nt_strlcpy(e->id, nt_json_str(row, "id"), sizeof(e->id));
    nt_strlcpy(e->person, nt_json_str(row, "person_id"), sizeof(e->person));
    nt_strlcpy(e->state, nt_json_str(row, "state"), sizeof(e->state));
    e->registered = strcmp(e->state, "registered") == 0;
    e->platforms = platform_bits(json_object_get(row, "platforms"));
    e->start_us = nt_json_time(row, "start_at");
    e->end_us = nt_json_time(row, "end_at");
}

static void put_each(void *arg, const json_t *row)
{
    put_locked(arg, row);
}

int nt_svc_ad_index_build(nt_svc *svc, nt_err *err)
{
    struct nt_adindex *x = nt_xcalloc(1, sizeof(*x));
    if (x == NULL)
        return NT_ENOMEM;
    pthread_rwlock_init(&x->rw, NULL);
    x->nbuckets = 1 << 16;
    x->buckets = nt_xcalloc(x->nbuckets, sizeof(ad_entry *));
    if (x->buckets == NULL) {
        free(x);
        return NT_ENOMEM;
    }
    if (svc->store->ops->query_each(svc->store, NT_Q_ads_all, NULL, put_each, x) != 0) {
        nt_svc_ad_index_free(x);
        return nt_err_set(err, NT_EIO, "cannot read ads", "không đọc được quảng cáo");
    }
    svc->ads = x;
    return 0;
}

void nt_svc_ad_index_free(struct nt_adindex *x)
{
    if (x == NULL)
        return;
    for (size_t i = 0; i < x->nbuckets; i++)
        for (ad_entry *e = x->buckets[i], *next; e != NULL; e = next) {
            next = e->next;
            free(e);
        }
    free(x->buckets);
    pthread_rwlock_destroy(&x->rw);
    free(x);
}

void nt_svc_ad_index_refresh(nt_svc *svc, const char *ad_id)
{
    if (svc->ads == NULL)
        return;
    json_t *row = nt__svc_q1(svc, NT_Q_ad_get, json_pack("[s]", ad_id));
    if (row == NULL)
        return;
    pthread_rwlock_wrlock(&svc->ads->rw);
    put_locked(svc->ads, row);
    pthread_rwlock_unlock(&svc->ads->rw);
    json_decref(row);
}

int nt_svc_ad_verify(nt_svc *svc, const char *code, const char *handle, const char *at, char **body, size_t *len, nt_err *err)
{
    int year;
    int64_t seq, t = nt_now_us();
    if (!nt_ad_code_parse(code, &year, &seq))
        nt_err_field(err, "code", "invalid", 0);
    char platform[NT_PLATFORM_MAX], key[NT_SUBJECT_KEY_MAX];
    if (handle == NULL)
        nt_err_field(err, "handle", "required", 0);
    else if (nt_subject_handle(handle, platform, key) != 0)
        nt_err_field(err, "handle", "invalid", 0);
    if (at != NULL && nt_time_parse(at, &t) != 0)
        nt_err_field(err, "at", "invalid", 0);
    if (err->nfields > 0)
        return NT_EINVAL;
    if (svc->ads == NULL || svc->index == NULL)
        return nt_err_set(err, NT_EBUSY, "the ad index is not loaded", "chỉ mục quảng cáo chưa được nạp");
    char person[NT_ID_LEN] = "";
    bool known = nt_rindex_handle(svc->index, key, person);
    int pk = -1;
    for (int k = 0; nt_platforms[k] != NULL; k++)
        if (strcmp(nt_platforms[k], platform) == 0)
            pk = k;
    nt_jbuf b;
    nt_jb_init(&b, 384);
    nt_jb_lit(&b, "{\"code\":");
    nt_jb_str(&b, code);
    pthread_rwlock_rdlock(&svc->ads->rw);
    ad_entry *e = svc->ads->buckets[slot(svc->ads, code)];
    while (e != NULL && strcmp(e->code, code) != 0)
        e = e->next;
    /* Every reason the post is not covered, so the platform can say which. */
    const char *reasons[5];
    int nr = 0;
    if (e == NULL)
        reasons[nr++] = "unknown_code";
    else {
        if (!known || strcmp(person, e->person) != 0)
            reasons[nr++] = "not_this_influencer";
        if (e->platforms != 0 && (pk < 0 || !(e->platforms & (1u << pk))))
            reasons[nr++] = "not_this_platform";
        if (t < e->start_us || t >= e->end_us)
            reasons[nr++] = "outside_period";
        if (!e->registered)
            reasons[nr++] = e->state;
    }
    nt_jb_lit(&b, ",\"valid\":");
    nt_jb_bool(&b, nr == 0);
    nt_jb_lit(&b, ",\"reasons\":[");
    for (int i = 0; i < nr; i++) {
        if (i)
            nt_jb_lit(&b, ",");
        nt_jb_str(&b, reasons[i]);
    }
    nt_jb_lit(&b, "],\"handle\":");
    nt_jb_str(&b, key);
    nt_jb_lit(&b, ",\"handle_known\":");
    nt_jb_bool(&b, known);
    if (e != NULL) {
        nt_jb_lit(&b, ",\"ad_id\":");
        nt_jb_str(&b, e->id);
        nt_jb_lit(&b, ",\"state\":");
        nt_jb_str(&b, e->state);
        nt_jb_lit(&b, ",\"start_at\":");
        nt_jb_time(&b, e->start_us);
        nt_jb_lit(&b, ",\"end_at\":");
        nt_jb_time(&b, e->end_us);
    }
    pthread_rwlock_unlock(&svc->ads->rw);
    nt_jb_lit(&b, ",\"label\":");
    char label[64];
    snprintf(label, sizeof(label), "#QuảngCáo %s", code);
    nt_jb_str(&b, label);
    nt_jb_lit(&b, ",\"checked_at\":");
    nt_jb_time(&b, t);
    nt_jb_lit(&b, "}");
    *body = nt_jb_take(&b, len);
    return *body ? 0 : NT_ENOMEM;
}
