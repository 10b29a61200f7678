/* libniemtin's mirror: the server's restriction index, filled from a snapshot
 * and the change feed instead of the database. See include/niemtin/niemtin.h. */
#include "core/sanction.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include "index/restrictions.h"
#include <jansson.h>
#include <niemtin/niemtin.h>
#include <stdlib.h>
#include <string.h>

struct niemtin_mirror {
    nt_rindex *ix;
    json_t *holders; /* sanction id -> person id, to remove what a change says is gone (writer side) */
    size_t restrictions;
};

const char *niemtin_version(void)
{
    return NT_VERSION;
}

niemtin_mirror *niemtin_mirror_new(void)
{
    niemtin_mirror *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return NULL;
    m->ix = nt_rindex_new(1024, 1024);
    m->holders = json_object();
    if (m->ix == NULL || m->holders == NULL) {
        niemtin_mirror_free(m);
        return NULL;
    }
    return m;
}

void niemtin_mirror_free(niemtin_mirror *m)
{
    if (m == NULL)
        return;
    nt_rindex_free(m->ix);
    json_decref(m->holders);
    free(m);
}

/* One restriction as the snapshot and the change feed list it. */
static int put_item(niemtin_mirror *m, const json_t *item)
{
    const char *person = json_string_value(json_object_get(item, "person_id"));
    const char *sid = json_string_value(json_object_get(item, "sanction_id"));
    int type = nt_sanction_type_parse(json_string_value(json_object_get(item, "type")));
    if (person == NULL || sid == NULL || type < 0)
        return NIEMTIN_EINVAL;
    nt_restriction r;
    memset(&r, 0, sizeof(r));
    nt_strlcpy(r.sanction_id, sid, sizeof(r.sanction_id));
    const char *num = json_string_value(json_object_get(item, "decision_number"));
    const char *auth = json_string_value(json_object_get(item, "authority"));
    nt_strlcpy(r.decision_number, num ? num : "", sizeof(r.decision_number));
    nt_strlcpy(r.authority, auth ? auth : "", sizeof(r.authority));
    r.type = (nt_sanction_type)type;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(item, "scopes"), i, v) r.scopes |= nt_scope_parse(json_string_value(v));
    json_array_foreach(json_object_get(item, "platforms"), i, v)
    {
        for (int k = 0; nt_platforms[k] != NULL; k++)
            if (json_string_value(v) && strcmp(nt_platforms[k], json_string_value(v)) == 0)
                r.platforms |= 1u << k;
    }
    r.t.start_us = nt_json_time(item, "start_at");
    r.t.end_us = nt_json_time(item, "end_at");
    r.t.lifted_us = nt_json_time(item, "lifted_at");
    r.t.suspended_from_us = nt_json_time(item, "suspended_from");
    r.t.suspended_until_us = nt_json_time(item, "suspended_until");
    bool known = json_object_get(m->holders, sid) != NULL;
    nt_rindex_put(m->ix, person, NULL, &r);
    json_object_set_new(m->holders, sid, json_string(person));
    if (!known)
        m->restrictions++;
    json_array_foreach(json_object_get(item, "handles"), i, v)
    {
        if (json_is_string(v))
            nt_rindex_put_handle(m->ix, json_string_value(v), person);
    }
    return NIEMTIN_OK;
}

int niemtin_mirror_load_snapshot(niemtin_mirror *m, const char *json, size_t len)
{
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
    json_t *items = json_object_get(doc, "items"), *seq = json_object_get(doc, "seq");
    if (!json_is_array(items) || !json_is_integer(seq)) {
        json_decref(doc);
        return NIEMTIN_EINVAL;
    }
    size_t i;
    json_t *item;
    int rc = NIEMTIN_OK;
    if (m->restrictions == 0) {
        /* Size the maps for the snapshot: short chains are what makes a lookup fast. */
        size_t n = json_array_size(items);
        nt_rindex *ix = nt_rindex_new(4 * n, n);
        if (ix == NULL) {
            json_decref(doc);
            return NIEMTIN_ENOMEM;
        }
        nt_rindex_free(m->ix);
        m->ix = ix;
    }
    json_array_foreach(items, i, item) if (rc == NIEMTIN_OK) rc = put_item(m, item);
    if (rc == NIEMTIN_OK)
        nt_rindex_set_seq(m->ix, json_integer_value(seq));
    json_decref(doc);
    return rc;
}

int niemtin_mirror_apply_changes(niemtin_mirror *m, const char *json, size_t len)
{
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
    json_t *items = json_object_get(doc, "items");
    if (!json_is_array(items)) {
        json_decref(doc);
        return NIEMTIN_EINVAL;
    }
    size_t i;
    json_t *c;
    int64_t seq = nt_rindex_seq(m->ix);
    json_array_foreach(items, i, c)
    {
        int64_t s = json_integer_value(json_object_get(c, "seq"));
        const char *entity = json_string_value(json_object_get(c, "entity"));
        const char *id = json_string_value(json_object_get(c, "entity_id"));
        if (s <= seq || entity == NULL || id == NULL)
            continue;
        if (strcmp(entity, "sanction") == 0) {
            json_t *r = json_object_get(c, "restriction");
            if (json_is_object(r)) {
                put_item(m, r);
            } else if (json_object_get(m->holders, id) != NULL) { /* no longer restricting */
                nt_rindex_del(m->ix, json_string_value(json_object_get(m->holders, id)), id);
                json_object_del(m->holders, id);
                m->restrictions--;
            }
        } else if (strcmp(entity, "account") == 0) {
            json_t *a = json_object_get(c, "account");
            const char *person = json_string_value(json_object_get(a, "person_id"));
            if (person != NULL)
                nt_rindex_put_handle(m->ix, id, person);
            else
                nt_rindex_del_handle(m->ix, id);
        }
        seq = s;
    }
    nt_rindex_set_seq(m->ix, seq);
    json_decref(doc);
    return NIEMTIN_OK;
}

int64_t niemtin_mirror_seq(const niemtin_mirror *m)
{
    return nt_rindex_seq(m->ix);
}

size_t niemtin_mirror_size(const niemtin_mirror *m)
{
    return m->restrictions;
}

int niemtin_check(niemtin_mirror *m, const char *subject, const char *scope, int64_t at_us, niemtin_answer *out)
{
    unsigned bits = nt_scope_parse(scope ? scope : "any");
    if (bits == 0 || subject == NULL)
        return NIEMTIN_EINVAL;
    char key[NT_SUBJECT_KEY_MAX], plat[NT_PLATFORM_MAX];
    const char *platform = NULL;
    out->handle_known = false;
    int kind = nt_subject_handle(subject, plat, key);
    if (kind < 0)
        return NIEMTIN_EINVAL;
    if (kind == 0)
        platform = plat;
    nt_restriction_brief first = {out->decision_number, out->authority, &out->start_us, &out->end_us};
    out->restrictions = nt_rindex_check_brief(m->ix, platform ? NULL : subject, platform ? key : NULL, &out->handle_known, bits,
                                              platform, at_us, &first);
    out->allowed = out->restrictions == 0;
    if (out->allowed) {
        out->decision_number[0] = out->authority[0] = '\0';
        out->start_us = out->end_us = 0;
    }
    return NIEMTIN_OK;
}
