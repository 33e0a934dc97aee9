/* Progress on stderr, only when stderr is a terminal (a console): a bar
   when WMI sends WBEM_STATUS_PROGRESS with a total, a running count of
   objects otherwise. The line is redrawn in place with '\r', at most every
   100 ms, and erased before rows are written to the same terminal.

   Calls come from the sink's callbacks (never two at once for one sink)
   and from the main thread after completion, so no lock is needed. */
#include "wbemq.h"
#include <io.h>
#include <string.h>

static struct {
    int enabled, stdout_is_tty;
    int shown;                /* characters on the line now */
    unsigned current, total;  /* WMI's progress; total 0: none yet */
    unsigned long long seen;
    ULONGLONG last_draw;
} p;

static int is_console(DWORD which, FILE *f)
{
    DWORD mode;
    return _isatty(_fileno(f)) && GetConsoleMode(GetStdHandle(which), &mode);
}

void wbemq_progress_init(void)
{
    memset(&p, 0, sizeof(p));
    p.enabled = is_console(STD_ERROR_HANDLE, stderr);
    p.stdout_is_tty = is_console(STD_OUTPUT_HANDLE, stdout);
}

int wbemq_progress_enabled(void) { return p.enabled; }

static void erase(void)
{
    if (!p.shown) return;
    fprintf(stderr, "\r%*s\r", p.shown, "");
    fflush(stderr);
    p.shown = 0;
}

static void draw(int force)
{
    ULONGLONG now = GetTickCount64();
    if (!p.enabled || (!force && p.shown && now - p.last_draw < 100)) return;
    p.last_draw = now;
    char line[128];
    int n;
    if (p.total) {
        unsigned cur = p.current > p.total ? p.total : p.current;
        char bar[31];
        unsigned fill = (unsigned)((unsigned long long)cur * 30 / p.total);
        memset(bar, '#', fill);
        memset(bar + fill, '.', 30 - fill);
        bar[30] = 0;
        n = snprintf(line, sizeof line, "[%s] %3u%%  %llu %s", bar,
                     (unsigned)((unsigned long long)cur * 100 / p.total), p.seen,
                     wbemq_plural(p.seen, "object", "objects"));
    } else {
        n = snprintf(line, sizeof line, "%llu %s", p.seen, wbemq_plural(p.seen, "object", "objects"));
    }
    if (n < 0) return;
    fprintf(stderr, "\r%s%*s", line, p.shown > n ? p.shown - n : 0, "");
    fflush(stderr);
    p.shown = n > p.shown ? n : p.shown;
}

void wbemq_progress_objects(unsigned long long seen)
{
    p.seen = seen;
    draw(0);
}

void wbemq_progress_wmi(unsigned current, unsigned total, const wchar_t *message)
{
    (void)message;            /* WMI's text varies; the bar says enough */
    p.current = current;
    p.total = total;
    draw(1);
}

void wbemq_progress_hide(void)
{
    if (p.stdout_is_tty) erase();
}

void wbemq_progress_done(void) { erase(); }
