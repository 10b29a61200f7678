/* URLs and addresses; see net.h. */
#include "core/net.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

bool nt_url_parse(const char *url, nt_url *out)
{
    memset(out, 0, sizeof(*out));
    for (const unsigned char *c = (const unsigned char *)url; *c; c++)
        if (*c <= 0x20 || *c == 0x7f)
            return false; /* CR, LF, spaces, control characters: never into a request line */
    const char *p;
    if (strncmp(url, "https://", 8) == 0) {
        out->https = true;
        p = url + 8;
    } else if (strncmp(url, "http://", 7) == 0) {
        p = url + 7;
    } else {
        return false;
    }
    size_t auth = strcspn(p, "/?#");
    if (memchr(p, '@', auth) != NULL || auth == 0)
        return false; /* user info hides where a request goes */
    const char *end = p + auth, *port = NULL;
    if (*p == '[') {
        const char *close = memchr(p, ']', auth);
        if (close == NULL || close == p + 1 || (size_t)(close - p - 1) >= sizeof(out->host))
            return false;
        memcpy(out->host, p + 1, (size_t)(close - p - 1));
        if (close + 1 < end) {
            if (close[1] != ':')
                return false;
            port = close + 2;
        }
    } else {
        const char *colon = memchr(p, ':', auth);
        const char *hend = colon ? colon : end;
        if (hend == p || (size_t)(hend - p) >= sizeof(out->host))
            return false;
        memcpy(out->host, p, (size_t)(hend - p));
        if (colon)
            port = colon + 1;
    }
    for (char *h = out->host; *h; h++)
        if (*h >= 'A' && *h <= 'Z')
            *h = (char)(*h + ('a' - 'A'));
    out->port = out->https ? 443 : 80;
    if (port != NULL) {
        if (port == end)
            return false;
        long v = 0;
        for (const char *c = port; c < end; c++) {
            if (*c < '0' || *c > '9' || (v = v * 10 + (*c - '0')) > 65535)
                return false;
        }
        if (v == 0)
            return false;
        out->port = (int)v;
    }
    return true;
}

static nt_addr_kind v4_kind(uint32_t a)
{
    unsigned b0 = a >> 24, b1 = (a >> 16) & 0xff;
    if (b0 == 127)
        return NT_ADDR_LOOPBACK;
    if (b0 == 0 || b0 == 10 || (b0 == 100 && b1 >= 64 && b1 < 128) || (b0 == 169 && b1 == 254) ||
        (b0 == 172 && b1 >= 16 && b1 < 32) || (b0 == 192 && b1 == 168) || (b0 == 192 && b1 == 0 && ((a >> 8) & 0xff) == 0) ||
        (b0 == 198 && (b1 == 18 || b1 == 19)) || b0 >= 224)
        return NT_ADDR_INTERNAL; /* this network, private, shared, link-local, IETF, benchmarking, multicast, reserved */
    return NT_ADDR_PUBLIC;
}

static nt_addr_kind v6_kind(const unsigned char *b)
{
    static const unsigned char loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, any[16] = {0};
    if (memcmp(b, loop, 16) == 0)
        return NT_ADDR_LOOPBACK;
    if (memcmp(b, any, 16) == 0)
        return NT_ADDR_INTERNAL;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(b, mapped, 12) == 0) /* ::ffff:a.b.c.d is that IPv4 address */
        return v4_kind((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15]);
    if ((b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff)
        return NT_ADDR_INTERNAL; /* unique local, link-local, multicast */
    if ((b[0] & 0xe0) != 0x20)
        return NT_ADDR_INTERNAL; /* outside 2000::/3, the global unicast space */
    return NT_ADDR_PUBLIC;
}

nt_addr_kind nt_addr_classify(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return v4_kind(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
    if (sa->sa_family == AF_INET6)
        return v6_kind(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
    return NT_ADDR_INTERNAL;
}

int nt_host_literal_kind(const char *host)
{
    size_t n = strlen(host);
    if (strcmp(host, "localhost") == 0 || (n > 10 && strcmp(host + n - 10, ".localhost") == 0))
        return NT_ADDR_LOOPBACK;
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return v4_kind(ntohl(a4.s_addr));
    if (inet_pton(AF_INET6, host, &a6) == 1)
        return v6_kind(a6.s6_addr);
    /* Forms inet_pton refuses but resolvers accept ("2130706433", "0x7f.1", "127.1"): all digits
     * and dots or hex, treated as internal rather than guessed at. */
    bool numeric = true;
    for (const char *c = host; *c && numeric; c++)
        numeric = (*c >= '0' && *c <= '9') || *c == '.' || *c == 'x' || (*c >= 'a' && *c <= 'f');
    if (numeric && strspn(host, "0123456789") > 0 && strchr(host, '.') == NULL)
        return NT_ADDR_INTERNAL;
    if (numeric && (strstr(host, "0x") != NULL || strspn(host, "0123456789.") == n))
        return NT_ADDR_INTERNAL;
    return -1;
}
