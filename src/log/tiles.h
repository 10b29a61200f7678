/* C2SP tlog-tiles and tlog-checkpoint: tile paths, the tiles and entry bundles
 * of a tree, and its signed checkpoint.
 *
 * Tiles have height 8: a full tile holds 256 hashes, the rightmost tile of a
 * level may be partial (".p/<W>"). Level 0 holds leaf hashes; level L holds the
 * roots of the full 256^L-leaf subtrees. An entry bundle holds the entries of a
 * level-0 tile, each prefixed by its length as two big-endian bytes. A
 * checkpoint is the note "<origin>\n<size>\n<base64 root>\n", signed. */
#ifndef NT_LOG_TILES_H
#define NT_LOG_TILES_H
#include "log/merkle.h"
#include "log/note.h"
#include <stddef.h>
#include <stdint.h>

#define NT_TILE_WIDTH 256

/** "tile/<L>/<N>[.p/<W>]" with N in 3-digit groups, all but the last prefixed by "x"
 * (1234067 -> x001/x234/067); level < 0 gives "tile/entries/...". */
void nt_tile_path(char *out, size_t cap, int level, uint64_t n, unsigned width);

/** The inverse of nt_tile_path: 0 and the tile's level (-1 for an entry bundle), index and
 * width (NT_TILE_WIDTH when full), or -1 when path is not a tile path in its only canonical
 * spelling (level 0-63, no leading "x000/" group, width 1-255 without leading zeros). */
int nt_tile_path_parse(const char *path, int *level, uint64_t *n, unsigned *width);

/** The checkpoint text (unsigned) of a tree. */
void nt_checkpoint_text(char *out, size_t cap, const char *origin, uint64_t size, const nt_hash *root);

typedef struct nt_entry {
    const unsigned char *data;
    size_t len; /* at most 65535 */
} nt_entry;

/** Writes the static log of these entries into dir: checkpoint, tile/<L>/..., tile/entries/....
 * 0, or -1 with a message in why. */
int nt_tlog_build_static(const char *dir, const char *origin, const nt_note_signer *key, const nt_entry *entries, uint64_t n,
                         char *why, size_t cap);
#endif
