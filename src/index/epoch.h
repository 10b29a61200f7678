/* Epoch-based reclamation: readers never wait on writers.
 *
 * A reader marks the epoch it entered in its own slot and clears it when it
 * leaves; a writer that unlinks an object retires it tagged with the current
 * epoch and bumps the epoch; a retired object is freed once every reader that
 * was inside when it was unlinked has left. Readers take no lock and make no
 * system call; writers are serialised by their own lock. */
#ifndef NT_INDEX_EPOCH_H
#define NT_INDEX_EPOCH_H
#include <stddef.h>
#include <stdint.h>

typedef struct nt_epoch nt_epoch;

nt_epoch *nt_epoch_new(void);
/** Frees everything still retired. No reader may be inside. */
void nt_epoch_free(nt_epoch *e);

/** Enters a read section (this thread's slot). Not reentrant. */
void nt_epoch_enter(nt_epoch *e);
void nt_epoch_leave(nt_epoch *e);

/** Writers only (under their own lock): frees obj with fn once no reader can hold it. */
void nt_epoch_retire(nt_epoch *e, void *obj, void (*fn)(void *));
/** Writers only: frees what can be freed now. */
void nt_epoch_collect(nt_epoch *e);
/** Objects waiting to be freed. */
size_t nt_epoch_pending(nt_epoch *e);
#endif
