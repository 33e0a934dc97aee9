/* wbemq --host a,b,c / --host @FILE: the host list, and the query on every
   host through the library's fan-out (wbemsink_fanout_start). The
   fan-out's callbacks never overlap, so they print without a lock of our
   own. */
#include "wbemq.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- the list ---- */

typedef struct list {
    wchar_t **names;
    size_t count, cap;
} list;

/* Adds s[0..n) trimmed of blanks, unless empty. 0, or -1 out of memory. */
static int add(list *l, const wchar_t *s, size_t n)
{
    while (n && iswspace(*s)) s++, n--;
    while (n && iswspace(s[n - 1])) n--;
    if (!n) return 0;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        wchar_t **p = realloc(l->names, cap * sizeof(*p));
        if (!p) return -1;
        l->names = p;
        l->cap = cap;
    }
    wchar_t *name = malloc((n + 1) * sizeof(wchar_t));
    if (!name) return -1;
    memcpy(name, s, n * sizeof(wchar_t));
    name[n] = 0;
    l->names[l->count++] = name;
    return 0;
}

/* The whole file as wide text: UTF-8 (a BOM skipped) when it decodes as
   such, else the ANSI code page. NULL after saying why. */
static wchar_t *read_text(const wchar_t *path)
{
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "wbemq: cannot open the host list %ls (error %lu)\n", path, GetLastError());
        return NULL;
    }
    LARGE_INTEGER size;
    char *bytes = NULL;
    DWORD got = 0;
    if (!GetFileSizeEx(h, &size) || size.QuadPart > 64 * 1024 * 1024 ||
        !(bytes = malloc((size_t)size.QuadPart + 1)) ||
        !ReadFile(h, bytes, (DWORD)size.QuadPart, &got, NULL)) {
        fprintf(stderr, "wbemq: cannot read the host list %ls\n", path);
        CloseHandle(h);
        free(bytes);
        return NULL;
    }
    CloseHandle(h);
    const char *p = bytes;
    int n = (int)got;
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3, n -= 3;
    UINT cp = CP_UTF8;
    int wn = n ? MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, p, n, NULL, 0) : 0;
    if (n && !wn) {
        cp = CP_ACP;
        wn = MultiByteToWideChar(CP_ACP, 0, p, n, NULL, 0);
    }
    wchar_t *text = malloc(((size_t)wn + 1) * sizeof(wchar_t));
    if (text) {
        if (wn) MultiByteToWideChar(cp, 0, p, n, text, wn);
        text[wn] = 0;
    } else {
        fprintf(stderr, "wbemq: out of memory\n");
    }
    free(bytes);
    return text;
}

HRESULT wbemq_hosts_parse(const wchar_t *spec, wchar_t ***names, size_t *count)
{
    list l = {0};
    int failed = 0;
    *names = NULL;
    *count = 0;
    if (spec[0] == L'@') {
        wchar_t *text = read_text(spec + 1);
        if (!text) return E_FAIL;
        for (wchar_t *line = text; *line && !failed;) {
            wchar_t *end = line + wcscspn(line, L"\r\n");
            wchar_t *hash = wmemchr(line, L'#', (size_t)(end - line));
            failed = add(&l, line, (size_t)((hash ? hash : end) - line));
            line = *end ? end + 1 : end;
        }
        free(text);
    } else {
        for (const wchar_t *s = spec; *s && !failed;) {
            size_t n = wcscspn(s, L",");
            failed = add(&l, s, n);
            s += n;
            if (*s) s++;
        }
    }
    if (failed) {
        wbemq_hosts_free(l.names, l.count);
        fprintf(stderr, "wbemq: out of memory\n");
        return E_OUTOFMEMORY;
    }
    for (size_t i = 0; i < l.count; i++) {
        if (wcspbrk(l.names[i], L"\\/ \t")) {
            fprintf(stderr, "wbemq: not a computer name in the host list: %ls\n", l.names[i]);
            wbemq_hosts_free(l.names, l.count);
            return E_INVALIDARG;
        }
    }
    if (!l.count) {
        fprintf(stderr, "wbemq: the host list %ls names no host\n", spec);
        free(l.names);
        return E_INVALIDARG;
    }
    *names = l.names;
    *count = l.count;
    return S_OK;
}

void wbemq_hosts_free(wchar_t **names, size_t count)
{
    for (size_t i = 0; i < count; i++) free(names[i]);
    free(names);
}

/* ---- the fan-out ---- */

typedef struct fleet {
    const wbemq_args *a;
    const wbemq_select *sel;
    wbemq_out *out;
    size_t hosts, done;
    unsigned long long rows;
    int write_failed;
    wbemsink_fanout *f;
} fleet;

static HRESULT on_objects(void *context, size_t target, const wchar_t *name,
                          IWbemClassObject *const *objects, LONG count)
{
    fleet *r = context;
    wbuf host = {0};
    wbemq_cell cell = {L"Host", NULL, 0, 0};
    (void)target;
    if (r->write_failed) return E_FAIL;
    wbemq_text(&host, name, wcslen(name), wbemq_out_style(r->out));
    cell.text = host.p ? host.p : L"";
    cell.len = host.len;
    wbemq_progress_hide();
    for (LONG i = 0; i < count && !r->write_failed; i++) {
        if (host.oom || FAILED(wbemq_print_object(r->out, objects[i], r->sel, &cell, 1))) {
            /* Nothing more can be written: stop every host. */
            r->write_failed = 1;
            wbemsink_fanout_cancel(r->f);
        } else {
            r->rows++;
        }
    }
    wb_free(&host);
    return r->write_failed ? E_FAIL : S_OK;
}

static void on_target_done(void *context, size_t target, const wchar_t *name, HRESULT hr,
                           const wchar_t *text)
{
    fleet *r = context;
    (void)target;
    (void)text;          /* wbemq_report_failure says it, with a hint */
    r->done++;
    if (FAILED(hr) && !r->write_failed) {
        wbemq_failure x = {name, r->a->ns, r->a->query, "the host", hr, NULL, 0, 0};
        wbemq_progress_done();
        wbemq_report_failure(stderr, name, &x);
    }
    wbemq_progress_hosts(r->done, r->hosts);
}

static HANDLE g_stop;

static BOOL WINAPI on_ctrl(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT) return FALSE;
    SetEvent(g_stop);
    return TRUE;
}

int wbemq_run_hosts(const wbemq_args *a, const wchar_t *password, const wbemq_select *sel,
                    wbemq_out *out)
{
    wchar_t **names;
    size_t count;
    if (FAILED(wbemq_hosts_parse(a->hosts, &names, &count))) return 2;
    wbemsink_target *targets = calloc(count, sizeof(*targets));
    if (!targets) {
        wbemq_hosts_free(names, count);
        fprintf(stderr, "wbemq: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < count; i++) targets[i].host = names[i];

    fleet r = {0};
    r.a = a;
    r.sel = sel;
    r.out = out;
    r.hosts = count;
    wbemsink_connect_options co = {0};
    co.user = a->user;
    co.password = password;
    wbemsink_fanout_options o = {0};
    o.throttle = a->throttle;
    unsigned ms = a->timeout_s > 4000000u ? 4000000000u : a->timeout_s * 1000u;
    o.connect_timeout_ms = ms ? ms : 0xFFFFFFFEu;
    o.timeout_ms = ms;
    o.namespace_path = a->ns;
    o.connect = &co;
    o.query = a->query;
    o.query_flags = WBEM_FLAG_SEND_STATUS;
    o.capacity = a->capacity;
    wbemsink_fanout_callbacks cb = {0};
    cb.context = &r;
    cb.on_objects = on_objects;
    cb.on_target_done = on_target_done;

    ULONGLONG started = GetTickCount64();
    g_stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    SetConsoleCtrlHandler(on_ctrl, TRUE);
    wbemsink_fanout_counts c = {0};
    HRESULT hr = wbemsink_fanout_start(targets, count, &o, &cb, &r.f);
    int interrupted = 0;
    if (SUCCEEDED(hr)) {
        wbemq_progress_hosts(0, count);
        /* The table's held rows go out now and then; Ctrl+C cancels. */
        while (wbemsink_fanout_wait(r.f, 100, &c) == WBEM_S_TIMEDOUT) {
            if (!interrupted && WaitForSingleObject(g_stop, 0) == WAIT_OBJECT_0) {
                interrupted = 1;
                wbemsink_fanout_cancel(r.f);
            }
            if (!r.write_failed && wbemq_out_tick_due(out)) {
                wbemq_progress_hide();    /* rows to a terminal: the progress line goes first */
                if (FAILED(wbemq_out_tick(out))) {
                    r.write_failed = 1;
                    wbemsink_fanout_cancel(r.f);
                }
            }
        }
        wbemsink_fanout_release(r.f);
    }
    SetConsoleCtrlHandler(on_ctrl, FALSE);
    CloseHandle(g_stop);
    wbemq_progress_done();
    int rc;
    if (FAILED(hr)) {
        wbemq_failure x = {NULL, a->ns, a->query, "starting the fan-out", hr, NULL, 0, 0};
        rc = wbemq_report_failure(stderr, NULL, &x);
    } else {
        if (!r.write_failed && FAILED(wbemq_out_end(out))) r.write_failed = 1;
        DWORD e = wbemq_out_write_error(out);
        int reader_gone = e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA || e == ERROR_PIPE_NOT_CONNECTED;
        ULONGLONG took = GetTickCount64() - started;
        if (r.write_failed && !e)         /* no write failed: a row could not be built */
            fprintf(stderr, "wbemq: out of memory for a row; hosts cancelled\n");
        else if (r.write_failed && !reader_gone)
            fprintf(stderr, "wbemq: writing the output failed (error %lu); hosts cancelled\n",
                    (unsigned long)e);
        if (interrupted) fprintf(stderr, "wbemq: interrupted; hosts cancelled\n");
        fprintf(stderr, "wbemq: %zu %s: %zu ok, %zu failed, %zu timed out%s; %llu %s in %llu.%02llu s\n",
                count, wbemq_plural(count, "host", "hosts"), c.succeeded, c.failed + c.cancelled,
                c.timed_out, c.cancelled ? " (cancelled included in failed)" : "", r.rows,
                wbemq_plural(r.rows, "row", "rows"), took / 1000, took % 1000 / 10);
        rc = (r.write_failed && e && reader_gone) ? 0 : r.write_failed ? 1 : c.succeeded == count ? 0 : 1;
    }
    free(targets);
    wbemq_hosts_free(names, count);
    return rc;
}
