/* Vietnamese text: NFC storage form, accent-free search keys, platform handles.
 *
 * Names are stored in NFC with their diacritics. Search compares keys: NFD,
 * combining marks stripped, đ/Đ -> d, case-folded, anything that is not a
 * letter or digit turned into a single space. "Nguyễn Thị Thu Cúc" has the key
 * "nguyen thi thu cuc". */
#ifndef NT_CORE_TEXT_H
#define NT_CORE_TEXT_H
#include <stdbool.h>
#include <stddef.h>

#define NT_HANDLE_MAX 64
#define NT_KEY_MAX    1024

/** True when s[0..n) is well-formed UTF-8 without NUL bytes. */
bool nt_text_valid_utf8(const char *s, size_t n);

/** Number of code points in a valid UTF-8 string. */
size_t nt_text_length(const char *s);

/** A malloc'd NFC copy of s with leading/trailing white space removed and runs of white space
 * collapsed to one space; NULL for invalid UTF-8 or no memory. The caller frees. */
char *nt_text_nfc(const char *s);

/** Writes the search key of s to out. Returns its length, or -1 if invalid or it does not fit. */
int nt_text_search_key(const char *s, char *out, size_t cap);

/** The same with the marks kept: NFC, case-folded, separators turned into single spaces
 * ("Nguyễn  THỊ" -> "nguyễn thị"). Returns its length, or -1. */
int nt_text_toned_key(const char *s, char *out, size_t cap);

/** Splits a search key into up to max tokens (pointers into buf, which is modified). Returns the count. */
int nt_text_tokens(char *buf, char **tokens, int max);

/** True when the platform is one the registry knows. */
bool nt_platform_known(const char *platform);

/** The platforms the registry knows, NULL-terminated. */
extern const char *const nt_platforms[];

/** Normalises a handle by the platform's documented rules: trims, drops a leading '@', lower-cases,
 * checks the characters and length the platform allows; Facebook ignores periods. 0 or NT_EINVAL. */
int nt_handle_normalize(const char *platform, const char *handle, char out[NT_HANDLE_MAX]);

#define NT_PLATFORM_MAX    32
#define NT_SUBJECT_KEY_MAX (NT_PLATFORM_MAX + NT_HANDLE_MAX)

/** A check subject: "platform:handle" gives 0 with the platform and the key
 * "platform:normalised-handle" written; no ':' (a person id) gives 1; an unknown platform
 * or an invalid handle gives NT_EINVAL. */
int nt_subject_handle(const char *subject, char platform[NT_PLATFORM_MAX], char key[NT_SUBJECT_KEY_MAX]);

#endif
