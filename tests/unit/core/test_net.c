/* core/net: webhook URLs, and which addresses are internal. */
#include "core/net.h"
#include "helpers.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static void urls(void **state)
{
    nt_url u;
    assert_true(nt_url_parse("https://Hooks.Example.org/a?b=c", &u));
    assert_string_equal(u.host, "hooks.example.org");
    assert_int_equal(u.port, 443);
    assert_true(nt_url_parse("http://[2001:db8::1]:8080/x", &u));
    assert_string_equal(u.host, "2001:db8::1");
    assert_int_equal(u.port, 8080);
    const char *bad[] = {"ftp://x/",
                         "http://",
                         "http:///x",
                         "http://u:p@x.org/",
                         "http://x.org:0/",
                         "http://x.org:70000/",
                         "http://x.org:/",
                         "http://x.org/\r\nA: b",
                         "http://x .org/",
                         "http://[::1/",
                         NULL};
    for (const char **b = bad; *b; b++)
        if (nt_url_parse(*b, &u))
            fail_msg("accepted %s", *b);
}

static nt_addr_kind v4(const char *a)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    inet_pton(AF_INET, a, &sa.sin_addr);
    return nt_addr_classify((struct sockaddr *)&sa);
}

static nt_addr_kind v6(const char *a)
{
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, a, &sa.sin6_addr);
    return nt_addr_classify((struct sockaddr *)&sa);
}

static void addresses(void **state)
{
    assert_int_equal(v4("127.0.0.1"), NT_ADDR_LOOPBACK);
    assert_int_equal(v4("127.8.9.10"), NT_ADDR_LOOPBACK);
    const char *inside4[] = {"10.1.2.3",   "172.16.0.1", "172.31.255.255", "192.168.0.1",     "169.254.169.254",
                             "100.64.0.1", "0.0.0.0",    "224.0.0.1",      "255.255.255.255", NULL};
    for (const char **a = inside4; *a; a++)
        if (v4(*a) != NT_ADDR_INTERNAL)
            fail_msg("%s not internal", *a);
    assert_int_equal(v4("8.8.8.8"), NT_ADDR_PUBLIC);
    assert_int_equal(v4("172.32.0.1"), NT_ADDR_PUBLIC);
    assert_int_equal(v6("::1"), NT_ADDR_LOOPBACK);
    assert_int_equal(v6("::ffff:127.0.0.1"), NT_ADDR_LOOPBACK);
    assert_int_equal(v6("::ffff:10.0.0.1"), NT_ADDR_INTERNAL);
    assert_int_equal(v6("fd00::1"), NT_ADDR_INTERNAL);
    assert_int_equal(v6("fe80::1"), NT_ADDR_INTERNAL);
    assert_int_equal(v6("ff02::1"), NT_ADDR_INTERNAL);
    assert_int_equal(v6("::"), NT_ADDR_INTERNAL);
    assert_int_equal(v6("2001:4860:4860::8888"), NT_ADDR_PUBLIC);
    assert_int_equal(nt_host_literal_kind("localhost"), NT_ADDR_LOOPBACK);
    assert_int_equal(nt_host_literal_kind("a.localhost"), NT_ADDR_LOOPBACK);
    assert_int_equal(nt_host_literal_kind("2130706433"), NT_ADDR_INTERNAL);
    assert_int_equal(nt_host_literal_kind("0x7f.1"), NT_ADDR_INTERNAL);
    assert_int_equal(nt_host_literal_kind("127.1"), NT_ADDR_INTERNAL);
    assert_int_equal(nt_host_literal_kind("example.org"), -1);
    assert_int_equal(nt_host_literal_kind("cafe.be"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(urls), cmocka_unit_test(addresses)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
