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
/** {name, category, documents: [{type, number, issuer, valid_from, valid_until?, sha256}]}: a product of
 * the calling advertiser (registered first), with its documents, in one transaction. */
int nt_svc_product_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
/** The product with its documents, whether its category may be advertised, and its disclaimers. */
int nt_svc_product_get(nt_svc *svc, const char *id, json_t **out, nt_err *err);
int nt_svc_product_list(nt_svc *svc, const char *cursor, int limit, json_t **out, nt_err *err);
/** The calling organisation's registered business (the advertiser), or NT_ENOTFOUND. */
int nt_svc_advertiser_mine(nt_svc *svc, const nt_actor *who, json_t **out, nt_err *err);
/** The calling advertiser organisation's products, newest first (at most 500). */
int nt_svc_products_mine(nt_svc *svc, const nt_actor *who, json_t **out, nt_err *err);
/** {reason, source}: a regulator's recall, logged (product.recalled); 409 when recalled already. */
int nt_svc_product_recall(nt_svc *svc, nt_wctx *w, const char *id, const json_t *in, json_t **out, nt_err *err);
/** The rows of a recall (logged product.recalled), added to a write of the caller's: a notice's
 * recall is one write with the notice. After the commit, nt_svc_ads_reconcile stops the ads. */
struct nt_tx;
void nt__product_recall_rows(struct nt_tx *tx, const nt_wctx *w, const char *id, const char *reason, const char *source);
/** The product's checks for ads running [from, to] (default: now): {ok, checks: [{check, ok, detail?}]}. */
int nt_svc_product_checks(nt_svc *svc, const char *id, const char *from, const char *to, json_t **out, nt_err *err);
/** An advertiser's offer to an influencer: {person_id, product_id, claims, start, end, platforms?,
 * fee_vnd, relationship?}; a category that may not be advertised is refused here (400). */
int nt_svc_offer_create(nt_svc *svc, nt_wctx *w, const nt_actor *who, const json_t *in, json_t **out, nt_err *err);
/** The offer, for its advertiser, its influencer or a regulator (404 for anyone else), with its
 * automatic checks while it is open: {…, checks: [{check, ok, detail?}], checks_ok}. */
int nt_svc_offer_get(nt_svc *svc, const nt_actor *who, const char *id, json_t **out, nt_err *err);
/** An open offer withdrawn by its advertiser, with a reason (offer.withdrawn to the parties). */
int nt_svc_offer_withdraw(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out,
                          nt_err *err);
/** A document added to the advertiser's own product after its creation (201): a renewal when it
 * names the document it `supersedes` (one of this product's, of the same type, not renewed yet;
 * 409 naming its successor otherwise). Logged (product.document_added); a superseded document no
 * longer counts in the product's checks; ads stopped by the old one's expiry resume. */
int nt_svc_product_document_add(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *product_id, const json_t *in,
                                json_t **out, nt_err *err);
/** A recall lifted by a regulator, with a reason: logged beside the recall; its ads resume unless
 * something else stops them. */
int nt_svc_product_recall_lift(nt_svc *svc, nt_wctx *w, const char *id, const json_t *in, json_t **out, nt_err *err);
/** The offers the caller may see (an advertiser's own, an influencer's own, all for a regulator),
 * optionally in one state (sent, accepted, declined), by id. */
int nt_svc_offer_list(nt_svc *svc, const nt_actor *who, const char *state, const char *cursor, int limit, json_t **out,
                      nt_err *err);
/** The influencer's confirmations, each true or false, recorded with the time. */
int nt_svc_offer_confirm(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err);
/** {reason}: the influencer declines. */
int nt_svc_offer_decline(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, const json_t *in, json_t **out, nt_err *err);
/** The influencer accepts: 409 listing every failing check and missing confirmation, else the offer
 * becomes accepted and its ad is registered (public code, label), logged, in one transaction. */
int nt_svc_offer_accept(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *id, json_t **out, nt_err *err);
/** A registered ad by its public code; 400 naming code for a malformed code or a wrong check digit. */
int nt_svc_ad_get(nt_svc *svc, const char *code, json_t **out, nt_err *err);
/** Suspends every open ad that may not run now (its product recalled, its advertiser suspended, a
 * required document not valid for the rest of its period, its influencer restricted from
 * advertising), and reinstates those suspended so whose reasons are gone: each change logged
 * (ad.suspended / ad.reinstated) with its webhook, in one transaction. Returns how many changed. */
int nt_svc_ads_reconcile(nt_svc *svc);
/** The ads of a product and their influencers: {ads: [{code, person_id, state, state_reason}], influencers}. */
int nt_svc_product_affected(nt_svc *svc, const char *id, json_t **out, nt_err *err);
/** The public ad library's filters; NULL: any. influencer is a person id or "platform:handle". */
typedef struct nt_ad_query {
    const char *influencer, *advertiser, *product, *category, *state, *from, *to, *cursor;
    int limit;
} nt_ad_query;

/** Registered ads matching every filter given (a period: overlapping [from, to)), by id, paged. */
int nt_svc_ad_library(nt_svc *svc, const nt_ad_query *q, json_t **out, nt_err *err);
/** The registered ads in memory (src/service/adindex.c), for the check of a post. */
struct nt_adindex;
int nt_svc_ad_index_build(nt_svc *svc, nt_err *err);
void nt_svc_ad_index_free(struct nt_adindex *x);
/** Reloads one ad after a change (the change sequence's entity "ad"). */
void nt_svc_ad_index_refresh(nt_svc *svc, const char *ad_id);
/** Whether code covers a post by handle ("platform:@handle") at a time (RFC 3339; default now),
 * from memory: {code, valid, reasons: [unknown_code | not_this_influencer | not_this_platform |
 * outside_period | suspended | withdrawn], handle, handle_known, ad_id?, state?, start_at?, end_at?,
 * label, checked_at}, rendered directly. 400 naming code, handle or at. */
int nt_svc_ad_verify(nt_svc *svc, const char *code, const char *handle, const char *at, char **body, size_t *len, nt_err *err);
/** Stores a document's file (at most 10 MiB; PDF, PNG, JPEG or octet-stream) under the data
 * directory as documents/<sha256>, after checking it hashes to the document's SHA-256; only the
 * product's advertiser. */
int nt_svc_document_file_put(nt_svc *svc, nt_wctx *w, const nt_actor *who, const char *product_id, const char *doc_id,
                             const char *ctype, const void *data, size_t len, json_t **out, nt_err *err);
/** A document's file (malloc'd) and its content type. */
int nt_svc_document_file_get(nt_svc *svc, const char *product_id, const char *doc_id, char **data, size_t *len, char type[64],
                             nt_err *err);
/** The category rules, as data/ad-categories.json holds them. */
int nt_svc_ad_categories(json_t **out, nt_err *err);
#endif
