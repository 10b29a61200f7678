/* The HTTP server: libmicrohttpd with a thread pool on epoll.
 *
 * The raw request-target is captured by the URI log callback, which also
 * creates the request state, so our own parser sees exactly what the client
 * sent. Bodies are accumulated up to NT_BODY_MAX; the response is queued on
 * the last call of the access handler (queueing on the first loses
 * keep-alive). Writes run on writer threads of their own while their
 * connection is suspended, so the threads answering checks never wait for a
 * commit. Each finished request queues one JSON log line, written to stderr by
 * a thread of its own, and feeds the metrics. Shutdown quiesces the listening
 * socket, waits for requests in flight up to a deadline, then stops the
 * daemon. */
#include "core/alloc.h"
#include "core/schema.h"
#include "core/util.h"
#include "http/http.h"
#include "http/cache.h"
#include "http/ratelimit.h"
#include "index/restrictions.h"
#include "service/ads.h"
#include "service/check.h"
#include "service/tlog.h"
#include "service/runtime.h"
#include "service/webhooks.h"
#include <pthread.h>
#include <sodium.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

struct nt_server {
    nt_server_env env; /* svc, rate limits, cache, draining: what requests reach */
    struct MHD_Daemon *d;
    nt_server_config cfg;
    unsigned port;
    atomic_long inflight;
    /* The writes' own threads: a request that writes waits for its group to commit there, so the
     * threads that answer checks never wait for a disk. */
    pthread_mutex_t jobs_mu;
    pthread_cond_t jobs_cv;
    nt_req *jobs, *jobs_tail;
    bool jobs_stop;
    pthread_t *writers;
    unsigned nwriters;
    atomic_int connections; /* open TCP connections */
    /* Every open connection with the time by which what it is sending must be in (its request's
     * head, or its body): a sweeper answers 408 and closes the ones past it, so a client that
     * drips bytes cannot hold connections for ever. */
    pthread_mutex_t conns_mu;
    struct conn_rec *conns;
    pthread_t sweeper;
    pthread_mutex_t sweep_mu;
    pthread_cond_t sweep_cv;
    bool sweep_stop, sweep_started;
    /* The request log: lines queued by the threads that answer, written by a thread of its own,
     * so that a slow disk under the log never holds up a check. */
    struct {
        pthread_mutex_t mu;
        pthread_cond_t cv;
        char *buf;
        size_t len;
        bool stop;
        long dropped;
        pthread_t th;
        bool started;
    } log;
};

/* One open connection. deadline: monotonic µs by which the head (or body) must be in; 0 while the
 * request is being answered. fd stays valid while the record is linked: libmicrohttpd tells us a
 * connection closed before it closes its socket, and we unlink under conns_mu. */
typedef struct conn_rec {
    int fd;
    _Atomic int64_t deadline;
    struct conn_rec *prev, *next;
} conn_rec;

#define LOG_BUF (1 << 20) /* bytes of request log waiting at most; past that lines are dropped and counted */

/* Queues one whole line (never split, as stderr's readers expect one write per line). */
static void log_line(nt_server *s, const char *line, size_t n)
{
    pthread_mutex_lock(&s->log.mu);
    if (s->log.len + n <= LOG_BUF) {
        memcpy(s->log.buf + s->log.len, line, n);
        s->log.len += n;
        if (s->log.len > LOG_BUF / 2) /* else the writer comes by itself: no wake-up per line */
            pthread_cond_signal(&s->log.cv);
    } else {
        s->log.dropped++;
    }
    pthread_mutex_unlock(&s->log.mu);
}

static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, p, n);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static void *log_writer(void *arg)
{
    nt_server *s = arg;
    char *out = nt_xmalloc(LOG_BUF);
    for (;;) {
        pthread_mutex_lock(&s->log.mu);
        if (s->log.len <= LOG_BUF / 2 && !s->log.stop) { /* lines written every 20 ms, in one go */
            struct timespec until;
            nt_deadline_ms(20, &until);
            pthread_cond_timedwait(&s->log.cv, &s->log.mu, &until);
        }
        size_t n = s->log.len;
        memcpy(out, s->log.buf, n);
        s->log.len = 0;
        long dropped = s->log.dropped;
        s->log.dropped = 0;
        bool stop = s->log.stop;
        pthread_mutex_unlock(&s->log.mu);
        write_all(out, n);
        if (dropped > 0) {
            char line[128];
            int k =
                snprintf(line, sizeof(line), "{\"level\":\"warn\",\"msg\":\"request log lines dropped\",\"lines\":%ld}\n", dropped);
            write_all(line, (size_t)k);
        }
        if (stop && n == 0)
            break;
    }
    free(out);
    return NULL;
}

/* The caches forget a person that changed (the runtime tells of every change followed). */
static void on_change(void *arg, const char *entity, const char *id)
{
    nt_server *s = arg;
    if (strcmp(entity, "person") == 0)
        nt_cache_invalidate(s->env.cache, id);
}

/* ---- libmicrohttpd callbacks ---- */

/* Request ids: 64 random bits from a per-thread generator seeded once from the OS,
 * so the hot path makes no system call for them. */
static void request_id(char out[24])
{
    static _Thread_local uint64_t state;
    if (state == 0)
        randombytes_buf(&state, sizeof(state));
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    snprintf(out, 24, "%016llx", (unsigned long long)z);
}

/* The connection's record, to move its deadline: in_ms from now, or none (0). */
static void set_deadline(struct MHD_Connection *conn, unsigned in_ms)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_rec *c = ci != NULL ? ci->socket_context : NULL;
    if (c != NULL)
        atomic_store(&c->deadline, in_ms ? nt_mono_us() + (int64_t)in_ms * 1000 : 0);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    nt_server *s = cls;
    nt_req *r = nt_xmalloc(sizeof(*r));
    if (r == NULL)
        return NULL;
    memset(r, 0, offsetof(nt_req, uri));
    r->uri.nsegs = 0;
    r->uri.nparams = 0;
    r->srv = s;
    r->env = &s->env;
    r->conn = conn;
    r->t0 = nt_mono_us();
    request_id(r->id);
    /* Longer than the parser accepts: keep a prefix; the parser will say 414. */
    size_t n = strnlen(uri, NT_URI_MAX_LEN + 1);
    r->target = nt_xstrndup(uri, n);
    atomic_fetch_add(&s->inflight, 1);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    nt_req *r = *con_cls;
    if (r == NULL || r->target == NULL)
        return MHD_NO;
    if (!r->started) {
        r->started = true;
        /* The head is in; a body has its own time to arrive, and an answer none. */
        const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
        const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        bool has_body = te != NULL || (len != NULL && strtoull(len, NULL, 10) > 0);
        set_deadline(conn, has_body ? ((nt_server *)cls)->cfg.body_ms : 0);
        r->method = method;
        r->http10 = version != NULL && strcmp(version, MHD_HTTP_VERSION_1_0) == 0;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci != NULL && ci->client_addr != NULL) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->client, sizeof(r->client));
            else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->client, sizeof(r->client));
        }
        /* Bodies are held to NT_BODY_MAX unless the route takes a file (asked only then). */
        r->body_max = NT_BODY_MAX;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        unsigned long long declared = cl != NULL ? strtoull(cl, NULL, 10) : 0;
        if (declared > r->body_max && (r->body_max = nt__route_body_max(method, r->target)) < declared) {
            r->too_big = true;
            /* A client that waits to be told (Expect: 100-continue) is answered 413 at once; one
             * that sends the body anyway reads it once its body is in: closing under it would cut
             * the answer off. */
            const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
            if (expect != NULL && strcasecmp(expect, "100-continue") == 0)
                return nt__dispatch(r);
        }
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!r->too_big) {
            if (r->body_len + *upload_size > r->body_max && r->body_max == NT_BODY_MAX) /* chunked: ask now */
                r->body_max = nt__route_body_max(r->method, r->target);
            if (r->body_len + *upload_size > r->body_max) {
                r->too_big = true;
                free(r->body);
                r->body = NULL;
                r->body_len = 0;
            } else {
                if (r->body_len + *upload_size + 1 > r->body_cap) {
                    size_t cap = r->body_cap ? r->body_cap : 4096;
                    while (cap < r->body_len + *upload_size + 1)
                        cap *= 2;
                    char *nb = nt_xrealloc(r->body, cap);
                    if (nb == NULL)
                        return MHD_NO;
                    r->body = nb;
                    r->body_cap = cap;
                }
                memcpy(r->body + r->body_len, upload_data, *upload_size);
                r->body_len += *upload_size;
                r->body[r->body_len] = '\0';
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    set_deadline(conn, 0); /* the body is in */
    nt_server *s = cls;
    if (r->resp != NULL) { /* back from a writer thread */
        enum MHD_Result ret = MHD_queue_response(conn, r->resp_status, r->resp);
        MHD_destroy_response(r->resp);
        r->resp = NULL;
        return ret;
    }
    if (!r->too_big && nt__route_writes(r->method, r->target)) {
        /* Writes run on the writer threads, so that the connections sharing this thread (checks)
         * never wait for a commit; but on a server with this one connection, nothing else can
         * wait for this thread, and a handoff would only add to the write's latency. */
        if (atomic_load(&s->connections) == 1)
            return nt__dispatch(r);
        pthread_mutex_lock(&s->jobs_mu);
        bool queued = !s->jobs_stop && s->nwriters > 0;
        if (queued) {
            r->deferred = true;
            MHD_suspend_connection(conn);
            if (s->jobs_tail != NULL)
                s->jobs_tail->next_job = r;
            else
                s->jobs = r;
            s->jobs_tail = r;
            pthread_cond_signal(&s->jobs_cv);
        }
        pthread_mutex_unlock(&s->jobs_mu);
        if (queued)
            return MHD_YES;
        return nt__dispatch(r); /* while stopping */
    }
    return nt__dispatch(r);
}

/* A writer thread: runs writes one after another, each answered by resuming its connection. */
static void *run_writes(void *arg)
{
    nt_server *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->jobs_mu);
        while (s->jobs == NULL && !s->jobs_stop)
            pthread_cond_wait(&s->jobs_cv, &s->jobs_mu);
        nt_req *r = s->jobs;
        if (r != NULL && (s->jobs = r->next_job) == NULL)
            s->jobs_tail = NULL;
        pthread_mutex_unlock(&s->jobs_mu);
        if (r == NULL)
            return NULL; /* stopping, and nothing left */
        r->next_job = NULL;
        nt__dispatch(r);
        if (r->resp == NULL) /* the handler could not even build an answer */
            nt_respond_problem(r, 500, "internal", NULL);
        MHD_resume_connection(r->conn);
    }
}

static void json_escape_into(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context, enum MHD_ConnectionNotificationCode toe)
{
    nt_server *s = cls;
    atomic_fetch_add(&s->connections, toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
    conn_rec *c = *socket_context;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (ci == NULL || (c = nt_xcalloc(1, sizeof(*c))) == NULL)
            return;
        c->fd = ci->connect_fd;
        atomic_store(&c->deadline, nt_mono_us() + (int64_t)s->cfg.head_ms * 1000);
        pthread_mutex_lock(&s->conns_mu);
        c->next = s->conns;
        if (s->conns != NULL)
            s->conns->prev = c;
        s->conns = c;
        pthread_mutex_unlock(&s->conns_mu);
        *socket_context = c;
    } else if (c != NULL) {
        pthread_mutex_lock(&s->conns_mu);
        if (c->prev != NULL)
            c->prev->next = c->next;
        else
            s->conns = c->next;
        if (c->next != NULL)
            c->next->prev = c->prev;
        pthread_mutex_unlock(&s->conns_mu);
        free(c);
        *socket_context = NULL;
    }
}

/* Answers 408 on each connection past its deadline and closes it under libmicrohttpd, which then
 * sees the end of the stream and lets it go. Nothing else writes to such a socket: its request
 * has not reached a handler, or its body is still coming. */
static void *sweep(void *arg)
{
    nt_server *s = arg;
    static const char body[] = "{\"type\":\"urn:niemtin:problem:request-timeout\",\"title\":\"Hết thời gian gửi yêu cầu\","
                               "\"status\":408,\"detail\":\"the request (its head or its body) did not arrive in time\"}";
    char msg[512];
    int n = snprintf(msg, sizeof(msg),
                     "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: application/problem+json\r\n"
                     "Content-Language: vi\r\nContent-Length: %zu\r\n\r\n%s",
                     sizeof(body) - 1, body);
    pthread_mutex_lock(&s->sweep_mu);
    while (!s->sweep_stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->sweep_cv, &s->sweep_mu, &until);
        if (s->sweep_stop)
            break;
        int64_t now = nt_mono_us();
        pthread_mutex_lock(&s->conns_mu);
        for (conn_rec *c = s->conns; c != NULL; c = c->next) {
            int64_t d = atomic_load(&c->deadline);
            if (d != 0 && d < now) {
                atomic_store(&c->deadline, 0);
                (void)!send(c->fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
                shutdown(c->fd, SHUT_RDWR);
            }
        }
        pthread_mutex_unlock(&s->conns_mu);
    }
    pthread_mutex_unlock(&s->sweep_mu);
    return NULL;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    nt_server *s = cls;
    set_deadline(conn, s->cfg.head_ms); /* the next request on this connection, if any */
    nt_req *r = *con_cls;
    if (r == NULL)
        return;
    int64_t us = nt_mono_us() - r->t0;
    if (r->started) {
        size_t route = r->route ? nt_route_index(r->route) + 1 : 0;
        nt__metrics_observe(route, (unsigned)r->status, us);
        if (!s->cfg.quiet) {
            /* One line, queued whole (log_line). Method and route are tokens without quotes. */
            char line[512];
            size_t n = 0;
#define PUT(str)                                                                                                                   \
    do {                                                                                                                           \
        const char *s_ = (str);                                                                                                    \
        size_t l_ = strnlen(s_, 128);                                                                                              \
        memcpy(line + n, s_, l_);                                                                                                  \
        n += l_;                                                                                                                   \
    } while (0)
            char at[NT_TIME_LEN], num[48];
            nt_time_utc(nt_now_us(), at);
            PUT("{\"time\":\"");
            PUT(at);
            PUT("\",\"id\":\"");
            PUT(r->id);
            PUT("\",\"method\":\"");
            PUT(r->method);
            PUT("\",\"route\":\"");
            PUT(r->route ? r->route->pattern : "(none)");
            snprintf(num, sizeof(num), "\",\"status\":%d,\"us\":%lld,\"key\":", r->status, (long long)us);
            PUT(num);
            if (r->actor.key_id[0]) {
                PUT("\"");
                PUT(r->actor.key_id);
                PUT("\"}\n");
            } else {
                PUT("null}\n");
            }
#undef PUT
            log_line(s, line, n);
        }
    }
    nt__idem_release(r);
    json_decref(r->json);
    free(r->body);
    free(r->target);
    free(r->session);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

/* libmicrohttpd's own messages (malformed requests, resource limits) as JSON lines too. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    char line[1200], at[NT_TIME_LEN];
    nt_time_utc(nt_now_us(), at);
    FILE *f = fmemopen(line, sizeof(line), "w");
    if (f == NULL)
        return;
    fprintf(f, "{\"time\":\"%s\",\"level\":\"warn\",\"msg\":\"", at);
    json_escape_into(f, msg);
    fprintf(f, "\"}\n");
    long len = ftell(f);
    fclose(f);
    if (len > 0 && len < (long)sizeof(line))
        (void)!write(STDERR_FILENO, line, (size_t)len);
}

static void stop_writers(nt_server *s)
{
    pthread_mutex_lock(&s->jobs_mu);
    s->jobs_stop = true;
    pthread_cond_broadcast(&s->jobs_cv);
    unsigned n = s->nwriters;
    pthread_mutex_unlock(&s->jobs_mu);
    for (unsigned i = 0; i < n; i++)
        pthread_join(s->writers[i], NULL);
}

static void stop_log(nt_server *s)
{
    if (!s->log.started)
        return;
    pthread_mutex_lock(&s->log.mu);
    s->log.stop = true;
    pthread_cond_signal(&s->log.cv);
    pthread_mutex_unlock(&s->log.mu);
    pthread_join(s->log.th, NULL); /* what was queued is written first */
    free(s->log.buf);
    pthread_mutex_destroy(&s->log.mu);
    pthread_cond_destroy(&s->log.cv);
    s->log.started = false;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, nt_err *err)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
        return nt_err_set(err, NT_EINVAL, "--listen wants HOST:PORT, not %s", "--listen cần HOST:PORT, không phải %s", listen);
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (*end != '\0' || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return nt_err_set(err, NT_EINVAL, "--listen wants an IPv4 HOST:PORT, not %s", "--listen cần HOST:PORT IPv4, không phải %s",
                          listen);
    return 0;
}

int nt_server_start(nt_svc *svc, const nt_server_config *cfg, nt_server **out, nt_err *err)
{
    struct sockaddr_in sa;
    int rc = parse_listen(cfg->listen, &sa, err);
    if (rc != 0)
        return rc;
    nt_server *s = nt_xcalloc(1, sizeof(*s));
    if (s == NULL)
        return NT_ENOMEM;
    s->env.svc = svc;
    s->cfg = *cfg;
    if (s->cfg.head_ms == 0)
        s->cfg.head_ms = 10000;
    if (s->cfg.body_ms == 0)
        s->cfg.body_ms = 60000;
    pthread_mutex_init(&s->conns_mu, NULL);
    pthread_mutex_init(&s->sweep_mu, NULL);
    pthread_cond_init(&s->sweep_cv, NULL);
    s->env.rl = nt_ratelimit_new(cfg->public_rate, cfg->public_burst);
    s->env.cache = nt_cache_new(50000);
    if (s->env.rl == NULL || s->env.cache == NULL || nt_svc_listen(svc, on_change, s) != 0) {
        nt_ratelimit_free(s->env.rl);
        nt_cache_free(s->env.cache);
        free(s);
        return NT_ENOMEM;
    }
    /* One thread per core answers everything but writes, which wait for their commit on threads
     * of their own (run_writes): a check never waits behind a disk. */
    unsigned threads = cfg->threads ? cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    /* The logger goes first, or libmicrohttpd warns that earlier options may log elsewhere. */
    pthread_mutex_init(&s->log.mu, NULL);
    pthread_cond_init(&s->log.cv, NULL);
    s->log.buf = nt_xmalloc(LOG_BUF);
    NT_ASSERT(pthread_create(&s->log.th, NULL, log_writer, s) == 0);
    s->log.started = true;
    pthread_mutex_init(&s->jobs_mu, NULL);
    pthread_cond_init(&s->jobs_cv, NULL);
    s->nwriters = cfg->write_threads ? cfg->write_threads : 32;
    s->writers = nt_xcalloc(s->nwriters, sizeof(*s->writers));
    for (unsigned i = 0; i < s->nwriters; i++)
        NT_ASSERT(pthread_create(&s->writers[i], NULL, run_writes, s) == 0);
    s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                                MHD_ALLOW_SUSPEND_RESUME,
                            0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_address, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
                            MHD_OPTION_END);
    if (s->d == NULL) {
        stop_writers(s);
        stop_log(s);
        free(s->writers);
        pthread_mutex_destroy(&s->jobs_mu);
        pthread_cond_destroy(&s->jobs_cv);
        nt_svc_unlisten(svc, on_change, s);
        nt_ratelimit_free(s->env.rl);
        nt_cache_free(s->env.cache);
        free(s);
        return nt_err_set(err, NT_EIO, "cannot listen on %s", "không lắng nghe được trên %s", cfg->listen);
    }
    NT_ASSERT(pthread_create(&s->sweeper, NULL, sweep, s) == 0);
    s->sweep_started = true;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : ntohs(sa.sin_port);
    *out = s;
    return 0;
}

unsigned nt_server_port(nt_server *s)
{
    return s->port;
}

void nt_server_stop(nt_server *s, int grace_ms)
{
    if (s == NULL)
        return;
    atomic_store(&s->env.stopping, true);
    /* No new connections from here; the listening socket is closed only once the daemon has
     * stopped: its polling thread may still be taking it out of the epoll set (closed before, that
     * fails and libmicrohttpd aborts the process). */
    int fd = MHD_quiesce_daemon(s->d);
    int64_t deadline = nt_mono_us() + (int64_t)grace_ms * 1000;
    while (atomic_load(&s->inflight) > 0 && nt_mono_us() < deadline)
        usleep(10000);
    stop_writers(s); /* they finish the writes queued; their connections are resumed */
    MHD_stop_daemon(s->d);
    if (fd >= 0)
        close(fd);
    pthread_mutex_lock(&s->sweep_mu);
    s->sweep_stop = true;
    pthread_cond_signal(&s->sweep_cv);
    pthread_mutex_unlock(&s->sweep_mu);
    if (s->sweep_started)
        pthread_join(s->sweeper, NULL);
    stop_log(s);
    free(s->writers);
    pthread_mutex_destroy(&s->jobs_mu);
    pthread_cond_destroy(&s->jobs_cv);
    nt_svc_unlisten(s->env.svc, on_change, s);
    nt_ratelimit_free(s->env.rl);
    nt_cache_free(s->env.cache);
    free(s);
}
