/* The pages' layout, their assets, their error pages and their language; see web.h. */
#include "http/web.h"
#include "service/users.h"
#include "core/alloc.h"
#include "core/embed.h"
#include "core/schema.h"
#include "core/util.h"
#include "http/query.h"
#include "service/follow.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* ---- assets: embedded at build time, served under their content hash, compressed once ---- */

static struct asset {
    const char *name, *ctype;
    const char *data;
    size_t len;
    char path[96]; /* /assets/web.<hash>.css */
    unsigned char *gz;
    size_t gzlen;
} assets[] = {{.name = "web.css", .ctype = "text/css; charset=utf-8"},
              {.name = "web.js", .ctype = "text/javascript; charset=utf-8"},
              {.name = "sw.js", .ctype = "text/javascript; charset=utf-8"}};
#define NASSETS (sizeof(assets) / sizeof(assets[0]))
static pthread_once_t assets_once = PTHREAD_ONCE_INIT;

static void gzip_once(struct asset *a)
{
    z_stream z = {0};
    uLong cap = compressBound((uLong)a->len) + 64;
    a->gz = nt_xmalloc(cap);
    NT_ASSERT(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
    z.next_in = (Bytef *)a->data;
    z.avail_in = (uInt)a->len;
    z.next_out = a->gz;
    z.avail_out = (uInt)cap;
    NT_ASSERT(deflate(&z, Z_FINISH) == Z_STREAM_END);
    a->gzlen = z.total_out;
    deflateEnd(&z);
}

static void load_assets(void)
{
    for (size_t i = 0; i < NASSETS; i++) {
        struct asset *a = &assets[i];
        const struct nt_embedded *f = nt_embed_find(a->name);
        NT_ASSERT(f != NULL);
        a->data = f->data;
        a->len = f->len;
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)a->data, a->len);
        char hex[11]; /* 40 bits of the SHA-256 */
        sodium_bin2hex(hex, sizeof(hex), h, 5);
        const char *dot = strrchr(a->name, '.');
        snprintf(a->path, sizeof(a->path), "/assets/%.*s.%s%s", (int)(dot - a->name), a->name, hex, dot);
        gzip_once(a);
    }
}

const char *nt_asset_path(const char *name)
{
    pthread_once(&assets_once, load_assets);
    for (size_t i = 0; i < NASSETS; i++)
        if (strcmp(assets[i].name, name) == 0)
            return assets[i].path;
    return "/assets/missing";
}

static void keep(void *arg)
{
    (void)arg; /* embedded: nothing to release */
}

enum MHD_Result nt_w_asset(nt_req *r)
{
    pthread_once(&assets_once, load_assets);
    for (size_t i = 0; i < NASSETS; i++) {
        struct asset *a = &assets[i];
        if (strcmp(a->path + strlen("/assets/"), r->params[0]) != 0)
            continue;
        /* The name changes with the content: a year's caching, never revalidated. */
        nt_resp_header(r, "Cache-Control", "public, max-age=31536000, immutable");
        nt_resp_header(r, "Vary", "Accept-Encoding");
        nt_resp_header(r, "X-Content-Type-Options", "nosniff");
        const char *ae = nt_req_header(r, "Accept-Encoding");
        if (ae != NULL && strstr(ae, "gzip") != NULL) {
            nt_resp_header(r, "Content-Encoding", "gzip");
            return nt_respond_shared(r, 200, a->ctype, (const char *)a->gz, a->gzlen, keep, NULL);
        }
        return nt_respond_shared(r, 200, a->ctype, a->data, a->len, keep, NULL);
    }
    /* Not a page and not the API: a plain answer, with no page around it. */
    static const char missing[] = "{\"type\":\"urn:niemtin:problem:not-found\",\"title\":\"Không tìm thấy\",\"status\":404}";
    return nt_respond_shared(r, 404, "application/problem+json; charset=utf-8", missing, sizeof(missing) - 1, keep, NULL);
}

/* The service worker (web/src/sw.js): at /sw.js, so that its scope is every page; revalidated on
 * every load, as browsers check a worker for updates. */
enum MHD_Result nt_w_service_worker(nt_req *r)
{
    pthread_once(&assets_once, load_assets);
    const struct asset *a = &assets[2];
    nt_resp_header(r, "Cache-Control", "no-cache");
    nt_resp_header(r, "X-Content-Type-Options", "nosniff");
    return nt_respond_shared(r, 200, a->ctype, a->data, a->len, keep, NULL);
}

/* ---- the pages' cache ----
 *
 * A page is rendered from several reads (a profile: the person, the certificate, each published
 * decision); the same page is then kept, per address and language, while the registry's change
 * sequence has not moved — any write moves it, here or seen by the follower — and for a second
 * at most, so that what time alone changes (a restriction starting or ending, a certificate
 * expiring) shows within a second. The check API, not a page, is what platforms act on. */

#define PAGE_SLOTS  512
#define PAGE_TTL_US 1000000
#define PAGE_KEY    600

typedef struct page_body {
    int refs;
    size_t len;
    char data[];
} page_body;

static struct page_slot {
    char key[PAGE_KEY];
    int64_t seq, until;
    page_body *body;
} page_slots[PAGE_SLOTS];
static pthread_mutex_t page_lock = PTHREAD_MUTEX_INITIALIZER;

static void page_release(void *arg)
{
    page_body *b = arg;
    if (b != NULL && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0)
        free(b);
}

/* The page's key (language and address) and its slot; false when the address is too long to keep. */
static bool page_key(nt_req *r, char *key, size_t *slot)
{
    int n = snprintf(key, PAGE_KEY, "%c%s", r->lang == NT_LANG_EN ? 'e' : 'v', r->target ? r->target : "");
    if (n < 0 || n >= PAGE_KEY)
        return false;
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *c = key; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ULL;
    *slot = h % PAGE_SLOTS;
    return true;
}

bool nt_page_from_cache(nt_req *r, enum MHD_Result *ret)
{
    char key[PAGE_KEY];
    size_t slot;
    if (strcmp(r->method, "GET") != 0 || r->session != NULL || !page_key(r, key, &slot))
        return false;
    int64_t seq = nt_svc_seq(nt_req_svc(r)), now = nt_mono_us();
    page_body *b = NULL;
    pthread_mutex_lock(&page_lock);
    struct page_slot *s = &page_slots[slot];
    if (s->body != NULL && s->seq == seq && now < s->until && strcmp(s->key, key) == 0) {
        b = s->body;
        __atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&page_lock);
    if (b == NULL)
        return false;
    r->page = true;
    nt_resp_header(r, "Cache-Control", "no-cache");
    *ret = nt_respond_shared(r, 200, "text/html; charset=utf-8", b->data, b->len, page_release, b);
    return true;
}

/* Keeps a page just rendered from the registry as it stood at seq. */
static void page_keep(nt_req *r, int64_t seq, const char *html, size_t len)
{
    char key[PAGE_KEY];
    size_t slot;
    if (!page_key(r, key, &slot))
        return;
    page_body *b = nt_xmalloc(sizeof(*b) + len);
    b->refs = 1; /* the cache's */
    b->len = len;
    memcpy(b->data, html, len);
    pthread_mutex_lock(&page_lock);
    struct page_slot *s = &page_slots[slot];
    page_body *old = s->body;
    nt_strlcpy(s->key, key, sizeof(s->key));
    s->seq = seq;
    s->until = nt_mono_us() + PAGE_TTL_US;
    s->body = b;
    pthread_mutex_unlock(&page_lock);
    page_release(old);
}

/* ---- forms: their token, their fields ---- */

bool nt_req_cookie(nt_req *r, const char *name, char *out, size_t cap)
{
    const char *c = nt_req_header(r, "Cookie");
    size_t n = strlen(name);
    for (const char *p = c; p != NULL && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        size_t len = strcspn(p, ";");
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            size_t vlen = len - n - 1;
            if (vlen + 1 > cap)
                return false;
            memcpy(out, p + n + 1, vlen);
            out[vlen] = '\0';
            return true;
        }
        p += len;
    }
    return false;
}

static bool token_shaped(const char *t)
{
    if (strlen(t) != NT_CSRF_LEN)
        return false;
    for (const char *c = t; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return false;
    return true;
}

void nt_page_csrf(nt_page *p, char *out)
{
    p->private = true;
    if (nt_req_cookie(p->r, "nt_csrf", out, NT_CSRF_LEN + 1) && token_shaped(out))
        return;
    unsigned char raw[NT_CSRF_LEN / 2];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out, NT_CSRF_LEN + 1, raw, sizeof(raw));
    char set[128];
    snprintf(set, sizeof(set), "nt_csrf=%s; Path=/; SameSite=Strict; HttpOnly", out);
    nt_resp_header(p->r, "Set-Cookie", set);
}

bool nt_form_csrf_ok(nt_req *r, const char *field)
{
    char mine[NT_CSRF_LEN + 1];
    return field != NULL && nt_req_cookie(r, "nt_csrf", mine, sizeof(mine)) && token_shaped(mine) && strlen(field) == NT_CSRF_LEN &&
           sodium_memcmp(mine, field, NT_CSRF_LEN) == 0;
}

char *nt_form_text(nt_req *r, const char *name)
{
    char *v = nt_form_field(r, name);
    if (nt_blank(v)) {
        free(v);
        v = NULL;
    }
    return v;
}

char *nt_form_field(nt_req *r, const char *name)
{
    const char *ct = nt_req_header(r, "Content-Type");
    if (ct == NULL || r->body == NULL)
        return NULL;
    if (strncasecmp(ct, "multipart/form-data", 19) == 0) { /* a text field of a form with a file */
        size_t at = 0, n = 0;
        if (!nt_multipart_part(ct, r->body, r->body_len, name, &at, &n))
            return NULL;
        char *v = nt_xmalloc(n + 1);
        memcpy(v, r->body + at, n);
        v[n] = '\0';
        return v;
    }
    if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
        return NULL;
    return nt_form_value(r->body, r->body_len, name);
}

enum MHD_Result nt_page_redirect_next(nt_req *r, const char *path, const char *next)
{
    nt_jbuf b;
    nt_jb_init(&b, 160);
    if (next != NULL && strlen(next) < 80)
        nt_html(&b, "%s?next=%u", path, next);
    else
        nt_html(&b, "%s", path);
    size_t len = 0;
    char *to = nt_jb_take(&b, &len);
    enum MHD_Result ret = nt_respond_redirect(r, 303, to ? to : path);
    free(to);
    return ret;
}

/* ---- language ---- */

void nt_page_pick_lang(nt_req *r)
{
    if (r->lang_picked)
        return;
    r->lang_picked = true;
    const char *q = nt_uri_param(&r->uri, "lang");
    if (q != NULL && (strcmp(q, "vi") == 0 || strcmp(q, "en") == 0)) {
        r->lang = q[0] == 'e' ? NT_LANG_EN : NT_LANG_VI;
        /* Kept for the next pages; not a secret, and read by no script. */
        nt_resp_header(r, "Set-Cookie",
                       q[0] == 'e' ? "nt_lang=en; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"
                                   : "nt_lang=vi; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
        return;
    }
    char lang[8];
    if (nt_req_cookie(r, "nt_lang", lang, sizeof(lang)))
        r->lang = strcmp(lang, "en") == 0 ? NT_LANG_EN : NT_LANG_VI;
}

bool nt_req_wants_page(nt_req *r)
{
    if (r->route != NULL && (r->route->flags & NT_ROUTE_PAGE))
        return true;
    if (r->target == NULL || strncmp(r->target, "/v1/", 4) == 0) /* the API answers problems as JSON */
        return false;
    const char *accept = nt_req_header(r, "Accept");
    return accept != NULL && strstr(accept, "text/html") != NULL;
}

/* ---- forms' parts, in GOV.UK's patterns ---- */

void nt_page_error_summary(nt_page *p, const char *problem, const char *field)
{
    nt_html(&p->b,
            "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div role=\"alert\">"
            "<h2 class=\"govuk-error-summary__title\">%s</h2><div class=\"govuk-error-summary__body\">"
            "<ul class=\"govuk-list govuk-error-summary__list\"><li><a href=\"#%s\">%s</a></li></ul></div></div></div>",
            L("Có vấn đề", "There is a problem"), field, problem);
}

void nt_page_input(nt_page *p, const char *name, const char *type, const char *label, const char *hint, const char *value,
                   const char *problem, const char *autocomplete, const char *extra)
{
    nt_html(&p->b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"%s\">%s</label>",
            problem ? " govuk-form-group--error" : "", name, label);
    if (hint != NULL)
        nt_html(&p->b, "<div class=\"govuk-hint\" id=\"%s-hint\">%s</div>", name, hint);
    if (problem != NULL)
        nt_html(&p->b, "<p class=\"govuk-error-message\" id=\"%s-error\"><span class=\"govuk-visually-hidden\">%s:</span> %s</p>",
                name, L("Lỗi", "Error"), problem);
    char described[80] = "";
    if (hint != NULL)
        snprintf(described, sizeof(described), "%s-hint", name);
    if (problem != NULL)
        snprintf(described + strlen(described), sizeof(described) - strlen(described), "%s%s-error", hint ? " " : "", name);
    nt_html(&p->b, "<input class=\"govuk-input%s\" id=\"%s\" name=\"%s\" type=\"%s\" value=\"%s\" autocomplete=\"%s\"",
            problem ? " govuk-input--error" : "", name, name, type, value ? value : "", autocomplete);
    if (described[0])
        nt_html(&p->b, " aria-describedby=\"%s\"", described);
    nt_html(&p->b, " %R></div>", extra ? extra : "");
}

void nt_page_textarea(nt_page *p, const char *name, const char *label, const char *hint, const char *value, const char *problem)
{
    nt_html(&p->b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"%s\">%s</label>",
            problem ? " govuk-form-group--error" : "", name, label);
    if (hint != NULL)
        nt_html(&p->b, "<div class=\"govuk-hint\" id=\"%s-hint\">%s</div>", name, hint);
    if (problem != NULL)
        nt_html(&p->b, "<p class=\"govuk-error-message\" id=\"%s-error\"><span class=\"govuk-visually-hidden\">%s:</span> %s</p>",
                name, L("Lỗi", "Error"), problem);
    nt_html(&p->b, "<textarea class=\"govuk-textarea%s\" id=\"%s\" name=\"%s\" rows=\"5\"", problem ? " govuk-textarea--error" : "",
            name, name);
    if (hint != NULL || problem != NULL)
        nt_html(&p->b, " aria-describedby=\"%s%R%R%s%R\"", hint ? name : "", hint ? "-hint" : "", hint && problem ? " " : "",
                problem ? name : "", problem ? "-error" : "");
    nt_html(&p->b, ">%s</textarea></div>", value ? value : "");
}

const char *nt_page_text(const nt_page *p, const json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    const char *s = p->r->lang == NT_LANG_EN ? nt_json_str(v, "en") : NULL;
    return s ? s : nt_json_str(v, "vi");
}

void nt_page_table_head(nt_page *p, const char *caption, const char *const *cols, size_t n)
{
    nt_html(&p->b,
            "<table class=\"govuk-table nt-table--wrap\"><caption class=\"govuk-table__caption govuk-visually-hidden\">%s</caption>"
            "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">",
            caption);
    for (size_t i = 0; i < n; i++)
        nt_html(&p->b, "<th scope=\"col\" class=\"govuk-table__header\">%s</th>", cols[i]);
    nt_html(&p->b, "</tr></thead><tbody class=\"govuk-table__body\">");
}

void nt_page_states(nt_page *p, const char *path, const nt_labels *states)
{
    nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s\">%s</a>", path, L("Tất cả", "All"));
    for (size_t i = 0; i < states->n; i++)
        nt_html(&p->b, " · <a class=\"govuk-link\" href=\"%s?state=%u\">%s</a>", path, states->v[i][0],
                L(states->v[i][1], states->v[i][2]));
    nt_html(&p->b, "</p>");
}

void nt_page_row(nt_page *p, const char *key, const char *value, const char *id)
{
    nt_html(&p->b,
            "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt><dd "
            "class=\"govuk-summary-list__value\"%R%s%R>%s</dd></div>",
            key, id ? " id=\"" : "", id ? id : "", id ? "\"" : "", value && value[0] ? value : "—");
}

void nt_page_secret(nt_page *p, const char *title, const char *secret, const char *note)
{
    nt_html(&p->b,
            "<div class=\"govuk-panel govuk-panel--confirmation\"><h2 class=\"govuk-panel__title\">%s</h2><div "
            "class=\"govuk-panel__body\"><code id=\"secret\">%s</code></div></div><p class=\"govuk-body\">%s</p>",
            title, secret, note);
}

void nt_page_next(nt_page *p, const char *path, const json_t *out)
{
    const char *next = nt_json_str(out, "next_cursor"), *state = nt_uri_param(&p->r->uri, "state");
    if (next != NULL) /* the listing's state filter kept on the next page */
        nt_html(&p->b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"%s?%R%u%Rcursor=%u\">%s</a></p>", path,
                state ? "state=" : "", state ? state : "", state ? "&amp;" : "", next, L("Trang sau", "Next page"));
}

enum MHD_Result nt_page_redirect_to(nt_req *r, const char *path, const char *id)
{
    char to[128];
    snprintf(to, sizeof(to), "%s/%s", path, id ? id : "");
    return nt_respond_redirect(r, 303, to);
}

/* ---- the layout ---- */

/* The link to this page in the other language: its path and query, lang replaced. */
static void other_language(nt_page *p, const char *lang)
{
    const char *t = p->r->target ? p->r->target : "/";
    size_t n = strcspn(t, "?");
    char path[512];
    snprintf(path, sizeof(path), "%.*s", (int)(n < 500 ? n : 500), t);
    nt_html(&p->b, "%s?", path);
    const nt_uri *u = &p->r->uri;
    for (int i = 0; i < u->nparams; i++)
        if (strcmp(u->params[i].name, "lang") != 0)
            nt_html(&p->b, "%u=%u&amp;", u->params[i].name, u->params[i].value);
    nt_html(&p->b, "lang=%s", lang);
}

void nt_page_begin(nt_page *p, nt_req *r, const char *title)
{
    p->r = r;
    p->seq = nt_svc_seq(nt_req_svc(r)); /* read before the page's own reads: kept only as of then */
    nt_jb_init(&p->b, 16384);
    nt_page_pick_lang(r);
    bool en = r->lang == NT_LANG_EN;
    nt_html(&p->b,
            "<!DOCTYPE html>\n<html lang=\"%s\" class=\"govuk-template\"><head><meta charset=\"utf-8\">"
            "<title>%s — %s</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"theme-color\" content=\"#a3141b\"><link rel=\"stylesheet\" href=\"%s\"></head>"
            "<body class=\"govuk-template__body\"><a href=\"#main\" class=\"govuk-skip-link\">%s</a>"
            "<header class=\"nt-header\"><div class=\"govuk-width-container nt-header__inner\"><div>"
            "<a class=\"nt-header__brand\" href=\"/\">niềm tin số</a><span class=\"nt-header__tagline\">%s</span></div>"
            "<nav aria-label=\"%s\"><ul class=\"nt-header__nav\">",
            en ? "en" : "vi", title, en ? "niemtin, the digital trust registry" : "niềm tin số", nt_asset_path("web.css"),
            L("Bỏ qua để tới nội dung chính", "Skip to main content"),
            L("Sổ đăng ký người có ảnh hưởng trên mạng", "The registry of online influencers"), L("Chính", "Main"));
    static const char *const nav[][3] = {{"/search", "Tìm người có ảnh hưởng", "Find an influencer"},
                                         {"/restrictions", "Hạn chế đang áp dụng", "Restrictions in force"},
                                         {"/ads", "Tra cứu quảng cáo", "Look up an ad"},
                                         {"/notices", "Thông báo", "Notices"},
                                         {"/log", "Nhật ký công khai", "Public log"}};
    for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++)
        nt_html(&p->b, "<li><a href=\"%s\">%s</a></li>", nav[i][0], L(nav[i][1], nav[i][2]));
    if (r->session != NULL && r->session->stage == NT_SESSION_FULL) {
        char token[NT_CSRF_LEN + 1];
        nt_page_csrf(p, token);
        nt_html(&p->b,
                "<li><a href=\"/console\">%s</a></li><li><form class=\"nt-header__form\" method=\"post\" action=\"/logout\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><button class=\"nt-header__button\" type=\"submit\">%s"
                "</button></form></li>",
                r->session->name, token, L("Đăng xuất", "Sign out"));
    } else {
        nt_html(&p->b, "<li><a href=\"/login\">%s</a></li>", L("Đăng nhập", "Sign in"));
    }
    nt_html(&p->b, "<li>");
    if (en) {
        nt_html(&p->b, "<a lang=\"vi\" hreflang=\"vi\" href=\"");
        other_language(p, "vi");
        nt_html(&p->b, "\">Tiếng Việt</a>");
    } else {
        nt_html(&p->b, "<a lang=\"en\" hreflang=\"en\" href=\"");
        other_language(p, "en");
        nt_html(&p->b, "\">English</a>");
    }
    nt_html(&p->b, "</li></ul></nav></div></header><div class=\"govuk-width-container\">"
                   "<main class=\"govuk-main-wrapper\" id=\"main\" tabindex=\"-1\">");
}

enum MHD_Result nt_page_end(nt_page *p, unsigned status)
{
    nt_html(
        &p->b,
        "</main></div><footer class=\"govuk-footer\"><div class=\"govuk-width-container\"><p class=\"govuk-body-s\">%s "
        "<a class=\"govuk-footer__link\" href=\"/report\">%s</a> · <a class=\"govuk-footer__link\" href=\"/openapi.json\">%s</a> · "
        "<a class=\"govuk-footer__link\" href=\"/log\">%s</a> · <a class=\"govuk-footer__link\" href=\"/transparency\">%s</a></p>"
        "</div></footer><script src=\"%s\"></script></body></html>\n",
        L("Mọi quyết định và hạn chế được ghi vào nhật ký công khai, ai cũng kiểm chứng được.",
          "Every decision and restriction is recorded in a public log anyone can verify."),
        L("Báo cáo vi phạm", "Report a concern"), L("API cho nền tảng", "API for platforms"), L("Nhật ký", "Log"),
        L("Số liệu minh bạch", "Transparency"), nt_asset_path("web.js"));
    size_t len = 0;
    char *html = nt_jb_take(&p->b, &len);
    if (html == NULL)
        return MHD_NO;
    p->r->page = true; /* the page's security headers (respond.c) */
    /* A signed-in user's page (their work, a secret shown once) is kept by no cache, the browser's
     * history included. */
    nt_resp_header(p->r, "Cache-Control", p->r->session != NULL ? "private, no-store" : "no-cache");
    if (status == 200 && !p->private && p->r->session == NULL && p->r->route != NULL && (p->r->route->flags & NT_ROUTE_PAGE) &&
        strcmp(p->r->method, "GET") == 0)
        page_keep(p->r, p->seq, html, len);
    return nt_respond_bytes(p->r, status, "text/html; charset=utf-8", html, len, false);
}
