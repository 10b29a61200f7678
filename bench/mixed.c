/* A mixed load at a fixed rate: checks (GET /v1/check) and small logged writes (POST /v1/accounts,
 * a platform attesting a new account), over keep-alive connections, one thread with epoll.
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
 * usage: bench_mixed PORT KEY RATE SECONDS WRITE_FRACTION [CONNECTIONS] [RUN] [PERSONS] */
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

#define MAXC 1024

typedef struct conn {
    int fd;
    bool busy;
    int kind;       /* 0 check, 1 write */
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

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: bench_mixed PORT KEY RATE SECONDS WRITE_FRACTION [CONNECTIONS] [RUN] [PERSONS]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    const char *key = argv[2];
    double rate = atof(argv[3]), secs = atof(argv[4]), wfrac = atof(argv[5]);
    int nconn = argc > 6 ? atoi(argv[6]) : 64;
    const char *run = argc > 7 ? argv[7] : "m";
    long long persons = argc > 8 ? atoll(argv[8]) : 100000;
    if (nconn < 1 || nconn > MAXC || rate <= 0 || secs <= 0) {
        fprintf(stderr, "bench_mixed: 1..%d connections, a positive rate and duration\n", MAXC);
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
    series kinds[2] = {{0}, {0}};
    /* Two schedules, each on its own connections, as a platform's checking client and a writing
     * client would be: a slow write never holds a connection a check was waiting for. Writes get
     * a quarter of the connections. */
    int64_t t0 = now_ns(), total = (int64_t)(rate * secs), done = 0;
    int64_t count[2] = {(int64_t)(rate * (1 - wfrac) * secs), 0}, next[2] = {0, 0};
    count[1] = total - count[0];
    double krate[2] = {rate * (1 - wfrac), rate * wfrac};
    int nw = nconn / 4 > 0 ? nconn / 4 : 1, lo[2] = {nw, 0}, hi[2] = {nconn, nw};
    if (count[1] > 0 && nconn < 2) {
        fprintf(stderr, "bench_mixed: checks and writes need 2 connections at least\n");
        return 2;
    }
    char req[2048];
#define DUE(k, i) (t0 + (int64_t)((double)(i)*1e9 / krate[k]))
    while (done < total) {
        int64_t t = now_ns();
        for (int kind = 0; kind < 2; kind++) {
            while (next[kind] < count[kind] && DUE(kind, next[kind]) <= t) {
                int i = -1;
                for (int j = lo[kind]; j < hi[kind]; j++)
                    if (!cs[j].busy) {
                        i = j;
                        break;
                    }
                if (i < 0)
                    break; /* every connection of this kind busy: it waits, and its wait counts */
                long long seq = (long long)next[kind];
                int n;
                if (kind == 0) {
                    n = snprintf(req, sizeof(req),
                                 "GET /v1/check?subject=p%07lld&scope=livestream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Authorization: Bearer %s\r\n\r\n",
                                 seq % 1990 + 1, key);
                } else {
                    char body[256];
                    int bl = snprintf(body, sizeof(body),
                                      "{\"person_id\":\"b%07lld\",\"platform\":\"tiktok\",\"handle\":\"@mx.%s.%lld\"}",
                                      (seq * 7919) % persons, run, seq);
                    n = snprintf(req, sizeof(req),
                                 "POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                                 "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                                 key, bl, body);
                }
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
        for (int kind = 0; kind < 2; kind++)
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
            if (r <= 0) {
                fprintf(stderr, "bench_mixed: a connection closed (%s)\n", r < 0 ? strerror(errno) : "by the server");
                return 1;
            }
            c->inlen += (size_t)r;
            int status = 0;
            size_t len = complete(c, &status);
            if (len == 0)
                continue;
            add(&kinds[c->kind], now_ns() - c->due_ns);
            if (status >= 200 && status < 300)
                kinds[c->kind].ok++;
            else
                kinds[c->kind].bad++;
            c->busy = false;
            c->inlen = 0;
            done++;
        }
    }
    double took = (now_ns() - t0) / 1e9;
    printf("rate %.0f/s for %.0f s (%.1f%% writes), %d connections: %lld requests in %.2f s (%.0f/s)\n", rate, secs, wfrac * 100,
           nconn, (long long)total, took, total / took);
    report("checks", &kinds[0]);
    report("writes", &kinds[1]);
    return kinds[0].bad + kinds[1].bad > 0;
}
