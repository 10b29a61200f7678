/* Recommendations from the repeat-violation policy. */
#ifndef NT_SERVICE_RECOMMENDATIONS_H
#define NT_SERVICE_RECOMMENDATIONS_H
#include "service/service.h"

/** Recommendations from the repeat-violation policy, with the decisions behind each. */
int nt_svc_recommendations(nt_svc *svc, json_t **out, nt_err *err);

#endif
