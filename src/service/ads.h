/* Advertising: advertisers (and, next, products, offers and registered ads). An advertiser key
 * registers its business once, with its enterprise code; a regulator may suspend and reinstate it,
 * with reason and legal basis, and both are logged (docs/ADVERTISING.md). */
#ifndef NT_SERVICE_ADS_H
#define NT_SERVICE_ADS_H
#include "service/service.h"

/** {enterprise_code, name}: the calling advertiser organisation's business. 409 naming the existing
 * advertiser when the organisation or the code is registered already. */
int nt_svc_advertiser_register(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
int nt_svc_advertiser_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
int nt_svc_advertiser_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err);
/** {reason, legal_basis}: suspends (suspend true) or reinstates; 409 when it is so already. */
int nt_svc_advertiser_status(nt_svc *svc, nt_wctx *w, const char *id, bool suspend, const json_t *in, json_t **out, nt_err *err);
/** The category rules, as data/ad-categories.json holds them. */
int nt_svc_ad_categories(json_t **out, nt_err *err);
#endif
