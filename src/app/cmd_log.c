/* `niemtin log`: the transparency log's tools. So far: check-vector. */
#include "app/cli.h"
#include "log/merkle.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf("usage: niemtin log check-vector FILE.json...\n\n"
           "Checks RFC 6962 / RFC 9162 inclusion and consistency proof test vectors (the JSON format of\n"
           "transparency-dev/merkle's testdata): prints each verdict and exits 0 exactly when every\n"
           "verdict matches the vector's wantErr, 1 when one does not, 2 when a file is not a vector.\n");
}

int nt_cmd_log(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "check-vector") != 0) {
        usage();
        return argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) ? 0 : 2;
    }
    int status = 0;
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (f == NULL) {
            perror(argv[i]);
            return 2;
        }
        char *buf = NULL;
        size_t cap = 0, len = 0;
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
            if (len + n > cap) {
                cap = (len + n) * 2;
                char *nb = realloc(buf, cap);
                if (nb == NULL) {
                    free(buf);
                    fclose(f);
                    return 2;
                }
                buf = nb;
            }
            memcpy(buf + len, chunk, n);
            len += n;
        }
        fclose(f);
        char why[512];
        int rc = nt_merkle_check_vector(buf ? buf : "", len, why, sizeof(why));
        free(buf);
        printf("%s: %s: %s\n", rc == 0 ? "ok" : rc > 0 ? "MISMATCH" : "INVALID", argv[i], why);
        if (rc < 0)
            return 2;
        if (rc > 0)
            status = 1;
    }
    return status;
}
