/* Prometheus metrics: requests by route and status, latency histograms by
 * route, database and index sizes. Counters are relaxed atomics; a scrape
 * reads them without stopping anyone. */
#include "http/cache.h"
#include "http/http.h"
#include "http/ratelimit.h"
#include "index/screen.h"
#include "service/follow.h"
#include "service/keys.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUTES NT_ROUTES_MAX
static const unsigned statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 412, 413, 414, 415, 422, 428, 429, 500, 503};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]) + 1)
static const double bounds_s[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
#define NBOUNDS (sizeof(bounds_s) / sizeof(bounds_s[0]))

static atomic_ulong requests[MAX_ROUTES + 1][NSTATUS];
static atomic_ulong buckets[MAX_ROUTES + 1][NBOUNDS + 1];
static atomic_ullong sum_us[MAX_ROUTES + 1];

void nt__metrics_observe(size_t route, unsigned status, int64_t us)
{
    if (route > MAX_ROUTES)
        route = 0;
    size_t si = NSTATUS - 1;
    for (size_t i = 0; i < NSTATUS - 1; i++)
        if (statuses[i] == status)
            si = i;
    atomic_fetch_add_explicit(&requests[route][si], 1, memory_order_relaxed);
    size_t b = NBOUNDS;
    for (size_t i = 0; i < NBOUNDS; i++)
        if ((double)us / 1e6 <= bounds_s[i]) {
            b = i;
            break;
        }
    atomic_fetch_add_explicit(&buckets[route][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&sum_us[route], (unsigned long long)us, memory_order_relaxed);
}

void nt__metrics_render(const nt_server_env *env, char **out, size_t *len)
{
    FILE *f = open_memstream(out, len);
    if (f == NULL) {
        *out = NULL;
        return;
    }
    size_t nroutes = nt_route_count();
    fprintf(f, "# HELP niemtin_http_requests_total HTTP requests by route and status.\n"
               "# TYPE niemtin_http_requests_total counter\n");
    for (size_t r = 0; r <= nroutes && r <= MAX_ROUTES; r++) {
        const char *name = r == 0 ? "(none)" : nt_routes[r - 1].pattern;
        const char *method = r == 0 ? "" : nt_routes[r - 1].method;
        for (size_t i = 0; i < NSTATUS; i++) {
            unsigned long n = atomic_load_explicit(&requests[r][i], memory_order_relaxed);
            if (n == 0)
                continue;
            if (i < NSTATUS - 1)
                fprintf(f, "niemtin_http_requests_total{method=\"%s\",route=\"%s\",status=\"%u\"} %lu\n", method, name, statuses[i],
                        n);
            else
                fprintf(f, "niemtin_http_requests_total{method=\"%s\",route=\"%s\",status=\"other\"} %lu\n", method, name, n);
        }
    }
    fprintf(f, "# HELP niemtin_http_request_duration_seconds Time from request line to response, by route.\n"
               "# TYPE niemtin_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= nroutes && r <= MAX_ROUTES; r++) {
        unsigned long total = 0;
        for (size_t b = 0; b <= NBOUNDS; b++)
            total += atomic_load_explicit(&buckets[r][b], memory_order_relaxed);
        if (total == 0)
            continue;
        const char *name = r == 0 ? "(none)" : nt_routes[r - 1].pattern;
        const char *method = r == 0 ? "" : nt_routes[r - 1].method;
        unsigned long cum = 0;
        for (size_t b = 0; b < NBOUNDS; b++) {
            cum += atomic_load_explicit(&buckets[r][b], memory_order_relaxed);
            fprintf(f, "niemtin_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} %lu\n", method, name,
                    bounds_s[b], cum);
        }
        fprintf(f, "niemtin_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %lu\n", method, name,
                total);
        fprintf(f, "niemtin_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n", method, name,
                (double)atomic_load_explicit(&sum_us[r], memory_order_relaxed) / 1e6);
        fprintf(f, "niemtin_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %lu\n", method, name, total);
    }
    nt_screen_stats ss = {0};
    if (env->svc->screen != NULL)
        nt_screen_stats_get(env->svc->screen, &ss);
    nt_store_stats st = {0};
    nt_store *store = env->svc->store;
    store->ops->stats(store, &st);
    fprintf(f,
            "# HELP niemtin_db_bytes Size of the database.\n# TYPE niemtin_db_bytes gauge\nniemtin_db_bytes %lld\n"
            "# HELP niemtin_registry_records Records in the registry by kind.\n# TYPE niemtin_registry_records gauge\n"
            "niemtin_registry_records{kind=\"person\"} %lld\nniemtin_registry_records{kind=\"account\"} %lld\n"
            "niemtin_registry_records{kind=\"org\"} %lld\nniemtin_registry_records{kind=\"active_key\"} %lld\n"
            "# HELP niemtin_change_seq Latest change sequence number.\n# TYPE niemtin_change_seq gauge\nniemtin_change_seq %lld\n"
            "# HELP niemtin_index_entries Entries in the in-memory indexes.\n# TYPE niemtin_index_entries gauge\n"
            "niemtin_index_entries{index=\"ratelimit\"} %ld\nniemtin_index_entries{index=\"keys\"} %ld\n"
            "niemtin_index_entries{index=\"person_responses\"} %zu\nniemtin_index_entries{index=\"screening\"} %zu\n"
            "# HELP niemtin_followed_seq Change sequence the in-memory caches reflect.\n# TYPE niemtin_followed_seq gauge\n"
            "niemtin_followed_seq %lld\n"
            "# HELP niemtin_screening_scratches Screening queries' scratches ready (one per answering thread from the "
            "start).\n# TYPE niemtin_screening_scratches gauge\nniemtin_screening_scratches %zu\n",
            (long long)st.db_bytes, (long long)st.persons, (long long)st.accounts, (long long)st.orgs, (long long)st.keys,
            (long long)st.change_seq, nt_ratelimit_size(env->rl), nt_svc_key_cache_size(env->svc), nt_cache_size(env->cache),
            ss.entries, (long long)nt_svc_seq(env->svc), ss.scratches);
    fclose(f);
}
