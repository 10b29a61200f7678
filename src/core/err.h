/* Error codes and the error report a caller owns (never a global).
 *
 * Functions return 0 or a negative NT_E* code; when they take an nt_err they
 * fill it with a detail in both English and Vietnamese and, for a client's
 * mistake, the fields at fault. */
#ifndef NT_CORE_ERR_H
#define NT_CORE_ERR_H
#include <stdbool.h>
#include <stddef.h>

enum {
    NT_OK = 0,
    NT_ENOMEM = -1,
    NT_EINVAL = -2,     /* the input is invalid: see fields */
    NT_ENOTFOUND = -3,  /* a named thing does not exist */
    NT_ECONFLICT = -4,  /* clashes with what exists: see conflict_id */
    NT_ESTALE = -5,     /* a precondition (version) no longer holds */
    NT_EIO = -6,        /* storage or system failure */
    NT_EFORBIDDEN = -7, /* the actor may not do this to this thing */
    NT_EBUSY = -8,      /* try again later */
    NT_ELIMIT = -9,     /* too many of these from this caller: slow down */
    NT_EMEDIA = -10,    /* a body of a type that is not accepted */
    NT_EREADONLY = -11, /* this server only reads (a standby's): write through the primary */
    NT_EUNAVAIL = -12,  /* the database cannot be reached now: try again shortly */
    NT_ENOSPACE = -13,  /* the database's disk is full: nothing was written; try again once space is freed */
};

#define NT_ERR_MAX_FIELDS 16

typedef struct nt_field_error {
    char field[64];    /* JSON pointer-ish name: "aliases[2]" */
    char code[24];     /* required | unknown | type | too_long | too_many | invalid | out_of_range | duplicate | ...
                        * (nt_err_field_detail lists them all) */
    long param;        /* a limit, where the code has one */
    char allowed[256]; /* what is accepted, comma-separated: the known fields of an "unknown", the values
                        * of an "invalid" choice; empty when not said */
} nt_field_error;

typedef struct nt_err {
    int code;
    char en[256];
    char vi[256];
    char conflict_id[64];
    bool state_change; /* an invalid state change: allowed lists the states it may move to */
    char allowed[128]; /* comma-separated; empty when none */
    int nfields;
    nt_field_error fields[NT_ERR_MAX_FIELDS];
} nt_err;

/** Clears an error report. */
void nt_err_clear(nt_err *e);

/** Sets code and detail; fmt_en and fmt_vi take the same arguments in the same order. Returns code. */
int nt_err_set(nt_err *e, int code, const char *fmt_en, const char *fmt_vi, ...) __attribute__((format(printf, 3, 5)));

/** Adds a field error (code NT_EINVAL); returns NT_EINVAL. */
int nt_err_field(nt_err *e, const char *field, const char *code, long param);

/** As nt_err_field, saying what is accepted: allowed is comma-separated ("month,quarter"), the
 * known fields for "unknown", the values to choose from otherwise. A list too long to keep whole
 * is not said. Returns NT_EINVAL. */
int nt_err_field_allowed(nt_err *e, const char *field, const char *code, const char *allowed);

/** As nt_err_field_allowed, from a NULL-terminated list. */
int nt_err_field_one_of(nt_err *e, const char *field, const char *code, const char *const *list);

/** For an "unknown" field with its known fields said: the known one nearest to what was written
 * (the last part of a dotted or indexed name), when it is within two edits and nearer than any
 * other; else NULL. Written into out. */
const char *nt_err_field_suggestion(const nt_field_error *f, char *out, size_t cap);

/** The languages users read: Vietnamese first, English on request. */
typedef enum nt_lang { NT_LANG_VI = 0, NT_LANG_EN = 1 } nt_lang;

/** What a field error's code means, in the language asked for (the code itself if unknown), with
 * the nearest known field and what is accepted when the error says them. */
void nt_err_field_detail(const nt_field_error *f, nt_lang lang, char *out, size_t cap);

/** A short English name for a code, for logs. */
const char *nt_strerror(int code);

#endif
