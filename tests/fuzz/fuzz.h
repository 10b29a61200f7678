/* What every fuzz target shares. */
#ifndef NT_FUZZ_H
#define NT_FUZZ_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/** The input as a NUL-terminated string (malloc'd), or NULL. */
static inline char *nt_fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s != NULL) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}
#endif
