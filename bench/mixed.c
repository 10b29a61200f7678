/* A mixed load at a fixed rate: checks (GET /v1/check), small logged writes (POST /v1/accounts,
 * a platform attesting a new account), and optionally screening (POST /v1/screen, a name) and
 * log tiles (GET /log/tile/0/000), over keep-alive connections, one thread with epoll.
 *
 * Requests are sent on a schedule (checks and writes each at their share of RATE, on their own
 * connections: a quarter of them for writes), and each one's latency is measured
 * from the moment it was due, not from when a connection was free to send it: a server that falls
 * behind shows it in the latencies instead of slowing the client down (no coordinated omission).
 * Prints, per kind, how many were sent, answered 2xx, and the latency percentiles.
 *
 * Checks ask about the demo's persons p0000001 … (one of them restricted); writes attach accounts
 * to persons b0000000 … b(PERSONS - 1), as bench/gen_persons.py makes them.
 *
 * With WRITES "reports", the writes are reports (POST /v1/reports: rows in the database only, no
 * index or log in memory growing with them) instead of attestations.
 *
 * With EVERY > 0, also prints each kind's count, errors and p99 for every EVERY seconds (a soak's
 * minute by minute).
 *
 * usage: bench_mixed PORT KEY RATE SECONDS WRITE_FRACTION [CONNECTIONS] [RUN] [PERSONS]
 *                    [SCREEN_FRACTION] [TILE_FRACTION] [EVERY] [WRITES] */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXC    1024
#define KINDS   4
#define WINDOWS 256

typedef struct conn {
    int fd;
    bool busy;
    int kind;       /* 0 check, 1 write, 2 screen, 3 tile */
    int64_t due_ns; /* when the request in flight was due */
    char in[65536];
    size_t inlen;
} conn;

typedef struct series {
    int64_t *v;
    size_t n, cap;
    long sent, ok, bad;
} series;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void add(series *s, int64_t ns)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 65536;
        s->v = realloc(s->v, s->cap * sizeof(*s->v));
        if (s->v == NULL)
            abort();
    }
    s->v[s->n++] = ns;
}

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, series *s)
{
    qsort(s->v, s->n, sizeof(*s->v), cmp);
    double p50 = s->n ? s->v[s->n / 2] / 1e6 : 0, p99 = s->n ? s->v[(size_t)(s->n * 0.99)] / 1e6 : 0,
           p999 = s->n ? s->v[(size_t)(s->n * 0.999)] / 1e6 : 0, max = s->n ? s->v[s->n - 1] / 1e6 : 0;
    printf("%s: sent %ld, 2xx %ld, other %ld; latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n", name, s->sent, s->ok,
           s->bad, p50, p99, p999, max);
}

static int dial(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 && errno != EINPROGRESS) {
        perror("connect");
        exit(1);
    }
    return fd;
}

/* A whole response in c->in: its length, or 0 if more is to come. */
static size_t complete(conn *c, int *status)
{
    c->in[c->inlen < sizeof(c->in) ? c->inlen : sizeof(c->in) - 1] = '\0';
    char *end = strstr(c->in, "\r\n\r\n");
    if (end == NULL)
        return 0;
    size_t head = (size_t)(end + 4 - c->in), body = 0;
    for (char *p = c->in; p < end; p++)
        if ((*p == 'C' || *p == 'c') && strncasecmp(p, "Content-Length:", 15) == 0) {
            body = strtoul(p + 15, NULL, 10);
            break;
        }
    if (c->inlen < head + body)
        return 0;
    *status = atoi(c->in + 9);
    return head + body;
}

static const char *const kind_names[KINDS] = {"checks", "writes", "screens", "tiles"};
static long redials; /* connections dialled again after the server closed them idle */
static bool reports; /* writes are reports (POST /v1/reports) instead of account attestations */

/* The request of a kind, numbered seq. */
static int request(char *req, size_t cap, int kind, long long seq, const char *key, const char *run, long long persons)
{
    static const char *const names[] = {"Nguyen Van Anh", "Tran Thi Bich",  "Le Hoang Nam",  "Pham Thu Trang",
                                        "Vo Huu Cuong",   "Dang Minh Chau", "Bui Quoc Dinh", "Hoang Thi Lan"};
    char body[256];
    int bl;
    switch (kind) {
    case 0:
        return snprintf(req, cap,
                        "GET /v1/check?subject=p%07lld&scope=livestream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Authorization: Bearer %s\r\n\r\n",
                        seq % 1990 + 1, key);
    case 1:
        if (reports) {
            bl = snprintf(body, sizeof(body),
                          "{\"subject\":{\"person_id\":\"b%07lld\"},\"category\":\"false_advertising\",\"description\":"
                          "\"Quang cao sai su that (%s %lld)\"}",
                          (seq * 7919) % persons, run, seq);
            return snprintf(req, cap,
                            "POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                            "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                            key, bl, body);
        }
        bl = snprintf(body, sizeof(body), "{\"person_id\":\"b%07lld\",\"platform\":\"tiktok\",\"handle\":\"@mx.%s.%lld\"}",
                      (seq * 7919) % persons, run, seq);
        break;
    case 2:
        bl = snprintf(body, sizeof(body), "{\"name\":\"%s\",\"limit\":10}", names[seq % 8]);
        return snprintf(req, cap,
                        "POST /v1/screen HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                        "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                        key, bl, body);
    default:
        return snprintf(req, cap, "GET /log/tile/0/000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
    return snprintf(req, cap,
                    "POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                    "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                    key, bl, body);
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: bench_mixed PORT KEY RATE SECONDS WRITE_FRACTION [CONNECTIONS] [RUN] [PERSONS] "
                        "[SCREEN_FRACTION] [TILE_FRACTION] [EVERY] [WRITES]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    const char *key = argv[2];
    double rate = atof(argv[3]), secs = atof(argv[4]);
    double frac[KINDS] = {0, atof(argv[5]), argc > 9 ? atof(argv[9]) : 0, argc > 10 ? atof(argv[10]) : 0};
    frac[0] = 1 - frac[1] - frac[2] - frac[3];
    int nconn = argc > 6 ? atoi(argv[6]) : 64;
    const char *run = argc > 7 ? argv[7] : "m";
    long long persons = argc > 8 ? atoll(argv[8]) : 100000;
    double every = argc > 11 ? atof(argv[11]) : 0;
    reports = argc > 12 && strcmp(argv[12], "reports") == 0;
    if (nconn < 1 || nconn > MAXC || rate <= 0 || secs <= 0 || frac[0] < 0 || (every > 0 && secs / every > WINDOWS)) {
        fprintf(stderr, "bench_mixed: 1..%d connections, a positive rate and duration, fractions adding to at most 1\n", MAXC);
        return 2;
    }
    static conn cs[MAXC];
    int ep = epoll_create1(0);
    for (int i = 0; i < nconn; i++) {
        cs[i].fd = dial(port);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    usleep(100000); /* connected */
    static series kinds[KINDS], windows[WINDOWS][KINDS];
    /* A schedule per kind, each on its own connections, as separate clients would be: a slow
     * write never holds a connection a check was waiting for. Writes get a quarter of the
     * connections (as before screening and tiles were added), screening and tiles an eighth each
     * when they are asked for, checks the rest. */
    int64_t t0 = now_ns(), total = 0, done = 0, count[KINDS], next[KINDS] = {0};
    double krate[KINDS];
    int share[KINDS] = {0, nconn / 4, frac[2] > 0 ? nconn / 8 : 0, frac[3] > 0 ? nconn / 8 : 0}, lo[KINDS], hi[KINDS], at = 0;
    for (int k = 1; k < KINDS; k++)
        if (frac[k] > 0 && share[k] < 1)
            share[k] = 1;
    share[0] = nconn - share[1] - share[2] - share[3];
    int order[KINDS] = {1, 2, 3, 0}; /* writes first on the list of connections, as before */
    for (int o = 0; o < KINDS; o++) {
        int k = order[o];
        lo[k] = at;
        at += share[k];
        hi[k] = at;
        krate[k] = rate * frac[k];
        count[k] = (int64_t)(krate[k] * secs);
        total += count[k];
    }
    if (share[0] < 1 || (frac[1] > 0 && share[1] < 1)) {
        fprintf(stderr, "bench_mixed: too few connections for the kinds asked\n");
        return 2;
    }
    char req[2048];
#define DUE(k, i) (t0 + (int64_t)((double)(i)*1e9 / krate[k]))
    while (done < total) {
        int64_t t = now_ns();
        for (int kind = 0; kind < KINDS; kind++) {
            while (next[kind] < count[kind] && DUE(kind, next[kind]) <= t) {
                int i = -1;
                for (int j = lo[kind]; j < hi[kind]; j++)
                    if (!cs[j].busy) {
                        i = j;
                        break;
                    }
                if (i < 0)
                    break; /* every connection of this kind busy: it waits, and its wait counts */
                int n = request(req, sizeof(req), kind, (long long)next[kind], key, run, persons);
                if (write(cs[i].fd, req, (size_t)n) != n) {
                    perror("write");
                    return 1;
                }
                cs[i].busy = true;
                cs[i].kind = kind;
                cs[i].due_ns = DUE(kind, next[kind]);
                cs[i].inlen = 0;
                kinds[kind].sent++;
                next[kind]++;
            }
        }
        int64_t due = INT64_MAX;
        for (int kind = 0; kind < KINDS; kind++)
            if (next[kind] < count[kind] && DUE(kind, next[kind]) < due)
                due = DUE(kind, next[kind]);
        /* Sleep until the next request is due or an answer comes, to the microsecond: a client that
         * spun would take a core from the server it measures. */
        int64_t wait_ns = due != INT64_MAX ? due - now_ns() : 100000000;
        if (wait_ns < 0)
            wait_ns = 0;
        struct timespec timeout = {.tv_sec = wait_ns / 1000000000, .tv_nsec = wait_ns % 1000000000};
        struct epoll_event evs[64];
        int ne = epoll_pwait2(ep, evs, 64, &timeout, NULL);
        for (int e = 0; e < ne; e++) {
            conn *c = &cs[evs[e].data.u32];
            ssize_t r = read(c->fd, c->in + c->inlen, sizeof(c->in) - 1 - c->inlen);
            if (r < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (!c->busy || r <= 0) {
                /* The server closes a connection idle past its deadline for a request's head (408),
                 * as it should: a client dials again, as browsers and HTTP libraries do. An answer
                 * lost with a connection closed under it is an error. */
                if (c->busy) {
                    fprintf(stderr, "bench_mixed: a %s's connection closed under it (%s)\n", kind_names[c->kind],
                            r < 0 ? strerror(errno) : "by the server");
                    kinds[c->kind].bad++;
                    done++;
                }
                if (r > 0) /* a 408 on an idle connection: its close follows */
                    continue;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                c->fd = dial(port);
                c->busy = false;
                c->inlen = 0;
                struct epoll_event ev = {.events = EPOLLIN, .data.u32 = evs[e].data.u32};
                epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
                redials++;
                continue;
            }
            c->inlen += (size_t)r;
            int status = 0;
            size_t len = complete(c, &status);
            if (len == 0)
                continue;
            int64_t lat = now_ns() - c->due_ns;
            add(&kinds[c->kind], lat);
            series *w = NULL;
            if (every > 0) { /* the window the request was due in */
                size_t win = (size_t)((double)(c->due_ns - t0) / 1e9 / every);
                w = &windows[win < WINDOWS ? win : WINDOWS - 1][c->kind];
                add(w, lat);
            }
            bool ok = status >= 200 && status < 300;
            if (ok)
                kinds[c->kind].ok++;
            else
                kinds[c->kind].bad++;
            if (w != NULL)
                *(ok ? &w->ok : &w->bad) += 1;
            c->busy = false;
            c->inlen = 0;
            done++;
        }
    }
    double took = (now_ns() - t0) / 1e9;
    printf("rate %.0f/s for %.0f s (%.1f%% writes, %.1f%% screens, %.1f%% tiles), %d connections: %lld requests in %.2f s "
           "(%.0f/s)\n",
           rate, secs, frac[1] * 100, frac[2] * 100, frac[3] * 100, nconn, (long long)total, took, total / took);
    if (redials > 0)
        printf("%ld idle connections closed by the server (its 10 s deadline for a request) and dialled again\n", redials);
    for (int w = 0; every > 0 && w < WINDOWS && w * every < secs; w++) {
        printf("%5.0f s:", (w + 1) * every);
        for (int k = 0; k < KINDS; k++) {
            series *s = &windows[w][k];
            if (s->n == 0)
                continue;
            qsort(s->v, s->n, sizeof(*s->v), cmp);
            printf("  %s %zu (%ld errors) p99 %.2f ms", kind_names[k], s->n, s->bad, s->v[(size_t)(s->n * 0.99)] / 1e6);
        }
        printf("\n");
    }
    long bad = 0;
    for (int k = 0; k < KINDS; k++) {
        if (kinds[k].sent == 0 && k >= 2)
            continue;
        report(kind_names[k], &kinds[k]);
        bad += kinds[k].bad;
    }
    return bad > 0;
}
