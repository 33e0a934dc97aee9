/* Helpers of the end-to-end tests; see test_e2e_common.h. */
#include "test_e2e_common.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

const wbemsink_mode e2e_modes[E2E_MODES] = {WBEMSINK_MODE_INLINE, WBEMSINK_MODE_THREAD,
                                            WBEMSINK_MODE_PULL};
const char *const e2e_mode_names[E2E_MODES] = {"inline", "thread", "pull"};

int e2e_com_setup(void **state)
{
    (void)state;
    test_print_platform();
    if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED))) return -1;
    wbemsink_init_security();      /* RPC_E_TOO_LATE in a later group: fine */
    return 0;
}

int e2e_com_teardown(void **state)
{
    (void)state;
    CoUninitialize();
    return 0;
}

IWbemServices *e2e_connect(const wchar_t *ns)
{
    wbemsink_connection *c = NULL;
    assert_hr(wbemsink_connect(ns, NULL, &c), S_OK);
    /* The caller's own reference; the connection (no identity to keep for
       a local one) is not needed after. */
    IWbemServices *svc = wbemsink_connection_services(c);
    IWbemServices_AddRef(svc);
    wbemsink_connection_release(c);
    return svc;
}

/* ---- rows ---- */

static void append(wchar_t **buf, size_t *len, size_t *cap, const wchar_t *s)
{
    size_t n = wcslen(s);
    if (*len + n + 1 > *cap) {
        while (*len + n + 1 > *cap) *cap = *cap ? *cap * 2 : 128;
        *buf = realloc(*buf, *cap * sizeof(wchar_t));
        assert_non_null(*buf);
    }
    memcpy(*buf + *len, s, n * sizeof(wchar_t));
    *len += n;
    (*buf)[*len] = 0;
}

static void append_scalar(wchar_t **buf, size_t *len, size_t *cap, VARIANT *v)
{
    VARIANT s;
    VariantInit(&s);
    if (V_VT(v) == VT_NULL || V_VT(v) == VT_EMPTY)
        append(buf, len, cap, L"NULL");
    else if (SUCCEEDED(VariantChangeType(&s, v, 0, VT_BSTR)) && V_BSTR(&s))
        append(buf, len, cap, V_BSTR(&s));
    else
        append(buf, len, cap, L"?");
    VariantClear(&s);
}

void e2e_rows_add(e2e_rows *r, IWbemClassObject *obj)
{
    wchar_t *buf = NULL;
    size_t len = 0, cap = 0;
    BSTR name;
    VARIANT v;
    append(&buf, &len, &cap, L"");
    assert_hr(IWbemClassObject_BeginEnumeration(obj, WBEM_FLAG_NONSYSTEM_ONLY), S_OK);
    while (IWbemClassObject_Next(obj, 0, &name, &v, NULL, NULL) == WBEM_S_NO_ERROR) {
        append(&buf, &len, &cap, name);
        append(&buf, &len, &cap, L"=");
        if (V_VT(&v) & VT_ARRAY) {
            LONG lo = 0, hi = -1;
            SafeArrayGetLBound(V_ARRAY(&v), 1, &lo);
            SafeArrayGetUBound(V_ARRAY(&v), 1, &hi);
            append(&buf, &len, &cap, L"[");
            for (LONG i = lo; i <= hi; i++) {
                VARIANT e;
                VariantInit(&e);
                if (SUCCEEDED(SafeArrayGetElement(V_ARRAY(&v), &i, &e.llVal))) {
                    V_VT(&e) = V_VT(&v) & VT_TYPEMASK;
                    append_scalar(&buf, &len, &cap, &e);
                    VariantClear(&e);
                }
                append(&buf, &len, &cap, L",");
            }
            append(&buf, &len, &cap, L"]");
        } else {
            append_scalar(&buf, &len, &cap, &v);
        }
        append(&buf, &len, &cap, L";");
        VariantClear(&v);
        SysFreeString(name);
    }
    IWbemClassObject_EndEnumeration(obj);
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->text = realloc(r->text, r->cap * sizeof(*r->text));
        assert_non_null(r->text);
    }
    r->text[r->n++] = buf;
}

void e2e_rows_free(e2e_rows *r)
{
    for (size_t i = 0; i < r->n; i++) free(r->text[i]);
    free(r->text);
    memset(r, 0, sizeof(*r));
}

long e2e_rows_find(const e2e_rows *r, const wchar_t *needle)
{
    size_t n = wcslen(needle);
    for (size_t i = 0; i < r->n; i++)
        for (const wchar_t *p = r->text[i]; *p; p++)
            if (!_wcsnicmp(p, needle, n)) return (long)i;
    return -1;
}

void e2e_assert_rows_equal(const e2e_rows *a, const e2e_rows *b)
{
    for (size_t i = 0; i < a->n && i < b->n; i++)
        if (wcscmp(a->text[i], b->text[i])) {
            print_error("row %u differs:\n  %ls\n  %ls\n", (unsigned)i, a->text[i], b->text[i]);
            fail();
        }
    assert_int_equal(a->n, b->n);
}

/* ---- queries ---- */

HRESULT e2e_sync_query(IWbemServices *svc, const wchar_t *wql, e2e_rows *out)
{
    IEnumWbemClassObject *e = NULL;
    BSTR lang = SysAllocString(L"WQL"), q = SysAllocString(wql);
    HRESULT hr = IWbemServices_ExecQuery(svc, lang, q,
                                         WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY,
                                         NULL, &e);
    SysFreeString(lang);
    SysFreeString(q);
    if (FAILED(hr)) return hr;
    for (;;) {
        IWbemClassObject *obj = NULL;
        ULONG got = 0;
        hr = IEnumWbemClassObject_Next(e, 10000, 1, &obj, &got);
        if (FAILED(hr) || got == 0) break;
        e2e_rows_add(out, obj);
        IWbemClassObject_Release(obj);
    }
    IEnumWbemClassObject_Release(e);
    return FAILED(hr) ? hr : S_OK;
}

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objs, LONG count)
{
    e2e_async *a = ctx;
    for (LONG i = 0; i < count; i++) e2e_rows_add(&a->rows, objs[i]);
    return S_OK;
}

static void on_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    e2e_async *a = ctx;
    (void)param;
    (void)err;
    a->completes++;
    a->complete_hr = hr;
}

/* Status reports other than the completion: counted, with what must hold
   of them whoever sends them (checked in e2e_async_finish). */
static void on_progress(void *ctx, unsigned current, unsigned total, const wchar_t *msg)
{
    e2e_async *a = ctx;
    (void)msg;
    a->progress++;
    if (a->completes) a->status_after_complete++;
    if (current > 0xFFFF || total > 0xFFFF) a->progress_out_of_range++;   /* LOWORD / HIWORD */
}

static void on_requirements(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *obj)
{
    e2e_async *a = ctx;
    (void)hr;
    (void)param;
    (void)obj;
    a->requirements++;
    if (a->completes) a->status_after_complete++;
}

static void on_other_status(void *ctx, LONG flags, HRESULT hr, const wchar_t *param, IWbemClassObject *obj)
{
    e2e_async *a = ctx;
    (void)hr;
    (void)param;
    (void)obj;
    a->other_status++;
    if (a->completes) a->status_after_complete++;
    /* COMPLETE, REQUIREMENTS and PROGRESS have callbacks of their own */
    if (flags == WBEM_STATUS_COMPLETE || flags == WBEM_STATUS_REQUIREMENTS || flags == WBEM_STATUS_PROGRESS)
        a->other_status_misrouted++;
}

static wbemsink_callbacks e2e_callbacks(e2e_async *a)
{
    wbemsink_callbacks cb = {0};
    cb.context = a;
    cb.on_objects = on_objects;
    cb.on_complete = on_complete;
    cb.on_progress = on_progress;
    cb.on_requirements = on_requirements;
    cb.on_other_status = on_other_status;
    return cb;
}

HRESULT e2e_async_start(e2e_async *a, IWbemServices *svc, const wchar_t *wql, wbemsink_mode mode,
                        wbemsink_dispatcher *dispatcher)
{
    memset(a, 0, sizeof(*a));
    a->mode = mode;
    wbemsink_callbacks cb = e2e_callbacks(a);
    wbemsink_options o = opts(mode, 0, WBEMSINK_FULL_WAIT, 0);
    if (mode == WBEMSINK_MODE_THREAD) o.dispatcher = dispatcher;   // THREAD mode only
    assert_hr(wbemsink_create(&cb, &o, &a->sink), S_OK);
    BSTR lang = SysAllocString(L"WQL"), q = SysAllocString(wql);
    a->exec_hr = IWbemServices_ExecQueryAsync(svc, lang, q, WBEM_FLAG_SEND_STATUS, NULL,
                                              wbemsink_interface(a->sink));
    SysFreeString(lang);
    SysFreeString(q);
    return a->exec_hr;
}

HRESULT e2e_paced_start(e2e_async *a, IWbemServices *svc, const wchar_t *wql, wbemsink_mode mode,
                        unsigned capacity, ULONG batch)
{
    memset(a, 0, sizeof(*a));
    a->mode = mode;
    wbemsink_callbacks cb = e2e_callbacks(a);
    wbemsink_options o = opts(mode, capacity, WBEMSINK_FULL_WAIT, 0);
    assert_hr(wbemsink_create(&cb, &o, &a->sink), S_OK);
    a->exec_hr = wbemsink_exec_query_paced(a->sink, svc, wql, 0, NULL, batch);
    return a->exec_hr;
}

HRESULT e2e_async_finish(e2e_async *a)
{
    HRESULT final_hr = E_UNEXPECTED;
    if (FAILED(a->exec_hr)) {
        /* WMI refused the call without touching the sink. */
        assert_hr(wbemsink_wait(a->sink, 0, NULL), WBEM_S_TIMEDOUT);
        assert_int_equal(a->completes, 0);
        final_hr = a->exec_hr;
    } else if (a->mode == WBEMSINK_MODE_PULL) {
        IWbemClassObject *obj;
        HRESULT hr;
        while ((hr = wbemsink_next(a->sink, 30000, &obj)) == S_OK) {
            e2e_rows_add(&a->rows, obj);
            IWbemClassObject_Release(obj);
        }
        assert_hr(wbemsink_wait(a->sink, 0, &final_hr), S_OK);
        /* The loop ends on the operation's result, or WBEM_S_NO_MORE_DATA
           when it is a clean one. */
        assert_hr(hr, FAILED(final_hr) || final_hr == WBEMSINK_S_OBJECTS_DROPPED ? final_hr
                                                                                : WBEM_S_NO_MORE_DATA);
        assert_int_equal(a->completes, 1);
        assert_hr(a->complete_hr, final_hr);
    } else {
        assert_hr(wbemsink_wait(a->sink, 30000, &final_hr), S_OK);
        assert_int_equal(a->completes, 1);
        assert_hr(a->complete_hr, final_hr);
    }
    wbemsink_stats st;
    assert_hr(wbemsink_get_stats(a->sink, &st), S_OK);
    assert_true(st.received == st.delivered + st.dropped);
    assert_int_equal(st.dropped, 0);
    assert_int_equal(st.queued, 0);
    assert_int_equal(st.delivered, a->rows.n);
    assert_int_equal(st.invalid_calls, 0);
    e2e_assert_status_reports(a);
    return final_hr;
}

void e2e_assert_status_reports(const e2e_async *a)
{
    if (a->progress || a->requirements || a->other_status)
        print_message("    status reports: %d progress, %d requirements, %d other\n", a->progress,
                      a->requirements, a->other_status);
    if (test_is_wine()) {
        /* Wine 8's wbemprox sends nothing but the final SetStatus, even
           with WBEM_FLAG_SEND_STATUS. */
        assert_int_equal(a->progress, 0);
        assert_int_equal(a->requirements, 0);
        assert_int_equal(a->other_status, 0);
    } else {
        /* Windows: WBEM_FLAG_SEND_STATUS only asks; the provider need not
           send progress (IWbemServices::ExecQueryAsync, lFlags; [MS-WMI]
           3.1.4.3.19: the server MAY make intermediate SetStatus calls), so
           none is required here. What does come must decode as the
           IWbemObjectSink::SetStatus page says (WBEM_STATUS_PROGRESS: the
           LOWORD of hResult is the progress, the HIWORD the total) and, like
           every callback, come before the completion. */
        assert_int_equal(a->progress_out_of_range, 0);
        assert_int_equal(a->other_status_misrouted, 0);
    }
    /* Both: nothing after on_complete (the library's contract). */
    assert_int_equal(a->status_after_complete, 0);
}

ULONG e2e_settle_refs(wbemsink *s)
{
    /* WMI's worker thread may still be on its way out of SetStatus (and
       about to Release the sink) when wbemsink_wait returns. */
    return settled_sink_refs(s);
}

void e2e_async_release(e2e_async *a)
{
    /* Wine keeps the sink until the services is released (or
       CancelAsyncCall); real Windows lets go after the final SetStatus.
       Either way the caller's reference is the only one left now. */
    assert_int_equal(e2e_settle_refs(a->sink), 1);
    wbemsink_release(a->sink);
    a->sink = NULL;
    e2e_rows_free(&a->rows);
}

HRESULT e2e_query(const wchar_t *ns, const wchar_t *wql, wbemsink_mode mode, e2e_rows *out)
{
    IWbemServices *svc = e2e_connect(ns);
    e2e_async a;
    e2e_async_start(&a, svc, wql, mode, NULL);
    HRESULT hr = e2e_async_finish(&a);
    IWbemServices_Release(svc);
    *out = a.rows;                     /* the caller frees them */
    memset(&a.rows, 0, sizeof(a.rows));
    e2e_async_release(&a);
    return hr;
}
