/* The check: may this person, or the person behind this handle, appear in this
 * kind of appearance at this time? Answered from the in-memory restriction
 * index, which is built from the store at start and kept current by following
 * the change sequence (after every local write, and every 200 ms for writes
 * made elsewhere). */
#ifndef NT_SERVICE_CHECK_H
#define NT_SERVICE_CHECK_H
#include "index/restrictions.h"
#include "service/service.h"

/** Builds svc->index from the store. */
int nt_svc_index_build(nt_svc *svc, nt_err *err);

/** Applies the changes after the index's sequence; calls on_change(arg, entity, id) for each. */
int nt_svc_follow(nt_svc *svc, void (*on_change)(void *arg, const char *entity, const char *id), void *arg);

#define NT_CHECK_BATCH_MAX 1000

/** Checks one subject (the forms of core/subject.h: a person id, platform:handle, a profile URL,
 * or @handle on whichever platforms hold it); scope a name or "any"; at/from/to RFC 3339 (NULL:
 * now). A subject that is none of those forms is a field error naming why ("is_a_name" for a
 * name: screening finds persons by name). body: the JSON answer {subject, person_id,
 * person_known, basis ("checked" | "no_record"), allowed, restrictions, checked_at, seq, ...}
 * with times in Asia/Ho_Chi_Minh, rendered directly (the caller frees it). */
int nt_svc_check(nt_svc *svc, const char *subject, const char *scope, const char *platform, const char *at, const char *from,
                 const char *to, char **body, size_t *len, nt_err *err);

/** Up to NT_CHECK_BATCH_MAX checks: {"subjects": [...], "scope", "at" | "from"/"to", "platform"}.
 * Each result carries its own status: 200 with its answer, or 400 with its error (detail in
 * lang); {results, all_allowed, all_known, errors}. */
int nt_svc_check_batch(nt_svc *svc, const json_t *in, nt_lang lang, char **body, size_t *len, nt_err *err);

/** Every active and scheduled restriction, with the sequence it reflects. */
int nt_svc_restrictions_snapshot(nt_svc *svc, json_t **out, nt_err *err);

/** The public list of restrictions in force now: published decisions not yet delisted. */
/** q: a name to search for, without diacritics, case or order; a page of limit after cursor. Each
 * item links to its published decision (decision_id, decision_url). */
int nt_svc_restrictions_public(nt_svc *svc, const char *q, const char *cursor, int limit, json_t **out, nt_err *err);

/** A page of the change sequence after `since`, with only the changes `who` may read (a mirror:
 * what the check and the public registers need); next_since moves past what was left out. */
int nt_svc_changes(nt_svc *svc, const nt_actor *who, int64_t since, int limit, json_t **out, nt_err *err);
#endif
