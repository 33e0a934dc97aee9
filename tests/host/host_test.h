/* Common to the CMocka host tests: every scenario starts and ends with the
   same checks: the library's live allocations back to where they were, no
   object Released too often or used after its count reached zero, no
   deferred cancel thread left running. */
#ifndef WBEMSINK_HOST_TEST_H
#define WBEMSINK_HOST_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "host_port.h"

static long g_mem_base;
static long long g_obj_err_base;

static int ws_setup(void **state)
{
    (void)state;
    host_alloc_fail_nth(0);
    /* The shared dispatcher ends with its last sink, so memory counts come
       back to where they were. */
    ws_dispatcher_set_linger(0);
    g_mem_base = host_alloc_live();
    g_obj_err_base = host_object_errors();
    return 0;
}

static int ws_teardown(void **state)
{
    (void)state;
    host_alloc_fail_nth(0);
    assert_true(host_quiesce(10000));
    assert_int_equal(host_alloc_settle(g_mem_base, 5000), g_mem_base);
    assert_int_equal(host_object_errors(), g_obj_err_base);
    return 0;
}

#define WS_TEST(f) cmocka_unit_test_setup_teardown(f, ws_setup, ws_teardown)

/* Creates a sink recording into r (r->sink set). */
static inline wbemsink *ws_make(host_rec *r, wbemsink_mode mode, unsigned capacity,
                                wbemsink_full_policy policy, unsigned wait_ms)
{
    wbemsink_options o;
    memset(&o, 0, sizeof(o));
    o.mode = mode;
    o.capacity = capacity;
    o.full_policy = policy;
    o.full_wait_ms = wait_ms;
    wbemsink_callbacks cb = host_rec_callbacks(r);
    wbemsink *s = NULL;
    assert_int_equal(wbemsink_create(&cb, &o, &s), S_OK);
    assert_non_null(s);
    r->sink = s;
    return s;
}

/* Pointers to pool[from..from+n). */
static inline void ws_ptrs(IWbemClassObject *pool, size_t from, size_t n, IWbemClassObject **out)
{
    for (size_t i = 0; i < n; i++) out[i] = &pool[from + i];
}

/* Drops the producer's reference of every object; each must reach 0. */
static inline void ws_pool_done(IWbemClassObject *pool, size_t n)
{
    assert_true(host_quiesce(10000));
    /* The last reference may go on another thread (the dispatcher's), a
       little after wbemsink_release returned: give it time. */
    uint64_t deadline = ws_now_ms() + 10000;
    for (size_t i = 0; i < n; i++) {
        while (__atomic_load_n(&pool[i].ref, __ATOMIC_ACQUIRE) != 1 && ws_now_ms() < deadline)
            host_sleep_us(200);
        assert_int_equal(__atomic_load_n(&pool[i].ref, __ATOMIC_ACQUIRE), 1);
        host_object_release(&pool[i]);
    }
    host_objects_free(pool);
}

#endif
