/* Screening through the service: the name index built from the registry at start and kept current
 * from the change sequence, and POST /v1/screen (docs/SCREENING.md). */
#ifndef NT_SERVICE_SCREEN_H
#define NT_SERVICE_SCREEN_H
#include "core/jbuf.h"
#include "index/screen.h"
#include "service/service.h"

#define NT_SCREEN_BATCH_MAX   1000
#define NT_SCREEN_EXCLUDE_MAX 1000

/** Puts one person given as JSON into ix: id, legal_name (or name), aliases, birth_year, gender,
 * and handles ["platform:@handle", …] (a registry row) or accounts [{platform, handle}] (a
 * screening set's line). 0, or NT_EINVAL without an id and a name. */
int nt_svc_screen_put_json(nt_screen *ix, const json_t *row);
/** Builds the index of every person's names and handles, and flags who is restricted. */
int nt_svc_screen_build(nt_svc *svc, nt_err *err);
/** A change the follower saw: a person (re)indexed or dropped; a sanction re-flags its person. */
void nt_svc_screen_apply(nt_svc *svc, const char *entity, const char *id, const char *person_id);
/** One query ({name | handle, birth_year?, gender?, limit?, min_score?, among?, exclude?}) or a
 * batch ({queries: [...], and the same options for all}); the answer as JSON text. */
int nt_svc_screen(nt_svc *svc, const json_t *in, char **body, size_t *len, nt_err *err);
/** A hit as JSON: the candidate, score, level and the explanation of each feature. */
void nt_screen_hit_json(nt_jbuf *b, const nt_screen_hit *h, const char *legal_name, bool restricted);
#endif
