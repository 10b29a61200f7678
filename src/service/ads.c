/* Advertisers and the category rules; see ads.h. */
#include "core/alloc.h"
#include "service/ads.h"
#include "service/commit.h"
#include "service/runtime.h"
#include "service/check.h"
#include "service/webhooks.h"
#include "core/ads.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include "log/entry.h"
#include "service/query.h"
#include "service/registry.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    json_t *mine = nt__svc_q1(svc, NT_Q_advertiser_by_org, json_pack("[s]", who->org_id));
    if (mine != NULL) {
        int rc = conflict(err, mine, "this organisation is registered already as advertiser %s",
                          "tổ chức này đã đăng ký là nhà quảng cáo %s");
        json_decref(mine);
        return rc;
    }
    json_t *same = nt__svc_q1(svc, NT_Q_advertiser_by_code, json_pack("[s]", code));
    if (same != NULL) {
        int rc = conflict(err, same, "enterprise code registered already by advertiser %s",
                          "mã số doanh nghiệp đã được nhà quảng cáo %s đăng ký");
        json_decref(same);
        return rc;
    }
    char id[NT_ID_LEN];
    nt_id_new("adv_", id, sizeof(id));
    char *name = nt_text_nfc(nt_json_str(in, "name"));
    if (name == NULL)
        return nt_err_field(err, "name", "invalid", 0);
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_advertisers, id, "advertiser", "advertiser.register", 0);
    nt_row_str(row, COL(advertisers, org_id), who->org_id);
    nt_row_str(row, COL(advertisers, enterprise_code), code);
    nt_row_str(row, COL(advertisers, name), name);
    nt_row_str(row, COL(advertisers, status), "active");
    nt_row_str(row, COL(advertisers, created_at), w->at);
    nt_row_str(row, COL(advertisers, updated_at), w->at);
    json_t *res = nt_row_object(row);
    json_object_set_new(res, "id", json_string(id));
    nt_tx_answer(&tx, res, true);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    json_decref(res);
    free(name);
    if (rc == NT_ECONFLICT)
        return nt_err_set(err, NT_ECONFLICT, "registered meanwhile", "vừa được đăng ký");
    return rc != 0 ? rc : nt_svc_advertiser_get(svc, id, out, err);
}

int nt_svc_advertiser_get(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *a = nt__svc_q1(svc, NT_Q_advertiser_get, json_pack("[s]", id));
    if (a == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no advertiser %s", "không có nhà quảng cáo %s", id);
    json_object_del(a, "status_by"); /* the regulator's key id stays internal */
    *out = a;
    return 0;
}

/* A public page of a named read by id, without the column that names a regulator's key. */
static int public_page(nt_svc *svc, nt_query query, const char *hidden, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    json_t *rows = nt__svc_q(svc, query, json_pack("[s, i]", after, limit));
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        json_object_del(r, hidden);
        json_object_del(r, "recall_lifted_by");
    }
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
}

int nt_svc_advertiser_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    return public_page(svc, NT_Q_advertisers_page, "status_by", cursor, limit, out, err);
}

int nt_svc_advertiser_status(nt_svc *svc, nt_wctx *w, const char *id, bool suspend, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, status_spec, sizeof(status_spec) / sizeof(status_spec[0]), "", err) != 0)
        return NT_EINVAL;
    json_t *a = nt__svc_q1(svc, NT_Q_advertiser_get, json_pack("[s]", id));
    if (a == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no advertiser %s", "không có nhà quảng cáo %s", id);
    const char *from = suspend ? "active" : "suspended", *to = suspend ? "suspended" : "active";
    bool ok = strcmp(nt_json_str(a, "status"), from) == 0;
    json_decref(a);
    if (!ok)
        return nt_err_set(err, NT_ECONFLICT, "advertiser %s is %s already", "nhà quảng cáo %s đã ở trạng thái %s", id, to);
    nt_tx tx = {0};
    nt_row *set = nt_tx_update(&tx, NT_T_advertisers, id, COL(advertisers, status), from, "advertiser",
                               suspend ? "advertiser.suspend" : "advertiser.reinstate",
                               suspend ? NT_LOG_ADVERTISER_SUSPENDED : NT_LOG_ADVERTISER_REINSTATED);
    nt_row_str(set, COL(advertisers, status), to);
    nt_row_str(set, COL(advertisers, status_reason), nt_json_str(in, "reason"));
    nt_row_str(set, COL(advertisers, status_legal_basis), nt_json_str(in, "legal_basis"));
    nt_row_str(set, COL(advertisers, status_by), w->key_id);
    nt_row_str(set, COL(advertisers, status_at), w->at);
    nt_row_str(set, COL(advertisers, updated_at), w->at);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "advertiser %s changed meanwhile", "nhà quảng cáo %s vừa thay đổi", id);
    if (rc != 0)
        return rc;
    nt_svc_ads_reconcile(svc); /* its ads stop (or resume) now, not at the runtime's next round */
    return nt_svc_advertiser_get(svc, id, out, err);
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

/* One document into its row of the write, its field errors named prefix… ("documents[i]." in a
 * product body); logged as log_type when that is not 0. */
static void document_row(nt_tx *tx, const json_t *in, const char *prefix, const char *product_id, const char *supersedes,
                         int log_type, const char *at, char did[NT_ID_LEN], nt_err *err)
{
    char f[80];
    if (nt_schema_check(in, document_spec, sizeof(document_spec) / sizeof(document_spec[0]), prefix, err) != 0)
        return;
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
        return;
    nt_time_utc(from, s_from);
    if (u != NULL)
        nt_time_utc(until, s_until);
    nt_id_new("doc_", did, NT_ID_LEN);
    nt_row *row = log_type ? nt_tx_insert(tx, NT_T_product_documents, did, "product", "product.document_add", log_type)
                           : nt_tx_insert(tx, NT_T_product_documents, did, NULL, NULL, 0);
    nt_row_str(row, COL(product_documents, supersedes), supersedes);
    nt_row_str(row, COL(product_documents, product_id), product_id);
    nt_row_str(row, COL(product_documents, type), nt_json_str(in, "type"));
    nt_row_str(row, COL(product_documents, number), nt_json_str(in, "number"));
    nt_row_str(row, COL(product_documents, issuer), nt_json_str(in, "issuer"));
    nt_row_str(row, COL(product_documents, valid_from), s_from);
    nt_row_str(row, COL(product_documents, valid_until), u ? s_until : NULL);
    nt_row_str(row, COL(product_documents, sha256), nt_json_str(in, "sha256"));
    nt_row_str(row, COL(product_documents, created_at), at);
}

int nt_svc_product_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, product_spec, sizeof(product_spec) / sizeof(product_spec[0]), "", err) != 0)
        return NT_EINVAL;
    if (nt_ad_category(nt_json_str(in, "category")) == NULL)
        return nt_err_field(err, "category", "invalid", 0);
    json_t *adv = nt__svc_q1(svc, NT_Q_advertiser_by_org, json_pack("[s]", who->org_id));
    if (adv == NULL)
        return nt_err_set(err, NT_ECONFLICT, "register the business first: POST /v1/advertisers",
                          "hãy đăng ký doanh nghiệp trước: POST /v1/advertisers");
    char id[NT_ID_LEN];
    nt_id_new("prd_", id, sizeof(id));
    const json_t *docs = json_object_get(in, "documents");
    size_t n = json_array_size(docs), i;
    nt_tx tx = {0};
    char *name = nt_text_nfc(nt_json_str(in, "name"));
    nt_row *row = nt_tx_insert(&tx, NT_T_products, id, "product", "product.create", 0);
    nt_row_str(row, COL(products, advertiser_id), nt_json_str(adv, "id"));
    nt_row_str(row, COL(products, name), name ? name : "");
    nt_row_str(row, COL(products, category), nt_json_str(in, "category"));
    nt_row_str(row, COL(products, created_at), w->at);
    nt_row_str(row, COL(products, updated_at), w->at);
    free(name);
    json_decref(adv);
    tx.created = true;
    for (i = 0; i < n; i++) {
        char prefix[48], did[NT_ID_LEN];
        snprintf(prefix, sizeof(prefix), "documents[%zu].", i);
        document_row(&tx, json_array_get(docs, i), prefix, id, NULL, 0, w->at, did, err);
    }
    int rc = err->nfields > 0 ? NT_EINVAL : nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    return rc != 0 ? rc : nt_svc_product_get(svc, id, out, err);
}

int nt_svc_product_get(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *p = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", id));
    if (p == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no product %s", "không có sản phẩm %s", id);
    json_object_del(p, "recalled_by"); /* regulators' key ids stay internal */
    json_object_del(p, "recall_lifted_by");
    json_t *docs = nt__svc_q(svc, NT_Q_product_documents, json_pack("[s]", id));
    json_object_set_new(p, "documents", docs ? docs : json_array());
    const json_t *cat = nt_ad_category(nt_json_str(p, "category"));
    json_object_set_new(p, "advertisable", json_boolean(json_is_true(json_object_get(cat, "advertisable"))));
    json_object_set(p, "disclaimers", json_object_get(cat, "disclaimers"));
    *out = p;
    return 0;
}

int nt_svc_product_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    return public_page(svc, NT_Q_products_page, "recalled_by", cursor, limit, out, err);
}

int nt_svc_advertiser_mine(nt_svc *svc, const nt_actor *who, json_t **out, nt_err *err)
{
    json_t *adv = nt__svc_q1(svc, NT_Q_advertiser_by_org, json_pack("[s]", who->org_id));
    if (adv == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "your organisation has not registered its business: POST /v1/advertisers",
                          "tổ chức của bạn chưa đăng ký doanh nghiệp: POST /v1/advertisers");
    *out = adv;
    return 0;
}

int nt_svc_products_mine(nt_svc *svc, const nt_actor *who, json_t **out, nt_err *err)
{
    json_t *rows = nt__svc_q(svc, NT_Q_products_of_org, json_pack("[s]", who->org_id));
    if (rows == NULL)
        return nt_err_set(err, NT_EIO, "cannot read the products", "không đọc được sản phẩm");
    *out = json_pack("{s:o}", "items", rows);
    return 0;
}

static const nt_field recall_spec[] = {
    {"reason", NT_FT_STR, NT_F_REQUIRED, 1, 2000, 0},
    {"source", NT_FT_STR, NT_F_REQUIRED, 1, 500, 0},
};

void nt__product_recall_rows(nt_tx *tx, const nt_wctx *w, const char *id, const char *reason, const char *source)
{
    nt_row *set =
        nt_tx_update(tx, NT_T_products, id, COL(products, recalled_at), NULL, "product", "product.recall", NT_LOG_PRODUCT_RECALLED);
    nt_row_str(set, COL(products, recalled_at), w->at);
    nt_row_str(set, COL(products, recall_reason), reason);
    nt_row_str(set, COL(products, recall_source), source);
    nt_row_str(set, COL(products, recalled_by), w->key_id);
    nt_row_str(set, COL(products, updated_at), w->at);
}

int nt_svc_product_recall(nt_svc *svc, nt_wctx *w, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, recall_spec, sizeof(recall_spec) / sizeof(recall_spec[0]), "", err) != 0)
        return NT_EINVAL;
    json_t *p = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", id));
    if (p == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no product %s", "không có sản phẩm %s", id);
    bool recalled = !json_is_null(json_object_get(p, "recalled_at"));
    json_decref(p);
    if (recalled)
        return nt_err_set(err, NT_ECONFLICT, "product %s is recalled already", "sản phẩm %s đã bị thu hồi", id);
    nt_tx tx = {0};
    nt__product_recall_rows(&tx, w, id, nt_json_str(in, "reason"), nt_json_str(in, "source"));
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "product %s is recalled already", "sản phẩm %s đã bị thu hồi", id);
    if (rc == 0)
        rc = nt_svc_product_get(svc, id, out, err);
    if (rc != 0)
        return rc;
    /* Its ads stop now, not at the next round of the runtime; the regulator gets the list of ads
     * and influencers affected. */
    nt_svc_ads_reconcile(svc);
    json_t *affected = NULL;
    nt_err ignored;
    nt_err_clear(&ignored);
    if (nt_svc_product_affected(svc, id, &affected, &ignored) == 0)
        json_object_set_new(*out, "affected", affected);
    return 0;
}

int nt_svc_product_checks(nt_svc *svc, const char *id, const char *from, const char *to, json_t **out, nt_err *err)
{
    int64_t f = nt_now_us(), t = 0;
    if (from != NULL && nt_time_parse(from, &f) != 0)
        return nt_err_field(err, "from", "invalid", 0);
    t = f;
    if (to != NULL && (nt_time_parse(to, &t) != 0 || t < f))
        return nt_err_field(err, "to", "invalid", 0);
    json_t *p = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", id));
    if (p == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no product %s", "không có sản phẩm %s", id);
    json_t *docs = nt__svc_q(svc, NT_Q_product_documents, json_pack("[s]", id));
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

/* An offer's event, for its parties' subscriptions (service/webhooks.c): the offer as it now is. */
static void offer_event(nt_svc *svc, nt_tx *tx, const char *event, const char *offer_id, const char *advertiser_id,
                        const char *person_id, const char *product_id, const char *at)
{
    json_t *adv = nt__svc_q1(svc, NT_Q_advertiser_get, json_pack("[s]", advertiser_id));
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "offer_id", offer_id, "advertiser_id", advertiser_id, "person_id",
                             person_id, "product_id", product_id, "advertiser_org", adv ? nt_json_str(adv, "org_id") : NULL);
    nt_webhook_enqueue(svc, tx, event, data, at);
    json_decref(data);
    json_decref(adv);
}

/* ---- offers, and the ads they register ---- */

static const nt_field offer_spec[] = {
    {"person_id", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"product_id", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"claims", NT_FT_STR, NT_F_REQUIRED, 1, 5000, 0},
    {"start", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"end", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"platforms", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, 7, 20},
    {"fee_vnd", NT_FT_INT, NT_F_REQUIRED, 0, 1000000000000LL, 0},
    {"relationship", NT_FT_STR, NT_F_NULLABLE, 1, 1000, 0},
};

/* What the influencer confirms, each recorded with its time. */
static const char *const confirmations[] = {"used_or_understands_product", "claims_match_documents", "will_label_as_advertising",
                                            "relationship_disclosed", NULL};

int nt_svc_offer_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, offer_spec, sizeof(offer_spec) / sizeof(offer_spec[0]), "", err) != 0)
        return NT_EINVAL;
    int64_t from = 0, to = 0;
    if (nt_time_parse(nt_json_str(in, "start"), &from) != 0)
        nt_err_field(err, "start", "invalid", 0);
    if (nt_time_parse(nt_json_str(in, "end"), &to) != 0 || to <= from)
        nt_err_field(err, "end", "invalid", 0);
    json_t *adv = nt__svc_q1(svc, NT_Q_advertiser_by_org, json_pack("[s]", who->org_id));
    json_t *product = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", nt_json_str(in, "product_id")));
    json_t *person = nt__svc_q1(svc, NT_Q_person_exists, json_pack("[s]", nt_json_str(in, "person_id")));
    /* A category that may not be advertised is refused here, before anyone is asked. */
    const json_t *cat = product ? nt_ad_category(nt_json_str(product, "category")) : NULL;
    int rc = 0;
    if (adv == NULL)
        rc = nt_err_set(err, NT_ECONFLICT, "register the business first: POST /v1/advertisers",
                        "hãy đăng ký doanh nghiệp trước: POST /v1/advertisers");
    else if (product == NULL || strcmp(nt_json_str(product, "advertiser_id"), nt_json_str(adv, "id")) != 0)
        rc = nt_err_field(err, "product_id", "not_found", 0); /* only its own products */
    else if (!json_is_true(json_object_get(cat, "advertisable")))
        rc = nt_err_field(err, "product_id", "category_banned", 0);
    if (person == NULL && rc != NT_ECONFLICT)
        rc = nt_err_field(err, "person_id", "not_found", 0);
    if (rc == 0 && err->nfields > 0)
        rc = NT_EINVAL;
    if (rc != 0) {
        json_decref(adv);
        json_decref(product);
        json_decref(person);
        return rc;
    }
    char id[NT_ID_LEN], s_from[NT_TIME_LEN], s_to[NT_TIME_LEN];
    nt_id_new("ofr_", id, sizeof(id));
    nt_time_utc(from, s_from);
    nt_time_utc(to, s_to);
    json_t *platforms = json_object_get(in, "platforms");
    platforms = platforms ? json_incref(platforms) : json_array();
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_offers, id, "offer", "offer.send", 0);
    nt_row_str(row, COL(offers, advertiser_id), nt_json_str(adv, "id"));
    nt_row_str(row, COL(offers, person_id), nt_json_str(in, "person_id"));
    nt_row_str(row, COL(offers, product_id), nt_json_str(in, "product_id"));
    nt_row_str(row, COL(offers, claims), nt_json_str(in, "claims"));
    nt_row_str(row, COL(offers, start_at), s_from);
    nt_row_str(row, COL(offers, end_at), s_to);
    nt_row_set(row, COL(offers, platforms), platforms);
    nt_row_int(row, COL(offers, fee_vnd), json_integer_value(json_object_get(in, "fee_vnd")));
    nt_row_str(row, COL(offers, relationship), nt_json_str(in, "relationship"));
    nt_row_str(row, COL(offers, state), "sent");
    nt_row_str(row, COL(offers, created_at), w->at);
    nt_row_str(row, COL(offers, updated_at), w->at);
    tx.created = true;
    offer_event(svc, &tx, "offer.sent", id, nt_json_str(adv, "id"), nt_json_str(in, "person_id"), nt_json_str(in, "product_id"),
                w->at);
    json_decref(adv);
    json_decref(product);
    json_decref(person);
    rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    return rc != 0 ? rc : nt_svc_offer_get(svc, who, id, out, err);
}

/* The offer if who may see it: the advertiser that sent it, the influencer it is for, a regulator. */
static json_t *offer_for(nt_svc *svc, const nt_actor *who, const char *id, nt_err *err)
{
    json_t *o = nt__svc_q1(svc, NT_Q_offer_get, json_pack("[s]", id));
    bool mine = false;
    if (o != NULL && who->role == NT_ROLE_REGULATOR)
        mine = true;
    else if (o != NULL && who->role == NT_ROLE_KOL)
        mine = strcmp(who->person_id, nt_json_str(o, "person_id")) == 0;
    else if (o != NULL && who->role == NT_ROLE_ADVERTISER) {
        json_t *adv = nt__svc_q1(svc, NT_Q_advertiser_by_org, json_pack("[s]", who->org_id));
        mine = adv != NULL && strcmp(nt_json_str(adv, "id"), nt_json_str(o, "advertiser_id")) == 0;
        json_decref(adv);
    }
    if (!mine) { /* someone else's offer does not exist for this caller */
        json_decref(o);
        nt_err_set(err, NT_ENOTFOUND, "no offer %s", "không có lời mời %s", id);
        return NULL;
    }
    json_t *c = json_loads(nt_json_str(o, "confirmations"), 0, NULL);
    json_object_set_new(o, "confirmations", c ? c : json_object());
    return o;
}

/* The automatic checks of an offer now: the advertiser active, the product's checks over the
 * period, the category's disclaimers in the claims, the influencer free to advertise then. */
static json_t *offer_checks(nt_svc *svc, const json_t *offer, bool *all_ok)
{
    json_t *adv = nt__svc_q1(svc, NT_Q_advertiser_get, json_pack("[s]", nt_json_str(offer, "advertiser_id")));
    json_t *product = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", nt_json_str(offer, "product_id")));
    json_t *docs = nt__svc_q(svc, NT_Q_product_documents, json_pack("[s]", nt_json_str(offer, "product_id")));
    int64_t from = nt_json_time(offer, "start_at"), to = nt_json_time(offer, "end_at");
    bool active = adv != NULL && strcmp(nt_json_str(adv, "status"), "active") == 0;
    const json_t *cat = nt_ad_category(nt_json_str(product, "category"));
    bool pok = false;
    json_t *checks = nt_ad_product_checks(cat, docs, nt_json_str(product, "recalled_at"), from, to, &pok);
    json_t *first = json_pack("{s:s, s:b}", "check", "advertiser_active", "ok", active);
    if (!active)
        json_object_set_new(
            first, "detail",
            adv ? json_pack("{s:s, s:s}", "vi", "nhà quảng cáo đang bị đình chỉ", "en", "the advertiser is suspended")
                : json_pack("{s:s, s:s}", "vi", "chưa đăng ký nhà quảng cáo", "en", "no such advertiser"));
    json_array_insert_new(checks, 0, first);
    *all_ok = active && pok;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(cat, "disclaimers"), i, d)
    {
        bool has = strstr(nt_json_str(offer, "claims"), json_string_value(d)) != NULL;
        json_t *c = json_pack("{s:s, s:b}", "check", "disclaimer_in_claims", "ok", has);
        if (!has) /* the disclaimer the claims must carry, as the law writes it */
            json_object_set_new(c, "detail", json_pack("{s:s, s:s}", "vi", json_string_value(d), "en", json_string_value(d)));
        json_array_append_new(checks, c);
        *all_ok = *all_ok && has;
    }
    char *body = NULL;
    size_t len = 0;
    nt_err e;
    nt_err_clear(&e);
    char s_from[NT_TIME_LEN], s_to[NT_TIME_LEN];
    nt_time_utc(from, s_from);
    nt_time_utc(to, s_to);
    bool free_to = false;
    if (nt_svc_check(svc, nt_json_str(offer, "person_id"), "advertising", NULL, NULL, s_from, s_to, &body, &len, &e) == 0) {
        json_t *ans = json_loadb(body, len, 0, NULL);
        free_to = json_is_true(json_object_get(ans, "allowed"));
        json_decref(ans);
    }
    free(body);
    json_t *c = json_pack("{s:s, s:b}", "check", "influencer_not_restricted", "ok", free_to);
    if (!free_to)
        json_object_set_new(c, "detail",
                            json_pack("{s:s, s:s}", "vi", "bị hạn chế hoặc cấm quảng cáo trong thời gian này", "en",
                                      "an advertising restriction or ban in the period"));
    json_array_append_new(checks, c);
    *all_ok = *all_ok && free_to;
    json_decref(adv);
    json_decref(product);
    json_decref(docs);
    return checks;
}

int nt_svc_offer_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *o = offer_for(svc, who, id, err);
    if (o == NULL)
        return NT_ENOTFOUND;
    if (strcmp(nt_json_str(o, "state"), "sent") == 0) {
        bool ok = false;
        json_object_set_new(o, "checks", offer_checks(svc, o, &ok));
        json_object_set_new(o, "checks_ok", json_boolean(ok));
    }
    const char *ad_id = nt_json_str(o, "ad_id");
    json_t *ad = ad_id ? nt__svc_q1(svc, NT_Q_ad_get, json_pack("[s]", ad_id)) : NULL;
    if (ad != NULL) /* the public code of the ad an accepted offer registered: /ads/{code} */
        json_object_set(o, "ad_code", json_object_get(ad, "code"));
    json_decref(ad);
    *out = o;
    return 0;
}

static const nt_field lift_spec[] = {{"reason", NT_FT_STR, NT_F_REQUIRED, 1, 2000, 0}};

int nt_svc_product_recall_lift(nt_svc *svc, nt_wctx *w, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, lift_spec, 1, "", err) != 0)
        return NT_EINVAL;
    json_t *p = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", id));
    if (p == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no product %s", "không có sản phẩm %s", id);
    bool recalled = !json_is_null(json_object_get(p, "recalled_at"));
    json_decref(p);
    if (!recalled)
        return nt_err_set(err, NT_ECONFLICT, "product %s is not recalled", "sản phẩm %s không bị thu hồi", id);
    /* The recall's own columns clear (the product may be advertised again); the recall stays in
     * the log, and the lifting is logged beside it. */
    nt_tx tx = {0};
    nt_row *set =
        nt_tx_update(&tx, NT_T_products, id, NT_COL_NONE, NULL, "product", "product.recall_lift", NT_LOG_PRODUCT_RECALL_LIFTED);
    nt_row_str(set, COL(products, recalled_at), NULL);
    nt_row_str(set, COL(products, recall_lifted_at), w->at);
    nt_row_str(set, COL(products, recall_lift_reason), nt_json_str(in, "reason"));
    nt_row_str(set, COL(products, recall_lifted_by), w->key_id);
    nt_row_str(set, COL(products, updated_at), w->at);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc != 0)
        return rc;
    nt_svc_ads_reconcile(svc); /* its ads resume now, unless something else stops them */
    return nt_svc_product_get(svc, id, out, err);
}

/* An offer still waiting for an answer ends: declined by its influencer or withdrawn by its
 * advertiser, with the reason, told to the parties (offer.declined, offer.withdrawn). NT_ESTALE
 * when it was answered meanwhile. */
static int offer_close(nt_svc *svc, nt_wctx *w, const json_t *o, const char *id, const char *action, const char *to,
                       nt_col reason_col, const char *reason, nt_err *err)
{
    char event[32];
    snprintf(event, sizeof(event), "offer.%s", to);
    nt_tx tx = {0};
    nt_row *set = nt_tx_update(&tx, NT_T_offers, id, COL(offers, state), "sent", "offer", action, 0);
    nt_row_str(set, COL(offers, state), to);
    nt_row_str(set, reason_col, reason);
    nt_row_str(set, COL(offers, updated_at), w->at);
    offer_event(svc, &tx, event, id, nt_json_str(o, "advertiser_id"), nt_json_str(o, "person_id"), nt_json_str(o, "product_id"),
                w->at);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    return rc;
}

int nt_svc_offer_withdraw(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, lift_spec, 1, "", err) != 0)
        return NT_EINVAL;
    json_t *o = offer_for(svc, who, id, err);
    if (o == NULL)
        return NT_ENOTFOUND;
    int rc = 0;
    if (who->role != NT_ROLE_ADVERTISER)
        rc = nt_err_set(err, NT_EFORBIDDEN, "only the advertiser withdraws its offer", "chỉ nhà quảng cáo rút lời mời của mình");
    else if (strcmp(nt_json_str(o, "state"), "sent") != 0)
        rc = nt_err_set(err, NT_ECONFLICT, "offer %s is %s", "lời mời %s đã %s", id, nt_json_str(o, "state"));
    if (rc == 0) {
        rc =
            offer_close(svc, w, o, id, "offer.withdraw", "withdrawn", COL(offers, withdraw_reason), nt_json_str(in, "reason"), err);
        if (rc == NT_ESTALE)
            rc = nt_err_set(err, NT_ECONFLICT, "offer %s was answered meanwhile", "lời mời %s vừa được trả lời", id);
    }
    json_decref(o);
    return rc != 0 ? rc : nt_svc_offer_get(svc, who, id, out, err);
}

static const char *const offer_states[] = {"sent", "accepted", "declined", "withdrawn", NULL};

int nt_svc_offer_list(nt_svc *svc, const nt_actor *who, const char *state, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    if (state != NULL && !nt_str_one_of(state, offer_states))
        return nt_err_field_one_of(err, "state", "invalid", offer_states);
    /* An advertiser's own, an influencer's own, every offer for a regulator. */
    char adv_id[NT_ID_LEN] = "";
    if (who->role == NT_ROLE_ADVERTISER) {
        json_t *adv = nt__svc_q1(svc, NT_Q_advertiser_by_org, json_pack("[s]", who->org_id));
        nt_strlcpy(adv_id, adv ? nt_json_str(adv, "id") : "-", sizeof(adv_id));
        json_decref(adv);
    }
    const char *person = who->role == NT_ROLE_KOL ? who->person_id : NULL;
    json_t *rows =
        nt__svc_q(svc, NT_Q_offers_page, json_pack("[s, s?, s?, s?, i]", after, adv_id[0] ? adv_id : NULL, person, state, limit));
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o)
    {
        json_t *c = json_loads(nt_json_str(o, "confirmations"), 0, NULL);
        json_object_set_new(o, "confirmations", c ? c : json_object());
    }
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
}

/* An offer is answered (confirmed, declined, accepted) by its influencer while it is sent. */
enum answer { CONFIRM, DECLINE, ACCEPT };

static int may_answer(const nt_actor *who, const json_t *o, const char *id, enum answer a, nt_err *err)
{
    if (who->role != NT_ROLE_KOL)
        return a == CONFIRM ? nt_err_set(err, NT_EFORBIDDEN, "only the influencer confirms", "chỉ người có ảnh hưởng xác nhận")
               : a == DECLINE ? nt_err_set(err, NT_EFORBIDDEN, "only the influencer declines", "chỉ người có ảnh hưởng từ chối")
                              : nt_err_set(err, NT_EFORBIDDEN, "only the influencer accepts", "chỉ người có ảnh hưởng chấp nhận");
    if (strcmp(nt_json_str(o, "state"), "sent") != 0)
        return nt_err_set(err, NT_ECONFLICT, "offer %s is %s", "lời mời %s đã %s", id, nt_json_str(o, "state"));
    return 0;
}

int nt_svc_offer_confirm(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    json_t *o = offer_for(svc, who, id, err);
    if (o == NULL)
        return NT_ENOTFOUND;
    int rc = may_answer(who, o, id, CONFIRM, err);
    const char *k;
    json_t *v;
    json_t *conf = json_object_get(o, "confirmations");
    json_object_foreach((json_t *)in, k, v)
    {
        bool known = false;
        for (const char *const *c = confirmations; *c; c++)
            known = known || strcmp(*c, k) == 0;
        if (!known)
            nt_err_field_one_of(err, k, "unknown", confirmations);
        else if (!json_is_boolean(v))
            nt_err_field(err, k, "type", 0);
        else
            json_object_set_new(conf, k, json_pack("{s:b, s:s}", "value", json_is_true(v), "at", w->at));
    }
    if (rc == 0 && err->nfields > 0)
        rc = NT_EINVAL;
    if (rc == 0) {
        char *text = json_dumps(conf, JSON_COMPACT | JSON_SORT_KEYS);
        nt_tx tx = {0};
        nt_row *set = nt_tx_update(&tx, NT_T_offers, id, COL(offers, state), "sent", "offer", "offer.confirm", 0);
        nt_row_str(set, COL(offers, confirmations), text);
        nt_row_str(set, COL(offers, updated_at), w->at);
        rc = nt_svc_commit(svc, w, &tx, err);
        nt_tx_free(&tx);
        free(text);
    }
    json_decref(o);
    return rc != 0 ? rc : nt_svc_offer_get(svc, who, id, out, err);
}

int nt_svc_offer_decline(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err)
{
    static const nt_field spec[] = {{"reason", NT_FT_STR, NT_F_REQUIRED, 1, 2000, 0}};
    if (nt_schema_check(in, spec, 1, "", err) != 0)
        return NT_EINVAL;
    json_t *o = offer_for(svc, who, id, err);
    if (o == NULL)
        return NT_ENOTFOUND;
    int rc = may_answer(who, o, id, DECLINE, err);
    if (rc == 0)
        rc = offer_close(svc, w, o, id, "offer.decline", "declined", COL(offers, decline_reason), nt_json_str(in, "reason"), err);
    json_decref(o);
    return rc != 0 ? rc : nt_svc_offer_get(svc, who, id, out, err);
}

int nt_svc_offer_accept(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, json_t **out, nt_err *err)
{
    json_t *o = offer_for(svc, who, id, err);
    if (o == NULL)
        return NT_ENOTFOUND;
    int rc = may_answer(who, o, id, ACCEPT, err);
    bool ok = false;
    json_t *checks = rc == 0 ? offer_checks(svc, o, &ok) : NULL;
    /* What fails is listed as the problem's errors: each check by name, each missing confirmation. */
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c) if (!json_is_true(json_object_get(c, "ok")))
        nt_err_field(err, nt_json_str(c, "check"), "failed", 0);
    json_t *conf = json_object_get(o, "confirmations");
    for (const char *const *k = confirmations; rc == 0 && *k; k++)
        if (!json_is_true(json_object_get(json_object_get(conf, *k), "value")))
            nt_err_field(err, *k, "not_given", 0);
    if (rc == 0 && err->nfields > 0)
        rc = nt_err_set(err, NT_ECONFLICT, "not every check passes and every confirmation is given",
                        "chưa đạt mọi kiểm tra và chưa đủ mọi xác nhận");
    for (int attempt = 0; rc == 0 && attempt < 3; attempt++) {
        int year = nt_current_year();
        json_t *next = nt__svc_q1(svc, NT_Q_ads_next_seq, json_pack("[i]", year));
        int64_t seq = json_integer_value(json_object_get(next, "seq"));
        json_decref(next);
        char code[NT_AD_CODE_LEN], ad_id[NT_ID_LEN], label[64];
        if (!nt_ad_code_format(year, seq, code)) {
            rc = nt_err_set(err, NT_EIO, "the year's ad codes are used up", "đã hết mã quảng cáo của năm");
            break;
        }
        nt_id_new("ad_", ad_id, sizeof(ad_id));
        snprintf(label, sizeof(label), "#QuảngCáo %s", code);
        nt_tx tx = {0};
        nt_row *set = nt_tx_update(&tx, NT_T_offers, id, COL(offers, state), "sent", "offer", "offer.accept", 0);
        nt_row_str(set, COL(offers, state), "accepted");
        nt_row_str(set, COL(offers, ad_id), ad_id);
        nt_row_str(set, COL(offers, updated_at), w->at);
        nt_row *ad = nt_tx_insert(&tx, NT_T_ads, ad_id, "ad", "ad.register", NT_LOG_AD_REGISTERED);
        nt_row_str(ad, COL(ads, code), code);
        nt_row_int(ad, COL(ads, year), year);
        nt_row_int(ad, COL(ads, seq), seq);
        nt_row_str(ad, COL(ads, offer_id), id);
        nt_row_set(ad, COL(ads, advertiser_id), json_incref(json_object_get(o, "advertiser_id")));
        nt_row_set(ad, COL(ads, person_id), json_incref(json_object_get(o, "person_id")));
        nt_row_set(ad, COL(ads, product_id), json_incref(json_object_get(o, "product_id")));
        nt_row_set(ad, COL(ads, platforms), json_incref(json_object_get(o, "platforms")));
        nt_row_set(ad, COL(ads, start_at), json_incref(json_object_get(o, "start_at")));
        nt_row_set(ad, COL(ads, end_at), json_incref(json_object_get(o, "end_at")));
        nt_row_str(ad, COL(ads, label), label);
        nt_row_str(ad, COL(ads, state), "registered");
        nt_row_str(ad, COL(ads, created_at), w->at);
        nt_row_str(ad, COL(ads, updated_at), w->at);
        tx.created = true;
        offer_event(svc, &tx, "offer.accepted", id, nt_json_str(o, "advertiser_id"), nt_json_str(o, "person_id"),
                    nt_json_str(o, "product_id"), w->at);
        nt_err_clear(err);
        rc = nt_svc_commit(svc, w, &tx, err);
        nt_tx_free(&tx);
        if (rc == 0) {
            json_decref(o);
            json_decref(checks);
            return nt_svc_ad_get(svc, code, out, err);
        }
        if (rc != NT_ECONFLICT) /* a code taken meanwhile: try the next */
            break;
        rc = 0;
    }
    if (rc == NT_ESTALE)
        rc = nt_err_set(err, NT_ECONFLICT, "offer %s changed meanwhile", "lời mời %s vừa thay đổi", id);
    json_decref(o);
    json_decref(checks);
    return rc;
}

/* An ad's reason for its state, kept as {"vi", "en"} JSON text, as an object (the reader's
 * language is picked when it is shown); an older plain text stays as it is. */
static void ad_reason_view(json_t *ad)
{
    const char *r = nt_json_str(ad, "state_reason");
    json_t *both = r != NULL && r[0] == '{' ? json_loads(r, 0, NULL) : NULL;
    if (json_is_object(both))
        json_object_set_new(ad, "state_reason", both);
    else
        json_decref(both);
}

int nt_svc_ad_get(nt_svc *svc, const char *code, json_t **out, nt_err *err)
{
    int year;
    int64_t seq;
    if (!nt_ad_code_parse(code, &year, &seq))
        return nt_err_field(err, "code", "invalid", 0);
    json_t *ad = nt__svc_q1(svc, NT_Q_ad_by_code, json_pack("[s]", code));
    if (ad == NULL)
        return nt_err_set(err, NT_ENOTFOUND, "no ad %s", "không có quảng cáo %s", code);
    ad_reason_view(ad);
    if (!json_is_array(json_object_get(ad, "platforms"))) { /* rows already carry it as a list */
        json_t *p = json_loads(nt_json_str(ad, "platforms") ? nt_json_str(ad, "platforms") : "[]", 0, NULL);
        json_object_set_new(ad, "platforms", p ? p : json_array());
    }
    *out = ad;
    return 0;
}

/* ---- automatic suspension ---- */

/* Why an ad may not run now (NULL: nothing stops it): its product recalled, its advertiser
 * suspended, a required document not valid for the rest of its period, or its influencer
 * restricted from advertising in that time. Malloc'd. */
static char *ad_stop_reason(nt_svc *svc, const json_t *ad, int64_t now_us)
{
    char why[1024] = "", vi[1024] = "";
    size_t o = 0, ov = 0;
#define ADD(...)    o += (size_t)snprintf(why + o, o < sizeof(why) ? sizeof(why) - o : 0, __VA_ARGS__)
#define ADD_VI(...) ov += (size_t)snprintf(vi + ov, ov < sizeof(vi) ? sizeof(vi) - ov : 0, __VA_ARGS__)
    json_t *product = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", nt_json_str(ad, "product_id")));
    json_t *adv = nt__svc_q1(svc, NT_Q_advertiser_get, json_pack("[s]", nt_json_str(ad, "advertiser_id")));
    if (product != NULL && !json_is_null(json_object_get(product, "recalled_at"))) {
        ADD_VI("%ssản phẩm bị thu hồi: %s", ov ? "; " : "", nt_json_str(product, "recall_reason"));
        ADD("%sproduct recalled: %s", o ? "; " : "", nt_json_str(product, "recall_reason"));
    }
    if (adv != NULL && strcmp(nt_json_str(adv, "status"), "active") != 0) {
        ADD_VI("%snhà quảng cáo bị đình chỉ: %s", ov ? "; " : "", nt_json_str(adv, "status_reason"));
        ADD("%sadvertiser suspended: %s", o ? "; " : "", nt_json_str(adv, "status_reason"));
    }
    int64_t from = nt_json_time(ad, "start_at"), to = nt_json_time(ad, "end_at");
    if (from < now_us)
        from = now_us;
    json_t *docs = nt__svc_q(svc, NT_Q_product_documents, json_pack("[s]", nt_json_str(ad, "product_id")));
    bool ok = false;
    json_t *checks = nt_ad_product_checks(nt_ad_category(nt_json_str(product, "category")), docs, NULL, from, to, &ok);
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c)
    {
        if (json_is_true(json_object_get(c, "ok")))
            continue;
        const json_t *d = json_object_get(c, "detail");
        ADD("%s%s: %s", o ? "; " : "", nt_json_str(c, "check"), d ? nt_json_str(d, "en") : "failed");
        ADD_VI("%s%s: %s", ov ? "; " : "", nt_json_str(c, "check"), d ? nt_json_str(d, "vi") : "không đạt");
    }
    char s_from[NT_TIME_LEN], s_to[NT_TIME_LEN], *body = NULL;
    size_t len = 0;
    nt_err e;
    nt_err_clear(&e);
    nt_time_utc(from, s_from);
    nt_time_utc(to, s_to);
    if (nt_svc_check(svc, nt_json_str(ad, "person_id"), "advertising", NULL, NULL, s_from, s_to, &body, &len, &e) == 0) {
        json_t *ans = json_loadb(body, len, 0, NULL);
        if (json_is_false(json_object_get(ans, "allowed"))) {
            const char *number = nt_json_str(json_array_get(json_object_get(ans, "restrictions"), 0), "decision_number");
            ADD("%sthe influencer is restricted from advertising (decision %s)", o ? "; " : "", number);
            ADD_VI("%sngười có ảnh hưởng bị hạn chế quảng cáo (quyết định %s)", ov ? "; " : "", number);
        }
        json_decref(ans);
    }
#undef ADD
#undef ADD_VI
    free(body);
    json_decref(checks);
    json_decref(docs);
    json_decref(product);
    json_decref(adv);
    if (!why[0])
        return NULL;
    /* Kept in both languages, as JSON text: each reader gets theirs (ad_view). */
    json_t *both = json_pack("{s:s, s:s}", "vi", vi, "en", why);
    char *text = json_dumps(both, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(both);
    return text;
}

int nt_svc_ads_reconcile(nt_svc *svc)
{
    int64_t now = nt_now_us();
    char at[NT_TIME_LEN];
    nt_time_utc(now, at);
    json_t *ads = nt__svc_q(svc, NT_Q_ads_open, json_pack("[s]", at));
    int changed = 0;
    size_t i;
    json_t *ad;
    json_array_foreach(ads, i, ad)
    {
        char *why = ad_stop_reason(svc, ad, now);
        bool suspended = strcmp(nt_json_str(ad, "state"), "suspended") == 0;
        if ((why != NULL) == suspended) {
            free(why);
            continue;
        }
        nt_wctx w = {.key_id = "system:ads", .at = at};
        nt_tx tx = {0};
        nt_row *set = nt_tx_update(&tx, NT_T_ads, nt_json_str(ad, "id"), COL(ads, state), nt_json_str(ad, "state"), "ad",
                                   why ? "ad.suspend" : "ad.reinstate", why ? NT_LOG_AD_SUSPENDED : NT_LOG_AD_REINSTATED);
        nt_row_str(set, COL(ads, state), why ? "suspended" : "registered");
        nt_row_str(set, COL(ads, state_reason), why);
        nt_row_str(set, COL(ads, updated_at), at);
        /* The platforms and advertisers subscribed are told, in the same transaction. */
        json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:o?}", "code", nt_json_str(ad, "code"), "person_id",
                                 nt_json_str(ad, "person_id"), "advertiser_id", nt_json_str(ad, "advertiser_id"), "product_id",
                                 nt_json_str(ad, "product_id"), "reason", why ? json_loads(why, 0, NULL) : NULL);
        nt_webhook_enqueue(svc, &tx, why ? "ad.suspended" : "ad.reinstated", data, at);
        nt_err err;
        nt_err_clear(&err);
        if (nt_svc_commit(svc, &w, &tx, &err) == 0)
            changed++;
        nt_tx_free(&tx);
        json_decref(data);
        free(why);
    }
    json_decref(ads);
    return changed;
}

int nt_svc_product_affected(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *ads = nt__svc_q(svc, NT_Q_ads_of_product, json_pack("[s]", id));
    if (ads == NULL)
        return nt_err_set(err, NT_EIO, "cannot read the ads", "không đọc được các quảng cáo");
    json_t *people = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(ads, i, a)
    {
        ad_reason_view(a);
        bool seen = false;
        size_t j;
        json_t *p;
        json_array_foreach(people, j, p) seen = seen || strcmp(json_string_value(p), nt_json_str(a, "person_id")) == 0;
        if (!seen)
            json_array_append_new(people, json_string(nt_json_str(a, "person_id")));
    }
    *out = json_pack("{s:o, s:o}", "ads", ads, "influencers", people);
    return 0;
}

/* ---- the public ad library ---- */

int nt_svc_ad_library(nt_svc *svc, const nt_ad_query *q, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "", person[NT_ID_LEN] = "";
    if (q->cursor != NULL && nt_svc_cursor_decode(q->cursor, after, sizeof(after)) != 0)
        nt_err_field(err, "cursor", "invalid", 0);
    if (q->influencer != NULL && strchr(q->influencer, ':') != NULL) { /* platform:handle -> its person */
        char platform[NT_PLATFORM_MAX], handle[NT_SUBJECT_KEY_MAX];
        json_t *acc = NULL;
        nt_err e2;
        nt_err_clear(&e2);
        if (nt_subject_handle(q->influencer, platform, handle) != 0)
            nt_err_field(err, "influencer", "invalid", 0);
        else if (nt_svc_account_get(svc, platform, handle + strlen(platform) + 1, &acc, &e2) == 0) /* key: platform:handle */
            nt_strlcpy(person, nt_json_str(acc, "person_id") ? nt_json_str(acc, "person_id") : "", sizeof(person));
        else
            nt_strlcpy(person, "-", sizeof(person)); /* an unknown handle has no ads */
        json_decref(acc);
    } else if (q->influencer != NULL) {
        nt_strlcpy(person, q->influencer, sizeof(person));
    }
    static const char *const states[] = {"registered", "suspended", "withdrawn", NULL};
    bool state_ok = q->state == NULL;
    for (const char *const *s = states; !state_ok && *s; s++)
        state_ok = strcmp(*s, q->state) == 0;
    if (!state_ok)
        nt_err_field_one_of(err, "state", "invalid", states);
    if (q->category != NULL && nt_ad_category(q->category) == NULL)
        nt_err_field(err, "category", "invalid", 0);
    int64_t f = 0, t = 0;
    char s_from[NT_TIME_LEN], s_to[NT_TIME_LEN];
    if (q->from != NULL && nt_time_parse(q->from, &f) != 0)
        nt_err_field(err, "from", "invalid", 0);
    if (q->to != NULL && (nt_time_parse(q->to, &t) != 0 || (q->from != NULL && t < f)))
        nt_err_field(err, "to", "invalid", 0);
    if (err->nfields > 0)
        return NT_EINVAL;
    nt_time_utc(f, s_from);
    nt_time_utc(t, s_to);
    json_t *params = json_pack("[s?, s?, s?, s?, s?, s?, s?, s, i]", person[0] ? person : NULL, q->advertiser, q->product,
                               q->category, q->state, q->from ? s_from : NULL, q->to ? s_to : NULL, after, q->limit);
    json_t *rows = nt__svc_q(svc, NT_Q_ads_library, params);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        ad_reason_view(r);
        json_t *p = json_loads(nt_json_str(r, "platforms"), 0, NULL);
        if (p != NULL)
            json_object_set_new(r, "platforms", p);
    }
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, q->limit, out, err);
}

/* ---- a document's file ---- */

/* The content types a document's file may have. */
static bool file_type_ok(const char *t)
{
    static const char *const ok[] = {"application/pdf", "image/png", "image/jpeg", "application/octet-stream", NULL};
    for (const char *const *p = ok; t != NULL && *p; p++)
        if (strncmp(t, *p, strlen(*p)) == 0 && (t[strlen(*p)] == '\0' || t[strlen(*p)] == ';'))
            return true;
    return false;
}

/* The document if it is product's and who's advertiser may touch it (or, read-only, anyone). */
static json_t *document_of(nt_svc *svc, const char *product_id, const char *doc_id, nt_err *err)
{
    json_t *d = nt__svc_q1(svc, NT_Q_product_document, json_pack("[s, s]", doc_id, product_id));
    if (d == NULL)
        nt_err_set(err, NT_ENOTFOUND, "no document %s of product %s", "không có tài liệu %s của sản phẩm %s", doc_id, product_id);
    return d;
}

int nt_svc_document_file_put(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *product_id, const char *doc_id,
                             const char *ctype, const void *data, size_t len, json_t **out, nt_err *err)
{
    json_t *product = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", product_id));
    json_t *adv = nt__svc_q1(svc, NT_Q_advertiser_by_org, json_pack("[s]", who->org_id));
    bool mine = product != NULL && adv != NULL && strcmp(nt_json_str(product, "advertiser_id"), nt_json_str(adv, "id")) == 0;
    json_decref(product);
    json_decref(adv);
    json_t *d = mine ? document_of(svc, product_id, doc_id, err) : NULL;
    if (!mine)
        nt_err_set(err, NT_ENOTFOUND, "no product %s of this advertiser", "không có sản phẩm %s của nhà quảng cáo này", product_id);
    if (d == NULL)
        return NT_ENOTFOUND;
    int rc = 0;
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    if (!file_type_ok(ctype))
        rc = nt_err_set(err, NT_EMEDIA, "a document file is PDF, PNG or JPEG (or application/octet-stream), not %s",
                        "tệp tài liệu phải là PDF, PNG hoặc JPEG (hoặc application/octet-stream), không phải %s",
                        ctype ? ctype : "(none)");
    else if (len == 0 || strcmp(hex, nt_json_str(d, "sha256")) != 0)
        rc = nt_err_set(err, NT_EINVAL, "the file's SHA-256 is %s, the document says %s", "SHA-256 của tệp là %s, tài liệu ghi %s",
                        hex, nt_json_str(d, "sha256"));
    /* Stored by content: documents/<sha256>, written whole to a temporary name, synced, renamed. */
    char dir[4200], path[4300], tmp[4400];
    snprintf(dir, sizeof(dir), "%s/documents", svc->data_dir);
    snprintf(path, sizeof(path), "%s/%s", dir, hex);
    snprintf(tmp, sizeof(tmp), "%s.%s.tmp", path, w->request_id ? w->request_id : "cli");
    if (rc == 0 && mkdir(dir, 0700) != 0 && errno != EEXIST)
        rc = nt_err_set(err, NT_EIO, "cannot create %s", "không tạo được %s", dir);
    if (rc == 0) {
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        bool ok = fd >= 0 && write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
        if (fd >= 0)
            close(fd);
        if (!ok || rename(tmp, path) != 0) {
            unlink(tmp);
            rc = nt_err_set(err, NT_EIO, "cannot store the file", "không lưu được tệp");
        }
    }
    if (rc == 0) {
        char type[64];
        nt_strlcpy(type, ctype, sizeof(type));
        type[strcspn(type, ";")] = '\0';
        nt_tx tx = {0};
        nt_row *set = nt_tx_update(&tx, NT_T_product_documents, doc_id, NT_COL_NONE, NULL, "product", "product.document_file", 0);
        nt_row_int(set, COL(product_documents, file_size), (int64_t)len);
        nt_row_str(set, COL(product_documents, file_type), type);
        rc = nt_svc_commit(svc, w, &tx, err);
        nt_tx_free(&tx);
    }
    json_decref(d);
    return rc != 0 ? rc : nt_svc_product_get(svc, product_id, out, err);
}

int nt_svc_document_file_get(nt_svc *svc, const char *product_id, const char *doc_id, char **data, size_t *len, char type[64],
                             nt_err *err)
{
    json_t *d = document_of(svc, product_id, doc_id, err);
    if (d == NULL)
        return NT_ENOTFOUND;
    int rc = 0;
    if (json_is_null(json_object_get(d, "file_size")))
        rc = nt_err_set(err, NT_ENOTFOUND, "document %s has no file", "tài liệu %s chưa có tệp", doc_id);
    char path[4300];
    snprintf(path, sizeof(path), "%s/documents/%s", svc->data_dir, nt_json_str(d, "sha256"));
    FILE *f = rc == 0 ? fopen(path, "rb") : NULL;
    if (rc == 0 && f == NULL)
        rc = nt_err_set(err, NT_EIO, "the file of document %s is missing", "thiếu tệp của tài liệu %s", doc_id);
    if (f != NULL) {
        size_t n = (size_t)json_integer_value(json_object_get(d, "file_size"));
        *data = nt_xmalloc(n + 1);
        *len = *data ? fread(*data, 1, n, f) : 0;
        fclose(f);
        if (*data == NULL || *len != n) {
            free(*data);
            *data = NULL;
            rc = nt_err_set(err, NT_EIO, "the file of document %s is damaged", "tệp của tài liệu %s bị hỏng", doc_id);
        }
        nt_strlcpy(type, nt_json_str(d, "file_type") ? nt_json_str(d, "file_type") : "application/octet-stream", 64);
    }
    json_decref(d);
    return rc;
}

int nt_svc_product_document_add(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *product_id, const json_t *in,
                                json_t **out, nt_err *err)
{
    json_t *product = nt__svc_q1(svc, NT_Q_product_get, json_pack("[s]", product_id));
    json_t *adv = nt__svc_q1(svc, NT_Q_advertiser_by_org, json_pack("[s]", who->org_id));
    bool mine = product != NULL && adv != NULL && strcmp(nt_json_str(product, "advertiser_id"), nt_json_str(adv, "id")) == 0;
    json_decref(product);
    json_decref(adv);
    if (!mine)
        return nt_err_set(err, NT_ENOTFOUND, "no product %s of this advertiser", "không có sản phẩm %s của nhà quảng cáo này",
                          product_id);
    /* The document's own fields, and what it supersedes: one of this product's, of the same type,
     * not renewed already. */
    json_t *own = json_deep_copy(in);
    json_object_del(own, "supersedes");
    const json_t *sv = json_object_get(in, "supersedes");
    if (sv != NULL && !json_is_null(sv) && (!json_is_string(sv) || strlen(json_string_value(sv)) >= NT_ID_LEN))
        nt_err_field(err, "supersedes", "invalid", 0);
    const char *supersedes = json_string_value(sv);
    int rc = 0;
    if (err->nfields == 0 && supersedes != NULL) {
        json_t *docs = nt__svc_q(svc, NT_Q_product_documents, json_pack("[s]", product_id)), *old = NULL, *d;
        size_t i;
        json_array_foreach(docs, i, d) if (strcmp(nt_json_str(d, "id"), supersedes) == 0) old = d;
        if (old == NULL)
            nt_err_field(err, "supersedes", "invalid", 0); /* not a document of this product */
        else if (nt_json_str(in, "type") == NULL || strcmp(nt_json_str(old, "type"), nt_json_str(in, "type")) != 0)
            nt_err_field(err, "type", "invalid", 0); /* a renewal is of the same kind of document */
        else if (json_is_string(json_object_get(old, "superseded_by"))) {
            nt_strlcpy(err->conflict_id, nt_json_str(old, "superseded_by"), sizeof(err->conflict_id));
            rc = nt_err_set(err, NT_ECONFLICT, "document %s was renewed already, by %s", "tài liệu %s đã được thay bằng %s",
                            supersedes, nt_json_str(old, "superseded_by"));
        }
        json_decref(docs);
    }
    nt_tx tx = {0};
    char did[NT_ID_LEN] = "";
    if (rc == 0)
        document_row(&tx, own, "", product_id, supersedes, NT_LOG_PRODUCT_DOCUMENT_ADDED, w->at, did, err);
    json_decref(own);
    if (rc == 0 && err->nfields > 0)
        rc = NT_EINVAL;
    if (rc == 0) {
        tx.created = true;
        rc = nt_svc_commit(svc, w, &tx, err);
        if (rc == NT_ECONFLICT) /* renewed by another request meanwhile: one successor per document */
            rc = nt_err_set(err, NT_ECONFLICT, "document %s was renewed already", "tài liệu %s đã được thay", supersedes);
    }
    nt_tx_free(&tx);
    if (rc != 0)
        return rc;
    nt_svc_ads_reconcile(svc); /* an ad stopped by the old document's expiry may run again */
    rc = nt_svc_product_get(svc, product_id, out, err);
    if (rc == 0)
        json_object_set_new(*out, "document_id", json_string(did)); /* the new one: its file goes there */
    return rc;
}
