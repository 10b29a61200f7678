/* Verified notices as data and as documents: the topics and the 34 provinces (data files), a
 * notice's content checked field by field, the difference between two versions, and the forms a
 * notice is served in — schema.org ClaimReview JSON-LD, OASIS CAP 1.2 XML, Atom (RFC 4287) and
 * JSON Feed 1.1 entries. Pure functions. */
#ifndef NT_CORE_NOTICES_H
#define NT_CORE_NOTICES_H
#include "core/err.h"
#include "core/jbuf.h"
#include <jansson.h>
#include <stdbool.h>

/** data/notice-topics.json: {version, topics: [{id, title}]}; data/provinces.json: {provinces: [{code, name, type}]}. */
const json_t *nt_notice_topics(void);
const json_t *nt_provinces(void);
bool nt_notice_topic_known(const char *id);
/** The province of an official code ("01", "79"), or NULL. */
const json_t *nt_province(const char *code);

/** The kinds: correction, scam_alert, product_recall, public_information. */
bool nt_notice_kind_known(const char *kind);

/** The kinds of notice, NULL-terminated. */
extern const char *const nt_notice_kinds[];

/** Checks a notice's content (kind-specific fields included) and returns it normalised (NFC text,
 * provinces "all" expanded, times in UTC), or NULL with field errors in err. */
json_t *nt_notice_content_check(const json_t *in, nt_err *err);

/** What changed between two contents: [{field, before, after}] for each leaf that differs. */
json_t *nt_notice_diff(const json_t *before, const json_t *after);

/** The capitalised runs of words in a text (2 to 5 words, each starting with a capital letter):
 * what could be a person's name, for the check that notices name no private person. */
json_t *nt_notice_name_runs(const char *text);

/** A correction as schema.org ClaimReview (JSON-LD). notice: the view (id, version, content,
 * issuer name, published_at, updated_at); url: its public address. */
json_t *nt_notice_claimreview(const json_t *notice, const char *url);
/** A scam alert or a recall as a CAP 1.2 alert (XML, malloc'd). sender: the deployment's host. */
char *nt_notice_cap(const json_t *notice, const char *sender, const char *url, size_t *len);
/** One Atom entry (XML, appended to b) and one JSON Feed item. */
void nt_notice_atom_entry(nt_jbuf *b, const json_t *notice, const char *url);
json_t *nt_notice_jsonfeed_item(const json_t *notice, const char *url);
#endif
