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

/* Refused objects are loss: an Indicate that carried objects and is
   refused for bad arguments makes a successful end
   WBEMSINK_E_OBJECTS_REFUSED, in every mode, for on_complete, wait and
   the puller alike; a call with a negative count carried none. */
static HRESULT end_after(wbemsink_mode mode, int bad_kind, HRESULT wmi_hr, wbemsink_stats *st,
                         HRESULT *complete_hr, HRESULT *pull_hr)
{
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, mode, 8, WBEMSINK_FULL_WAIT, 0);
    IWbemClassObject *pool = host_objects_new(3), *p[3];
    ws_ptrs(pool, 0, 3, p);
    assert_int_equal(host_indicate(s, 1, p), WBEM_S_NO_ERROR);
    IWbemClassObject *hole[2] = { p[1], NULL };
    if (bad_kind == 0) assert_int_equal(host_indicate(s, 2, hole), WBEM_E_INVALID_PARAMETER);
    if (bad_kind == 1) assert_int_equal(host_indicate(s, 2, NULL), WBEM_E_INVALID_PARAMETER);
    if (bad_kind == 2) assert_int_equal(host_indicate(s, -2, p), WBEM_E_INVALID_PARAMETER);
    assert_int_equal(host_indicate(s, 1, &p[2]), WBEM_S_NO_ERROR);
    host_set_status(s, WBEM_STATUS_COMPLETE, wmi_hr, NULL, NULL);
    *pull_hr = S_OK;
    if (mode == WBEMSINK_MODE_PULL) {
        IWbemClassObject *o;
        for (int i = 0; i < 2; i++) {
            assert_int_equal(wbemsink_next(s, 1000, &o), S_OK);
            host_object_release(o);
        }
        *pull_hr = wbemsink_next(s, 1000, &o);
        assert_null(o);
        assert_int_equal(wbemsink_next(s, 0, &o), *pull_hr);   /* and again */
    }
    HRESULT final = E_FAIL;
    assert_int_equal(wbemsink_wait(s, 5000, &final), S_OK);
    assert_int_equal(r.completes, 1);
    *complete_hr = r.complete_hr;
    wbemsink_get_stats(s, st);
    host_release(&r, s);
    ws_pool_done(pool, 3);
    return final;
}

static void test_refused_objects_are_loss(void **state)
{
    (void)state;
    static const wbemsink_mode modes[] = { WBEMSINK_MODE_THREAD, WBEMSINK_MODE_INLINE, WBEMSINK_MODE_PULL };
    static const struct { int bad_kind; HRESULT wmi_hr, want; } rows[] = {
        { 0, S_OK, WBEMSINK_E_OBJECTS_REFUSED },           /* a NULL entry */
        { 1, S_OK, WBEMSINK_E_OBJECTS_REFUSED },           /* n > 0, NULL array */
        { 2, S_OK, S_OK },                                  /* n < 0: nothing in it */
        { 0, WBEM_E_FAILED, WBEM_E_FAILED },               /* WMI's failure comes first */
        { 0, S_FALSE, WBEMSINK_E_OBJECTS_REFUSED },          /* any success */
        { 2, S_FALSE, S_FALSE },          /* WMI's success code: NO_MORE_DATA for the puller */
    };
    for (size_t m = 0; m < 3; m++) {
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
            wbemsink_stats st;
            HRESULT complete_hr, pull_hr;
            HRESULT final = end_after(modes[m], rows[i].bad_kind, rows[i].wmi_hr, &st, &complete_hr, &pull_hr);
            assert_int_equal(final, rows[i].want);
            assert_int_equal(complete_hr, rows[i].want);
            if (modes[m] == WBEMSINK_MODE_PULL)
                assert_int_equal(pull_hr, FAILED(rows[i].want) ? rows[i].want : WBEM_S_NO_MORE_DATA);
            assert_int_equal(st.invalid_calls, 1);
            assert_int_equal(st.delivered, 2);
        }
    }
}

/* Refused comes before dropped (both are loss; DROP_NEWEST's success must
   not hide the refusal); a refusal after the end changes nothing. */
static void test_refused_before_dropped_and_not_after_the_end(void **state)
{
    (void)state;
    host_rec r;
    host_rec_init(&r);
    wbemsink *s = ws_make(&r, WBEMSINK_MODE_PULL, 1, WBEMSINK_FULL_DROP_NEWEST, 0);
    IWbemClassObject *pool = host_objects_new(2), *p[2];
    ws_ptrs(pool, 0, 2, p);
    assert_int_equal(host_indicate(s, 2, p), WBEM_S_NO_ERROR);   /* one dropped */
    IWbemClassObject *hole[1] = { NULL };
    assert_int_equal(host_indicate(s, 1, hole), WBEM_E_INVALID_PARAMETER);
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    IWbemClassObject *o;
    assert_int_equal(wbemsink_next(s, 1000, &o), S_OK);
    host_object_release(o);
    assert_int_equal(wbemsink_next(s, 1000, &o), WBEMSINK_E_OBJECTS_REFUSED);
    HRESULT final = 0;
    assert_int_equal(wbemsink_wait(s, 0, &final), S_OK);
    assert_int_equal(final, WBEMSINK_E_OBJECTS_REFUSED);
    host_release(&r, s);

    /* Dropped alone, under DROP_NEWEST: the success code, also from next. */
    host_rec_init(&r);
    s = ws_make(&r, WBEMSINK_MODE_PULL, 1, WBEMSINK_FULL_DROP_NEWEST, 0);
    assert_int_equal(host_indicate(s, 2, p), WBEM_S_NO_ERROR);
    host_set_status(s, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_int_equal(wbemsink_next(s, 1000, &o), S_OK);
    host_object_release(o);
    assert_int_equal(wbemsink_next(s, 1000, &o), WBEMSINK_S_OBJECTS_DROPPED);
    /* A refused Indicate after the end: the result is given already. */
    assert_int_equal(host_indicate(s, 1, hole), WBEM_E_INVALID_PARAMETER);
    assert_int_equal(wbemsink_wait(s, 0, &final), S_OK);
    assert_int_equal(final, WBEMSINK_S_OBJECTS_DROPPED);
    assert_int_equal(r.complete_hr, WBEMSINK_S_OBJECTS_DROPPED);
    host_release(&r, s);
    ws_pool_done(pool, 2);
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
        WS_TEST(test_refused_objects_are_loss),
        WS_TEST(test_refused_before_dropped_and_not_after_the_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
