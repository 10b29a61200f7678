/* Advertisers and the category rules; see ads.h. */
#include "service/ads.h"
#include "service/webhooks.h"
#include "core/ads.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include <stdlib.h>
#include <string.h>

static const nt_field register_spec[] = {
    {"enterprise_code", NT_FT_STR, NT_F_REQUIRED, 10, 14, 0},
    {"name", NT_FT_STR, NT_F_REQUIRED, 1, 300, 0},
};

static const nt_field status_spec[] = {
    {"reason", NT_FT_STR, NT_F_REQUIRED, 1, 2000, 0},
    {"legal_basis", NT_FT_STR, NT_F_REQUIRED, 3, 500, 0},
};

static int conflict(nt_err *err, const json_t *existing, const char *en, const char *vi)
{
    nt_err_set(err, NT_ECONFLICT, en, vi, nt_json_str(existing, "id"));
    nt_strlcpy(err->conflict_id, nt_json_str(existing, "id"), sizeof(err->conflict_id));
    return NT_ECONFLICT;
}

int nt_svc_advertiser_register(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, register_spec, sizeof(register_spec) / sizeof(register_spec[0]), "", err) != 0)
        return NT_EINVAL;
    const char *code = nt_json_str(in, "enterprise_code");
    if (!nt_enterprise_code_valid(code))
        return nt_err_field(err, "enterprise_code", "invalid", 0);
    json_t *mine = nt__svc_q1(svc, "advertiser.by_org", json_pack("[s]", who->org_id));
    if (mine != NULL) {
        int rc = conflict(err, mine, "this organisation is registered already as advertiser %s",
                          "tổ chức này đã đăng ký là nhà quảng cáo %s");
        json_decref(mine);
        return rc;
    }
    json_t *same = nt__svc_q1(svc, "advertiser.by_code", json_pack("[s]", code));
    if (same != NULL) {
        int rc = conflict(err, same, "enterprise code registered already by advertiser %s",
                          "mã số doanh nghiệp đã được nhà quảng cáo %s đăng ký");
        json_decref(same);
        return rc;
    }
    char id[NT_ID_LEN];
    nt_id_new("a", id, sizeof(id));
    char *name = nt_text_nfc(nt_json_str(in, "name"));
    if (name == NULL)
        return nt_err_field(err, "name", "invalid", 0);
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "org_id", who->org_id, "enterprise_code", code, "name", name,
                            "status", "active", "created_at", w->at, "updated_at", w->at);
    nt_write wr = {NT_WRITE_INSERT, "advertisers", id, row, NULL, NULL, "advertiser", "advertiser.register"};
    json_t *res = json_deep_copy(row);
    json_object_set_new(res, "id", json_string(id));
    char *replay = json_dumps(res, JSON_COMPACT);
    w->idem_response = replay;
    w->idem_status = 201;
    int rc = svc->store->ops->write(svc->store, w, &wr, 1, err);
    free(replay);
    w->idem_response = NULL;
    json_decref(row);
    json_decref(res);
    free(name);
    if (rc == NT_ECONFLICT)
        return nt_err_set(err, NT_ECONFLICT, "registered meanwhile", "vừa được đăng ký");
    return rc != 0 ? rc : nt_svc_advertiser_get(svc, id, out, err);
}

int nt_svc_advertiser_get(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *a = nt__svc_q1(svc, "advertiser.get", json_pack("[s]", id));
    if (a == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no advertiser %s", "không có nhà quảng cáo %s", id);
    json_object_del(a, "status_by"); /* the regulator's key id stays internal */
    *out = a;
    return 0;
}

/* A public page of a named read by id, without the column that names a regulator's key. */
static int public_page(nt_svc *svc, const char *query, const char *hidden, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    json_t *rows = nt__svc_q(svc, query, json_pack("[s, i]", after, limit));
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) json_object_del(r, hidden);
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
}

int nt_svc_advertiser_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    return public_page(svc, "advertisers.page", "status_by", cursor, limit, out, err);
}

int nt_svc_advertiser_status(nt_svc *svc, nt_wctx *w, const char *id, bool suspend, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, status_spec, sizeof(status_spec) / sizeof(status_spec[0]), "", err) != 0)
        return NT_EINVAL;
    json_t *a = nt__svc_q1(svc, "advertiser.get", json_pack("[s]", id));
    if (a == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no advertiser %s", "không có nhà quảng cáo %s", id);
    const char *from = suspend ? "active" : "suspended", *to = suspend ? "suspended" : "active";
    bool ok = strcmp(nt_json_str(a, "status"), from) == 0;
    json_decref(a);
    if (!ok)
        return nt_err_set(err, NT_ECONFLICT, "advertiser %s is %s already", "nhà quảng cáo %s đã ở trạng thái %s", id, to);
    json_t *set =
        json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s}", "status", to, "status_reason", nt_json_str(in, "reason"), "status_legal_basis",
                  nt_json_str(in, "legal_basis"), "status_by", w->key_id, "status_at", w->at, "updated_at", w->at);
    nt_write wr = {NT_WRITE_UPDATE, "advertisers", id,           set,
                   "status",        from,          "advertiser", suspend ? "advertiser.suspend" : "advertiser.reinstate"};
    int rc = svc->store->ops->write(svc->store, w, &wr, 1, err);
    json_decref(set);
    if (rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "advertiser %s changed meanwhile", "nhà quảng cáo %s vừa thay đổi", id);
    return rc != 0 ? rc : nt_svc_advertiser_get(svc, id, out, err);
}

int nt_svc_ad_categories(json_t **out, nt_err *err)
{
    const json_t *t = nt_ad_categories();
    if (t == NULL)
        return nt_err_set(err, NT_EIO, "the category rules are missing", "thiếu bảng quy tắc ngành hàng");
    *out = json_deep_copy(t);
    return 0;
}

/* ---- products and their documents ---- */

static const nt_field product_spec[] = {
    {"name", NT_FT_STR, NT_F_REQUIRED, 1, 300, 0},
    {"category", NT_FT_STR, NT_F_REQUIRED, 1, 64, 0},
    {"documents", NT_FT_OBJ_ARRAY, NT_F_NULLABLE, 0, 20, 0},
};

static const nt_field document_spec[] = {
    {"type", NT_FT_STR, NT_F_REQUIRED, 1, 64, 0},        {"number", NT_FT_STR, NT_F_REQUIRED, 1, 100, 0},
    {"issuer", NT_FT_STR, NT_F_REQUIRED, 1, 300, 0},     {"valid_from", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"valid_until", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0}, {"sha256", NT_FT_STR, NT_F_REQUIRED, 64, 64, 0},
};

static bool hex64(const char *s)
{
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[64] == '\0';
}

/* One document of a product body into a row; field errors named documents[i].… */
static json_t *document_row(const json_t *in, size_t i, const char *product_id, const char *at, nt_err *err)
{
    char prefix[48], f[80];
    snprintf(prefix, sizeof(prefix), "documents[%zu].", i);
    if (nt_schema_check(in, document_spec, sizeof(document_spec) / sizeof(document_spec[0]), prefix, err) != 0)
        return NULL;
    const json_t *types = json_object_get(nt_ad_categories(), "document_types");
    if (json_object_get(types, nt_json_str(in, "type")) == NULL) {
        snprintf(f, sizeof(f), "%stype", prefix);
        nt_err_field(err, f, "invalid", 0);
    }
    int64_t from = 0, until = 0;
    char s_from[NT_TIME_LEN], s_until[NT_TIME_LEN];
    if (nt_time_parse(nt_json_str(in, "valid_from"), &from) != 0) {
        snprintf(f, sizeof(f), "%svalid_from", prefix);
        nt_err_field(err, f, "invalid", 0);
    }
    const char *u = nt_json_str(in, "valid_until");
    if (u != NULL && (nt_time_parse(u, &until) != 0 || until <= from)) {
        snprintf(f, sizeof(f), "%svalid_until", prefix);
        nt_err_field(err, f, "invalid", 0);
    }
    if (!hex64(nt_json_str(in, "sha256"))) {
        snprintf(f, sizeof(f), "%ssha256", prefix);
        nt_err_field(err, f, "invalid", 0);
    }
    if (err->nfields > 0)
        return NULL;
    nt_time_utc(from, s_from);
    if (u != NULL)
        nt_time_utc(until, s_until);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s}", "product_id", product_id, "type", nt_json_str(in, "type"),
                     "number", nt_json_str(in, "number"), "issuer", nt_json_str(in, "issuer"), "valid_from", s_from, "valid_until",
                     u ? s_until : NULL, "sha256", nt_json_str(in, "sha256"), "created_at", at);
}

int nt_svc_product_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, product_spec, sizeof(product_spec) / sizeof(product_spec[0]), "", err) != 0)
        return NT_EINVAL;
    if (nt_ad_category(nt_json_str(in, "category")) == NULL)
        return nt_err_field(err, "category", "invalid", 0);
    json_t *adv = nt__svc_q1(svc, "advertiser.by_org", json_pack("[s]", who->org_id));
    if (adv == NULL)
        return nt_err_set(err, NT_ECONFLICT, "register the business first: POST /v1/advertisers",
                          "hãy đăng ký doanh nghiệp trước: POST /v1/advertisers");
    char id[NT_ID_LEN];
    nt_id_new("g", id, sizeof(id));
    const json_t *docs = json_object_get(in, "documents");
    size_t n = json_array_size(docs), i;
    nt_rowset rs = {0};
    char *name = nt_text_nfc(nt_json_str(in, "name"));
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s}", "advertiser_id", nt_json_str(adv, "id"), "name", name ? name : "",
                            "category", nt_json_str(in, "category"), "created_at", w->at, "updated_at", w->at);
    free(name);
    json_decref(adv);
    nt_rowset_add(&rs, (nt_write){NT_WRITE_INSERT, "products", id, NULL, NULL, NULL, "product", "product.create"}, row);
    for (i = 0; i < n; i++) {
        json_t *d = document_row(json_array_get(docs, i), i, id, w->at, err);
        if (d == NULL)
            continue;
        char did[NT_ID_LEN];
        nt_id_new("y", did, sizeof(did));
        nt_rowset_add(&rs, (nt_write){NT_WRITE_INSERT, "product_documents", did, NULL, NULL, NULL, NULL, NULL}, d);
    }
    int rc = err->nfields > 0 ? NT_EINVAL : nt_rowset_write(svc, w, NULL, 0, &rs, err);
    nt_rowset_free(&rs);
    return rc != 0 ? rc : nt_svc_product_get(svc, id, out, err);
}

int nt_svc_product_get(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *p = nt__svc_q1(svc, "product.get", json_pack("[s]", id));
    if (p == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no product %s", "không có sản phẩm %s", id);
    json_object_del(p, "recalled_by");
    json_t *docs = nt__svc_q(svc, "product.documents", json_pack("[s]", id));
    json_object_set_new(p, "documents", docs ? docs : json_array());
    const json_t *cat = nt_ad_category(nt_json_str(p, "category"));
    json_object_set_new(p, "advertisable", json_boolean(json_is_true(json_object_get(cat, "advertisable"))));
    json_object_set(p, "disclaimers", json_object_get(cat, "disclaimers"));
    *out = p;
    return 0;
}

int nt_svc_product_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    return public_page(svc, "products.page", "recalled_by", cursor, limit, out, err);
}

static const nt_field recall_spec[] = {
    {"reason", NT_FT_STR, NT_F_REQUIRED, 1, 2000, 0},
    {"source", NT_FT_STR, NT_F_REQUIRED, 1, 500, 0},
};

int nt_svc_product_recall(nt_svc *svc, nt_wctx *w, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, recall_spec, sizeof(recall_spec) / sizeof(recall_spec[0]), "", err) != 0)
        return NT_EINVAL;
    json_t *p = nt__svc_q1(svc, "product.get", json_pack("[s]", id));
    if (p == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no product %s", "không có sản phẩm %s", id);
    bool recalled = !json_is_null(json_object_get(p, "recalled_at"));
    json_decref(p);
    if (recalled)
        return nt_err_set(err, NT_ECONFLICT, "product %s is recalled already", "sản phẩm %s đã bị thu hồi", id);
    json_t *set = json_pack("{s:s, s:s, s:s, s:s?, s:s}", "recalled_at", w->at, "recall_reason", nt_json_str(in, "reason"),
                            "recall_source", nt_json_str(in, "source"), "recalled_by", w->key_id, "updated_at", w->at);
    nt_write wr = {NT_WRITE_UPDATE, "products", id, set, "recalled_at", NULL, "product", "product.recall"};
    int rc = svc->store->ops->write(svc->store, w, &wr, 1, err);
    json_decref(set);
    if (rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "product %s is recalled already", "sản phẩm %s đã bị thu hồi", id);
    return rc != 0 ? rc : nt_svc_product_get(svc, id, out, err);
}

int nt_svc_product_checks(nt_svc *svc, const char *id, const char *from, const char *to, json_t **out, nt_err *err)
{
    int64_t f = nt_now_us(), t = 0;
    if (from != NULL && nt_time_parse(from, &f) != 0)
        return nt_err_field(err, "from", "invalid", 0);
    t = f;
    if (to != NULL && (nt_time_parse(to, &t) != 0 || t < f))
        return nt_err_field(err, "to", "invalid", 0);
    json_t *p = nt__svc_q1(svc, "product.get", json_pack("[s]", id));
    if (p == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no product %s", "không có sản phẩm %s", id);
    json_t *docs = nt__svc_q(svc, "product.documents", json_pack("[s]", id));
    bool ok = false;
    json_t *checks =
        nt_ad_product_checks(nt_ad_category(nt_json_str(p, "category")), docs, nt_json_str(p, "recalled_at"), f, t, &ok);
    char s_from[NT_TIME_LEN], s_to[NT_TIME_LEN];
    nt_time_utc(f, s_from);
    nt_time_utc(t, s_to);
    *out = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "product_id", id, "category", nt_json_str(p, "category"), "from_at", s_from,
                     "to_at", s_to, "ok", ok, "checks", checks);
    json_decref(docs);
    json_decref(p);
    return 0;
}
