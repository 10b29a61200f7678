/* The caller and its work; see me.h. */
#include "core/schema.h"
#include "service/appeals.h"
#include "service/decisions.h"
#include "service/me.h"
#include "service/query.h"
#include "service/service.h"

/* The items of a list answer, taken out of it. */
static json_t *items_of(int rc, json_t *page)
{
    json_t *items = rc == 0 ? json_incref(json_object_get(page, "items")) : json_array();
    json_decref(page);
    return items ? items : json_array();
}

int nt_svc_me(nt_svc *svc, const nt_actor *who, json_t **out, nt_err *err)
{
    json_t *me = json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "key_id", who->key_id, "role", nt_role_name(who->role), "org_id",
                           who->org_id[0] ? who->org_id : NULL, "person_id", who->person_id[0] ? who->person_id : NULL, "platform",
                           who->platform[0] ? who->platform : NULL);
    if (who->role == NT_ROLE_KOL) {
        json_t *page = NULL;
        int rc = nt_svc_decision_list(svc, who, who->person_id, NULL, NULL, NULL, NULL, NULL, 100, &page, err);
        json_t *decisions = items_of(rc, page);
        page = NULL;
        rc = nt_svc_appeal_list(svc, who, NULL, NULL, NULL, 100, &page, err);
        json_t *appeals = items_of(rc, page);
        json_t *offers = nt__svc_q(svc, NT_Q_person_offers, json_pack("[s]", who->person_id));
        json_t *ads = nt__svc_q(svc, NT_Q_person_ads, json_pack("[s]", who->person_id));
        json_object_set_new(me, "summary",
                            json_pack("{s:o, s:o, s:o, s:o}", "decisions", decisions, "appeals", appeals, "offers",
                                      offers ? offers : json_array(), "ads", ads ? ads : json_array()));
    }
    *out = me;
    return 0;
}
