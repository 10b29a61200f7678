/* C2SP signed notes with Ed25519 keys: the format of tlog checkpoints.
 *
 * A note is UTF-8 text ending in a newline, a blank line, then one line per
 * signature: an em dash, a space, the key name, a space, and base64 of the
 * 4-byte key hash followed by the signature. The key hash is the first four
 * bytes of SHA-256(name || "\n" || 0x01 || public key). Keys are written
 * "PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>" and "<name>+<hash>+<base64(0x01 || public key)>".
 * Checked byte for byte against shared/vectors/note. */
#ifndef NT_LOG_NOTE_H
#define NT_LOG_NOTE_H
#include <stddef.h>
#include <stdint.h>

typedef struct nt_note_signer {
    char name[256];
    uint32_t hash;
    unsigned char sk[64]; /* libsodium's seed || public key */
} nt_note_signer;

typedef struct nt_note_verifier {
    char name[256];
    uint32_t hash;
    unsigned char pk[32];
} nt_note_verifier;

/** Parses a private key line; 0 or -1. */
int nt_note_signer_parse(const char *text, nt_note_signer *out);
/** Parses a verifier key line; 0 or -1. */
int nt_note_verifier_parse(const char *text, nt_note_verifier *out);

/** Signs text (which must end in a newline): a malloc'd signed note, or NULL. */
char *nt_note_sign(const nt_note_signer *s, const char *text, size_t len);

/** Verifies a signed note with one verifier: 0 and the text's length in *text_len, or -1. */
int nt_note_verify(const nt_note_verifier *v, const char *note, size_t len, size_t *text_len);
#endif
