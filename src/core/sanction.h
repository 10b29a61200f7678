/* Sanctions: types, the scopes of an appearance restriction, and the state a
 * sanction is in at a given time.
 *
 * State follows from time and events, never from a flag someone flips: a
 * sanction is in force from its start (inclusive) to its end (exclusive),
 * unless it was lifted, or is suspended while an appeal is under review and
 * the decision says so. So a restriction that ends at 10:00:00 restricts at
 * 09:59:59.999999 and not at 10:00:00, with nobody acting. Pure functions. */
#ifndef NT_CORE_SANCTION_H
#define NT_CORE_SANCTION_H
#include "core/err.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum nt_sanction_type {
    NT_SANCTION_WARNING = 0,
    NT_SANCTION_FINE,
    NT_SANCTION_REMEDIAL,
    NT_SANCTION_APPEARANCE_RESTRICTION,
    NT_SANCTION_ADVERTISING_BAN,
    NT_SANCTION_CERTIFICATE_REVOCATION,
    NT_SANCTION_ACCOUNT_ACTION_REQUEST,
    NT_SANCTION_TYPE_COUNT
} nt_sanction_type;

/** "warning", "fine", ...; and back (-1 if unknown). */
const char *nt_sanction_type_name(nt_sanction_type t);
int nt_sanction_type_parse(const char *s);

/** The types' names, NULL-terminated. */
extern const char *const nt_sanction_type_names[];

/** True for the types that limit appearances and so need an end: restrictions and bans. */
bool nt_sanction_restricts(nt_sanction_type t);

/* The scopes of an appearance restriction, as bits. */
#define NT_SCOPE_BROADCAST      0x01u /* TV, radio */
#define NT_SCOPE_PRESS          0x02u /* newspapers, magazines */
#define NT_SCOPE_PERFORMANCE    0x04u /* shows, events */
#define NT_SCOPE_LIVESTREAM     0x08u /* live selling and streaming */
#define NT_SCOPE_ONLINE_CONTENT 0x10u /* posts and videos */
#define NT_SCOPE_ADVERTISING    0x20u /* carrying advertisements */
#define NT_SCOPE_ALL            0x3fu

/** A scope's bit by name ("broadcast", ...), 0 if unknown; "any" gives NT_SCOPE_ALL. */
unsigned nt_scope_parse(const char *s);

/** What nt_scope_parse reads, NULL-terminated: "any", then each scope's name in the order of its bit. */
extern const char *const nt_scope_choices[];

/** The name of one scope bit, or NULL. */
const char *nt_scope_name(unsigned bit);

typedef enum nt_sanction_state {
    NT_SST_SCHEDULED = 0, /* before its start */
    NT_SST_ACTIVE,        /* in force */
    NT_SST_EXPIRED,       /* its end has passed */
    NT_SST_LIFTED,        /* ended early by a decision (an appeal overturned it, or it was lifted) */
    NT_SST_SUSPENDED,     /* paused while an appeal is under review, because the decision says so */
    NT_SST_REINSTATED,    /* in force again after a suspension, the appeal having failed */
} nt_sanction_state;

const char *nt_sanction_state_name(nt_sanction_state s);

/** What is known of one sanction over time. Times in microseconds since the epoch (UTC). */
typedef struct nt_sanction_timeline {
    int64_t start_us;           /* in force from here, inclusive */
    int64_t end_us;             /* to here, exclusive; 0 = open-ended (warnings, fines) */
    int64_t lifted_us;          /* 0 = never lifted; lifted from this instant on */
    int64_t suspended_from_us;  /* 0 = never suspended */
    int64_t suspended_until_us; /* 0 = still suspended; else the suspension ended here */
} nt_sanction_timeline;

/** The state at an instant. */
nt_sanction_state nt_sanction_state_at(const nt_sanction_timeline *t, int64_t at_us);

/** True when the sanction restricts at that instant (active or reinstated). */
bool nt_sanction_in_force_at(const nt_sanction_timeline *t, int64_t at_us);

/** True when it restricts at any instant of [from, to), as a show being planned asks. */
bool nt_sanction_in_force_during(const nt_sanction_timeline *t, int64_t from_us, int64_t to_us);

/** Checks a sanction's own rules: restrictions and bans need an end after the start, no longer
 * than max_duration_us; an appearance restriction needs a scope; a fine needs a positive amount in
 * VND. Field errors are prefixed with prefix ("sanctions[0]."). */
int nt_sanction_check(nt_sanction_type type, unsigned scopes, int64_t start_us, int64_t end_us, int64_t amount_vnd,
                      int64_t max_duration_us, const char *prefix, nt_err *err);

#endif
