/* Forms whose fields are named by the paths of an API body ("signer.name", "sources[0].url"), so
 * that an error the service names lands on its field: the fields, a part's heading with the rule it
 * breaks, the error summary linking to each field, and the values people type converted to what
 * the API takes (a time in Vietnam, an amount in VND). The decision form and the notice form use
 * them. */
#include "core/schema.h"
#include "core/util.h"
#include "http/web.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *nt_pf_value(const nt_pform *f, const char *name)
{
    if (f->defaults != NULL) {
        const char *v = nt_json_str(f->defaults, name);
        return v ? strdup(v) : NULL;
    }
    return nt_form_field(f->r, name);
}

bool nt_pf_checked(const nt_pform *f, const char *name)
{
    char *v = nt_pf_value(f, name);
    bool on = v != NULL && strcmp(v, "1") == 0;
    free(v);
    return on;
}

/* A field error as a sentence: the form's own words for it, else the service's. */
static bool sentence(const nt_pform *f, const nt_field_error *e, char *out, size_t cap)
{
    if (f->sentence != NULL && f->sentence(f->r, e, out, cap))
        return true;
    nt_err_field_detail(e, f->r->lang, out, cap);
    return false;
}

bool nt_pf_error(const nt_pform *f, const char *name, char *out, size_t cap)
{
    out[0] = '\0';
    for (int i = 0; f->err != NULL && i < f->err->nfields; i++)
        if (strcmp(f->err->fields[i].field, name) == 0) {
            sentence(f, &f->err->fields[i], out, cap);
            return true;
        }
    return false;
}

void nt_pf_id(const char *name, char *out, size_t cap)
{
    size_t i = 0;
    for (; name[i] && i + 1 < cap; i++)
        out[i] = isalnum((unsigned char)name[i]) ? name[i] : '-';
    out[i] = '\0';
}

void nt_pf_text(nt_page *p, const nt_pform *f, const char *name, const char *type, const char *label, const char *hint)
{
    char id[80], why[200];
    nt_pf_id(name, id, sizeof(id));
    char *v = nt_pf_value(f, name);
    bool bad = nt_pf_error(f, name, why, sizeof(why));
    nt_html(&p->b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"%s\">%s</label>",
            bad ? " govuk-form-group--error" : "", id, label);
    if (hint != NULL)
        nt_html(&p->b, "<div class=\"govuk-hint\" id=\"%s-hint\">%s</div>", id, hint);
    if (bad)
        nt_html(&p->b, "<p class=\"govuk-error-message\" id=\"%s-error\">%s</p>", id, why);
    if (strcmp(type, "textarea") == 0)
        nt_html(&p->b, "<textarea class=\"govuk-textarea%s\" id=\"%s\" name=\"%s\" rows=\"5\">%s</textarea></div>",
                bad ? " govuk-textarea--error" : "", id, name, v ? v : "");
    else
        nt_html(&p->b, "<input class=\"govuk-input%s\" id=\"%s\" name=\"%s\" type=\"%s\" value=\"%s\"%R></div>",
                bad ? " govuk-input--error" : "", id, name, type, v ? v : "",
                strcmp(type, "datetime-local") == 0 ? " step=\"1\"" : "");
    free(v);
}

void nt_pf_choice(nt_page *p, const nt_pform *f, const char *name, const char *label, const char *const (*opts)[3], size_t n)
{
    char id[80], why[200];
    nt_pf_id(name, id, sizeof(id));
    char *v = nt_pf_value(f, name);
    bool bad = nt_pf_error(f, name, why, sizeof(why));
    nt_html(&p->b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"%s\">%s</label>",
            bad ? " govuk-form-group--error" : "", id, label);
    if (bad)
        nt_html(&p->b, "<p class=\"govuk-error-message\" id=\"%s-error\">%s</p>", id, why);
    nt_html(&p->b, "<select class=\"govuk-select\" id=\"%s\" name=\"%s\">", id, name);
    for (size_t i = 0; i < n; i++)
        nt_html(&p->b, "<option value=\"%s\"%R>%s</option>", opts[i][0], v && strcmp(v, opts[i][0]) == 0 ? " selected" : "",
                L(opts[i][1], opts[i][2]));
    nt_html(&p->b, "</select></div>");
    free(v);
}

void nt_pf_section(nt_page *p, const nt_pform *f, const char *name, const char *title)
{
    char id[80], why[200];
    nt_pf_id(name, id, sizeof(id));
    nt_html(&p->b, "<h2 class=\"govuk-heading-m\" id=\"%s\">%s</h2>", id, title);
    if (nt_pf_error(f, name, why, sizeof(why)))
        nt_html(&p->b, "<p class=\"govuk-error-message\">%s</p>", why);
}

void nt_pf_tick(nt_page *p, const nt_pform *f, const char *name, const char *label)
{
    char id[80];
    nt_pf_id(name, id, sizeof(id));
    nt_html(
        &p->b,
        "<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"%s\" name=\"%s\" type=\"checkbox\" "
        "value=\"1\"%R><label class=\"govuk-label govuk-checkboxes__label\" for=\"%s\">%s</label></div>",
        id, name, nt_pf_checked(f, name) ? " checked" : "", id, label);
}

/* A field's name as the form labels it (its path when the form has no label for it). */
static const char *label_of(const nt_page *p, const nt_pform *f, const char *field)
{
    for (size_t i = 0; i < f->nlabels; i++)
        if (strcmp(field, f->labels[i][0]) == 0)
            return L(f->labels[i][1], f->labels[i][2]);
    return field;
}

void nt_pf_summary(nt_page *p, const nt_pform *f, const char *title, const char *problem_id)
{
    nt_html(&p->b,
            "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div role=\"alert\"><h2 "
            "class=\"govuk-error-summary__title\">%s</h2><div class=\"govuk-error-summary__body\">",
            title);
    const char *detail = nt_err_said(p->r, f->err);
    if (detail[0])
        nt_html(&p->b, "<p class=\"govuk-body\" id=\"%s\">%s</p>", problem_id, detail);
    nt_html(&p->b, "<ul class=\"govuk-list govuk-error-summary__list\">");
    for (int i = 0; i < f->err->nfields; i++) {
        char id[80], d[200];
        nt_pf_id(f->err->fields[i].field, id, sizeof(id));
        bool own = sentence(f, &f->err->fields[i], d, sizeof(d));
        nt_html(&p->b, "<li><a href=\"#%s\">%s%s%s</a></li>", id, own ? "" : label_of(p, f, f->err->fields[i].field),
                own ? "" : ": ", d);
    }
    nt_html(&p->b, "</ul></div></div></div>");
}

json_t *nt_pf_local_time(const char *v)
{
    if (v == NULL || v[0] == '\0')
        return NULL;
    char out[48];
    snprintf(out, sizeof(out), "%s%s+07:00", v, strlen(v) == 16 ? ":00" : "");
    return json_string(out);
}

json_t *nt_pf_vnd(const char *typed)
{
    long long v = 0;
    size_t digits = 0;
    for (const char *c = typed; *c;) {
        if (*c >= '0' && *c <= '9' && digits < 15) {
            v = v * 10 + (*c++ - '0');
            digits++;
        } else if (*c == '.' || *c == ' ' || *c == ',') {
            c++;
        } else if (strncmp(c, "₫", sizeof("₫") - 1) == 0) {
            c += sizeof("₫") - 1;
        } else if (strncmp(c, "đ", sizeof("đ") - 1) == 0) {
            c += sizeof("đ") - 1;
        } else {
            return json_string(typed);
        }
    }
    return digits > 0 ? json_integer(v) : json_string(typed);
}
