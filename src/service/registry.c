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
#include "service/commit.h"
#include "service/service.h"
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_CHARS    200
#define ALIASES_MAX       20
#define PERSON_TOKENS_MAX 64

static const char *const org_kinds[] = {"operator",        "regulator",  "platform", "broadcaster", "press",
                                        "event_organiser", "advertiser", "alliance", NULL};
static const char *const person_kinds[] = {"kol", "koc", "artist", "mc", "expert", "other", NULL};
static const char *const genders[] = {"f", "m", "x", NULL};

static bool one_of(const char *s, const char *const *list)
{
    for (; s != NULL && *list != NULL; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static bool valid_id(const char *s)
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
static int commit_op(nt_svc *svc, nt_wctx *w, int (*op)(nt_store *, const nt_wctx *, void *, nt_err *), void *arg,
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
    if (!one_of(kind, org_kinds))
        return nt_err_field(err, "kind", "invalid", 0);
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
    int rc = commit_op(svc, w, org_put_op, &o, res, true, err);
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

/* The fields of a person besides its name: shared by the API and the import. */
#define PERSON_FIELDS                                                                                                              \
    {"aliases", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, ALIASES_MAX, NAME_MAX_CHARS}, {"kind", NT_FT_STR, NT_F_NULLABLE, 1, 16, 0},     \
        {"birth_year", NT_FT_INT, NT_F_NULLABLE, 1900, 2100, 0}, {"gender", NT_FT_STR, NT_F_NULLABLE, 1, 1, 0},                    \
        {"province", NT_FT_STR, NT_F_NULLABLE, 1, 100, 0},                                                                         \
    {                                                                                                                              \
        "national_id", NT_FT_STR, NT_F_NULLABLE, 9, 12, 0                                                                          \
    }

static const nt_field person_spec[] = {
    {"legal_name", NT_FT_STR, NT_F_REQUIRED, 1, NAME_MAX_CHARS, 0},
    PERSON_FIELDS,
};
#define PERSON_SPEC_N (sizeof(person_spec) / sizeof(person_spec[0]))

/* The working form of a person while it is validated and normalised; owns its strings. */
typedef struct person_draft {
    nt_person p;
    char *name;
    char *aliases_json;
    char *province;
    char key[NT_KEY_MAX];
    char tokens[NT_KEY_MAX * 4];
    char nid_hash[65];
} person_draft;

static void draft_free(person_draft *d)
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
static int add_tokens(person_draft *d, const char *text, int *count)
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
static int draft_apply(nt_svc *svc, person_draft *d, const json_t *in, const char *name_field, nt_err *err)
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
        if (!one_of(k, person_kinds))
            nt_err_field(err, "kind", "invalid", 0);
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
        if (g != NULL && !one_of(g, genders))
            nt_err_field(err, "gender", "invalid", 0);
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
static json_t *person_json(const person_draft *d, const char *created_at, const char *updated_at, json_t *accounts)
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

int nt_svc_person_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err)
{
    if (nt_schema_check(in, person_spec, PERSON_SPEC_N, "", err) != 0)
        return NT_EINVAL;
    person_draft d = {0};
    int rc = draft_apply(svc, &d, in, "legal_name", err);
    if (rc != 0)
        goto out;
    if (d.p.nid_hash != NULL) {
        char existing[NT_ID_LEN];
        if (svc->store->ops->person_by_nid(svc->store, d.p.nid_hash, existing) == 0) {
            nt_strlcpy(err->conflict_id, existing, sizeof(err->conflict_id));
            rc = nt_err_set(err, NT_ECONFLICT, "a person with this national ID exists: %s", "đã có người với số định danh này: %s",
                            existing);
            goto out;
        }
    }
    nt_id_new("p_", d.p.id, sizeof(d.p.id));
    d.p.version = 1;
    d.p.created_by = who->key_id[0] ? who->key_id : NULL;
    json_t *res = person_json(&d, w->at, w->at, NULL);
    rc = commit_op(svc, w, person_put_op, &d.p, res, true, err);
    if (rc != 0)
        json_decref(res);
    else
        *out = res;
out:
    draft_free(&d);
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

int nt_svc_person_update(nt_svc *svc, nt_wctx *w, const char *id, int64_t version, const json_t *patch, json_t **out, nt_err *err)
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
    person_draft d = {0};
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
    if ((rc = draft_apply(svc, &d, base, "legal_name", err)) != 0 || (rc = draft_apply(svc, &d, patch, "legal_name", err)) != 0)
        goto out;
    /* The stored national-ID hash carries over unless the patch names a new number or null. */
    bool nid_given = json_object_get(patch, "national_id") != NULL;
    d.p.keep_nid = !nid_given;
    if (d.p.nid_hash != NULL) {
        char existing[NT_ID_LEN];
        if (svc->store->ops->person_by_nid(svc->store, d.p.nid_hash, existing) == 0 && strcmp(existing, id) != 0) {
            nt_strlcpy(err->conflict_id, existing, sizeof(err->conflict_id));
            rc = nt_err_set(err, NT_ECONFLICT, "a person with this national ID exists: %s", "đã có người với số định danh này: %s",
                            existing);
            goto out;
        }
    }
    nt_strlcpy(d.p.id, id, sizeof(d.p.id));
    d.p.version = version + 1;
    d.p.created_by = nt_json_str(cur, "created_by");
    json_t *res = person_json(&d, nt_json_str(cur, "created_at"), w->at, NULL);
    bool has_nid = nid_given ? d.nid_hash[0] != '\0' : json_is_true(json_object_get(cur, "has_national_id"));
    json_object_set_new(res, "has_national_id", json_boolean(has_nid));
    rc = commit_op(svc, w, person_update_op, &d.p, res, false, err);
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
    draft_free(&d);
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
        return nt_err_field(err, "platform", "invalid", 0);
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
    int rc = commit_op(svc, w, account_put_op, &put, NULL, false, err); /* the store records the account as it then stands */
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
        rc = commit_op(svc, w, account_delete_op, (const char *[]){platform, norm}, NULL, false, err);
    return rc;
}

/* ---- import ---- */

static const nt_field import_spec[] = {
    {"id", NT_FT_STR, NT_F_REQUIRED, 1, 40, 0},
    {"name", NT_FT_STR, 0, 1, NAME_MAX_CHARS, 0},
    {"legal_name", NT_FT_STR, 0, 1, NAME_MAX_CHARS, 0},
    PERSON_FIELDS,
    {"accounts", NT_FT_OBJ_ARRAY, NT_F_NULLABLE, 0, 50, 0},
};
static const nt_field import_account_spec[] = {
    {"platform", NT_FT_STR, NT_F_REQUIRED, 1, 20, 0},
    {"handle", NT_FT_STR, NT_F_REQUIRED, 1, 64, 0},
    {"platform_user_id", NT_FT_STR, NT_F_NULLABLE, 1, 64, 0},
    {"url", NT_FT_STR, NT_F_NULLABLE, 1, 500, 0},
    {"followers", NT_FT_INT, NT_F_NULLABLE, 0, 10000000000L, 0},
};

#define IMPORT_LINE_MAX (64 * 1024)

/* Import runs as a pipeline of two threads: a reader parses, validates and normalises lines
 * (JSON, NFC, search keys, handle rules) while the caller's thread, which holds the store's
 * transaction, writes what is ready. Either side's error stops both and nothing is kept. */

typedef struct import_item {
    long line;
    json_t *in; /* owns the strings the draft and the accounts point into */
    person_draft d;
    int nacc;
    nt_account *acc;
    struct import_item *next;
} import_item;

typedef struct import_queue {
    pthread_mutex_t lock;
    pthread_cond_t ready, room;
    /* Items travel in batches: the reader hands over full batches, the writer hands spent ones
     * back for the reader to free (freeing memory on the thread that allocated it avoids
     * contention in the allocator). */
    import_item *full_head, *full_tail, *spent;
    int batches;
    bool done, abort;
    /* the reader's side */
    nt_svc *svc;
    const nt_wctx *w;
    FILE *file;
    long lines, accounts_invalid;
    char first_invalid[160];
    int rc;
    nt_err err;
} import_queue;

#define IMPORT_BATCH       512
#define IMPORT_BATCHES_MAX 8

static void item_free(import_item *it)
{
    draft_free(&it->d);
    free(it->acc);
    json_decref(it->in);
    free(it);
}

static void items_free(import_item *it)
{
    while (it != NULL) {
        import_item *next = it->next;
        item_free(it);
        it = next;
    }
}

/* Parses and checks one line into an item; NULL with q->rc and q->err set on a bad line. */
static import_item *import_prepare(import_queue *q, const char *line, size_t len)
{
    nt_err *err = &q->err;
    json_error_t jerr;
    json_t *in = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (in == NULL) {
        q->rc = nt_err_set(err, NT_EINVAL, "line %ld: invalid JSON: %s", "dòng %ld: JSON không hợp lệ: %s", q->lines, jerr.text);
        return NULL;
    }
    import_item *it = nt_xcalloc(1, sizeof(*it));
    if (it == NULL) {
        json_decref(in);
        q->rc = NT_ENOMEM;
        return NULL;
    }
    it->in = in;
    it->line = q->lines;
    const char *name_field = json_object_get(in, "legal_name") ? "legal_name" : "name";
    int rc = nt_schema_check(in, import_spec, sizeof(import_spec) / sizeof(import_spec[0]), "", err);
    if (rc == 0 && json_object_get(in, name_field) == NULL)
        rc = nt_err_field(err, "name", "required", 0);
    if (rc == 0 && !valid_id(nt_json_str(in, "id")))
        rc = nt_err_field(err, "id", "invalid", 0);
    json_t *accounts = json_object_get(in, "accounts");
    size_t i;
    json_t *a;
    json_array_foreach(accounts, i, a)
    {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "accounts[%zu].", i);
        if (rc == 0)
            rc = nt_schema_check(a, import_account_spec, sizeof(import_account_spec) / sizeof(import_account_spec[0]), prefix, err);
    }
    if (rc == 0)
        rc = draft_apply(q->svc, &it->d, in, name_field, err);
    if (rc != 0) {
        char what[200] = "";
        if (err->nfields > 0)
            snprintf(what, sizeof(what), "%s: %s", err->fields[0].field, err->fields[0].code);
        q->rc = nt_err_set(err, NT_EINVAL, "line %ld: %s %s", "dòng %ld: %s %s", q->lines, what, err->en);
        item_free(it);
        return NULL;
    }
    nt_strlcpy(it->d.p.id, nt_json_str(in, "id"), sizeof(it->d.p.id));
    it->d.p.version = 1;
    it->d.p.created_by = q->w->key_id;
    it->acc = nt_xcalloc(json_array_size(accounts) + 1, sizeof(nt_account));
    if (it->acc == NULL) {
        item_free(it);
        q->rc = NT_ENOMEM;
        return NULL;
    }
    json_array_foreach(accounts, i, a)
    {
        nt_account *acc = &it->acc[it->nacc];
        acc->platform = nt_json_str(a, "platform");
        acc->display_handle = nt_json_str(a, "handle");
        acc->person_id = it->d.p.id;
        acc->platform_user_id = nt_json_str(a, "platform_user_id");
        acc->url = nt_json_str(a, "url");
        json_t *f = json_object_get(a, "followers");
        acc->followers = f && json_is_integer(f) ? json_integer_value(f) : -1;
        if (!nt_platform_known(acc->platform) || nt_handle_normalize(acc->platform, acc->display_handle, acc->handle) != 0) {
            /* Not a handle the platform allows: report it, keep the rest of the person. */
            if (q->accounts_invalid++ == 0)
                snprintf(q->first_invalid, sizeof(q->first_invalid), "line %ld: %s:%s", q->lines, acc->platform,
                         acc->display_handle);
            continue;
        }
        it->nacc++;
    }
    return it;
}

/* Hands a batch to the writer; frees what the writer handed back. False when told to stop. */
static bool import_hand_over(import_queue *q, import_item *head, import_item *tail)
{
    pthread_mutex_lock(&q->lock);
    while (q->batches >= IMPORT_BATCHES_MAX && !q->abort)
        pthread_cond_wait(&q->room, &q->lock);
    bool stop = q->abort;
    if (!stop && head != NULL) {
        tail->next = NULL;
        /* Batches are chained through the last item's next pointer to the next batch's head. */
        if (q->full_tail)
            q->full_tail->next = head;
        else
            q->full_head = head;
        q->full_tail = tail;
        q->batches++;
        pthread_cond_signal(&q->ready);
    }
    import_item *spent = q->spent;
    q->spent = NULL;
    pthread_mutex_unlock(&q->lock);
    items_free(spent);
    if (stop)
        items_free(head);
    return !stop;
}

static void *import_reader(void *arg)
{
    import_queue *q = arg;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    import_item *head = NULL, *tail = NULL;
    int n = 0;
    bool go = true;
    while (go && q->rc == 0 && (len = getline(&line, &cap, q->file)) >= 0) {
        q->lines++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (len > IMPORT_LINE_MAX) {
            q->rc = nt_err_set(&q->err, NT_EINVAL, "line %ld: longer than %d bytes", "dòng %ld: dài hơn %d byte", q->lines,
                               IMPORT_LINE_MAX);
            break;
        }
        import_item *it = import_prepare(q, line, (size_t)len);
        if (it == NULL)
            break;
        if (tail)
            tail->next = it;
        else
            head = it;
        tail = it;
        if (++n == IMPORT_BATCH) {
            go = import_hand_over(q, head, tail);
            head = tail = NULL;
            n = 0;
        }
    }
    free(line);
    if (q->rc == 0 && ferror(q->file))
        q->rc = nt_err_set(&q->err, NT_EIO, "read error", "lỗi đọc tệp");
    if (q->rc == 0 && go && head != NULL)
        import_hand_over(q, head, tail);
    else
        items_free(head);
    pthread_mutex_lock(&q->lock);
    q->done = true;
    pthread_cond_signal(&q->ready);
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* Writes one prepared person and its accounts inside the import's transaction. */
static int import_store(nt_svc *svc, const nt_wctx *w, import_item *it, nt_import_report *rep, nt_err *err)
{
    int rc = svc->store->ops->bulk_person(svc->store, w, &it->d.p, err);
    if (rc != 0) {
        char en[256];
        nt_strlcpy(en, err->en, sizeof(en));
        return nt_err_set(err, rc, "line %ld: %s", "dòng %ld: %s", it->line, en);
    }
    rep->persons++;
    for (int i = 0; i < it->nacc; i++) {
        nt_account *acc = &it->acc[i];
        nt_err sub;
        nt_err_clear(&sub);
        rc = svc->store->ops->bulk_account(svc->store, w, acc, &sub);
        if (rc == NT_ECONFLICT) {
            /* Handles are unique per platform: the first person to hold one keeps it. */
            if (rep->accounts_skipped++ == 0)
                snprintf(rep->first_skip, sizeof(rep->first_skip), "line %ld: %s:%s already linked to %s", it->line, acc->platform,
                         acc->handle, sub.conflict_id);
            continue;
        }
        if (rc != 0) {
            *err = sub;
            return rc;
        }
        rep->accounts++;
    }
    return 0;
}

typedef struct import_arg {
    nt_svc *svc;
    FILE *in;
    nt_import_report *rep;
} import_arg;

/* The import as one typed operation: the store's bulk transaction around every line. */
static int import_op(nt_store *st, const nt_wctx *w, void *arg, nt_err *err)
{
    (void)st;
    import_arg *a = arg;
    nt_svc *svc = a->svc;
    nt_import_report *rep = a->rep;
    FILE *in = a->in;
    memset(rep, 0, sizeof(*rep));
    import_queue *q = nt_xcalloc(1, sizeof(*q));
    if (q == NULL)
        return NT_ENOMEM;
    int rc = svc->store->ops->bulk_begin(svc->store, err);
    if (rc != 0) {
        free(q);
        return rc;
    }
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->ready, NULL);
    pthread_cond_init(&q->room, NULL);
    q->svc = svc;
    q->w = w;
    q->file = in;
    pthread_t reader;
    bool started = pthread_create(&reader, NULL, import_reader, q) == 0;
    if (!started)
        rc = nt_err_set(err, NT_ENOMEM, "cannot start the reader thread", "không khởi động được luồng đọc");
    import_item *spent = NULL;
    while (rc == 0) {
        pthread_mutex_lock(&q->lock);
        if (spent != NULL) {
            import_item *last = spent;
            while (last->next != NULL)
                last = last->next;
            last->next = q->spent;
            q->spent = spent;
            spent = NULL;
        }
        while (q->full_head == NULL && !q->done)
            pthread_cond_wait(&q->ready, &q->lock);
        /* Take everything handed over so far. */
        import_item *batch = q->full_head;
        q->full_head = q->full_tail = NULL;
        q->batches = 0;
        pthread_cond_signal(&q->room);
        pthread_mutex_unlock(&q->lock);
        if (batch == NULL)
            break; /* done and drained */
        for (import_item *it = batch; it != NULL && rc == 0; it = it->next)
            rc = import_store(svc, w, it, rep, err);
        spent = batch;
    }
    pthread_mutex_lock(&q->lock);
    if (rc != 0)
        q->abort = true;
    pthread_cond_signal(&q->room);
    pthread_mutex_unlock(&q->lock);
    if (started)
        pthread_join(reader, NULL);
    items_free(spent);
    items_free(q->spent);
    items_free(q->full_head);
    if (rc == 0 && q->rc != 0) {
        rc = q->rc;
        *err = q->err;
    }
    rep->lines = q->lines;
    rep->accounts_invalid = q->accounts_invalid;
    memcpy(rep->first_invalid, q->first_invalid, sizeof(rep->first_invalid));
    char summary[96];
    snprintf(summary, sizeof(summary), "%ld persons, %ld accounts", rep->persons, rep->accounts);
    int end = svc->store->ops->bulk_end(svc->store, w, summary, rc == 0, rc == 0 ? err : NULL);
    pthread_cond_destroy(&q->ready);
    pthread_cond_destroy(&q->room);
    pthread_mutex_destroy(&q->lock);
    free(q);
    return rc != 0 ? rc : end;
}

int nt_svc_person_import(nt_svc *svc, nt_wctx *w, FILE *in, nt_import_report *rep, nt_err *err)
{
    import_arg a = {svc, in, rep};
    return commit_op(svc, w, import_op, &a, NULL, false, err);
}
