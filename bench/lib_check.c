/* libniemtin in-process check, one thread: lookups per second over a mirror
 * of 50,000 restrictions on 50,000 persons with 100,000 handles, subjects
 * drawn at random (half person ids, half handles, a quarter unknown).
 * Baseline in the same run: the same number of lookups in a plain sorted
 * array by binary search (bsearch), the simplest in-memory alternative.
 * usage: bench_lib_check [LOOKUPS] */
#include <niemtin/niemtin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000000;
    const int persons = 50000;
    /* A snapshot, as the server would send it. */
    size_t cap = (size_t)persons * 400, len = 0;
    char *snap = malloc(cap);
    len += (size_t)sprintf(snap + len, "{\"seq\":1,\"items\":[");
    for (int i = 0; i < persons; i++)
        len += (size_t)sprintf(snap + len,
                               "%s{\"sanction_id\":\"s%d\",\"person_id\":\"p%07d\",\"decision_number\":\"%d/QĐ\","
                               "\"authority\":\"Cục PTTH&TTĐT\",\"type\":\"appearance_restriction\",\"scopes\":[\"%s\"],"
                               "\"platforms\":[],\"start_at\":\"2026-01-01T00:00:00Z\",\"end_at\":\"2028-01-01T00:00:00Z\","
                               "\"handles\":[\"tiktok:user%d\",\"youtube:user%d\"]}",
                               i ? "," : "", i, i, i, i % 2 ? "livestream" : "broadcast", i, i);
    len += (size_t)sprintf(snap + len, "]}");
    niemtin_mirror *m = niemtin_mirror_new();
    double t0 = now_s();
    if (niemtin_mirror_load_snapshot(m, snap, len) != NIEMTIN_OK)
        return 1;
    double load = now_s() - t0;
    /* Subjects: person ids and handles, a quarter of them unknown. */
    enum { SUBJECTS = 4096 };
    char *subjects[SUBJECTS];
    srand(2026);
    for (int i = 0; i < SUBJECTS; i++) {
        subjects[i] = malloc(40);
        int k = rand() % (persons * 4 / 3);
        if (i % 2)
            snprintf(subjects[i], 40, "p%07d", k);
        else
            snprintf(subjects[i], 40, "tiktok:user%d", k);
    }
    int64_t at = 1798761600LL * 1000000; /* 2027-01-01 */
    long restricted = 0;
    niemtin_answer a;
    t0 = now_s();
    for (long i = 0; i < n; i++) {
        niemtin_check(m, subjects[i & (SUBJECTS - 1)], "any", at, &a);
        restricted += !a.allowed;
    }
    double t = now_s() - t0;
    /* Baseline: binary search of the same number of keys in a sorted array of the person ids. */
    char **sorted = malloc(sizeof(char *) * (size_t)persons);
    for (int i = 0; i < persons; i++) {
        sorted[i] = malloc(16);
        snprintf(sorted[i], 16, "p%07d", i);
    }
    qsort(sorted, (size_t)persons, sizeof(char *), cmp);
    long found = 0;
    double b0 = now_s();
    for (long i = 0; i < n; i++) {
        const char *key = subjects[i & (SUBJECTS - 1)];
        found += bsearch(&key, sorted, (size_t)persons, sizeof(char *), cmp) != NULL;
    }
    double b = now_s() - b0;
    printf("libniemtin: snapshot of %d restrictions loaded in %.0f ms; %ld checks in %.2f s on one thread = %.2f M checks/s "
           "(%ld restricted)\n",
           persons, load * 1000, n, t, (double)n / t / 1e6, restricted);
    printf("baseline, bsearch of the same keys in a sorted array of %d ids: %.2f M lookups/s (%ld found); ratio %.2f\n", persons,
           (double)n / b / 1e6, found, ((double)n / t) / ((double)n / b));
    niemtin_mirror_free(m);
    return 0;
}
