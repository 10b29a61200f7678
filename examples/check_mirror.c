/* An example of embedding libniemtin: load a snapshot and change pages saved
 * from a niemtin server, then answer checks.
 *
 *   curl -s -H "Authorization: Bearer $KEY" $API/v1/restrictions/snapshot > snapshot.json
 *   curl -s -H "Authorization: Bearer $KEY" "$API/v1/changes?since=$(jq .seq snapshot.json)" > changes.json
 *   check_mirror snapshot.json changes.json -- tiktok:@keorau.official livestream
 *
 * Prints one line per subject and exits 1 if any is restricted. */
#include <niemtin/niemtin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

int main(int argc, char **argv)
{
    int sep = 1;
    while (sep < argc && strcmp(argv[sep], "--") != 0)
        sep++;
    if (sep < 2 || sep + 2 >= argc + 1 || (argc - sep - 1) % 2 != 0 || argc - sep - 1 == 0) {
        fprintf(stderr, "usage: check_mirror SNAPSHOT.json [CHANGES.json ...] -- SUBJECT SCOPE [SUBJECT SCOPE ...]\n");
        return 2;
    }
    niemtin_mirror *m = niemtin_mirror_new();
    for (int i = 1; i < sep; i++) {
        size_t len;
        char *json = slurp(argv[i], &len);
        int rc = json == NULL ? NIEMTIN_EINVAL
                 : i == 1     ? niemtin_mirror_load_snapshot(m, json, len)
                              : niemtin_mirror_apply_changes(m, json, len);
        free(json);
        if (rc != NIEMTIN_OK) {
            fprintf(stderr, "check_mirror: cannot load %s\n", argv[i]);
            niemtin_mirror_free(m);
            return 2;
        }
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    int status = 0;
    for (int i = sep + 1; i + 1 < argc; i += 2) {
        niemtin_answer a;
        if (niemtin_check(m, argv[i], argv[i + 1], now, &a) != NIEMTIN_OK) {
            printf("%s %s: invalid\n", argv[i], argv[i + 1]);
            status = 2;
            continue;
        }
        if (a.allowed) {
            printf("%s %s: allowed\n", argv[i], argv[i + 1]);
        } else {
            printf("%s %s: restricted by %s (%s)\n", argv[i], argv[i + 1], a.decision_number, a.authority);
            if (status == 0)
                status = 1;
        }
    }
    printf("mirror at seq %lld, %zu restrictions, libniemtin %s\n", (long long)niemtin_mirror_seq(m), niemtin_mirror_size(m),
           niemtin_version());
    niemtin_mirror_free(m);
    return status;
}
