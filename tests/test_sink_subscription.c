/* Event subscriptions against the fake: ExecNotificationQueryAsync streams
   bursts from several threads for as long as it is subscribed. Ending it
   by cancel or release, from outside or from inside callbacks, must never
   deadlock, must call CancelAsyncCall once and never from WMI's thread,
   and must Release every object exactly once. */
#include "test_support.h"

/* 4 threads, bursts of 1..50 objects, until cancelled. */
static const fake_step stream[] = {
    FAKE_STEP_INDICATE(1), FAKE_STEP_INDICATE(50), FAKE_STEP_SLEEP(1), FAKE_STEP_INDICATE(7),
    FAKE_STEP_INDICATE(20), FAKE_STEP_SLEEP(2), FAKE_STEP_LOOP, FAKE_STEP_END,
};

typedef struct sub {
    recorder r;
    wbemsink *s;
    IWbemServices *svc;
} sub;

static void subscribe(sub *x, wbemsink_mode mode)
{
    recorder_init(&x->r);
    wbemsink_callbacks cb = recorder_callbacks(&x->r);
    wbemsink_options o = opts(mode, 4096, WBEMSINK_FULL_DROP_NEWEST, 0);
    assert_hr(wbemsink_create(&cb, &o, &x->s), S_OK);
    x->svc = fake_services_create();
    fake_services_script(x->svc, stream, 4);
    assert_hr(wbemsink_exec_notification_query(x->s, x->svc,
              L"SELECT * FROM __InstanceCreationEvent WITHIN 1 WHERE TargetInstance ISA 'Win32_Process'",
              0, NULL), S_OK);
}

/* Bounded wait until the fake saw one cancel and let go of the sink. */
static void assert_unsubscribed(sub *x)
{
    for (int i = 0; i < 1000 && (fake_services_cancel_calls(x->svc) < 1 ||
                                 fake_services_pending(x->svc) != 0); i++)
        Sleep(10);
    assert_int_equal(fake_services_cancel_calls(x->svc), 1);
    assert_int_equal(fake_services_cancel_reentrant(x->svc), 0);
    assert_int_equal(fake_services_pending(x->svc), 0);
}

static void finish(sub *x)
{
    fake_services_wait_idle(x->svc);
    assert_int_equal(fake_services_refs(x->svc), 1);      /* the sink let go of it */
    fake_services_destroy(x->svc);
    recorder_free(&x->r);
    assert_fakes_balanced();
}

static void wait_for_objects(sub *x, long long n)
{
    for (int i = 0; i < 1000 && x->r.objects < n; i++) Sleep(5);
    assert_true(x->r.objects >= n);
}

static void check_completed_cancelled(sub *x)
{
    HRESULT hr;
    assert_hr(wbemsink_wait(x->s, 10000, &hr), S_OK);
    assert_hr(hr, WBEM_E_CALL_CANCELLED);
    assert_int_equal(x->r.completes, 1);
    assert_int_equal(x->r.max_concurrent, 1);
    wbemsink_stats st;
    wbemsink_get_stats(x->s, &st);
    assert_int_equal(st.received, st.delivered + st.dropped);
    assert_int_equal(st.queued, 0);
}

static void cancel_during_burst(void **state)
{
    (void)state;
    wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE };
    for (int m = 0; m < 2; m++) {
        sub x;
        subscribe(&x, modes[m]);
        wait_for_objects(&x, 500);
        assert_hr(wbemsink_cancel(x.s, NULL), S_OK);
        assert_unsubscribed(&x);
        check_completed_cancelled(&x);
        wbemsink_release(x.s);
        finish(&x);
    }
}

static void release_during_burst(void **state)
{
    (void)state;
    wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE };
    for (int m = 0; m < 2; m++) {
        sub x;
        subscribe(&x, modes[m]);
        wait_for_objects(&x, 500);
        wbemsink_release(x.s);          /* no cancel first: release ends it */
        int seen = x.r.n;
        assert_unsubscribed(&x);
        Sleep(20);
        assert_int_equal(x.r.n, seen);  /* no callback after release returned */
        finish(&x);
    }
}

static void cancel_inside_on_objects_during_burst(void **state)
{
    (void)state;
    wbemsink_mode modes[] = { WBEMSINK_MODE_INLINE, WBEMSINK_MODE_THREAD };
    for (int m = 0; m < 2; m++) {
        sub x;
        subscribe(&x, modes[m]);
        wait_for_objects(&x, 200);
        x.r.inner_cancel_hr = E_FAIL;
        x.r.cancel_in_objects = &x.s;   /* the next callback cancels */
        assert_unsubscribed(&x);
        assert_hr(x.r.inner_cancel_hr, S_OK);
        check_completed_cancelled(&x);
        wbemsink_release(x.s);
        finish(&x);
    }
}

static void release_inside_on_objects_during_burst(void **state)
{
    (void)state;
    wbemsink_mode modes[] = { WBEMSINK_MODE_INLINE, WBEMSINK_MODE_THREAD };
    for (int m = 0; m < 2; m++) {
        sub x;
        subscribe(&x, modes[m]);
        wait_for_objects(&x, 200);
        wbemsink *handle = x.s;
        x.r.release_in_objects = &handle;   /* the next callback releases */
        assert_unsubscribed(&x);
        assert_null(handle);
        Sleep(20);
        assert_int_equal(x.r.objects, x.r.objects_at_release);   /* that callback was the last */
        assert_int_equal(x.r.completes, 0);
        finish(&x);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cancel_during_burst, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(release_during_burst, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(cancel_inside_on_objects_during_burst, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(release_inside_on_objects_during_burst, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("subscription", tests, NULL, NULL);
}
