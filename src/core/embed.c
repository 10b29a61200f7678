/* Lookup of files embedded at build time by cmake/embed.cmake. */
#include "core/embed.h"
#include <string.h>

const struct nt_embedded *nt_embed_find(const char *name)
{
    for (const struct nt_embedded *e = nt_embedded_files; e->name != NULL; e++)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}
