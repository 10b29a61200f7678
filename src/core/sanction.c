/* Sanction types, scopes and states by time; see sanction.h. */
#include "core/sanction.h"
#include <stdio.h>
#include <string.h>

const char *const nt_sanction_type_names[NT_SANCTION_TYPE_COUNT + 1] = {
    "warning", "fine", "remedial", "appearance_restriction", "advertising_ban", "certificate_revocation", "account_action_request",
    NULL,
};

const char *nt_sanction_type_name(nt_sanction_type t)
{
    return (unsigned)t < NT_SANCTION_TYPE_COUNT ? nt_sanction_type_names[t] : "?";
}

int nt_sanction_type_parse(const char *s)
{
    for (int i = 0; s != NULL && i < NT_SANCTION_TYPE_COUNT; i++)
        if (strcmp(nt_sanction_type_names[i], s) == 0)
            return i;
    return -1;
}

bool nt_sanction_restricts(nt_sanction_type t)
{
    return t == NT_SANCTION_APPEARANCE_RESTRICTION || t == NT_SANCTION_ADVERTISING_BAN;
}

/* Scope i's bit is 1 << i (sanction.h). */
const char *const nt_scope_choices[] = {"any",        "broadcast",      "press",       "performance",
                                        "livestream", "online_content", "advertising", NULL};
static const char *const *const scopes = nt_scope_choices + 1;
enum { NSCOPES = sizeof(nt_scope_choices) / sizeof(nt_scope_choices[0]) - 2 };
_Static_assert((1u << NSCOPES) - 1 == NT_SCOPE_ALL, "a name for every scope bit");

unsigned nt_scope_parse(const char *s)
{
    if (s == NULL)
        return 0;
    if (strcmp(s, "any") == 0)
        return NT_SCOPE_ALL;
    for (unsigned i = 0; i < NSCOPES; i++)
        if (strcmp(scopes[i], s) == 0)
            return 1u << i;
    return 0;
}

const char *nt_scope_name(unsigned bit)
{
    for (unsigned i = 0; i < NSCOPES; i++)
        if (1u << i == bit)
            return scopes[i];
    return NULL;
}

const char *nt_sanction_state_name(nt_sanction_state s)
{
    static const char *const names[] = {"scheduled", "active", "expired", "lifted", "suspended", "reinstated"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static bool suspended_at(const nt_sanction_timeline *t, int64_t at)
{
    return t->suspended_from_us != 0 && at >= t->suspended_from_us && (t->suspended_until_us == 0 || at < t->suspended_until_us);
}

nt_sanction_state nt_sanction_state_at(const nt_sanction_timeline *t, int64_t at)
{
    if (t->lifted_us != 0 && at >= t->lifted_us)
        return NT_SST_LIFTED;
    if (at < t->start_us)
        return NT_SST_SCHEDULED;
    if (t->end_us != 0 && at >= t->end_us)
        return NT_SST_EXPIRED;
    if (suspended_at(t, at))
        return NT_SST_SUSPENDED;
    if (t->suspended_from_us != 0 && t->suspended_until_us != 0 && at >= t->suspended_until_us)
        return NT_SST_REINSTATED;
    return NT_SST_ACTIVE;
}

bool nt_sanction_in_force_at(const nt_sanction_timeline *t, int64_t at)
{
    nt_sanction_state s = nt_sanction_state_at(t, at);
    return s == NT_SST_ACTIVE || s == NT_SST_REINSTATED;
}

bool nt_sanction_in_force_during(const nt_sanction_timeline *t, int64_t from, int64_t to)
{
    /* The sanction's own window, cut short by a lift, intersected with [from, to). */
    int64_t lo = t->start_us > from ? t->start_us : from;
    int64_t hi = to;
    if (t->end_us != 0 && t->end_us < hi)
        hi = t->end_us;
    if (t->lifted_us != 0 && t->lifted_us < hi)
        hi = t->lifted_us;
    if (lo >= hi)
        return false;
    if (t->suspended_from_us == 0)
        return true;
    /* In force somewhere in [lo, hi) unless the suspension covers all of it. */
    int64_t s_lo = t->suspended_from_us, s_hi = t->suspended_until_us == 0 ? INT64_MAX : t->suspended_until_us;
    return !(s_lo <= lo && s_hi >= hi);
}

#define FINE_MAX_VND 1000000000000LL /* a trillion đồng: far above any administrative fine */

int nt_sanction_check(nt_sanction_type type, unsigned scope_bits, int64_t start_us, int64_t end_us, int64_t amount_vnd,
                      int64_t max_duration_us, const char *prefix, nt_err *err)
{
    char f[96];
    int before = err->nfields;
    if ((unsigned)type >= NT_SANCTION_TYPE_COUNT) {
        snprintf(f, sizeof(f), "%stype", prefix);
        return nt_err_field(err, f, "invalid", 0);
    }
    if (end_us != 0 && end_us <= start_us) {
        snprintf(f, sizeof(f), "%send", prefix);
        nt_err_field(err, f, "invalid", 0);
    }
    if (nt_sanction_restricts(type)) {
        snprintf(f, sizeof(f), "%send", prefix);
        if (end_us == 0)
            nt_err_field(err, f, "required", 0);
        else if (end_us > start_us && end_us - start_us > max_duration_us)
            nt_err_field(err, f, "out_of_range", (long)(max_duration_us / 86400000000LL));
    }
    if (type == NT_SANCTION_APPEARANCE_RESTRICTION && (scope_bits == 0 || (scope_bits & ~NT_SCOPE_ALL) != 0)) {
        snprintf(f, sizeof(f), "%sscopes", prefix);
        nt_err_field(err, f, scope_bits == 0 ? "required" : "invalid", 0);
    }
    if (type == NT_SANCTION_FINE && (amount_vnd <= 0 || amount_vnd > FINE_MAX_VND)) {
        snprintf(f, sizeof(f), "%samount_vnd", prefix);
        nt_err_field(err, f, amount_vnd <= 0 ? "required" : "out_of_range", 0);
    }
    return err->nfields > before ? NT_EINVAL : 0;
}
