/* A posted form's refusal when it lacks this visitor's token: apart from web.c, which the problem
 * pages (problem.c) call, since the refusal is itself a problem page. */
#include "http/web.h"
#include "core/alloc.h"
#include <stdlib.h>
#include <string.h>

bool nt_form_refused(nt_req *r, enum MHD_Result *ret)
{
    /* The token is a field of the form, urlencoded or (a file's form) multipart. */
    char *csrf = nt_form_field(r, "csrf");
    bool ok = nt_form_csrf_ok(r, csrf);
    free(csrf);
    if (ok)
        return false;
    nt_err e;
    nt_err_clear(&e);
    nt_err_set(&e, NT_EFORBIDDEN, "the form has expired or did not come from this site: open the page again",
               "biểu mẫu đã hết hạn hoặc không đến từ trang này: hãy mở lại trang");
    *ret = nt_respond_problem(r, 403, "forbidden", &e);
    return true;
}
