/* The public record as open data, in formats others already read (docs/TRANSPARENCY.md):
 * published decisions and their sanctions as statements of reasons in the EU DSA Transparency
 * Database's schema, decisions and public restrictions as CSV, persons and sanctions as
 * FollowTheMoney entities, an Atom feed of publications and delistings, and `niemtin export
 * open-data`, all of it in one signed dump. Only what is public now: a delisted decision leaves
 * every one of them at once. */
#ifndef NT_SERVICE_OPENDATA_H
#define NT_SERVICE_OPENDATA_H
#include "service/service.h"

typedef struct nt_open_record {
    json_t *decisions; /* published now, each as GET /v1/decisions/{id} shows it, with "person": {id, name, accounts} */
    json_t
        *restrictions; /* restrictions and advertising bans of those decisions in force now, as GET /v1/restrictions lists them */
    json_t *delisted;  /* the latest withdrawals: {id, number, delist_at, delist_reason, delist_legal_basis} */
    char as_of[NT_TIME_LEN];
} nt_open_record;

/** Reads the public record as it is now. */
int nt_svc_open_record(nt_svc *svc, nt_open_record *rec, nt_err *err);
void nt_open_record_free(nt_open_record *rec);

/* Each of these renders the record; malloc'd, *len set. */
/** Published decisions, a row per decision (RFC 4180, UTF-8 with a byte-order mark). */
char *nt_od_decisions_csv(const nt_svc *svc, const nt_open_record *rec, size_t *len);
/** Public restrictions, a row per restriction. */
char *nt_od_restrictions_csv(const nt_svc *svc, const nt_open_record *rec, size_t *len);
/** {"statements": [...]}: a statement of reasons per published decision with sanctions. */
char *nt_od_statements(const nt_svc *svc, const nt_open_record *rec, size_t *len);
/** FollowTheMoney entities (Person, UserAccount, Sanction), one JSON object a line. */
char *nt_od_ftm(const nt_svc *svc, const nt_open_record *rec, size_t *len);
/** Atom (RFC 4287): an entry per published decision and per delisting, newest first. */
char *nt_od_atom(const nt_svc *svc, const nt_open_record *rec, size_t *len);

/** The ETag of a body: a quoted prefix of its SHA-256. */
void nt_od_etag(const char *data, size_t len, char out[40]);

#endif
