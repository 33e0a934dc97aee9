/* wbemq: connects with wbemsink_connect, runs one WQL query with
   wbemsink_exec_query (ExecQueryAsync through a wbemsink) and prints each
   object as it arrives. See args.c for the command line. */
#include "wbemq.h"
#include <fcntl.h>
#include <io.h>
#include <string.h>
#include <wchar.h>

typedef struct run {
    wbemq_out *out;
    const wbemq_select *sel;
    unsigned long long seen;
    int write_failed;                 /* the output failed: query cancelled */
    IWbemClassObject *error_object;   /* from on_complete, AddRef'd */
} run;

static HANDLE g_stop;                 /* set by Ctrl+C */

static BOOL WINAPI on_ctrl(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT) return FALSE;
    SetEvent(g_stop);
    return TRUE;
}

static HRESULT print_objects(run *r, IWbemClassObject *const *objects, LONG count)
{
    wbemq_progress_hide();
    for (LONG i = 0; i < count; i++) {
        if (FAILED(wbemq_print_object(r->out, objects[i], r->sel, NULL, 0))) {
            r->write_failed = 1;
            return E_FAIL;            /* asks the sink to stop the query */
        }
        r->seen++;
    }
    wbemq_progress_objects(r->seen);
    return S_OK;
}

static HRESULT on_objects(void *context, IWbemClassObject *const *objects, LONG count)
{
    return print_objects(context, objects, count);
}

static void on_progress(void *context, unsigned current, unsigned total, const wchar_t *message)
{
    (void)context;
    wbemq_progress_wmi(current, total, message);
}

static void on_complete(void *context, HRESULT hr, const wchar_t *param, IWbemClassObject *error)
{
    run *r = context;
    (void)hr;
    (void)param;
    if (error) {
        IWbemClassObject_AddRef(error);
        r->error_object = error;
    }
}

/* A write failed because the reader went away (`| head`): the end of the
   output, not an error (see the manual's exit status). */
static int reader_gone(DWORD error)
{
    return error == ERROR_BROKEN_PIPE || error == ERROR_NO_DATA || error == ERROR_PIPE_NOT_CONNECTED;
}

/* The completion says objects were dropped for a full queue (with
   WBEMSINK_FULL_WAIT only the failure code can come; the success one is
   DROP_NEWEST's, handled alike should wbemq ever use it). */
static int lost_objects(HRESULT hr)
{
    return hr == WBEMSINK_E_OBJECTS_DROPPED || hr == WBEMSINK_S_OBJECTS_DROPPED;
}

/* "wbemq: the output is incomplete: N of M objects were dropped", the code,
   and what to change. The count is the sink's own (wbemsink_get_stats). */
static int report_loss(wbemsink *sink, HRESULT hr, const wbemq_args *a)
{
    wbemsink_stats st = {0};
    wbemsink_get_stats(sink, &st);
    const char *name = wbemsink_hresult_name(hr);
    fprintf(stderr,
            "wbemq: the output is incomplete: %llu of %llu %s %s dropped because the\n"
            "  queue was full (%s, 0x%08lX)\n",
            (unsigned long long)st.dropped, (unsigned long long)st.received,
            wbemq_plural(st.received, "object", "objects"),
            wbemq_plural(st.dropped, "was", "were"), name ? name : "unknown HRESULT",
            (unsigned long)hr);
    if (a->full_wait_ms == INFINITE)      /* WMI waited: the queue could not grow */
        fprintf(stderr, "  out of memory for the queue (--capacity %u)\n",
                a->capacity ? a->capacity : WBEMSINK_DEFAULT_CAPACITY);
    else
        fprintf(stderr, "  with --full-wait %u ms and --capacity %u; raise them, or leave --full-wait\n"
                        "  at its default (infinite), to keep every row\n",
                a->full_wait_ms, a->capacity ? a->capacity : WBEMSINK_DEFAULT_CAPACITY);
    return 1;
}

/* The held table rows that waited long enough go out (main thread); a
   failed write cancels the query like a failed write in a callback. */
static int tick(wbemsink *sink, run *r)
{
    if (r->write_failed || !wbemq_out_tick_due(r->out)) return 0;
    wbemq_progress_hide();            /* rows to a terminal: the progress line goes first */
    if (SUCCEEDED(wbemq_out_tick(r->out))) return 0;
    r->write_failed = 1;
    wbemsink_cancel(sink, NULL);
    return 1;
}

/* THREAD and INLINE modes: the callbacks print; wait for completion or a
   Ctrl+C (the sink's own deadline, options.timeout_ms, ends the query with
   WBEM_E_TIMED_OUT), ticking the output. Returns 0, or 'c' after
   cancelling on Ctrl+C. */
static int wait_push(wbemsink *sink, run *r)
{
    HANDLE h[2] = {wbemsink_completion_event(sink), g_stop};
    for (;;) {
        DWORD w = WaitForMultipleObjects(2, h, FALSE, 100);
        if (w == WAIT_OBJECT_0) return 0;
        if (w == WAIT_OBJECT_0 + 1) break;
        tick(sink, r);
    }
    wbemsink_cancel(sink, NULL);      /* the bound services */
    return 'c';
}

/* PULL mode: take the objects here, on the main thread, looking at Ctrl+C
   between slices. Any result but S_OK ends the loop: WBEM_S_NO_MORE_DATA
   or WBEM_S_TIMEDOUT's slice aside, the final result comes from
   wbemsink_wait (whether wbemsink_next returns the failure or not). */
static int pull(wbemsink *sink, run *r)
{
    for (;;) {
        IWbemClassObject *obj = NULL;
        HRESULT hr = wbemsink_next(sink, 200, &obj);
        if (hr == S_OK) {
            HRESULT ph = print_objects(r, &obj, 1);
            IWbemClassObject_Release(obj);
            if (FAILED(ph)) {
                wbemsink_cancel(sink, NULL);
                return 0;
            }
            if (tick(sink, r)) return 0;
        } else if (hr != WBEM_S_TIMEDOUT) {
            return 0;
        } else if (WaitForSingleObject(g_stop, 0) == WAIT_OBJECT_0) {
            wbemsink_cancel(sink, NULL);
            return 'c';
        } else if (tick(sink, r)) {
            return 0;
        }
    }
}

/* Seconds to the library's milliseconds (0 stays "none"). */
static unsigned ms_of(unsigned seconds)
{
    unsigned long long ms = seconds * 1000ull;
    return ms > 0xFFFFFFFEull ? 0xFFFFFFFEu : (unsigned)ms;
}

static int query(IWbemServices *services, const wbemq_args *a, const wbemq_select *sel,
                 wbemq_out *out, const wchar_t *ns)
{
    run r = {0};
    r.out = out;
    r.sel = sel;
    wbemq_failure failure = {a->host, ns, a->query, "the query", S_OK, NULL, 0, 0};
    ULONGLONG started = GetTickCount64();

    wbemsink_callbacks cb = {0};
    cb.context = &r;
    cb.on_objects = on_objects;
    cb.on_progress = on_progress;
    cb.on_complete = on_complete;
    wbemsink_options opt = {0};
    opt.mode = a->mode;
    /* WBEMSINK_FULL_WAIT, by default without a bound (see args.c): a row
       is never dropped for a slow terminal or pipe. With a bound, rows that
       still do not fit are dropped and the completion says so. */
    opt.full_policy = WBEMSINK_FULL_WAIT;
    opt.capacity = a->capacity;
    opt.full_wait_ms = a->full_wait_ms;
    opt.timeout_ms = ms_of(a->timeout_s);    /* cancels at WMI, WBEM_E_TIMED_OUT */
    wbemsink *sink;
    HRESULT hr = wbemsink_create(&cb, &opt, &sink);
    if (FAILED(hr)) {
        failure.what = "starting";
        failure.hr = hr;
        return wbemq_report_failure(stderr, NULL, &failure);
    }
    /* One error path: a refused call completes the sink like any failure.
       The sink keeps the services for a stop (Ctrl+C, the deadline, a
       failed write) until the query completed. */
    if (a->paced)   /* asked for as the queue has room; a stop ends the worker */
        wbemsink_exec_query_paced(sink, services, a->query, 0, NULL, 0);
    else
        wbemsink_exec_query(sink, services, a->query, WBEM_FLAG_SEND_STATUS, NULL);
    int stopped = a->mode == WBEMSINK_MODE_PULL ? pull(sink, &r) : wait_push(sink, &r);
    HRESULT final_hr = E_UNEXPECTED;
    wbemsink_wait(sink, INFINITE, &final_hr);

    /* No callback runs now. An empty result still gets its header. */
    if (!r.write_failed) {
        if (r.seen == 0 && SUCCEEDED(final_hr)) wbemq_columns_for_empty(out, services, sel, NULL, 0);
        if (FAILED(wbemq_out_end(out))) r.write_failed = 1;
    }
    int rc = 0;
    wbemq_progress_done();
    DWORD write_error = wbemq_out_write_error(out);
    if (r.write_failed) {
        /* The reader went away: quietly, exit 0. Anything else: say so. */
        if (!write_error) {          /* no write failed: a row could not be built */
            fprintf(stderr, "wbemq: out of memory for a row; query cancelled\n");
            rc = 1;
        } else if (!reader_gone(write_error)) {
            fprintf(stderr, "wbemq: writing the output failed (error %lu); query cancelled\n",
                    (unsigned long)write_error);
            rc = 1;
        }
    } else if (stopped) {
        fprintf(stderr, "wbemq: interrupted; query cancelled after %llu %s\n", r.seen,
                wbemq_plural(r.seen, "object", "objects"));
        rc = 1;
    } else if (lost_objects(final_hr)) {
        rc = report_loss(sink, final_hr, a);
    } else if (FAILED(final_hr)) {
        /* --timeout's end (WBEM_E_TIMED_OUT) too: one line, with its hint */
        failure.hr = final_hr;
        failure.error_object = r.error_object;
        failure.say_objects = r.seen || final_hr == (HRESULT)WBEM_E_TIMED_OUT;
        failure.objects = r.seen;
        rc = wbemq_report_failure(stderr, NULL, &failure);
    } else if (wbemq_progress_enabled() || a->summary) {
        ULONGLONG ms = GetTickCount64() - started;
        fprintf(stderr, "%llu %s in %llu.%02llu s\n", r.seen, wbemq_plural(r.seen, "object", "objects"),
                ms / 1000, ms % 1000 / 10);
    }
    wbemsink_release(sink);           /* no callback runs after this */
    if (r.error_object) IWbemClassObject_Release(r.error_object);
    return rc;
}

/* The password for --user: WBEMQ_PASSWORD, else asked on the console
   without echo. Never from the command line (other users can read it
   there). 0, or -1 after saying why. */
static int get_password(const wchar_t *user, wchar_t *buf, DWORD size)
{
    SetLastError(ERROR_SUCCESS);
    DWORD n = GetEnvironmentVariableW(L"WBEMQ_PASSWORD", buf, size);
    if (n >= size) {
        fprintf(stderr, "wbemq: WBEMQ_PASSWORD is too long\n");
        return -1;
    }
    if (n > 0 || GetLastError() != ERROR_ENVVAR_NOT_FOUND) return 0;   /* set, maybe empty */

    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode;
    if (GetFileType(in) != FILE_TYPE_CHAR || !GetConsoleMode(in, &mode)) {
        fprintf(stderr, "wbemq: --user needs a password: set WBEMQ_PASSWORD, or run wbemq on a "
                        "console to be asked for it\n");
        return -1;
    }
    fprintf(stderr, "Password for %ls: ", user);
    fflush(stderr);
    SetConsoleMode(in, (mode & ~(DWORD)ENABLE_ECHO_INPUT) | ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT);
    DWORD got = 0;
    BOOL ok = ReadConsoleW(in, buf, size - 1, &got, NULL);
    SetConsoleMode(in, mode);
    fputs("\n", stderr);              /* the Enter that was not echoed */
    if (!ok) {
        fprintf(stderr, "wbemq: reading the password failed\n");
        return -1;
    }
    while (got > 0 && (buf[got - 1] == L'\r' || buf[got - 1] == L'\n')) got--;
    buf[got] = 0;
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    wbemq_args a;
    /* Binary: "\n" line ends for --help and --version too, and the rows'
       UTF-8 as it is. */
    _setmode(_fileno(stdout), _O_BINARY);
    int parsed = wbemq_parse_args(argc, argv, &a);
    if (parsed) return parsed > 0 ? 0 : 2;

    /* \\HOST\NS with --host; the namespace as given otherwise. */
    wchar_t ns[1024];
    int len = a.host ? swprintf(ns, 1024, L"\\\\%ls\\%ls", a.host, a.ns)
                     : swprintf(ns, 1024, L"%ls", a.ns);
    if (len < 0) {
        fprintf(stderr, "wbemq: the namespace is too long\n");
        return 2;
    }
    wchar_t password[256];
    if (a.user && get_password(a.user, password, 256)) return 2;
    wbemq_select sel = {0};
    wbemq_out *out = NULL;
    if ((!a.call && FAILED(wbemq_select_parse(a.query, &sel))) ||
        !(out = wbemq_out_create(a.format, GetStdHandle(STD_OUTPUT_HANDLE), NULL))) {
        SecureZeroMemory(password, sizeof password);
        fprintf(stderr, "wbemq: out of memory\n");
        return 1;
    }

    if (GetFileType(GetStdHandle(STD_OUTPUT_HANDLE)) == FILE_TYPE_CHAR) SetConsoleOutputCP(CP_UTF8);
    wbemq_progress_init();
    g_stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    SetConsoleCtrlHandler(on_ctrl, TRUE);

    wbemq_failure failure = {a.host, a.ns, NULL, "starting COM", S_OK, NULL, 0, 0};
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) {
        SecureZeroMemory(password, sizeof password);
        failure.hr = hr;
        wbemq_out_destroy(out);
        wbemq_select_free(&sel);
        return wbemq_report_failure(stderr, NULL, &failure);
    }
    wbemsink_init_security();         /* RPC_E_TOO_LATE is fine */

    if (a.hosts) {                    /* --host a,b,c or @FILE: hosts.c */
        int rc = wbemq_run_hosts(&a, a.user ? password : NULL, &sel, out);
        SecureZeroMemory(password, sizeof password);
        CoUninitialize();
        CloseHandle(g_stop);
        wbemq_out_destroy(out);
        wbemq_select_free(&sel);
        return rc;
    }

    wbemsink_connect_options co = {0};
    co.user = a.user;
    co.password = a.user ? password : NULL;
    co.timeout_ms = ms_of(a.timeout_s);
    wbemsink_connection *conn = NULL;
    hr = wbemsink_connect(ns, &co, &conn);
    SecureZeroMemory(password, sizeof password);   /* the library keeps its own copy */
    int rc;
    if (FAILED(hr)) {
        failure.what = "connecting";
        failure.hr = hr;
        rc = wbemq_report_failure(stderr, NULL, &failure);
    } else {
        rc = a.call ? wbemq_call(wbemsink_connection_services(conn), &a, out, g_stop)   /* call.c */
                    : query(wbemsink_connection_services(conn), &a, &sel, out, a.ns);
        wbemsink_connection_release(conn);
    }
    CoUninitialize();
    CloseHandle(g_stop);
    wbemq_out_destroy(out);
    wbemq_select_free(&sel);
    return rc;
}
