/* Shared by the unit tests: cmocka includes and a temporary directory. */
#ifndef NT_TEST_HELPERS_H
#define NT_TEST_HELPERS_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fresh directory under TMPDIR; removed by rmtree. */
static inline char *nt_test_tmpdir(void)
{
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *path = malloc(strlen(base) + 32);
    sprintf(path, "%s/nt-unit-XXXXXX", base);
    if (mkdtemp(path) == NULL)
        abort();
    return path;
}

/* A fixed national-ID hash key beside a test database in dir, as `niemtin init` would leave one. */
static inline void nt_test_hash_key(const char *dir)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/hash.key", dir);
    FILE *k = fopen(path, "w");
    if (k == NULL)
        abort();
    fputs("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", k);
    fclose(k);
}

static inline void nt_test_rmtree(char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", path);
    free(path);
}
#endif
