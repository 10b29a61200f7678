/* service/certificates and service/credentials on a real database with the check's index: a
 * certificate issued is a credential the programme key verifies, found by the check; a
 * restriction in the index suspends it and its bit is set in the suspension list, its end
 * reinstates it; the DID document names the key. */
#include "core/schema.h"
#include "index/restrictions.h"
#include "log/vc.h"
#include "service/certificates.h"
#include "service/commit.h"
#include "service/credentials.h"
#include "service/registry.h"
#include "svc_fixture.h"
#include <sodium.h>

static int setup(void **state)
{
    return nt_test_svc_setup(state, true);
}

/* A person and an application awaiting review, as the services leave them; the person's id. */
static void applicant(fixture *f, char person[NT_ID_LEN], const char *app)
{
    nt_wctx w = {.key_id = "k_test", .at = f->at};
    nt_actor who = {.role = NT_ROLE_REGULATOR};
    json_t *in = json_pack("{s:s}", "legal_name", "Trương Thị Chứng Nhận"), *out = NULL;
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_svc_person_create(f->svc, &w, &who, in, &out, &e), 0);
    snprintf(person, NT_ID_LEN, "%s", nt_json_str(out, "id"));
    json_decref(in);
    json_decref(out);
    nt_tx tx = {0};
    nt_row *row = nt_tx_insert(&tx, NT_T_trust_applications, app, NULL, NULL, 0);
    nt_row_str(row, COL(trust_applications, person_id), person);
    nt_row_str(row, COL(trust_applications, state), "awaiting_review");
    nt_row_str(row, COL(trust_applications, requirements), "[]");
    nt_row_str(row, COL(trust_applications, scores), "[]");
    nt_row_int(row, COL(trust_applications, scoring_version), 1);
    nt_row_str(row, COL(trust_applications, created_at), f->at);
    nt_row_str(row, COL(trust_applications, updated_at), f->at);
    assert_int_equal(nt_svc_commit(f->svc, &w, &tx, &e), 0);
    nt_tx_free(&tx);
}

static void issue(fixture *f, const char *person, const char *app, char cert[NT_ID_LEN])
{
    nt_wctx w = {.key_id = "k_test", .at = f->at};
    json_t *pillars = json_pack("[{s:s, s:i, s:i}]", "pillar", "conduct", "points", 25, "max", 25);
    nt_tx tx = {0};
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt__certificate_issue(f->svc, &tx, person, app, 90, pillars, NULL, f->at, cert, &e), 0);
    assert_int_equal(nt_svc_commit(f->svc, &w, &tx, &e), 0);
    nt_tx_free(&tx);
    json_decref(pillars);
}

static int status_bit(fixture *f, const char *purpose, int64_t idx)
{
    char *body = NULL, etag[72];
    size_t len = 0, n = 0;
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_svc_status_list(f->svc, purpose, &body, &len, etag, &e), 0);
    json_t *list = json_loads(body, 0, NULL);
    assert_int_equal(nt_vc_verify(list, f->svc->programme_pk), NT_VC_VALID);
    unsigned char *bits = nt_vc_bitstring_decode(
        json_string_value(json_object_get(json_object_get(list, "credentialSubject"), "encodedList")), 1 << 20, &n);
    assert_non_null(bits);
    int bit = nt_vc_bit(bits, n, (uint64_t)idx);
    free(bits);
    json_decref(list);
    free(body);
    return bit;
}

static void issued_verified_suspended_reinstated(void **state)
{
    fixture *f = *state;
    char person[NT_ID_LEN], cert[NT_ID_LEN];
    applicant(f, person, "app_unit1");
    issue(f, person, "app_unit1", cert);
    /* The credential verifies with the programme key, which the DID document names. */
    char *body = NULL;
    size_t len = 0;
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_svc_certificate_credential(f->svc, cert, &body, &len, &e), 0);
    json_t *vc = json_loads(body, 0, NULL);
    free(body);
    assert_int_equal(nt_vc_verify(vc, f->svc->programme_pk), NT_VC_VALID);
    json_t *did = nt_svc_did_document(f->svc);
    const char *vm = nt_vc_proof_method(vc);
    assert_string_equal(vm, json_string_value(json_array_get(json_object_get(did, "assertionMethod"), 0)));
    assert_string_equal(json_string_value(json_object_get(did, "id")), "did:web:127.0.0.1%3A8080");
    int64_t idx =
        atoll(json_string_value(json_object_get(json_array_get(json_object_get(vc, "credentialStatus"), 0), "statusListIndex")));
    json_decref(did);
    json_decref(vc);
    /* The check finds it. */
    nt_cert_brief b;
    assert_true(nt_rindex_cert(f->svc->index, person, &b));
    assert_string_equal(b.id, cert);
    assert_int_equal(status_bit(f, "suspension", idx), 0);
    /* A restriction in force, as the check sees it: suspended, and its bit set. */
    nt_restriction r = {.scopes = NT_SCOPE_LIVESTREAM, .type = NT_SANCTION_APPEARANCE_RESTRICTION};
    r.t.start_us = nt_now_us() - 1000000;
    r.t.end_us = nt_now_us() + 86400LL * 1000000;
    snprintf(r.sanction_id, sizeof(r.sanction_id), "s_unit");
    snprintf(r.decision_id, sizeof(r.decision_id), "d_unit");
    nt_rindex_put(f->svc->index, person, "Trương Thị Chứng Nhận", &r);
    assert_int_equal(nt_svc_certificates_reconcile(f->svc), 1);
    assert_int_equal(nt_svc_certificates_reconcile(f->svc), 0); /* once */
    assert_true(nt_rindex_cert(f->svc->index, person, &b));
    assert_string_equal(b.status, "suspended");
    assert_int_equal(status_bit(f, "suspension", idx), 1);
    assert_int_equal(status_bit(f, "revocation", idx), 0);
    /* Its end: reinstated, the bit cleared. */
    nt_rindex_del(f->svc->index, person, "s_unit");
    assert_int_equal(nt_svc_certificates_reconcile(f->svc), 1);
    assert_true(nt_rindex_cert(f->svc->index, person, &b));
    assert_string_equal(b.status, "active");
    assert_int_equal(status_bit(f, "suspension", idx), 0);
}

static void indexes_are_handed_out_in_turn(void **state)
{
    fixture *f = *state;
    char p1[NT_ID_LEN], p2[NT_ID_LEN], c1[NT_ID_LEN], c2[NT_ID_LEN];
    applicant(f, p1, "app_unit2");
    applicant(f, p2, "app_unit3");
    issue(f, p1, "app_unit2", c1);
    issue(f, p2, "app_unit3", c2);
    json_t *a = NULL, *b = NULL;
    nt_err e;
    nt_err_clear(&e);
    assert_int_equal(nt_svc_certificate_get(f->svc, c1, &a, &e), 0);
    assert_int_equal(nt_svc_certificate_get(f->svc, c2, &b, &e), 0);
    assert_int_equal(json_integer_value(json_object_get(b, "status_index")),
                     json_integer_value(json_object_get(a, "status_index")) + 1);
    assert_string_equal(nt_json_str(a, "status"), "active");
    json_decref(a);
    json_decref(b);
    assert_int_equal(nt_svc_certificate_get(f->svc, "cert_none", &a, &e), NT_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(issued_verified_suspended_reinstated, setup, teardown),
        cmocka_unit_test_setup_teardown(indexes_are_handed_out_in_turn, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
