/* wbemq: runs one WQL query with ExecQueryAsync through a wbemsink and
   prints each object as it arrives. See args.c for the command line. */
#include "wbemq.h"
#include <fcntl.h>
#include <io.h>
#include <string.h>
#include <wchar.h>

typedef struct run {
    wbemq_out *out;
    unsigned long long seen;
    int write_failed;
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
        if (FAILED(wbemq_out_object(r->out, objects[i]))) {
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

/* wbemsink_hresult_text gave only the code's name or number: WMI had no
   description (Wine's never has). */
static int is_fallback(const wchar_t *text, const char *name)
{
    if (!text[0] || (text[0] == L'0' && text[1] == L'x')) return 1;
    if (!name || wcslen(text) != strlen(name)) return 0;
    for (size_t i = 0; name[i]; i++)
        if (text[i] != (wchar_t)(unsigned char)name[i]) return 0;
    return 1;
}

/* "wbemq: WHAT failed: NAME (0x...)", then a description of the code:
   WMI's own, else wbemq's, and the error object's Description if any. */
static int report(const char *what, HRESULT hr, IWbemClassObject *error_object)
{
    const char *name = wbemsink_hresult_name(hr);
    wchar_t text[512];
    wbemsink_hresult_text(hr, text, sizeof text / sizeof text[0]);
    fprintf(stderr, "wbemq: %s failed: %s (0x%08lX)\n", what, name ? name : "unknown HRESULT",
            (unsigned long)hr);
    const wchar_t *description = is_fallback(text, name) ? wbemq_describe(hr) : text;
    if (description) fprintf(stderr, "  %ls\n", description);
    VARIANT v;
    VariantInit(&v);
    if (error_object &&
        SUCCEEDED(IWbemClassObject_Get(error_object, L"Description", 0, &v, NULL, NULL)) &&
        V_VT(&v) == VT_BSTR && V_BSTR(&v))
        fprintf(stderr, "  %ls\n", V_BSTR(&v));
    VariantClear(&v);
    return 1;
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
            "wbemq: the output is incomplete: %llu of %llu objects were dropped because the\n"
            "  queue was full (%s, 0x%08lX)\n",
            (unsigned long long)st.dropped, (unsigned long long)st.received,
            name ? name : "unknown HRESULT", (unsigned long)hr);
    if (a->full_wait_ms == INFINITE)      /* WMI waited: the queue could not grow */
        fprintf(stderr, "  out of memory for the queue (--capacity %u)\n",
                a->capacity ? a->capacity : WBEMSINK_DEFAULT_CAPACITY);
    else
        fprintf(stderr, "  with --full-wait %u ms and --capacity %u; raise them, or leave --full-wait\n"
                        "  at its default (infinite), to keep every row\n",
                a->full_wait_ms, a->capacity ? a->capacity : WBEMSINK_DEFAULT_CAPACITY);
    return 1;
}

/* Milliseconds left before the deadline (INFINITE without one). */
static DWORD left(ULONGLONG deadline)
{
    if (!deadline) return INFINITE;
    ULONGLONG now = GetTickCount64();
    return now >= deadline ? 0 : (DWORD)(deadline - now);
}

/* THREAD and INLINE modes: the callbacks print; wait for completion, a
   Ctrl+C or the deadline. Returns 0, or 'c' (Ctrl+C) / 't' (timeout)
   after cancelling. */
static int wait_push(wbemsink *sink, ULONGLONG deadline)
{
    HANDLE h[2] = {wbemsink_completion_event(sink), g_stop};
    DWORD w = WaitForMultipleObjects(2, h, FALSE, left(deadline));
    if (w == WAIT_OBJECT_0) return 0;
    wbemsink_cancel(sink, NULL);      /* the bound services */
    return w == WAIT_OBJECT_0 + 1 ? 'c' : 't';
}

/* PULL mode: take the objects here, on the main thread. */
static int pull(wbemsink *sink, run *r, ULONGLONG deadline)
{
    for (;;) {
        IWbemClassObject *obj = NULL;
        DWORD slice = left(deadline);
        HRESULT hr = wbemsink_next(sink, slice < 200 ? slice : 200, &obj);
        if (hr == S_OK) {
            HRESULT ph = print_objects(r, &obj, 1);
            IWbemClassObject_Release(obj);
            if (FAILED(ph)) {
                wbemsink_cancel(sink, NULL);
                return 0;
            }
        } else if (hr == WBEM_S_NO_MORE_DATA || FAILED(hr)) {
            return 0;
        } else if (WaitForSingleObject(g_stop, 0) == WAIT_OBJECT_0 || left(deadline) == 0) {
            wbemsink_cancel(sink, NULL);
            return WaitForSingleObject(g_stop, 0) == WAIT_OBJECT_0 ? 'c' : 't';
        }
    }
}

static int query(IWbemServices *services, const wbemq_args *a)
{
    run r = {0};
    r.out = wbemq_out_create(a->format, stdout);
    if (!r.out) return report("allocating", E_OUTOFMEMORY, NULL);

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
    wbemsink *sink;
    HRESULT hr = wbemsink_create(&cb, &opt, &sink);
    if (FAILED(hr)) {
        wbemq_out_destroy(r.out);
        return report("wbemsink_create", hr, NULL);
    }
    /* So that a stop (Ctrl+C, timeout, a failed write) can call
       CancelAsyncCall; the sink lets go of it once the query completed. */
    wbemsink_bind_services(sink, services);

    BSTR lang = SysAllocString(L"WQL"), wql = SysAllocString(a->query);
    hr = IWbemServices_ExecQueryAsync(services, lang, wql, WBEM_FLAG_SEND_STATUS, NULL,
                                      wbemsink_interface(sink));
    SysFreeString(lang);
    SysFreeString(wql);

    int rc = 0, stopped = 0;
    HRESULT final_hr = hr;
    if (SUCCEEDED(hr)) {
        ULONGLONG deadline = a->timeout_s ? GetTickCount64() + a->timeout_s * 1000ull : 0;
        stopped = a->mode == WBEMSINK_MODE_PULL ? pull(sink, &r, deadline) : wait_push(sink, deadline);
        wbemsink_wait(sink, INFINITE, &final_hr);
        if (!r.write_failed) wbemq_out_end(r.out);   /* no callback runs now */
    }
    wbemq_progress_done();
    if (r.write_failed) {
        fprintf(stderr, "wbemq: writing the output failed; query cancelled\n");
        rc = 1;
    } else if (stopped) {
        fprintf(stderr, "wbemq: %s; query cancelled after %llu objects\n",
                stopped == 'c' ? "interrupted" : "timed out", r.seen);
        rc = 1;
    } else if (lost_objects(final_hr)) {
        rc = report_loss(sink, final_hr, a);
    } else if (FAILED(final_hr)) {
        rc = report(SUCCEEDED(hr) ? "the query" : "ExecQueryAsync", final_hr, r.error_object);
    } else if (wbemq_progress_enabled()) {
        fprintf(stderr, "%llu objects\n", r.seen);
    }
    wbemsink_release(sink);           /* no callback runs after this */
    if (r.error_object) IWbemClassObject_Release(r.error_object);
    wbemq_out_destroy(r.out);
    return rc;
}

int wmain(int argc, wchar_t **argv)
{
    wbemq_args a;
    int parsed = wbemq_parse_args(argc, argv, &a);
    if (parsed) return parsed > 0 ? 0 : 2;

    _setmode(_fileno(stdout), _O_BINARY);   /* UTF-8 bytes, "\n" line ends */
    if (GetFileType(GetStdHandle(STD_OUTPUT_HANDLE)) == FILE_TYPE_CHAR) SetConsoleOutputCP(CP_UTF8);
    wbemq_progress_init();
    g_stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    SetConsoleCtrlHandler(on_ctrl, TRUE);

    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) return report("CoInitializeEx", hr, NULL);
    CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
                         RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL);
    IWbemLocator *locator = NULL;
    IWbemServices *services = NULL;
    int rc;
    hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER, &IID_IWbemLocator,
                          (void **)&locator);
    if (FAILED(hr)) {
        rc = report("CoCreateInstance(WbemLocator)", hr, NULL);
    } else {
        BSTR ns = SysAllocString(a.ns);
        hr = IWbemLocator_ConnectServer(locator, ns, NULL, NULL, NULL, 0, NULL, NULL, &services);
        SysFreeString(ns);
        if (FAILED(hr)) {
            rc = report("connecting to the namespace", hr, NULL);
        } else {
            rc = query(services, &a);
            IWbemServices_Release(services);
        }
        IWbemLocator_Release(locator);
    }
    CoUninitialize();
    CloseHandle(g_stop);
    return rc;
}
