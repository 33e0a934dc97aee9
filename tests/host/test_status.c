/* SetStatus decoding (src/status.c) and HRESULT names (src/errors.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "host_port.h"

static void test_exact_values(void **state)
{
    (void)state;
    wbemsink_status st;
    assert_int_equal(wbemsink_decode_status(WBEM_STATUS_COMPLETE, E_FAIL, &st), S_OK);
    assert_int_equal(st.kind, WBEMSINK_STATUS_COMPLETE);
    assert_int_equal(st.hr, E_FAIL);
    assert_int_equal(st.current, 0);
    assert_int_equal(st.total, 0);
    assert_int_equal(wbemsink_decode_status(WBEM_STATUS_REQUIREMENTS, 0x12345678, &st), S_OK);
    assert_int_equal(st.kind, WBEMSINK_STATUS_REQUIREMENTS);
    assert_int_equal(st.current, 0);
    assert_int_equal(wbemsink_decode_status(WBEM_STATUS_PROGRESS, 0x00640019, &st), S_OK);
    assert_int_equal(st.kind, WBEMSINK_STATUS_PROGRESS);
    assert_int_equal(st.current, 25);    /* LOWORD */
    assert_int_equal(st.total, 100);     /* HIWORD */
    assert_int_equal(st.flags, WBEM_STATUS_PROGRESS);
}

static void test_progress_words(void **state)
{
    (void)state;
    static const struct { uint32_t hr; unsigned lo, hi; } cases[] = {
        { 0x00000000u, 0, 0 },          { 0xffffffffu, 0xffff, 0xffff },
        { 0x80000000u, 0, 0x8000 },     { 0x0000ffffu, 0xffff, 0 },
        { 0xffff0000u, 0, 0xffff },     { 0x00010002u, 2, 1 },
        { 0x80041001u, 0x1001, 0x8004 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        wbemsink_status st;
        assert_int_equal(wbemsink_decode_status(WBEM_STATUS_PROGRESS, (HRESULT)cases[i].hr, &st), S_OK);
        assert_int_equal(st.current, cases[i].lo);
        assert_int_equal(st.total, cases[i].hi);
        assert_int_equal(LOWORD(cases[i].hr), cases[i].lo);
        assert_int_equal(HIWORD(cases[i].hr), cases[i].hi);
    }
}

/* Every flag value that is not exactly 0, 1 or 2 is OTHER: logging bits
   (0x100, 0x200, 0x400, 0x800 and 0x40000000 LOGGING_INFORMATION family),
   combinations with the known values, negative values. */
static void test_every_other_flag(void **state)
{
    (void)state;
    static const LONG known_other[] = {
        3, 4, 8, 0x10, 0x100, 0x101, 0x102, 0x200, 0x400, 0x800, 0x100 | 0x200,
        0x40000000, 0x40000100, 0x40000200, 0x40000400, 0x40000800,
        (LONG)0x80000000, -1, -2, 0x7fffffff,
    };
    for (size_t i = 0; i < sizeof(known_other) / sizeof(known_other[0]); i++) {
        wbemsink_status st;
        assert_int_equal(wbemsink_decode_status(known_other[i], S_OK, &st), S_OK);
        assert_int_equal(st.kind, WBEMSINK_STATUS_OTHER);
        assert_int_equal(st.flags, known_other[i]);
        assert_int_equal(st.current, 0);
    }
    /* Sweep: each single bit, and the low 16 bits exhaustively. */
    for (int b = 0; b < 32; b++) {
        wbemsink_status st;
        LONG f = (LONG)(1u << b);
        wbemsink_decode_status(f, 0, &st);
        assert_int_equal(st.kind, f == 1 ? WBEMSINK_STATUS_REQUIREMENTS
                                  : f == 2 ? WBEMSINK_STATUS_PROGRESS
                                           : WBEMSINK_STATUS_OTHER);
    }
    for (LONG f = 0; f < 0x10000; f++) {
        wbemsink_status st;
        wbemsink_decode_status(f, 0, &st);
        if (f > 2) assert_int_equal(st.kind, WBEMSINK_STATUS_OTHER);
    }
}

static void test_null_out(void **state)
{
    (void)state;
    assert_int_equal(wbemsink_decode_status(0, 0, NULL), E_POINTER);
}

static void test_hresult_names(void **state)
{
    (void)state;
    assert_string_equal(wbemsink_hresult_name(S_OK), "S_OK");
    assert_string_equal(wbemsink_hresult_name(WBEM_E_CALL_CANCELLED), "WBEM_E_CALL_CANCELLED");
    assert_string_equal(wbemsink_hresult_name(WBEM_E_INVALID_PARAMETER), "WBEM_E_INVALID_PARAMETER");
    assert_string_equal(wbemsink_hresult_name(WBEM_S_TIMEDOUT), "WBEM_S_TIMEDOUT");
    assert_string_equal(wbemsink_hresult_name(E_OUTOFMEMORY), "E_OUTOFMEMORY");
    assert_null(wbemsink_hresult_name((HRESULT)0x8badf00dL));
    assert_null(wbemsink_hresult_name((HRESULT)0x7fffffffL));
    /* The lookup never crashes on any sign/bit pattern. */
    for (uint32_t v = 0; v < 0x10000; v += 7) {
        (void)wbemsink_hresult_name((HRESULT)(0x80040000u | v));
        (void)wbemsink_hresult_name((HRESULT)(0x80070000u | v));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_values),
        cmocka_unit_test(test_progress_words),
        cmocka_unit_test(test_every_other_flag),
        cmocka_unit_test(test_null_out),
        cmocka_unit_test(test_hresult_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
