/* Field-list checks for decoded JSON objects. */
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include <stdio.h>
#include <utf8proc.h>
#include <string.h>

static const nt_field *find(const nt_field *spec, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(spec[i].name, name) == 0)
            return &spec[i];
    return NULL;
}

/* What a text may hold: no control characters but tab and line breaks (CR only before LF), no
 * bidirectional overrides or isolates (they make text read other than it is stored), and at least
 * one visible character (not only spaces, invisible format characters or combining marks).
 * NULL, or the field-error code. */
static const char *text_refused(const char *s)
{
    bool visible = false;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &c);
        if (n <= 0)
            return "invalid";
        if ((c < 0x20 && c != '\t' && c != '\n' && !(c == '\r' && p[1] == '\n')) || (c >= 0x7f && c <= 0x9f))
            return "control_character";
        if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
            return "bidi_control";
        utf8proc_category_t cat = utf8proc_category(c);
        if (!(cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME ||
              cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_CC || (c >= 0xfe00 && c <= 0xfe0f)))
            visible = true;
        p += n;
    }
    return visible || *s == '\0' ? NULL : "invisible";
}

static void check_str(const json_t *v, const char *field, long min, long max, nt_err *err)
{
    const char *s = json_string_value(v);
    size_t bytes = json_string_length(v);
    /* jansson accepts embedded NUL in strings; nothing here wants one. */
    if (strlen(s) != bytes) {
        nt_err_field(err, field, "invalid", 0);
        return;
    }
    const char *why = text_refused(s);
    if (why != NULL) {
        nt_err_field(err, field, why, 0);
        return;
    }
    long len = (long)nt_text_length(s);
    if (max > 0 && len > max)
        nt_err_field(err, field, "too_long", max);
    else if (len < (min > 0 ? min : 0))
        nt_err_field(err, field, min <= 1 ? "required" : "too_short", min);
}

int nt_schema_check(const json_t *obj, const nt_field *spec, size_t n, const char *prefix, nt_err *err)
{
    char name[96];
    int before = err->nfields;
    if (!json_is_object(obj)) {
        nt_err_field(err, *prefix ? prefix : "(body)", "type", 0);
        return NT_EINVAL;
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        if (find(spec, n, k) == NULL) {
            const char *known[64];
            size_t m = 0;
            for (size_t i = 0; i < n && m < sizeof(known) / sizeof(known[0]) - 1; i++)
                known[m++] = spec[i].name;
            known[m] = NULL;
            snprintf(name, sizeof(name), "%s%s", prefix, k);
            nt_err_field_one_of(err, name, "unknown", m == n ? known : NULL);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const nt_field *f = &spec[i];
        snprintf(name, sizeof(name), "%s%s", prefix, f->name);
        v = json_object_get(obj, f->name);
        if (v == NULL || json_is_null(v)) {
            if (v == NULL && (f->flags & NT_F_REQUIRED))
                nt_err_field(err, name, "required", 0);
            else if (v != NULL && !(f->flags & NT_F_NULLABLE))
                nt_err_field(err, name, (f->flags & NT_F_REQUIRED) ? "required" : "type", 0);
            continue;
        }
        switch (f->type) {
        case NT_FT_STR:
            if (!json_is_string(v))
                nt_err_field(err, name, "type", 0);
            else
                check_str(v, name, f->min, f->max, err);
            break;
        case NT_FT_INT:
            if (!json_is_integer(v))
                nt_err_field(err, name, "type", 0);
            else if (json_integer_value(v) < f->min || json_integer_value(v) > f->max)
                nt_err_field(err, name, "out_of_range", json_integer_value(v) < f->min ? f->min : f->max);
            break;
        case NT_FT_NUM:
            if (!json_is_number(v))
                nt_err_field(err, name, "type", 0);
            else if (json_number_value(v) * 1000.0 < (double)f->min || json_number_value(v) * 1000.0 > (double)f->max)
                nt_err_field(err, name, "out_of_range",
                             json_number_value(v) * 1000.0 < (double)f->min ? f->min / 1000 : f->max / 1000);
            break;
        case NT_FT_BOOL:
            if (!json_is_boolean(v))
                nt_err_field(err, name, "type", 0);
            break;
        case NT_FT_OBJ:
            if (!json_is_object(v))
                nt_err_field(err, name, "type", 0);
            break;
        case NT_FT_STR_ARRAY:
        case NT_FT_OBJ_ARRAY:
            if (!json_is_array(v)) {
                nt_err_field(err, name, "type", 0);
            } else if ((long)json_array_size(v) > f->max) {
                nt_err_field(err, name, "too_many", f->max);
            } else {
                size_t j;
                json_t *item;
                json_array_foreach(v, j, item)
                {
                    char iname[128];
                    snprintf(iname, sizeof(iname), "%s[%zu]", name, j);
                    if (f->type == NT_FT_OBJ_ARRAY ? !json_is_object(item) : !json_is_string(item))
                        nt_err_field(err, iname, "type", 0);
                    else if (f->type == NT_FT_STR_ARRAY)
                        check_str(item, iname, 1, f->item_max, err);
                }
            }
            break;
        }
    }
    return err->nfields > before ? NT_EINVAL : 0;
}

const char *nt_json_str(const json_t *obj, const char *name)
{
    return json_string_value(json_object_get(obj, name));
}

int64_t nt_json_time(const json_t *obj, const char *name)
{
    int64_t us = 0;
    const char *s = nt_json_str(obj, name);
    if (s != NULL && nt_time_parse(s, &us) != 0)
        us = 0;
    return us;
}

static bool time_key(const char *k)
{
    static const char *const exact[] = {"at", "from", "to", "deadline", "appeal_deadline", "start", "end", NULL};
    size_t n = strlen(k);
    return nt_str_one_of(k, exact) || (n > 3 && strcmp(k + n - 3, "_at") == 0) || (n > 5 && strcmp(k + n - 5, "_from") == 0) ||
           (n > 6 && strcmp(k + n - 6, "_until") == 0);
}

void nt_json_show_times(json_t *v)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            int64_t us;
            if (json_is_string(x) && time_key(k) && nt_time_parse(json_string_value(x), &us) == 0) {
                char local[NT_TIME_LEN];
                nt_time_local(us, local);
                json_string_set(x, local);
            } else if (json_is_object(x) || json_is_array(x)) {
                nt_json_show_times(x);
            }
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) nt_json_show_times(x);
    }
}

/* {"vi": "...", "en": "..."} and nothing else. */
static bool both_languages(const json_t *o)
{
    return json_is_object(o) && json_object_size(o) == 2 && json_is_string(json_object_get(o, "vi")) &&
           json_is_string(json_object_get(o, "en"));
}

/* The fields whose text is written for a reader, as a reason or a detail (data in both languages,
 * such as the ad category rules' "why", is left as it is). */
static bool reader_text(const char *k)
{
    static const char *const keys[] = {"detail", "reason", "state_reason", "note", NULL};
    return nt_str_one_of(k, keys);
}

void nt_json_pick_language(json_t *v, nt_lang lang)
{
    const char *want = lang == NT_LANG_EN ? "en" : "vi";
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            if (reader_text(k) && both_languages(x))
                json_object_set(v, k, json_object_get(x, want));
            else if (json_is_object(x) || json_is_array(x))
                nt_json_pick_language(x, lang);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) nt_json_pick_language(x, lang);
    }
}
