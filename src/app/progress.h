/* Progress of long work on the command line: on a terminal one line redrawn (done/total,
 * percentage, rate, time left) at most ten times a second; elsewhere (a log, a pipe, cron) a
 * plain line every ten seconds; with --quiet nothing. Written to stderr, so stdout keeps the
 * command's result alone. */
#ifndef NT_APP_PROGRESS_H
#define NT_APP_PROGRESS_H
#include <stdbool.h>
#include <stdint.h>

typedef struct nt_progress {
    const char *what; /* "import", "verify", … */
    const char *unit; /* "lines", "entries", "bytes", … */
    uint64_t total;   /* 0: not known */
    uint64_t done;
    int64_t start_us, shown_us;
    bool tty, quiet, drawn;
} nt_progress;

void nt_progress_begin(nt_progress *p, const char *what, const char *unit, uint64_t total, bool quiet);
/** Where the work is now; shown when it is time to. Thread-safe for one updater at a time. */
void nt_progress_update(nt_progress *p, uint64_t done);
/** The work is over: the last state shown (the terminal's line ended). */
void nt_progress_end(nt_progress *p);
#endif
