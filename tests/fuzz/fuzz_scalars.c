/* libFuzzer: the small parsers of request values: RFC 3339 times, list cursors, enterprise codes,
 * public ad codes (which must format back to themselves) and a check's subjects (whatever is
 * accepted must be a well-formed person id, platform:handle or handle), base32 (what decodes must
 * encode back to the same letters), a second factor's code as typed, and a report's periods
 * (from, to and by, split at '|': at least one, at most the limit, each after the one before). */
#include "fuzz.h"
#include "core/ads.h"
#include "core/net.h"
#include "core/periods.h"
#include "core/subject.h"
#include "core/totp.h"
#include "core/util.h"
#include "service/service.h"
#include "service/query.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = nt_fuzz_cstr(data, size);
    if (s == NULL)
        return 0;
    int64_t us;
    if (nt_time_parse(s, &us) == 0) {
        /* What parses must print and parse back to the same instant, to the millisecond. */
        char out[NT_TIME_LEN];
        int64_t again;
        nt_time_utc(us, out);
        if (us / 1000 >= 0 && us / 1000 < 253402300800000LL && (nt_time_parse(out, &again) != 0 || again / 1000 != us / 1000))
            abort();
    }
    char id[NT_ID_LEN];
    if (nt_svc_cursor_decode(s, id, sizeof(id)) == 0) {
        char enc[128];
        nt_svc_cursor_encode(id, enc, sizeof(enc));
    }
    nt_enterprise_code_valid(s);
    {
        char *parts[3] = {s, NULL, NULL}, *copy = strdup(s), *p = copy;
        for (int k = 0; k < 3 && p != NULL; k++) {
            parts[k] = p;
            p = strchr(p, '|');
            if (p != NULL)
                *p++ = '\0';
        }
        static nt_period periods[NT_PERIODS_MAX];
        int n = 0;
        nt_err perr;
        nt_err_clear(&perr);
        if (nt_periods(parts[0], parts[1], parts[2], "2026-11-30", periods, &n, &perr) == 0) {
            if (n < 1 || n > NT_PERIODS_MAX)
                abort();
            for (int k = 0; k < n; k++)
                if (periods[k].to <= periods[k].from || (k > 0 && periods[k].from != periods[k - 1].to))
                    abort();
        } else if (perr.nfields == 0) {
            abort(); /* refused without naming the field */
        }
        free(copy);
    }
    int year;
    int64_t seq;
    if (nt_ad_code_parse(s, &year, &seq)) {
        char again[NT_AD_CODE_LEN];
        if (!nt_ad_code_format(year, seq, again) || strcmp(again, s) != 0)
            abort();
    }
    nt_subject subj;
    const char *why = nt_subject_parse(s, &subj);
    if (why == NULL) {
        if (subj.kind == NT_SUBJECT_HANDLE && (strchr(subj.key, ':') == NULL || !nt_platform_known(subj.platform)))
            abort();
        if (subj.kind == NT_SUBJECT_PERSON && (subj.id[0] == '\0' || strlen(subj.id) >= NT_ID_LEN))
            abort();
        if (subj.kind == NT_SUBJECT_ANY_HANDLE && subj.handle[0] == '\0')
            abort();
    }
    nt_url url;
    if (nt_url_parse(s, &url)) {
        if (url.host[0] == '\0' || url.port < 1 || url.port > 65535)
            abort();
        nt_host_literal_kind(url.host);
    }
    unsigned char raw[64];
    int n = nt_base32_decode(s, raw, sizeof(raw));
    if (n > 0) {
        char b32[128], back[64];
        if (!nt_base32_encode(raw, (size_t)n, b32, sizeof(b32)) ||
            nt_base32_decode(b32, (unsigned char *)back, sizeof(back)) != n || memcmp(back, raw, (size_t)n) != 0)
            abort();
    }
    int64_t step = nt_totp_check("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", s, 1234567890, 0);
    if (step != -1 && (step < 1234567890 / 30 - 1 || step > 1234567890 / 30 + 1))
        abort();
    free(s);
    return 0;
}
