/* Indicate: references, order, bad input, the bounded buffer and its
   policies, and that Indicate does not wait for slow callbacks. */
#include "test_support.h"
#include <string.h>

/* Queued objects are AddRef'd (WMI releases its own right after Indicate)
   and come out in order, each Released once. */
static void keeps_references_and_order(void **state)
{
    (void)state;
    wbemsink *s;
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    IWbemObjectSink *sink = wbemsink_interface(s);
    IWbemClassObject *objs[5];
    make_objects(objs, 5);
    assert_hr(IWbemObjectSink_Indicate(sink, 3, objs), WBEM_S_NO_ERROR);
    assert_hr(IWbemObjectSink_Indicate(sink, 2, objs + 3), WBEM_S_NO_ERROR);
    for (int i = 0; i < 5; i++) assert_int_equal(fake_object_refs(objs[i]), 2);
    release_objects(objs, 5);                    /* as WMI does */
    for (int i = 0; i < 5; i++) {
        IWbemClassObject *o1;
        assert_hr(wbemsink_next(s, 0, &o1), S_OK);
        assert_ptr_equal(o1, objs[i]);
        assert_int_equal(fake_object_refs(o1), 1);   /* now the caller's */
        IWbemClassObject_Release(o1);
    }
    wbemsink_stats st;
    assert_hr(wbemsink_get_stats(s, &st), S_OK);
    assert_int_equal(st.received, 5);
    assert_int_equal(st.delivered, 5);
    assert_int_equal(st.high_water, 5);
    wbemsink_release(s);
}

static void rejects_bad_arguments(void **state)
{
    (void)state;
    recorder r;
    wbemsink_options o = opts(WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s = recorded_sink(&r, &o);
    IWbemObjectSink *sink = wbemsink_interface(s);
    IWbemClassObject *objs[3];
    make_objects(objs, 3);
    IWbemClassObject *with_null[3] = { objs[0], NULL, objs[2] };

    assert_hr(IWbemObjectSink_Indicate(sink, -1, objs), WBEM_E_INVALID_PARAMETER);
    assert_hr(IWbemObjectSink_Indicate(sink, 2, NULL), WBEM_E_INVALID_PARAMETER);
    assert_hr(IWbemObjectSink_Indicate(sink, 3, with_null), WBEM_E_INVALID_PARAMETER);
    assert_hr(IWbemObjectSink_Indicate(sink, (LONG)0x80000000, objs), WBEM_E_INVALID_PARAMETER);
    assert_hr(IWbemObjectSink_Indicate(sink, 0, NULL), WBEM_S_NO_ERROR);   /* nothing: fine */
    for (int i = 0; i < 3; i++) assert_int_equal(fake_object_refs(objs[i]), 1);   /* nothing kept */
    assert_int_equal(r.objects, 0);

    wbemsink_stats st;
    assert_hr(wbemsink_get_stats(s, &st), S_OK);
    assert_int_equal(st.invalid_calls, 4);
    assert_int_equal(st.received, 0);
    assert_hr(wbemsink_get_stats(s, NULL), E_POINTER);
    assert_hr(wbemsink_get_stats(NULL, &st), E_POINTER);
    release_objects(objs, 3);
    wbemsink_release(s);
    recorder_free(&r);
}

static void full_drop_newest_counts_drops(void **state)
{
    (void)state;
    wbemsink *s;
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 4, WBEMSINK_FULL_DROP_NEWEST, 0);
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    IWbemClassObject *objs[6];
    make_objects(objs, 6);
    assert_hr(IWbemObjectSink_Indicate(wbemsink_interface(s), 6, objs), WBEM_S_NO_ERROR);
    for (int i = 0; i < 4; i++) assert_int_equal(fake_object_refs(objs[i]), 2);
    for (int i = 4; i < 6; i++) assert_int_equal(fake_object_refs(objs[i]), 1);  /* dropped: Released */
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.dropped, 2);
    assert_int_equal(st.queued, 4);
    assert_int_equal(st.high_water, 4);
    release_objects(objs, 6);
    wbemsink_release(s);         /* Releases the 4 still queued */
}

static void full_fail_keeps_nothing(void **state)
{
    (void)state;
    wbemsink *s;
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 4, WBEMSINK_FULL_FAIL, 0);
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    IWbemClassObject *objs[6];
    make_objects(objs, 6);
    IWbemObjectSink *sink = wbemsink_interface(s);
    assert_hr(IWbemObjectSink_Indicate(sink, 3, objs), WBEM_S_NO_ERROR);
    assert_hr(IWbemObjectSink_Indicate(sink, 3, objs + 3), WBEM_E_OUT_OF_MEMORY);
    for (int i = 3; i < 6; i++) assert_int_equal(fake_object_refs(objs[i]), 1);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.dropped, 3);
    assert_int_equal(st.queued, 3);
    release_objects(objs, 6);
    wbemsink_release(s);
}

/* WAIT: Indicate blocks until the consumer makes room, then keeps all. */
typedef struct taker { wbemsink *s; int taken; } taker;
static DWORD WINAPI take_slowly(void *p)
{
    taker *t = p;
    IWbemClassObject *o1;
    for (;;) {
        Sleep(20);
        HRESULT hr = wbemsink_next(t->s, 2000, &o1);
        if (hr != S_OK) break;
        IWbemClassObject_Release(o1);
        t->taken++;
    }
    return 0;
}

static void full_wait_blocks_until_room(void **state)
{
    (void)state;
    wbemsink *s;
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 2, WBEMSINK_FULL_WAIT, 10000);
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    taker t = { s, 0 };
    HANDLE th = CreateThread(NULL, 0, take_slowly, &t, 0, NULL);
    IWbemClassObject *objs[8];
    make_objects(objs, 8);
    IWbemObjectSink *sink = wbemsink_interface(s);
    assert_hr(IWbemObjectSink_Indicate(sink, 8, objs), WBEM_S_NO_ERROR);
    assert_hr(IWbemObjectSink_SetStatus(sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), S_OK);
    WaitForSingleObject(th, INFINITE);
    CloseHandle(th);
    assert_int_equal(t.taken, 8);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.dropped, 0);
    assert_int_equal(st.high_water, 2);
    release_objects(objs, 8);
    wbemsink_release(s);
}

static void full_wait_gives_up_after_bound(void **state)
{
    (void)state;
    wbemsink *s;
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 2, WBEMSINK_FULL_WAIT, 50);
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    IWbemClassObject *objs[5];
    make_objects(objs, 5);
    assert_hr(IWbemObjectSink_Indicate(wbemsink_interface(s), 5, objs), WBEM_S_NO_ERROR);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.queued, 2);
    assert_int_equal(st.dropped, 3);
    for (int i = 2; i < 5; i++) assert_int_equal(fake_object_refs(objs[i]), 1);
    release_objects(objs, 5);
    wbemsink_release(s);
}

/* THREAD mode: Indicate returns while on_objects is still blocked. The
   callback waits (bounded) for the test to say Indicate returned; if
   Indicate waited for the callback, the callback times out and records it. */
typedef struct gate { HANDLE indicated; int timed_out; int calls; DWORD thread; } gate;
static HRESULT blocked_objects(void *ctx, IWbemClassObject *const *objs, LONG n)
{
    (void)objs;
    (void)n;
    gate *g = ctx;
    g->thread = GetCurrentThreadId();
    if (g->calls++ == 0 && WaitForSingleObject(g->indicated, 5000) != WAIT_OBJECT_0)
        g->timed_out = 1;
    return S_OK;
}

static void thread_mode_indicate_does_not_wait_for_callbacks(void **state)
{
    (void)state;
    gate g = { CreateEventW(NULL, TRUE, FALSE, NULL), 0, 0, 0 };
    wbemsink_callbacks cb = { 0 };
    cb.context = &g;
    cb.on_objects = blocked_objects;
    wbemsink *s;
    assert_hr(wbemsink_create(&cb, NULL, &s), S_OK);       /* THREAD is the default */
    IWbemObjectSink *sink = wbemsink_interface(s);
    IWbemClassObject *objs[3];
    make_objects(objs, 3);
    for (int i = 0; i < 3; i++) {
        assert_hr(IWbemObjectSink_Indicate(sink, 1, objs + i), WBEM_S_NO_ERROR);
        Sleep(10);   /* let the dispatcher enter the callback */
    }
    SetEvent(g.indicated);
    assert_hr(IWbemObjectSink_SetStatus(sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), S_OK);
    HRESULT final_hr = E_FAIL;
    assert_hr(wbemsink_wait(s, 10000, &final_hr), S_OK);
    assert_hr(final_hr, S_OK);
    assert_int_equal(g.timed_out, 0);
    assert_int_not_equal(g.thread, GetCurrentThreadId());
    release_objects(objs, 3);
    wbemsink_release(s);
    CloseHandle(g.indicated);
}

/* Many producer threads: every object delivered once, callbacks never
   overlap, and nothing is left referenced. */
static void concurrent_producers_deliver_everything(void **state)
{
    (void)state;
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(1), FAKE_STEP_INDICATE(7), FAKE_STEP_INDICATE(100),
        FAKE_STEP_INDICATE(3), FAKE_STEP_INDICATE(250), FAKE_STEP_END,
    };
    wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE };
    for (int m = 0; m < 2; m++) {
        recorder r;
        wbemsink_options o = opts(modes[m], 64, WBEMSINK_FULL_WAIT, 60000);
        wbemsink *s = recorded_sink(&r, &o);
        IWbemServices *svc = play(s, script, 8);
        fake_services_wait_idle(svc);
        assert_hr(IWbemObjectSink_SetStatus(wbemsink_interface(s), WBEM_STATUS_COMPLETE, S_OK,
                                            NULL, NULL), S_OK);
        assert_hr(wbemsink_wait(s, 30000, NULL), S_OK);
        assert_int_equal(r.objects, 8 * 361);
        assert_int_equal(r.completes, 1);
        assert_int_equal(r.max_concurrent, 1);
        assert_int_equal(r.unheld, 0);
        assert_int_equal(fake_services_indicate_failures(svc), 0);
        wbemsink_stats st;
        wbemsink_get_stats(s, &st);
        assert_int_equal(st.received, 8 * 361);
        assert_int_equal(st.delivered, 8 * 361);
        assert_true(st.high_water <= 64);
        assert_int_equal(fake_services_pending(svc), 0);
        assert_int_equal(settled_sink_refs(s), 1);
        wbemsink_release(s);
        fake_services_destroy(svc);
        recorder_free(&r);
        assert_fakes_balanced();
    }
}

/* A single producer's objects come out in the order sent, in every mode. */
static void single_producer_order_is_kept(void **state)
{
    (void)state;
    static const fake_step script[] = {
        FAKE_STEP_INDICATE(5), FAKE_STEP_INDICATE(1), FAKE_STEP_INDICATE(300),
        FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END,
    };
    wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE };
    for (int m = 0; m < 2; m++) {
        recorder r;
        wbemsink_options o = opts(modes[m], 0, WBEMSINK_FULL_WAIT, 0);
        wbemsink *s = recorded_sink(&r, &o);
        IWbemServices *svc = play(s, script, 1);
        assert_hr(wbemsink_wait(s, 30000, NULL), S_OK);
        assert_int_equal(r.objects, 306);
        assert_int_equal(r.out_of_order, 0);
        fake_services_wait_idle(svc);
        wbemsink_release(s);
        fake_services_destroy(svc);
        recorder_free(&r);
    }
}

/* INLINE runs callbacks on WMI's (the caller's) thread. */
static void inline_mode_runs_on_calling_thread(void **state)
{
    (void)state;
    recorder r;
    wbemsink_options o = opts(WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s = recorded_sink(&r, &o);
    IWbemClassObject *obj = fake_object_create(L"x");
    assert_hr(IWbemObjectSink_Indicate(wbemsink_interface(s), 1, &obj), WBEM_S_NO_ERROR);
    assert_int_equal(r.n, 1);                    /* already delivered on return */
    assert_int_equal(r.events[0].thread, GetCurrentThreadId());
    IWbemClassObject_Release(obj);
    wbemsink_release(s);
    recorder_free(&r);
}

/* Many sinks share one dispatcher thread. */
static void shared_dispatcher_serves_many_sinks(void **state)
{
    (void)state;
    enum { N = 50 };
    wbemsink_dispatcher *d;
    assert_hr(wbemsink_dispatcher_create(&d), S_OK);
    static recorder r[N];
    wbemsink *s[N];
    for (int i = 0; i < N; i++) {
        recorder_init(&r[i]);
        wbemsink_callbacks cb = recorder_callbacks(&r[i]);
        wbemsink_options o = opts(WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
        o.dispatcher = d;
        assert_hr(wbemsink_create(&cb, &o, &s[i]), S_OK);
    }
    wbemsink_dispatcher_release(d);     /* the sinks keep it alive */
    IWbemClassObject *obj = fake_object_create(L"x");
    for (int i = 0; i < N; i++) {
        IWbemObjectSink *sink = wbemsink_interface(s[i]);
        assert_hr(IWbemObjectSink_Indicate(sink, 1, &obj), WBEM_S_NO_ERROR);
        assert_hr(IWbemObjectSink_SetStatus(sink, WBEM_STATUS_COMPLETE, (HRESULT)i, NULL, NULL), S_OK);
    }
    for (int i = 0; i < N; i++) {
        HRESULT hr;
        assert_hr(wbemsink_wait(s[i], 10000, &hr), S_OK);
        assert_hr(hr, (HRESULT)i);
        assert_int_equal(r[i].objects, 1);
        assert_int_equal(r[i].events[0].thread, r[0].events[0].thread);   /* one thread */
    }
    for (int i = 0; i < N; i++) {
        wbemsink_release(s[i]);
        recorder_free(&r[i]);
    }
    IWbemClassObject_Release(obj);
    wbemsink_options bad = opts(WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    assert_hr(wbemsink_dispatcher_create(&d), S_OK);
    bad.dispatcher = d;
    wbemsink *x = (wbemsink *)1;
    assert_hr(wbemsink_create(NULL, &bad, &x), E_INVALIDARG);   /* dispatcher needs THREAD */
    wbemsink_dispatcher_release(d);
    assert_hr(wbemsink_dispatcher_create(NULL), E_POINTER);
    wbemsink_dispatcher_release(NULL);
}

/* PULL mode in batches: order kept, counts right, end of data. */
static void pull_batches(void **state)
{
    (void)state;
    wbemsink *s;
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    IWbemClassObject *objs[10], *got[4];
    make_objects(objs, 10);
    IWbemObjectSink *sink = wbemsink_interface(s);
    assert_hr(IWbemObjectSink_Indicate(sink, 10, objs), WBEM_S_NO_ERROR);
    assert_hr(IWbemObjectSink_SetStatus(sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), S_OK);
    release_objects(objs, 10);
    ULONG n = 99, total = 0;
    const ULONG want[] = { 4, 4, 2 };
    for (int b = 0; b < 3; b++) {
        assert_hr(wbemsink_next_batch(s, 0, got, 4, &n), S_OK);
        assert_int_equal(n, want[b]);
        for (ULONG i = 0; i < n; i++) {
            assert_ptr_equal(got[i], objs[total + i]);
            assert_int_equal(fake_object_refs(got[i]), 1);
            IWbemClassObject_Release(got[i]);
        }
        total += n;
    }
    assert_hr(wbemsink_next_batch(s, 0, got, 4, &n), WBEM_S_NO_MORE_DATA);
    assert_int_equal(n, 0);
    assert_hr(wbemsink_next_batch(s, 0, got, 0, &n), E_INVALIDARG);
    assert_hr(wbemsink_next_batch(s, 0, NULL, 4, &n), E_POINTER);
    assert_hr(wbemsink_next_batch(s, 0, got, 4, NULL), E_POINTER);
    assert_hr(wbemsink_next_batch(NULL, 0, got, 4, &n), E_POINTER);
    wbemsink_release(s);
}

/* THREAD-mode sinks without a dispatcher share the process-wide one; from
   inside a callback, waiting on another sink of the same dispatcher is
   refused (it could never complete), not a deadlock. */
typedef struct waiter { wbemsink *other; HRESULT hr; DWORD thread; } waiter;
static void wait_other(void *ctx, HRESULT hr, const wchar_t *p, IWbemClassObject *e)
{
    (void)hr;
    (void)p;
    (void)e;
    waiter *w = ctx;
    w->thread = GetCurrentThreadId();
    w->hr = wbemsink_wait(w->other, 5000, NULL);
}

static void default_sinks_share_one_dispatcher(void **state)
{
    (void)state;
    waiter wa = { NULL, E_FAIL, 0 }, wb = { NULL, E_FAIL, 0 };
    wbemsink_callbacks ca = { 0 }, cb = { 0 };
    ca.context = &wa;
    ca.on_complete = wait_other;
    cb.context = &wb;
    cb.on_complete = wait_other;
    wbemsink *a, *b;
    assert_hr(wbemsink_create(&ca, NULL, &a), S_OK);
    assert_hr(wbemsink_create(&cb, NULL, &b), S_OK);
    wa.other = b;
    wb.other = a;
    IWbemObjectSink_SetStatus(wbemsink_interface(a), WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_hr(wbemsink_wait(a, 10000, NULL), S_OK);
    assert_hr(wa.hr, WBEMSINK_E_IN_CALLBACK);       /* b is on the same thread */
    IWbemObjectSink_SetStatus(wbemsink_interface(b), WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_hr(wbemsink_wait(b, 10000, NULL), S_OK);
    assert_hr(wb.hr, WBEMSINK_E_IN_CALLBACK);
    assert_int_equal(wa.thread, wb.thread);
    assert_int_not_equal(wa.thread, GetCurrentThreadId());
    wbemsink_release(a);
    wbemsink_release(b);
}

/* Refused objects are loss (issue 22 §2): an Indicate with objects in it
   refused for bad arguments (a NULL entry, a NULL array) makes WMI's
   successful end WBEMSINK_E_OBJECTS_REFUSED, for wait, on_complete and the
   puller, in every mode. */
static void refused_objects_fail_a_successful_end(void **state)
{
    (void)state;
    static const wbemsink_mode modes[] = { WBEMSINK_MODE_INLINE, WBEMSINK_MODE_THREAD, WBEMSINK_MODE_PULL };
    for (int m = 0; m < 3; m++) {
        for (int kind = 0; kind < 2; kind++) {
            recorder r;
            wbemsink_options o = opts(modes[m], 0, WBEMSINK_FULL_WAIT, 0);
            wbemsink *s = recorded_sink(&r, &o);
            IWbemObjectSink *sink = wbemsink_interface(s);
            IWbemClassObject *objs[2];
            make_objects(objs, 2);
            IWbemClassObject *with_null[2] = { objs[1], NULL };
            assert_hr(IWbemObjectSink_Indicate(sink, 1, objs), WBEM_S_NO_ERROR);
            assert_hr(IWbemObjectSink_Indicate(sink, 2, kind ? NULL : with_null), WBEM_E_INVALID_PARAMETER);
            assert_hr(IWbemObjectSink_SetStatus(sink, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL), WBEM_S_NO_ERROR);
            if (modes[m] == WBEMSINK_MODE_PULL) {
                IWbemClassObject *got = NULL;
                HRESULT hr;
                int n = 0;
                while ((hr = wbemsink_next(s, 5000, &got)) == S_OK) {
                    n++;
                    IWbemClassObject_Release(got);
                }
                assert_int_equal(n, 1);
                assert_hr(hr, WBEMSINK_E_OBJECTS_REFUSED);
            }
            HRESULT final = S_OK;
            assert_hr(wbemsink_wait(s, 5000, &final), S_OK);
            assert_hr(final, WBEMSINK_E_OBJECTS_REFUSED);
            assert_int_equal(r.completes, 1);
            assert_int_equal(r.events[r.n - 1].kind, EV_COMPLETE);
            assert_hr(r.events[r.n - 1].hr, WBEMSINK_E_OBJECTS_REFUSED);
            for (int i = 0; i < 2; i++) assert_int_equal(fake_object_refs(objs[i]), 1);   /* nothing kept */
            wbemsink_stats st;
            assert_hr(wbemsink_get_stats(s, &st), S_OK);
            assert_int_equal(st.invalid_calls, 1);
            wbemsink_release(s);
            release_objects(objs, 2);
            recorder_free(&r);
        }
    }
}

/* The shared dispatcher lingers after its last sink (issue 22 §4): two
   queries 20 ms apart, one after the other, run on the same thread. */
static void on_complete_thread(void *ctx, HRESULT hr, const wchar_t *p, IWbemClassObject *e)
{
    (void)hr;
    (void)p;
    (void)e;
    *(DWORD *)ctx = GetCurrentThreadId();
}

static void shared_dispatcher_lingers(void **state)
{
    (void)state;
    DWORD thread[2] = { 0, 0 };
    for (int i = 0; i < 2; i++) {
        if (i) Sleep(20);
        wbemsink_callbacks cb = { 0 };
        cb.context = &thread[i];
        cb.on_complete = on_complete_thread;
        wbemsink *s;
        assert_hr(wbemsink_create(&cb, NULL, &s), S_OK);   /* THREAD, the shared dispatcher */
        IWbemObjectSink_SetStatus(wbemsink_interface(s), WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
        assert_hr(wbemsink_wait(s, 10000, NULL), S_OK);
        wbemsink_release(s);   /* the only sink: the dispatcher's count goes to 0 */
    }
    assert_int_not_equal(thread[0], 0);
    assert_int_equal(thread[0], thread[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(keeps_references_and_order, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(rejects_bad_arguments, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(full_drop_newest_counts_drops, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(full_fail_keeps_nothing, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(full_wait_blocks_until_room, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(full_wait_gives_up_after_bound, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(thread_mode_indicate_does_not_wait_for_callbacks, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(concurrent_producers_deliver_everything, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(single_producer_order_is_kept, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(inline_mode_runs_on_calling_thread, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(shared_dispatcher_serves_many_sinks, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(default_sinks_share_one_dispatcher, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(refused_objects_fail_a_successful_end, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(shared_dispatcher_lingers, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(pull_batches, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests_name("indicate", tests, NULL, NULL);
}
