/* Never lose data silently (issue 15): when a full queue dropped objects of
   an operation that WMI reports as successful, its completion says so with
   the code of the sink's policy, through on_complete, wbemsink_wait and (PULL)
   the end of the pull path; WMI's failures, a cancel and a deadline keep
   their own codes; stats.dropped is exactly what never reached the consumer.

   Every case runs in each delivery mode under each full policy. The fake
   services play WMI on a thread of their own while the consumer is held
   back, so the queue overflows whatever the timing:
     THREAD  the dispatcher waits inside the first on_objects (recorder.hold);
     INLINE  a thread of the test, an earlier WMI call, waits inside the first
             on_objects while the fake's player Indicates (with INLINE, only a
             second WMI thread can find the queue full);
     PULL    the test does not pull until the player is done. */
#include "test_support.h"
#include <string.h>

#define CAPACITY 4      /* small, so that the script's 21 objects cannot fit */
#define WAIT_MS 20      /* WBEMSINK_FULL_WAIT's bound: far shorter than the hold */
#define SENT 21         /* objects a script below sends */
#define BOUND_MS 10000  /* every wait of the test is bounded by this */

static const wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE, WBEMSINK_MODE_PULL };
static const wbemsink_full_policy policies[] = { WBEMSINK_FULL_WAIT, WBEMSINK_FULL_DROP_NEWEST,
                                                 WBEMSINK_FULL_FAIL };
#define NMODES (sizeof modes / sizeof modes[0])
#define NPOLICIES (sizeof policies / sizeof policies[0])

/* The results, then the end: the first object comes alone so that THREAD's
   dispatcher is inside on_objects with it while the batch arrives. */
static const fake_step overflow_ok[] = {
    FAKE_STEP_INDICATE(1), FAKE_STEP_INDICATE(20), FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END,
};
/* WMI fails after the drops, with an error object. */
static const fake_step overflow_wmi_fails[] = {
    FAKE_STEP_INDICATE(1), FAKE_STEP_INDICATE(20),
    FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, WBEM_E_PROVIDER_FAILURE, NULL, 1), FAKE_STEP_END,
};
/* No end from WMI: a cancel or a deadline ends it. */
static const fake_step overflow_then_wait[] = {
    FAKE_STEP_INDICATE(1), FAKE_STEP_INDICATE(20), FAKE_STEP_WAIT_CANCEL, FAKE_STEP_END,
};

static const char *mode_name(wbemsink_mode m)
{
    return m == WBEMSINK_MODE_THREAD ? "THREAD" : m == WBEMSINK_MODE_INLINE ? "INLINE" : "PULL";
}

static const char *policy_name(wbemsink_full_policy p)
{
    return p == WBEMSINK_FULL_WAIT ? "WAIT" : p == WBEMSINK_FULL_DROP_NEWEST ? "DROP_NEWEST" : "FAIL";
}

/* What a successful operation that dropped objects completes with: a
   success of the library's own where the caller chose to drop, else a
   failure (the result set is incomplete). */
static HRESULT dropped_code(wbemsink_full_policy p)
{
    return p == WBEMSINK_FULL_DROP_NEWEST ? WBEMSINK_S_OBJECTS_DROPPED : WBEMSINK_E_OBJECTS_DROPPED;
}

/* Polls until `cond` holds, failing the test after BOUND_MS. */
#define WAIT_UNTIL(cond) do {                                              \
        for (int w_ = 0; w_ < BOUND_MS / 5 && !(cond); w_++) Sleep(5);     \
        if (!(cond)) fail_msg("timed out waiting for %s", #cond);          \
    } while (0)

/* One operation with a held consumer. */
typedef struct held {
    wbemsink_mode mode;
    wbemsink_full_policy policy;
    recorder r;
    wbemsink *s;
    IWbemServices *svc;
    /* INLINE: the earlier WMI call held inside on_objects */
    HANDLE early;
    IWbemClassObject *early_obj;
    HRESULT early_hr;
    ULONGLONG sent;        /* objects passed to Indicate in all */
    ULONGLONG pulled;      /* PULL: objects the test took */
} held;

static DWORD WINAPI early_indicate(void *p)
{
    held *h = p;
    h->early_hr = IWbemObjectSink_Indicate(wbemsink_interface(h->s), 1, &h->early_obj);
    return 0;
}

static long long consumed_by_callbacks(recorder *r)
{
    EnterCriticalSection(&r->lock);
    long long n = r->objects;
    LeaveCriticalSection(&r->lock);
    return n;
}

/* Creates the sink (capacity, policy, full_wait_ms and timeout_ms as given),
   holds the consumer back and starts the fake playing `script` (SENT
   objects), bound to the sink so that a deadline can cancel it. */
static void start_held(held *h, wbemsink_mode mode, wbemsink_full_policy policy, unsigned capacity,
                       unsigned full_wait_ms, unsigned timeout_ms, const fake_step *script)
{
    memset(h, 0, sizeof(*h));
    print_message("    %s, %s\n", mode_name(mode), policy_name(policy));
    h->mode = mode;
    h->policy = policy;
    wbemsink_options o = opts(mode, capacity, policy, full_wait_ms);
    o.timeout_ms = timeout_ms;
    h->s = recorded_sink(&h->r, &o);
    h->r.hold = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_non_null(h->r.hold);
    if (mode == WBEMSINK_MODE_INLINE) {
        h->early_obj = fake_object_create(L"early");
        assert_non_null(h->early_obj);
        h->early = CreateThread(NULL, 0, early_indicate, h, 0, NULL);
        assert_non_null(h->early);
        WAIT_UNTIL(consumed_by_callbacks(&h->r) == 1);   /* inside on_objects now */
        h->sent = 1;
    }
    h->svc = play(h->s, script, 1);
    assert_hr(wbemsink_bind_services(h->s, h->svc), S_OK);
    h->sent += SENT;
}

/* Lets the consumer go on: THREAD and INLINE deliver the rest and complete;
   PULL takes everything until the end of the pull path, which must be the
   operation's result (wbemsink_wait's), WBEM_S_NO_MORE_DATA if clean. */
static void release_consumer(held *h)
{
    SetEvent(h->r.hold);
    if (h->mode == WBEMSINK_MODE_INLINE) {
        assert_int_equal(WaitForSingleObject(h->early, BOUND_MS), WAIT_OBJECT_0);
        CloseHandle(h->early);
        h->early = NULL;
    }
    if (h->mode == WBEMSINK_MODE_PULL) {
        assert_int_equal(h->r.completes, 0);   /* on_complete runs inside wbemsink_next */
        IWbemClassObject *obj;
        HRESULT hr;
        while ((hr = wbemsink_next(h->s, BOUND_MS, &obj)) == S_OK) {
            IWbemClassObject_Release(obj);
            h->pulled++;
        }
        HRESULT final = E_FAIL;
        assert_hr(wbemsink_wait(h->s, 0, &final), S_OK);
        assert_hr(hr, FAILED(final) || final == WBEMSINK_S_OBJECTS_DROPPED ? final : WBEM_S_NO_MORE_DATA);
        assert_int_equal(h->r.completes, 1);
    }
}

/* The operation completed once with `expected` through every path, and
   the statistics count as dropped exactly what the consumer never got. */
static void check_end(held *h, HRESULT expected)
{
    HRESULT final_hr = E_FAIL;
    assert_hr(wbemsink_wait(h->s, BOUND_MS, &final_hr), S_OK);
    assert_hr(final_hr, expected);
    assert_int_equal(h->r.completes, 1);
    assert_int_equal(h->r.events[h->r.n - 1].kind, EV_COMPLETE);
    assert_hr(h->r.events[h->r.n - 1].hr, expected);

    ULONGLONG consumed = h->mode == WBEMSINK_MODE_PULL ? h->pulled
                                                       : (ULONGLONG)consumed_by_callbacks(&h->r);
    wbemsink_stats st;
    assert_hr(wbemsink_get_stats(h->s, &st), S_OK);
    assert_int_equal(st.received, h->sent);
    assert_int_equal(st.delivered, consumed);
    assert_int_equal(st.dropped, h->sent - consumed);
    assert_int_equal(st.queued, 0);
    assert_int_equal(h->r.unheld, 0);
    assert_int_equal(h->r.out_of_order, 0);
}

/* Everything let go of: the fake holds no sink, the sink only the caller's
   reference, and every fake object is back at 0 (none released twice). */
static void finish(held *h)
{
    fake_services_wait_idle(h->svc);
    assert_int_equal(fake_services_pending(h->svc), 0);
    assert_int_equal(fake_services_cancel_reentrant(h->svc), 0);
    assert_int_equal(settled_sink_refs(h->s), 1);
    wbemsink_release(h->s);
    fake_services_destroy(h->svc);
    if (h->early_obj) IWbemClassObject_Release(h->early_obj);
    CloseHandle(h->r.hold);
    recorder_free(&h->r);
    assert_fakes_balanced();
}

/* ------------------------------------------------------------- the cases */

/* WMI succeeds, the queue overflowed: the policy's code, and the completion
   waited for the objects that were kept. */
static void overflow_completes_with_policy_code(void **state)
{
    (void)state;
    for (size_t m = 0; m < NMODES; m++)
        for (size_t p = 0; p < NPOLICIES; p++) {
            held h;
            start_held(&h, modes[m], policies[p], CAPACITY, WAIT_MS, 0, overflow_ok);
            fake_services_wait_idle(h.svc);           /* WMI is done, the consumer is not */
            wbemsink_stats st;
            assert_hr(wbemsink_get_stats(h.s, &st), S_OK);
            assert_true(st.dropped > 0);
            if (h.mode != WBEMSINK_MODE_PULL)
                assert_hr(wbemsink_wait(h.s, 0, NULL), WBEM_S_TIMEDOUT);   /* objects still due */
            /* FAIL refuses the whole batch that does not fit */
            if (h.policy == WBEMSINK_FULL_FAIL)
                assert_hr(fake_services_last_indicate_hr(h.svc), WBEM_E_OUT_OF_MEMORY);
            release_consumer(&h);
            check_end(&h, dropped_code(h.policy));
            if (h.mode == WBEMSINK_MODE_INLINE) assert_hr(h.early_hr, WBEM_S_NO_ERROR);
            /* the same code when asked again, after the end */
            HRESULT again = E_FAIL;
            assert_hr(wbemsink_wait(h.s, 0, &again), S_OK);
            assert_hr(again, dropped_code(h.policy));
            finish(&h);
        }
}

/* The same operation with room for everything: WMI's S_OK, nothing dropped. */
static void no_overflow_completes_ok(void **state)
{
    (void)state;
    for (size_t m = 0; m < NMODES; m++)
        for (size_t p = 0; p < NPOLICIES; p++) {
            held h;
            start_held(&h, modes[m], policies[p], SENT, WAIT_MS, 0, overflow_ok);
            fake_services_wait_idle(h.svc);
            release_consumer(&h);
            check_end(&h, S_OK);
            wbemsink_stats st;
            wbemsink_get_stats(h.s, &st);
            assert_int_equal(st.dropped, 0);
            assert_int_equal(fake_services_indicate_failures(h.svc), 0);
            finish(&h);
        }
}

/* A cancel after the drops: WBEM_E_CALL_CANCELLED, not the drop code. */
static void cancel_after_drops_completes_cancelled(void **state)
{
    (void)state;
    for (size_t m = 0; m < NMODES; m++)
        for (size_t p = 0; p < NPOLICIES; p++) {
            held h;
            start_held(&h, modes[m], policies[p], CAPACITY, WAIT_MS, 0, overflow_then_wait);
            wbemsink_stats st;
            WAIT_UNTIL(wbemsink_get_stats(h.s, &st) == S_OK && st.received == h.sent && st.dropped > 0);
            assert_hr(wbemsink_cancel(h.s, NULL), S_OK);   /* the bound services */
            assert_int_equal(fake_services_cancel_calls(h.svc), 1);
            release_consumer(&h);
            check_end(&h, WBEM_E_CALL_CANCELLED);
            finish(&h);
        }
}

/* WMI fails after the drops: WMI's failure and its error object. */
static void wmi_failure_after_drops_is_kept(void **state)
{
    (void)state;
    for (size_t m = 0; m < NMODES; m++)
        for (size_t p = 0; p < NPOLICIES; p++) {
            held h;
            start_held(&h, modes[m], policies[p], CAPACITY, WAIT_MS, 0, overflow_wmi_fails);
            fake_services_wait_idle(h.svc);
            wbemsink_stats st;
            wbemsink_get_stats(h.s, &st);
            assert_true(st.dropped > 0);
            release_consumer(&h);
            check_end(&h, WBEM_E_PROVIDER_FAILURE);
            assert_int_equal(h.r.events[h.r.n - 1].has_object, 1);
            finish(&h);
        }
}

/* A deadline after the drops: WBEM_E_TIMED_OUT, and the fake cancelled. */
static void deadline_after_drops_keeps_timed_out(void **state)
{
    (void)state;
    for (size_t m = 0; m < NMODES; m++)
        for (size_t p = 0; p < NPOLICIES; p++) {
            held h;
            start_held(&h, modes[m], policies[p], CAPACITY, WAIT_MS, 300, overflow_then_wait);
            WAIT_UNTIL(fake_services_cancel_calls(h.svc) == 1 && fake_services_pending(h.svc) == 0);
            wbemsink_stats st;
            wbemsink_get_stats(h.s, &st);
            assert_true(st.dropped > 0);
            release_consumer(&h);
            check_end(&h, WBEM_E_TIMED_OUT);
            finish(&h);
        }
}

/* WBEMSINK_FULL_WAIT with full_wait_ms INFINITE (what wbemq uses for plain
   queries): the producer waits as long as the consumer is held, and nothing
   is lost. */
static void infinite_wait_loses_nothing(void **state)
{
    (void)state;
    for (size_t m = 0; m < NMODES; m++) {
        held h;
        start_held(&h, modes[m], WBEMSINK_FULL_WAIT, CAPACITY, INFINITE, 0, overflow_ok);
        wbemsink_stats st;
        WAIT_UNTIL(wbemsink_get_stats(h.s, &st) == S_OK && st.queued == CAPACITY);
        Sleep(10 * WAIT_MS);                       /* well past a bounded wait */
        assert_int_equal(fake_services_pending(h.svc), 1);   /* still inside Indicate */
        wbemsink_get_stats(h.s, &st);
        assert_int_equal(st.dropped, 0);
        release_consumer(&h);                      /* delivering (pulling) makes room */
        fake_services_wait_idle(h.svc);
        check_end(&h, S_OK);
        wbemsink_get_stats(h.s, &st);
        assert_int_equal(st.dropped, 0);
        assert_int_equal(st.delivered, h.sent);
        finish(&h);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(overflow_completes_with_policy_code, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(no_overflow_completes_ok, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(cancel_after_drops_completes_cancelled, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(wmi_failure_after_drops_is_kept, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(deadline_after_drops_keeps_timed_out, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(infinite_wait_loses_nothing, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
