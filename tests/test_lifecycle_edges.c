/*
 * Two edges of the sink's life, under Wine through the DLL (the host build
 * checks the core; this checks what a Windows program gets):
 *   - wbemsink_release called twice on the same sink while WMI still holds
 *     a reference: the second call is ignored (no reference given back, no
 *     callback, nothing released twice);
 *   - options.capacity: WBEMSINK_MAX_CAPACITY is accepted and works,
 *     WBEMSINK_MAX_CAPACITY + 1 is E_INVALIDARG.
 *
 * A second wbemsink_release once nobody else holds the sink cannot be
 * tested: the first call freed it, so the second would read freed memory
 * (see the header).
 */
#include "test_support.h"
#include <limits.h>
#include <string.h>

/* The sink's count, through the COM interface only (not through the
   wbemsink pointer, which the caller gave back). */
static ULONG iface_refs(IWbemObjectSink *i)
{
    IWbemObjectSink_AddRef(i);
    return IWbemObjectSink_Release(i);
}

/* iface_refs once the count has come down to `want` (a dispatcher may hold
   the sink for a moment after a release); 5 s at most. */
static ULONG iface_refs_settled(IWbemObjectSink *i, ULONG want)
{
    ULONG refs = iface_refs(i);
    for (int n = 0; n < 1000 && refs > want; n++) {
        Sleep(5);
        refs = iface_refs(i);
    }
    return refs;
}

static const char *mode_name(wbemsink_mode m)
{
    return m == WBEMSINK_MODE_THREAD ? "THREAD" : m == WBEMSINK_MODE_INLINE ? "INLINE" : "PULL";
}

/* WMI holds a reference (plus one more the test keeps as a guard: had the
   second call given back a reference anyway, the count would drop to 1
   instead of freeing the sink under WMI's feet, and the check says so
   instead of reading freed memory). */
static void release_twice_while_wmi_holds(void **state)
{
    (void)state;
    for (int m = WBEMSINK_MODE_THREAD; m <= WBEMSINK_MODE_PULL; m++) {
        recorder r;
        wbemsink_options o = opts((wbemsink_mode)m, 0, WBEMSINK_FULL_WAIT, 0);
        wbemsink *s = recorded_sink(&r, &o);
        IWbemObjectSink *wmi = wbemsink_interface(s);
        IWbemObjectSink_AddRef(wmi);    /* WMI's */
        IWbemObjectSink_AddRef(wmi);    /* the guard */
        IWbemClassObject *objs[3];
        make_objects(objs, 3);
        assert_hr(IWbemObjectSink_Indicate(wmi, 3, objs), WBEM_S_NO_ERROR);
        if (m == WBEMSINK_MODE_PULL)    /* queued until taken: the sink holds them */
            for (int i = 0; i < 3; i++) assert_int_equal(fake_object_refs(objs[i]), 2);

        wbemsink_release(s);
        assert_int_equal(iface_refs_settled(wmi, 2), 2);   /* WMI's and the guard */
        for (int i = 0; i < 3; i++) assert_int_equal(fake_object_refs(objs[i]), 1);
        EnterCriticalSection(&r.lock);
        int events = r.n;
        long long delivered = r.objects;
        LeaveCriticalSection(&r.lock);
        assert_int_equal(r.completes, 0);   /* released before completion: no on_complete */

        /* The misuse: ignored. */
        wbemsink_release(s);
        assert_int_equal(iface_refs(wmi), 2);
        for (int i = 0; i < 3; i++) assert_int_equal(fake_object_refs(objs[i]), 1);
        assert_int_equal(r.n, events);
        assert_int_equal(r.objects, delivered);

        /* WMI's later calls are still refused, as after one release. */
        assert_hr(IWbemObjectSink_Indicate(wmi, 3, objs), WBEM_E_CALL_CANCELLED);
        assert_hr(IWbemObjectSink_SetStatus(wmi, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL),
                  WBEM_E_CALL_CANCELLED);
        for (int i = 0; i < 3; i++) assert_int_equal(fake_object_refs(objs[i]), 1);
        assert_int_equal(r.completes, 0);

        assert_int_equal(IWbemObjectSink_Release(wmi), 1);   /* the guard */
        assert_int_equal(IWbemObjectSink_Release(wmi), 0);   /* WMI's, the last: freed */
        release_objects(objs, 3);
        recorder_free(&r);
    }
}

/* The same after the operation completed normally: WMI still holds its
   reference (Wine keeps the sink until CancelAsyncCall), the caller
   releases twice, WMI lets go last. */
static void release_twice_after_completion(void **state)
{
    (void)state;
    recorder r;
    wbemsink *s = recorded_sink(&r, NULL);
    IWbemObjectSink *wmi = wbemsink_interface(s);
    IWbemObjectSink_AddRef(wmi);
    IWbemObjectSink_AddRef(wmi);    /* the guard */
    IWbemClassObject *objs[2];
    make_objects(objs, 2);
    assert_hr(IWbemObjectSink_Indicate(wmi, 2, objs), WBEM_S_NO_ERROR);
    assert_hr(IWbemObjectSink_SetStatus(wmi, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), WBEM_S_NO_ERROR);
    HRESULT final = E_FAIL;
    assert_hr(wbemsink_wait(s, 10000, &final), S_OK);
    assert_hr(final, S_OK);
    wbemsink_release(s);
    assert_int_equal(iface_refs_settled(wmi, 2), 2);
    wbemsink_release(s);
    assert_int_equal(iface_refs(wmi), 2);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.objects, 2);
    for (int i = 0; i < 2; i++) assert_int_equal(fake_object_refs(objs[i]), 1);
    assert_int_equal(IWbemObjectSink_Release(wmi), 1);
    assert_int_equal(IWbemObjectSink_Release(wmi), 0);
    release_objects(objs, 2);
    recorder_free(&r);
}

/* The largest capacity is accepted in every mode, and the sink works: the
   queue reserves memory as it grows, so asking for 2^26 slots costs
   nothing up front. */
static void max_capacity_accepted(void **state)
{
    (void)state;
    for (int m = WBEMSINK_MODE_THREAD; m <= WBEMSINK_MODE_PULL; m++) {
        recorder r;
        wbemsink_options o = opts((wbemsink_mode)m, WBEMSINK_MAX_CAPACITY, WBEMSINK_FULL_FAIL, 0);
        wbemsink *s = NULL;
        recorder_init(&r);
        wbemsink_callbacks cb = recorder_callbacks(&r);
        HRESULT hr = wbemsink_create(&cb, &o, &s);
        if (hr != S_OK)
            fail_msg("%s: capacity WBEMSINK_MAX_CAPACITY refused: 0x%08lX",
                     mode_name((wbemsink_mode)m), (unsigned long)hr);
        assert_non_null(s);
        IWbemObjectSink *wmi = wbemsink_interface(s);
        IWbemClassObject *objs[100];
        make_objects(objs, 100);
        assert_hr(IWbemObjectSink_Indicate(wmi, 100, objs), WBEM_S_NO_ERROR);
        assert_hr(IWbemObjectSink_SetStatus(wmi, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL),
                  WBEM_S_NO_ERROR);
        if (m == WBEMSINK_MODE_PULL) {
            IWbemClassObject *got[128];
            ULONG n = 0;
            assert_hr(wbemsink_next_batch(s, 10000, got, 128, &n), S_OK);
            assert_int_equal(n, 100);
            release_objects(got, (int)n);
            assert_hr(wbemsink_next_batch(s, 10000, got, 128, &n), WBEM_S_NO_MORE_DATA);
        }
        assert_hr(wbemsink_wait(s, 10000, NULL), S_OK);
        wbemsink_stats st;
        assert_hr(wbemsink_get_stats(s, &st), S_OK);
        assert_int_equal(st.received, 100);
        assert_int_equal(st.delivered, 100);
        assert_int_equal(st.dropped, 0);
        wbemsink_release(s);
        release_objects(objs, 100);
        recorder_free(&r);
    }
}

/* One above the largest is refused, and so is the largest unsigned; *out
   is NULL after a refusal. */
static void above_max_capacity_refused(void **state)
{
    (void)state;
    static const unsigned too_big[] = { WBEMSINK_MAX_CAPACITY + 1u, WBEMSINK_MAX_CAPACITY * 2u,
                                        UINT_MAX };
    for (size_t i = 0; i < sizeof too_big / sizeof too_big[0]; i++) {
        for (int m = WBEMSINK_MODE_THREAD; m <= WBEMSINK_MODE_PULL; m++) {
            wbemsink_options o = opts((wbemsink_mode)m, too_big[i], WBEMSINK_FULL_WAIT, 0);
            wbemsink *s = (wbemsink *)0x1;
            HRESULT hr = wbemsink_create(NULL, &o, &s);
            if (hr != E_INVALIDARG)
                fail_msg("%s: capacity %u gave 0x%08lX, expected E_INVALIDARG",
                         mode_name((wbemsink_mode)m), too_big[i], (unsigned long)hr);
            assert_null(s);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(release_twice_while_wmi_holds, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(release_twice_after_completion, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(max_capacity_accepted, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(above_max_capacity_refused, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("lifecycle_edges", tests, NULL, NULL);
}
