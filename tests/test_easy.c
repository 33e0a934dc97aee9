/* wbemsink_query, the one-call query, against the machine's WMI (under
   Wine: wbemprox): its rows equal a synchronous ExecQuery's (Win32_Process,
   Win32_Service) in THREAD, INLINE and paced delivery; a bad namespace and
   a malformed query come back as the return value; the callbacks'
   contract (on_complete once, last, with the returned HRESULT; every
   callback over before the call returns; none when connecting failed; a
   failing on_objects cancels); bad arguments; the deadline; COM left on
   the calling thread as it was found; and the call made from inside a
   callback of a sink on the same dispatcher (against the fake). Then,
   against the fake locator (tests/fake/fake_locator.h, registered in the
   process), what Wine cannot show: every services pointer the call got
   Released exactly once and the locator let go, on success, on a failing
   answer, a failing or unknown host, and a deadline over a host that
   never answers (cancelled at the services). */
#include "test_e2e_common.h"
#include "fake_locator.h"
#include <string.h>

/* Without Wine's WinedeviceN hosts, which come and go. */
#define PROCESSES L"SELECT Name, ProcessId FROM Win32_Process WHERE NOT Name LIKE 'winedevice%'"

typedef struct seen {
    e2e_rows rows;
    LONG objects_calls, completes, after_complete, running;
    HRESULT complete_hr;
    HRESULT objects_result;   /* what on_objects returns */
    DWORD sleep_ms;           /* per on_objects call */
} seen;

static HRESULT seen_objects(void *ctx, IWbemClassObject *const *objs, LONG count)
{
    seen *w = ctx;
    InterlockedIncrement(&w->running);
    if (w->completes) w->after_complete++;
    w->objects_calls++;
    for (LONG i = 0; i < count; i++) e2e_rows_add(&w->rows, objs[i]);
    if (w->sleep_ms) Sleep(w->sleep_ms);
    InterlockedDecrement(&w->running);
    return w->objects_result;
}

static void seen_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    seen *w = ctx;
    (void)param;
    (void)err;
    InterlockedIncrement(&w->running);
    if (w->completes) w->after_complete++;
    w->completes++;
    w->complete_hr = hr;
    Sleep(20);   /* a late on_complete must still be over before the call returns */
    InterlockedDecrement(&w->running);
}

static wbemsink_callbacks seen_callbacks(seen *w)
{
    memset(w, 0, sizeof(*w));
    wbemsink_callbacks cb = {0};
    cb.context = w;
    cb.on_objects = seen_objects;
    cb.on_complete = seen_complete;
    return cb;
}

/* One query through wbemsink_query, checked against the synchronous one. */
static void equals_sync(const wchar_t *wql, const wbemsink_query_options *o, const char *what)
{
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    e2e_rows sync = { 0 };
    assert_hr(e2e_sync_query(svc, wql, &sync), S_OK);
    IWbemServices_Release(svc);
    seen w;
    wbemsink_callbacks cb = seen_callbacks(&w);
    HRESULT hr = wbemsink_query(L"root\\cimv2", wql, &cb, o);
    print_message("%s %ls: %lu rows (sync %lu), 0x%08lx\n", what, wql, (unsigned long)w.rows.n,
                  (unsigned long)sync.n, (unsigned long)hr);
    assert_hr(hr, S_OK);
    assert_int_equal(w.completes, 1);
    assert_hr(w.complete_hr, hr);
    assert_int_equal(w.after_complete, 0);
    assert_int_equal(w.running, 0);
    assert_true(sync.n > 0);
    e2e_assert_rows_equal(&w.rows, &sync);
    e2e_rows_free(&w.rows);
    e2e_rows_free(&sync);
}

static void rows_equal_sync(void **state)
{
    (void)state;
    static const wchar_t *const queries[] = { PROCESSES, E2E_STABLE_SERVICES };
    wbemsink_options inl = opts(WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink_query_options o_inline = { .sink = &inl };
    wbemsink_query_options o_paced = { .flags = WBEMSINK_QUERY_PACED, .batch = 3 };
    for (int q = 0; q < 2; q++) {
        equals_sync(queries[q], NULL, "default (thread)");
        equals_sync(queries[q], &o_inline, "inline");
        equals_sync(queries[q], &o_paced, "paced");
    }
    /* The test's own process is among the rows. */
    seen w;
    wbemsink_callbacks cb = seen_callbacks(&w);
    assert_hr(wbemsink_query(L"root\\cimv2", PROCESSES, &cb, NULL), S_OK);
    assert_true(e2e_rows_find(&w.rows, L"test_easy.exe") >= 0);
    e2e_rows_free(&w.rows);
}

static void bad_namespace_calls_nothing(void **state)
{
    (void)state;
    seen w;
    wbemsink_callbacks cb = seen_callbacks(&w);
    assert_hr(wbemsink_query(L"root\\no_such_namespace", PROCESSES, &cb, NULL),
              WBEM_E_INVALID_NAMESPACE);
    assert_int_equal(w.objects_calls, 0);
    assert_int_equal(w.completes, 0);
}

static void malformed_query_completes_once(void **state)
{
    (void)state;
    seen w;
    wbemsink_callbacks cb = seen_callbacks(&w);
    assert_hr(wbemsink_query(L"root\\cimv2", L"SELEC nothing FROM", &cb, NULL), WBEM_E_INVALID_QUERY);
    assert_int_equal(w.objects_calls, 0);
    assert_int_equal(w.completes, 1);
    assert_hr(w.complete_hr, WBEM_E_INVALID_QUERY);
    /* No callbacks at all is allowed too. */
    assert_hr(wbemsink_query(L"root\\cimv2", L"SELEC nothing FROM", NULL, NULL), WBEM_E_INVALID_QUERY);
}

static void failing_on_objects_cancels(void **state)
{
    (void)state;
    /* INLINE: on_objects runs inside WMI's Indicate, before WMI's
       completion, so the stop it asks for is what ends the query. */
    seen w;
    wbemsink_callbacks cb = seen_callbacks(&w);
    w.objects_result = E_FAIL;
    wbemsink_options inl = opts(WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink_query_options o = { .sink = &inl };
    assert_hr(wbemsink_query(L"root\\cimv2", E2E_STABLE_SERVICES, &cb, &o), WBEM_E_CALL_CANCELLED);
    assert_int_equal(w.objects_calls, 1);   /* none after the one that failed */
    assert_int_equal(w.completes, 1);
    assert_hr(w.complete_hr, WBEM_E_CALL_CANCELLED);
    assert_int_equal(w.running, 0);
    e2e_rows_free(&w.rows);
    /* THREAD: under Wine every row and the completion are queued before
       the dispatcher runs on_objects, so the query may already have ended
       well: either way one on_complete, with what the call returns. */
    cb = seen_callbacks(&w);
    w.objects_result = E_FAIL;
    HRESULT hr = wbemsink_query(L"root\\cimv2", E2E_STABLE_SERVICES, &cb, NULL);
    print_message("thread mode, on_objects failing: 0x%08lx after %ld call(s)\n", (unsigned long)hr,
                  (long)w.objects_calls);
    assert_true(hr == S_OK || hr == (HRESULT)WBEM_E_CALL_CANCELLED);
    assert_int_equal(w.completes, 1);
    assert_hr(w.complete_hr, hr);
    assert_int_equal(w.after_complete, 0);
    e2e_rows_free(&w.rows);
}

static void bad_arguments(void **state)
{
    (void)state;
    seen w;
    wbemsink_callbacks cb = seen_callbacks(&w);
    assert_hr(wbemsink_query(NULL, PROCESSES, &cb, NULL), E_POINTER);
    assert_hr(wbemsink_query(L"root\\cimv2", NULL, &cb, NULL), E_POINTER);
    wbemsink_options pull = opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink_query_options o = { .sink = &pull };
    assert_hr(wbemsink_query(L"root\\cimv2", PROCESSES, &cb, &o), E_INVALIDARG);
    wbemsink_query_options unknown = { .flags = 0x100 };
    assert_hr(wbemsink_query(L"root\\cimv2", PROCESSES, &cb, &unknown), E_INVALIDARG);
    wbemsink_options huge = opts(WBEMSINK_MODE_THREAD, WBEMSINK_MAX_CAPACITY + 1, WBEMSINK_FULL_WAIT, 0);
    wbemsink_query_options too_big = { .sink = &huge };
    assert_hr(wbemsink_query(L"root\\cimv2", PROCESSES, &cb, &too_big), E_INVALIDARG);
    assert_int_equal(w.objects_calls, 0);
    assert_int_equal(w.completes, 0);
    /* The caller's own security and a zeroed options struct: as NULL. */
    wbemsink_query_options own = { .flags = WBEMSINK_QUERY_OWN_SECURITY };
    assert_hr(wbemsink_query(L"root\\cimv2", PROCESSES, &cb, &own), S_OK);
    assert_int_equal(w.completes, 1);
    e2e_rows_free(&w.rows);
}

static void deadline(void **state)
{
    (void)state;
    /* Paced into a queue of 1 with a consumer of 50 ms a row: about 20
       services take a second; the deadline passes long before. */
    seen w;
    wbemsink_callbacks cb = seen_callbacks(&w);
    w.sleep_ms = 50;
    wbemsink_options one = opts(WBEMSINK_MODE_THREAD, 1, WBEMSINK_FULL_WAIT, 0);
    one.timeout_ms = 60000;   /* replaced by the call's timeout_ms */
    wbemsink_query_options o = { .sink = &one, .timeout_ms = 200, .flags = WBEMSINK_QUERY_PACED, .batch = 1 };
    assert_hr(wbemsink_query(L"root\\cimv2", E2E_STABLE_SERVICES, &cb, &o), WBEM_E_TIMED_OUT);
    assert_int_equal(w.completes, 1);
    assert_hr(w.complete_hr, WBEM_E_TIMED_OUT);
    assert_true(w.objects_calls < 15);
    e2e_rows_free(&w.rows);
}

/* ---- COM on the calling thread ---- */

typedef struct com_case {
    DWORD init;          /* COINIT_* the thread enters first, or ~0u for none */
    HRESULT query_hr;
    size_t rows;
    HRESULT apt_hr;      /* CoGetApartmentType after the call */
    APTTYPE apt;
    HRESULT reinit_hr;   /* CoInitializeEx(STA) after the call (thread without COM) */
} com_case;

static DWORD WINAPI com_thread(void *arg)
{
    com_case *c = arg;
    if (c->init != ~0u) CoInitializeEx(NULL, c->init);
    seen w;
    wbemsink_callbacks cb = seen_callbacks(&w);
    c->query_hr = wbemsink_query(L"root\\cimv2", E2E_STABLE_SERVICES, &cb, NULL);
    c->rows = w.rows.n;
    e2e_rows_free(&w.rows);
    if (c->init != ~0u) {
        APTTYPEQUALIFIER q;
        c->apt_hr = CoGetApartmentType(&c->apt, &q);
        CoUninitialize();
    } else {
        /* S_OK, not RPC_E_CHANGED_MODE or S_FALSE: the call left no COM
           on the thread. */
        c->reinit_hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
        if (SUCCEEDED(c->reinit_hr)) CoUninitialize();
    }
    return 0;
}

static void run_com_case(com_case *c)
{
    HANDLE t = CreateThread(NULL, 0, com_thread, c, 0, NULL);
    assert_non_null(t);
    assert_int_equal(WaitForSingleObject(t, 60000), WAIT_OBJECT_0);
    CloseHandle(t);
}

static void com_left_as_found(void **state)
{
    (void)state;
    com_case none = { .init = ~0u };
    run_com_case(&none);
    assert_hr(none.query_hr, S_OK);
    assert_true(none.rows > 0);
    assert_hr(none.reinit_hr, S_OK);

    com_case sta = { .init = COINIT_APARTMENTTHREADED };
    run_com_case(&sta);
    assert_hr(sta.query_hr, S_OK);    /* served in the caller's STA */
    assert_true(sta.rows > 0);
    assert_hr(sta.apt_hr, S_OK);
    assert_true(sta.apt == APTTYPE_STA || sta.apt == APTTYPE_MAINSTA);

    com_case mta = { .init = COINIT_MULTITHREADED };
    run_com_case(&mta);
    assert_hr(mta.query_hr, S_OK);
    assert_hr(mta.apt_hr, S_OK);
    assert_int_equal(mta.apt, APTTYPE_MTA);
}

/* ---- from inside a callback of a sink on the same dispatcher ---- */

typedef struct nested {
    HRESULT inner_hr;
    seen inner;
    int calls;
} nested;

static HRESULT nested_objects(void *ctx, IWbemClassObject *const *objs, LONG count)
{
    nested *n = ctx;
    (void)objs;
    (void)count;
    if (n->calls++ == 0) {
        wbemsink_callbacks cb = seen_callbacks(&n->inner);
        n->inner_hr = wbemsink_query(L"root\\cimv2", E2E_STABLE_SERVICES, &cb, NULL);
    }
    return S_OK;
}

static void from_a_callback_of_the_same_dispatcher(void **state)
{
    (void)state;
    nested n = { 0 };
    wbemsink_callbacks cb = { .context = &n, .on_objects = nested_objects };
    wbemsink *outer = NULL;
    assert_hr(wbemsink_create(&cb, NULL, &outer), S_OK);   /* THREAD, the shared dispatcher */
    static const fake_step script[] = { FAKE_STEP_INDICATE(1), FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END };
    IWbemServices *svc = play(outer, script, 1);
    HRESULT final_hr = E_UNEXPECTED;
    assert_hr(wbemsink_wait(outer, 60000, &final_hr), S_OK);
    assert_hr(final_hr, S_OK);
    assert_hr(n.inner_hr, WBEMSINK_E_IN_CALLBACK);
    Sleep(200);   /* nothing of the inner query may come later */
    assert_int_equal(n.inner.completes, 0);
    assert_int_equal(n.inner.running, 0);
    e2e_rows_free(&n.inner.rows);
    fake_services_wait_idle(svc);
    wbemsink_release(outer);
    fake_services_destroy(svc);
    assert_fakes_balanced();
}

/* ---- against the fake locator ---- */

/* Polls up to 10 s until f() == want. */
static int settles(fake_locator *l, LONG (*f)(fake_locator *), LONG want)
{
    for (int i = 0; i < 1000 && f(l) != want; i++) Sleep(10);
    return f(l) == want;
}

/* Every connection closed, none released too often, the locator free. */
static void assert_let_go(fake_locator *l)
{
    assert_true(settles(l, fake_locator_services_alive, 0));
    assert_int_equal(fake_locator_services_over_released(l), 0);
    assert_true(settles(l, fake_locator_refs, 0));
}

static void fake_hosts(void **state)
{
    (void)state;
    static const fake_host hosts[] = {
        { .name = L"good", .rows = 5, .answer_hr = S_OK },
        { .name = L"refusing", .rows = 2, .answer_hr = WBEM_E_ACCESS_DENIED },
        { .name = L"locked", .connect_hr = E_ACCESSDENIED },
        { .name = L"silent", .rows = 1, .hang = FAKE_HOST_HANG_ANSWER },
    };
    fake_locator *l = NULL;
    assert_hr(fake_locator_register(hosts, 4, &l), S_OK);
    seen w;
    wbemsink_callbacks cb = seen_callbacks(&w);

    assert_hr(wbemsink_query(L"\\\\good\\root\\cimv2", L"SELECT * FROM X", &cb, NULL), S_OK);
    assert_int_equal(w.rows.n, 5);
    assert_int_equal(w.completes, 1);
    assert_hr(w.complete_hr, S_OK);
    assert_let_go(l);
    e2e_rows_free(&w.rows);

    cb = seen_callbacks(&w);
    assert_hr(wbemsink_query(L"\\\\refusing\\root\\cimv2", L"SELECT * FROM X", &cb, NULL),
              WBEM_E_ACCESS_DENIED);
    assert_int_equal(w.completes, 1);
    assert_hr(w.complete_hr, WBEM_E_ACCESS_DENIED);
    assert_let_go(l);
    e2e_rows_free(&w.rows);

    cb = seen_callbacks(&w);
    assert_hr(wbemsink_query(L"\\\\locked\\root\\cimv2", L"SELECT * FROM X", &cb, NULL), E_ACCESSDENIED);
    assert_hr(wbemsink_query(L"\\\\nosuchhost\\root\\cimv2", L"SELECT * FROM X", &cb, NULL),
              WBEM_E_TRANSPORT_FAILURE);
    assert_int_equal(w.objects_calls, 0);
    assert_int_equal(w.completes, 0);
    assert_let_go(l);

    /* A host that connects and never answers: the deadline cancels the
       call at the services and the call returns. */
    cb = seen_callbacks(&w);
    LONG cancels = fake_locator_cancel_calls(l);
    wbemsink_query_options o = { .timeout_ms = 300 };
    ULONGLONG t0 = GetTickCount64();
    assert_hr(wbemsink_query(L"\\\\silent\\root\\cimv2", L"SELECT * FROM X", &cb, &o), WBEM_E_TIMED_OUT);
    assert_true(GetTickCount64() - t0 < 30000);   /* a hang guard, not a timing */
    assert_int_equal(w.completes, 1);
    assert_hr(w.complete_hr, WBEM_E_TIMED_OUT);
    assert_true(settles(l, fake_locator_cancel_calls, cancels + 1));
    assert_let_go(l);
    e2e_rows_free(&w.rows);

    fake_locator_destroy(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_equal_sync),
        cmocka_unit_test(bad_namespace_calls_nothing),
        cmocka_unit_test(malformed_query_completes_once),
        cmocka_unit_test(failing_on_objects_cancels),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(deadline),
        cmocka_unit_test(com_left_as_found),
        cmocka_unit_test(from_a_callback_of_the_same_dispatcher),
    };
    /* Last: the fake locator stands in for WMI's while it is registered. */
    const struct CMUnitTest fake[] = {
        cmocka_unit_test_setup_teardown(fake_hosts, fakes_setup, fakes_teardown),
    };
    int failed = cmocka_run_group_tests_name("wmi", tests, e2e_com_setup, e2e_com_teardown);
    failed += cmocka_run_group_tests_name("fake_locator", fake, e2e_com_setup, e2e_com_teardown);
    return failed;
}
