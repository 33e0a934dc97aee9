/*
 * Tests of wbemsink_hresult_name and wbemsink_hresult_text.
 *
 * The text tests run twice: first on a thread without COM (WMI's text is
 * out of reach, so the name or hex fallbacks are checked exactly), then with
 * COM initialised (multithreaded apartment), where WMI's text is preferred.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "wbemsink.h"

#include <objbase.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* Not in MinGW-w64's winerror.h; the value is the Windows SDK's. */
#ifndef E_ILLEGAL_METHOD_CALL
#define E_ILLEGAL_METHOD_CALL ((HRESULT)0x8000000EL)
#endif

/* A WMI code as an HRESULT (the enum constants are unsigned in MinGW-w64). */
#define WHR(c) ((HRESULT)(c))

/* A code nobody defines. */
#define UNKNOWN_HR ((HRESULT)0x8FFF1234L)

/* Set by the group setup of the COM group. */
static int com_ready;

/* Narrows a wide string for messages and string asserts (non-ASCII: '?'). */
static const char *narrow(const wchar_t *w, char *out, size_t size)
{
    size_t i;
    for (i = 0; i + 1 < size && w[i] != L'\0'; i++)
        out[i] = (w[i] > 0 && w[i] < 0x80) ? (char)w[i] : '?';
    out[i] = '\0';
    return out;
}

#define assert_wstring_equal(a, b) do {                                   \
        char na_[512], nb_[512];                                          \
        assert_string_equal(narrow((a), na_, sizeof na_),                 \
                            narrow((b), nb_, sizeof nb_));                \
        assert_int_equal(wcscmp((a), (b)), 0);                            \
    } while (0)

/* The text hr was given is only its name or its number (the fallbacks that
   wbemsink_hresult_text answers with S_FALSE), or a prefix of them when cut. */
static int is_name_or_number(HRESULT hr, const wchar_t *text)
{
    static const wchar_t hex_digits[] = L"0123456789ABCDEF";
    const char *name = wbemsink_hresult_name(hr);
    wchar_t full[64];
    size_t i, n = wcslen(text);
    unsigned long v = (unsigned long)(ULONG)hr;
    if (name) {
        for (i = 0; name[i] != '\0' && i < 63; i++)
            full[i] = (wchar_t)(unsigned char)name[i];
        full[i] = L'\0';
    } else {
        full[0] = L'0';
        full[1] = L'x';
        for (i = 0; i < 8; i++)
            full[2 + i] = hex_digits[(v >> (28 - 4 * i)) & 0xFu];
        full[10] = L'\0';
    }
    return n <= wcslen(full) && wcsncmp(text, full, n) == 0;
}

/* S_FALSE exactly when the text is the name or the number. */
#define assert_text_result(code, ret, text) do {                          \
        HRESULT r_ = (ret);                                               \
        assert_true(r_ == S_OK || r_ == S_FALSE);                         \
        assert_int_equal(r_ == S_FALSE, is_name_or_number((code), (text))); \
    } while (0)

/* ------------------------------------------------------------------ names */

typedef struct expected_name {
    HRESULT hr;
    const char *name;
} expected_name;

/* MinGW-w64 declares the WBEM codes in an enum of unsigned values: cast. */
#define EXPECT(c) { (HRESULT)(c), #c }
/* HRESULT_FROM_WIN32 as a constant expression (MSVC may make
   HRESULT_FROM_WIN32 an inline function, unusable in static initialisers);
   test_name_collisions checks it against the real one. */
#define WIN32_HR(e) ((HRESULT)(0x80070000UL | ((unsigned long)(e) & 0xFFFFUL)))
#define EXPECT_WIN32(e) { WIN32_HR(e), "HRESULT_FROM_WIN32(" #e ")" }

static const expected_name samples[] = {
    /* WMI failures */
    EXPECT(WBEM_E_FAILED),
    EXPECT(WBEM_E_NOT_FOUND),
    EXPECT(WBEM_E_ACCESS_DENIED),
    EXPECT(WBEM_E_OUT_OF_MEMORY),
    EXPECT(WBEM_E_INVALID_PARAMETER),
    EXPECT(WBEM_E_INVALID_NAMESPACE),
    EXPECT(WBEM_E_INVALID_CLASS),
    EXPECT(WBEM_E_INVALID_QUERY),
    EXPECT(WBEM_E_INVALID_QUERY_TYPE),
    EXPECT(WBEM_E_CALL_CANCELLED),
    EXPECT(WBEM_E_SHUTTING_DOWN),
    EXPECT(WBEM_E_UNPARSABLE_QUERY),
    EXPECT(WBEM_E_NOT_EVENT_CLASS),
    EXPECT(WBEM_E_AGGREGATING_BY_OBJECT),
    EXPECT(WBEM_E_UNINTERPRETABLE_PROVIDER_QUERY),
    EXPECT(WBEM_E_QUEUE_OVERFLOW),
    EXPECT(WBEM_E_TIMED_OUT),
    EXPECT(WBEM_E_RESERVED_001),
    EXPECT(WBEM_E_PROVIDER_DISABLED),
    EXPECT(WBEMESS_E_REGISTRATION_TOO_BROAD),
    EXPECT(WBEMESS_E_AUTHZ_NOT_PRIVILEGED),
    EXPECT(WBEMMOF_E_EXPECTED_QUALIFIER_NAME),
    EXPECT(WBEMMOF_E_INVALID_DELETECLASS_SYNTAX),
    /* WMI successes */
    EXPECT(WBEM_S_ALREADY_EXISTS),
    EXPECT(WBEM_S_TIMEDOUT),
    EXPECT(WBEM_S_NO_MORE_DATA),
    EXPECT(WBEM_S_OPERATION_CANCELLED),
    EXPECT(WBEM_S_PARTIAL_RESULTS),
    EXPECT(WBEM_S_SOURCE_NOT_AVAILABLE),
    /* the library's own */
    EXPECT(WBEMSINK_E_SEALED),
    EXPECT(WBEMSINK_E_WRONG_MODE),
    EXPECT(WBEMSINK_E_IN_CALLBACK),
    EXPECT(WBEMSINK_E_IDLE_TIMEOUT),
    EXPECT(WBEMSINK_S_OBJECTS_DROPPED),
    EXPECT(WBEMSINK_E_OBJECTS_DROPPED),
    EXPECT(WBEMSINK_S_NULL),
    /* COM */
    EXPECT(S_OK),
    EXPECT(S_FALSE),
    EXPECT(E_FAIL),
    EXPECT(E_NOTIMPL),
    EXPECT(E_NOINTERFACE),
    EXPECT(E_POINTER),
    EXPECT(E_ABORT),
    EXPECT(E_UNEXPECTED),
    EXPECT(E_OUTOFMEMORY),
    EXPECT(E_INVALIDARG),
    EXPECT(E_ACCESSDENIED),
    EXPECT(E_HANDLE),
    EXPECT(E_PENDING),
    EXPECT(E_ILLEGAL_METHOD_CALL),
    EXPECT(CO_E_NOTINITIALIZED),
    EXPECT(CO_E_SERVER_EXEC_FAILURE),
    EXPECT(RPC_E_CHANGED_MODE),
    EXPECT(RPC_E_WRONG_THREAD),
    EXPECT(RPC_E_DISCONNECTED),
    EXPECT(RPC_E_CALL_REJECTED),
    EXPECT(RPC_E_SERVERCALL_RETRYLATER),
    EXPECT(RPC_E_UNEXPECTED),
    EXPECT(REGDB_E_CLASSNOTREG),
    EXPECT(CLASS_E_NOAGGREGATION),
    EXPECT(DISP_E_EXCEPTION),
    EXPECT(CO_S_NOTALLINTERFACES),
    /* Win32 */
    EXPECT_WIN32(RPC_S_SERVER_UNAVAILABLE),
    EXPECT_WIN32(RPC_S_CALL_FAILED),
    EXPECT_WIN32(ERROR_TIMEOUT),
    EXPECT_WIN32(ERROR_NOT_FOUND),
    EXPECT_WIN32(ERROR_FILE_NOT_FOUND),
    EXPECT_WIN32(ERROR_CANCELLED),
    EXPECT_WIN32(WAIT_TIMEOUT),
    EXPECT_WIN32(ERROR_LOGON_FAILURE),
};

static void test_name_samples(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const char *got = wbemsink_hresult_name(samples[i].hr);
        if (got == NULL)
            fail_msg("no name for 0x%08lX, expected %s",
                     (unsigned long)(ULONG)samples[i].hr, samples[i].name);
        assert_string_equal(got, samples[i].name);
    }
}

static void test_name_literals(void **state)
{
    (void)state;
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x80041010L), "WBEM_E_INVALID_CLASS");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x80041017L), "WBEM_E_INVALID_QUERY");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x80041032L), "WBEM_E_CALL_CANCELLED");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x40005L), "WBEM_S_NO_MORE_DATA");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x40004L), "WBEM_S_TIMEDOUT");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x80004003L), "E_POINTER");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x80040200L), "WBEMSINK_E_SEALED");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x00040204L), "WBEMSINK_S_OBJECTS_DROPPED");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x80040204L), "WBEMSINK_E_OBJECTS_DROPPED");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x00040205L), "WBEMSINK_S_NULL");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x800706BAL),
                        "HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)");
    /* first and last entries of the table */
    assert_string_equal(wbemsink_hresult_name((HRESULT)0), "S_OK");
    assert_string_equal(wbemsink_hresult_name((HRESULT)0x80080008L), "CO_E_SERVER_STOPPING");
}

/* Values with several names get the documented one. */
static void test_name_collisions(void **state)
{
    (void)state;
    assert_string_equal(wbemsink_hresult_name(WHR(WBEM_S_NO_ERROR)), "S_OK");
    assert_string_equal(wbemsink_hresult_name(WHR(WBEM_NO_ERROR)), "S_OK");
    assert_string_equal(wbemsink_hresult_name(WHR(WBEM_S_SAME)), "S_OK");
    assert_string_equal(wbemsink_hresult_name(WHR(WBEM_S_FALSE)), "S_FALSE");
    assert_string_equal(wbemsink_hresult_name(HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)), "E_ACCESSDENIED");
    assert_string_equal(wbemsink_hresult_name(HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER)), "E_INVALIDARG");
    assert_string_equal(wbemsink_hresult_name(HRESULT_FROM_WIN32(ERROR_OUTOFMEMORY)), "E_OUTOFMEMORY");
    assert_int_equal(WIN32_HR(RPC_S_SERVER_UNAVAILABLE), HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE));
    assert_int_equal(WIN32_HR(ERROR_TIMEOUT), HRESULT_FROM_WIN32(ERROR_TIMEOUT));
    assert_int_equal(WIN32_HR(RPC_S_SERVER_UNAVAILABLE), (HRESULT)0x800706BAL);
}

static void test_name_unknown(void **state)
{
    (void)state;
    assert_null(wbemsink_hresult_name(UNKNOWN_HR));
    assert_null(wbemsink_hresult_name((HRESULT)0x80041000L)); /* before WBEM_E_FAILED */
    assert_null(wbemsink_hresult_name((HRESULT)0x8004105EL)); /* gap in WBEM_E_* */
    assert_null(wbemsink_hresult_name((HRESULT)0x8004108BL)); /* after WBEM_E_PROVIDER_DISABLED */
    assert_null(wbemsink_hresult_name((HRESULT)0x00000002L));
    assert_null(wbemsink_hresult_name((HRESULT)0x7FFFFFFFL));
    assert_null(wbemsink_hresult_name((HRESULT)0xFFFFFFFFL));
    assert_null(wbemsink_hresult_name((HRESULT)0x80000000L));
}

/* ------------------------------------------------------------------- text */

static void test_text_bad_args(void **state)
{
    wchar_t buf[4] = { L'x', L'y', L'z', L'w' };
    (void)state;
    assert_int_equal(wbemsink_hresult_text(WHR(WBEM_E_FAILED), NULL, 10), E_POINTER);
    assert_int_equal(wbemsink_hresult_text(WHR(WBEM_E_FAILED), NULL, 0), E_POINTER);
    assert_int_equal(wbemsink_hresult_text(WHR(WBEM_E_FAILED), buf, 0), E_INVALIDARG);
    assert_true(buf[0] == L'x'); /* untouched */
}

static void test_text_size_one(void **state)
{
    wchar_t buf[3] = { L'x', L'y', L'z' };
    (void)state;
    /* No room for a description: S_FALSE. */
    assert_int_equal(wbemsink_hresult_text(WHR(WBEM_E_INVALID_CLASS), buf, 1), S_FALSE);
    assert_true(buf[0] == L'\0');
    assert_true(buf[1] == L'y'); /* nothing written past size */
    assert_int_equal(wbemsink_hresult_text(UNKNOWN_HR, buf, 1), S_FALSE);
    assert_true(buf[0] == L'\0');
}

static void test_text_known(void **state)
{
    wchar_t buf[512];
    char n[512];
    HRESULT r;
    (void)state;
    r = wbemsink_hresult_text(WHR(WBEM_E_INVALID_CLASS), buf, 512);
    assert_true(wcslen(buf) > 0);
    print_message("    text(WBEM_E_INVALID_CLASS) = \"%s\" (%s)\n", narrow(buf, n, sizeof n),
                  r == S_OK ? "S_OK" : "S_FALSE");
    assert_text_result(WHR(WBEM_E_INVALID_CLASS), r, buf);
    if (!com_ready) {
        assert_int_equal(r, S_FALSE);
        assert_wstring_equal(buf, L"WBEM_E_INVALID_CLASS");
    } else { /* WMI's text, or the name where WMI only repeats the number (Wine) */
        assert_null(wcsstr(buf, L"80041010"));
    }

    r = wbemsink_hresult_text(WBEMSINK_E_SEALED, buf, 512);
    assert_true(wcslen(buf) > 0);
    print_message("    text(WBEMSINK_E_SEALED) = \"%s\"\n", narrow(buf, n, sizeof n));
    assert_text_result(WBEMSINK_E_SEALED, r, buf);
    if (!com_ready) {
        assert_int_equal(r, S_FALSE);
        assert_wstring_equal(buf, L"WBEMSINK_E_SEALED");
    }

    r = wbemsink_hresult_text(S_OK, buf, 512);
    assert_text_result(S_OK, r, buf);
    assert_true(wcslen(buf) > 0);
    print_message("    text(S_OK) = \"%s\"\n", narrow(buf, n, sizeof n));
}

static void test_text_unknown(void **state)
{
    wchar_t buf[64];
    char n[64];
    (void)state;
    HRESULT r = wbemsink_hresult_text(UNKNOWN_HR, buf, 64);
    assert_true(wcslen(buf) > 0);
    print_message("    text(0x8FFF1234) = \"%s\"\n", narrow(buf, n, sizeof n));
    assert_text_result(UNKNOWN_HR, r, buf);
    if (!com_ready) {
        assert_int_equal(r, S_FALSE);
        assert_wstring_equal(buf, L"0x8FFF1234");
        assert_int_equal(wbemsink_hresult_text((HRESULT)0x00012345L, buf, 64), S_FALSE);
        assert_wstring_equal(buf, L"0x00012345");
        /* exact fit, and one short */
        assert_int_equal(wbemsink_hresult_text(UNKNOWN_HR, buf, 11), S_FALSE);
        assert_wstring_equal(buf, L"0x8FFF1234");
        assert_int_equal(wbemsink_hresult_text(UNKNOWN_HR, buf, 10), S_FALSE);
        assert_wstring_equal(buf, L"0x8FFF123");
    }
}

/* The two codes about dropped objects: the success one is a success other
   than S_OK, the failure one a failure; both have the library's own text
   (not their name, not WMI's), the same with and without COM. */
static void test_text_objects_dropped(void **state)
{
    static const HRESULT codes[] = { WBEMSINK_S_OBJECTS_DROPPED, WBEMSINK_E_OBJECTS_DROPPED };
    wchar_t buf[512], small[8];
    char n[512];
    size_t c;
    (void)state;
    assert_true(SUCCEEDED(WBEMSINK_S_OBJECTS_DROPPED));
    assert_true(WBEMSINK_S_OBJECTS_DROPPED != S_OK);
    assert_true(FAILED(WBEMSINK_E_OBJECTS_DROPPED));
    for (c = 0; c < sizeof codes / sizeof codes[0]; c++) {
        assert_int_equal(wbemsink_hresult_text(codes[c], buf, 512), S_OK);
        print_message("    text(0x%08lX) = \"%s\"\n", (unsigned long)(ULONG)codes[c],
                      narrow(buf, n, sizeof n));
        assert_non_null(wcsstr(buf, L"dropped"));
        assert_non_null(wcsstr(buf, L"queue"));
        assert_non_null(wcsstr(buf, L"wbemsink_get_stats"));
        assert_null(wcsstr(buf, L"WBEMSINK_E_OBJECTS_DROPPED"));
        /* cut to fit like any other text */
        assert_int_equal(wbemsink_hresult_text(codes[c], small, 8), S_OK);
        assert_int_equal(wcslen(small), 7);
        assert_int_equal(wcsncmp(small, buf, 7), 0);
    }
    assert_int_equal(wbemsink_hresult_text(WBEMSINK_S_OBJECTS_DROPPED, buf, 512), S_OK);
    assert_non_null(wcsstr(buf, L"succeeded"));
    assert_non_null(wcsstr(buf, L"WBEMSINK_FULL_DROP_NEWEST"));
    assert_int_equal(wbemsink_hresult_text(WBEMSINK_E_OBJECTS_DROPPED, buf, 512), S_OK);
    assert_non_null(wcsstr(buf, L"incomplete"));
}

/* WBEMSINK_S_NULL: a success other than S_OK, with the library's text. */
static void test_text_null(void **state)
{
    wchar_t buf[256];
    (void)state;
    assert_true(SUCCEEDED(WBEMSINK_S_NULL));
    assert_true(WBEMSINK_S_NULL != S_OK);
    assert_int_equal(wbemsink_hresult_text(WBEMSINK_S_NULL, buf, 256), S_OK);
    assert_non_null(wcsstr(buf, L"NULL"));
    assert_null(wcsstr(buf, L"WBEMSINK_S_NULL"));
}

/* A small buffer gets a NUL-terminated prefix of the full text, and nothing
   is written past its size. */
static void test_text_truncates(void **state)
{
    static const HRESULT codes[] = { WHR(WBEM_E_INVALID_CLASS), E_POINTER, UNKNOWN_HR,
                                     WIN32_HR(RPC_S_SERVER_UNAVAILABLE) };
    wchar_t full[512], small[16];
    size_t c, size, i;
    (void)state;
    for (c = 0; c < sizeof codes / sizeof codes[0]; c++) {
        HRESULT full_r = wbemsink_hresult_text(codes[c], full, 512);
        assert_text_result(codes[c], full_r, full);
        for (size = 1; size <= 8; size++) {
            for (i = 0; i < 16; i++)
                small[i] = L'#';
            /* the same kind of text, cut; size 1 holds none (S_FALSE) */
            assert_int_equal(wbemsink_hresult_text(codes[c], small, size),
                             size == 1 ? S_FALSE : full_r);
            assert_true(wcslen(small) < size);
            assert_true(wcslen(small) <= wcslen(full));
            assert_int_equal(wcsncmp(small, full, wcslen(small)), 0);
            /* the cut drops at most one char (half a surrogate pair) */
            if (wcslen(full) >= size - 1)
                assert_true(wcslen(small) + 1 >= size - 1);
            for (i = size; i < 16; i++)
                assert_true(small[i] == L'#');
        }
    }
    if (!com_ready) {
        assert_int_equal(wbemsink_hresult_text(E_POINTER, small, 5), S_FALSE);
        assert_wstring_equal(small, L"E_PO");
        assert_int_equal(wbemsink_hresult_text(E_POINTER, small, 10), S_FALSE);
        assert_wstring_equal(small, L"E_POINTER");
    }
}

/* ----------------------------------------------------------------- groups */

static int com_setup(void **state)
{
    HRESULT hr;
    (void)state;
    hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) {
        print_error("CoInitializeEx failed: 0x%08lX\n", (unsigned long)(ULONG)hr);
        return -1;
    }
    com_ready = 1;
    return 0;
}

static int com_teardown(void **state)
{
    (void)state;
    com_ready = 0;
    CoUninitialize();
    return 0;
}

int main(void)
{
    const struct CMUnitTest name_tests[] = {
        cmocka_unit_test(test_name_samples),
        cmocka_unit_test(test_name_literals),
        cmocka_unit_test(test_name_collisions),
        cmocka_unit_test(test_name_unknown),
    };
    const struct CMUnitTest text_tests[] = {
        cmocka_unit_test(test_text_bad_args),
        cmocka_unit_test(test_text_size_one),
        cmocka_unit_test(test_text_known),
        cmocka_unit_test(test_text_unknown),
        cmocka_unit_test(test_text_truncates),
        cmocka_unit_test(test_text_objects_dropped),
        cmocka_unit_test(test_text_null),
    };
    int failed = 0;

    failed += cmocka_run_group_tests_name("names", name_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("text_without_com", text_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("text_with_com", text_tests, com_setup, com_teardown);
    return failed != 0;
}
