/* Bad input at every public entry point the host build has (and at the
   core's Indicate/SetStatus): each gives its documented HRESULT, never a
   crash, a hang or a leak. The README table is this file, row by row. */
#include "host_test.h"
#include <limits.h>

static void test_create(void **state)
{
    (void)state;
    wbemsink_options o;
    wbemsink *s = (wbemsink *)1;
    assert_int_equal(wbemsink_create(NULL, NULL, NULL), E_POINTER);

    static const struct { int mode, policy; unsigned capacity; HRESULT hr; } rows[] = {
        { 3, 0, 0, E_INVALIDARG },
        { -1, 0, 0, E_INVALIDARG },
        { INT_MAX, 0, 0, E_INVALIDARG },
        { 0, 3, 0, E_INVALIDARG },
        { 0, -1, 0, E_INVALIDARG },
        { 0, 0, WBEMSINK_MAX_CAPACITY + 1u, E_INVALIDARG },
        { 0, 0, UINT_MAX, E_INVALIDARG },
        { 0, 0, WBEMSINK_MAX_CAPACITY, S_OK },
        { 1, 1, 1, S_OK },
        { 2, 2, 0, S_OK },
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        memset(&o, 0, sizeof(o));
        o.mode = (wbemsink_mode)rows[i].mode;
        o.full_policy = (wbemsink_full_policy)rows[i].policy;
        o.capacity = rows[i].capacity;
        s = (wbemsink *)1;
        assert_int_equal(wbemsink_create(NULL, &o, &s), rows[i].hr);
        if (FAILED(rows[i].hr)) {
            assert_null(s);
        } else {
            assert_non_null(s);
            wbemsink_release(s);
        }
    }
    /* Zero capacity and zero wait mean the defaults. */
    memset(&o, 0, sizeof(o));
    o.mode = WBEMSINK_MODE_PULL;
    assert_int_equal(wbemsink_create(NULL, &o, &s), S_OK);
    assert_int_equal(s->opt.capacity, WBEMSINK_DEFAULT_CAPACITY);
    assert_int_equal(s->opt.full_wait_ms, WBEMSINK_DEFAULT_FULL_WAIT_MS);
    wbemsink_release(s);
}

static void test_null_sink_everywhere(void **state)
{
    (void)state;
    wbemsink_callbacks cb;
    memset(&cb, 0, sizeof(cb));
    wbemsink_stats st;
    HRESULT final = 7;
    IWbemClassObject *o = (IWbemClassObject *)1;
    assert_int_equal(wbemsink_set_callbacks(NULL, &cb), E_POINTER);
    assert_int_equal(wbemsink_bind_services(NULL, NULL), E_POINTER);
    wbemsink_release(NULL);
    assert_int_equal(wbemsink_wait(NULL, 0, &final), E_POINTER);
    assert_int_equal(final, 7);
    assert_int_equal(wbemsink_next(NULL, 0, &o), E_POINTER);
    assert_null(o);
    assert_int_equal(wbemsink_next(NULL, 0, NULL), E_POINTER);
    assert_int_equal(wbemsink_cancel(NULL, NULL), E_POINTER);
    assert_int_equal(wbemsink_get_stats(NULL, &st), E_POINTER);
    assert_int_equal(wbemsink_dispatcher_create(NULL), E_POINTER);
    wbemsink_dispatcher_release(NULL);
    assert_int_equal(wbemsink_decode_status(0, 0, NULL), E_POINTER);
}

static void test_null_arguments_on_a_sink(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    assert_int_equal(wbemsink_set_callbacks(s, NULL), E_POINTER);
    assert_int_equal(wbemsink_get_stats(s, NULL), E_POINTER);
    assert_int_equal(wbemsink_next(s, 0, NULL), E_POINTER);
    IWbemClassObject *o = (IWbemClassObject *)1;
    assert_int_equal(wbemsink_next(s, 0, &o), WBEMSINK_E_WRONG_MODE);   /* not a pull sink */
    assert_null(o);
    assert_int_equal(wbemsink_bind_services(s, NULL), S_OK);             /* unbinds */
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_int_equal(wbemsink_wait(s, INFINITE, NULL), S_OK);            /* NULL final_hr */
    host_release(&r, s);
}

static void test_indicate_bad_arguments(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 8, WBEMSINK_FULL_WAIT, 0);
    IWbemClassObject *pool = host_objects_new(3), *p[3];
    ws_ptrs(pool, 0, 3, p);
    assert_int_equal(host_indicate(s, -1, p), WBEM_E_INVALID_PARAMETER);
    assert_int_equal(host_indicate(s, INT_MIN, p), WBEM_E_INVALID_PARAMETER);
    assert_int_equal(host_indicate(s, INT_MIN, NULL), WBEM_E_INVALID_PARAMETER);
    assert_int_equal(host_indicate(s, 1, NULL), WBEM_E_INVALID_PARAMETER);
    assert_int_equal(host_indicate(s, INT_MAX, NULL), WBEM_E_INVALID_PARAMETER);
    for (int hole = 0; hole < 3; hole++) {
        IWbemClassObject *q[3] = { p[0], p[1], p[2] };
        q[hole] = NULL;
        assert_int_equal(host_indicate(s, 3, q), WBEM_E_INVALID_PARAMETER);
    }
    for (int i = 0; i < 3; i++) assert_int_equal(pool[i].ref, 1);   /* nothing kept */
    assert_int_equal(host_indicate(s, 0, NULL), WBEM_S_NO_ERROR);
    assert_int_equal(host_indicate(s, 0, p), WBEM_S_NO_ERROR);
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.invalid_calls, 8);
    assert_int_equal(st.received, 0);
    assert_int_equal(st.queued, 0);
    /* A batch bigger than the capacity: the policy decides (WAIT: bounded). */
    host_release(&r, s);
    ws_pool_done(pool, 3);
}

static void test_batch_bigger_than_capacity(void **state)
{
    (void)state;
    static const struct { wbemsink_full_policy policy; HRESULT hr; unsigned kept; } rows[] = {
        { WBEMSINK_FULL_WAIT, WBEM_S_NO_ERROR, 1 },
        { WBEMSINK_FULL_DROP_NEWEST, WBEM_S_NO_ERROR, 1 },
        { WBEMSINK_FULL_FAIL, WBEM_E_OUT_OF_MEMORY, 0 },
    };
    for (size_t i = 0; i < 3; i++) {
        host_rec r;
        host_rec_init(&r);
        wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 1, rows[i].policy, 5);
        IWbemClassObject *pool = host_objects_new(100), *p[100];
        ws_ptrs(pool, 0, 100, p);
        assert_int_equal(host_indicate(s, 100, p), rows[i].hr);
        wbemsink_stats st;
        wbemsink_get_stats(s, &st);
        assert_int_equal(st.queued, rows[i].kept);
        assert_int_equal(st.dropped, 100 - rows[i].kept);
        host_release(&r, s);
        ws_pool_done(pool, 100);
    }
}

static void test_set_status_any_flags_any_hr(void **state)
{
    (void)state;
    static const LONG flags[] = { 3, 0x100, 0x40000000, (LONG)0x80000000, -1, INT_MAX, 0x102 };
    static const HRESULT hrs[] = { S_OK, (HRESULT)0x80000000L, -1, INT_MAX, WBEM_E_FAILED };
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_INLINE, 0, WBEMSINK_FULL_WAIT, 0);
    long n = 0;
    for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
        for (size_t h = 0; h < sizeof(hrs) / sizeof(hrs[0]); h++) {
            assert_int_equal(host_set_status(s, flags[f], hrs[h], f & 1 ? L"x" : NULL, NULL),
                             WBEM_S_NO_ERROR);
            n++;
        }
    assert_int_equal(r.other, n);         /* never mistaken for completion */
    assert_int_equal(r.completes, 0);
    assert_int_equal(wbemsink_wait(s, 0, NULL), WBEM_S_TIMEDOUT);
    host_set_status(s, WBEM_STATUS_COMPLETE, (HRESULT)0x80000000L, NULL, NULL);
    HRESULT final = 0;
    assert_int_equal(wbemsink_wait(s, 0, &final), S_OK);
    assert_int_equal(final, (HRESULT)0x80000000L);
    host_release(&r, s);

    /* No callbacks registered: the same calls are harmless. */
    s = NULL;
    assert_int_equal(wbemsink_create(NULL, NULL, &s), S_OK);
    for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
        host_set_status(s, flags[f], -1, L"y", NULL);
    host_set_status(s, WBEM_STATUS_PROGRESS, -1, NULL, NULL);
    host_set_status(s, WBEM_STATUS_REQUIREMENTS, -1, NULL, NULL);
    host_set_status(s, WBEM_STATUS_COMPLETE, -1, NULL, NULL);
    assert_int_equal(wbemsink_wait(s, 10000, NULL), S_OK);
    wbemsink_release(s);
}

/* After wbemsink_release, while WMI still holds its reference (so the
   pointer is valid): the library can tell, and says so. */
static void test_calls_after_release(void **state)
{
    (void)state;
    for (int mode = WBEMSINK_MODE_THREAD; mode <= WBEMSINK_MODE_PULL; mode++) {
        host_rec r;
        host_rec_init(&r);
        wbemsink *s = ws_make(&r, (wbemsink_mode)mode, 0, WBEMSINK_FULL_WAIT, 0);
        ws_addref(s);   /* WMI's */
        IWbemClassObject *pool = host_objects_new(1), *p[1];
        ws_ptrs(pool, 0, 1, p);
        host_release(&r, s);
        assert_int_equal(host_indicate(s, 1, p), WBEM_E_CALL_CANCELLED);
        assert_int_equal(pool[0].ref, 1);
        assert_int_equal(host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, L"p", p[0]), WBEM_E_CALL_CANCELLED);
        assert_int_equal(pool[0].ref, 1);
        assert_int_equal(host_indicate(s, -1, p), WBEM_E_INVALID_PARAMETER);
        wbemsink_release(s);   /* a second release: refused, not a double free */
        IWbemClassObject *o;
        if (mode == WBEMSINK_MODE_PULL) assert_int_equal(wbemsink_next(s, 0, &o), WBEM_E_CALL_CANCELLED);
        assert_int_equal(wbemsink_wait(s, 0, NULL), S_OK);
        assert_int_equal(wbemsink_cancel(s, NULL), S_FALSE);
        wbemsink_callbacks cb;
        memset(&cb, 0, sizeof(cb));
        assert_int_equal(wbemsink_set_callbacks(s, &cb), WBEMSINK_E_SEALED);
        wbemsink_stats st;
        assert_int_equal(wbemsink_get_stats(s, &st), S_OK);
        assert_int_equal(st.invalid_calls, 1);
        assert_int_equal(r.completes, 0);
        assert_int_equal(r.after_release, 0);
        ws_unref(s);
        ws_pool_done(pool, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WS_TEST(test_create),
        WS_TEST(test_null_sink_everywhere),
        WS_TEST(test_null_arguments_on_a_sink),
        WS_TEST(test_indicate_bad_arguments),
        WS_TEST(test_batch_bigger_than_capacity),
        WS_TEST(test_set_status_any_flags_any_hr),
        WS_TEST(test_calls_after_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
