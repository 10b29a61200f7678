/* tlog-tiles and tlog-checkpoint; see tiles.h. */
#include "core/alloc.h"
#include "log/tiles.h"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void nt_tile_path(char *out, size_t cap, int level, uint64_t n, unsigned width)
{
    /* The index in 3-digit groups, most significant first. */
    char groups[8][4];
    int ng = 0;
    do {
        snprintf(groups[ng++], sizeof(groups[0]), "%03u", (unsigned)(n % 1000));
        n /= 1000;
    } while (n > 0 && ng < 8);
    size_t o = level < 0 ? (size_t)snprintf(out, cap, "tile/entries/") : (size_t)snprintf(out, cap, "tile/%d/", level);
    for (int i = ng - 1; i >= 0 && o < cap; i--)
        o += (size_t)snprintf(out + o, cap - o, "%s%s%s", i > 0 ? "x" : "", groups[i], i > 0 ? "/" : "");
    if (width < NT_TILE_WIDTH && o < cap)
        snprintf(out + o, cap - o, ".p/%u", width);
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

int nt_tile_path_parse(const char *path, int *level, uint64_t *n, unsigned *width)
{
    const char *p = path;
    if (strncmp(p, "tile/", 5) != 0)
        return -1;
    p += 5;
    int l = -1;
    if (strncmp(p, "entries/", 8) == 0) {
        p += 8;
    } else {
        for (l = 0; digit(*p) && l < 64; p++)
            l = l * 10 + (*p - '0');
        if (p == path + 5 || l > 63 || *p++ != '/')
            return -1;
    }
    uint64_t v = 0;
    for (;;) {
        bool more = *p == 'x';
        p += more;
        if (!digit(p[0]) || !digit(p[1]) || !digit(p[2]))
            return -1;
        unsigned g = (unsigned)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
        p += 3;
        if (v > (UINT64_MAX - g) / 1000)
            return -1;
        v = v * 1000 + g;
        if (!more)
            break;
        if (*p++ != '/')
            return -1;
    }
    unsigned w = NT_TILE_WIDTH;
    if (*p == '.') {
        if (strncmp(p, ".p/", 3) != 0)
            return -1;
        p += 3;
        const char *start = p;
        for (w = 0; digit(*p) && p - start < 3; p++)
            w = w * 10 + (unsigned)(*p - '0');
        if (p == start || w == 0 || w >= NT_TILE_WIDTH)
            return -1;
    }
    if (*p != '\0')
        return -1;
    /* Only the canonical spelling: formatting the result must give the path back. */
    char again[128];
    nt_tile_path(again, sizeof(again), l, v, w);
    if (strcmp(again, path) != 0)
        return -1;
    *level = l;
    *n = v;
    *width = w;
    return 0;
}

void nt_checkpoint_text(char *out, size_t cap, const char *origin, uint64_t size, const nt_hash *root)
{
    char b64[sodium_base64_ENCODED_LEN(NT_HASH_LEN, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof(b64), root->b, NT_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, cap, "%s\n%llu\n%s\n", origin, (unsigned long long)size, b64);
}

/* mkdir -p of the directory part of path. */
static int parents(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (parents(path) != 0)
        return -1;
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int nt_tlog_build_static(const char *dir, const char *origin, const nt_note_signer *key, const nt_entry *entries, uint64_t n,
                         char *why, size_t cap)
{
    nt_hash *level = nt_xcalloc(n ? n : 1, sizeof(nt_hash));
    if (level == NULL) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    for (uint64_t i = 0; i < n; i++) {
        if (entries[i].len > 0xffff) {
            snprintf(why, cap, "entry %llu is longer than 65535 bytes", (unsigned long long)i);
            free(level);
            return -1;
        }
        nt_merkle_leaf_hash(entries[i].data, entries[i].len, &level[i]);
    }
    char path[256];
    int rc = 0;
    /* Entry bundles: one per level-0 tile. */
    for (uint64_t t = 0; rc == 0 && t * NT_TILE_WIDTH < n; t++) {
        uint64_t first = t * NT_TILE_WIDTH, count = n - first < NT_TILE_WIDTH ? n - first : NT_TILE_WIDTH;
        size_t size = 0;
        for (uint64_t i = first; i < first + count; i++)
            size += 2 + entries[i].len;
        unsigned char *bundle = nt_xmalloc(size ? size : 1), *o = bundle;
        if (bundle == NULL) {
            rc = -1;
            break;
        }
        for (uint64_t i = first; i < first + count; i++) {
            *o++ = (unsigned char)(entries[i].len >> 8);
            *o++ = (unsigned char)entries[i].len;
            memcpy(o, entries[i].data, entries[i].len);
            o += entries[i].len;
        }
        nt_tile_path(path, sizeof(path), -1, t, (unsigned)count);
        rc = write_file(dir, path, bundle, size);
        free(bundle);
    }
    /* Hash tiles, level by level: level L+1 holds the roots of level L's full tiles. */
    uint64_t count = n;
    nt_hash root;
    nt_merkle_root(level, n, &root); /* level holds the leaf hashes until the loop rewrites it */
    for (int l = 0; rc == 0 && count > 0; l++) {
        for (uint64_t t = 0; rc == 0 && t * NT_TILE_WIDTH < count; t++) {
            uint64_t first = t * NT_TILE_WIDTH, w = count - first < NT_TILE_WIDTH ? count - first : NT_TILE_WIDTH;
            nt_tile_path(path, sizeof(path), l, t, (unsigned)w);
            rc = write_file(dir, path, level + first, w * sizeof(nt_hash));
        }
        /* The next level: the root of each full tile of this one. */
        uint64_t full = count / NT_TILE_WIDTH;
        for (uint64_t t = 0; t < full; t++)
            nt_merkle_root(level + t * NT_TILE_WIDTH, NT_TILE_WIDTH, &level[t]);
        count = full;
    }
    free(level);
    if (rc != 0) {
        snprintf(why, cap, "cannot write under %s: %s", dir, strerror(errno));
        return -1;
    }
    char text[1024];
    nt_checkpoint_text(text, sizeof(text), origin, n, &root);
    char *note = nt_note_sign(key, text, strlen(text));
    if (note == NULL || write_file(dir, "checkpoint", note, strlen(note)) != 0) {
        snprintf(why, cap, "cannot write the checkpoint");
        free(note);
        return -1;
    }
    free(note);
    return 0;
}
