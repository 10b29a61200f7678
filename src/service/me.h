/* "Who am I" with, for an influencer (kol key), its own work in one place: the decisions about
 * it, its appeals, the offers sent to it and the ads it runs. */
#ifndef NT_SERVICE_ME_H
#define NT_SERVICE_ME_H
#include "service/service.h"

int nt_svc_me(nt_svc *svc, const nt_actor *who, json_t **out, nt_err *err);

#endif
