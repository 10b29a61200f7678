/* Advertising: the forms of an enterprise code and of a public ad code, and the category rules
 * (data/ad-categories.json, embedded at build time; docs/ADVERTISING.md explains them). Pure. */
#ifndef NT_CORE_ADS_H
#define NT_CORE_ADS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/** A Vietnamese enterprise code: 10 digits, or 13 as "NNNNNNNNNN-NNN" for a branch. */
bool nt_enterprise_code_valid(const char *s);

#define NT_AD_CODE_LEN 16 /* "QC-2026-0001234" and its NUL */

/** The public code of ad number seq (1..999,999) registered in year: "QC-<year>-<6 digits><check>",
 * the check digit Luhn's over the year and the six digits. False when out of range. */
bool nt_ad_code_format(int year, int64_t seq, char out[NT_AD_CODE_LEN]);
/** Reads a code back: true with year and seq only when its form and check digit are right. */
bool nt_ad_code_parse(const char *code, int *year, int64_t *seq);

/** The category table (borrowed; loaded once), or NULL if the embedded file is missing or bad. */
const json_t *nt_ad_categories(void);
/** One category by id (borrowed), or NULL. */
const json_t *nt_ad_category(const char *id);

/** The checks a product must pass for ads running from from_us to to_us (µs; to_us >= from_us):
 * its category may be advertised, every document type the category needs is present with one
 * document valid over the whole period ([valid_from, valid_until], RFC 3339), and it is not
 * recalled. An array of {check, ok, detail?}, new; *all_ok says whether every one passed. */
json_t *nt_ad_product_checks(const json_t *category, const json_t *documents, const char *recalled_at, int64_t from_us,
                             int64_t to_us, bool *all_ok);
#endif
