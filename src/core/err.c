/* Error reports: formatting in two languages, field errors. */
#include "core/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void nt_err_clear(nt_err *e)
{
    /* Not a memset: the struct is a couple of KiB and is cleared several times per request. */
    if (e == NULL)
        return;
    e->code = 0;
    e->en[0] = e->vi[0] = e->conflict_id[0] = e->allowed[0] = '\0';
    e->state_change = false;
    e->nfields = 0;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int nt_err_set(nt_err *e, int code, const char *fmt_en, const char *fmt_vi, ...)
{
    if (e == NULL)
        return code;
    va_list ap, ap2;
    va_start(ap, fmt_vi);
    va_copy(ap2, ap);
    e->code = code;
    vsnprintf(e->en, sizeof(e->en), fmt_en, ap);
    vsnprintf(e->vi, sizeof(e->vi), fmt_vi, ap2);
    va_end(ap2);
    va_end(ap);
    return code;
}
#pragma GCC diagnostic pop

int nt_err_field(nt_err *e, const char *field, const char *code, long param)
{
    if (e == NULL)
        return NT_EINVAL;
    e->code = NT_EINVAL;
    if (e->nfields < NT_ERR_MAX_FIELDS) {
        nt_field_error *f = &e->fields[e->nfields++];
        snprintf(f->field, sizeof(f->field), "%s", field);
        snprintf(f->code, sizeof(f->code), "%s", code);
        f->param = param;
    }
    return NT_EINVAL;
}

const char *nt_strerror(int code)
{
    switch (code) {
    case NT_OK:
        return "ok";
    case NT_ENOMEM:
        return "out of memory";
    case NT_EINVAL:
        return "invalid input";
    case NT_ENOTFOUND:
        return "not found";
    case NT_ECONFLICT:
        return "conflict";
    case NT_ESTALE:
        return "stale precondition";
    case NT_EIO:
        return "storage error";
    case NT_EFORBIDDEN:
        return "forbidden";
    case NT_EBUSY:
        return "busy";
    }
    return "unknown error";
}
