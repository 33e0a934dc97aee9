/* Long-lived sinks: IWbemObjectSinkEx, deadlines, the start helper's single
   error path, WMI ending a subscription, the unsecured apartment. */
#include "test_support.h"
#include <string.h>

typedef struct ex_log {
    int progress, messages, errors, prompts;
    ULONG percent, seconds, channel;
    wchar_t activity[32], message[32];
    unsigned char prompt_type;
    IWbemClassObject *error;
} ex_log;

static void ex_progress(void *ctx, const wchar_t *activity, const wchar_t *operation,
                        const wchar_t *status, ULONG percent, ULONG seconds)
{
    (void)operation;
    (void)status;
    ex_log *l = ctx;
    l->progress++;
    l->percent = percent;
    l->seconds = seconds;
    wcsncpy(l->activity, activity ? activity : L"", 31);
}

static void ex_message(void *ctx, ULONG channel, const wchar_t *message)
{
    ex_log *l = ctx;
    l->messages++;
    l->channel = channel;
    wcsncpy(l->message, message ? message : L"", 31);
}

static unsigned char ex_error(void *ctx, IWbemClassObject *error)
{
    ex_log *l = ctx;
    l->errors++;
    l->error = error;
    return WBEMSINK_ANSWER_NO_TO_ALL;
}

static unsigned char ex_prompt(void *ctx, const wchar_t *message, unsigned char type)
{
    (void)message;
    ex_log *l = ctx;
    l->prompts++;
    l->prompt_type = type;
    return WBEMSINK_ANSWER_YES;
}

static void sink_ex_maps_to_callbacks(void **state)
{
    (void)state;
    ex_log l;
    memset(&l, 0, sizeof(l));
    wbemsink_callbacks cb = { 0 };
    cb.context = &l;
    cb.on_write_progress = ex_progress;
    cb.on_write_message = ex_message;
    cb.on_write_error = ex_error;
    cb.on_prompt_user = ex_prompt;
    wbemsink *s;
    assert_hr(wbemsink_create(&cb, NULL, &s), S_OK);
    IWbemObjectSinkEx *ex = NULL;
    assert_hr(IWbemObjectSink_QueryInterface(wbemsink_interface(s), &IID_IWbemObjectSinkEx,
                                             (void **)&ex), S_OK);
    assert_ptr_equal(ex, wbemsink_interface(s));

    BSTR a = SysAllocString(L"Copying"), m = SysAllocString(L"hello");
    assert_hr(IWbemObjectSinkEx_WriteProgress(ex, a, NULL, NULL, 40, 12), S_OK);
    assert_hr(IWbemObjectSinkEx_WriteMessage(ex, 3, m), S_OK);
    IWbemClassObject *err = fake_object_create(L"err");
    unsigned char answer = 99;
    assert_hr(IWbemObjectSinkEx_WriteError(ex, err, &answer), S_OK);
    assert_int_equal(answer, WBEMSINK_ANSWER_NO_TO_ALL);
    answer = 99;
    assert_hr(IWbemObjectSinkEx_PromptUser(ex, m, 7, &answer), S_OK);
    assert_int_equal(answer, WBEMSINK_ANSWER_YES);
    assert_hr(IWbemObjectSinkEx_PromptUser(ex, m, 7, NULL), WBEM_E_INVALID_PARAMETER);
    assert_hr(IWbemObjectSinkEx_WriteStreamParameter(ex, m, NULL, 0, 0), WBEM_E_NOT_SUPPORTED);
    assert_int_equal(l.progress, 1);
    assert_int_equal(l.percent, 40);
    assert_int_equal(l.seconds, 12);
    assert_true(wcscmp(l.activity, L"Copying") == 0);
    assert_int_equal(l.messages, 1);
    assert_int_equal(l.channel, 3);
    assert_true(wcscmp(l.message, L"hello") == 0);
    assert_ptr_equal(l.error, err);
    assert_int_equal(l.prompt_type, 7);
    assert_int_equal(fake_object_refs(err), 1);     /* borrowed, not kept */

    /* SetStatus through the Ex interface behaves the same */
    assert_hr(IWbemObjectSinkEx_SetStatus(ex, WBEM_STATUS_COMPLETE, WBEM_E_NOT_FOUND, NULL, NULL), S_OK);
    HRESULT hr;
    assert_hr(wbemsink_wait(s, 10000, &hr), S_OK);
    assert_hr(hr, WBEM_E_NOT_FOUND);

    IWbemObjectSinkEx_Release(ex);
    wbemsink_release(s);
    IWbemClassObject_Release(err);
    SysFreeString(a);
    SysFreeString(m);
}

/* Without callbacks: PromptUser answers NO, WriteError YES (go on). After
   release, refused. */
static void sink_ex_safe_defaults(void **state)
{
    (void)state;
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    IWbemObjectSinkEx *ex = (IWbemObjectSinkEx *)wbemsink_interface(s);
    IWbemObjectSinkEx_AddRef(ex);
    unsigned char answer = 99;
    assert_hr(IWbemObjectSinkEx_PromptUser(ex, NULL, 1, &answer), S_OK);
    assert_int_equal(answer, WBEMSINK_ANSWER_NO);
    assert_hr(IWbemObjectSinkEx_WriteError(ex, NULL, &answer), S_OK);
    assert_int_equal(answer, WBEMSINK_ANSWER_YES);
    assert_hr(IWbemObjectSinkEx_WriteMessage(ex, 0, NULL), S_OK);
    assert_hr(IWbemObjectSinkEx_WriteProgress(ex, NULL, NULL, NULL, 0, 0), S_OK);
    wbemsink_release(s);
    answer = 99;
    assert_hr(IWbemObjectSinkEx_PromptUser(ex, NULL, 1, &answer), WBEM_E_CALL_CANCELLED);
    assert_int_equal(answer, WBEMSINK_ANSWER_NO);
    assert_int_equal(IWbemObjectSinkEx_Release(ex), 0);
}

/* WriteError and PromptUser need somewhere to put their answer: with a NULL
   out pointer they return WBEM_E_INVALID_PARAMETER, and no callback runs
   (there would be no way to hand its answer back). The sink stays usable. */
static void sink_ex_null_answer_pointer(void **state)
{
    (void)state;
    ex_log l;
    memset(&l, 0, sizeof(l));
    wbemsink_callbacks cb = { 0 };
    cb.context = &l;
    cb.on_write_error = ex_error;
    cb.on_prompt_user = ex_prompt;
    wbemsink *s;
    assert_hr(wbemsink_create(&cb, NULL, &s), S_OK);
    IWbemObjectSinkEx *ex = (IWbemObjectSinkEx *)wbemsink_interface(s);
    IWbemClassObject *err = fake_object_create(L"err");

    assert_hr(IWbemObjectSinkEx_WriteError(ex, err, NULL), WBEM_E_INVALID_PARAMETER);
    assert_hr(IWbemObjectSinkEx_WriteError(ex, NULL, NULL), WBEM_E_INVALID_PARAMETER);
    assert_int_equal(l.errors, 0);
    assert_null(l.error);
    assert_int_equal(fake_object_refs(err), 1);   /* neither kept nor released */
    assert_hr(IWbemObjectSinkEx_PromptUser(ex, NULL, 1, NULL), WBEM_E_INVALID_PARAMETER);
    assert_int_equal(l.prompts, 0);

    /* the refusals changed nothing: a proper call still gets the callback */
    unsigned char answer = 99;
    assert_hr(IWbemObjectSinkEx_WriteError(ex, err, &answer), S_OK);
    assert_int_equal(answer, WBEMSINK_ANSWER_NO_TO_ALL);
    assert_int_equal(l.errors, 1);
    assert_ptr_equal(l.error, err);

    wbemsink_release(s);
    IWbemClassObject_Release(err);
}

/* options.timeout_ms: the operation ends with WBEM_E_TIMED_OUT, cancelled
   at WMI, once. */
static void operation_timeout(void **state)
{
    (void)state;
    static const fake_step forever[] = { FAKE_STEP_INDICATE(2), FAKE_STEP_WAIT_CANCEL, FAKE_STEP_END };
    recorder r;
    recorder_init(&r);
    wbemsink_callbacks cb = recorder_callbacks(&r);
    wbemsink_options o = opts(WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    o.timeout_ms = 200;
    wbemsink *s;
    assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
    IWbemServices *svc = fake_services_create();
    fake_services_script(svc, forever, 1);
    assert_hr(wbemsink_exec_notification_query(s, svc, L"SELECT * FROM __InstanceCreationEvent", 0, NULL),
              S_OK);
    HRESULT hr;
    assert_hr(wbemsink_wait(s, 10000, &hr), S_OK);
    assert_hr(hr, WBEM_E_TIMED_OUT);
    for (int i = 0; i < 1000 && fake_services_pending(svc); i++) Sleep(5);
    assert_int_equal(fake_services_cancel_calls(svc), 1);
    assert_int_equal(fake_services_pending(svc), 0);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.objects, 2);
    wbemsink_release(s);
    fake_services_destroy(svc);
    recorder_free(&r);
}

/* options.idle_timeout_ms: a subscription that keeps receiving stays up;
   once quiet for the bound, it ends with WBEMSINK_E_IDLE_TIMEOUT. */
static void idle_timeout(void **state)
{
    (void)state;
    static const fake_step trickle[] = {
        FAKE_STEP_INDICATE(1), FAKE_STEP_SLEEP(250), FAKE_STEP_INDICATE(1), FAKE_STEP_SLEEP(250),
        FAKE_STEP_INDICATE(1), FAKE_STEP_SLEEP(250), FAKE_STEP_INDICATE(1), FAKE_STEP_WAIT_CANCEL,
        FAKE_STEP_END,
    };
    recorder r;
    recorder_init(&r);
    wbemsink_callbacks cb = recorder_callbacks(&r);
    wbemsink_options o = opts(WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    o.idle_timeout_ms = 600;   /* above the 250 ms gaps, below the 750 ms trickle */
    wbemsink *s;
    assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
    IWbemServices *svc = fake_services_create();
    fake_services_script(svc, trickle, 1);
    assert_hr(wbemsink_exec_notification_query(s, svc, L"SELECT * FROM X", 0, NULL), S_OK);
    HRESULT hr;
    assert_hr(wbemsink_wait(s, 10000, &hr), S_OK);
    assert_hr(hr, WBEMSINK_E_IDLE_TIMEOUT);
    assert_int_equal(r.objects, 4);          /* every gap < the bound: the clock was reset each time */
    for (int i = 0; i < 1000 && fake_services_pending(svc); i++) Sleep(5);
    assert_int_equal(fake_services_cancel_calls(svc), 1);
    assert_string_equal(wbemsink_hresult_name(hr), "WBEMSINK_E_IDLE_TIMEOUT");
    wbemsink_release(s);
    fake_services_destroy(svc);
    recorder_free(&r);
}

/* A synchronous failure of the *Async call arrives through on_complete and
   wait, like any other: one error path. */
static void start_failure_completes_once(void **state)
{
    (void)state;
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    IWbemServices *svc = fake_services_create();
    fake_services_fail_next(svc, WBEM_E_ACCESS_DENIED);
    assert_hr(wbemsink_exec_query(s, svc, L"SELECT * FROM X", 0, NULL), S_OK);
    HRESULT hr;
    assert_hr(wbemsink_wait(s, 10000, &hr), S_OK);
    assert_hr(hr, WBEM_E_ACCESS_DENIED);
    assert_int_equal(r.completes, 1);
    assert_hr(r.events[0].hr, WBEM_E_ACCESS_DENIED);
    assert_int_equal(fake_services_refs(svc), 1);      /* not kept */
    assert_int_equal(fake_services_cancel_calls(svc), 0);
    assert_hr(wbemsink_exec_query(NULL, svc, L"q", 0, NULL), E_POINTER);
    assert_hr(wbemsink_exec_query(s, NULL, L"q", 0, NULL), E_POINTER);
    assert_hr(wbemsink_exec_query(s, svc, NULL, 0, NULL), E_POINTER);
    assert_hr(wbemsink_start(s, svc, NULL, NULL), E_POINTER);
    wbemsink_release(s);
    fake_services_destroy(svc);
    recorder_free(&r);
}

/* A successful start: the sink is the cancel handle (services bound). */
static void start_then_cancel_by_handle(void **state)
{
    (void)state;
    static const fake_step forever[] = { FAKE_STEP_INDICATE(1), FAKE_STEP_WAIT_CANCEL, FAKE_STEP_END };
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    IWbemServices *svc = fake_services_create();
    fake_services_script(svc, forever, 2);
    assert_hr(wbemsink_exec_notification_query(s, svc, L"SELECT * FROM X", 0, NULL), S_OK);
    assert_int_equal(fake_services_async_calls(svc), 1);
    assert_hr(wbemsink_cancel(s, NULL), S_OK);
    assert_int_equal(fake_services_cancel_calls(svc), 1);
    assert_int_equal(fake_services_pending(svc), 0);
    HRESULT hr;
    assert_hr(wbemsink_wait(s, 10000, &hr), S_OK);
    assert_hr(hr, WBEM_E_CALL_CANCELLED);
    wbemsink_release(s);
    assert_int_equal(fake_services_refs(svc), 1);
    fake_services_destroy(svc);
}

/* WMI ends a subscription itself: on_complete says so, once. */
static void wmi_side_termination(void **state)
{
    (void)state;
    static const fake_step ended[] = {
        FAKE_STEP_INDICATE(3), FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, WBEM_E_SHUTTING_DOWN, NULL, 1),
        FAKE_STEP_INDICATE(2), FAKE_STEP_END,
    };
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    IWbemServices *svc = fake_services_create();
    fake_services_script(svc, ended, 3);
    assert_hr(wbemsink_exec_notification_query(s, svc, L"SELECT * FROM X", 0, NULL), S_OK);
    fake_services_wait_idle(svc);
    HRESULT hr;
    assert_hr(wbemsink_wait(s, 10000, &hr), S_OK);
    assert_hr(hr, WBEM_E_SHUTTING_DOWN);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.events[r.n - 1].kind, EV_COMPLETE);
    assert_int_equal(r.events[r.n - 1].has_object, 1);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    /* Each of 3 players: Indicate(3), COMPLETE, Indicate(2). Batches of 3
       that beat the first COMPLETE were delivered; everything after it is
       ignored: 2 COMPLETEs, 3 Indicate(2), the late Indicate(3)s. */
    assert_int_equal(st.received, st.delivered);
    assert_int_equal(st.received % 3, 0);
    assert_true(st.received >= 3);
    assert_int_equal(st.ignored_calls, 8 - st.received / 3);
    wbemsink_release(s);
    fake_services_destroy(svc);
    recorder_free(&r);
}

/* Wine has no unsecured apartment: a clean error, nothing leaked. */
static void unsecured_apartment_clean_failure(void **state)
{
    (void)state;
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    IWbemObjectSink *stub = (IWbemObjectSink *)1;
    HRESULT hr = wbemsink_unsecured_interface(s, &stub);
    if (FAILED(hr)) {
        assert_null(stub);
        assert_int_equal(sink_refs(s), 1);
    } else {                                  /* real Windows: a working stub */
        assert_non_null(stub);
        IWbemObjectSink_Release(stub);
    }
    assert_hr(wbemsink_unsecured_interface(NULL, &stub), E_POINTER);
    assert_hr(wbemsink_unsecured_interface(s, NULL), E_POINTER);
    wbemsink_release(s);
    CoUninitialize();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sink_ex_maps_to_callbacks, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(sink_ex_safe_defaults, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(sink_ex_null_answer_pointer, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(operation_timeout, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(idle_timeout, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(start_failure_completes_once, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(start_then_cancel_by_handle, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(wmi_side_termination, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(unsecured_apartment_clean_failure, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("long-lived", tests, NULL, NULL);
}
