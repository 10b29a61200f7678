/* Verified notices as data and documents; see notices.h. */
#include "core/notices.h"
#include "core/alloc.h"
#include "core/embed.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUBSPEC(s) s, sizeof(s) / sizeof(s[0])

static pthread_once_t once = PTHREAD_ONCE_INIT;
static json_t *topics, *provinces;
/* For the lookups every feed request makes: the provinces by their two-digit code, the topics' ids. */
static const json_t *by_code[100];
#define TOPICS_MAX 64
static const char *topic_ids[TOPICS_MAX];
static size_t ntopics;

static json_t *embedded(const char *name)
{
    const struct nt_embedded *f = nt_embed_find(name);
    json_error_t e;
    json_t *v = f ? json_loadb(f->data, f->len, 0, &e) : NULL;
    NT_ASSERT(v != NULL);
    return v;
}

static void load(void)
{
    topics = embedded("notice-topics.json");
    provinces = embedded("provinces.json");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(provinces, "provinces"), i, v)
    {
        const char *c = nt_json_str(v, "code");
        NT_ASSERT(c != NULL && c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9' && c[2] == '\0');
        by_code[(c[0] - '0') * 10 + (c[1] - '0')] = v;
    }
    json_array_foreach(json_object_get(topics, "topics"), i, v)
    {
        NT_ASSERT(ntopics < TOPICS_MAX && nt_json_str(v, "id") != NULL);
        topic_ids[ntopics++] = nt_json_str(v, "id");
    }
}

const json_t *nt_notice_topics(void)
{
    pthread_once(&once, load);
    return topics;
}

const json_t *nt_provinces(void)
{
    pthread_once(&once, load);
    return provinces;
}

bool nt_notice_topic_known(const char *id)
{
    pthread_once(&once, load);
    for (size_t i = 0; id != NULL && i < ntopics; i++)
        if (strcmp(topic_ids[i], id) == 0)
            return true;
    return false;
}

const json_t *nt_province(const char *code)
{
    pthread_once(&once, load);
    if (code == NULL || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9' || code[2] != '\0')
        return NULL;
    return by_code[(code[0] - '0') * 10 + (code[1] - '0')];
}

const char *const nt_notice_kinds[] = {"correction", "scam_alert", "product_recall", "public_information", NULL};
static const char *const severities[] = {"minor", "moderate", "severe", "extreme", NULL};
static const char *const ratings[] = {"false", "misleading", "missing_context", "true", NULL};

bool nt_notice_kind_known(const char *kind)
{
    return nt_str_one_of(kind, nt_notice_kinds);
}

static const nt_field text_spec[] = {{"vi", NT_FT_STR, NT_F_REQUIRED, 1, 20000, 0}, {"en", NT_FT_STR, NT_F_NULLABLE, 1, 20000, 0}};
static const nt_field source_spec[] = {{"title", NT_FT_STR, NT_F_REQUIRED, 1, 500, 0},
                                       {"url", NT_FT_STR, NT_F_NULLABLE, 8, 2000, 0},
                                       {"document_sha256", NT_FT_STR, NT_F_NULLABLE, 64, 64, 0}};
static const nt_field claim_spec[] = {{"text", NT_FT_STR, NT_F_REQUIRED, 1, 5000, 0},
                                      {"appeared", NT_FT_STR_ARRAY, NT_F_REQUIRED, 1, 20, 2000},
                                      {"rating", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0}};
static const nt_field scam_spec[] = {{"how", NT_FT_STR, NT_F_REQUIRED, 1, 5000, 0},
                                     {"impersonated", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, 20, 200},
                                     {"what_to_do", NT_FT_STR, NT_F_REQUIRED, 1, 5000, 0},
                                     {"report_to", NT_FT_STR, NT_F_REQUIRED, 1, 1000, 0}};
static const nt_field notice_spec[] = {
    {"kind", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},          {"title", NT_FT_OBJ, NT_F_REQUIRED, 0, 0, 0},
    {"summary", NT_FT_OBJ, NT_F_REQUIRED, 0, 0, 0},        {"body", NT_FT_OBJ, NT_F_REQUIRED, 0, 0, 0},
    {"topics", NT_FT_STR_ARRAY, NT_F_REQUIRED, 1, 5, 40},  {"provinces", NT_FT_STR_ARRAY, NT_F_REQUIRED, 1, 34, 3},
    {"severity", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},      {"valid_until", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"sources", NT_FT_OBJ_ARRAY, NT_F_REQUIRED, 1, 10, 0}, {"claim", NT_FT_OBJ, NT_F_NULLABLE, 0, 0, 0},
    {"scam", NT_FT_OBJ, NT_F_NULLABLE, 0, 0, 0},           {"products", NT_FT_STR_ARRAY, NT_F_NULLABLE, 1, 20, 40},
};

/* A text in both languages, NFC, into out[name]. */
static void text_field(const json_t *in, const char *name, json_t *out, nt_err *err)
{
    const json_t *t = json_object_get(in, name);
    char prefix[32];
    snprintf(prefix, sizeof(prefix), "%s.", name);
    if (!json_is_object(t) || nt_schema_check(t, SUBSPEC(text_spec), prefix, err) != 0)
        return;
    json_t *o = json_object();
    static const char *const langs[] = {"vi", "en"};
    for (int i = 0; i < 2; i++) {
        const char *s = nt_json_str(t, langs[i]);
        char *n = s ? nt_text_nfc(s) : NULL;
        if (n != NULL)
            json_object_set_new(o, langs[i], json_string(n));
        free(n);
    }
    json_object_set_new(out, name, o);
}

static bool web_url(const char *u)
{
    return u != NULL && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0) && strpbrk(u, " \"<>\\") == NULL;
}

/* Whether a list of strings has s already. */
static bool listed(const json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) if (nt_streq(json_string_value(v), s)) return true;
    return false;
}

json_t *nt_notice_content_check(const json_t *in, nt_err *err)
{
    if (nt_schema_check(in, SUBSPEC(notice_spec), "", err) != 0)
        return NULL;
    json_t *out = json_object();
    const char *kind = nt_json_str(in, "kind");
    if (!nt_notice_kind_known(kind))
        nt_err_field_one_of(err, "kind", "invalid", nt_notice_kinds);
    json_object_set_new(out, "kind", json_string(kind));
    text_field(in, "title", out, err);
    text_field(in, "summary", out, err);
    text_field(in, "body", out, err);
    size_t i;
    json_t *v;
    char f[64];
    json_t *tl = json_array(), *pl = json_array();
    json_array_foreach(json_object_get(in, "topics"), i, v)
    {
        snprintf(f, sizeof(f), "topics[%zu]", i);
        if (!nt_notice_topic_known(json_string_value(v)))
            nt_err_field(err, f, "invalid", 0);
        else if (!listed(tl, json_string_value(v)))
            json_array_append(tl, v);
    }
    json_array_foreach(json_object_get(in, "provinces"), i, v)
    {
        snprintf(f, sizeof(f), "provinces[%zu]", i);
        if (nt_streq(json_string_value(v), "all")) { /* the whole country: every province, by code */
            size_t k;
            json_t *p;
            json_array_clear(pl);
            json_array_foreach(json_object_get(nt_provinces(), "provinces"), k, p)
                json_array_append(pl, json_object_get(p, "code"));
            break;
        }
        if (nt_province(json_string_value(v)) == NULL)
            nt_err_field(err, f, "invalid", 0);
        else if (!listed(pl, json_string_value(v))) /* once each: all 34 is the whole country */
            json_array_append(pl, v);
    }
    if (json_array_size(json_object_get(in, "topics")) == 0)
        nt_err_field(err, "topics", "required", 0); /* a notice on no topic would reach no member */
    json_object_set_new(out, "topics", tl);
    json_object_set_new(out, "provinces", pl);
    const char *sev = nt_json_str(in, "severity");
    if (!nt_str_one_of(sev, severities))
        nt_err_field_one_of(err, "severity", "invalid", severities);
    json_object_set_new(out, "severity", json_string(sev ? sev : ""));
    int64_t until = 0;
    char until_s[NT_TIME_LEN] = "";
    if (nt_time_parse(nt_json_str(in, "valid_until"), &until) != 0)
        nt_err_field(err, "valid_until", "invalid", 0);
    else
        nt_time_utc(until, until_s);
    json_object_set_new(out, "valid_until", json_string(until_s));
    json_t *sources = json_array();
    if (json_array_size(json_object_get(in, "sources")) == 0)
        nt_err_field(err, "sources", "required", 0); /* a notice without a source is refused */
    json_array_foreach(json_object_get(in, "sources"), i, v)
    {
        snprintf(f, sizeof(f), "sources[%zu].", i);
        if (nt_schema_check(v, SUBSPEC(source_spec), f, err) != 0)
            continue;
        const char *url = nt_json_str(v, "url"), *doc = nt_json_str(v, "document_sha256");
        snprintf(f, sizeof(f), "sources[%zu].url", i);
        if (url == NULL && doc == NULL)
            nt_err_field(err, f, "required", 0); /* a source is a link or a document */
        else if (url != NULL && !web_url(url))
            nt_err_field(err, f, "invalid", 0);
        json_array_append_new(sources,
                              json_pack("{s:O, s:O?, s:O?}", "title", json_object_get(v, "title"), "url", json_object_get(v, "url"),
                                        "document_sha256", json_object_get(v, "document_sha256")));
    }
    json_object_set_new(out, "sources", sources);
    /* What each kind says besides, and nothing another kind says. */
    bool correction = nt_streq(kind, "correction"), scam = nt_streq(kind, "scam_alert"), recall = nt_streq(kind, "product_recall");
    const json_t *claim = json_object_get(in, "claim"), *sc = json_object_get(in, "scam"),
                 *products = json_object_get(in, "products");
    if (correction && !json_is_object(claim))
        nt_err_field(err, "claim", "required", 0);
    else if (!correction && claim != NULL && !json_is_null(claim))
        nt_err_field(err, "claim", "not_allowed", 0);
    else if (correction && nt_schema_check(claim, SUBSPEC(claim_spec), "claim.", err) == 0) {
        if (!nt_str_one_of(nt_json_str(claim, "rating"), ratings))
            nt_err_field_one_of(err, "claim.rating", "invalid", ratings);
        json_array_foreach(json_object_get(claim, "appeared"), i, v)
        {
            char plat[NT_PLATFORM_MAX], key[NT_SUBJECT_KEY_MAX];
            snprintf(f, sizeof(f), "claim.appeared[%zu]", i);
            if (!web_url(json_string_value(v)) && nt_subject_handle(json_string_value(v), plat, key) != 0)
                nt_err_field(err, f, "invalid", 0); /* a web address or platform:handle */
        }
        json_object_set_new(out, "claim", json_deep_copy(claim));
    }
    if (scam && !json_is_object(sc))
        nt_err_field(err, "scam", "required", 0);
    else if (!scam && sc != NULL && !json_is_null(sc))
        nt_err_field(err, "scam", "not_allowed", 0);
    else if (scam && nt_schema_check(sc, SUBSPEC(scam_spec), "scam.", err) == 0)
        json_object_set_new(out, "scam", json_deep_copy(sc));
    if (recall && !json_is_array(products))
        nt_err_field(err, "products", "required", 0);
    else if (!recall && products != NULL && !json_is_null(products))
        nt_err_field(err, "products", "not_allowed", 0);
    else if (recall)
        json_object_set_new(out, "products", json_deep_copy(products));
    if (err->nfields > 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static void diff(const char *path, const json_t *a, const json_t *b, json_t *out)
{
    if (json_is_object(a) && json_is_object(b)) {
        const char *k;
        json_t *v;
        char p[200];
        json_object_foreach((json_t *)a, k, v)
        {
            snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", k);
            diff(p, v, json_object_get(b, k), out);
        }
        json_object_foreach((json_t *)b, k, v) if (json_object_get(a, k) == NULL)
        {
            snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", k);
            diff(p, NULL, v, out);
        }
        return;
    }
    if (a != NULL && b != NULL && json_equal(a, b))
        return;
    json_array_append_new(out, json_pack("{s:s, s:O?, s:O?}", "field", path, "before", a, "after", b));
}

json_t *nt_notice_diff(const json_t *before, const json_t *after)
{
    json_t *out = json_array();
    diff("", before, after, out);
    return out;
}

/* The byte length of the UTF-8 character at s, and whether it is an upper-case letter. */
static size_t letter(const char *s, bool *upper, bool *alpha)
{
    char one[8] = {0};
    size_t n = 1;
    unsigned char c = (unsigned char)s[0];
    if (c >= 0xf0)
        n = 4;
    else if (c >= 0xe0)
        n = 3;
    else if (c >= 0xc0)
        n = 2;
    memcpy(one, s, n);
    char key[32];
    *alpha = nt_text_search_key(one, key, sizeof(key)) > 0;
    char lower[32];
    *upper = *alpha && nt_text_toned_key(one, lower, sizeof(lower)) > 0 && strcmp(lower, one) != 0;
    return n;
}

json_t *nt_notice_name_runs(const char *text)
{
    json_t *out = json_array();
    const char *p = text;
    char run[400];
    int words = 0;
    size_t len = 0;
    while (p != NULL) {
        /* The next word: its start, whether it is capitalised, its end. */
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        const char *w = p;
        bool upper = false, alpha = false;
        if (*p)
            letter(p, &upper, &alpha);
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
        size_t wl = (size_t)(p - w);
        /* Punctuation at a word's end closes a run after it. */
        bool closes = wl > 0 && strchr(".,;:!?)\"”", w[wl - 1]) != NULL;
        if (closes)
            wl--;
        if (wl > 0 && upper && len + wl + 2 < sizeof(run)) {
            if (words > 0)
                run[len++] = ' ';
            memcpy(run + len, w, wl);
            len += wl;
            run[len] = '\0';
            words++;
        } else {
            closes = true;
        }
        if (closes || *p == '\0') {
            if (words >= 2 && words <= 5)
                json_array_append_new(out, json_string(run));
            words = 0;
            len = 0;
        }
        if (*p == '\0')
            break;
    }
    return out;
}

static const char *text_of(const json_t *content, const char *field)
{
    const char *s = nt_json_str(json_object_get(content, field), "vi");
    return s ? s : "";
}

json_t *nt_notice_claimreview(const json_t *notice, const char *url)
{
    const json_t *c = json_object_get(notice, "content"), *claim = json_object_get(c, "claim");
    static const struct {
        const char *rating, *name;
        int value;
    } scale[] = {{"false", "Sai sự thật", 1},
                 {"misleading", "Gây hiểu lầm", 2},
                 {"missing_context", "Thiếu bối cảnh", 3},
                 {"true", "Đúng sự thật", 5}};
    const char *rating = nt_json_str(claim, "rating"), *name = "Sai sự thật";
    int value = 1;
    for (size_t i = 0; i < sizeof(scale) / sizeof(scale[0]); i++)
        if (nt_streq(scale[i].rating, rating)) {
            name = scale[i].name;
            value = scale[i].value;
        }
    json_t *appearances = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(claim, "appeared"), i, a)
        json_array_append_new(appearances, json_pack("{s:s, s:O}", "@type", "CreativeWork", "url", a));
    char published[NT_TIME_LEN], updated[NT_TIME_LEN];
    nt_time_show(nt_json_str(notice, "published_at"), published);
    nt_time_show(nt_json_str(notice, "updated_at"), updated);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:O}, s:O, s:{s:s, s:i, s:i, s:i, s:s}, s:{s:s, s:o}}",
                     "@context", "https://schema.org", "@type", "ClaimReview", "url", url, "datePublished", published,
                     "dateModified", updated, "inLanguage", "vi", "claimReviewed", nt_json_str(claim, "text"), "author", "@type",
                     "Organization", "name", json_object_get(notice, "issuer_name"), "headline",
                     json_object_get(json_object_get(c, "title"), "vi"), "reviewRating", "@type", "Rating", "ratingValue", value,
                     "bestRating", 5, "worstRating", 1, "alternateName", name, "itemReviewed", "@type", "Claim", "appearance",
                     appearances);
}

static void xml_el(nt_jbuf *b, const char *name, const char *text)
{
    nt_jb_lit(b, "<");
    nt_jb_lit(b, name);
    nt_jb_lit(b, ">");
    nt_jb_xml(b, text);
    nt_jb_lit(b, "</");
    nt_jb_lit(b, name);
    nt_jb_lit(b, ">");
}

char *nt_notice_cap(const json_t *notice, const char *sender, const char *url, size_t *len)
{
    const json_t *c = json_object_get(notice, "content");
    bool recall = nt_streq(nt_json_str(c, "kind"), "product_recall");
    const char *sev = nt_json_str(c, "severity");
    static const char *const caps[][2] = {
        {"minor", "Minor"}, {"moderate", "Moderate"}, {"severe", "Severe"}, {"extreme", "Extreme"}};
    const char *severity = "Unknown";
    for (size_t i = 0; i < 4; i++)
        if (nt_streq(sev, caps[i][0]))
            severity = caps[i][1];
    char sent[NT_TIME_LEN], expires[NT_TIME_LEN], ident[200];
    /* CAP times carry their offset and no fractions: 2026-11-30T18:00:00+07:00. */
    int64_t t = nt_json_time(notice, "updated_at"), until = nt_json_time(c, "valid_until");
    nt_time_local(t / 1000000 * 1000000, sent);
    nt_time_local(until / 1000000 * 1000000, expires);
    memmove(sent + 19, sent + 23, strlen(sent + 23) + 1);
    memmove(expires + 19, expires + 23, strlen(expires + 23) + 1);
    snprintf(ident, sizeof(ident), "%s.v%lld", nt_json_str(notice, "id"),
             (long long)json_integer_value(json_object_get(notice, "version")));
    bool withdrawn = nt_streq(nt_json_str(notice, "state"), "withdrawn");
    long long version = json_integer_value(json_object_get(notice, "version"));
    nt_jbuf b;
    nt_jb_init(&b, 4096);
    nt_jb_lit(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">");
    xml_el(&b, "identifier", ident);
    xml_el(&b, "sender", sender);
    xml_el(&b, "sent", sent);
    xml_el(&b, "status", "Actual");
    xml_el(&b, "msgType", withdrawn ? "Cancel" : version > 1 ? "Update" : "Alert");
    xml_el(&b, "scope", "Public");
    if (withdrawn || version > 1) { /* the alert it updates or cancels: sender,identifier,sent of version 1 */
        char first[NT_TIME_LEN], refs[400];
        nt_time_local(nt_json_time(notice, "published_at") / 1000000 * 1000000, first);
        memmove(first + 19, first + 23, strlen(first + 23) + 1);
        snprintf(refs, sizeof(refs), "%s,%s.v1,%s", sender, nt_json_str(notice, "id"), first);
        xml_el(&b, "references", refs);
    }
    nt_jb_lit(&b, "<info>");
    xml_el(&b, "language", "vi-VN");
    xml_el(&b, "category", recall ? "Health" : "Safety");
    xml_el(&b, "event", recall ? "Thu hồi sản phẩm" : "Cảnh báo lừa đảo");
    xml_el(&b, "responseType", recall ? "Avoid" : "Monitor");
    xml_el(&b, "urgency", "Immediate");
    xml_el(&b, "severity", severity);
    xml_el(&b, "certainty", "Observed");
    xml_el(&b, "expires", expires);
    xml_el(&b, "senderName", nt_json_str(notice, "issuer_name") ? nt_json_str(notice, "issuer_name") : "");
    xml_el(&b, "headline", text_of(c, "title"));
    xml_el(&b, "description", text_of(c, "body"));
    const char *todo = nt_json_str(json_object_get(c, "scam"), "what_to_do");
    if (todo != NULL)
        xml_el(&b, "instruction", todo);
    xml_el(&b, "web", url);
    nt_jb_lit(&b, "<area>");
    /* One area for the provinces named: their names, and their official codes as geocodes. */
    nt_jbuf names;
    nt_jb_init(&names, 512);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(c, "provinces"), i, p)
    {
        const json_t *prov = nt_province(json_string_value(p));
        if (i)
            nt_jb_lit(&names, ", ");
        nt_jb_lit(&names, nt_json_str(json_object_get(prov, "name"), "vi"));
    }
    size_t nl;
    char *area = nt_jb_take(&names, &nl);
    xml_el(&b, "areaDesc", area ? area : "");
    free(area);
    json_array_foreach(json_object_get(c, "provinces"), i, p)
    {
        nt_jb_lit(&b, "<geocode>");
        xml_el(&b, "valueName", "VN-province");
        xml_el(&b, "value", json_string_value(p));
        nt_jb_lit(&b, "</geocode>");
    }
    nt_jb_lit(&b, "</area></info></alert>\n");
    return nt_jb_take(&b, len);
}

void nt_notice_atom_entry(nt_jbuf *b, const json_t *notice, const char *url)
{
    const json_t *c = json_object_get(notice, "content");
    char published[NT_TIME_LEN], updated[NT_TIME_LEN];
    nt_time_show(nt_json_str(notice, "published_at"), published);
    nt_time_show(nt_json_str(notice, "updated_at"), updated);
    nt_jb_lit(b, "<entry><id>urn:niemtin:notice:");
    nt_jb_xml(b, nt_json_str(notice, "id"));
    nt_jb_lit(b, "</id>");
    nt_jb_lit(b, "<title type=\"text\">");
    nt_jb_xml(b, text_of(c, "title"));
    nt_jb_lit(b, "</title>");
    xml_el(b, "published", published);
    xml_el(b, "updated", updated);
    nt_jb_lit(b, "<link rel=\"alternate\" href=\"");
    nt_jb_xml(b, url);
    nt_jb_lit(b, "\"/><author><name>");
    nt_jb_xml(b, nt_json_str(notice, "issuer_name") ? nt_json_str(notice, "issuer_name") : "");
    nt_jb_lit(b, "</name></author><category term=\"");
    nt_jb_xml(b, nt_json_str(c, "kind"));
    nt_jb_lit(b, "\"/>");
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(c, "topics"), i, t)
    {
        nt_jb_lit(b, "<category term=\"topic:");
        nt_jb_xml(b, json_string_value(t));
        nt_jb_lit(b, "\"/>");
    }
    nt_jb_lit(b, "<summary type=\"text\">");
    nt_jb_xml(b, text_of(c, "summary"));
    nt_jb_lit(b, "</summary><content type=\"text\">");
    nt_jb_xml(b, text_of(c, "body"));
    nt_jb_lit(b, "</content></entry>");
}

json_t *nt_notice_jsonfeed_item(const json_t *notice, const char *url)
{
    const json_t *c = json_object_get(notice, "content");
    char published[NT_TIME_LEN], updated[NT_TIME_LEN];
    nt_time_show(nt_json_str(notice, "published_at"), published);
    nt_time_show(nt_json_str(notice, "updated_at"), updated);
    json_t *tags = json_pack("[s]", nt_json_str(c, "kind"));
    json_array_extend(tags, json_object_get(c, "topics"));
    return json_pack("{s:O, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:[{s:s}], s:s}", "id", json_object_get(notice, "id"), "url", url,
                     "title", text_of(c, "title"), "summary", text_of(c, "summary"), "content_text", text_of(c, "body"),
                     "date_published", published, "date_modified", updated, "tags", tags, "authors", "name",
                     nt_json_str(notice, "issuer_name") ? nt_json_str(notice, "issuer_name") : "", "language", "vi");
}
