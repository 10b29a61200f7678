/* The forms screening compares a name or a handle in (groundwork for issue 6's screening):
 *  - toned: NFC, case-folded, tone marks kept ("nguyễn thị cúc");
 *  - plain: the search key of core/text.h, marks dropped and đ -> d ("nguyen thi cuc");
 *  - sound: a key per plain token that spellings of one sound share: initial d/gi/r/z/j -> z,
 *    tr/ch -> ch, s/x -> x, ph/f -> f, qu/w -> w, c/k/q -> c, gh -> g, ngh/ng -> n (teen code drops
 *    the g); final ng and nh -> n (as the South says them), final ch/kh/tr/k -> c; y -> i
 *    ("dũng", "zung", "rung" -> "zun"; "trâm", "châm" -> "cham"; "ngọc", "ngok", "nọc" -> "noc");
 *  - handle tokens: '@' dropped, leetspeak undone between letters (0 -> o, 1 -> i, 3 -> e), split
 *    on separators and digits, filler words dropped (official, real, tv, vlog, backup, new, ...).
 * Pure functions. */
#ifndef NT_CORE_NAMES_H
#define NT_CORE_NAMES_H
#include <stdbool.h>
#include <stddef.h>

/** The toned form of s; its length, or -1 if s is not valid UTF-8 or out is too small. */
int nt_name_toned(const char *s, char *out, size_t cap);
/** The sound key of one plain token (lower-case ASCII letters); its length, or -1. */
int nt_name_sound(const char *token, char *out, size_t cap);
#define NT_HT_EDGES   1u /* a 0, 1 or 3 at the edge of a word is read as a letter too */
#define NT_HT_FILLERS 2u /* keep the filler words */
/** The plain tokens of a handle, space-separated; its length (0: nothing left), or -1. */
int nt_handle_tokens(const char *handle, unsigned flags, char *out, size_t cap);
/** True when a plain token is shaped like one Vietnamese syllable (initial consonant, one to three
 * vowels, final consonant): "thuan" is, "lanthao" is not (two syllables written together). */
bool nt_name_syllable(const char *token);
/** A token typed in Telex with its keys left in ("nguyeenx", "cucs", "ddawng") without them
 * ("nguyen", "cuc", "dang"); its length, or -1 when nothing was undone. */
int nt_name_untelex(const char *token, char *out, size_t cap);
/** True when the n bytes at w are a filler word (official, real, tv, vlog, backup, new, ...). */
bool nt_name_filler(const char *w, size_t n);
#endif
