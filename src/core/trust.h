/* The trust programme's rules, as data: the alliance's standards (versioned), the training and its
 * question bank, and the certificate's scoring rules (data/trust-*.json, compiled in).
 *
 * A standards version is in force from its `adopted` time; members have accept_within_days after
 * that to accept it. The quiz draws questions at random and shuffles each one's options; what was
 * drawn (with the order shown) stays on the server, and scoring reads it back, so the bank's
 * answers never leave. Pure functions but for the quiz's randomness. */
#ifndef NT_CORE_TRUST_H
#define NT_CORE_TRUST_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/** Replaces the compiled-in standards with a file's (serve --trust-standards); 0, or -1 with why. */
int nt_trust_standards_load(const char *path, char *why, size_t cap);
/** The standards document: {accept_within_days, versions: [{version, adopted, title, pillars, commitments}]}. */
const json_t *nt_trust_standards(void);
/** The version in force at now (the highest adopted by then), or NULL before the first. */
const json_t *nt_trust_standards_current(int64_t now_us);
/** Version v, or NULL. */
const json_t *nt_trust_standards_version(int v);
/** When version v must be accepted by (its adoption plus the days allowed); 0 for no such version. */
int64_t nt_trust_accept_by(int v);

/** The training: {version, title, quiz: {questions, pass_percent, attempts_per_day}, modules, questions}. */
const json_t *nt_trust_training(void);
/** The modules without the question bank (what anyone may read). */
json_t *nt_trust_training_public(void);
/** Draws a quiz: [{id, order: [option indexes as shown]}], n distinct questions. */
json_t *nt_trust_quiz_draw(int n);
/** The drawn questions as shown: [{id, module, text, options: [{vi, en}]}] — no answers. */
json_t *nt_trust_quiz_shown(const json_t *drawn);
/** Scores answers ({question id: option index as shown}) against what was drawn: how many are
 * right, and per question whether it was ([{id, module, correct}]: the module to read again, never
 * the right option). -1 and *field set when an answer names a question not drawn or an option
 * out of range. */
int nt_trust_quiz_score(const json_t *drawn, const json_t *answers, int *correct, json_t **per_question, const char **field);

/** The scoring rules: {version, certify_at, pillars: [{id, points, title, rule, ...}], ...}. */
const json_t *nt_trust_scoring(void);
/** A pillar's rules, or NULL. */
const json_t *nt_trust_pillar(const char *id);
/** A pillar's maximum points (0 when there is no such pillar). */
int nt_trust_pillar_points(const char *id);

/** The conduct pillar's share left (0..1000, per mille) after decided violations at times at_us
 * (warning_only: the decision's only sanction was a warning), each deduction decaying linearly
 * to nothing over the rules' decay_months. */
int nt_trust_conduct_permille(const int64_t *at_us, const bool *warning_only, int n, int64_t now_us);
#endif
