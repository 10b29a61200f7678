/* Notice feeds, rendered once and kept until a notice changes; see feeds.h. */
#include "service/feeds.h"
#include "core/alloc.h"
#include "core/notices.h"
#include "core/schema.h"
#include "core/util.h"
#include "service/query.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nt__notice_url(const nt_svc *svc, const char *id, const char *suffix, char *out, size_t cap)
{
    snprintf(out, cap, "%s/v1/notices/%s%s", svc->public_url, id, suffix);
}

json_t *nt__notice_doc(json_t *n)
{
    json_object_set_new(n, "content", json_loads(nt_json_str(n, "content"), 0, NULL));
    return n;
}

struct nt_feed_cache {
    int n;
    struct {
        char key[96];
        nt_feed_body *body; /* one reference held here */
    } e[64];
};

void nt_svc_feed_release(nt_feed_body *b)
{
    if (b != NULL && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0)
        free(b);
}

void nt_svc_notice_feeds_drop(nt_svc *svc)
{
    pthread_mutex_lock(&svc->status_lock);
    struct nt_feed_cache *c = svc->feeds;
    svc->feeds = NULL;
    pthread_mutex_unlock(&svc->status_lock);
    for (int i = 0; c != NULL && i < c->n; i++)
        nt_svc_feed_release(c->e[i].body); /* answers still being sent keep theirs */
    free(c);
}

static char *render_feed(nt_svc *svc, bool atom, const char *topic, const char *province, size_t *len)
{
    json_t *rows = nt__svc_q(svc, NT_Q_notices_feed, json_pack("[s?, s?, i]", topic, province, 100));
    char self[900], title[300], updated[NT_TIME_LEN] = "";
    snprintf(self, sizeof(self), "%s/v1/feeds/notices.%s%s%s%s%s%s", svc->public_url, atom ? "atom" : "json",
             topic || province ? "?" : "", topic ? "topic=" : "", topic ? topic : "", topic && province ? "&" : "",
             province ? "province=" : "");
    if (province != NULL)
        strncat(self, province, sizeof(self) - strlen(self) - 1);
    snprintf(title, sizeof(title), "Thông báo đã kiểm chứng%s%s%s%s", topic ? " · " : "", topic ? topic : "", province ? " · " : "",
             province ? nt_json_str(json_object_get(nt_province(province), "name"), "vi") : "");
    if (json_array_size(rows) > 0)
        nt_time_show(nt_json_str(json_array_get(rows, 0), "updated_at"), updated);
    else
        nt_time_local(nt_now_us(), updated);
    char *out = NULL;
    size_t i;
    json_t *r;
    if (atom) {
        nt_jbuf b;
        nt_jb_init(&b, 16384);
        nt_jb_lit(&b,
                  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\"><id>");
        nt_jb_xml(&b, self);
        nt_jb_lit(&b, "</id><title>");
        nt_jb_xml(&b, title);
        nt_jb_lit(&b, "</title><updated>");
        nt_jb_xml(&b, updated);
        nt_jb_lit(&b, "</updated><link rel=\"self\" href=\"");
        nt_jb_xml(&b, self);
        nt_jb_lit(&b, "\"/><author><name>niemtin</name></author>");
        json_array_foreach(rows, i, r)
        {
            char url[700];
            nt__notice_url(svc, nt_json_str(r, "id"), "", url, sizeof(url));
            json_t *doc = nt__notice_doc(json_incref(r));
            nt_notice_atom_entry(&b, doc, url);
            json_decref(doc);
        }
        nt_jb_lit(&b, "</feed>\n");
        out = nt_jb_take(&b, len);
    } else {
        json_t *items = json_array();
        json_array_foreach(rows, i, r)
        {
            char url[700];
            nt__notice_url(svc, nt_json_str(r, "id"), "", url, sizeof(url));
            json_t *doc = nt__notice_doc(json_incref(r));
            json_array_append_new(items, nt_notice_jsonfeed_item(doc, url));
            json_decref(doc);
        }
        json_t *feed = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "version", "https://jsonfeed.org/version/1.1", "title", title,
                                 "home_page_url", svc->public_url, "feed_url", self, "language", "vi", "items", items);
        out = json_dumps(feed, JSON_COMPACT);
        *len = out ? strlen(out) : 0;
        json_decref(feed);
    }
    json_decref(rows);
    return out;
}

int nt_svc_notice_feed(nt_svc *svc, const char *format, const char *topic, const char *province, nt_feed_body **out, nt_err *err)
{
    if (topic != NULL && !nt_notice_topic_known(topic))
        nt_err_field(err, "topic", "invalid", 0);
    if (province != NULL && nt_province(province) == NULL)
        nt_err_field(err, "province", "invalid", 0);
    if (err->nfields > 0)
        return NT_EINVAL;
    bool atom = strcmp(format, "atom") == 0;
    char key[96];
    snprintf(key, sizeof(key), "%s|%s|%s", format, topic ? topic : "", province ? province : "");
    pthread_mutex_lock(&svc->status_lock);
    for (int i = 0; svc->feeds != NULL && i < svc->feeds->n; i++)
        if (strcmp(svc->feeds->e[i].key, key) == 0) {
            *out = svc->feeds->e[i].body;
            __atomic_add_fetch(&(*out)->refs, 1, __ATOMIC_RELAXED);
            pthread_mutex_unlock(&svc->status_lock);
            return 0;
        }
    pthread_mutex_unlock(&svc->status_lock);
    size_t len = 0;
    char *text = render_feed(svc, atom, topic, province, &len);
    if (text == NULL)
        return nt_err_set(err, NT_EIO, "cannot render the feed", "không tạo được nguồn tin");
    nt_feed_body *b = nt_xmalloc(sizeof(*b) + len + 1);
    b->refs = 1;
    b->len = len;
    memcpy(b->data, text, len + 1);
    free(text);
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)b->data, len);
    sodium_bin2hex(hex, sizeof(hex), h, 16);
    snprintf(b->etag, sizeof(b->etag), "\"%s\"", hex);
    pthread_mutex_lock(&svc->status_lock);
    if (svc->feeds == NULL)
        svc->feeds = nt_xcalloc(1, sizeof(*svc->feeds));
    if (svc->feeds->n < 64) { /* more than 64 feeds asked for between two changes: the rest are rendered each time */
        int i = svc->feeds->n++;
        nt_strlcpy(svc->feeds->e[i].key, key, sizeof(svc->feeds->e[i].key));
        svc->feeds->e[i].body = b;
        b->refs++; /* the cache's */
    }
    pthread_mutex_unlock(&svc->status_lock);
    *out = b;
    return 0;
}
