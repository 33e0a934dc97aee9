/* The bounded ring behind Indicate (src/queue.c): order, wraparound,
   growth by doubling up to the capacity, allocation failure. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "host_shell.h"

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
    assert_int_equal(host_alloc_settle(g_base, 2000), g_base);
    return 0;
}

#define P(i) ((void *)(uintptr_t)(i))

static void test_empty(void **state)
{
    (void)state;
    ws_queue q;
    ws_queue_init(&q, 8);
    void *out[4];
    assert_int_equal(ws_queue_room(&q), 8);
    assert_int_equal(ws_queue_pop(&q, out, 4), 0);
    assert_int_equal(ws_queue_push(&q, NULL, 0), 0);
    assert_null(q.slots);    /* an idle queue holds no memory */
    ws_queue_free(&q);
    ws_queue_free(&q);       /* twice is harmless */
}

static void test_fifo_and_small_capacity(void **state)
{
    (void)state;
    ws_queue q;
    ws_queue_init(&q, 3);    /* below the first block of 16: clamped */
    void *in[3] = { P(1), P(2), P(3) }, *out[3];
    assert_int_equal(ws_queue_push(&q, in, 3), 3);
    assert_int_equal(q.size, 3);
    assert_int_equal(ws_queue_room(&q), 0);
    assert_int_equal(ws_queue_pop(&q, out, 2), 2);
    assert_ptr_equal(out[0], P(1));
    assert_ptr_equal(out[1], P(2));
    assert_int_equal(ws_queue_room(&q), 2);
    ws_queue_free(&q);
}

static void test_wraparound(void **state)
{
    (void)state;
    ws_queue q;
    ws_queue_init(&q, 16);
    void *buf[16], *out[16];
    uintptr_t next_in = 1, next_out = 1;
    /* Many rounds of pushing and popping odd amounts: the ring wraps at
       every position; order must hold. */
    for (int round = 0; round < 500; round++) {
        size_t n = (size_t)(round * 7 % 11) + 1;
        if (n > ws_queue_room(&q)) n = ws_queue_room(&q);
        for (size_t i = 0; i < n; i++) buf[i] = P(next_in++);
        assert_int_equal(ws_queue_push(&q, buf, n), n);
        assert_true(q.size <= 16);
        size_t m = (size_t)(round * 5 % 9) + 1;
        size_t got = ws_queue_pop(&q, out, m);
        assert_int_equal(got, m < q.count + got ? m : q.count + got);
        for (size_t i = 0; i < got; i++) assert_ptr_equal(out[i], P(next_out++));
    }
    while (q.count) {
        size_t got = ws_queue_pop(&q, out, 16);
        for (size_t i = 0; i < got; i++) assert_ptr_equal(out[i], P(next_out++));
    }
    assert_int_equal(next_in, next_out);
    ws_queue_free(&q);
}

static void test_growth_keeps_order_of_wrapped_ring(void **state)
{
    (void)state;
    ws_queue q;
    ws_queue_init(&q, 1000);
    void *buf[64], *out[64];
    uintptr_t in = 1, outn = 1;
    /* Fill 16, take 10, push 6 (wrapped), then push 40: grows while wrapped. */
    for (int i = 0; i < 16; i++) buf[i] = P(in++);
    assert_int_equal(ws_queue_push(&q, buf, 16), 16);
    assert_int_equal(q.size, 16);
    assert_int_equal(ws_queue_pop(&q, out, 10), 10);
    for (int i = 0; i < 10; i++) assert_ptr_equal(out[i], P(outn++));
    for (int i = 0; i < 6; i++) buf[i] = P(in++);
    assert_int_equal(ws_queue_push(&q, buf, 6), 6);
    assert_int_equal(q.size, 16);
    assert_true(q.head != 0);
    for (int i = 0; i < 40; i++) buf[i] = P(in++);
    assert_int_equal(ws_queue_push(&q, buf, 40), 40);
    assert_int_equal(q.size, 64);          /* 16 -> 32 -> 64 */
    assert_int_equal(q.head, 0);           /* unwrapped by the growth */
    size_t got;
    while ((got = ws_queue_pop(&q, out, 64)) > 0)
        for (size_t i = 0; i < got; i++) assert_ptr_equal(out[i], P(outn++));
    assert_int_equal(in, outn);
    ws_queue_free(&q);
}

static void test_growth_clamped_to_capacity(void **state)
{
    (void)state;
    ws_queue q;
    ws_queue_init(&q, 100);
    void *buf[100];
    for (int i = 0; i < 100; i++) buf[i] = P(i + 1);
    assert_int_equal(ws_queue_push(&q, buf, 70), 70);
    assert_int_equal(q.size, 100);          /* 128 clamped */
    assert_int_equal(ws_queue_room(&q), 30);
    assert_int_equal(ws_queue_push(&q, buf, 30), 30);
    assert_int_equal(ws_queue_room(&q), 0);
    ws_queue_free(&q);
}

static void test_growth_failure_keeps_contents(void **state)
{
    (void)state;
    ws_queue q;
    ws_queue_init(&q, 1000);
    void *buf[40], *out[40];
    for (int i = 0; i < 40; i++) buf[i] = P(i + 1);
    assert_int_equal(ws_queue_push(&q, buf, 10), 10);
    host_alloc_fail_nth(1);
    assert_int_equal(ws_queue_push(&q, buf + 10, 30), 0);   /* needs 64 slots */
    host_alloc_fail_nth(0);
    assert_int_equal(q.count, 10);
    assert_int_equal(ws_queue_pop(&q, out, 40), 10);
    for (int i = 0; i < 10; i++) assert_ptr_equal(out[i], P(i + 1));
    ws_queue_free(&q);
}

static void test_max_capacity_grows_lazily(void **state)
{
    (void)state;
    ws_queue q;
    ws_queue_init(&q, WBEMSINK_MAX_CAPACITY);
    void *buf[1] = { P(1) }, *out[1];
    assert_int_equal(ws_queue_push(&q, buf, 1), 1);
    assert_int_equal(q.size, 16);   /* 8 bytes per slot, reserved as it grows */
    assert_int_equal(ws_queue_pop(&q, out, 1), 1);
    ws_queue_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_and_small_capacity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wraparound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_growth_keeps_order_of_wrapped_ring, setup, teardown),
        cmocka_unit_test_setup_teardown(test_growth_clamped_to_capacity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_growth_failure_keeps_contents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_capacity_grows_lazily, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
