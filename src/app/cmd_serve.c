/* `niemtin serve`: runs the HTTP API until SIGTERM or SIGINT.
 *
 * The signals are blocked before any thread starts and taken by sigwait in
 * the main thread, so no handler runs inside a request. On a signal: stop
 * accepting, let requests in flight finish (up to 10 s), close the database. */
#include "app/cli.h"
#include "index/screen.h"
#include "core/util.h"
#include "http/http.h"
#include "service/runtime.h"
#include "service/check.h"
#include "service/tlog.h"
#include <curl/curl.h>
#include <getopt.h>
#include "core/trust.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: niemtin serve [--listen HOST:PORT] [--db PATH] [--threads N] [--write-threads N]\n"
           "                     [--public-rate R] [--public-burst B] [--quiet]\n"
           "                     [--appeal-days N] [--max-restriction-days N]\n\n"
           "Serves the HTTP API. Each option can also be set in the environment:\n"
           "  --listen        NIEMTIN_LISTEN        default 127.0.0.1:8080\n"
           "  --db            NIEMTIN_DB            default " NT_DEFAULT_DB "\n"
           "  --threads       NIEMTIN_THREADS       threads answering requests, default: one per core\n"
           "  --write-threads NIEMTIN_WRITE_THREADS threads running writes (each waits for its commit), default 32\n"
           "  --public-rate   NIEMTIN_PUBLIC_RATE   requests/s per client address without a key, default 10\n"
           "  --public-burst  NIEMTIN_PUBLIC_BURST  bucket size for those, default 50\n"
           "  --max-connections-per-address N  NIEMTIN_MAX_CONNECTIONS_PER_ADDRESS  open connections one client\n"
           "                                   address may hold (of 4,096 in all), default 256\n"
           "  --request-head-seconds S   NIEMTIN_REQUEST_HEAD_SECONDS   a request's head must arrive whole within S\n"
           "                             of the connection (or of the last answer on it), default 10; else 408\n"
           "  --request-body-seconds S   NIEMTIN_REQUEST_BODY_SECONDS   its body within S of its head, default 60\n"
           "  --quiet         NIEMTIN_QUIET=1       no request log lines on stderr\n"
           "  --appeal-days N            NIEMTIN_APPEAL_DAYS            default appeal deadline, default 30\n"
           "  --max-restriction-days N   NIEMTIN_MAX_RESTRICTION_DAYS   cap on a restriction or ban, default 730\n"
           "  --webhook-attempts N       NIEMTIN_WEBHOOK_ATTEMPTS       dead-letter a delivery after N attempts, default 8\n"
           "  --webhook-backoff-ms N     NIEMTIN_WEBHOOK_BACKOFF_MS     first retry after N ms, doubling, default 1000\n"
           "  --webhook-allow-loopback   NIEMTIN_WEBHOOK_ALLOW_LOOPBACK=1  deliver to receivers on this machine (tests,\n"
           "                             a local relay); internal addresses are refused otherwise\n"
           "  --policy P                 NIEMTIN_POLICY                 repeat-violation policy, default 5/30,10/90,7-30,3:\n"
           "                             5 violations in 30 days or 10 in 90 recommend a 7-30 day restriction;\n"
           "                             the 3rd temporary restriction recommends a long-term review\n"
           "  --public-url URL           NIEMTIN_PUBLIC_URL             where users reach this deployment (https://…): the\n"
           "                             issuer's did:web and certificate links; default http://HOST:PORT listened on\n"
           "  --trust-standards FILE     NIEMTIN_TRUST_STANDARDS        the alliance's standards (default: the built-in\n"
           "                             data/trust-standards.json)\n"
           "  --certificate-validity-seconds N  NIEMTIN_CERTIFICATE_VALIDITY_SECONDS  a certificate's validity; default\n"
           "                             0: 12 calendar months\n"
           "  --clean-record-months N    NIEMTIN_CLEAN_RECORD_MONTHS    no decided violation within N months to be\n"
           "                             certified, default 12\n"
           "  --session-idle-seconds S   NIEMTIN_SESSION_IDLE_SECONDS   a web session not used for S ends, default 1800\n"
           "  --session-max-seconds S    NIEMTIN_SESSION_MAX_SECONDS    and any web session after S, default 43200\n"
           "  --read-only                NIEMTIN_READ_ONLY=1            serve from a read-only copy (a PostgreSQL hot\n"
           "                             standby): checks, screening, tiles and public reads; writes answer 503\n"
           "  --primary-url URL          NIEMTIN_PRIMARY_URL            where writes go instead, named in that 503\n"
           "Stops cleanly on SIGTERM or SIGINT: in-flight requests get up to 10 s.\n");
}

int nt_cmd_serve(int argc, char **argv)
{
    nt_server_config cfg = {
        .listen = nt_cli_env("LISTEN", "127.0.0.1:8080"),
        .threads = (unsigned)atoi(nt_cli_env("THREADS", "0")),
        .write_threads = (unsigned)atoi(nt_cli_env("WRITE_THREADS", "32")),
        .public_rate = atof(nt_cli_env("PUBLIC_RATE", "10")),
        .public_burst = atof(nt_cli_env("PUBLIC_BURST", "50")),
        .quiet = atoi(nt_cli_env("QUIET", "0")) != 0,
        .per_address = (unsigned)atoi(nt_cli_env("MAX_CONNECTIONS_PER_ADDRESS", "256")),
        .head_ms = (unsigned)(atof(nt_cli_env("REQUEST_HEAD_SECONDS", "10")) * 1000),
        .body_ms = (unsigned)(atof(nt_cli_env("REQUEST_BODY_SECONDS", "60")) * 1000),
    };
    const char *db = nt_cli_env("DB", NT_DEFAULT_DB);
    int appeal_days = atoi(nt_cli_env("APPEAL_DAYS", "30"));
    int max_days = atoi(nt_cli_env("MAX_RESTRICTION_DAYS", "730"));
    int hook_attempts = atoi(nt_cli_env("WEBHOOK_ATTEMPTS", "8"));
    int hook_backoff = atoi(nt_cli_env("WEBHOOK_BACKOFF_MS", "1000"));
    bool hook_loopback = strcmp(nt_cli_env("WEBHOOK_ALLOW_LOOPBACK", "0"), "1") == 0;
    const char *policy = nt_cli_env("POLICY", "5/30,10/90,7-30,3");
    const char *public_url = nt_cli_env("PUBLIC_URL", NULL), *standards = nt_cli_env("TRUST_STANDARDS", NULL);
    long long validity_s = atoll(nt_cli_env("CERTIFICATE_VALIDITY_SECONDS", "0"));
    int clean_months = atoi(nt_cli_env("CLEAN_RECORD_MONTHS", "12"));
    long long idle_s = atoll(nt_cli_env("SESSION_IDLE_SECONDS", "1800"));
    long long session_s = atoll(nt_cli_env("SESSION_MAX_SECONDS", "43200"));
    bool read_only = strcmp(nt_cli_env("READ_ONLY", "0"), "1") == 0;
    const char *primary_url = nt_cli_env("PRIMARY_URL", NULL);
    static const struct option opts[] = {{"listen", required_argument, 0, 'l'},
                                         {"db", required_argument, 0, 'd'},
                                         {"threads", required_argument, 0, 't'},
                                         {"write-threads", required_argument, 0, 'W'},
                                         {"public-rate", required_argument, 0, 'r'},
                                         {"public-burst", required_argument, 0, 'b'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"appeal-days", required_argument, 0, 'a'},
                                         {"max-restriction-days", required_argument, 0, 'm'},
                                         {"webhook-attempts", required_argument, 0, 'w'},
                                         {"webhook-backoff-ms", required_argument, 0, 'k'},
                                         {"webhook-allow-loopback", no_argument, 0, 'L'},
                                         {"max-connections-per-address", required_argument, 0, 'C'},
                                         {"request-head-seconds", required_argument, 0, 'H'},
                                         {"request-body-seconds", required_argument, 0, 'B'},
                                         {"policy", required_argument, 0, 'p'},
                                         {"public-url", required_argument, 0, 'U'},
                                         {"trust-standards", required_argument, 0, 'S'},
                                         {"certificate-validity-seconds", required_argument, 0, 'V'},
                                         {"clean-record-months", required_argument, 0, 'M'},
                                         {"session-idle-seconds", required_argument, 0, 'I'},
                                         {"session-max-seconds", required_argument, 0, 'X'},
                                         {"read-only", no_argument, 0, 'R'},
                                         {"primary-url", required_argument, 0, 'P'},
                                         {"help", no_argument, 0, 'h'},
                                         {0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            cfg.listen = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 't':
            cfg.threads = (unsigned)atoi(optarg);
            break;
        case 'W':
            cfg.write_threads = (unsigned)atoi(optarg);
            break;
        case 'r':
            cfg.public_rate = atof(optarg);
            break;
        case 'b':
            cfg.public_burst = atof(optarg);
            break;
        case 'q':
            cfg.quiet = true;
            break;
        case 'C':
            cfg.per_address = (unsigned)atoi(optarg);
            break;
        case 'H':
            cfg.head_ms = (unsigned)(atof(optarg) * 1000);
            break;
        case 'B':
            cfg.body_ms = (unsigned)(atof(optarg) * 1000);
            break;
        case 'a':
            appeal_days = atoi(optarg);
            break;
        case 'm':
            max_days = atoi(optarg);
            break;
        case 'w':
            hook_attempts = atoi(optarg);
            break;
        case 'k':
            hook_backoff = atoi(optarg);
            break;
        case 'L':
            hook_loopback = true;
            break;
        case 'p':
            policy = optarg;
            break;
        case 'U':
            public_url = optarg;
            break;
        case 'S':
            standards = optarg;
            break;
        case 'V':
            validity_s = atoll(optarg);
            break;
        case 'M':
            clean_months = atoi(optarg);
            break;
        case 'I':
            idle_s = atoll(optarg);
            break;
        case 'X':
            session_s = atoll(optarg);
            break;
        case 'R':
            read_only = true;
            break;
        case 'P':
            primary_url = optarg;
            break;
        default:
            usage();
            return c == 'h' ? 0 : 2;
        }
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (cfg.head_ms < 100 || cfg.head_ms > 600000 || cfg.body_ms < 100 || cfg.body_ms > 3600000) {
        fprintf(stderr, "niemtin: --request-head-seconds wants 0.1..600 and --request-body-seconds 0.1..3600\n");
        return 2;
    }
    if (cfg.write_threads < 1 || cfg.write_threads > 1024) {
        fprintf(stderr, "niemtin: --write-threads wants 1..1024\n");
        return 2;
    }
    if (appeal_days < 1 || appeal_days > 365 || max_days < 1 || max_days > 36500 || hook_attempts < 1 || hook_attempts > 30 ||
        hook_backoff < 1 || hook_backoff > 3600000) {
        fprintf(stderr, "niemtin: --appeal-days wants 1..365, --max-restriction-days 1..36500, --webhook-attempts 1..30 and "
                        "--webhook-backoff-ms 1..3600000\n");
        return 2;
    }
    nt_policy pol;
    if (nt_policy_parse(policy, &pol) != 0) {
        fprintf(stderr, "niemtin: --policy wants N/DAYS,N/DAYS,MIN-MAX,N, like 5/30,10/90,7-30,3\n");
        return 2;
    }
    if (validity_s < 0 || validity_s > 10LL * 366 * 86400 || clean_months < 0 || clean_months > 120) {
        fprintf(stderr, "niemtin: --certificate-validity-seconds wants 0..316224000 and --clean-record-months 0..120\n");
        return 2;
    }
    if (idle_s < 1 || idle_s > 86400 || session_s < idle_s || session_s > 30LL * 86400) {
        fprintf(stderr, "niemtin: --session-idle-seconds wants 1..86400 and --session-max-seconds from it to 2592000\n");
        return 2;
    }
    if (public_url != NULL && ((strncmp(public_url, "https://", 8) != 0 && strncmp(public_url, "http://", 7) != 0) ||
                               strlen(public_url) > 400 || strpbrk(public_url, " \"<>#?") != NULL)) {
        fprintf(stderr,
                "niemtin: --public-url wants an http:// or https:// address without a query, like https://niemtin.gov.vn\n");
        return 2;
    }
    char why[512];
    if (standards != NULL && nt_trust_standards_load(standards, why, sizeof(why)) != 0) {
        fprintf(stderr, "niemtin: --trust-standards: %s\n", why);
        return 2;
    }
    if (primary_url != NULL && ((strncmp(primary_url, "https://", 8) != 0 && strncmp(primary_url, "http://", 7) != 0) ||
                                strlen(primary_url) > 400 || strpbrk(primary_url, " \"<>") != NULL)) {
        fprintf(stderr, "niemtin: --primary-url wants an http:// or https:// address, like https://api.niemtin.gov.vn\n");
        return 2;
    }
    /* Room for the 4,096 connections the server takes and its own files: a soft limit of 1,024
     * (a common default) would refuse clients long before. */
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < 8192 && nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max < 8192 ? nofile.rlim_max : 8192;
        setrlimit(RLIMIT_NOFILE, &nofile);
    }
    nt_svc *svc = nt_cli_open_ex(db, read_only);
    if (svc == NULL)
        return 1;
    if (primary_url != NULL)
        nt_strlcpy(svc->primary_url, primary_url, sizeof(svc->primary_url));
    svc->cert_validity_us = validity_s * 1000000;
    svc->clean_record_months = clean_months;
    svc->session_idle_us = idle_s * 1000000;
    svc->session_max_us = session_s * 1000000;
    if (public_url != NULL) {
        nt_strlcpy(svc->public_url, public_url, sizeof(svc->public_url));
        size_t n = strlen(svc->public_url);
        while (n > 8 && svc->public_url[n - 1] == '/')
            svc->public_url[--n] = '\0';
    }
    svc->policy = pol;
    svc->appeal_days = appeal_days;
    svc->max_restriction_days = max_days;
    svc->webhook_attempts = hook_attempts;
    svc->webhook_backoff_ms = hook_backoff;
    svc->webhook_loopback = hook_loopback;
    curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread: it is not thread-safe */
    nt_server *srv = NULL;
    nt_err err;
    nt_err_clear(&err);
    int64_t t0 = nt_mono_us();
    int rc = nt_svc_index_build(svc, &err);
    if (rc != 0) {
        nt_cli_error("index", rc, &err);
        nt_svc_close(svc);
        return 1;
    }
    nt_rindex_stats ist;
    nt_rindex_stats_get(svc->index, &ist);
    nt_screen_stats sst = {0};
    int64_t t1 = nt_mono_us();
    if (svc->screen != NULL) {
        nt_screen_stats_get(svc->screen, &sst);
        /* Before answering: the first screenings would otherwise pay for the build's cold pages
         * (40 ms instead of 4 at a million persons; docs/PERFORMANCE.md). A scratch per thread. */
        nt_screen_warm(svc->screen, cfg.threads ? cfg.threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
    }
    fprintf(stderr,
            "{\"level\":\"info\",\"msg\":\"index built\",\"handles\":%zu,\"restrictions\":%zu,\"screening_names\":%zu,"
            "\"screening_mib\":%zu,\"ms\":%lld,\"warm_ms\":%lld}\n",
            ist.handles, ist.restrictions, sst.entries, sst.bytes >> 20, (long long)((t1 - t0) / 1000),
            (long long)((nt_mono_us() - t1) / 1000));
    t0 = nt_mono_us();
    rc = nt_svc_log_open(svc, &err);
    if (rc != 0) {
        nt_cli_error("log", rc, &err);
        nt_svc_close(svc);
        return 1;
    }
    if (nt_svc_log_broken(svc, why, sizeof(why))) {
        json_t *line = json_pack("{s:s, s:s, s:s}", "level", "error", "msg",
                                 "the log does not match its checkpoint: writes refused", "why", why);
        char *text = json_dumps(line, JSON_COMPACT);
        fprintf(stderr, "%s\n", text ? text : "");
        free(text);
        json_decref(line);
    } else {
        char *note = NULL;
        size_t nlen = 0;
        uint64_t size = 0;
        nt_svc_log_checkpoint(svc, &note, &nlen, &size);
        free(note);
        fprintf(stderr, "{\"level\":\"info\",\"msg\":\"log checked\",\"size\":%llu,\"ms\":%lld}\n", (unsigned long long)size,
                (long long)((nt_mono_us() - t0) / 1000));
    }
    nt_runtime *rt = NULL;
    rc = nt_runtime_start(svc, NULL, &rt, &err);
    if (rc == 0 && (rc = nt_server_start(svc, &cfg, &srv, &err)) != 0)
        nt_runtime_stop(rt);
    if (rc != 0) {
        nt_cli_error("serve", rc, &err);
        nt_svc_close(svc);
        return 1;
    }
    if (public_url == NULL) { /* where it listens, as a machine on it reaches it */
        char host[256];
        nt_strlcpy(host, cfg.listen, sizeof(host));
        char *colon = strrchr(host, ':');
        if (colon != NULL)
            *colon = '\0';
        if (host[0] == '\0' || strcmp(host, "0.0.0.0") == 0)
            nt_strlcpy(host, "localhost", sizeof(host));
        snprintf(svc->public_url, sizeof(svc->public_url), "http://%s:%u", host, nt_server_port(srv));
    }
    fprintf(stderr, "{\"level\":\"info\",\"msg\":\"listening\",\"listen\":\"%s\",\"port\":%u,\"db\":\"%s\"}\n", cfg.listen,
            nt_server_port(srv), db);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "{\"level\":\"info\",\"msg\":\"stopping\",\"signal\":%d}\n", sig);
    nt_server_stop(srv, 10000);
    nt_runtime_stop(rt);
    nt_svc_close(svc);
    curl_global_cleanup();
    fprintf(stderr, "{\"level\":\"info\",\"msg\":\"stopped\"}\n");
    return 0;
}
