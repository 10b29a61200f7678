/* Advertisers and the category rules; see ads.h. */
#include "service/ads.h"
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

int nt_svc_advertiser_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    json_t *rows = nt__svc_q(svc, "advertisers.page", json_pack("[s, i]", after, limit));
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) json_object_del(r, "status_by");
    return nt__svc_paged(rows ? 0 : NT_EIO, rows, limit, out, err);
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
