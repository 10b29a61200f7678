/* One verified notice to every member of the trusted network in the database (bench/notices.sh
 * puts them there): the notice's write with its fan-out — its reach counted per group and an
 * outbox delivery per webhook member, made in the database in bulk — timed.
 * usage: BENCH_ORG=<a regulator organisation> [PROVINCES=N] bench_notices DB */
#include "core/util.h"
#include "core/notices.h"
#include "service/notices.h"
#include "service/service.h"
#include <stdio.h>
#include <stdlib.h>

static double now_s(void)
{
    return (double)nt_mono_us() / 1e6;
}

static double issue(nt_svc *svc, const nt_actor *who, long *reached)
{
    char at[NT_TIME_LEN], until[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), at);
    nt_time_utc(nt_now_us() + 30LL * 86400 * 1000000, until);
    nt_wctx w = {.key_id = who->key_id, .at = at};
    json_t *in = json_pack("{s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:[s], s:[s], s:s, s:s, s:[{s:s, s:s}], s:{s:s, s:[], s:s, s:s}}",
                           "kind", "scam_alert", "title", "vi", "Cảnh báo lừa đảo đầu tư tiền ảo", "summary", "vi",
                           "Không chuyển tiền cho tài khoản lạ.", "body", "vi", "Kẻ gian hứa lãi cao để chiếm đoạt tiền.", "topics",
                           "scams", "provinces", "all", "severity", "severe", "valid_until", until, "sources", "title", "Công an",
                           "url", "https://example.vn/canh-bao", "scam", "how", "Hứa lãi cao.", "impersonated", "what_to_do",
                           "Không chuyển tiền.", "report_to", "Công an địa phương");
    /* PROVINCES=N: the first N provinces instead of the whole country (which spares the look at
     * each member's provinces). */
    const char *np = getenv("PROVINCES");
    if (np != NULL) {
        json_t *list = json_array();
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(nt_provinces(), "provinces"), i, p) if ((long)i < atol(np))
            json_array_append(list, json_object_get(p, "code"));
        json_object_set_new(in, "provinces", list);
    }
    json_t *out = NULL;
    nt_err err;
    nt_err_clear(&err);
    double t0 = now_s();
    if (nt_svc_notice_create(svc, &w, who, in, &out, &err) != 0) {
        fprintf(stderr, "bench_notices: %s\n", err.en);
        exit(1);
    }
    double took = now_s() - t0;
    *reached = (long)json_integer_value(json_object_get(out, "members_reached"));
    json_decref(out);
    json_decref(in);
    return took;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_notices DB\n");
        return 2;
    }
    nt_svc *svc = NULL;
    nt_err err;
    nt_err_clear(&err);
    if (nt_svc_open(&svc, argv[1], false, &err) != 0) {
        fprintf(stderr, "bench_notices: %s\n", err.en);
        return 1;
    }
    nt_actor who = {.role = NT_ROLE_REGULATOR};
    const char *org = getenv("BENCH_ORG"); /* the demo's regulator organisation (bench/notices.sh) */
    snprintf(who.org_id, sizeof(who.org_id), "%s", org ? org : "");
    snprintf(who.key_id, sizeof(who.key_id), "k_bench");
    long reached = 0;
    double t = issue(svc, &who, &reached);
    printf("one notice to %ld members: fan-out queued in %.2f s (%.0f deliveries/s), in its own write\n", reached, t, reached / t);
    nt_svc_close(svc);
    return 0;
}
