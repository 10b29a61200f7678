/* `niemtin screen-eval PERSONS.jsonl QUERIES.jsonl`: screening measured on a labelled set. */
#include "core/alloc.h"
#include "app/cli.h"
#include "core/util.h"
#include "index/screen.h"
#include "service/screen.h"
#include "app/progress.h"
#include <getopt.h>
#include <sys/stat.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf("usage: niemtin screen-eval PERSONS.jsonl QUERIES.jsonl [--threads N] [--json] [--misses] [--slow MS] [--quiet]\n"
           "                      [--cold]\n"
           "       niemtin screen-eval PERSONS.jsonl --show TEXT [--show TEXT ...] [--birth-year Y] [--limit N]\n"
           "       niemtin screen-eval PERSONS.jsonl --renames N\n\n"
           "Loads the persons into a fresh in-memory screening index and runs every query, as\n"
           "POST /v1/screen would (limit 10). A person line has id, name, gender, birth_year, aliases\n"
           "and accounts [{platform, handle}]; a query line has qid, kind, query {name | handle,\n"
           "birth_year, gender}, expect (a person id, or null for a person not in the set) and also\n"
           "(persons the query cannot tell apart from expect).\n\n"
           "Prints recall@1 and recall@10 overall and per kind, the share of negatives whose top\n"
           "candidate is strong, latency p50/p99 per query, the index build time and memory. Like\n"
           "niemtin serve, it reads the index once after building it (the warm-up) before any query.\n"
           "  --threads N  run the queries on N threads (default 1)\n"
           "  --json       one JSON object instead of the table\n"
           "  --misses     list the positives not at rank 1 and the strong negatives\n"
           "  --slow MS    list the queries that took longer than MS milliseconds\n"
           "  --cold       no warm-up: the first queries meet the index as a build left it\n"
           "  --show TEXT  print the top candidates for TEXT (a name, or a handle if it has @ or /)\n"
           "               with their explanations, instead of the evaluation\n"
           "               (given up to 16 times: each in turn, on the one index)\n"
           "  --birth-year Y  the birth year --show's queries give\n"
           "  --limit N    how many --show prints, 1-50 (default 5)\n"
           "  --renames N  rename N persons after loading (each takes the name of the one before it)\n"
           "               and print the memory against the fresh build\n");
}

typedef struct query {
    char *qid, *kind, *name, *handle, *expect;
    char **also;
    size_t nalso;
    int birth_year;
    char gender;
    /* results */
    int rank; /* 1-based rank of expect or an also; 0: not in the top 10 */
    bool top_strong;
    float top_score;
    char top[NT_ID_LEN];
    int64_t us;
} query;

typedef struct run {
    nt_screen *ix;
    query *q;
    nt_progress *prog;
    size_t n, next;
    pthread_mutex_t lock;
} run;

static char *dup_str(const json_t *v)
{
    return json_is_string(v) ? nt_xstrdup(json_string_value(v)) : NULL;
}

static int load_persons(nt_screen *ix, const char *path, size_t *count, int64_t *put_us, bool quiet)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    struct stat st;
    nt_progress prog;
    nt_progress_begin(&prog, "load", "bytes", fstat(fileno(f), &st) == 0 ? (uint64_t)st.st_size : 0, quiet);
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    uint64_t bytes = 0;
    int rc = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        bytes += (uint64_t)len;
        if (lineno % 4096 == 0)
            nt_progress_update(&prog, bytes);
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (json_string_value(json_object_get(o, "id")) == NULL || json_string_value(json_object_get(o, "name")) == NULL) {
            fprintf(stderr, "%s:%zu: a person needs id and name\n", path, lineno);
            json_decref(o);
            rc = -1;
            break;
        }
        int64_t t0 = nt_mono_us();
        int put = nt_svc_screen_put_json(ix, o);
        *put_us += nt_mono_us() - t0;
        if (put != 0) {
            fprintf(stderr, "%s:%zu: cannot index this person\n", path, lineno);
            rc = -1;
        }
        json_decref(o);
        if (rc != 0)
            break;
        (*count)++;
    }
    free(line);
    fclose(f);
    if (rc == 0)
        prog.done = bytes;
    nt_progress_end(&prog);
    return rc;
}

/* Renames persons as a registry would: each person of the file, in turn, takes the name of the one
 * before it (the first keeps its own), `n` times in all, passing over the file again if need be. The
 * index then holds the same names as a fresh build of the file, bar one. */
static int rename_persons(nt_screen *ix, const char *path, size_t n, bool quiet)
{
    nt_progress prog;
    nt_progress_begin(&prog, "rename", "persons", n, quiet);
    size_t done = 0;
    int rc = 0;
    while (done < n && rc == 0) {
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            perror(path);
            rc = -1;
            break;
        }
        char *line = NULL, *prev = NULL;
        size_t cap = 0;
        while (done < n && rc == 0 && getline(&line, &cap, f) > 0) {
            json_t *o = json_loads(line, 0, NULL);
            const char *name = json_string_value(json_object_get(o, "name"));
            char *own = name ? nt_xstrdup(name) : NULL;
            if (own == NULL) {
                json_decref(o);
                rc = -1;
                break;
            }
            if (prev != NULL)
                json_object_set_new(o, "name", json_string(prev));
            rc = nt_svc_screen_put_json(ix, o) == 0 ? 0 : -1;
            json_decref(o);
            free(prev);
            prev = own;
            if (++done % 4096 == 0)
                nt_progress_update(&prog, done);
        }
        free(prev);
        free(line);
        fclose(f);
    }
    prog.done = done;
    nt_progress_end(&prog);
    return rc;
}

static query *load_queries(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return NULL;
    }
    query *q = NULL;
    size_t cap = 0, lcap = 0, lineno = 0;
    char *line = NULL;
    *n = 0;
    while (getline(&line, &lcap, f) > 0) {
        lineno++;
        json_t *o = json_loads(line, 0, NULL), *in = json_object_get(o, "query");
        if (!json_is_object(in)) {
            fprintf(stderr, "%s:%zu: a query line needs a query object\n", path, lineno);
            json_decref(o);
            free(q);
            q = NULL;
            break;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            q = nt_xrealloc(q, cap * sizeof(*q));
        }
        query *x = &q[(*n)++];
        memset(x, 0, sizeof(*x));
        x->qid = dup_str(json_object_get(o, "qid"));
        x->kind = dup_str(json_object_get(o, "kind"));
        x->expect = dup_str(json_object_get(o, "expect"));
        x->name = dup_str(json_object_get(in, "name"));
        x->handle = dup_str(json_object_get(in, "handle"));
        x->birth_year = (int)json_integer_value(json_object_get(in, "birth_year"));
        const char *g = json_string_value(json_object_get(in, "gender"));
        x->gender = g ? g[0] : 0;
        json_t *also = json_object_get(o, "also");
        x->nalso = json_array_size(also);
        x->also = nt_xcalloc(x->nalso + 1, sizeof(char *));
        for (size_t i = 0; i < x->nalso; i++)
            x->also[i] = dup_str(json_array_get(also, i));
        if (x->kind == NULL)
            x->kind = nt_xstrdup("?");
        json_decref(o);
    }
    free(line);
    fclose(f);
    return q;
}

static bool answers(const query *q, const char *id)
{
    if (q->expect == NULL)
        return false;
    if (strcmp(q->expect, id) == 0)
        return true;
    for (size_t i = 0; i < q->nalso; i++)
        if (q->also[i] && strcmp(q->also[i], id) == 0)
            return true;
    return false;
}

static void *worker(void *arg)
{
    run *r = arg;
    nt_screen_hit *hits = nt_xmalloc(10 * sizeof(*hits));
    for (;;) {
        pthread_mutex_lock(&r->lock);
        size_t i = r->next++;
        if (r->prog != NULL && i % 1024 == 0 && i < r->n)
            nt_progress_update(r->prog, i); /* one updater: under the lock */
        pthread_mutex_unlock(&r->lock);
        if (i >= r->n || hits == NULL)
            break;
        query *q = &r->q[i];
        nt_screen_query sq = {.name = q->name, .handle = q->handle, .birth_year = q->birth_year, .gender = q->gender, .limit = 10};
        int64_t t0 = nt_mono_us();
        int n = nt_screen_run(r->ix, &sq, hits);
        q->us = nt_mono_us() - t0;
        for (int k = 0; k < n && q->rank == 0; k++)
            if (answers(q, hits[k].person_id))
                q->rank = k + 1;
        if (n > 0) {
            q->top_strong = hits[0].level == NT_SCREEN_STRONG_LEVEL;
            q->top_score = hits[0].score;
            nt_strlcpy(q->top, hits[0].person_id, sizeof(q->top));
        }
    }
    free(hits);
    return NULL;
}

static int by_us(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static long rss_kib(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(field);
    while (f != NULL && fgets(line, sizeof(line), f))
        if (strncmp(line, field, n) == 0)
            v = atol(line + n + 1);
    if (f)
        fclose(f);
    return v;
}

int nt_cmd_screen_eval(int argc, char **argv)
{
    static const struct option opts[] = {{"threads", required_argument, 0, 't'}, {"json", no_argument, 0, 'j'},
                                         {"misses", no_argument, 0, 'm'},        {"show", required_argument, 0, 's'},
                                         {"slow", required_argument, 0, 'w'},    {"cold", no_argument, 0, 'c'},
                                         {"quiet", no_argument, 0, 'q'},         {"renames", required_argument, 0, 'r'},
                                         {"limit", required_argument, 0, 'l'},   {"birth-year", required_argument, 0, 'y'},
                                         {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    int threads = 1, c;
    bool as_json = false, misses = false, quiet = false, cold = false;
    const char *show[16];
    int nshow = 0, birth_year = 0;
    double slow_ms = 0;
    long renames = -1, show_limit = 5;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 't')
            threads = atoi(optarg);
        else if (c == 'j')
            as_json = true;
        else if (c == 'm')
            misses = true;
        else if (c == 's' && nshow < 16)
            show[nshow++] = optarg;
        else if (c == 'y') {
            char *end;
            long y = strtol(optarg, &end, 10);
            birth_year = end == optarg || *end != '\0' || y < 0 || y > 9999 ? -1 : (int)y; /* -1: refused below */
        } else if (c == 'w')
            slow_ms = atof(optarg);
        else if (c == 'q')
            quiet = true;
        else if (c == 'c')
            cold = true;
        else if (c == 'r')
            renames = atol(optarg);
        else if (c == 'l')
            show_limit = atol(optarg);
        else {
            usage();
            return c == 'h' ? 0 : 2;
        }
    }
    if (optind + (nshow || renames >= 0 ? 1 : 2) != argc || threads < 1 || threads > 256 || (nshow && renames >= 0) ||
        show_limit < 1 || show_limit > 50 || birth_year < 0 || birth_year > 9999) {
        usage();
        return 2;
    }
    nt_screen *ix = nt_screen_new();
    size_t npersons = 0, nq = 0;
    long rss0 = rss_kib("VmRSS:");
    int64_t t0 = nt_mono_us(), put_us = 0;
    if (ix == NULL || load_persons(ix, argv[optind], &npersons, &put_us, quiet) != 0) {
        nt_screen_free(ix);
        return 1;
    }
    double build_s = (double)(nt_mono_us() - t0) / 1e6;
    if (renames >= 0) { /* memory after many renames against a fresh build (docs/PERFORMANCE.md) */
        nt_screen_stats st0, st1;
        nt_screen_stats_get(ix, &st0);
        long fresh = rss_kib("VmRSS:");
        int64_t t1 = nt_mono_us();
        int rc = rename_persons(ix, argv[optind], (size_t)renames, quiet);
        double secs = (double)(nt_mono_us() - t1) / 1e6;
        nt_screen_stats_get(ix, &st1);
        long after = rss_kib("VmRSS:");
        printf("persons %zu, fresh build: index %.1f MiB, RSS %.1f MiB\n", npersons, (double)st0.bytes / 1048576.0,
               (double)fresh / 1024.0);
        printf("after %ld renames in %.2f s (%u reclaims of dead entries, the longest %.3f s; %zu dead now): index %.1f MiB, "
               "RSS %.1f MiB (%+.1f%% of the fresh build)\n",
               renames, secs, st1.reclaimed, (double)st1.reclaim_us_max / 1e6, st1.dead, (double)st1.bytes / 1048576.0,
               (double)after / 1024.0, 100.0 * (double)(after - fresh) / (double)fresh);
        nt_screen_free(ix);
        return rc == 0 ? 0 : 1;
    }
    long rss1 = rss_kib("VmRSS:");
    size_t warm_bytes = 0;
    int64_t t2 = nt_mono_us();
    if (!cold) /* as the server does before it listens */
        warm_bytes = nt_screen_warm(ix, (unsigned)threads);
    double warm_s = cold ? 0 : (double)(nt_mono_us() - t2) / 1e6;
    if (nshow > 0) {
        int n = 0;
        for (int k = 0; k < nshow && n >= 0; k++) {
            nt_screen_hit hits[50];
            nt_screen_query sq = {.limit = (size_t)show_limit, .explain = true, .birth_year = birth_year};
            *(strchr(show[k], '@') || strchr(show[k], '/') ? &sq.handle : &sq.name) = show[k];
            n = nt_screen_run(ix, &sq, hits);
            if (nshow > 1)
                printf("# %s\n", show[k]);
            for (int i = 0; i < n; i++) {
                nt_jbuf b;
                nt_jb_init(&b, 1024);
                nt_screen_hit_json(&b, &hits[i], NULL, false);
                size_t len;
                char *j = nt_jb_take(&b, &len);
                printf("%s\n", j);
                free(j);
            }
        }
        nt_screen_free(ix);
        return n < 0;
    }
    query *q = load_queries(argv[optind + 1], &nq);
    if (q == NULL) {
        nt_screen_free(ix);
        return 1;
    }
    nt_progress prog;
    nt_progress_begin(&prog, "screen", "queries", nq, quiet);
    run r = {.ix = ix, .q = q, .n = nq, .prog = &prog};
    pthread_mutex_init(&r.lock, NULL);
    pthread_t th[256];
    int64_t t1 = nt_mono_us();
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, worker, &r);
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    double run_s = (double)(nt_mono_us() - t1) / 1e6;
    prog.done = nq;
    nt_progress_end(&prog);
    pthread_mutex_destroy(&r.lock);

    /* Per kind: positives answered at 1 and at 10; negatives with a strong top. */
    const char *kinds[64];
    size_t nk = 0, tot[64] = {0}, at1[64] = {0}, at10[64] = {0}, strong[64] = {0};
    bool negative[64] = {false}; /* a kind of queries for persons not in the set (expect null) */
    int64_t slowest[64] = {0};
    size_t pos = 0, p1 = 0, p10 = 0, neg = 0, negstrong = 0;
    int64_t *lat = nt_xmalloc((nq ? nq : 1) * sizeof(*lat));
    for (size_t i = 0; i < nq; i++) {
        size_t k = 0;
        while (k < nk && strcmp(kinds[k], q[i].kind) != 0)
            k++;
        if (k == nk && nk < 64)
            kinds[nk++] = q[i].kind;
        if (k >= 64)
            k = 63;
        tot[k]++;
        negative[k] = q[i].expect == NULL;
        lat[i] = q[i].us;
        if (slow_ms > 0 && (double)q[i].us > slow_ms * 1000.0)
            fprintf(stderr, "slow %s %s %s %d: %.3f ms\n", q[i].qid, q[i].kind, q[i].name ? q[i].name : q[i].handle,
                    q[i].birth_year, (double)q[i].us / 1000.0);
        slowest[k] = q[i].us > slowest[k] ? q[i].us : slowest[k];
        if (q[i].expect != NULL) {
            pos++;
            p1 += q[i].rank == 1;
            p10 += q[i].rank >= 1;
            at1[k] += q[i].rank == 1;
            at10[k] += q[i].rank >= 1;
            if (misses && q[i].rank != 1)
                fprintf(stderr, "%s %s %s %s %d -> rank %d, top %s %.3f\n", q[i].rank ? "below" : "miss", q[i].qid, q[i].kind,
                        q[i].name ? q[i].name : q[i].handle, q[i].birth_year, q[i].rank, q[i].top, q[i].top_score);
        } else {
            neg++;
            negstrong += q[i].top_strong;
            strong[k] += q[i].top_strong;
            if (misses && q[i].top_strong)
                fprintf(stderr, "strong negative %s %s %d -> %s %.3f\n", q[i].qid, q[i].name ? q[i].name : q[i].handle,
                        q[i].birth_year, q[i].top, q[i].top_score);
        }
    }
    qsort(lat, nq, sizeof(*lat), by_us);
    double p50 = nq ? (double)lat[nq / 2] / 1000.0 : 0, p99 = nq ? (double)lat[(size_t)((double)nq * 0.99)] / 1000.0 : 0;
    double r1 = pos ? (double)p1 / (double)pos : 0, r10 = pos ? (double)p10 / (double)pos : 0,
           ns = neg ? (double)negstrong / (double)neg : 0;
    nt_screen_stats st;
    nt_screen_stats_get(ix, &st);
    long hwm = rss_kib("VmHWM:");
    if (as_json) {
        json_t *o =
            json_pack("{s:I, s:I, s:f, s:f, s:I, s:f, s:f, s:f, s:f, s:f, s:i, s:f, s:I, s:I, s:I}", "persons",
                      (json_int_t)npersons, "queries", (json_int_t)nq, "recall_at_1", r1, "recall_at_10", r10, "negatives",
                      (json_int_t)neg, "negatives_strong", ns, "p50_ms", p50, "p99_ms", p99, "build_s", (double)put_us / 1e6,
                      "run_s", run_s, "threads", threads, "qps", run_s > 0 ? (double)nq / run_s : 0, "index_rss_kib",
                      (json_int_t)(rss1 - rss0), "peak_rss_kib", (json_int_t)hwm, "index_bytes", (json_int_t)st.bytes);
        json_object_set_new(o, "warm_s", json_real(warm_s));
        json_object_set_new(o, "warm_mib", json_real((double)warm_bytes / 1048576.0));
        json_t *per = json_object();
        for (size_t k = 0; k < nk; k++) {
            json_object_set_new(per, kinds[k],
                                negative[k]
                                    ? json_pack("{s:I, s:f}", "n", (json_int_t)tot[k], "strong", (double)strong[k] / (double)tot[k])
                                    : json_pack("{s:I, s:f, s:f}", "n", (json_int_t)tot[k], "recall_at_1",
                                                (double)at1[k] / (double)tot[k], "recall_at_10", (double)at10[k] / (double)tot[k]));
        }
        json_object_set_new(o, "kinds", per);
        json_object_set_new(o, "build_with_reading_s", json_real(build_s));
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
        puts(s);
        free(s);
        json_decref(o);
    } else {
        printf("persons %zu, queries %zu (%zu positive, %zu negative), %d thread%s\n", npersons, nq, pos, neg, threads,
               threads > 1 ? "s" : "");
        printf("index built in %.2f s (%.2f s with reading the file); %zu names and handles, %zu tokens; index RSS %.1f MiB, "
               "peak RSS %.1f MiB\n",
               (double)put_us / 1e6, build_s, st.entries, st.tokens, (double)(rss1 - rss0) / 1024.0, (double)hwm / 1024.0);
        if (cold)
            printf("no warm-up (--cold)\n\n");
        else
            printf("warm-up: %.1f MiB gone over, a byte a page, in %.2f s\n\n", (double)warm_bytes / 1048576.0, warm_s);
        printf("%-22s %6s %10s %10s %10s %12s\n", "kind", "n", "recall@1", "recall@10", "strong", "slowest ms");
        for (size_t k = 0; k < nk; k++) {
            if (negative[k])
                printf("%-22s %6zu %10s %10s %10.4f %12.3f\n", kinds[k], tot[k], "", "", (double)strong[k] / (double)tot[k],
                       (double)slowest[k] / 1000.0);
            else
                printf("%-22s %6zu %10.4f %10.4f %10s %12.3f\n", kinds[k], tot[k], (double)at1[k] / (double)tot[k],
                       (double)at10[k] / (double)tot[k], "", (double)slowest[k] / 1000.0);
        }
        printf("%-22s %6zu %10.4f %10.4f\n", "all positives", pos, r1, r10);
        printf("%-22s %6zu %10s %10s %10.4f\n", "all negatives", neg, "", "", ns);
        printf("\nlatency per query: p50 %.3f ms, p99 %.3f ms (%.0f queries/s)\n", p50, p99, run_s > 0 ? (double)nq / run_s : 0);
    }
    free(lat);
    for (size_t i = 0; i < nq; i++) {
        free(q[i].qid);
        free(q[i].kind);
        free(q[i].name);
        free(q[i].handle);
        free(q[i].expect);
        for (size_t k = 0; k < q[i].nalso; k++)
            free(q[i].also[k]);
        free(q[i].also);
    }
    free(q);
    nt_screen_free(ix);
    return 0;
}
