/* The resource handlers, one file per resource group. */
#ifndef NT_HTTP_HANDLERS_H
#define NT_HTTP_HANDLERS_H
#include "http/http.h"

enum MHD_Result nt_h_healthz(nt_req *r);
enum MHD_Result nt_h_readyz(nt_req *r);
enum MHD_Result nt_h_metrics(nt_req *r);
enum MHD_Result nt_h_openapi(nt_req *r);
enum MHD_Result nt_h_me(nt_req *r);

enum MHD_Result nt_h_org_create(nt_req *r);
enum MHD_Result nt_h_org_list(nt_req *r);
enum MHD_Result nt_h_org_get(nt_req *r);

enum MHD_Result nt_h_key_create(nt_req *r);
enum MHD_Result nt_h_key_list(nt_req *r);
enum MHD_Result nt_h_key_revoke(nt_req *r);

enum MHD_Result nt_h_person_create(nt_req *r);
enum MHD_Result nt_h_person_list(nt_req *r);
enum MHD_Result nt_h_person_get(nt_req *r);
enum MHD_Result nt_h_person_update(nt_req *r);
enum MHD_Result nt_h_person_accounts(nt_req *r);

enum MHD_Result nt_h_account_link(nt_req *r);
enum MHD_Result nt_h_account_get(nt_req *r);
enum MHD_Result nt_h_account_unlink(nt_req *r);
#endif
