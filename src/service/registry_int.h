/* Internal to the registry's services (registry.c, import.c): the working form of a person and
 * the checks both the API and the import apply. */
#ifndef NT_SERVICE_REGISTRY_INT_H
#define NT_SERVICE_REGISTRY_INT_H
#include "core/schema.h"
#include "service/registry.h"

#define NAME_MAX_CHARS 200
#define ALIASES_MAX    20

/* The fields of a person besides its name: shared by the API and the import. */
#define PERSON_FIELDS                                                                                                              \
    {"aliases", NT_FT_STR_ARRAY, NT_F_NULLABLE, 0, ALIASES_MAX, NAME_MAX_CHARS}, {"kind", NT_FT_STR, NT_F_NULLABLE, 1, 16, 0},     \
        {"birth_year", NT_FT_INT, NT_F_NULLABLE, 1900, 2100, 0}, {"gender", NT_FT_STR, NT_F_NULLABLE, 1, 1, 0},                    \
        {"province", NT_FT_STR, NT_F_NULLABLE, 1, 100, 0},                                                                         \
    {                                                                                                                              \
        "national_id", NT_FT_STR, NT_F_NULLABLE, 9, 12, 0                                                                          \
    }

/* The working form of a person while it is validated and normalised; owns its strings. */
typedef struct nt__person_draft {
    nt_person p;
    char *name;
    char *aliases_json;
    char *province;
    char key[NT_KEY_MAX];
    char tokens[NT_KEY_MAX * 4];
    char nid_hash[65];
} nt__person_draft;

void nt__reg_draft_free(nt__person_draft *d);
/** Validates and normalises a person body (the name taken from name_field) into d. */
int nt__reg_draft_apply(nt_svc *svc, nt__person_draft *d, const json_t *in, const char *name_field, nt_err *err);
/** An id of [A-Za-z0-9_-], 1 to 40 characters. */
bool nt__reg_valid_id(const char *s);
/** Commits a typed store operation, answered on retry with res (NULL: the id of what it changed). */
int nt__reg_commit_op(nt_svc *svc, nt_wctx *w, int (*op)(nt_store *, const nt_wctx *, void *, nt_err *), void *arg,
                      const json_t *res, bool created, nt_err *err);

#endif
