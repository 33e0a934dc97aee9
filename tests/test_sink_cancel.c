/* Cancellation and teardown: from another thread, from inside callbacks,
   by a callback's failure, by release; always one completion, every object
   Released once, CancelAsyncCall never made from WMI's thread. */
#include "test_support.h"
#include <string.h>

/* Bounded wait for the fake to have seen `calls` cancels and to hold no
   sink reference: deferred cancels happen on another thread. */
static void await_cancelled(IWbemServices *svc, LONG calls)
{
    for (int i = 0; i < 1000; i++) {
        if (fake_services_cancel_calls(svc) >= calls && fake_services_pending(svc) == 0) break;
        Sleep(10);
    }
    assert_int_equal(fake_services_cancel_calls(svc), calls);
    assert_int_equal(fake_services_pending(svc), 0);
    assert_int_equal(fake_services_cancel_reentrant(svc), 0);   /* never from inside WMI's call */
}

static const fake_step subscription[] = {
    FAKE_STEP_INDICATE(3), FAKE_STEP_INDICATE(1), FAKE_STEP_INDICATE(4), FAKE_STEP_INDICATE(2),
    FAKE_STEP_WAIT_CANCEL, FAKE_STEP_INDICATE(5), FAKE_STEP_END,
};

static void check_accounting(wbemsink *s)
{
    wbemsink_stats st;
    assert_hr(wbemsink_get_stats(s, &st), S_OK);
    assert_int_equal(st.received, st.delivered + st.dropped);
    assert_int_equal(st.queued, 0);
}

/* Cancel from the test's thread while the consumer is held inside its first
   callback and the rest is queued: the queue is dropped and Released. */
static void cancel_from_other_thread_drops_queue(void **state)
{
    (void)state;
    recorder r;
    recorder_init(&r);
    r.hold = CreateEventW(NULL, TRUE, FALSE, NULL);
    wbemsink_callbacks cb = recorder_callbacks(&r);
    wbemsink *s;
    assert_hr(wbemsink_create(&cb, NULL, &s), S_OK);
    IWbemServices *svc = play(s, subscription, 4);
    wbemsink_stats st;
    for (int i = 0; i < 1000; i++) {              /* all 40 in, the first batch taken */
        wbemsink_get_stats(s, &st);
        if (st.received == 40 && st.delivered > 0) break;
        Sleep(5);
    }
    assert_int_equal(st.received, 40);
    unsigned long long first = st.delivered;
    assert_hr(wbemsink_cancel(s, svc), S_OK);
    SetEvent(r.hold);
    assert_hr(wbemsink_wait(s, 10000, NULL), S_OK);
    await_cancelled(svc, 1);
    HRESULT hr;
    wbemsink_wait(s, 0, &hr);
    assert_hr(hr, WBEM_E_CALL_CANCELLED);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.events[r.n - 1].kind, EV_COMPLETE);
    assert_hr(r.events[r.n - 1].hr, WBEM_E_CALL_CANCELLED);
    assert_int_equal(r.objects, first);           /* nothing delivered after the cancel */
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.dropped, 40 - first);
    check_accounting(s);
    assert_hr(wbemsink_cancel(s, svc), S_FALSE);   /* already over */
    assert_int_equal(fake_services_cancel_calls(svc), 1);
    assert_int_equal(settled_sink_refs(s), 1);
    wbemsink_release(s);
    fake_services_destroy(svc);
    CloseHandle(r.hold);
    recorder_free(&r);
}

/* A failing on_objects asks to stop: the sink completes with
   WBEM_E_CALL_CANCELLED and calls CancelAsyncCall from another thread, in
   INLINE mode (callback on WMI's thread) and THREAD mode alike. */
static void callback_failure_stops_operation(void **state)
{
    (void)state;
    wbemsink_mode modes[] = { WBEMSINK_MODE_INLINE, WBEMSINK_MODE_THREAD };
    for (int m = 0; m < 2; m++) {
        recorder r;
        recorder_init(&r);
        r.fail_after = 1;
        r.objects_result = E_ABORT;
        wbemsink_callbacks cb = recorder_callbacks(&r);
        wbemsink_options o = opts(modes[m], 0, WBEMSINK_FULL_WAIT, 0);
        wbemsink *s;
        assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
        IWbemServices *svc = fake_services_create();
        assert_hr(wbemsink_bind_services(s, svc), S_OK);
        fake_services_destroy(play(s, (fake_step[]){ FAKE_STEP_END }, 1));   /* harmless warm-up */
        fake_services_script(svc, subscription, 1);
        BSTR l = SysAllocString(L"WQL"), q = SysAllocString(L"q");
        assert_hr(IWbemServices_ExecNotificationQueryAsync(svc, l, q, 0, NULL, wbemsink_interface(s)),
                  S_OK);
        SysFreeString(l);
        SysFreeString(q);
        HRESULT hr;
        assert_hr(wbemsink_wait(s, 10000, &hr), S_OK);
        assert_hr(hr, WBEM_E_CALL_CANCELLED);
        await_cancelled(svc, 1);
        assert_int_equal(r.completes, 1);
        assert_int_equal(recorder_find(&r, EV_OBJECTS), 0);
        check_accounting(s);
        assert_int_equal(settled_sink_refs(s), 1);   /* the deferred cancel lets go */
        wbemsink_release(s);
        assert_int_equal(fake_services_refs(svc), 1);   /* the sink let go of it */
        fake_services_destroy(svc);
        recorder_free(&r);
        assert_fakes_balanced();
    }
}

/* wbemsink_cancel from inside on_objects on WMI's thread: deferred, no
   deadlock, completion follows the running callback. */
static void cancel_inside_callback_is_deferred(void **state)
{
    (void)state;
    recorder r;
    wbemsink_options o = opts(WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s = recorded_sink(&r, &o);
    IWbemServices *svc = fake_services_create();
    r.cancel_in_objects = &s;
    r.cancel_services = svc;
    r.inner_cancel_hr = E_FAIL;
    fake_services_script(svc, subscription, 1);
    BSTR l = SysAllocString(L"WQL"), q = SysAllocString(L"q");
    assert_hr(IWbemServices_ExecQueryAsync(svc, l, q, 0, NULL, wbemsink_interface(s)), S_OK);
    SysFreeString(l);
    SysFreeString(q);
    assert_hr(wbemsink_wait(s, 10000, NULL), S_OK);
    await_cancelled(svc, 1);
    assert_hr(r.inner_cancel_hr, S_OK);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.objects, 3);           /* the first batch, then nothing */
    check_accounting(s);
    wbemsink_release(s);
    fake_services_destroy(svc);
    recorder_free(&r);
}

/* Cancel with no services at all still ends the operation locally. */
static void cancel_without_services(void **state)
{
    (void)state;
    wbemsink *s;
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    IWbemClassObject *objs[4];
    make_objects(objs, 4);
    IWbemObjectSink *sink = wbemsink_interface(s);
    assert_hr(IWbemObjectSink_Indicate(sink, 4, objs), WBEM_S_NO_ERROR);
    assert_hr(wbemsink_cancel(s, NULL), S_OK);
    for (int i = 0; i < 4; i++) assert_int_equal(fake_object_refs(objs[i]), 1);   /* Released */
    assert_hr(IWbemObjectSink_Indicate(sink, 4, objs), WBEM_E_CALL_CANCELLED);     /* refused */
    for (int i = 0; i < 4; i++) assert_int_equal(fake_object_refs(objs[i]), 1);
    IWbemClassObject *o1 = (IWbemClassObject *)1;
    assert_hr(wbemsink_next(s, 0, &o1), WBEM_E_CALL_CANCELLED);
    assert_null(o1);
    HRESULT hr;
    assert_hr(wbemsink_wait(s, 0, &hr), S_OK);
    assert_hr(hr, WBEM_E_CALL_CANCELLED);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.dropped, 4);
    assert_int_equal(st.ignored_calls, 1);
    assert_hr(wbemsink_cancel(NULL, NULL), E_POINTER);
    release_objects(objs, 4);
    wbemsink_release(s);
}

/* wbemsink_release from inside on_complete: allowed, that callback is the
   last, wait from inside a callback is refused. */
static void release_inside_on_complete(void **state)
{
    (void)state;
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(2), FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, S_OK, L"p", 1), FAKE_STEP_END,
    };
    wbemsink_mode modes[] = { WBEMSINK_MODE_INLINE, WBEMSINK_MODE_THREAD };
    for (int m = 0; m < 2; m++) {
        recorder r;
        wbemsink_options o = opts(modes[m], 0, WBEMSINK_FULL_WAIT, 0);
        wbemsink *s = recorded_sink(&r, &o);
        wbemsink *handle = s;
        r.release_on_complete = &handle;
        IWbemServices *svc = play(s, script, 1);
        fake_services_wait_idle(svc);
        for (int i = 0; i < 1000 && handle; i++) Sleep(5);
        assert_null(handle);                          /* released inside on_complete */
        assert_hr(r.inner_wait_hr, WBEMSINK_E_IN_CALLBACK);
        assert_int_equal(r.completes, 1);
        assert_int_equal(fake_services_pending(svc), 0);
        fake_services_destroy(svc);
        recorder_free(&r);
        assert_fakes_balanced();
    }
}

/* Releasing the sink while WMI is delivering: the running subscription is
   cancelled at WMI (a forgotten cancel leaks nothing), and no callback runs
   after wbemsink_release has returned. */
static void release_during_delivery(void **state)
{
    (void)state;
    static const fake_step burst[] = {
        FAKE_STEP_INDICATE(10), FAKE_STEP_SLEEP(5), FAKE_STEP_INDICATE(10), FAKE_STEP_SLEEP(5),
        FAKE_STEP_INDICATE(10), FAKE_STEP_WAIT_CANCEL, FAKE_STEP_INDICATE(10), FAKE_STEP_END,
    };
    wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE };
    for (int m = 0; m < 2; m++) {
        recorder r;
        recorder_init(&r);
        r.sleep_ms = 2;
        wbemsink_callbacks cb = recorder_callbacks(&r);
        wbemsink_options o = opts(modes[m], 0, WBEMSINK_FULL_WAIT, 0);
        wbemsink *s;
        assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
        IWbemServices *svc = fake_services_create();
        wbemsink_bind_services(s, svc);
        fake_services_script(svc, burst, 4);
        BSTR l = SysAllocString(L"WQL"), q = SysAllocString(L"q");
        assert_hr(IWbemServices_ExecNotificationQueryAsync(svc, l, q, 0, NULL, wbemsink_interface(s)),
                  S_OK);
        SysFreeString(l);
        SysFreeString(q);
        Sleep(8);
        wbemsink_release(s);
        int seen = r.n;
        await_cancelled(svc, 1);
        fake_services_wait_idle(svc);
        Sleep(20);
        assert_int_equal(r.n, seen);                  /* nothing after release returned */
        assert_int_equal(r.completes, 0);             /* released before completion: no on_complete */
        assert_int_equal(fake_services_refs(svc), 1);
        fake_services_destroy(svc);
        recorder_free(&r);
        assert_fakes_balanced();
    }
}

/* A services pointer bound to a finished operation is not kept (Wine keeps
   the sink until CancelAsyncCall: holding the services would be a cycle). */
static void services_released_at_completion(void **state)
{
    (void)state;
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    IWbemServices *svc = fake_services_create();
    assert_hr(wbemsink_bind_services(s, svc), S_OK);
    assert_int_equal(fake_services_refs(svc), 2);
    IWbemObjectSink_SetStatus(wbemsink_interface(s), WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_hr(wbemsink_wait(s, 10000, NULL), S_OK);
    assert_int_equal(fake_services_refs(svc), 1);
    assert_hr(wbemsink_bind_services(s, svc), S_OK);          /* too late: not kept */
    assert_int_equal(fake_services_refs(svc), 1);
    assert_hr(wbemsink_bind_services(NULL, svc), E_POINTER);
    wbemsink_release(s);
    assert_int_equal(fake_services_refs(svc), 1);
    assert_int_equal(fake_services_cancel_calls(svc), 0);     /* nothing to cancel */
    fake_services_destroy(svc);
}

/* PULL mode: next in order, timeouts, end of data, status callbacks on the
   pulling thread, refusals. */
static void pull_mode_next(void **state)
{
    (void)state;
    recorder r;
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s = recorded_sink(&r, &o);
    IWbemClassObject *o1 = (IWbemClassObject *)1;
    assert_hr(wbemsink_next(s, 20, &o1), WBEM_S_TIMEDOUT);
    assert_null(o1);
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(3), FAKE_STEP_PROGRESS(1, 2, L"half"), FAKE_STEP_INDICATE(2),
        FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, WBEM_S_FALSE, L"done", 0), FAKE_STEP_END,
    };
    IWbemServices *svc = play(s, script, 1);
    int got = 0;
    HRESULT hr;
    LONG last = -1;
    while ((hr = wbemsink_next(s, 10000, &o1)) == S_OK) {
        assert_true(fake_object_index(o1) > last);
        last = fake_object_index(o1);
        if (++got == 3) assert_int_equal(r.n, 0);         /* progress comes after the 3rd */
        if (got == 4) assert_int_equal(r.events[0].kind, EV_PROGRESS);
        IWbemClassObject_Release(o1);
    }
    assert_hr(hr, WBEM_S_NO_MORE_DATA);
    assert_int_equal(got, 5);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.events[1].thread, GetCurrentThreadId());
    assert_true(wcscmp(r.events[1].param, L"done") == 0);
    assert_hr(wbemsink_next(s, 0, &o1), WBEM_S_NO_MORE_DATA);
    assert_int_equal(r.completes, 1);
    assert_hr(wbemsink_next(s, 0, NULL), E_POINTER);
    assert_hr(wbemsink_next(NULL, 0, &o1), E_POINTER);
    fake_services_wait_idle(svc);
    wbemsink_release(s);
    fake_services_destroy(svc);

    wbemsink *t;
    assert_hr(wbemsink_create(NULL, NULL, &t), S_OK);
    assert_hr(wbemsink_next(t, 0, &o1), WBEMSINK_E_WRONG_MODE);
    wbemsink_release(t);
    recorder_free(&r);
}

/* PULL mode, a failed operation (issue 19 §3): the puller's loop ends on
   the operation's failure, the same HRESULT as wbemsink_wait's, from next
   and next_batch, every time; a call WMI refuses at once ends the same
   way. */
static void pull_failed_operation_returns_failure(void **state)
{
    (void)state;
    recorder r;
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s = recorded_sink(&r, &o);
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(2), FAKE_STEP_COMPLETE(WBEM_E_INVALID_QUERY), FAKE_STEP_END,
    };
    IWbemServices *svc = play(s, script, 1);
    IWbemClassObject *obj = NULL, *got[4];
    HRESULT hr;
    int n = 0;
    while ((hr = wbemsink_next(s, 10000, &obj)) == S_OK) {
        n++;
        IWbemClassObject_Release(obj);
    }
    assert_int_equal(n, 2);
    assert_hr(hr, WBEM_E_INVALID_QUERY);
    assert_null(obj);
    assert_hr(wbemsink_next(s, 0, &obj), WBEM_E_INVALID_QUERY);   /* and again */
    ULONG count = 7;
    assert_hr(wbemsink_next_batch(s, 0, got, 4, &count), WBEM_E_INVALID_QUERY);
    assert_int_equal(count, 0);
    HRESULT final = S_OK;
    assert_hr(wbemsink_wait(s, 0, &final), S_OK);
    assert_hr(final, WBEM_E_INVALID_QUERY);
    assert_int_equal(r.completes, 1);
    fake_services_wait_idle(svc);
    wbemsink_release(s);
    fake_services_destroy(svc);
    recorder_free(&r);

    /* Refused at once by ExecQueryAsync: wbemsink_exec_query returns S_OK
       and the sink completes with the failure. */
    s = recorded_sink(&r, &o);   /* the same recorder again: two would not fit the stack */
    svc = fake_services_create();
    fake_services_fail_next(svc, WBEM_E_INVALID_QUERY);
    assert_hr(wbemsink_exec_query(s, svc, L"SELEC * FROM", 0, NULL), S_OK);
    assert_hr(wbemsink_next_batch(s, 1000, got, 4, &count), WBEM_E_INVALID_QUERY);
    assert_hr(wbemsink_next(s, 1000, &obj), WBEM_E_INVALID_QUERY);
    assert_int_equal(r.completes, 1);
    wbemsink_release(s);
    fake_services_destroy(svc);
    recorder_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cancel_from_other_thread_drops_queue, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(callback_failure_stops_operation, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(cancel_inside_callback_is_deferred, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(cancel_without_services, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(release_inside_on_complete, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(release_during_delivery, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(services_released_at_completion, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(pull_mode_next, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(pull_failed_operation_returns_failure, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("cancel", tests, NULL, NULL);
}
