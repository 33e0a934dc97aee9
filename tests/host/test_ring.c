/* The lock-free ring behind Indicate (src/core/ring.c): order, the
   capacity, segments linked as it fills and recycled as it empties, marks,
   closing, allocation failure, and many producers at once with one
   consumer (the TSan build checks the hand-off). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "host_port.h"

static long g_base;

static int setup(void **state)
{
    (void)state;
    g_base = host_alloc_live();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    host_alloc_fail_nth(0);
    assert_int_equal(host_alloc_settle(g_base, 2000), g_base);
    return 0;
}

/* Never 1: that value is WS_RING_MARK. */
#define P(i) ((void *)(uintptr_t)(16 * (i) + 16))

/* Reserves and stores n items, linking segments as the owner would. */
static ws_ring_result put(ws_ring *r, void *const *items, size_t n)
{
    int64_t seq;
    ws_ring_result res = ws_ring_reserve(r, n, &seq);
    if (res == WS_RING_GROW) {
        if (!ws_ring_grow(r, n)) return WS_RING_GROW;
        res = ws_ring_reserve(r, n, &seq);
    }
    if (res == WS_RING_OK) ws_ring_store(r, seq, items, n);
    return res;
}

static void test_empty(void **state)
{
    (void)state;
    ws_ring r;
    assert_true(ws_ring_init(&r, 8));
    void *out[4];
    assert_int_equal(ws_ring_room(&r), 8);
    assert_int_equal(ws_ring_count(&r), 0);
    assert_int_equal(ws_ring_take(&r, out, 4), 0);
    assert_null(ws_ring_peek(&r));
    int64_t seq;
    assert_int_equal(ws_ring_reserve(&r, 1, &seq), WS_RING_GROW);   /* no segment yet */
    ws_ring_free(&r);
    ws_ring_free(&r);       /* twice is harmless */
}

static void test_fifo_and_capacity(void **state)
{
    (void)state;
    ws_ring r;
    assert_true(ws_ring_init(&r, 3));
    void *in[4] = { P(1), P(2), P(3), P(4) }, *out[4];
    assert_int_equal(put(&r, in, 4), WS_RING_FULL);   /* all or none */
    assert_int_equal(ws_ring_count(&r), 0);
    assert_int_equal(put(&r, in, 3), WS_RING_OK);
    assert_int_equal(ws_ring_room(&r), 0);
    assert_int_equal(put(&r, in + 3, 1), WS_RING_FULL);
    assert_int_equal(ws_ring_take(&r, out, 2), 2);
    assert_ptr_equal(out[0], P(1));
    assert_ptr_equal(out[1], P(2));
    assert_int_equal(ws_ring_room(&r), 2);
    assert_int_equal(put(&r, in + 3, 1), WS_RING_OK);
    assert_int_equal(ws_ring_take(&r, out, 4), 2);
    assert_ptr_equal(out[0], P(3));
    assert_ptr_equal(out[1], P(4));
    assert_int_equal(ws_ring_tail(&r), 4);
    ws_ring_free(&r);
}

/* Far more traffic than the capacity, in uneven steps: order holds across
   segment boundaries and the memory stays bounded (segments recycled). */
static void test_long_run_recycles_segments(void **state)
{
    (void)state;
    ws_ring r;
    assert_true(ws_ring_init(&r, 100));
    void *buf[37], *out[64];
    uintptr_t next_in = 1, next_out = 1;
    long peak = 0;
    for (int round = 0; round < 5000; round++) {
        size_t n = (size_t)(round % 37) + 1;
        if (n > ws_ring_room(&r)) n = ws_ring_room(&r);
        for (size_t i = 0; i < n; i++) buf[i] = P(next_in++);
        assert_int_equal(put(&r, buf, n), WS_RING_OK);
        size_t got = ws_ring_take(&r, out, (size_t)(round % 29) + 1);
        for (size_t i = 0; i < got; i++) assert_ptr_equal(out[i], P(next_out++));
        long live = host_alloc_live() - g_base;
        if (live > peak) peak = live;
    }
    size_t got;
    while ((got = ws_ring_take(&r, out, 64)) > 0)
        for (size_t i = 0; i < got; i++) assert_ptr_equal(out[i], P(next_out++));
    assert_int_equal(next_in, next_out);
    /* The table, at most three segments in use and one spare. */
    assert_true(peak <= 5);
    ws_ring_free(&r);
}

static void test_marks_come_alone(void **state)
{
    (void)state;
    ws_ring r;
    assert_true(ws_ring_init(&r, 16));
    void *in[5] = { P(10), P(11), WS_RING_MARK, P(12), WS_RING_MARK }, *out[8];
    assert_int_equal(put(&r, in, 5), WS_RING_OK);
    assert_int_equal(ws_ring_take(&r, out, 8), 2);      /* objects before the mark */
    assert_int_equal(ws_ring_take(&r, out, 8), 1);
    assert_ptr_equal(out[0], WS_RING_MARK);
    assert_ptr_equal(ws_ring_peek(&r), P(12));
    assert_int_equal(ws_ring_take(&r, out, 8), 1);
    assert_ptr_equal(out[0], P(12));
    assert_int_equal(ws_ring_take(&r, out, 8), 1);
    assert_ptr_equal(out[0], WS_RING_MARK);
    ws_ring_free(&r);
}

/* A reserved entry not stored yet stops the consumer: order over speed. */
static void test_unstored_entry_stops_the_consumer(void **state)
{
    (void)state;
    ws_ring r;
    assert_true(ws_ring_init(&r, 16));
    assert_true(ws_ring_grow(&r, 3));
    int64_t a, b;
    assert_int_equal(ws_ring_reserve(&r, 1, &a), WS_RING_OK);
    assert_int_equal(ws_ring_reserve(&r, 1, &b), WS_RING_OK);
    void *two = P(2), *one = P(1);
    ws_ring_store(&r, b, &two, 1);
    void *out[4];
    assert_int_equal(ws_ring_take(&r, out, 4), 0);
    ws_ring_store(&r, a, &one, 1);
    assert_int_equal(ws_ring_take(&r, out, 4), 2);
    assert_ptr_equal(out[0], P(1));
    assert_ptr_equal(out[1], P(2));
    ws_ring_free(&r);
}

static void test_close(void **state)
{
    (void)state;
    ws_ring r;
    assert_true(ws_ring_init(&r, 16));
    void *in[2] = { P(1), P(2) }, *out[4];
    assert_int_equal(put(&r, in, 2), WS_RING_OK);
    assert_int_equal(ws_ring_close(&r), 2);
    assert_int_equal(ws_ring_close(&r), 2);    /* idempotent */
    assert_true(ws_ring_is_closed(&r));
    assert_int_equal(ws_ring_room(&r), 0);
    int64_t seq;
    assert_int_equal(ws_ring_reserve(&r, 1, &seq), WS_RING_CLOSED);
    assert_int_equal(ws_ring_take(&r, out, 4), 2);   /* what came before still goes out */
    assert_int_equal(ws_ring_count(&r), 0);
    ws_ring_free(&r);
}

static void test_segment_failure_changes_nothing(void **state)
{
    (void)state;
    ws_ring r;
    assert_true(ws_ring_init(&r, 1000));
    host_alloc_fail_nth(1);
    assert_false(ws_ring_grow(&r, 10));
    host_alloc_fail_nth(0);
    int64_t seq;
    assert_int_equal(ws_ring_reserve(&r, 1, &seq), WS_RING_GROW);
    assert_int_equal(ws_ring_count(&r), 0);
    ws_ring_free(&r);
    host_alloc_fail_nth(1);
    assert_false(ws_ring_init(&r, 16));
}

static void test_max_capacity_reserves_lazily(void **state)
{
    (void)state;
    ws_ring r;
    long before = host_alloc_live();
    assert_true(ws_ring_init(&r, WBEMSINK_MAX_CAPACITY));
    void *in[1] = { P(1) }, *out[1];
    assert_int_equal(put(&r, in, 1), WS_RING_OK);
    assert_int_equal(host_alloc_live() - before, 2);     /* the table and one segment */
    assert_int_equal(ws_ring_take(&r, out, 1), 1);
    ws_ring_free(&r);
}

/* ---- many producers, one consumer ---- */

#define PRODUCERS 4
#define PER_PRODUCER 200000

typedef struct mp_ctx {
    ws_ring ring;
    ws_mutex lock;    /* the owner's lock: segment linking and taking */
    unsigned index;
} mp_ctx;

static mp_ctx g_mp;

static void producer(void *arg)
{
    uintptr_t id = (uintptr_t)arg;
    for (uintptr_t i = 0; i < PER_PRODUCER; i++) {
        void *item = (void *)(((i + 1) << 3) | id);   /* never 1: i + 1 >= 1 */
        for (;;) {
            int64_t seq;
            ws_ring_result res = ws_ring_reserve(&g_mp.ring, 1, &seq);
            if (res == WS_RING_OK) {
                ws_ring_store(&g_mp.ring, seq, &item, 1);
                break;
            }
            if (res == WS_RING_GROW) {
                ws_lock(&g_mp.lock);
                assert_true(ws_ring_grow(&g_mp.ring, 1));
                ws_unlock(&g_mp.lock);
            } else {
                ws_cpu_relax();   /* full: the consumer makes room */
            }
        }
    }
}

static void test_many_producers_keep_each_order(void **state)
{
    (void)state;
    assert_true(ws_ring_init(&g_mp.ring, 1024));
    ws_mutex_init(&g_mp.lock);
    ws_thread t[PRODUCERS];
    for (uintptr_t p = 0; p < PRODUCERS; p++) assert_int_equal(ws_thread_start(&t[p], producer, (void *)p), 0);
    uintptr_t next[PRODUCERS] = { 0 };
    size_t total = 0;
    void *out[256];
    while (total < (size_t)PRODUCERS * PER_PRODUCER) {
        ws_lock(&g_mp.lock);
        size_t got = ws_ring_take(&g_mp.ring, out, 256);
        ws_unlock(&g_mp.lock);
        for (size_t i = 0; i < got; i++) {
            uintptr_t v = (uintptr_t)out[i], id = v & 7, seq = v >> 3;
            assert_true(id < PRODUCERS);
            assert_int_equal(seq, next[id] + 1);   /* each producer's order holds */
            next[id] = seq;
        }
        total += got;
        if (!got) ws_cpu_relax();
    }
    for (int p = 0; p < PRODUCERS; p++) ws_thread_join(t[p]);
    assert_int_equal(ws_ring_count(&g_mp.ring), 0);
    ws_ring_free(&g_mp.ring);
    ws_mutex_destroy(&g_mp.lock);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_and_capacity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_run_recycles_segments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_marks_come_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unstored_entry_stops_the_consumer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_segment_failure_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_capacity_reserves_lazily, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_producers_keep_each_order, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
