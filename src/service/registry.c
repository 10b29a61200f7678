/* The registry: organisations, persons, accounts and bulk import.
 *
 * Names are stored in NFC; each person also gets a search key and the set of
 * distinct tokens of its name and aliases, which is what word-order-free,
 * accent-free search looks up. National ID numbers are never stored: only a
 * keyed BLAKE2b hash, to find duplicates. */
#include "core/alloc.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include "log/entry.h"
#include "service/commit.h"
#include "service/keys.h"
#include "store/tables.h"
#include "service/registry_int.h"
#include "service/query.h"
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define PERSON_TOKENS_MAX 64

static const char *const org_kinds[] = {"operator",        "regulator",  "platform", "broadcaster", "press",
                                        "event_organiser", "advertiser", "alliance", NULL};
static const char *const person_kinds[] = {"kol", "koc", "artist", "mc", "expert", "other", NULL};
static const char *const genders[] = {"f", "m", "x", NULL};

bool nt__reg_valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 40)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

/* The registry's writes are typed store operations, committed through the one commit step. */
static int org_put_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    return st->ops->org_put(st, w, arg, err);
}

static int person_put_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    return st->ops->person_put(st, w, arg, err);
}

static int person_update_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    return st->ops->person_update(st, w, arg, err);
}

typedef struct account_put_arg {
    const nt_account *a;
    bool attest;
    bool updated;
} account_put_arg;

static int account_put_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    account_put_arg *p = arg;
    return st->ops->account_put(st, w, p->a, p->attest, &p->updated, err);
}

static int account_delete_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    const char *const *ph = arg; /* platform, handle */
    return st->ops->account_delete(st, w, ph[0], ph[1], err);
}

/* Commits a typed operation, answered on retry with `res` (NULL: the id of what it changed). */
int nt__reg_commit_op(nt_svc *svc, nt_wctx *w, int (*op)(nt_store *, const nt_wctx *, void *, nt_err *), void *arg,
                      const json_t *res, bool created, nt_err *err)
{
    nt_tx tx = {.op = op, .op_arg = arg};
    nt_tx_answer(&tx, res, created);
    int rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    return rc;
}

/* ---- organisations ---- */

static const nt_field org_spec[] = {
    {"name", NT_FT_STR, NT_F_REQUIRED, 1, NAME_MAX_CHARS, 0},
    {"kind", NT_FT_STR, NT_F_REQUIRED, 1, 32, 0},
    {"platform", NT_FT_STR, NT_F_NULLABLE, 1, 20, 0},
};

int nt_svc_org_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, org_spec, sizeof(org_spec) / sizeof(org_spec[0]), "", err) != 0)
        return NT_EINVAL;
    const char *kind = nt_json_str(in, "kind"), *platform = nt_json_str(in, "platform");
    if (!nt_str_one_of(kind, org_kinds))
        return nt_err_field_one_of(err, "kind", "invalid", org_kinds);
    if (platform != NULL && (strcmp(kind, "platform") != 0 || !nt_platform_known(platform)))
        return nt_err_field(err, "platform", "invalid", 0);
    char *name = nt_text_nfc(nt_json_str(in, "name"));
    if (name == NULL || name[0] == '\0') {
        free(name);
        return nt_err_field(err, "name", "required", 0);
    }
    nt_org o = {.name = name, .kind = kind, .platform = platform, .status = "active"};
    nt_id_new("o_", o.id, sizeof(o.id));
    json_t *res = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s}", "id", o.id, "name", name, "kind", kind, "platform", platform,
                            "status", "active", "created_at", w->at, "updated_at", w->at);
    int rc = nt__reg_commit_op(svc, w, org_put_op, &o, res, true, err);
    free(name);
    if (rc != 0) {
        json_decref(res);
        return rc;
    }
    *out = res;
    return 0;
}

int nt_svc_org_get(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    int rc = svc->store->ops->org_get(svc->store, id, out);
    if (rc == NT_ENOTFOUND)
        return nt_err_set(err, rc, "no organisation %s", "không có tổ chức %s", id);
    return rc;
}

static const nt_field org_status_spec[] = {{"reason", NT_FT_STR, NT_F_REQUIRED, 1, 2000, 0}};

int nt_svc_org_status(nt_svc *svc, nt_wctx *w, const char *id, bool suspend, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, org_status_spec, 1, "", err) != 0)
        return NT_EINVAL;
    json_t *org = NULL;
    if (svc->store->ops->org_get(svc->store, id, &org) != 0)
        return nt_err_set(err, NT_ENOTFOUND, "no organisation %s", "không có tổ chức %s", id);
    const char *from = suspend ? "active" : "suspended", *to = suspend ? "suspended" : "active";
    int rc = 0;
    if (strcmp(nt_json_str(org, "kind"), "operator") == 0)
        rc = nt_err_set(err, NT_ECONFLICT, "the operator's own organisation is not suspended: its admins would be locked out",
                        "không đình chỉ tổ chức vận hành: quản trị viên sẽ không vào được");
    else if (strcmp(nt_json_str(org, "status"), from) != 0)
        rc = nt_err_set(err, NT_ECONFLICT, "organisation %s is %s already", "tổ chức %s đã ở trạng thái %s", id, to);
    json_decref(org);
    if (rc != 0)
        return rc;
    nt_tx tx = {0};
    nt_row *set = nt_tx_update(&tx, NT_T_orgs, id, COL(orgs, status), from, "org", suspend ? "org.suspend" : "org.reinstate",
                               suspend ? NT_LOG_ORG_SUSPENDED : NT_LOG_ORG_REINSTATED);
    nt_row_str(set, COL(orgs, status), to);
    nt_row_str(set, COL(orgs, status_reason), nt_json_str(in, "reason"));
    nt_row_str(set, COL(orgs, status_by), w->key_id);
    nt_row_str(set, COL(orgs, status_at), w->at);
    nt_row_str(set, COL(orgs, updated_at), w->at);
    rc = nt_svc_commit(svc, w, &tx, err);
    nt_tx_free(&tx);
    if (rc == NT_ESTALE)
        return nt_err_set(err, NT_ECONFLICT, "organisation %s changed meanwhile", "tổ chức %s vừa thay đổi", id);
    if (rc != 0)
        return rc;
    nt_svc_keys_forget_org(svc, id); /* its keys stop now in this process; others follow the change */
    return nt_svc_org_get(svc, id, out, err);
}

int nt_svc_org_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    json_t *items = NULL;
    int rc = svc->store->ops->org_list(svc->store, after, limit, &items);
    return nt__svc_paged(rc, items, limit, out, err);
}

/* ---- persons ---- */

static const nt_field person_spec[] = {
    {"legal_name", NT_FT_STR, NT_F_REQUIRED, 1, NAME_MAX_CHARS, 0},
    PERSON_FIELDS,
};
#define PERSON_SPEC_N (sizeof(person_spec) / sizeof(person_spec[0]))

void nt__reg_draft_free(nt__person_draft *d)
{
    free(d->name);
    free(d->aliases_json);
    free(d->province);
}

static bool valid_nid(const char *s)
{
    size_t n = strlen(s);
    if (n != 9 && n != 12)
        return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static void nid_hash(nt_svc *svc, const char *nid, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)nid, strlen(nid), svc->nid_key, sizeof(svc->nid_key));
    sodium_bin2hex(out, 65, h, sizeof(h));
}

/* Adds the distinct tokens of text's search key to d->tokens. */
static int add_tokens(nt__person_draft *d, const char *text, int *count)
{
    char key[NT_KEY_MAX];
    if (nt_text_search_key(text, key, sizeof(key)) < 0)
        return NT_EINVAL;
    char *tok[64];
    int n = nt_text_tokens(key, tok, 64);
    for (int i = 0; i < n; i++) {
        size_t tl = strlen(tok[i]), have = strlen(d->tokens);
        /* Already there? Tokens are space-separated with no leading space. */
        bool dup = false;
        for (const char *p = d->tokens; (p = strstr(p, tok[i])) != NULL; p += tl)
            if ((p == d->tokens || p[-1] == ' ') && (p[tl] == ' ' || p[tl] == '\0')) {
                dup = true;
                break;
            }
        if (dup)
            continue;
        if (*count >= PERSON_TOKENS_MAX || have + tl + 2 > sizeof(d->tokens))
            return NT_EINVAL;
        if (have > 0)
            d->tokens[have++] = ' ';
        memcpy(d->tokens + have, tok[i], tl + 1);
        (*count)++;
    }
    return 0;
}

/* Validates and normalises the values of a person (create, patch or import) into d.
 * Fields absent from in keep what d has. */
int nt__reg_draft_apply(nt_svc *svc, nt__person_draft *d, const json_t *in, const char *name_field, nt_err *err)
{
    const json_t *v;
    if ((v = json_object_get(in, name_field)) != NULL) {
        free(d->name);
        d->name = nt_text_nfc(json_string_value(v));
        if (d->name == NULL || d->name[0] == '\0')
            nt_err_field(err, name_field, "required", 0);
    }
    if ((v = json_object_get(in, "aliases")) != NULL) {
        json_t *norm = json_array();
        size_t i;
        json_t *a;
        json_array_foreach(v, i, a)
        {
            char *s = nt_text_nfc(json_string_value(a));
            if (s == NULL || s[0] == '\0') {
                char fname[32];
                snprintf(fname, sizeof(fname), "aliases[%zu]", i);
                nt_err_field(err, fname, "required", 0);
            } else {
                json_array_append_new(norm, json_string(s));
            }
            free(s);
        }
        free(d->aliases_json);
        d->aliases_json = json_dumps(norm, JSON_COMPACT);
        json_decref(norm);
    }
    if ((v = json_object_get(in, "kind")) != NULL) {
        const char *k = json_is_null(v) ? "kol" : json_string_value(v);
        if (!nt_str_one_of(k, person_kinds))
            nt_err_field_one_of(err, "kind", "invalid", person_kinds);
        else
            d->p.kind = k;
    }
    if ((v = json_object_get(in, "birth_year")) != NULL) {
        int y = json_is_null(v) ? 0 : (int)json_integer_value(v);
        if (y != 0 && y > nt_current_year())
            nt_err_field(err, "birth_year", "out_of_range", nt_current_year());
        d->p.birth_year = y;
    }
    if ((v = json_object_get(in, "gender")) != NULL) {
        const char *g = json_string_value(v);
        if (g != NULL && !nt_str_one_of(g, genders))
            nt_err_field_one_of(err, "gender", "invalid", genders);
        d->p.gender = g;
    }
    if ((v = json_object_get(in, "province")) != NULL) {
        free(d->province);
        d->province = json_is_null(v) ? NULL : nt_text_nfc(json_string_value(v));
        if (d->province != NULL && d->province[0] == '\0') { /* only white space: no province */
            free(d->province);
            d->province = NULL;
        }
    }
    if ((v = json_object_get(in, "national_id")) != NULL) {
        const char *nid = json_string_value(v);
        if (nid == NULL) {
            d->nid_hash[0] = '\0';
        } else if (!valid_nid(nid)) {
            nt_err_field(err, "national_id", "invalid", 0);
        } else {
            nid_hash(svc, nid, d->nid_hash);
        }
    }
    if (err->nfields > 0)
        return NT_EINVAL;
    /* Derived: search key and tokens of name and aliases. */
    d->tokens[0] = '\0';
    int count = 0;
    if (nt_text_search_key(d->name, d->key, sizeof(d->key)) < 0 || add_tokens(d, d->name, &count) != 0)
        return nt_err_field(err, name_field, "invalid", 0);
    json_t *aliases = json_loads(d->aliases_json ? d->aliases_json : "[]", 0, NULL);
    size_t i;
    json_t *a;
    json_array_foreach(aliases, i, a)
    {
        if (add_tokens(d, json_string_value(a), &count) != 0) {
            json_decref(aliases);
            return nt_err_field(err, "aliases", "too_long", PERSON_TOKENS_MAX);
        }
    }
    json_decref(aliases);
    d->p.legal_name = d->name;
    d->p.search_key = d->key;
    d->p.tokens = d->tokens;
    d->p.aliases_json = d->aliases_json ? d->aliases_json : "[]";
    d->p.province = d->province;
    d->p.nid_hash = d->nid_hash[0] ? d->nid_hash : NULL;
    if (d->p.kind == NULL)
        d->p.kind = "kol";
    return 0;
}

/* The resource as the store would return it, built without reading it back. */
static json_t *person_json(const nt__person_draft *d, const char *created_at, const char *updated_at, json_t *accounts)
{
    json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:s?, s:s?, s:b, s:I, s:s?, s:s, s:s}", "id", d->p.id, "legal_name", d->name,
                          "aliases", json_loads(d->p.aliases_json, 0, NULL), "kind", d->p.kind, "birth_year",
                          d->p.birth_year ? json_integer(d->p.birth_year) : json_null(), "gender", d->p.gender, "province",
                          d->province, "has_national_id", d->nid_hash[0] != '\0', "version", (json_int_t)d->p.version, "created_by",
                          d->p.created_by, "created_at", created_at, "updated_at", updated_at);
    json_object_set_new(o, "accounts", accounts ? accounts : json_array());
    return o;
}

int nt_svc_person_check(const json_t *in, nt_err *err)
{
    return nt_schema_check(in, person_spec, PERSON_SPEC_N, "", err);
}

/* A national ID that another person holds: a regulator learns who; anyone else only that the
 * number is taken, and at most NID_REFUSALS_MAX times an hour (the registry is not an oracle of
 * who holds which number). Every refusal is audited. */
#define NID_REFUSALS_MAX 5

static int nid_taken(nt_svc *svc, const nt_wctx *w, const nt_actor *who, const char *holder, nt_err *err)
{
    if (who == NULL || who->role == NT_ROLE_REGULATOR) {
        nt_strlcpy(err->conflict_id, holder, sizeof(err->conflict_id));
        return nt_err_set(err, NT_ECONFLICT, "a person with this national ID exists: %s", "đã có người với số định danh này: %s",
                          holder);
    }
    err->conflict_id[0] = '\0';
    nt_svc_audit(svc, w, "person.national_id_refused", "key", who->key_id);
    if (nt_svc_nid_refusal(svc, who->key_id) > NID_REFUSALS_MAX)
        return nt_err_set(err, NT_ELIMIT, "too many national IDs already registered from this key; try again in an hour",
                          "quá nhiều số định danh đã có trong sổ từ khóa này; hãy thử lại sau một giờ");
    return nt_err_set(err, NT_ECONFLICT, "a person with this national ID is registered already; a regulator can tell which",
                      "số định danh này đã thuộc về một người trong sổ; cơ quan quản lý có thể tra cứu");
}

/* The fields that say who a person is: only a regulator changes them. */
static const char *const identity_fields[] = {"legal_name", "birth_year", "gender", "national_id", NULL};

int nt_svc_person_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, person_spec, PERSON_SPEC_N, "", err) != 0)
        return NT_EINVAL;
    nt__person_draft d = {0};
    int rc = nt__reg_draft_apply(svc, &d, in, "legal_name", err);
    if (rc != 0)
        goto out;
    if (d.p.nid_hash != NULL) {
        char existing[NT_ID_LEN];
        if (svc->store->ops->person_by_nid(svc->store, d.p.nid_hash, existing) == 0) {
            rc = nid_taken(svc, w, who, existing, err);
            goto out;
        }
    }
    nt_id_new("p_", d.p.id, sizeof(d.p.id));
    d.p.version = 1;
    d.p.created_by = who->key_id[0] ? who->key_id : NULL;
    json_t *res = person_json(&d, w->at, w->at, NULL);
    rc = nt__reg_commit_op(svc, w, person_put_op, &d.p, res, true, err);
    if (rc == NT_ECONFLICT && err->conflict_id[0] && strcmp(err->conflict_id, d.p.id) != 0) {
        char holder[NT_ID_LEN]; /* registered meanwhile */
        nt_strlcpy(holder, err->conflict_id, sizeof(holder));
        rc = nid_taken(svc, w, who, holder, err);
    }
    if (rc != 0)
        json_decref(res);
    else
        *out = res;
out:
    nt__reg_draft_free(&d);
    return rc;
}

int nt_svc_person_get(nt_svc *svc, const char *id, json_t **out, nt_err *err)
{
    json_t *p = NULL, *accounts = NULL;
    int rc = svc->store->ops->person_get(svc->store, id, &p);
    if (rc == NT_ENOTFOUND)
        return nt_err_set(err, rc, "no person %s", "không có người %s", id);
    if (rc != 0)
        return nt_err_set(err, rc, "cannot read person %s", "không đọc được người %s", id);
    rc = svc->store->ops->account_list(svc->store, id, &accounts);
    if (rc != 0) {
        json_decref(p);
        return nt_err_set(err, rc, "cannot read accounts of %s", "không đọc được tài khoản của %s", id);
    }
    json_object_set_new(p, "accounts", accounts);
    *out = p;
    return 0;
}

int nt_svc_person_update(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, int64_t version, const json_t *patch,
                         json_t **out, nt_err *err)
{
    /* A patch is the create schema with nothing required; legal_name may not be null. */
    nt_field spec[PERSON_SPEC_N];
    memcpy(spec, person_spec, sizeof(spec));
    for (size_t i = 0; i < PERSON_SPEC_N; i++)
        spec[i].flags = strcmp(spec[i].name, "legal_name") == 0 ? 0 : NT_F_NULLABLE;
    if (nt_schema_check(patch, spec, PERSON_SPEC_N, "", err) != 0)
        return NT_EINVAL;
    json_t *cur = NULL;
    int rc = svc->store->ops->person_get(svc->store, id, &cur);
    if (rc != 0)
        return nt_err_set(err, rc, "no person %s", "không có người %s", id);
    nt__person_draft d = {0};
    json_t *base = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "legal_name", json_object_get(cur, "legal_name"), "aliases",
                             json_object_get(cur, "aliases"), "kind", json_object_get(cur, "kind"), "birth_year",
                             json_object_get(cur, "birth_year"), "gender", json_object_get(cur, "gender"), "province",
                             json_object_get(cur, "province"));
    int64_t stored = json_integer_value(json_object_get(cur, "version"));
    if (stored != version) {
        rc = nt_err_set(err, NT_ESTALE, "person %s is at version %lld, not %lld", "người %s đang ở phiên bản %lld, không phải %lld",
                        id, (long long)stored, (long long)version);
        goto out;
    }
    if ((rc = nt__reg_draft_apply(svc, &d, base, "legal_name", err)) != 0 ||
        (rc = nt__reg_draft_apply(svc, &d, patch, "legal_name", err)) != 0)
        goto out;
    /* The stored national-ID hash carries over unless the patch names a new number or null. */
    bool nid_given = json_object_get(patch, "national_id") != NULL;
    d.p.keep_nid = !nid_given;
    if (d.p.nid_hash != NULL) {
        char existing[NT_ID_LEN];
        if (svc->store->ops->person_by_nid(svc->store, d.p.nid_hash, existing) == 0 && strcmp(existing, id) != 0) {
            rc = nid_taken(svc, w, who, existing, err);
            goto out;
        }
    }
    /* Identity: what changes who the person is. A platform attests accounts; a regulator alone
     * renames, and the change of a person with any decision is logged. */
    char changed[96] = "";
    for (const char *const *f = identity_fields; *f; f++) {
        const json_t *v = json_object_get(patch, *f);
        if (v == NULL || (strcmp(*f, "national_id") != 0 && json_equal(v, json_object_get(cur, *f))))
            continue;
        if (strcmp(*f, "legal_name") == 0 && strcmp(d.p.legal_name, nt_json_str(cur, "legal_name")) == 0)
            continue; /* the same name, written otherwise (NFC) */
        size_t l = strlen(changed);
        snprintf(changed + l, sizeof(changed) - l, "%s%s", l ? ", " : "", *f);
    }
    if (changed[0] && (who == NULL || who->role != NT_ROLE_REGULATOR)) {
        rc = nt_err_set(err, NT_EFORBIDDEN, "only a regulator changes who a person is (%s)",
                        "chỉ cơ quan quản lý được thay đổi thông tin nhận dạng của một người (%s)", changed);
        goto out;
    }
    if (changed[0]) {
        json_t *dec = nt__svc_q1(svc, NT_Q_person_has_decision, json_pack("[s]", id));
        d.p.log = dec != NULL ? NT_LOG_PERSON_IDENTITY : 0;
        json_decref(dec);
    }
    nt_strlcpy(d.p.id, id, sizeof(d.p.id));
    d.p.version = version + 1;
    d.p.created_by = nt_json_str(cur, "created_by");
    json_t *res = person_json(&d, nt_json_str(cur, "created_at"), w->at, NULL);
    bool has_nid = nid_given ? d.nid_hash[0] != '\0' : json_is_true(json_object_get(cur, "has_national_id"));
    json_object_set_new(res, "has_national_id", json_boolean(has_nid));
    rc = nt__reg_commit_op(svc, w, person_update_op, &d.p, res, false, err);
    if (rc != 0) {
        json_decref(res);
        goto out;
    }
    json_t *accounts = NULL;
    if (svc->store->ops->account_list(svc->store, id, &accounts) == 0)
        json_object_set_new(res, "accounts", accounts);
    *out = res;
out:
    json_decref(base);
    json_decref(cur);
    nt__reg_draft_free(&d);
    return rc;
}

#define SEARCH_TOKENS_MAX 8

int nt_svc_person_search(nt_svc *svc, const char *q, const char *cursor, int limit, json_t **out, nt_err *err)
{
    char after[NT_ID_LEN] = "";
    if (cursor != NULL && nt_svc_cursor_decode(cursor, after, sizeof(after)) != 0)
        return nt_err_field(err, "cursor", "invalid", 0);
    char key[NT_KEY_MAX];
    char *tok[SEARCH_TOKENS_MAX + 1];
    int n = 0;
    if (q != NULL) {
        if (nt_text_search_key(q, key, sizeof(key)) < 0)
            return nt_err_field(err, "q", "invalid", 0);
        n = nt_text_tokens(key, tok, SEARCH_TOKENS_MAX + 1);
        if (n > SEARCH_TOKENS_MAX)
            return nt_err_field(err, "q", "too_many", SEARCH_TOKENS_MAX);
    }
    json_t *items = NULL;
    int rc = svc->store->ops->person_search(svc->store, tok, n, after, limit, &items);
    return nt__svc_paged(rc, items, limit, out, err);
}

void nt_svc_person_view(json_t *person, nt_role role)
{
    if (role == NT_ROLE_PUBLIC) {
        json_object_del(person, "birth_year");
        json_object_del(person, "province");
        json_object_del(person, "has_national_id");
        json_object_del(person, "created_by");
        json_t *accounts = json_object_get(person, "accounts");
        size_t i;
        json_t *a;
        json_array_foreach(accounts, i, a)
        {
            json_object_del(a, "claimed_by");
            json_object_del(a, "platform_user_id");
        }
    }
}

/* ---- accounts ---- */

static const nt_field account_spec[] = {
    {"person_id", NT_FT_STR, NT_F_NULLABLE, 1, 40, 0}, {"platform", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},
    {"handle", NT_FT_STR, NT_F_REQUIRED, 1, 64, 0},    {"platform_user_id", NT_FT_STR, NT_F_NULLABLE, 1, 64, 0},
    {"url", NT_FT_STR, NT_F_NULLABLE, 1, 500, 0},      {"followers", NT_FT_INT, NT_F_NULLABLE, 0, 10000000000L, 0},
};

static bool valid_url(const char *u)
{
    return u == NULL || strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0;
}

int nt_svc_account_link(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, int *created, nt_err *err)
{
    if (nt_schema_check(in, account_spec, sizeof(account_spec) / sizeof(account_spec[0]), "", err) != 0)
        return NT_EINVAL;
    nt_account a = {0};
    a.platform = nt_json_str(in, "platform");
    a.display_handle = nt_json_str(in, "handle");
    a.person_id = nt_json_str(in, "person_id");
    a.platform_user_id = nt_json_str(in, "platform_user_id");
    a.url = nt_json_str(in, "url");
    json_t *f = json_object_get(in, "followers");
    a.followers = f && json_is_integer(f) ? json_integer_value(f) : -1;
    if (!nt_platform_known(a.platform))
        return nt_err_field_one_of(err, "platform", "invalid", nt_platforms);
    if (nt_handle_normalize(a.platform, a.display_handle, a.handle) != 0)
        return nt_err_field(err, "handle", "invalid", 0);
    if (!valid_url(a.url))
        return nt_err_field(err, "url", "invalid", 0);
    bool attest = false;
    if (who->role == NT_ROLE_KOL) {
        /* A person claims accounts for itself only; the claim is unverified. */
        if (a.person_id == NULL)
            a.person_id = who->person_id;
        else if (strcmp(a.person_id, who->person_id) != 0)
            return nt_err_set(err, NT_EFORBIDDEN, "a kol key may claim accounts for its own person only",
                              "khóa kol chỉ được khai báo tài khoản của chính mình");
        a.claimed_by = who->person_id;
    } else if (who->role == NT_ROLE_PLATFORM) {
        if (who->platform[0] == '\0' || strcmp(who->platform, a.platform) != 0)
            return nt_err_set(err, NT_EFORBIDDEN, "a platform may attest accounts on its own platform only",
                              "nền tảng chỉ được xác thực tài khoản trên nền tảng của mình");
        if (a.person_id == NULL)
            return nt_err_field(err, "person_id", "required", 0);
        a.verified_by = who->org_id;
        attest = true;
    } else {
        return nt_err_set(err, NT_EFORBIDDEN, "only a kol or a platform may link accounts",
                          "chỉ kol hoặc nền tảng được gắn tài khoản");
    }
    json_t *person = NULL;
    if (svc->store->ops->person_get(svc->store, a.person_id, &person) != 0)
        return nt_err_set(err, NT_ENOTFOUND, "person %s does not exist", "không có người %s", a.person_id);
    json_decref(person);
    account_put_arg put = {&a, attest, false};
    int rc =
        nt__reg_commit_op(svc, w, account_put_op, &put, NULL, false, err); /* the store records the account as it then stands */
    bool updated = put.updated;
    if (rc != 0)
        return rc;
    rc = svc->store->ops->account_get(svc->store, a.platform, a.handle, out);
    if (rc != 0)
        return nt_err_set(err, rc, "cannot read the account back", "không đọc lại được tài khoản");
    *created = !updated;
    return 0;
}

int nt_svc_account_get(nt_svc *svc, const char *platform, const char *handle, json_t **out, nt_err *err)
{
    char norm[NT_HANDLE_MAX];
    if (!nt_platform_known(platform))
        return nt_err_set(err, NT_ENOTFOUND, "unknown platform %s", "không biết nền tảng %s", platform);
    if (nt_handle_normalize(platform, handle, norm) != 0)
        return nt_err_set(err, NT_ENOTFOUND, "no account %s:%s", "không có tài khoản %s:%s", platform, handle);
    json_t *a = NULL, *p = NULL;
    int rc = svc->store->ops->account_get(svc->store, platform, norm, &a);
    if (rc != 0)
        return nt_err_set(err, NT_ENOTFOUND, "no account %s:%s", "không có tài khoản %s:%s", platform, handle);
    rc = svc->store->ops->person_get(svc->store, nt_json_str(a, "person_id"), &p);
    if (rc != 0) {
        json_decref(a);
        return nt_err_set(err, NT_EIO, "the account's person is missing", "thiếu người của tài khoản");
    }
    json_object_set_new(a, "person", p);
    *out = a;
    return 0;
}

int nt_svc_account_unlink(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *platform, const char *handle,
                          char person_id[NT_ID_LEN], nt_err *err)
{
    person_id[0] = '\0';
    char norm[NT_HANDLE_MAX];
    json_t *a = NULL;
    if (!nt_platform_known(platform) || nt_handle_normalize(platform, handle, norm) != 0 ||
        svc->store->ops->account_get(svc->store, platform, norm, &a) != 0)
        return nt_err_set(err, NT_ENOTFOUND, "no account %s:%s", "không có tài khoản %s:%s", platform, handle);
    int rc = 0;
    bool verified = !json_is_null(json_object_get(a, "verified_by"));
    nt_strlcpy(person_id, nt_json_str(a, "person_id"), NT_ID_LEN);
    if (who->role == NT_ROLE_KOL && (strcmp(nt_json_str(a, "person_id"), who->person_id) != 0 || verified))
        rc = nt_err_set(err, NT_EFORBIDDEN, "a kol may unlink only its own unverified claims",
                        "kol chỉ được gỡ tài khoản tự khai báo chưa xác thực của mình");
    else if (who->role == NT_ROLE_PLATFORM && strcmp(who->platform, platform) != 0)
        rc = nt_err_set(err, NT_EFORBIDDEN, "a platform may unlink accounts on its own platform only",
                        "nền tảng chỉ được gỡ tài khoản trên nền tảng của mình");
    json_decref(a);
    if (rc == 0)
        rc = nt__reg_commit_op(svc, w, account_delete_op, (const char *[]){platform, norm}, NULL, false, err);
    return rc;
}
