/* Recommendations from the repeat-violation policy (core/policy.c): who may warrant a temporary
 * restriction or a long-term review, with the decisions behind each. */
#include "core/alloc.h"
#include "core/caseflow.h"
#include "core/policy.h"
#include "core/sanction.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/util.h"
#include "log/entry.h"
#include "service/commit.h"
#include "service/dueprocess_int.h"
#include "service/recommendations.h"
#include "service/query.h"
#include "service/webhooks.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- recommendations ---- */

/* A reason in both languages (the reader's is picked when the answer is sent). */
static json_t *bilingual(const char *vi, const char *en, ...)
{
    char tv[400], te[400];
    va_list ap;
    va_start(ap, en);
    va_list ap2;
    va_copy(ap2, ap);
    vsnprintf(tv, sizeof(tv), vi, ap);
    vsnprintf(te, sizeof(te), en, ap2);
    va_end(ap2);
    va_end(ap);
    return json_pack("{s:s, s:s}", "vi", tv, "en", te);
}

static json_t *long_term_reason(int ntemp)
{
    return bilingual("đã có %d lần hạn chế tạm thời: có thể xem xét biện pháp dài hạn",
                     "%d temporary restrictions so far: a long-term measure may be reviewed", ntemp);
}

int nt_svc_recommendations(nt_svc *svc, json_t **out, nt_err *err)
{
    json_t *violations = q(svc, NT_Q_violations_all, json_array());
    json_t *temps = q(svc, NT_Q_temporary_restrictions_all, json_array());
    if (violations == NULL || temps == NULL) {
        json_decref(violations);
        json_decref(temps);
        return nt_err_set(err, NT_EIO, "cannot read decisions", "không đọc được quyết định");
    }
    nt_policy policy = svc->policy;
    int64_t now = nt_now_us();
    json_t *items = json_array();
    size_t total = json_array_size(violations), i = 0;
    int64_t *times = nt_xcalloc(total + 1, sizeof(int64_t));
    /* Persons with restrictions but no violations counted still may reach the long-term rule. */
    json_t *seen = json_object();
    while (i <= total) {
        size_t j = i;
        const char *person = i < total ? nt_json_str(json_array_get(violations, i), "person_id") : NULL;
        while (j < total && strcmp(nt_json_str(json_array_get(violations, j), "person_id"), person) == 0) {
            times[j - i] = nt_json_time(json_array_get(violations, j), "issued_at");
            j++;
        }
        if (person == NULL)
            break;
        int ntemp = 0;
        size_t k;
        json_t *t;
        json_array_foreach(temps, k, t) if (strcmp(nt_json_str(t, "person_id"), person) == 0) ntemp =
            (int)json_integer_value(json_object_get(t, "n"));
        json_object_set_new(seen, person, json_true());
        nt_recommendation r = nt_policy_evaluate(&policy, times, j - i, ntemp, now);
        if (r.kind != NT_RECOMMEND_NONE) {
            json_t *behind = json_array();
            size_t from = r.kind == NT_RECOMMEND_LONG_TERM_REVIEW ? i : i + r.first;
            size_t to = r.kind == NT_RECOMMEND_LONG_TERM_REVIEW ? j : i + r.last + 1;
            for (size_t m = from; m < to; m++) {
                json_t *v = json_array_get(violations, m);
                json_array_append_new(behind,
                                      json_pack("{s:O, s:O, s:O}", "decision_id", json_object_get(v, "id"), "number",
                                                json_object_get(v, "number"), "issued_at", json_object_get(v, "issued_at")));
            }
            json_t *rec = json_pack("{s:s, s:s, s:i, s:o}", "person_id", person, "recommendation",
                                    nt_recommendation_kind_name(r.kind), "temporary_restrictions", ntemp, "decisions", behind);
            if (r.kind == NT_RECOMMEND_TEMPORARY_RESTRICTION) {
                json_object_set_new(rec, "min_days", json_integer(r.min_days));
                json_object_set_new(rec, "max_days", json_integer(r.max_days));
                json_object_set_new(rec, "window_days", json_integer(r.window_days));
                json_object_set_new(
                    rec, "reason",
                    bilingual("%zu vi phạm trong %d ngày: có thể xem xét hạn chế xuất hiện tạm thời từ %d đến %d ngày",
                              "%zu violations within %d days: a temporary appearance restriction of %d to %d "
                              "days may be considered",
                              to - from, r.window_days, r.min_days, r.max_days));
            } else {
                json_object_set_new(rec, "reason", long_term_reason(ntemp));
            }
            json_array_append_new(items, rec);
        }
        i = j;
    }
    /* The long-term rule for persons whose violations fell out of every window. */
    size_t k;
    json_t *t;
    json_array_foreach(temps, k, t)
    {
        const char *person = nt_json_str(t, "person_id");
        int ntemp = (int)json_integer_value(json_object_get(t, "n"));
        if (json_object_get(seen, person) == NULL && ntemp >= policy.long_term_after)
            json_array_append_new(items,
                                  json_pack("{s:s, s:s, s:i, s:[], s:o}", "person_id", person, "recommendation", "long_term_review",
                                            "temporary_restrictions", ntemp, "decisions", "reason", long_term_reason(ntemp)));
    }
    free(times);
    json_decref(seen);
    json_decref(violations);
    json_decref(temps);
    *out = json_pack("{s:o, s:{s:s, s:s}}", "items", items, "note", "vi",
                     "Chỉ là đề nghị: không có gì được áp dụng khi chưa có quyết định.", "en",
                     "Recommendations only: nothing is applied without a decision.");
    return 0;
}
