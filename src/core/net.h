/* Where a server may send data on a client's say-so (webhook receivers): a URL's parts, and
 * whether an address is on the public internet. An address that is loopback, private (RFC 1918,
 * RFC 4193), link-local (cloud metadata at 169.254.169.254 among them), shared (RFC 6598),
 * unspecified, multicast or reserved is not. Pure functions. */
#ifndef NT_CORE_NET_H
#define NT_CORE_NET_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

typedef struct nt_url {
    bool https;
    char host[256]; /* without brackets for an IPv6 literal; lower case */
    int port;       /* 80 or 443 when not given */
} nt_url;

/** Reads an http(s) URL; false for anything else: another scheme, user info, control characters
 * or spaces (CR/LF among them), a bad port, an empty host. */
bool nt_url_parse(const char *url, nt_url *out);

typedef enum nt_addr_kind { NT_ADDR_PUBLIC, NT_ADDR_LOOPBACK, NT_ADDR_INTERNAL } nt_addr_kind;

/** What an address is. */
nt_addr_kind nt_addr_classify(const struct sockaddr *sa);

/** The same for a host written as an address literal ("10.0.0.1", "::1"); -1 when it is a name.
 * "localhost" and names under ".localhost" count as loopback literals. */
int nt_host_literal_kind(const char *host);

#endif
