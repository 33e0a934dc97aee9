/* Paced delivery end to end against the machine's WMI (under Wine:
   wbemprox, whose NextAsync answers E_NOTIMPL, so the Next fallback runs):
   the rows equal a synchronous ExecQuery's, object for object, in every
   delivery mode and with queues smaller than the result; exactly one
   completion; cancel and release mid-way, from the test and from inside a
   callback; a deadline; a slow consumer with a tiny queue. */
#include "test_e2e_common.h"
#include <string.h>

#define SERVICES E2E_STABLE_SERVICES

static void paced_equals_sync(const wchar_t *wql, unsigned capacity, ULONG batch)
{
    for (int m = 0; m < E2E_MODES; m++) {
        IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
        e2e_rows sync = { 0 };
        HRESULT sync_hr = e2e_sync_query(svc, wql, &sync);
        e2e_async a;
        assert_hr(e2e_paced_start(&a, svc, wql, e2e_modes[m], capacity, batch), S_OK);
        HRESULT hr = e2e_async_finish(&a);
        print_message("%s %ls capacity %u batch %lu: %lu rows, 0x%08lx\n", e2e_mode_names[m], wql, capacity,
                      (unsigned long)batch, (unsigned long)a.rows.n, (unsigned long)hr);
        assert_hr(hr, sync_hr);
        e2e_assert_rows_equal(&a.rows, &sync);
        wbemsink_stats st;
        assert_hr(wbemsink_get_stats(a.sink, &st), S_OK);
        if (capacity) assert_true(st.high_water <= capacity);
        IWbemServices_Release(svc);
        e2e_async_release(&a);   /* asserts nobody else holds the sink */
        e2e_rows_free(&sync);
    }
}

static void services_paced_equals_sync(void **state)
{
    (void)state;
    paced_equals_sync(SERVICES, 0, 0);
    paced_equals_sync(SERVICES, 4, 3);     /* the queue far smaller than the result */
    paced_equals_sync(SERVICES, 1, 1);
}

static void operating_system_paced_equals_sync(void **state)
{
    (void)state;
    paced_equals_sync(L"SELECT Caption, Version FROM Win32_OperatingSystem", 0, 0);
}

static void malformed_query_fails_once(void **state)
{
    (void)state;
    for (int m = 0; m < E2E_MODES; m++) {
        IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
        e2e_rows sync = { 0 };
        HRESULT sync_hr = e2e_sync_query(svc, L"SELEC nothing FROM", &sync);
        assert_true(FAILED(sync_hr));
        e2e_async a;
        assert_hr(e2e_paced_start(&a, svc, L"SELEC nothing FROM", e2e_modes[m], 0, 0), S_OK);
        assert_hr(e2e_async_finish(&a), sync_hr);
        assert_int_equal(a.rows.n, 0);
        IWbemServices_Release(svc);
        e2e_async_release(&a);
        e2e_rows_free(&sync);
    }
}

/* ---- a slow consumer that may stop the operation ------------------------ */

typedef struct slow {
    wbemsink *s;
    volatile LONG objects, completes, returned;
    HRESULT final;
    DWORD sleep_ms;
    LONG stop_after;     /* > 0: cancel (or release) once that many arrived */
    int release;
} slow;

static HRESULT slow_objects(void *ctx, IWbemClassObject *const *objs, LONG count)
{
    slow *w = ctx;
    (void)objs;
    Sleep(w->sleep_ms);
    LONG n = InterlockedExchangeAdd(&w->objects, count) + count;
    if (w->stop_after > 0 && n >= w->stop_after && n - count < w->stop_after) {
        if (w->release) wbemsink_release(w->s);
        else wbemsink_cancel(w->s, NULL);
        InterlockedExchange(&w->returned, 1);
    }
    return S_OK;
}

static void slow_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    slow *w = ctx;
    (void)param;
    (void)err;
    w->final = hr;
    InterlockedIncrement(&w->completes);
}

static wbemsink *slow_sink(slow *w, unsigned capacity, unsigned timeout_ms)
{
    wbemsink_callbacks cb = { 0 };
    cb.context = w;
    cb.on_objects = slow_objects;
    cb.on_complete = slow_complete;
    wbemsink_options o = opts(WBEMSINK_MODE_THREAD, capacity, WBEMSINK_FULL_DROP_NEWEST, 0);
    o.timeout_ms = timeout_ms;
    assert_hr(wbemsink_create(&cb, &o, &w->s), S_OK);
    return w->s;
}

/* A consumer far slower than WMI and a queue of 2: nothing dropped (under
   DROP_NEWEST, which drops the moment the queue is full), nothing more than
   2 queued, every row. */
static void slow_consumer_tiny_queue(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    e2e_rows sync = { 0 };
    assert_hr(e2e_sync_query(svc, SERVICES, &sync), S_OK);
    slow w = { 0 };
    w.sleep_ms = 5;
    wbemsink *s = slow_sink(&w, 2, 0);
    assert_hr(wbemsink_exec_query_paced(s, svc, SERVICES, 0, NULL, 0), S_OK);
    HRESULT final;
    assert_hr(wbemsink_wait(s, 30000, &final), S_OK);
    assert_hr(final, S_OK);
    assert_int_equal(w.completes, 1);
    assert_int_equal(w.objects, sync.n);
    wbemsink_stats st;
    assert_hr(wbemsink_get_stats(s, &st), S_OK);
    assert_int_equal(st.dropped, 0);
    assert_true(st.high_water <= 2);
    assert_int_equal(e2e_settle_refs(s), 1);
    wbemsink_release(s);
    IWbemServices_Release(svc);
    e2e_rows_free(&sync);
}

static void stop_mid_way(int release, int from_callback)
{
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    e2e_rows sync = { 0 };
    assert_hr(e2e_sync_query(svc, SERVICES, &sync), S_OK);
    assert_true(sync.n > 6);
    slow w = { 0 };
    w.sleep_ms = 20;
    w.release = release;
    if (from_callback) w.stop_after = 3;
    wbemsink *s = slow_sink(&w, 1, 0);
    assert_hr(wbemsink_exec_query_paced(s, svc, SERVICES, 0, NULL, 1), S_OK);
    if (!from_callback) {
        for (int i = 0; i < 2000 && w.objects < 3; i++) Sleep(5);
        if (release) wbemsink_release(s);
        else assert_hr(wbemsink_cancel(s, NULL), S_OK);   /* no services bound: still S_OK */
    }
    if (!release) {
        HRESULT final;
        assert_hr(wbemsink_wait(s, 30000, &final), S_OK);
        assert_hr(final, WBEM_E_CALL_CANCELLED);
        assert_int_equal(w.completes, 1);
        assert_int_equal(e2e_settle_refs(s), 1);
        wbemsink_release(s);
    } else {
        for (int i = 0; i < 2000 && from_callback && !w.returned; i++) Sleep(5);
        Sleep(300);   /* the worker, if it were still asking, would deliver */
        assert_true(w.completes <= 1);
    }
    assert_true((size_t)w.objects < sync.n);
    IWbemServices_Release(svc);
    e2e_rows_free(&sync);
}

static void cancel_mid_way(void **state)
{
    (void)state;
    stop_mid_way(0, 0);
    stop_mid_way(0, 1);
}

static void release_mid_way(void **state)
{
    (void)state;
    stop_mid_way(1, 0);
    stop_mid_way(1, 1);
}

static void deadline(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    slow w = { 0 };
    w.sleep_ms = 100;
    wbemsink *s = slow_sink(&w, 1, 300);
    assert_hr(wbemsink_exec_query_paced(s, svc, SERVICES, 0, NULL, 1), S_OK);
    HRESULT final;
    assert_hr(wbemsink_wait(s, 30000, &final), S_OK);
    assert_hr(final, WBEM_E_TIMED_OUT);
    assert_int_equal(w.completes, 1);
    assert_true(w.objects < 10);
    assert_int_equal(e2e_settle_refs(s), 1);
    wbemsink_release(s);
    IWbemServices_Release(svc);
}

/* From a single-threaded apartment: the enumerator is handed to the
   worker in the MTA (marshaled where it can be), and the wait pumps the
   apartment's messages meanwhile. */
typedef struct sta_run {
    size_t rows, sync_rows;
    HRESULT final, sync_hr;
    int completes;
} sta_run;

static DWORD WINAPI sta_thread(void *arg)
{
    sta_run *r = arg;
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    e2e_rows sync = { 0 };
    r->sync_hr = e2e_sync_query(svc, SERVICES, &sync);
    r->sync_rows = sync.n;
    slow w = { 0 };
    wbemsink *s = slow_sink(&w, 4, 0);
    wbemsink_exec_query_paced(s, svc, SERVICES, 0, NULL, 0);
    r->final = E_UNEXPECTED;
    wbemsink_wait(s, 30000, &r->final);
    r->rows = (size_t)w.objects;
    r->completes = (int)w.completes;
    e2e_settle_refs(s);
    wbemsink_release(s);
    IWbemServices_Release(svc);
    e2e_rows_free(&sync);
    CoUninitialize();
    return 0;
}

static void from_an_sta(void **state)
{
    (void)state;
    sta_run r = { 0 };
    HANDLE t = CreateThread(NULL, 0, sta_thread, &r, 0, NULL);
    assert_non_null(t);
    assert_int_equal(WaitForSingleObject(t, 60000), WAIT_OBJECT_0);
    CloseHandle(t);
    assert_hr(r.sync_hr, S_OK);
    assert_hr(r.final, S_OK);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.rows, r.sync_rows);
}

/* IEnumWbemClassObject::NextAsync itself, on the enumerator of a
   semisynchronous ExecQuery (what paced delivery asks first):
   - Wine 8: E_NOTIMPL, the sink never touched (which is why the tests
     above run through the library's Next fallback there);
   - Windows (IEnumWbemClassObject::NextAsync): WBEM_S_NO_ERROR when the
     sink will be used, then Indicate for what is available and one final
     SetStatus (WBEM_S_NO_ERROR when the count was met, else WBEM_S_FALSE or
     an error); WBEM_S_FALSE with the sink untouched when nothing remains.
     Asked for 1 object of a one-row class: exactly one completion with a
     success code and at most that one object. */
static void next_async_of_the_platform(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    IEnumWbemClassObject *en = NULL;
    BSTR lang = SysAllocString(L"WQL"), q = SysAllocString(L"SELECT Caption FROM Win32_OperatingSystem");
    assert_hr(IWbemServices_ExecQuery(svc, lang, q, WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY, NULL,
                                      &en),
              S_OK);
    SysFreeString(lang);
    SysFreeString(q);
    wbemsink *s = NULL;
    wbemsink_options o = opts(WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    slow w = { 0 };
    wbemsink_callbacks cb = { 0 };
    cb.context = &w;
    cb.on_objects = slow_objects;
    cb.on_complete = slow_complete;
    assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
    HRESULT hr = IEnumWbemClassObject_NextAsync(en, 1, wbemsink_interface(s));
    print_message("    NextAsync(1): 0x%08lX\n", (unsigned long)hr);
    if (test_is_wine()) {
        assert_hr(hr, E_NOTIMPL);
        assert_hr(wbemsink_wait(s, 0, NULL), WBEM_S_TIMEDOUT);
        assert_int_equal(w.completes, 0);
        assert_int_equal(sink_refs(s), 1);
    } else if (hr == WBEM_S_FALSE) {
        assert_hr(wbemsink_wait(s, 0, NULL), WBEM_S_TIMEDOUT);   /* sink ignored */
        assert_int_equal(w.completes, 0);
    } else {
        assert_hr(hr, WBEM_S_NO_ERROR);
        HRESULT final = E_UNEXPECTED;
        assert_hr(wbemsink_wait(s, 30000, &final), S_OK);
        assert_true(final == WBEM_S_NO_ERROR || final == WBEM_S_FALSE);
        assert_int_equal(w.completes, 1);
        assert_true(w.objects <= 1);
    }
    IEnumWbemClassObject_Release(en);
    IWbemServices_Release(svc);
    assert_int_equal(e2e_settle_refs(s), 1);
    wbemsink_release(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(services_paced_equals_sync),
        cmocka_unit_test(operating_system_paced_equals_sync),
        cmocka_unit_test(malformed_query_fails_once),
        cmocka_unit_test(slow_consumer_tiny_queue),
        cmocka_unit_test(cancel_mid_way),
        cmocka_unit_test(release_mid_way),
        cmocka_unit_test(deadline),
        cmocka_unit_test(from_an_sta),
        cmocka_unit_test(next_async_of_the_platform),
    };
    return cmocka_run_group_tests(tests, e2e_com_setup, e2e_com_teardown);
}
