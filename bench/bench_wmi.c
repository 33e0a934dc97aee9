/* Figure 5: end to end on the real WMI (Wine's wbemprox here):
   ExecQueryAsync("SELECT * FROM Win32_Process") through wbemsink in each
   delivery mode, against a bare sink that does nothing in Indicate and
   signals an event on completion. Each query gets a fresh connection
   (wbemsink_connect: Wine allows one pending async call per services
   pointer and keeps the sink until the services' last Release); connecting
   is not timed. Time: from the start of the call (wbemsink_exec_query for
   wbemsink, which also copies the query into BSTRs and binds the services;
   ExecQueryAsync for the bare sink) to completion seen by the caller
   (wbemsink_wait, the bare sink's event, or the end of wbemsink_next's
   loop). The kinds
   take turns within each repetition, so drift hits all alike.

   THREAD mode runs twice: with default options (the process-wide
   dispatcher, started with the first sink) and on one dispatcher that the
   benchmark creates for all queries.

   usage: bench_wmi [repetitions] */
#include "bench.h"
#include <wbemsink.h>
#include <stdio.h>
#include <stdlib.h>

enum kind { K_BARE, K_THREAD, K_SHARED, K_INLINE, K_PULL, K_COUNT };
static const char *const kind_names[] = {"bare", "thread", "thread (shared dispatcher)", "inline", "pull"};
#define WARMUP 3

/* ---- the bare sink ---------------------------------------------------- */

typedef struct bare_sink {
    IWbemObjectSink iface;
    volatile LONG refs;
    HANDLE done;
    LONG rows;
} bare_sink;

static ULONG STDMETHODCALLTYPE bare_AddRef(IWbemObjectSink *iface)
{
    return (ULONG)InterlockedIncrement(&((bare_sink *)iface)->refs);
}

static ULONG STDMETHODCALLTYPE bare_Release(IWbemObjectSink *iface)
{
    bare_sink *s = (bare_sink *)iface;
    LONG r = InterlockedDecrement(&s->refs);
    if (!r) {
        CloseHandle(s->done);
        free(s);
    }
    return (ULONG)r;
}

static HRESULT STDMETHODCALLTYPE bare_QueryInterface(IWbemObjectSink *iface, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemObjectSink)) {
        *ppv = iface;
        bare_AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static HRESULT STDMETHODCALLTYPE bare_Indicate(IWbemObjectSink *iface, LONG count, IWbemClassObject **objs)
{
    (void)objs;
    ((bare_sink *)iface)->rows += count;
    return WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE bare_SetStatus(IWbemObjectSink *iface, LONG flags, HRESULT hr, BSTR param,
                                                IWbemClassObject *obj)
{
    (void)hr; (void)param; (void)obj;
    if (flags == WBEM_STATUS_COMPLETE) SetEvent(((bare_sink *)iface)->done);
    return WBEM_S_NO_ERROR;
}

static IWbemObjectSinkVtbl bare_vtbl = {
    bare_QueryInterface, bare_AddRef, bare_Release, bare_Indicate, bare_SetStatus,
};

/* ---- queries ---------------------------------------------------------- */

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objects, LONG count)
{
    (void)objects;
    *(LONG *)ctx += count;
    return S_OK;
}

static wbemsink_dispatcher *shared;

/* One query; returns milliseconds, or -1 on failure. *rows gets the count. */
static double one_query(enum kind kind, LONG *rows)
{
    wbemsink_connection *conn = NULL;
    HRESULT hr = wbemsink_connect(L"root\\cimv2", NULL, &conn);
    if (FAILED(hr)) return -1;
    IWbemServices *svc = wbemsink_connection_services(conn);
    BSTR lang = SysAllocString(L"WQL"), wql = SysAllocString(L"SELECT * FROM Win32_Process");

    bare_sink *bare = NULL;
    wbemsink *ws = NULL;
    IWbemObjectSink *sink = NULL;   /* the bare sink's */
    *rows = 0;
    if (kind == K_BARE) {
        bare = calloc(1, sizeof(*bare));
        bare->iface.lpVtbl = &bare_vtbl;
        bare->refs = 1;
        bare->done = CreateEventW(NULL, TRUE, FALSE, NULL);
        sink = &bare->iface;
    } else {
        wbemsink_callbacks cb = {0};
        cb.context = rows;
        cb.on_objects = on_objects;
        wbemsink_options opt = {0};
        opt.mode = kind == K_THREAD || kind == K_SHARED ? WBEMSINK_MODE_THREAD
                 : kind == K_INLINE ? WBEMSINK_MODE_INLINE : WBEMSINK_MODE_PULL;
        if (kind == K_SHARED) opt.dispatcher = shared;
        if (FAILED(wbemsink_create(&cb, &opt, &ws))) exit(2);
    }

    double ms = -1;
    int64_t t0 = bench_ticks();
    /* wbemsink: one error path (a refused call completes the sink). */
    hr = ws ? wbemsink_exec_query(ws, svc, L"SELECT * FROM Win32_Process", WBEM_FLAG_SEND_STATUS, NULL)
            : IWbemServices_ExecQueryAsync(svc, lang, wql, WBEM_FLAG_SEND_STATUS, NULL, sink);
    if (SUCCEEDED(hr)) {
        HRESULT final_hr = S_OK;
        if (kind == K_BARE) {
            WaitForSingleObject(bare->done, INFINITE);
        } else if (kind == K_PULL) {
            IWbemClassObject *o;
            while ((hr = wbemsink_next(ws, INFINITE, &o)) == S_OK) {
                (*rows)++;
                IWbemClassObject_Release(o);
            }
            /* The end: WBEM_S_NO_MORE_DATA when clean, else the result. */
            final_hr = hr == WBEM_S_NO_MORE_DATA ? S_OK : hr;
        } else {
            wbemsink_wait(ws, INFINITE, &final_hr);
        }
        int64_t t1 = bench_ticks();
        if (SUCCEEDED(final_hr)) ms = bench_ticks_to_us(t1 - t0) / 1000.0;
    }
    wbemsink_connection_release(conn);   /* Wine lets go of the sink here */
    if (bare) bare_Release(&bare->iface);
    if (ws) wbemsink_release(ws);
    SysFreeString(lang);
    SysFreeString(wql);
    return ms;
}

int main(int argc, char **argv)
{
    bench_init();
    int reps = argc > 1 ? atoi(argv[1]) : 100;
    if (reps < 1 || reps > 400) reps = 100;
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) return 2;
    wbemsink_init_security();
    wbemsink_connection *probe = NULL;
    hr = wbemsink_connect(L"root\\cimv2", NULL, &probe);
    if (FAILED(hr)) {
        const char *name = wbemsink_hresult_name(hr);
        fprintf(stderr, "bench_wmi: cannot connect to root\\cimv2: %s (0x%08lx)\n", name ? name : "?",
                (unsigned long)hr);
        return 2;
    }
    wbemsink_connection_release(probe);
    if (FAILED(wbemsink_dispatcher_create(&shared))) return 2;
    double v[K_COUNT][400];
    LONG rows[K_COUNT] = {0};
    for (int rep = -WARMUP; rep < reps; rep++) {
        for (int k = 0; k < K_COUNT; k++) {
            LONG n;
            double ms = one_query((enum kind)k, &n);
            if (ms < 0) {
                fprintf(stderr, "bench_wmi: %s query failed\n", kind_names[k]);
                return 3;
            }
            if (rep >= 0) {
                v[k][rep] = ms;
                rows[k] = n;
            }
        }
    }
    bench_mmm m[K_COUNT];
    for (int k = 0; k < K_COUNT; k++) m[k] = bench_summary(v[k], reps);
    char bare_s[64];
    bench_fmt(bare_s, sizeof bare_s, m[K_BARE], 2, "ms");
    for (int k = K_THREAD; k <= K_PULL; k++) {
        char cfg[128], cell[64], ratio[96];
        snprintf(cfg, sizeof cfg, "Win32_Process via Wine's WMI (%ld rows), %s mode, %d queries", (long)rows[k],
                 kind_names[k], reps);
        bench_fmt(cell, sizeof cell, m[k], 2, "ms");
        double x = m[k].med / m[K_BARE].med;
        snprintf(ratio, sizeof ratio, "%.3fx the bare sink", x);
        bench_row("5 real WMI", cfg, cell, "-", "-", bare_s, ratio, x <= 1.05 ? "met (<= 1.05x)" : "MISSED: > 1.05x");
    }
    wbemsink_dispatcher_release(shared);
    CoUninitialize();
    return 0;
}
