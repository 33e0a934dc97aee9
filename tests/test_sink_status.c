/* SetStatus: decoding, progress/requirements/other callbacks in order with
   the objects, completion exactly once and last, waiting. */
#include "test_support.h"
#include <string.h>

static void decode_status_is_exact(void **state)
{
    (void)state;
    wbemsink_status st;
    assert_hr(wbemsink_decode_status(WBEM_STATUS_PROGRESS, MAKELONG(7, 40), &st), S_OK);
    assert_int_equal(st.kind, WBEMSINK_STATUS_PROGRESS);
    assert_int_equal(st.current, 7);
    assert_int_equal(st.total, 40);
    assert_hr(wbemsink_decode_status(WBEM_STATUS_PROGRESS, (HRESULT)0xFFFF0001, &st), S_OK);
    assert_int_equal(st.current, 1);
    assert_int_equal(st.total, 0xFFFF);

    assert_hr(wbemsink_decode_status(WBEM_STATUS_COMPLETE, WBEM_E_NOT_FOUND, &st), S_OK);
    assert_int_equal(st.kind, WBEMSINK_STATUS_COMPLETE);
    assert_hr(st.hr, WBEM_E_NOT_FOUND);
    assert_int_equal(st.current, 0);
    assert_int_equal(st.total, 0);

    assert_hr(wbemsink_decode_status(WBEM_STATUS_REQUIREMENTS, S_OK, &st), S_OK);
    assert_int_equal(st.kind, WBEMSINK_STATUS_REQUIREMENTS);

    const LONG others[] = { WBEM_STATUS_LOGGING_INFORMATION, WBEM_STATUS_LOGGING_INFORMATION_ESS,
                            WBEM_STATUS_LOGGING_INFORMATION | WBEM_STATUS_PROGRESS,
                            WBEM_STATUS_LOGGING_INFORMATION_HOST | WBEM_STATUS_COMPLETE, 3, -1, 0x7777 };
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        assert_hr(wbemsink_decode_status(others[i], S_OK, &st), S_OK);
        assert_int_equal(st.kind, WBEMSINK_STATUS_OTHER);
        assert_int_equal(st.flags, others[i]);
    }
    assert_hr(wbemsink_decode_status(0, S_OK, NULL), E_POINTER);
}

/* A full sequence from the fake on another thread: callbacks in the order
   sent, statuses between the right objects, completion last, once. */
static void sequence_in_order_complete_last(void **state)
{
    (void)state;
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(2),
        FAKE_STEP_PROGRESS(1, 3, L"first"),
        FAKE_STEP_INDICATE(3),
        FAKE_STEP_STATUS(WBEM_STATUS_REQUIREMENTS, S_OK, L"req", 1),
        FAKE_STEP_STATUS(WBEM_STATUS_LOGGING_INFORMATION, 0x1234, L"log", 0),
        FAKE_STEP_PROGRESS(3, 3, NULL),
        FAKE_STEP_INDICATE(1),
        FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, WBEM_E_NOT_FOUND, L"Win32_X.Name=\"a\"", 1),
        FAKE_STEP_END,
    };
    wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE };
    for (int m = 0; m < 2; m++) {
        recorder r;
        wbemsink_options o = opts(modes[m], 0, WBEMSINK_FULL_WAIT, 0);
        wbemsink *s = recorded_sink(&r, &o);
        IWbemServices *svc = play(s, script, 1);
        HRESULT final_hr = S_OK;
        assert_hr(wbemsink_wait(s, 10000, &final_hr), S_OK);
        assert_hr(final_hr, WBEM_E_NOT_FOUND);
        fake_services_wait_idle(svc);

        /* objects may be batched together, so compare a folded view */
        ev_kind want[] = { EV_OBJECTS, EV_PROGRESS, EV_OBJECTS, EV_REQUIREMENTS, EV_OTHER,
                           EV_PROGRESS, EV_OBJECTS, EV_COMPLETE };
        assert_int_equal(r.n, 8);
        for (int i = 0; i < 8; i++) assert_int_equal(r.events[i].kind, want[i]);
        assert_int_equal(r.events[0].count, 2);
        assert_int_equal(r.events[2].count, 3);
        assert_int_equal(r.events[6].count, 1);
        assert_int_equal(r.events[1].current, 1);
        assert_int_equal(r.events[1].total, 3);
        assert_true(wcscmp(r.events[1].param, L"first") == 0);
        assert_int_equal(r.events[5].current, 3);
        assert_int_equal(r.events[5].has_param, 0);
        assert_true(wcscmp(r.events[3].param, L"req") == 0);
        assert_int_equal(r.events[3].has_object, 1);
        assert_int_equal(r.events[4].flags, WBEM_STATUS_LOGGING_INFORMATION);
        assert_hr(r.events[4].hr, 0x1234);
        /* the completion's strParam is the sink's copy: WMI freed its BSTR */
        assert_hr(r.events[7].hr, WBEM_E_NOT_FOUND);
        assert_true(wcscmp(r.events[7].param, L"Win32_X.Name=\"a\"") == 0);
        assert_int_equal(r.events[7].has_object, 1);
        assert_non_null(r.kept_error);               /* AddRef'd in on_complete, alive */
        assert_int_equal(fake_object_refs(r.kept_error), 2);   /* ours + the sink's */
        assert_int_equal(r.completes, 1);

        wbemsink_stats st;
        wbemsink_get_stats(s, &st);
        assert_int_equal(st.status_calls, 5);
        assert_int_equal(st.delivered, 6);
        assert_int_equal(fake_services_pending(svc), 0);
        wbemsink_release(s);                          /* Releases its error object */
        assert_int_equal(fake_object_refs(r.kept_error), 1);
        fake_services_destroy(svc);
        recorder_free(&r);
        assert_fakes_balanced();
    }
}

/* Hostile orders: Indicate and a second COMPLETE after COMPLETE are
   ignored, counted, and leak nothing; on_complete runs once. */
static void late_calls_ignored_and_counted(void **state)
{
    (void)state;
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(2),
        FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, S_OK, L"first", 1),
        FAKE_STEP_INDICATE(3),
        FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, E_FAIL, L"second", 1),
        FAKE_STEP_PROGRESS(1, 1, NULL),
        FAKE_STEP_END,
    };
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    IWbemServices *svc = play(s, script, 1);
    fake_services_wait_idle(svc);
    HRESULT final_hr = E_FAIL;
    assert_hr(wbemsink_wait(s, 10000, &final_hr), S_OK);
    assert_hr(final_hr, S_OK);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.objects, 2);
    assert_true(wcscmp(r.events[recorder_find(&r, EV_COMPLETE)].param, L"first") == 0);
    assert_int_equal(recorder_find(&r, EV_PROGRESS), -1);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.ignored_calls, 3);
    assert_int_equal(st.received, 2);
    wbemsink_release(s);
    fake_services_destroy(svc);
    recorder_free(&r);
}

/* Unknown and logging flags never complete the operation. */
static void other_flags_are_not_completion(void **state)
{
    (void)state;
    recorder r;
    wbemsink_options o = opts(WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s = recorded_sink(&r, &o);
    IWbemObjectSink *sink = wbemsink_interface(s);
    const LONG flags[] = { WBEM_STATUS_LOGGING_INFORMATION, WBEM_STATUS_LOGGING_INFORMATION_PROVIDER,
                           WBEM_STATUS_LOGGING_INFORMATION | WBEM_STATUS_COMPLETE, 0x40000, -1 };
    for (int i = 0; i < 5; i++)
        assert_hr(IWbemObjectSink_SetStatus(sink, flags[i], WBEM_E_FAILED, NULL, NULL), S_OK);
    assert_hr(wbemsink_wait(s, 0, NULL), WBEM_S_TIMEDOUT);
    assert_int_equal(WaitForSingleObject(wbemsink_completion_event(s), 0), WAIT_TIMEOUT);
    assert_int_equal(r.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(r.events[i].kind, EV_OTHER);
        assert_int_equal(r.events[i].flags, flags[i]);
    }
    assert_int_equal(r.completes, 0);
    wbemsink_release(s);
    recorder_free(&r);
}

/* The completion event works with WaitForMultipleObjects across sinks. */
static void completion_event_for_many_sinks(void **state)
{
    (void)state;
    wbemsink *s[3];
    HANDLE h[3];
    for (int i = 0; i < 3; i++) {
        assert_hr(wbemsink_create(NULL, NULL, &s[i]), S_OK);
        h[i] = wbemsink_completion_event(s[i]);
        assert_non_null(h[i]);
    }
    assert_int_equal(WaitForMultipleObjects(3, h, FALSE, 0), WAIT_TIMEOUT);
    IWbemObjectSink_SetStatus(wbemsink_interface(s[1]), WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_int_equal(WaitForMultipleObjects(3, h, FALSE, 10000), WAIT_OBJECT_0 + 1);
    for (int i = 0; i < 3; i += 2)
        IWbemObjectSink_SetStatus(wbemsink_interface(s[i]), WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_int_equal(WaitForMultipleObjects(3, h, TRUE, 10000), WAIT_OBJECT_0);
    for (int i = 0; i < 3; i++) wbemsink_release(s[i]);
}

/* Waiting: a timeout first, then the final HRESULT. */
static void wait_times_out_then_returns_final(void **state)
{
    (void)state;
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    HRESULT hr = 12345;
    assert_hr(wbemsink_wait(s, 30, &hr), WBEM_S_TIMEDOUT);
    assert_int_equal(hr, 12345);
    IWbemObjectSink_SetStatus(wbemsink_interface(s), WBEM_STATUS_COMPLETE, WBEM_E_ACCESS_DENIED,
                              NULL, NULL);
    assert_hr(wbemsink_wait(s, INFINITE, &hr), S_OK);
    assert_hr(hr, WBEM_E_ACCESS_DENIED);
    assert_hr(wbemsink_wait(s, 0, NULL), S_OK);
    assert_hr(wbemsink_wait(NULL, 0, NULL), E_POINTER);
    wbemsink_release(s);
}

/* Registration is fixed once the sink is handed out. */
static void callbacks_sealed_once_handed_out(void **state)
{
    (void)state;
    recorder r;
    recorder_init(&r);
    wbemsink_callbacks cb = recorder_callbacks(&r);
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    assert_hr(wbemsink_set_callbacks(s, &cb), S_OK);          /* before: allowed */
    assert_hr(wbemsink_set_callbacks(s, NULL), E_POINTER);
    assert_hr(wbemsink_set_callbacks(NULL, &cb), E_POINTER);
    wbemsink_interface(s);
    wbemsink_callbacks other = { 0 };
    assert_hr(wbemsink_set_callbacks(s, &other), WBEMSINK_E_SEALED);
    IWbemObjectSink_SetStatus(wbemsink_interface(s), WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_hr(wbemsink_wait(s, 10000, NULL), S_OK);
    assert_int_equal(r.completes, 1);                          /* the first set stayed */
    wbemsink_release(s);
    recorder_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_status_is_exact),
        cmocka_unit_test_setup_teardown(sequence_in_order_complete_last, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(late_calls_ignored_and_counted, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(other_flags_are_not_completion, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(completion_event_for_many_sinks, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(wait_times_out_then_returns_final, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(callbacks_sealed_once_handed_out, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
