/* Paced delivery (issue 13) against the fake enumerator: through NextAsync
   and through the Next fallback, in every delivery mode. Every case
   asserts: the rows equal the enumerator's, object for object and in
   order; exactly one completion with the expected HRESULT; nothing
   dropped; the queue never held more than its capacity; the enumerator
   given back (its count back to the test's one reference); every fake
   object back to 0. */
#include "test_support.h"
#include "fake_enum.h"
#include <stdlib.h>
#include <string.h>

#define BOUND_MS 10000

static const wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE, WBEMSINK_MODE_PULL };
/* The enumerator's NextAsync, and the Next fallback it forces. */
static const int both_paths[] = { FAKE_ENUM_ASYNC, FAKE_ENUM_NOTIMPL };
#define NMODES (sizeof modes / sizeof modes[0])

/* ---- a collector of rows ----------------------------------------------- */

typedef struct coll {
    CRITICAL_SECTION lock;
    LONG *rows;
    LONG n, cap;
    int strays;             /* objects without a Row (the hostile fake's) */
    int completes;
    HRESULT final;
    DWORD sleep_ms;         /* per on_objects call: a slow consumer */
    LONG stop_after;        /* > 0: once n reaches it, do `stop` (once) */
    enum { STOP_NONE, STOP_CANCEL, STOP_RELEASE, STOP_FAIL } stop;
    int stopped;
    volatile LONG returned;  /* the stopping callback is past its last use of c */
    wbemsink *s;
} coll;

static void coll_add(coll *c, IWbemClassObject *o)
{
    LONG row;
    if (wbemsink_get_int32(o, L"Row", &row) != S_OK) {
        c->strays++;
        return;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->rows = realloc(c->rows, (size_t)c->cap * sizeof(*c->rows));
        assert_non_null(c->rows);
    }
    c->rows[c->n++] = row;
}

static HRESULT on_objects(void *ctx, IWbemClassObject *const *objs, LONG count)
{
    coll *c = ctx;
    if (c->sleep_ms) Sleep(c->sleep_ms);
    EnterCriticalSection(&c->lock);
    for (LONG i = 0; i < count; i++) coll_add(c, objs[i]);
    int stop = c->stop_after > 0 && c->n >= c->stop_after && !c->stopped;
    if (stop) c->stopped = 1;
    int how = c->stop;
    LeaveCriticalSection(&c->lock);
    if (!stop) return S_OK;
    if (how == STOP_CANCEL) assert_hr(wbemsink_cancel(c->s, NULL), S_OK);
    if (how == STOP_RELEASE) wbemsink_release(c->s);
    InterlockedExchange(&c->returned, 1);   /* c may be freed from here on */
    return how == STOP_FAIL ? E_ABORT : S_OK;
}

static void on_complete(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    coll *c = ctx;
    (void)param;
    (void)err;
    EnterCriticalSection(&c->lock);
    c->completes++;
    c->final = hr;
    LeaveCriticalSection(&c->lock);
}

static wbemsink *coll_sink(coll *c, wbemsink_mode mode, unsigned capacity, wbemsink_full_policy policy)
{
    memset(c, 0, sizeof(*c));
    InitializeCriticalSection(&c->lock);
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = c;
    cb.on_objects = on_objects;
    cb.on_complete = on_complete;
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = mode;
    o.capacity = capacity;
    o.full_policy = policy;
    assert_hr(wbemsink_create(&cb, &o, &c->s), S_OK);
    return c->s;
}

static void coll_free(coll *c)
{
    free(c->rows);
    DeleteCriticalSection(&c->lock);
}

/* Runs the operation to its end: PULL takes objects itself. */
static HRESULT finish(coll *c, wbemsink_mode mode)
{
    HRESULT final = E_FAIL, hr = S_OK;
    if (mode == WBEMSINK_MODE_PULL) {
        IWbemClassObject *o;
        while ((hr = wbemsink_next(c->s, BOUND_MS, &o)) == S_OK) {
            if (c->sleep_ms) Sleep(c->sleep_ms);
            EnterCriticalSection(&c->lock);
            coll_add(c, o);
            LeaveCriticalSection(&c->lock);
            IWbemClassObject_Release(o);
        }
    }
    assert_hr(wbemsink_wait(c->s, BOUND_MS, &final), S_OK);
    /* The puller's loop ended on the result (WBEM_S_NO_MORE_DATA when clean). */
    if (mode == WBEMSINK_MODE_PULL) assert_hr(hr, FAILED(final) ? final : WBEM_S_NO_MORE_DATA);
    return final;
}

static void assert_rows(const coll *c, LONG first, LONG count)
{
    assert_int_equal(c->n, count);
    for (LONG i = 0; i < count; i++)
        if (c->rows[i] != first + i) fail_msg("row %ld is %ld", (long)i, (long)c->rows[i]);
}

/* The sink's worker gave the enumerator back and the provider is idle. */
static void assert_enum_settled(IEnumWbemClassObject *e)
{
    for (int i = 0; i < BOUND_MS / 5 && fake_enum_refs(e) > 1; i++) Sleep(5);
    assert_int_equal(fake_enum_refs(e), 1);
    fake_enum_wait_idle(e);
    assert_int_equal(fake_enum_over_released(e), 0);
}

static void assert_clean_stats(wbemsink *s, unsigned capacity)
{
    wbemsink_stats st;
    assert_hr(wbemsink_get_stats(s, &st), S_OK);
    assert_int_equal(st.dropped, 0);
    assert_true(st.high_water <= capacity);
}

/* ---- the whole result set ---------------------------------------------- */

static void run_all(int next_async, unsigned capacity, ULONG batch, DWORD sleep_ms, LONG total)
{
    for (size_t m = 0; m < NMODES; m++) {
        fake_objects_reset();
        fake_enum_options eo = { .total = total, .next_async = next_async };
        IEnumWbemClassObject *e = fake_enum_create(&eo);
        coll c;
        wbemsink *s = coll_sink(&c, modes[m], capacity, WBEMSINK_FULL_DROP_NEWEST);
        c.sleep_ms = sleep_ms;
        assert_hr(wbemsink_start_paced(s, e, batch), S_OK);
        assert_hr(finish(&c, modes[m]), S_OK);
        assert_int_equal(c.completes, 1);
        assert_hr(c.final, S_OK);
        assert_rows(&c, 0, total);
        assert_clean_stats(s, capacity);
        assert_enum_settled(e);
        ULONG want = batch ? batch : (capacity / 4 < 256 ? capacity / 4 : 256);
        if (!want) want = 1;
        if (want > capacity) want = capacity;
        assert_true(fake_enum_largest_request(e) <= (LONG)want);
        if (next_async == FAKE_ENUM_ASYNC) {
            assert_true(fake_enum_next_async_calls(e) > 0 || total == 0);
            assert_int_equal(fake_enum_next_calls(e), 0);
        } else {
            assert_int_equal(fake_enum_next_async_calls(e), 0);
            assert_true(fake_enum_next_calls(e) > 0);
        }
        assert_int_equal(settled_sink_refs(s), 1);
        wbemsink_release(s);
        assert_int_equal(fake_enum_sinks_held(e), 0);
        fake_enum_destroy(e);
        coll_free(&c);
        assert_fakes_balanced();
    }
}

static void next_async_every_mode(void **state)
{
    (void)state;
    run_all(FAKE_ENUM_ASYNC, 64, 16, 0, 1000);
    run_all(FAKE_ENUM_ASYNC, 4096, 0, 0, 1000);    /* the default batch */
    run_all(FAKE_ENUM_ASYNC, 16, 16, 0, 160);      /* ends on a full batch */
    run_all(FAKE_ENUM_ASYNC, 16, 0, 0, 0);         /* nothing at all */
}

static void fallback_every_mode(void **state)
{
    (void)state;
    run_all(FAKE_ENUM_NOTIMPL, 64, 16, 0, 1000);
    run_all(FAKE_ENUM_NOT_SUPPORTED, 4096, 0, 0, 1000);
    run_all(FAKE_ENUM_NOTIMPL, 16, 16, 0, 0);
}

/* A consumer far slower than the provider, a small queue: nothing dropped
   (under DROP_NEWEST, which drops at once when full), the queue within its
   capacity, the provider's Indicate never waiting. */
static void slow_consumer_small_capacity(void **state)
{
    (void)state;
    run_all(FAKE_ENUM_ASYNC, 8, 0, 1, 200);
    run_all(FAKE_ENUM_NOTIMPL, 8, 0, 1, 200);
}

/* ---- failures, slowness, hostility ------------------------------------- */

static HRESULT run_one(const fake_enum_options *eo, wbemsink_mode mode, unsigned capacity, ULONG batch,
                       coll *c, IEnumWbemClassObject **out_e, unsigned timeout_ms)
{
    IEnumWbemClassObject *e = fake_enum_create(eo);
    memset(c, 0, sizeof(*c));
    InitializeCriticalSection(&c->lock);
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    cb.context = c;
    cb.on_objects = on_objects;
    cb.on_complete = on_complete;
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = mode;
    o.capacity = capacity;
    o.timeout_ms = timeout_ms;
    assert_hr(wbemsink_create(&cb, &o, &c->s), S_OK);
    assert_hr(wbemsink_start_paced(c->s, e, batch), S_OK);
    *out_e = e;
    return finish(c, mode);
}

static void done_one(coll *c, IEnumWbemClassObject *e)
{
    assert_enum_settled(e);
    assert_int_equal(settled_sink_refs(c->s), 1);
    wbemsink_release(c->s);
    fake_enum_destroy(e);
    coll_free(c);
}

static void error_mid_way(void **state)
{
    (void)state;
    for (size_t p = 0; p < 2; p++)
        for (size_t m = 0; m < NMODES; m++) {
            fake_enum_options eo = { .total = 500, .fail_at = 100, .fail_hr = WBEM_E_PROVIDER_FAILURE,
                                     .next_async = both_paths[p] };
            coll c;
            IEnumWbemClassObject *e;
            assert_hr(run_one(&eo, modes[m], 64, 30, &c, &e, 0), WBEM_E_PROVIDER_FAILURE);
            assert_int_equal(c.completes, 1);
            assert_hr(c.final, WBEM_E_PROVIDER_FAILURE);
            assert_rows(&c, 0, 100);
            done_one(&c, e);
            assert_fakes_balanced();
        }
}

/* Batches that take longer than the worker's 100 ms slice: NextAsync
   waits, Next times out and is asked again. */
static void slow_provider(void **state)
{
    (void)state;
    for (size_t p = 0; p < 2; p++) {
        fake_enum_options eo = { .total = 45, .batch_delay_ms = 150, .next_async = both_paths[p] };
        coll c;
        IEnumWbemClassObject *e;
        assert_hr(run_one(&eo, WBEMSINK_MODE_THREAD, 64, 10, &c, &e, 0), S_OK);
        assert_int_equal(c.completes, 1);
        assert_rows(&c, 0, 45);
        if (both_paths[p] == FAKE_ENUM_NOTIMPL) assert_true(fake_enum_next_calls(e) > 5);
        done_one(&c, e);
    }
}

static void hostile_orders(void **state)
{
    (void)state;
    static const unsigned kinds[] = { FAKE_ENUM_STATUS_DURING_INDICATE, FAKE_ENUM_INDICATE_AFTER_STATUS,
                                      FAKE_ENUM_LATE_RELEASE, FAKE_ENUM_SYNC_DELIVERY,
                                      FAKE_ENUM_STATUS_DURING_INDICATE | FAKE_ENUM_INDICATE_AFTER_STATUS |
                                          FAKE_ENUM_LATE_RELEASE };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t m = 0; m < NMODES; m++) {
            fake_objects_reset();
            fake_enum_options eo = { .total = 100, .hostile = kinds[k] };
            IEnumWbemClassObject *e = fake_enum_create(&eo);
            coll c;
            wbemsink *s = coll_sink(&c, modes[m], 32, WBEMSINK_FULL_DROP_NEWEST);
            /* A slow INLINE consumer keeps Indicate running while the
               batch's SetStatus arrives from the other thread. */
            if (modes[m] != WBEMSINK_MODE_PULL) c.sleep_ms = 2;
            assert_hr(wbemsink_start_paced(s, e, 16), S_OK);
            assert_hr(finish(&c, modes[m]), S_OK);
            assert_int_equal(c.completes, 1);
            assert_rows(&c, 0, 100);
            assert_int_equal(c.strays, 0);
            assert_clean_stats(s, 32);
            if (kinds[k] & FAKE_ENUM_INDICATE_AFTER_STATUS) assert_true(fake_enum_refused(e) > 0);
            else assert_int_equal(fake_enum_refused(e), 0);
            assert_enum_settled(e);
            if (kinds[k] & FAKE_ENUM_LATE_RELEASE) {
                /* The batch sinks kept by the provider hold the sink: the
                   user's release still works, the last Release comes later. */
                assert_true(fake_enum_sinks_held(e) > 0);
                wbemsink_release(s);
            } else {
                assert_int_equal(settled_sink_refs(s), 1);
                wbemsink_release(s);
            }
            fake_enum_destroy(e);   /* gives back the late references */
            coll_free(&c);
            assert_fakes_balanced();
        }
}

/* ---- cancel, release, deadline ------------------------------------------ */

static void stop_mid_way(int how, int from_callback, int next_async)
{
    for (size_t m = 0; m < NMODES; m++) {
        if (from_callback && modes[m] == WBEMSINK_MODE_PULL) continue;   /* no on_objects */
        fake_objects_reset();
        fake_enum_options eo = { .total = 100000, .next_async = next_async };
        IEnumWbemClassObject *e = fake_enum_create(&eo);
        coll c;
        wbemsink *s = coll_sink(&c, modes[m], 64, WBEMSINK_FULL_WAIT);
        c.sleep_ms = modes[m] == WBEMSINK_MODE_PULL ? 0 : 1;
        if (from_callback) {
            c.stop_after = 100;
            c.stop = how;
        }
        ULONG refs_before = sink_refs(s);
        (void)refs_before;
        assert_hr(wbemsink_start_paced(s, e, 16), S_OK);
        if (!from_callback) {
            if (modes[m] == WBEMSINK_MODE_PULL) {
                IWbemClassObject *o;
                for (int i = 0; i < 100; i++) {
                    assert_hr(wbemsink_next(s, BOUND_MS, &o), S_OK);
                    IWbemClassObject_Release(o);
                }
            } else {
                for (int i = 0; i < BOUND_MS / 5; i++) {
                    EnterCriticalSection(&c.lock);
                    LONG n = c.n;
                    LeaveCriticalSection(&c.lock);
                    if (n >= 100) break;
                    Sleep(5);
                }
            }
            if (how == STOP_CANCEL) assert_hr(wbemsink_cancel(s, NULL), S_OK);
            if (how == STOP_RELEASE) wbemsink_release(s);
        }
        if (how != STOP_RELEASE) {
            HRESULT final;
            if (modes[m] == WBEMSINK_MODE_PULL) {
                IWbemClassObject *o;
                while (wbemsink_next(s, BOUND_MS, &o) == S_OK) IWbemClassObject_Release(o);
            }
            assert_hr(wbemsink_wait(s, BOUND_MS, &final), S_OK);
            assert_hr(final, WBEM_E_CALL_CANCELLED);
            if (modes[m] != WBEMSINK_MODE_PULL || c.completes) assert_int_equal(c.completes, 1);
            assert_int_equal(settled_sink_refs(s), 1);
            /* A cancel after the end changes nothing. */
            assert_hr(wbemsink_cancel(s, NULL), S_FALSE);
            wbemsink_release(s);
        } else {
            if (from_callback)
                for (int i = 0; i < BOUND_MS / 5 && !c.returned; i++) Sleep(5);
            assert_true(c.completes <= 1);
        }
        assert_enum_settled(e);
        assert_true(fake_enum_rows_out(e) < 100000);   /* it stopped asking */
        fake_enum_destroy(e);
        coll_free(&c);
        assert_fakes_balanced();
    }
}

static void cancel_mid_way(void **state)
{
    (void)state;
    stop_mid_way(STOP_CANCEL, 0, FAKE_ENUM_ASYNC);
    stop_mid_way(STOP_CANCEL, 0, FAKE_ENUM_NOTIMPL);
}

static void cancel_from_callback(void **state)
{
    (void)state;
    stop_mid_way(STOP_CANCEL, 1, FAKE_ENUM_ASYNC);
    stop_mid_way(STOP_CANCEL, 1, FAKE_ENUM_NOTIMPL);
    stop_mid_way(STOP_FAIL, 1, FAKE_ENUM_ASYNC);
}

static void release_mid_way(void **state)
{
    (void)state;
    stop_mid_way(STOP_RELEASE, 0, FAKE_ENUM_ASYNC);
    stop_mid_way(STOP_RELEASE, 0, FAKE_ENUM_NOTIMPL);
    stop_mid_way(STOP_RELEASE, 1, FAKE_ENUM_ASYNC);
    stop_mid_way(STOP_RELEASE, 1, FAKE_ENUM_NOTIMPL);
}

static void deadline(void **state)
{
    (void)state;
    for (size_t p = 0; p < 2; p++) {
        fake_enum_options eo = { .total = 1000, .batch_delay_ms = 120, .next_async = both_paths[p] };
        coll c;
        IEnumWbemClassObject *e;
        assert_hr(run_one(&eo, WBEMSINK_MODE_THREAD, 64, 10, &c, &e, 400), WBEM_E_TIMED_OUT);
        assert_int_equal(c.completes, 1);
        assert_true(c.n < 1000);
        done_one(&c, e);
    }
}

/* ---- the query helper and arguments -------------------------------------- */

static void exec_query_paced_fake(void **state)
{
    (void)state;
    IWbemServices *svc = fake_services_create();
    fake_enum_options eo = { .total = 300 };
    fake_services_enum_options(svc, &eo);
    coll c;
    wbemsink *s = coll_sink(&c, WBEMSINK_MODE_THREAD, 32, WBEMSINK_FULL_WAIT);
    assert_hr(wbemsink_exec_query_paced(s, svc, L"SELECT * FROM Fake", 0, NULL, 8), S_OK);
    assert_hr(finish(&c, WBEMSINK_MODE_THREAD), S_OK);
    assert_rows(&c, 0, 300);
    assert_int_equal(c.completes, 1);
    IEnumWbemClassObject *e = fake_services_last_enum(svc);
    assert_non_null(e);
    /* The caller's reference of ExecQuery was given back by the helper and
       the worker's at the end: nobody holds the enumerator. */
    for (int i = 0; i < BOUND_MS / 5 && fake_enum_refs(e) > 0; i++) Sleep(5);
    assert_int_equal(fake_enum_refs(e), 0);
    assert_int_equal(fake_services_refs(svc), 1);   /* not bound, not kept */
    assert_int_equal(settled_sink_refs(s), 1);
    wbemsink_release(s);
    coll_free(&c);

    /* A failing ExecQuery is the operation's single completion. */
    s = coll_sink(&c, WBEMSINK_MODE_THREAD, 32, WBEMSINK_FULL_WAIT);
    fake_services_fail_next(svc, WBEM_E_INVALID_QUERY);
    assert_hr(wbemsink_exec_query_paced(s, svc, L"SELEC nonsense", 0, NULL, 0), S_OK);
    assert_hr(finish(&c, WBEMSINK_MODE_THREAD), WBEM_E_INVALID_QUERY);
    assert_int_equal(c.completes, 1);
    assert_int_equal(c.n, 0);
    wbemsink_release(s);
    coll_free(&c);
    fake_services_destroy(svc);
}

static void bad_arguments(void **state)
{
    (void)state;
    IEnumWbemClassObject *e = fake_enum_create(NULL);
    IWbemServices *svc = fake_services_create();
    wbemsink *s;
    assert_hr(wbemsink_create(NULL, NULL, &s), S_OK);
    assert_hr(wbemsink_start_paced(NULL, e, 0), E_POINTER);
    assert_hr(wbemsink_start_paced(s, NULL, 0), E_POINTER);
    assert_hr(wbemsink_exec_query_paced(NULL, svc, L"q", 0, NULL, 0), E_POINTER);
    assert_hr(wbemsink_exec_query_paced(s, NULL, L"q", 0, NULL, 0), E_POINTER);
    assert_hr(wbemsink_exec_query_paced(s, svc, NULL, 0, NULL, 0), E_POINTER);
    assert_int_equal(fake_enum_refs(e), 1);
    wbemsink_release(s);
    fake_enum_destroy(e);
    fake_services_destroy(svc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(next_async_every_mode, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(fallback_every_mode, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(slow_consumer_small_capacity, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(error_mid_way, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(slow_provider, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(hostile_orders, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(cancel_mid_way, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(cancel_from_callback, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(release_mid_way, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(deadline, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(exec_query_paced_fake, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(bad_arguments, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
