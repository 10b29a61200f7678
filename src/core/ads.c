/* Advertising forms and category rules; see ads.h. */
#include "core/ads.h"
#include "core/embed.h"
#include "core/util.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool nt_enterprise_code_valid(const char *s)
{
    if (s == NULL)
        return false;
    size_t n = strlen(s);
    if (n == 10)
        return digits(s, 10);
    return n == 14 && digits(s, 10) && s[10] == '-' && digits(s + 11, 3);
}

/* Luhn's check digit for a string of digits. */
static int luhn(const char *d, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = d[n - 1 - i] - '0';
        if (i % 2 == 0) { /* the rightmost digit of the payload is doubled */
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return (10 - sum % 10) % 10;
}

bool nt_ad_code_format(int year, int64_t seq, char out[NT_AD_CODE_LEN])
{
    if (year < 2000 || year > 9999 || seq < 1 || seq > 999999)
        return false;
    char payload[11];
    snprintf(payload, sizeof(payload), "%04d%06lld", year, (long long)seq);
    snprintf(out, NT_AD_CODE_LEN, "QC-%04d-%06lld%d", year, (long long)seq, luhn(payload, 10));
    return true;
}

bool nt_ad_code_parse(const char *code, int *year, int64_t *seq)
{
    if (code == NULL || strlen(code) != NT_AD_CODE_LEN - 1 || strncmp(code, "QC-", 3) != 0 || !digits(code + 3, 4) ||
        code[7] != '-' || !digits(code + 8, 7))
        return false;
    char payload[11];
    memcpy(payload, code + 3, 4);
    memcpy(payload + 4, code + 8, 6);
    payload[10] = '\0';
    if (luhn(payload, 10) != code[14] - '0')
        return false;
    int y = (code[3] - '0') * 1000 + (code[4] - '0') * 100 + (code[5] - '0') * 10 + (code[6] - '0');
    int64_t s = 0;
    for (int i = 8; i < 14; i++)
        s = s * 10 + (code[i] - '0');
    if (y < 2000 || s < 1)
        return false;
    *year = y;
    *seq = s;
    return true;
}

static json_t *table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void load_table(void)
{
    const struct nt_embedded *e = nt_embed_find("ad-categories.json");
    if (e != NULL)
        table = json_loadb(e->data, e->len, JSON_REJECT_DUPLICATES, NULL);
}

const json_t *nt_ad_categories(void)
{
    pthread_once(&table_once, load_table);
    return table;
}

const json_t *nt_ad_category(const char *id)
{
    const json_t *t = nt_ad_categories();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(t, "categories"), i, c)
    {
        const char *cid = json_string_value(json_object_get(c, "id"));
        if (id != NULL && cid != NULL && strcmp(cid, id) == 0)
            return c;
    }
    return NULL;
}

/* A check's result; its detail in both languages ({"vi", "en"}: the reader's is picked when shown). */
static void check(json_t *out, bool *all_ok, const char *name, bool ok, const char *vi, const char *en)
{
    json_t *c = json_pack("{s:s, s:b}", "check", name, "ok", ok);
    if (en != NULL && en[0] != '\0')
        json_object_set_new(c, "detail", json_pack("{s:s, s:s}", "vi", vi ? vi : en, "en", en));
    json_array_append_new(out, c);
    *all_ok = *all_ok && ok;
}

json_t *nt_ad_product_checks(const json_t *category, const json_t *documents, const char *recalled_at, int64_t from_us,
                             int64_t to_us, bool *all_ok)
{
    json_t *out = json_array();
    *all_ok = true;
    bool advertisable = json_is_true(json_object_get(category, "advertisable"));
    const json_t *why = json_object_get(category, "why");
    check(out, all_ok, "category_advertisable", advertisable, json_string_value(json_object_get(why, "vi")),
          advertisable ? NULL : json_string_value(json_object_get(why, "en")));
    size_t i, j;
    json_t *type, *doc;
    json_array_foreach(json_object_get(category, "documents"), i, type)
    {
        const char *want = json_string_value(type);
        char detail[256] = "missing", vi[256] = "chưa có";
        bool ok = false;
        json_array_foreach((json_t *)documents, j, doc)
        {
            const char *t = json_string_value(json_object_get(doc, "type"));
            if (t == NULL || strcmp(t, want) != 0 || json_is_string(json_object_get(doc, "superseded_by")))
                continue; /* another type; or renewed, its successor speaks for it */
            int64_t vf = 0, vu = 0;
            const char *from = json_string_value(json_object_get(doc, "valid_from"));
            const char *until = json_string_value(json_object_get(doc, "valid_until"));
            if (from == NULL || nt_time_parse(from, &vf) != 0 || (until != NULL && nt_time_parse(until, &vu) != 0))
                continue;
            char shown[NT_TIME_LEN];
            const char *number = json_string_value(json_object_get(doc, "number"));
            if (vf > from_us) {
                nt_time_local(vf, shown);
                snprintf(detail, sizeof(detail), "%s is valid only from %s", number, shown);
                snprintf(vi, sizeof(vi), "%s chỉ có hiệu lực từ %s", number, shown);
            } else if (until != NULL && vu < to_us) {
                nt_time_local(vu, shown);
                snprintf(detail, sizeof(detail), "%s expires %s, before the end of the period", number, shown);
                snprintf(vi, sizeof(vi), "%s hết hiệu lực lúc %s, trước khi hết thời gian quảng cáo", number, shown);
            } else {
                ok = true;
                break;
            }
        }
        char name[96];
        snprintf(name, sizeof(name), "document:%s", want);
        check(out, all_ok, name, ok, vi, ok ? NULL : detail);
    }
    check(out, all_ok, "not_recalled", recalled_at == NULL, "đã bị thu hồi", recalled_at ? "recalled" : NULL);
    return out;
}
