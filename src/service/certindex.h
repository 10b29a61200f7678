/* The certificates as the check sees them: each person's current certificate in the check's
 * index (index/restrictions.h), loaded at start and refreshed by the change follower, and the flag
 * that tells the runtime something may have changed a certificate's standing. Apart from
 * certificates.c, which writes through the commit step, so that following changes never calls
 * back into a writer. */
#ifndef NT_SERVICE_CERTINDEX_H
#define NT_SERVICE_CERTINDEX_H
#include "service/service.h"

/** mark: something may change a certificate (a sanction, decision, appeal or certificate
 * changed). Otherwise: whether anything was marked since the last ask, clearing it. */
bool nt__certificates_dirty(nt_svc *svc, bool mark);
/** Every person's current certificate into the check's index. */
int nt_svc_certificate_index_build(nt_svc *svc);
/** Certificate `id` changed: its person's current certificate into the index again. */
void nt_svc_certificate_refresh(nt_svc *svc, const char *id);
#endif
