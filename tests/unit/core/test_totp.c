/* core/totp: RFC 4226 and RFC 6238's own test values (Appendix D, Appendix B for SHA-1), RFC
 * 4648's base32 examples, and a code good once, within one step of the clock. */
#include "core/totp.h"
#include "helpers.h"
#include <stdio.h>
#include <string.h>

static const unsigned char SEED[] = "12345678901234567890";

static void hotp_rfc4226(void **state)
{
    static const uint32_t want[] = {755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489};
    for (uint64_t c = 0; c < 10; c++)
        assert_int_equal(nt_hotp(SEED, 20, c, 6), want[c]);
}

static void totp_rfc6238_sha1(void **state)
{
    static const struct {
        int64_t t;
        uint32_t code;
    } v[] = {{59, 94287082},         {1111111109, 7081804},  {1111111111, 14050471},
             {1234567890, 89005924}, {2000000000, 69279037}, {20000000000LL, 65353130}};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        assert_int_equal(nt_hotp(SEED, 20, (uint64_t)(v[i].t / 30), 8), v[i].code);
}

static void base32_rfc4648(void **state)
{
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const enc[] = {"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"};
    for (size_t i = 0; i < 7; i++) {
        char out[32];
        unsigned char back[32];
        assert_true(nt_base32_encode((const unsigned char *)plain[i], strlen(plain[i]), out, sizeof(out)));
        assert_string_equal(out, enc[i]);
        assert_int_equal(nt_base32_decode(enc[i], back, sizeof(back)), (int)strlen(plain[i]));
        assert_memory_equal(back, plain[i], strlen(plain[i]));
    }
    unsigned char back[8];
    assert_int_equal(nt_base32_decode("mzxw 6ytb-oi======", back, sizeof(back)), 6); /* as people type it */
    assert_int_equal(nt_base32_decode("MZXW1", back, sizeof(back)), -1);             /* 1 is not base32 */
    assert_int_equal(nt_base32_decode("MZXW6YTBOI", back, 3), -1);                   /* too long for out */
    char small[4];
    assert_false(nt_base32_encode(SEED, 20, small, sizeof(small)));
}

static void a_code_is_good_once_within_a_step(void **state)
{
    char secret[NT_TOTP_B32];
    assert_true(nt_base32_encode(SEED, 20, secret, sizeof(secret)));
    int64_t now = 1234567890, step = now / 30;
    char code[8];
    snprintf(code, sizeof(code), "%06u", nt_hotp(SEED, 20, (uint64_t)step, 6));
    assert_int_equal(nt_totp_check(secret, code, now, 0), step);
    assert_int_equal(nt_totp_check(secret, code, now, step), -1);     /* used: refused */
    assert_int_equal(nt_totp_check(secret, code, now + 30, 0), step); /* a step late: a slow phone */
    assert_int_equal(nt_totp_check(secret, code, now - 30, 0), step); /* a step early */
    assert_int_equal(nt_totp_check(secret, code, now + 90, 0), -1);   /* too late */
    char spaced[10];
    snprintf(spaced, sizeof(spaced), "%.3s %s", code, code + 3);
    assert_int_equal(nt_totp_check(secret, spaced, now, 0), step);
    assert_int_equal(nt_totp_check(secret, "12345", now, 0), -1);
    assert_int_equal(nt_totp_check(secret, "1234567", now, 0), -1);
    assert_int_equal(nt_totp_check(secret, "12a456", now, 0), -1);
    assert_int_equal(nt_totp_check("not base32!", code, now, 0), -1);
    assert_int_equal(nt_totp_check(NULL, code, now, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(hotp_rfc4226), cmocka_unit_test(totp_rfc6238_sha1),
                                       cmocka_unit_test(base32_rfc4648), cmocka_unit_test(a_code_is_good_once_within_a_step)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
