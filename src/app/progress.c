/* Progress of long work on the command line; see progress.h. */
#include "app/progress.h"
#include "core/util.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TTY_EVERY_US   100000LL   /* a terminal's line: ten times a second at most */
#define PLAIN_EVERY_US 10000000LL /* a log's line: every ten seconds */

void nt_progress_begin(nt_progress *p, const char *what, const char *unit, uint64_t total, bool quiet)
{
    *p = (nt_progress){.what = what, .unit = unit, .total = total, .quiet = quiet, .tty = isatty(STDERR_FILENO) == 1};
    p->start_us = p->shown_us = nt_mono_us();
    if (p->tty && !quiet)
        nt_progress_update(p, 0);
}

/* "1,234,567" */
static void grouped(char *out, size_t cap, uint64_t v)
{
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v), o = 0;
    for (int i = 0; i < n && o + 2 < (int)cap; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

static void show(nt_progress *p, int64_t now, bool last)
{
    double secs = (double)(now - p->start_us) / 1e6;
    double rate = secs > 0 ? (double)p->done / secs : 0;
    char done[32], total[32], speed[32], left[48] = "";
    bool bytes = p->unit[0] == 'b'; /* bytes are shown in MB */
    if (bytes) {
        snprintf(done, sizeof(done), "%.1f", (double)p->done / 1e6);
        snprintf(total, sizeof(total), "%.1f", (double)p->total / 1e6);
        snprintf(speed, sizeof(speed), "%.1f MB/s", rate / 1e6);
    } else {
        grouped(done, sizeof(done), p->done);
        grouped(total, sizeof(total), p->total);
        grouped(speed, sizeof(speed), (uint64_t)rate);
        snprintf(speed + strlen(speed), sizeof(speed) - strlen(speed), " %s/s", p->unit);
    }
    if (p->total > 0 && rate > 0 && p->done < p->total && !last) {
        double rest = (double)(p->total - p->done) / rate;
        if (rest >= 60)
            snprintf(left, sizeof(left), ", %d min %02d s left", (int)(rest / 60), (int)rest % 60);
        else
            snprintf(left, sizeof(left), ", %d s left", (int)rest + 1);
    }
    char pct[16] = "";
    if (p->total > 0)
        snprintf(pct, sizeof(pct), " (%d%%)", (int)(100.0 * (double)p->done / (double)p->total));
    fprintf(stderr, "%s%s: %s%s%s %s%s, %s%s%s", p->tty ? "\r" : "", p->what, done, p->total ? " of " : "", p->total ? total : "",
            bytes ? "MB" : p->unit, pct, speed, left, p->tty ? "\033[K" : "\n");
    fflush(stderr);
    p->shown_us = now;
    p->drawn = true;
}

void nt_progress_update(nt_progress *p, uint64_t done)
{
    p->done = done;
    if (p->quiet)
        return;
    int64_t now = nt_mono_us();
    if (now - p->shown_us >= (p->tty ? TTY_EVERY_US : PLAIN_EVERY_US) || (p->tty && !p->drawn))
        show(p, now, false);
}

void nt_progress_end(nt_progress *p)
{
    if (p->quiet)
        return;
    if (p->tty) {
        show(p, nt_mono_us(), true);
        fputc('\n', stderr);
    } else if (p->drawn) { /* a log that had lines about it gets the last one too */
        show(p, nt_mono_us(), true);
    }
}
