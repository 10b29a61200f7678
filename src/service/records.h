/* What the public may see of the records behind the log's entries, and redactions: the removal
 * of a record's personal content on a legal basis, itself logged. */
#ifndef NT_SERVICE_RECORDS_H
#define NT_SERVICE_RECORDS_H
#include "service/service.h"

/** {record_id, entries: [{index, type, record_id, status[, salt, record]}]}: what the public may see of
 * a record's entries. status: public (salt and canonical record given, so anyone can recompute the
 * commitment; the latest entry shows the row as it stands now), private, redacted, or missing (the
 * row is gone without a redaction). Public: published decisions, until delisted, and their sanctions. */
int nt_svc_log_record(nt_svc *svc, const char *record_id, json_t **out, nt_err *err);
/** The same for entries from index `from`, at most limit: {items, next_from}. */
int nt_svc_log_records(nt_svc *svc, uint64_t from, int limit, json_t **out, nt_err *err);

/** POST /v1/redactions: {record_id, legal_basis, reason?}. */
int nt_svc_redaction_create(nt_svc *svc, nt_wctx *w, const json_t *in, json_t **out, nt_err *err);
/** The public list of redactions: id, record_id, record_table, legal_basis, at. */
int nt_svc_redaction_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err);

#endif
