/* What a check is asked about: the forms a subject may take.
 *
 *   p0000002                       a person id, as the registry writes it (ASCII case ignored)
 *   tiktok:@cuong.review2          a handle on a platform
 *   https://www.tiktok.com/@cuong  a profile URL (scheme and "www." optional)
 *   @cuong.review2                 a handle on whichever platforms hold it
 *
 * A name is not a subject: names are matched by screening (POST /v1/screen), with scores and
 * explanations, never by a yes/no check. Pure functions. */
#ifndef NT_CORE_SUBJECT_H
#define NT_CORE_SUBJECT_H
#include "core/text.h"
#include "core/util.h"
#include <stdbool.h>

typedef enum nt_subject_kind {
    NT_SUBJECT_PERSON,     /* id */
    NT_SUBJECT_HANDLE,     /* platform, key ("platform:handle", normalised) */
    NT_SUBJECT_ANY_HANDLE, /* handle: as written, without "@"; each platform normalises it its way */
} nt_subject_kind;

typedef struct nt_subject {
    nt_subject_kind kind;
    bool name_like; /* a person id without a digit: could also be someone's name */
    char id[NT_ID_LEN];
    char platform[NT_PLATFORM_MAX];
    char key[NT_SUBJECT_KEY_MAX];
    char handle[NT_HANDLE_MAX];
} nt_subject;

/** Reads a subject. NULL when it is one of the forms above; else the field-error code that says
 * why not: "is_a_name" (letters and spaces: look it up with screening), "unknown_platform",
 * "invalid_handle" (not a handle that platform allows), "not_a_subject". */
const char *nt_subject_parse(const char *s, nt_subject *out);

#endif
