/* The forms screening compares a name or a handle in (groundwork for issue 6's screening):
 *  - toned: NFC, case-folded, tone marks kept ("nguyễn thị cúc");
 *  - plain: the search key of core/text.h, marks dropped and đ -> d ("nguyen thi cuc");
 *  - sound: a key per plain token that spellings of one sound share: initial d/gi/r/z -> z,
 *    tr/ch -> ch, s/x -> x, ph/f -> f, qu/w -> w, c/k/q -> c, gh -> g, ngh -> ng; final ng and nh
 *    -> n (as the South says them); y -> i ("dũng", "zung", "rung" -> "zun"; "trâm", "châm" -> "cham");
 *  - handle tokens: '@' dropped, leetspeak undone between letters (0 -> o, 1 -> i, 3 -> e), split
 *    on separators and digits, filler words dropped (official, real, tv, vlog, backup, new, ...).
 * Pure functions. */
#ifndef NT_CORE_NAMES_H
#define NT_CORE_NAMES_H
#include <stddef.h>

/** The toned form of s; its length, or -1 if s is not valid UTF-8 or out is too small. */
int nt_name_toned(const char *s, char *out, size_t cap);
/** The sound key of one plain token (lower-case ASCII letters); its length, or -1. */
int nt_name_sound(const char *token, char *out, size_t cap);
/** The plain tokens of a handle, space-separated; its length (0: nothing left), or -1. */
int nt_handle_tokens(const char *handle, char *out, size_t cap);
#endif
