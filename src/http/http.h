/* The HTTP layer: a request, the response helpers and the route table.
 *
 * A handler parses what the router has not (path parameters, body fields),
 * calls one service function and renders its result. The router has already
 * matched the route, checked query parameters, authenticated the caller,
 * checked the role, decoded a JSON body and dealt with Idempotency-Key. */
#ifndef NT_HTTP_HTTP_H
#define NT_HTTP_HTTP_H
#include <netinet/in.h> /* before microhttpd.h */
#include <microhttpd.h>
#include "http/query.h"
#include "service/service.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define NT_BODY_MAX     (1024 * 1024)
#define NT_FILE_MAX     (10 * 1024 * 1024) /* a product document's file (PUT …/documents/{id}/file) */
#define NT_LIST_DEFAULT 20
#define NT_LIST_MAX     100

typedef struct nt_server nt_server;
typedef struct nt_route nt_route;

/* What a request may reach of the server that took it: filled once when the server starts. */
typedef struct nt_server_env {
    nt_svc *svc;
    struct nt_ratelimit *rl; /* unauthenticated requests per client address */
    struct nt_cache *cache;  /* answers of the check, by person */
    _Atomic bool stopping;   /* draining: readiness says no */
} nt_server_env;

typedef struct nt_req {
    struct MHD_Connection *conn;
    nt_server *srv;           /* the server's own (server.c) */
    const nt_server_env *env; /* what handlers use */
    char *target;             /* the raw request-target, owned */
    const char *method;
    bool started;
    bool http10; /* HTTP/1.0: Host is optional */
    int64_t t0;
    char id[24];
    char client[64];
    nt_lang lang;

    char *body;
    size_t body_len, body_cap;
    bool too_big;
    size_t body_max; /* NT_BODY_MAX, or NT_FILE_MAX for a route with NT_ROUTE_FILE_BODY */
    json_t *json;    /* the decoded body, for routes that take one */

    const nt_route *route;
    const char *params[4]; /* path parameters in pattern order */
    nt_actor actor;
    struct nt_session *session; /* a page's web session (service/users.h), whole or half-done; owned */

    /* Idempotency-Key of this write, if any; see nt_req_wctx and http/idem.c. */
    char idem_scope[80];
    char idem_key[256];
    char idem_hash[65];
    bool idem_claimed; /* this request holds the key until it completes */
    int idem_slot;     /* where (http/idem.c) */
    bool idem_replay;  /* the answer is a replay, not to be kept again */

    nt_logged logged; /* what this request's write appended to the log */

    int status;
    bool page;        /* the answer is a web page: it gets the pages' security headers */
    bool lang_picked; /* the page's language was read from ?lang= or its cookie (http/web.c) */
    /* A write runs on a writer thread while its connection is suspended: its answer is kept here
     * and queued when libmicrohttpd calls back after the resume. */
    bool deferred;
    struct MHD_Response *resp;
    unsigned resp_status;
    struct nt_req *next_job;
    struct {
        const char *name;
        char value[128];
    } headers[6];
    int nheaders;

    nt_uri uri; /* last: large, and not zeroed when a request starts */
} nt_req;

typedef enum MHD_Result (*nt_handler)(nt_req *r);

#define NT_ROUTE_JSON_BODY 1u  /* the route takes a JSON object body */
#define NT_ROUTE_REST      2u  /* the pattern's last parameter takes the rest of the path, slashes and all */
#define NT_ROUTE_READS     4u  /* a POST that only reads: answered even while writes are refused */
#define NT_ROUTE_FILE_BODY 8u  /* the body is a file of up to NT_FILE_MAX bytes */
#define NT_ROUTE_SECRET    16u /* the answer shows a secret once: it is not kept for an idempotent replay */
#define NT_ROUTE_JSON_OPT  32u /* with NT_ROUTE_JSON_BODY: no body at all reads as {} (every field optional) */
#define NT_ROUTE_PAGE      64u /* a web page: HTML, errors as pages, ?lang= allowed (http/web.h) */

struct nt_route {
    const char *method;
    const char *pattern; /* "/v1/persons/{id}" */
    nt_handler handler;
    unsigned roles; /* NT_ROLE_BIT() of the roles allowed */
    unsigned flags;
    const char *query; /* allowed query parameters, comma-separated, or NULL */
    const char *name;  /* for logs and metrics */
};

/** Routes the metrics count one by one (http/metrics.c); the table must fit (a unit test says so). */
#define NT_ROUTES_MAX 256

/** The route table, terminated by an entry with a NULL method. */
extern const nt_route nt_routes[];
size_t nt_route_count(void);
/** The index of a route in nt_routes. */
size_t nt_route_index(const nt_route *r);

/* ---- responses; each returns what MHD_queue_response returned ---- */

/** Adds a response header (copied) to the response about to be sent. */
void nt_resp_header(nt_req *r, const char *name, const char *value);
/** Sends body as JSON (taking the reference); *_at times are shown in Asia/Ho_Chi_Minh. */
enum MHD_Result nt_respond_json(nt_req *r, unsigned status, json_t *body);
/** nt_respond_json with "Location: <prefix>/<body's id>" for a created resource. */
enum MHD_Result nt_respond_created(nt_req *r, unsigned status, const char *prefix, json_t *body);
enum MHD_Result nt_respond_bytes(nt_req *r, unsigned status, const char *ctype, const char *data, size_t len, bool copy);
/** Sends data without copying it; release(arg) is called once it is sent (or the response fails). */
enum MHD_Result nt_respond_shared(nt_req *r, unsigned status, const char *ctype, const char *data, size_t len,
                                  void (*release)(void *), void *arg);
/** Whether If-None-Match names etag (or is "*"): the client's copy is current. */
bool nt_req_not_modified(nt_req *r, const char *etag);
/** RFC 9457 problem+json; slug names the stable type; err may carry detail and field errors. */
enum MHD_Result nt_respond_problem(nt_req *r, unsigned status, const char *slug, const nt_err *err);
/** Maps a service error to its status and problem. */
enum MHD_Result nt_respond_error(nt_req *r, int rc, const nt_err *err);

/** Sends a redirect (303 See Other, or the status given) to a path of this site. */
enum MHD_Result nt_respond_redirect(nt_req *r, unsigned status, const char *location);
/** The value of a cookie of the request into out (cap bytes), or false. */
bool nt_req_cookie(nt_req *r, const char *name, char *out, size_t cap);

/** The write context of this request (audit, idempotency). */
void nt_req_wctx(nt_req *r, nt_wctx *w, char at[NT_TIME_LEN]);
nt_svc *nt_req_svc(nt_req *r);
const char *nt_req_header(nt_req *r, const char *name);
/** Parses ?limit= (default NT_LIST_DEFAULT, at most NT_LIST_MAX); -1 when invalid. */
int nt_req_limit(nt_req *r);
/** The same, answering 400 itself when invalid: false with *ret the response. */
bool nt_req_limit_or_fail(nt_req *r, int *limit, enum MHD_Result *ret);

/* ---- the server ---- */
typedef struct nt_server_config {
    const char *listen; /* "127.0.0.1:8080" */
    unsigned threads;
    unsigned write_threads; /* writes run here, never on the threads that answer checks; 0: 32 */
    double public_rate;     /* unauthenticated requests per second per client address */
    double public_burst;
    unsigned per_address; /* open connections one client address may hold; 0: no limit of its own */
    unsigned head_ms;     /* a request head must arrive whole within this of the connection or the last answer; 0: 10 s */
    unsigned body_ms;     /* its body within this of its head; 0: 60 s */
    bool quiet;           /* no request log lines */
} nt_server_config;

int nt_server_start(nt_svc *svc, const nt_server_config *cfg, nt_server **out, nt_err *err);
/** The port actually bound. */
unsigned nt_server_port(nt_server *s);
/** Stops accepting, lets in-flight requests finish for up to grace_ms, then stops. */
void nt_server_stop(nt_server *s, int grace_ms);

/* Internal to src/http: */
/** Decodes a request body that must be one JSON object. 0 or NT_EINVAL with a detail. */
int nt__body_decode(const char *buf, size_t len, json_t **out, nt_err *err);
enum MHD_Result nt__dispatch(nt_req *r);
/** Idempotency-Key on a route that writes: replays (*done), refuses (*done), or lets it through
 * holding the key, so that a concurrent duplicate waits for this request's answer. */
enum MHD_Result nt__idempotency(nt_req *r, bool *done);
/** Keeps the answer about to be sent with the write's idempotency record (a 2xx of a write that
 * recorded one). */
void nt__idem_keep(nt_req *r, unsigned status, const char *ctype, const char *data, size_t len);
/** Lets go of the key this request held (when it completes). */
void nt__idem_release(nt_req *r);
/** The body limit of the route a request goes to: NT_FILE_MAX for a file route, else NT_BODY_MAX. */
size_t nt__route_body_max(const char *method, const char *target);
/** Whether the route a request goes to writes (its answer waits for a commit). */
bool nt__route_writes(const char *method, const char *target);
void nt__metrics_observe(size_t route, unsigned status, int64_t us);
void nt__metrics_render(const nt_server_env *env, char **out, size_t *len);
const char *nt__problem_title(const char *slug, nt_lang lang);
/** Shows times in Asia/Ho_Chi_Minh and texts in the reader's language, and serialises (taking the
 * reference); the caller frees. */
char *nt__render_json(json_t *body, nt_lang lang);
/** Holds the request's Idempotency-Key, waiting while another request holds it; false after 30 s. */
bool nt__idem_claim(nt_req *r);
/** The hash of the request's method, route and body, into r->idem_hash. */
void nt__idem_hash(nt_req *r);
#endif
