/* Files compiled into the binary at build time (migrations, OpenAPI document). */
#ifndef NT_CORE_EMBED_H
#define NT_CORE_EMBED_H
#include <stddef.h>

struct nt_embedded {
    const char *name;
    const char *data; /* NUL-terminated */
    size_t len;
};

/** Terminated by an entry whose name is NULL. */
extern const struct nt_embedded nt_embedded_files[];

/** Returns the embedded file with this base name, or NULL. */
const struct nt_embedded *nt_embed_find(const char *name);
#endif
