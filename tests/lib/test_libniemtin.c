/* libniemtin on its own: a mirror from a snapshot, kept current by changes. Links only the
 * library, as a platform embedding it would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <niemtin/niemtin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW (1798761600LL * 1000000) /* 2027-01-01 */

static char *slurp(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", getenv("NT_LIB_FIXTURES") ? getenv("NT_LIB_FIXTURES") : ".", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(65536);
    *len = fread(buf, 1, 65535, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void snapshot_then_changes(void **state)
{
    niemtin_mirror *m = niemtin_mirror_new();
    size_t len;
    char *snap = slurp("snapshot.json", &len);
    assert_int_equal(niemtin_mirror_load_snapshot(m, snap, len), NIEMTIN_OK);
    free(snap);
    assert_int_equal(niemtin_mirror_seq(m), 10);
    assert_int_equal(niemtin_mirror_size(m), 2);

    niemtin_answer a;
    assert_int_equal(niemtin_check(m, "p_keo", "livestream", NOW, &a), NIEMTIN_OK);
    assert_false(a.allowed);
    assert_string_equal(a.decision_number, "12/QĐ-XPHC");
    assert_int_equal(niemtin_check(m, "tiktok:@KeoRau.Official", "advertising", NOW, &a), NIEMTIN_OK);
    assert_false(a.allowed);
    assert_true(a.handle_known);
    assert_int_equal(niemtin_check(m, "p_keo", "broadcast", NOW, &a), NIEMTIN_OK);
    assert_true(a.allowed);
    /* Before the start (inclusive, in Vietnam's time) and unknown subjects. */
    assert_int_equal(niemtin_check(m, "p_keo", "any", 1767200400LL * 1000000 - 1, &a), NIEMTIN_OK);
    assert_true(a.allowed);
    assert_int_equal(niemtin_check(m, "tiktok:nobody", "any", NOW, &a), NIEMTIN_OK);
    assert_true(a.allowed);
    assert_false(a.handle_known);
    /* Only on YouTube: the handle's platform decides. */
    assert_int_equal(niemtin_check(m, "youtube:mc.tv", "broadcast", NOW, &a), NIEMTIN_OK);
    assert_false(a.allowed);
    assert_int_equal(niemtin_check(m, "p_keo", "radio", NOW, &a), NIEMTIN_EINVAL);
    assert_int_equal(niemtin_check(m, "tiktok:bad handle!", "any", NOW, &a), NIEMTIN_EINVAL);

    char *changes = slurp("changes.json", &len);
    assert_int_equal(niemtin_mirror_apply_changes(m, changes, len), NIEMTIN_OK);
    free(changes);
    assert_int_equal(niemtin_mirror_seq(m), 14);
    assert_int_equal(niemtin_mirror_size(m), 1); /* s_2 is no longer restricting */
    assert_int_equal(niemtin_check(m, "youtube:mc.tv", "broadcast", NOW, &a), NIEMTIN_OK);
    assert_true(a.allowed);
    assert_int_equal(niemtin_check(m, "tiktok:keorau.official", "livestream", NOW, &a), NIEMTIN_OK);
    assert_true(a.allowed); /* unlinked */
    assert_int_equal(niemtin_check(m, "tiktok:keo.moi", "livestream", NOW, &a), NIEMTIN_OK);
    assert_false(a.allowed); /* the new handle of the same person */
    assert_int_equal(niemtin_mirror_load_snapshot(m, "[1]", 3), NIEMTIN_EINVAL);
    assert_int_equal(niemtin_mirror_apply_changes(m, "{}", 2), NIEMTIN_EINVAL);
    assert_non_null(niemtin_version());
    niemtin_mirror_free(m);
}

/* A certificate signed by a pinned issuer key (tests/lib/certificate.json, made with `niemtin
 * credential sign`): valid in its period, expired at its validUntil to the microsecond, not yet
 * valid before; any change or another pinned key makes it invalid. */
static void certificates_verify_offline(void **state)
{
    size_t len, klen;
    char *cert = slurp("certificate.json", &len), *issuer = slurp("certificate.issuer", &klen);
    issuer[strcspn(issuer, "\n")] = '\0';
    char why[200];
    const int64_t from = 1796083200LL * 1000000, until = 1827619200LL * 1000000; /* 2026-12-01, 2027-12-01 */
    assert_int_equal(niemtin_certificate_verify(cert, len, issuer, from + 1, why, sizeof(why)), NIEMTIN_CERT_VALID);
    assert_string_equal(why, "valid");
    assert_int_equal(niemtin_certificate_verify(cert, len, issuer, until - 1, why, sizeof(why)), NIEMTIN_CERT_VALID);
    assert_int_equal(niemtin_certificate_verify(cert, len, issuer, until, why, sizeof(why)), NIEMTIN_CERT_EXPIRED);
    assert_int_equal(niemtin_certificate_verify(cert, len, issuer, from - 1, why, sizeof(why)), NIEMTIN_CERT_NOT_YET_VALID);
    assert_int_equal(
        niemtin_certificate_verify(cert, len, "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", from + 1, why, sizeof(why)),
        NIEMTIN_CERT_INVALID);
    char *p = strstr(cert, "Mẫu");
    assert_non_null(p);
    p[0] = 'X'; /* the holder's name changed */
    assert_int_equal(niemtin_certificate_verify(cert, len, issuer, from + 1, why, sizeof(why)), NIEMTIN_CERT_INVALID);
    assert_int_equal(niemtin_certificate_verify("{", 1, issuer, from + 1, why, sizeof(why)), NIEMTIN_CERT_INVALID);
    free(cert);
    free(issuer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(snapshot_then_changes), cmocka_unit_test(certificates_verify_offline)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
