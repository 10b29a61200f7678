/* The caller and its work; see me.h. */
#include "core/schema.h"
#include "service/appeals.h"
#include "service/decisions.h"
#include "service/me.h"
#include "service/query.h"
#include "service/service.h"
#include "service/trust.h"
#include "core/util.h"
#include <string.h>

/* A membership as its member sees it in /v1/me: whether a standards version waits for them. */
static json_t *membership(const json_t *m)
{
    bool admitted = strcmp(nt_json_str(m, "state"), "admitted") == 0;
    return json_pack("{s:O, s:O, s:b}", "id", json_object_get(m, "id"), "state", json_object_get(m, "state"),
                     "standards_pending_acceptance", admitted && !nt__trust_standards_accepted(m, nt_now_us()));
}

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
        /* Where they stand in the trust programme: membership, an open application, the certificate. */
        json_t *member = nt__svc_q1(svc, NT_Q_member_open_person, json_pack("[s]", who->person_id));
        json_t *app = nt__svc_q1(svc, NT_Q_application_open, json_pack("[s]", who->person_id));
        json_t *cert = nt__svc_q1(svc, NT_Q_certificate_current, json_pack("[s]", who->person_id));
        json_object_set_new(
            json_object_get(me, "summary"), "trust",
            json_pack("{s:o, s:o, s:o}", "member", member ? membership(member) : json_null(), "application_awaiting_review",
                      app ? json_incref(json_object_get(app, "id")) : json_null(), "certificate",
                      cert ? json_pack("{s:O, s:O, s:O}", "id", json_object_get(cert, "id"), "status",
                                       json_object_get(cert, "status"), "valid_until", json_object_get(cert, "valid_until"))
                           : json_null()));
        json_decref(member);
        json_decref(app);
        json_decref(cert);
    } else if (who->org_id[0] && (who->role == NT_ROLE_PLATFORM || who->role == NT_ROLE_ADVERTISER)) {
        /* An organisation's membership of the alliance, and a standards version waiting for it. */
        json_t *member = nt__svc_q1(svc, NT_Q_member_open_org, json_pack("[s]", who->org_id));
        if (member != NULL)
            json_object_set_new(me, "summary", json_pack("{s:{s:o}}", "trust", "member", membership(member)));
        json_decref(member);
    } else if (who->role == NT_ROLE_PROGRAMME) {
        /* The secretariat's work: applications to the alliance and for the certificate, oldest first. */
        json_t *members = nt__svc_q(svc, NT_Q_members_list, json_pack("[s, n, n, n, n, s]", "applied", ""));
        json_t *apps = nt__svc_q(svc, NT_Q_applications_page, json_pack("[n, s, s, i]", "awaiting_review", "", 100));
        json_t *m_ids = json_array(), *a_ids = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(members, i, x) json_array_append(m_ids, json_object_get(x, "id"));
        json_array_foreach(apps, i, x) json_array_append(a_ids, json_object_get(x, "id"));
        json_object_set_new(me, "summary",
                            json_pack("{s:o, s:o}", "members_applied", m_ids, "applications_awaiting_review", a_ids));
        json_decref(members);
        json_decref(apps);
    }
    *out = me;
    return 0;
}
