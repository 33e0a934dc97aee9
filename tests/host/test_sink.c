/* The completion state machine, the three delivery modes and the full
   policies, driven through the core's Indicate/SetStatus (ws_indicate,
   ws_set_status) as WMI would call them. "WMI" holds its own reference on
   the sink (ws_addref) for as long as it may call it, as COM would. */
#include "host_test.h"
#include <wchar.h>

/* ---------------- completion ---------------- */

static void test_thread_mode_complete_once(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    r.check_order = 1;
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    ws_addref(s);   /* WMI's */
    IWbemClassObject *pool = host_objects_new(11), *p[11];
    for (int i = 0; i < 11; i++) pool[i].seq = (uint64_t)i;
    ws_ptrs(pool, 0, 11, p);
    assert_int_equal(host_indicate(s, 4, p), WBEM_S_NO_ERROR);
    assert_int_equal(host_set_status(s, WBEM_STATUS_PROGRESS, 0x00640004, L"msg", NULL), WBEM_S_NO_ERROR);
    assert_int_equal(host_indicate(s, 6, p + 4), WBEM_S_NO_ERROR);
    assert_int_equal(host_indicate(s, 0, NULL), WBEM_S_NO_ERROR);   /* empty batch */
    assert_int_equal(host_set_status(s, WBEM_STATUS_REQUIREMENTS, S_OK, NULL, p[10]), WBEM_S_NO_ERROR);
    assert_int_equal(host_set_status(s, 0x40000100, S_OK, NULL, NULL), WBEM_S_NO_ERROR);
    wchar_t path[32];
    wcscpy(path, L"Win32_X.Name=\"a\"");
    IWbemClassObject *err = p[10];
    assert_int_equal(host_set_status(s, WBEM_STATUS_COMPLETE, WBEM_E_FAILED, path, err), WBEM_S_NO_ERROR);
    wcscpy(path, L"overwritten");   /* the sink must hold its own copy */
    /* A second COMPLETE and a late Indicate are ignored and counted. */
    assert_int_equal(host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), WBEM_S_NO_ERROR);
    assert_int_equal(host_indicate(s, 1, p + 10), WBEM_S_NO_ERROR);
    HRESULT final = 0;
    assert_int_equal(wbemsink_wait(s, 10000, &final), S_OK);
    assert_int_equal(final, WBEM_E_FAILED);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.complete_hr, WBEM_E_FAILED);
    assert_true(r.complete_had_param);
    assert_true(wcscmp(r.complete_param, L"Win32_X.Name=\"a\"") == 0);
    assert_true(r.complete_had_obj);
    assert_int_equal(r.objects, 10);
    assert_int_equal(r.progress, 1);
    assert_int_equal(r.last_current, 4);
    assert_int_equal(r.last_total, 100);
    assert_int_equal(r.progress_seen_objects, 4);   /* after the objects sent before it */
    assert_int_equal(r.requirements, 1);
    assert_int_equal(r.other, 1);
    assert_int_equal(r.last_other_flags, 0x40000100);
    assert_int_equal(r.complete_seen_objects, 10);
    assert_int_equal(r.concurrent, 0);
    assert_int_equal(r.out_of_order, 0);
    assert_int_equal(r.inner_wait_hr, WBEMSINK_E_IN_CALLBACK);
    assert_int_equal(r.inner_next_hr, WBEMSINK_E_WRONG_MODE);
    wbemsink_stats st;
    assert_int_equal(wbemsink_get_stats(s, &st), S_OK);
    assert_int_equal(st.received, 10);
    assert_int_equal(st.delivered, 10);
    assert_int_equal(st.dropped, 0);
    assert_int_equal(st.ignored_calls, 2);
    assert_int_equal(st.status_calls, 4);
    assert_int_equal(st.queued, 0);
    host_release(&r, s);
    assert_int_equal(r.after_release, 0);
    ws_unref(s);   /* WMI lets go last */
    ws_pool_done(pool, 11);
}

static void test_complete_with_no_callbacks(void **state)
{
    (void)state;
    wbemsink *s = NULL;
    assert_int_equal(wbemsink_create(NULL, NULL, &s), S_OK);
    IWbemClassObject *pool = host_objects_new(3), *p[3];
    ws_ptrs(pool, 0, 3, p);
    assert_int_equal(host_indicate(s, 3, p), WBEM_S_NO_ERROR);
    assert_int_equal(host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, L"x", p[0]), WBEM_S_NO_ERROR);
    HRESULT final = E_FAIL;
    assert_int_equal(wbemsink_wait(s, 10000, &final), S_OK);
    assert_int_equal(final, S_OK);
    wbemsink_release(s);
    ws_pool_done(pool, 3);
}

static void test_wait_timeout(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    HRESULT final = 12345;
    assert_int_equal(wbemsink_wait(s, 0, &final), WBEM_S_TIMEDOUT);
    assert_int_equal(wbemsink_wait(s, 20, &final), WBEM_S_TIMEDOUT);
    assert_int_equal(final, 12345);
    host_release(&r, s);
    assert_int_equal(r.completes, 0);   /* released before any completion */
}

static void test_release_in_complete_thread_and_inline(void **state)
{
    (void)state;
    for (int mode = WBEMSINK_MODE_THREAD; mode <= WBEMSINK_MODE_INLINE; mode++) {
        host_rec r;
        host_rec_init(&r);
        r.release_in_complete = 1;
        wbemsink *s = ws_make(&r, (wbemsink_mode)mode, 0, WBEMSINK_FULL_WAIT, 0);
        ws_addref(s);
        IWbemClassObject *pool = host_objects_new(2), *p[2];
        ws_ptrs(pool, 0, 2, p);
        assert_int_equal(host_indicate(s, 2, p), WBEM_S_NO_ERROR);
        assert_int_equal(host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), WBEM_S_NO_ERROR);
        uint64_t deadline = ws_now_ms() + 10000;
        while (!__atomic_load_n(&r.released, __ATOMIC_ACQUIRE) && ws_now_ms() < deadline)
            host_sleep_us(500);
        assert_int_equal(r.completes, 1);
        /* The caller's reference is gone; WMI's later calls are refused. */
        assert_int_equal(host_indicate(s, 1, p), WBEM_E_CALL_CANCELLED);
        assert_int_equal(host_set_status(s, WBEM_STATUS_PROGRESS, 0, NULL, NULL), WBEM_E_CALL_CANCELLED);
        ws_unref(s);
        assert_int_equal(r.after_release, 0);
        ws_pool_done(pool, 2);
    }
}

/* ---------------- cancel ---------------- */

static void test_cancel_from_caller(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    IWbemServices *svc = host_services_new(WBEM_E_FAILED);
    /* PULL: nothing is taken, so the cancel finds objects queued. */
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    ws_addref(s);
    assert_int_equal(wbemsink_bind_services(s, svc), S_OK);
    assert_int_equal(host_services_refs(svc), 2);
    IWbemClassObject *pool = host_objects_new(5), *p[5];
    ws_ptrs(pool, 0, 5, p);
    assert_int_equal(host_indicate(s, 5, p), WBEM_S_NO_ERROR);
    assert_int_equal(host_set_status(s, WBEM_STATUS_PROGRESS, 1, NULL, NULL), WBEM_S_NO_ERROR);
    /* The failure of CancelAsyncCall is returned; the sink is cancelled all the same. */
    assert_int_equal(wbemsink_cancel(s, NULL), WBEM_E_FAILED);
    assert_int_equal(svc->cancels, 1);
    assert_int_equal(svc->deferred, 0);
    assert_int_equal(host_services_refs(svc), 1);   /* bound reference handed back */
    for (int i = 0; i < 5; i++) assert_int_equal(pool[i].ref, 1);   /* dropped and Released */
    assert_int_equal(wbemsink_cancel(s, NULL), S_FALSE);
    assert_int_equal(host_indicate(s, 1, p), WBEM_E_CALL_CANCELLED);
    assert_int_equal(host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), WBEM_E_CALL_CANCELLED);
    HRESULT final = 0;
    assert_int_equal(wbemsink_wait(s, 0, &final), S_OK);
    assert_int_equal(final, WBEM_E_CALL_CANCELLED);
    IWbemClassObject *o = (IWbemClassObject *)1;
    assert_int_equal(wbemsink_next(s, 0, &o), WBEM_E_CALL_CANCELLED);
    assert_null(o);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.complete_hr, WBEM_E_CALL_CANCELLED);
    assert_int_equal(r.progress, 0);   /* dropped with the objects */
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.dropped, 5);
    assert_int_equal(st.ignored_calls, 2);
    host_release(&r, s);
    ws_unref(s);
    assert_int_equal(host_services_release(svc), 0);
    ws_pool_done(pool, 5);
}

static void test_cancel_explicit_services_overrides_bound(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    IWbemServices *bound = host_services_new(S_OK), *given = host_services_new(S_OK);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink_bind_services(s, bound);
    assert_int_equal(wbemsink_cancel(s, given), S_OK);
    assert_int_equal(given->cancels, 1);
    assert_int_equal(bound->cancels, 0);
    assert_int_equal(wbemsink_wait(s, 10000, NULL), S_OK);
    assert_int_equal(r.completes, 1);
    host_release(&r, s);
    assert_int_equal(host_services_release(bound), 0);
    assert_int_equal(host_services_release(given), 0);
}

static void test_cancel_inside_callback_is_deferred(void **state)
{
    (void)state;
    for (int mode = WBEMSINK_MODE_THREAD; mode <= WBEMSINK_MODE_INLINE; mode++) {
        host_rec r;
        host_rec_init(&r);
        IWbemServices *svc = host_services_new(S_OK);
        r.cancel_in_objects = 1;
        wbemsink *s = ws_make(&r, (wbemsink_mode)mode, 0, WBEMSINK_FULL_WAIT, 0);
        ws_addref(s);
        wbemsink_bind_services(s, svc);
        IWbemClassObject *pool = host_objects_new(3), *p[3];
        ws_ptrs(pool, 0, 3, p);
        host_indicate(s, 3, p);
        assert_int_equal(wbemsink_wait(s, 10000, NULL), S_OK);
        assert_true(host_quiesce(10000));
        assert_int_equal(r.inner_cancel_hr, S_OK);
        assert_int_equal(r.inner_wait_hr, WBEMSINK_E_IN_CALLBACK);
        assert_int_equal(svc->cancels, 1);
        assert_int_equal(svc->deferred, 1);
        assert_int_equal(svc->cancels_in_wmi, 0);    /* never from inside Indicate */
        assert_int_equal(r.completes, 1);
        assert_int_equal(r.complete_hr, WBEM_E_CALL_CANCELLED);
        host_release(&r, s);
        ws_unref(s);
        assert_int_equal(host_services_release(svc), 0);
        ws_pool_done(pool, 3);
    }
}

static void test_callback_failure_stops(void **state)
{
    (void)state;
    for (int mode = WBEMSINK_MODE_THREAD; mode <= WBEMSINK_MODE_INLINE; mode++) {
        host_rec r;
        host_rec_init(&r);
        r.objects_result = E_FAIL;
        IWbemServices *svc = host_services_new(S_OK);
        wbemsink *s = ws_make(&r, (wbemsink_mode)mode, 0, WBEMSINK_FULL_WAIT, 0);
        ws_addref(s);
        wbemsink_bind_services(s, svc);
        IWbemClassObject *pool = host_objects_new(4), *p[4];
        ws_ptrs(pool, 0, 4, p);
        host_indicate(s, 1, p);
        assert_int_equal(wbemsink_wait(s, 10000, NULL), S_OK);
        assert_int_equal(host_indicate(s, 3, p + 1), WBEM_E_CALL_CANCELLED);
        assert_true(host_quiesce(10000));
        assert_int_equal(svc->cancels, 1);
        assert_int_equal(svc->deferred, 1);
        assert_int_equal(svc->cancels_in_wmi, 0);
        assert_int_equal(r.complete_hr, WBEM_E_CALL_CANCELLED);
        assert_int_equal(r.completes, 1);
        host_release(&r, s);
        ws_unref(s);
        assert_int_equal(host_services_release(svc), 0);
        ws_pool_done(pool, 4);
    }
}

static void test_cancel_after_complete_is_noop(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    IWbemServices *svc = host_services_new(S_OK);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink_bind_services(s, svc);
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_int_equal(host_services_refs(svc), 1);   /* released at completion */
    assert_int_equal(wbemsink_cancel(s, svc), S_FALSE);
    assert_int_equal(svc->cancels, 0);
    assert_int_equal(wbemsink_bind_services(s, svc), S_OK);   /* not kept: over */
    assert_int_equal(host_services_refs(svc), 1);
    host_release(&r, s);
    assert_int_equal(r.completes, 1);
    assert_int_equal(r.complete_hr, S_OK);
    assert_int_equal(host_services_release(svc), 0);
}

static void test_release_before_complete_cancels_at_wmi(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    IWbemServices *svc = host_services_new(S_OK);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    ws_addref(s);
    wbemsink_bind_services(s, svc);
    IWbemClassObject *pool = host_objects_new(3), *p[3];
    ws_ptrs(pool, 0, 3, p);
    host_indicate(s, 3, p);
    host_release(&r, s);
    assert_int_equal(svc->cancels, 1);
    assert_int_equal(svc->deferred, 0);
    for (int i = 0; i < 3; i++) assert_int_equal(pool[i].ref, 1);
    assert_int_equal(host_indicate(s, 3, p), WBEM_E_CALL_CANCELLED);
    assert_int_equal(r.completes, 0);   /* released first: no on_complete */
    ws_unref(s);
    assert_int_equal(r.after_release, 0);
    assert_int_equal(host_services_release(svc), 0);
    ws_pool_done(pool, 3);
}

/* A slow on_objects runs on the dispatcher while the caller releases:
   release waits for it, and nothing runs afterwards. */
static void test_no_callback_after_release(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        host_rec r;
        host_rec_init(&r);
        r.slow_every = 1;
        r.slow_us = 2000;
        wbemsink *s = ws_make(&r, WBEMSINK_MODE_THREAD, 16, WBEMSINK_FULL_DROP_NEWEST, 0);
        ws_addref(s);
        IWbemClassObject *pool = host_objects_new(64), *p[64];
        ws_ptrs(pool, 0, 64, p);
        for (int i = 0; i < 64; i += 4) host_indicate(s, 4, p + i);
        host_set_status(s, WBEM_STATUS_PROGRESS, 0, NULL, NULL);
        host_sleep_us((unsigned)(round * 300));
        host_release(&r, s);
        long seen = __atomic_load_n(&r.object_calls, __ATOMIC_ACQUIRE);
        host_sleep_us(5000);
        assert_int_equal(__atomic_load_n(&r.object_calls, __ATOMIC_ACQUIRE), seen);
        assert_int_equal(r.after_release, 0);
        assert_int_equal(r.concurrent, 0);
        ws_unref(s);
        ws_pool_done(pool, 64);
    }
}

/* ---------------- modes ---------------- */

static void test_inline_runs_on_callers_thread(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    IWbemClassObject *pool = host_objects_new(2), *p[2];
    ws_ptrs(pool, 0, 2, p);
    host_indicate(s, 2, p);
    assert_int_equal(r.objects, 2);             /* already delivered */
    assert_true(r.cb_thread == ws_thread_self());
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_int_equal(r.completes, 1);
    assert_int_equal(wbemsink_wait(s, 0, NULL), S_OK);
    host_release(&r, s);
    ws_pool_done(pool, 2);
}

static void test_pull_mode(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    ws_addref(s);
    IWbemClassObject *pool = host_objects_new(4), *p[4], *o = NULL;
    ws_ptrs(pool, 0, 4, p);
    assert_int_equal(wbemsink_next(s, 0, &o), WBEM_S_TIMEDOUT);
    assert_int_equal(wbemsink_next(s, 10, &o), WBEM_S_TIMEDOUT);
    assert_null(o);
    host_indicate(s, 2, p);
    host_set_status(s, WBEM_STATUS_PROGRESS, 0x00020001, NULL, NULL);
    host_indicate(s, 2, p + 2);
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, L"done", NULL);
    /* WMI is done: wait returns although objects are still queued. */
    assert_int_equal(wbemsink_wait(s, 0, NULL), S_OK);
    ws_unref(s);   /* WMI lets go */
    for (int i = 0; i < 4; i++) {
        assert_int_equal(wbemsink_next(s, 1000, &o), S_OK);
        assert_ptr_equal(o, p[i]);
        assert_int_equal(r.progress, i >= 2 ? 1 : 0);   /* progress between 2nd and 3rd */
        host_object_release(o);   /* the caller's reference */
    }
    assert_int_equal(r.completes, 0);
    assert_int_equal(wbemsink_next(s, 1000, &o), WBEM_S_NO_MORE_DATA);
    assert_int_equal(r.completes, 1);      /* ran inside next */
    assert_int_equal(r.inner_next_hr, WBEMSINK_E_IN_CALLBACK);
    assert_true(wcscmp(r.complete_param, L"done") == 0);
    assert_int_equal(wbemsink_next(s, 0, &o), WBEM_S_NO_MORE_DATA);
    assert_int_equal(r.completes, 1);
    host_release(&r, s);
    ws_pool_done(pool, 4);
}

static void *pull_producer(void *arg)
{
    wbemsink *s = ((void **)arg)[0];
    IWbemClassObject **p = ((void **)arg)[1];
    for (int i = 0; i < 1000; i += 10) {
        host_indicate(s, 10, p + i);
        if (i % 100 == 0) host_sleep_us(100);
    }
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    ws_unref(s);
    return NULL;
}

static void test_pull_waits_for_producer(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 64, WBEMSINK_FULL_WAIT, 10000);
    ws_addref(s);
    IWbemClassObject *pool = host_objects_new(1000), *p[1000], *o;
    ws_ptrs(pool, 0, 1000, p);
    void *args[2] = { s, p };
    pthread_t t;
    pthread_create(&t, NULL, pull_producer, args);
    int n = 0;
    HRESULT hr;
    while ((hr = wbemsink_next(s, 10000, &o)) == S_OK) {
        assert_ptr_equal(o, p[n]);
        n++;
        host_object_release(o);
    }
    assert_int_equal(hr, WBEM_S_NO_MORE_DATA);
    assert_int_equal(n, 1000);
    pthread_join(t, NULL);
    assert_int_equal(r.completes, 1);
    host_release(&r, s);
    ws_pool_done(pool, 1000);
}

static void test_shared_dispatcher(void **state)
{
    (void)state;
    wbemsink_dispatcher *d = NULL;
    assert_int_equal(wbemsink_dispatcher_create(&d), S_OK);
    enum { N = 5 };
    host_rec r[N];
    wbemsink *s[N];
    IWbemClassObject *pool = host_objects_new(N * 10), *p[N * 10];
    ws_ptrs(pool, 0, N * 10, p);
    for (int i = 0; i < N; i++) {
        host_rec_init(&r[i]);
        wbemsink_options o;
        memset(&o, 0, sizeof(o));
        o.dispatcher = d;
        wbemsink_callbacks cb = host_rec_callbacks(&r[i]);
        assert_int_equal(wbemsink_create(&cb, &o, &s[i]), S_OK);
        r[i].sink = s[i];
    }
    wbemsink_dispatcher_release(d);   /* the sinks keep it alive */
    for (int i = 0; i < N; i++) {
        host_indicate(s[i], 10, p + i * 10);
        host_set_status(s[i], WBEM_STATUS_COMPLETE, (HRESULT)i, NULL, NULL);
    }
    for (int i = 0; i < N; i++) {
        HRESULT final = -1;
        assert_int_equal(wbemsink_wait(s[i], 10000, &final), S_OK);
        assert_int_equal(final, i);
        assert_int_equal(r[i].objects, 10);
        assert_int_equal(r[i].completes, 1);
        host_release(&r[i], s[i]);
    }
    ws_pool_done(pool, N * 10);
}

static void test_dispatcher_option_needs_thread_mode(void **state)
{
    (void)state;
    wbemsink_dispatcher *d = NULL;
    assert_int_equal(wbemsink_dispatcher_create(&d), S_OK);
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.dispatcher = d;
    o.mode = WBEMSINK_MODE_PULL;
    wbemsink *s = (wbemsink *)1;
    assert_int_equal(wbemsink_create(NULL, &o, &s), E_INVALIDARG);
    assert_null(s);
    wbemsink_dispatcher_release(d);
}

/* ---------------- full policies ---------------- */

static void test_full_drop_newest(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 4, WBEMSINK_FULL_DROP_NEWEST, 0);
    IWbemClassObject *pool = host_objects_new(10), *p[10], *o;
    ws_ptrs(pool, 0, 10, p);
    assert_int_equal(host_indicate(s, 10, p), WBEM_S_NO_ERROR);
    for (int i = 0; i < 10; i++) assert_int_equal(pool[i].ref, i < 4 ? 2 : 1);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.received, 10);
    assert_int_equal(st.dropped, 6);
    assert_int_equal(st.queued, 4);
    assert_int_equal(st.high_water, 4);
    assert_int_equal(wbemsink_next(s, 0, &o), S_OK);
    assert_ptr_equal(o, p[0]);
    host_object_release(o);
    host_release(&r, s);
    ws_pool_done(pool, 10);
}

static void test_full_fail(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 4, WBEMSINK_FULL_FAIL, 0);
    IWbemClassObject *pool = host_objects_new(10), *p[10];
    ws_ptrs(pool, 0, 10, p);
    assert_int_equal(host_indicate(s, 10, p), WBEM_E_OUT_OF_MEMORY);   /* all or nothing */
    for (int i = 0; i < 10; i++) assert_int_equal(pool[i].ref, 1);
    assert_int_equal(host_indicate(s, 3, p), WBEM_S_NO_ERROR);
    assert_int_equal(host_indicate(s, 2, p + 3), WBEM_E_OUT_OF_MEMORY);   /* room is 1 */
    assert_int_equal(host_indicate(s, 1, p + 3), WBEM_S_NO_ERROR);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.received, 16);
    assert_int_equal(st.dropped, 12);
    assert_int_equal(st.queued, 4);
    host_release(&r, s);
    ws_pool_done(pool, 10);
}

static void test_full_wait_times_out_then_drops(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 4, WBEMSINK_FULL_WAIT, 50);
    IWbemClassObject *pool = host_objects_new(10), *p[10];
    ws_ptrs(pool, 0, 10, p);
    uint64_t t0 = ws_now_ms();
    assert_int_equal(host_indicate(s, 10, p), WBEM_S_NO_ERROR);
    uint64_t took = ws_now_ms() - t0;
    assert_true(took >= 45);
    assert_true(took < 5000);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.dropped, 6);
    assert_int_equal(st.queued, 4);
    host_release(&r, s);
    ws_pool_done(pool, 10);
}

static void test_full_wait_with_consumer_loses_nothing(void **state)
{
    (void)state;
    for (int mode = WBEMSINK_MODE_THREAD; mode <= WBEMSINK_MODE_INLINE; mode++) {
        host_rec r;
        host_rec_init(&r);
        r.check_order = 1;
        r.slow_every = 3;
        r.slow_us = 100;
        wbemsink *s = ws_make(&r, (wbemsink_mode)mode, 4, WBEMSINK_FULL_WAIT, 60000);
        IWbemClassObject *pool = host_objects_new(500), *p[500];
        for (int i = 0; i < 500; i++) pool[i].seq = (uint64_t)i;
        ws_ptrs(pool, 0, 500, p);
        for (int i = 0; i < 500; i += 50) assert_int_equal(host_indicate(s, 50, p + i), WBEM_S_NO_ERROR);
        host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
        assert_int_equal(wbemsink_wait(s, 30000, NULL), S_OK);
        assert_int_equal(r.objects, 500);
        assert_int_equal(r.out_of_order, 0);
        wbemsink_stats st;
        wbemsink_get_stats(s, &st);
        assert_int_equal(st.dropped, 0);
        assert_true(st.high_water <= 4);
        host_release(&r, s);
        ws_pool_done(pool, 500);
    }
}

/* A producer stuck in the WAIT policy is freed by a cancel. */
static void *blocked_producer(void *arg)
{
    void **a = arg;
    *(HRESULT *)a[2] = host_indicate(a[0], 10, a[1]);
    return NULL;
}

static void test_cancel_frees_waiting_producer(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 2, WBEMSINK_FULL_WAIT, 60000);
    ws_addref(s);
    IWbemClassObject *pool = host_objects_new(10), *p[10];
    ws_ptrs(pool, 0, 10, p);
    HRESULT hr = 1;
    void *args[3] = { s, p, &hr };
    pthread_t t;
    pthread_create(&t, NULL, blocked_producer, args);
    host_sleep_us(20000);
    uint64_t t0 = ws_now_ms();
    assert_int_equal(wbemsink_cancel(s, NULL), S_OK);
    pthread_join(t, NULL);
    assert_true(ws_now_ms() - t0 < 5000);
    assert_int_equal(hr, WBEM_E_CALL_CANCELLED);
    host_release(&r, s);
    ws_unref(s);
    ws_pool_done(pool, 10);
}

/* ---------------- sealing, allocation failures ---------------- */

static void test_sealed(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink_callbacks cb = host_rec_callbacks(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    assert_int_equal(wbemsink_set_callbacks(s, &cb), S_OK);
    assert_int_equal(wbemsink_cancel(s, NULL), S_OK);   /* ran on_complete: sealed */
    assert_int_equal(r.completes, 1);
    assert_int_equal(wbemsink_set_callbacks(s, &cb), WBEMSINK_E_SEALED);
    host_release(&r, s);

    /* A deadline that fires runs on_complete: it seals first. */
    host_rec_init(&r);
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = WBEMSINK_MODE_THREAD;
    o.timeout_ms = 20;
    s = NULL;
    assert_int_equal(wbemsink_create(&cb, &o, &s), S_OK);
    r.sink = s;
    assert_int_equal(wbemsink_wait(s, 10000, NULL), S_OK);
    assert_int_equal(wbemsink_set_callbacks(s, &cb), WBEMSINK_E_SEALED);
    assert_int_equal(r.complete_hr, WBEM_E_TIMED_OUT);
    host_release(&r, s);

    host_rec_init(&r);
    s = ws_make(&r, WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    host_set_status(s, WBEM_STATUS_PROGRESS, 0, NULL, NULL);   /* a call from WMI seals */
    assert_int_equal(wbemsink_set_callbacks(s, &cb), WBEMSINK_E_SEALED);
    host_release(&r, s);
}

/* Every allocation of a whole scenario made to fail in turn: never a
   crash, a leak or an object Released twice. */
static void test_allocation_failure_sweep(void **state)
{
    (void)state;
    for (int mode = WBEMSINK_MODE_THREAD; mode <= WBEMSINK_MODE_PULL; mode++) {
        for (long nth = 1; nth < 40; nth++) {
            long base = host_alloc_live();
            IWbemClassObject *pool = host_objects_new(40), *p[40];
            ws_ptrs(pool, 0, 40, p);
            host_rec r;
            host_rec_init(&r);
            wbemsink_options o;
            memset(&o, 0, sizeof(o));
            o.mode = (wbemsink_mode)mode;
            o.capacity = 64;
            o.full_policy = WBEMSINK_FULL_DROP_NEWEST;
            wbemsink_callbacks cb = host_rec_callbacks(&r);
            wbemsink *s = NULL;
            host_alloc_fail_nth(nth);
            HRESULT hr = wbemsink_create(&cb, &o, &s);
            if (FAILED(hr)) {
                assert_int_equal(hr, E_OUTOFMEMORY);
                assert_null(s);
            } else {
                r.sink = s;
                ws_addref(s);
                for (int i = 0; i < 40; i += 20) host_indicate(s, 20, p + i);
                host_set_status(s, WBEM_STATUS_PROGRESS, 1, L"p", NULL);
                host_set_status(s, WBEM_STATUS_REQUIREMENTS, 1, NULL, p[0]);
                host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, L"param", p[1]);
                IWbemClassObject *x;
                if (mode == WBEMSINK_MODE_PULL)
                    while (wbemsink_next(s, 0, &x) == S_OK) host_object_release(x);
                else
                    wbemsink_wait(s, 200, NULL);
                assert_true(r.completes <= 1);
                host_release(&r, s);
                ws_unref(s);
            }
            host_alloc_fail_nth(0);
            assert_true(host_quiesce(10000));
            assert_int_equal(host_alloc_settle(base, 5000), base);
            assert_int_equal(r.after_release, 0);
            ws_pool_done(pool, 40);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WS_TEST(test_thread_mode_complete_once),
        WS_TEST(test_complete_with_no_callbacks),
        WS_TEST(test_wait_timeout),
        WS_TEST(test_release_in_complete_thread_and_inline),
        WS_TEST(test_cancel_from_caller),
        WS_TEST(test_cancel_explicit_services_overrides_bound),
        WS_TEST(test_cancel_inside_callback_is_deferred),
        WS_TEST(test_callback_failure_stops),
        WS_TEST(test_cancel_after_complete_is_noop),
        WS_TEST(test_release_before_complete_cancels_at_wmi),
        WS_TEST(test_no_callback_after_release),
        WS_TEST(test_inline_runs_on_callers_thread),
        WS_TEST(test_pull_mode),
        WS_TEST(test_pull_waits_for_producer),
        WS_TEST(test_shared_dispatcher),
        WS_TEST(test_dispatcher_option_needs_thread_mode),
        WS_TEST(test_full_drop_newest),
        WS_TEST(test_full_fail),
        WS_TEST(test_full_wait_times_out_then_drops),
        WS_TEST(test_full_wait_with_consumer_loses_nothing),
        WS_TEST(test_cancel_frees_waiting_producer),
        WS_TEST(test_sealed),
        WS_TEST(test_allocation_failure_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
