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

static inline void nt_test_rmtree(char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", path);
    free(path);
}
#endif
