/* The registry: organisations, persons (with their names, aliases and national-ID hash) and the
 * accounts linked to them, one at a time or imported in bulk (service/import.c). */
#ifndef NT_SERVICE_REGISTRY_H
#define NT_SERVICE_REGISTRY_H
#include "service/service.h"
#include <stdio.h>

/* ---- organisations ---- */
int nt_svc_org_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err);
/** Suspends (or reinstates) an organisation, with a reason: its keys stop at once, here and, through
 * the change sequence, in every process; logged and audited. The operator's own cannot be. */
int nt_svc_org_status(nt_svc *svc, nt_wctx *w, const char *id, bool suspend, const json_t *in, json_t **out, nt_err *err);
int nt_svc_org_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
int nt_svc_org_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err);

/* ---- persons ---- */
int nt_svc_person_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
/** Checks a create-person body against the schema only (for fuzzing and clients' dry runs). */
int nt_svc_person_check(const json_t *in, nt_err *err);

/** The person with its accounts. */
int nt_svc_person_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
/** Merge-patch update; version is the one the caller last saw (If-Match). */
int nt_svc_person_update(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, int64_t version, const json_t *patch,
                         json_t **out, nt_err *err);
/** {items, next_cursor}: persons whose names or aliases contain every word of q, ignoring diacritics,
 * case and order; all persons when q is empty. */
int nt_svc_person_search(nt_svc *svc, const char *q, const char *cursor, int limit, json_t **out, nt_err *err);

/** Removes what the role may not see: the public gets no birth year, province or national-ID flag. */
void nt_svc_person_view(json_t *person, nt_role role);

typedef struct nt_import_report {
    long lines;
    long persons;
    long accounts;
    long accounts_skipped; /* handle already linked to another person */
    char first_skip[160];
    long accounts_invalid; /* handle the platform's rules do not allow */
    char first_invalid[160];
    /* Set by the caller, kept: told every batch of lines how far the import has read (lines,
     * bytes), from the reading thread. */
    void (*progress)(void *arg, long lines, uint64_t bytes);
    void *progress_arg;
} nt_import_report;

/** Imports persons (JSON Lines) in one transaction: all or nothing. */
int nt_svc_person_import(nt_svc *svc, nt_wctx *w, FILE *in, nt_import_report *rep, nt_err *err);

/* ---- accounts ---- */
/** A kol claims (unverified) or a platform attests (verified) an account. *created is 1 when new. */
int nt_svc_account_link(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, int *created, nt_err *err);
/** The account and its person. */
int nt_svc_account_get(nt_svc *svc, const char *platform, const char *handle, json_t **out, nt_err *err);
/** Unlinks; person_id gets the person the account belonged to. */
int nt_svc_account_unlink(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *platform, const char *handle,
                          char person_id[NT_ID_LEN], nt_err *err);

#endif
