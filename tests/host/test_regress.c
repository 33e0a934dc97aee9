/* Regression tests for core bugs the host tests found. Each was a failing
   test first (see the lead's notes / commit message for the fix); they stay
   here so the bugs cannot come back. Kept in their own program so that a
   sanitizer abort here does not hide the other suites' results. */
#include "host_test.h"
#include <wchar.h>

/* R1: wbemsink_release from inside on_complete in PULL mode. on_complete
   runs inside wbemsink_next on the caller's thread; once WMI has let go,
   the caller's reference is the last one, and wbemsink_release (allowed
   from a callback by wbemsink.h) freed the sink while wbemsink_next was
   still using it: heap-use-after-free (ASan) in step_status_locked ->
   ws_lock. */
static void test_pull_release_inside_on_complete(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    r.release_in_complete = 1;
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    ws_addref(s);   /* WMI */
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    ws_unref(s);    /* WMI lets go: the caller's is the last reference */
    IWbemClassObject *o = NULL;
    /* Inside this call on_complete runs and releases the sink. */
    HRESULT hr = wbemsink_next(s, 0, &o);
    assert_true(hr == WBEM_E_CALL_CANCELLED || hr == WBEM_S_NO_MORE_DATA);
    assert_int_equal(r.completes, 1);
    assert_null(o);
}

/* R2: the same through ws_drain: an INLINE sink whose WMI side went away
   without completing; the caller cancels, ws_kick drains on the caller's
   thread, on_complete releases the sink (allowed), and ws_drain then locks
   the freed sink. */
static void test_inline_cancel_release_inside_on_complete(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    r.release_in_complete = 1;
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    assert_int_equal(wbemsink_cancel(s, NULL), S_OK);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.complete_hr, WBEM_E_CALL_CANCELLED);
}

/* R3: SetStatus(COMPLETE, hr, param) when copying param fails: the sink
   returned WBEM_E_OUT_OF_MEMORY and dropped the completion. WMI ignores
   what SetStatus returns (Wine's wbemprox does) and never sends another,
   so wbemsink_wait hung and on_complete never ran. The completion must be
   kept (without its param). */
static void test_complete_survives_param_copy_failure(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    host_alloc_fail_nth(1);   /* the copy of param */
    host_set_status(s, WBEM_STATUS_COMPLETE, WBEM_E_FAILED, L"Win32_X.Name=\"a\"", NULL);
    host_alloc_fail_nth(0);
    HRESULT final = 0;
    assert_int_equal(wbemsink_wait(s, 2000, &final), S_OK);
    assert_int_equal(final, WBEM_E_FAILED);
    assert_int_equal(r.completes, 1);
    host_release(&r, s);
}

/* R4: PULL mode, WAIT policy: a producer that filled the queue and waits
   for room never woke a consumer asleep in wbemsink_next (ws_kick runs only
   when Indicate returns), so both waited until full_wait_ms ran out and the
   rest of the batch was dropped although a consumer was ready. */
static void *r4_consumer(void *arg)
{
    void **a = arg;
    wbemsink *s = a[0];
    long *got = a[1];
    IWbemClassObject *o;
    HRESULT hr;
    while ((hr = wbemsink_next(s, INFINITE, &o)) == S_OK) {
        __atomic_add_fetch(got, 1, __ATOMIC_ACQ_REL);
        host_object_release(o);
    }
    return NULL;
}

static void test_pull_wait_policy_wakes_consumer(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 4, WBEMSINK_FULL_WAIT, 3000);
    ws_addref(s);
    IWbemClassObject *pool = host_objects_new(10), *p[10];
    ws_ptrs(pool, 0, 10, p);
    long got = 0;
    void *args[2] = { s, &got };
    pthread_t t;
    pthread_create(&t, NULL, r4_consumer, args);
    host_sleep_us(50000);   /* the consumer is asleep in wbemsink_next */
    uint64_t t0 = ws_now_ms();
    assert_int_equal(host_indicate(s, 10, p), WBEM_S_NO_ERROR);
    uint64_t took = ws_now_ms() - t0;
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    ws_unref(s);
    pthread_join(t, NULL);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    host_release(&r, s);
    ws_pool_done(pool, 10);
    assert_int_equal(st.dropped, 0);
    assert_int_equal(got, 10);
    assert_true(took < 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WS_TEST(test_complete_survives_param_copy_failure),
        WS_TEST(test_pull_wait_policy_wakes_consumer),
        WS_TEST(test_inline_cancel_release_inside_on_complete),
        WS_TEST(test_pull_release_inside_on_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
