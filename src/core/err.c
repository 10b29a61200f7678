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
        f->allowed[0] = '\0';
    }
    return NT_EINVAL;
}

int nt_err_field_allowed(nt_err *e, const char *field, const char *code, const char *allowed)
{
    int before = e != NULL ? e->nfields : 0;
    nt_err_field(e, field, code, 0);
    if (e != NULL && e->nfields > before && allowed != NULL) {
        nt_field_error *f = &e->fields[e->nfields - 1];
        if (strlen(allowed) < sizeof(f->allowed)) /* a list cut short would mislead: whole or not at all */
            memcpy(f->allowed, allowed, strlen(allowed) + 1);
    }
    return NT_EINVAL;
}

int nt_err_field_one_of(nt_err *e, const char *field, const char *code, const char *const *list)
{
    char csv[sizeof(e->fields[0].allowed)];
    size_t len = 0;
    bool whole = true;
    csv[0] = '\0';
    for (; list != NULL && *list != NULL && whole; list++) {
        int n = snprintf(csv + len, sizeof(csv) - len, "%s%s", len > 0 ? "," : "", *list);
        whole = n >= 0 && (size_t)n < sizeof(csv) - len;
        len += whole ? (size_t)n : 0;
    }
    return nt_err_field_allowed(e, field, code, whole ? csv : NULL);
}

/* Edits (insert, delete, replace, swap two neighbours) from a to b, counted up to limit + 1. */
static int edits(const char *a, size_t na, const char *b, size_t nb, int limit)
{
    enum { M = 64 };
    if (na >= M || nb >= M || (na > nb ? na - nb : nb - na) > (size_t)limit)
        return limit + 1;
    int d[3][M + 1]; /* rows i-2, i-1 and i of the table, in turn */
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        int *row = d[i % 3], *up = d[(i - 1) % 3], *up2 = d[(i + 1) % 3];
        row[0] = (int)i;
        for (size_t j = 1; j <= nb; j++) {
            int v = up[j - 1] + (a[i - 1] != b[j - 1]);
            v = up[j] + 1 < v ? up[j] + 1 : v;
            v = row[j - 1] + 1 < v ? row[j - 1] + 1 : v;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && up2[j - 2] + 1 < v)
                v = up2[j - 2] + 1;
            row[j] = v;
        }
    }
    return d[na % 3][nb] <= limit ? d[na % 3][nb] : limit + 1;
}

const char *nt_err_field_suggestion(const nt_field_error *f, char *out, size_t cap)
{
    if (strcmp(f->code, "unknown") != 0 || f->allowed[0] == '\0' || cap == 0)
        return NULL;
    const char *name = strrchr(f->field, '.');
    name = name != NULL ? name + 1 : f->field;
    size_t n = strlen(name);
    int best = 3, ties = 0;
    const char *pick = NULL;
    size_t pick_len = 0;
    for (const char *p = f->allowed; *p;) {
        size_t len = strcspn(p, ",");
        int d = edits(name, n, p, len, 2);
        if (d < best) {
            best = d, ties = 1, pick = p, pick_len = len;
        } else if (d == best) {
            ties++;
        }
        p += len + (p[len] == ',');
    }
    /* Nearer than any other, and not a rewrite of most of what was written ("at" is not "to"). */
    if (pick == NULL || ties > 1 || best == 0 || (size_t)best * 2 >= n || pick_len >= cap)
        return NULL;
    memcpy(out, pick, pick_len);
    out[pick_len] = '\0';
    return out;
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
    case NT_EREADONLY:
        return "read-only";
    case NT_EUNAVAIL:
        return "unavailable";
    case NT_ENOSPACE:
        return "insufficient storage";
    }
    return "unknown error";
}

/* Appends text to out only if all of it fits: a sentence cut in the middle of a letter is not text. */
static void append_whole(char *out, size_t cap, const char *text)
{
    size_t len = strlen(out), n = strlen(text);
    if (len + n < cap)
        memcpy(out + len, text, n + 1);
}

void nt_err_field_detail(const nt_field_error *f, nt_lang lang, char *out, size_t cap)
{
    static const struct {
        const char *code, *vi, *en;
    } d[] = {
        {"required", "bắt buộc", "is required"},
        {"unknown", "không phải là trường được hỗ trợ", "is not a known field"},
        {"type", "sai kiểu dữ liệu", "has the wrong type"},
        {"too_long", "dài quá %ld", "is longer than %ld"},
        {"too_short", "ngắn hơn %ld", "is shorter than %ld"},
        {"too_many", "có nhiều hơn %ld phần tử", "has more than %ld items"},
        {"invalid", "giá trị không hợp lệ", "is not valid"},
        {"out_of_range", "ngoài phạm vi cho phép (giới hạn %ld)", "is out of range (limit %ld)"},
        {"duplicate", "bị lặp lại", "is repeated"},
        {"not_found", "không tồn tại", "does not exist"},
        {"category_banned", "thuộc ngành hàng bị cấm quảng cáo", "is in a category that may not be advertised"},
        {"failed", "chưa đạt", "does not pass"},
        {"not_given", "chưa được xác nhận", "is not confirmed"},
        {"nothing_to_compare", "không có chữ cái nào để so sánh", "has no letters to compare"},
        {"not_a_subject", "không phải mã người (vd. p0000002), nền tảng:tài khoản (vd. tiktok:@ten) hay đường dẫn hồ sơ",
         "is neither a person id (e.g. p0000002), a platform:handle (e.g. tiktok:@name) nor a profile URL"},
        {"is_a_name", "trông như một tên người: hãy tra cứu tên bằng POST /v1/screen",
         "looks like a name: look names up with POST /v1/screen"},
        {"unknown_platform", "nền tảng không được hỗ trợ (tiktok, facebook, instagram, youtube, zalo, x, threads)",
         "names no supported platform (tiktok, facebook, instagram, youtube, zalo, x, threads)"},
        {"invalid_handle", "không phải tên tài khoản hợp lệ trên nền tảng này", "is not a valid handle on that platform"},
        {"control_character", "chứa ký tự điều khiển", "contains a control character"},
        {"bidi_control", "chứa ký tự đảo chiều văn bản (U+202A–U+202E, U+2066–U+2069)",
         "contains a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069)"},
        {"invisible", "chỉ gồm ký tự vô hình hoặc dấu kết hợp", "holds only invisible characters or combining marks"},
        {"not_current", "không phải phiên bản tiêu chuẩn đang áp dụng (phiên bản %ld)",
         "is not the standards version in force (version %ld)"},
        {"not_met", "chưa đáp ứng", "is not met"},
        {"not_yours", "không thuộc về bạn", "is not yours"},
        {"not_this_person", "không phải tài khoản của người này", "is not an account of this person"},
        {"not_allowed", "không được dùng với khóa này", "is not allowed with this key"},
        {"attested_by_platforms", "đã có số liệu nền tảng xác nhận: người thẩm định không chấm",
         "is decided by figures platforms attested: a reviewer does not score it"},
        {"names_private_person",
         "nêu tên một người không phải người của công chúng (chỉ được nêu người bị mạo danh hoặc "
         "người có quyết định đã công bố)",
         "names a private person (only an impersonated victim or a person with a published decision may be named)"},
        {"not_same_kind", "khác loại với thông báo ban đầu: hãy rút thông báo và phát hành thông báo mới",
         "is not the notice's kind: withdraw it and issue another"},
        {"not_subscribed", "không nhận sự kiện notice.published", "does not take the notice.published event"},
        {"internal_address", "trỏ tới một địa chỉ nội bộ (loopback, mạng riêng, link-local): không được gửi tới đó",
         "points to an internal address (loopback, private, link-local): nothing is sent there"},
    };
    if (cap == 0)
        return;
    snprintf(out, cap, "%s", f->code);
    for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
        if (strcmp(d[i].code, f->code) == 0) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
            snprintf(out, cap, lang == NT_LANG_EN ? d[i].en : d[i].vi, f->param);
#pragma GCC diagnostic pop
            break;
        }
    }
    bool en = lang == NT_LANG_EN, unknown = strcmp(f->code, "unknown") == 0;
    char near[64], more[sizeof(f->allowed) + 64];
    if (nt_err_field_suggestion(f, near, sizeof(near)) != NULL) {
        snprintf(more, sizeof(more), en ? " (did you mean “%s”?)" : " (ý bạn là “%s”?)", near);
        append_whole(out, cap, more);
    }
    if (f->allowed[0]) {
        const char *lead = unknown                           ? (en ? "; known: " : "; các trường được hỗ trợ: ")
                           : strchr(f->allowed, ',') != NULL ? (en ? "; one of: " : "; một trong: ")
                                                             : (en ? "; must be: " : "; phải là: ");
        size_t n = (size_t)snprintf(more, sizeof(more), "%s", lead);
        for (const char *p = f->allowed; *p && n < sizeof(more) - 3; p++) { /* "a,b" read as "a, b" */
            more[n++] = *p;
            if (*p == ',')
                more[n++] = ' ';
        }
        more[n] = '\0';
        append_whole(out, cap, more);
    }
}
