/* Token buckets per client address for unauthenticated requests.
 *
 * A fixed table of buckets indexed by a hash of the address; a bucket whose
 * address differs is taken over, fresh, so memory stays fixed whatever the
 * number of clients. */
#ifndef NT_HTTP_RATELIMIT_H
#define NT_HTTP_RATELIMIT_H
#include <stdbool.h>
#include <stdint.h>

typedef struct nt_ratelimit nt_ratelimit;

/** rate: tokens per second; burst: bucket size. NULL on no memory. */
nt_ratelimit *nt_ratelimit_new(double rate, double burst);
void nt_ratelimit_free(nt_ratelimit *rl);

/** Takes a token for client at now_us; false with the seconds to wait when there is none. */
bool nt_ratelimit_take(nt_ratelimit *rl, const char *client, int64_t now_us, int *retry_after);

/** Buckets in use, for /metrics. */
long nt_ratelimit_size(nt_ratelimit *rl);
#endif
