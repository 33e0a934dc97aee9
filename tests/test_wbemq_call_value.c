/* wbemq call's NAME=VALUE conversion (tools/wbemq/call_value.c) against
   fake in-parameter objects of every CIM type the command line can give:
   what is written is read back with the library's getters. No WMI. */
#include "test_support.h"
#include "wbemq.h"
#include <string.h>

/* A fake in-parameters object with one NULL property of each type. */
static IWbemClassObject *params(void)
{
    static const struct { const wchar_t *name; CIMTYPE type; } props[] = {
        { L"s8", CIM_SINT8 },        { L"u8", CIM_UINT8 },       { L"s16", CIM_SINT16 },
        { L"s32", CIM_SINT32 },      { L"u32", CIM_UINT32 },     { L"s64", CIM_SINT64 },
        { L"u64", CIM_UINT64 },      { L"b", CIM_BOOLEAN },      { L"r", CIM_REAL64 },
        { L"c", CIM_CHAR16 },        { L"str", CIM_STRING },     { L"when", CIM_DATETIME },
        { L"names", CIM_STRING | CIM_FLAG_ARRAY },               { L"nums", CIM_UINT32 | CIM_FLAG_ARRAY },
        { L"flags", CIM_BOOLEAN | CIM_FLAG_ARRAY },              { L"obj", CIM_OBJECT },
    };
    IWbemClassObject *o = fake_object_create(L"__PARAMETERS");
    assert_non_null(o);
    for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
        assert_hr(fake_object_put(o, props[i].name, props[i].type, NULL), S_OK);
    return o;
}

static HRESULT set(IWbemClassObject *o, const wchar_t *name, const wchar_t *text)
{
    wchar_t why[256];
    return wbemq_call_set(o, name, text, why, 256);
}

static void integers(void **state)
{
    (void)state;
    IWbemClassObject *o = params();
    LONGLONG i;
    ULONGLONG u;
    assert_hr(set(o, L"s8", L"-128"), S_OK);
    assert_hr(wbemsink_get_int64(o, L"s8", &i), S_OK);
    assert_int_equal(i, -128);
    assert_hr(set(o, L"s8", L"128"), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(set(o, L"u8", L"255"), S_OK);
    assert_hr(set(o, L"u8", L"256"), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(set(o, L"u8", L"-1"), WBEM_E_TYPE_MISMATCH);
    /* Hex of the type's width gives the bits: registry handles in a sint32. */
    assert_hr(set(o, L"s32", L"0x80000001"), S_OK);
    assert_hr(wbemsink_get_int64(o, L"s32", &i), S_OK);
    assert_int_equal(i, (LONGLONG)(LONG)0x80000001);
    assert_hr(set(o, L"s16", L"0xFFFF"), S_OK);
    assert_hr(wbemsink_get_int64(o, L"s16", &i), S_OK);
    assert_int_equal(i, -1);
    assert_hr(set(o, L"s16", L"0x10000"), WBEM_E_TYPE_MISMATCH);   /* wider than the type */
    assert_hr(set(o, L"u32", L"0x80000001"), S_OK);
    assert_hr(wbemsink_get_uint64(o, L"u32", &u), S_OK);
    assert_int_equal(u, 0x80000001u);
    assert_hr(set(o, L"u32", L"4294967296"), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(set(o, L"s64", L"-9223372036854775808"), S_OK);
    assert_hr(wbemsink_get_int64(o, L"s64", &i), S_OK);
    assert_true(i == (-9223372036854775807LL - 1));
    assert_hr(set(o, L"u64", L"18446744073709551615"), S_OK);
    assert_hr(wbemsink_get_uint64(o, L"u64", &u), S_OK);
    assert_true(u == 18446744073709551615ULL);
    assert_hr(set(o, L"u64", L"18446744073709551616"), WBEM_E_TYPE_MISMATCH);   /* beyond 64 bits */
    assert_hr(set(o, L"s32", L"12abc"), WBEM_E_TYPE_MISMATCH);
    assert_hr(set(o, L"s32", L""), S_OK);                                    /* empty: NULL */
    assert_hr(wbemsink_get_int64(o, L"s32", &i), WBEMSINK_S_NULL);
    IWbemClassObject_Release(o);
}

static void other_scalars(void **state)
{
    (void)state;
    IWbemClassObject *o = params();
    int b = 0;
    assert_hr(set(o, L"b", L"TRUE"), S_OK);
    assert_hr(wbemsink_get_bool(o, L"b", &b), S_OK);
    assert_int_equal(b, 1);
    assert_hr(set(o, L"b", L"no"), S_OK);
    assert_hr(wbemsink_get_bool(o, L"b", &b), S_OK);
    assert_int_equal(b, 0);
    assert_hr(set(o, L"b", L"maybe"), WBEM_E_TYPE_MISMATCH);
    double d = 0;
    assert_hr(set(o, L"r", L"2.5e3"), S_OK);
    assert_hr(wbemsink_get_double(o, L"r", &d), S_OK);
    assert_true(d == 2500.0);
    assert_hr(set(o, L"r", L"x"), WBEM_E_TYPE_MISMATCH);
    wchar_t c = 0;
    assert_hr(set(o, L"c", L"Z"), S_OK);
    assert_hr(wbemsink_get_char16(o, L"c", &c), S_OK);
    assert_int_equal(c, L'Z');
    assert_hr(set(o, L"c", L"ZZ"), WBEM_E_TYPE_MISMATCH);
    char *s = NULL;
    assert_hr(set(o, L"str", L""), S_OK);                 /* empty: an empty string */
    assert_hr(wbemsink_get_utf8_alloc(o, L"str", &s), S_OK);
    assert_string_equal(s, "");
    wbemsink_free(s);
    assert_hr(set(o, L"obj", L"x"), WBEM_E_TYPE_MISMATCH);
    assert_hr(set(o, L"nothere", L"1"), WBEM_E_NOT_FOUND);
    IWbemClassObject_Release(o);
}

/* ISO 8601 (Z, an offset, none = UTC, a fraction), DMTF text as is, and
   what is neither. */
static void datetimes(void **state)
{
    (void)state;
    IWbemClassObject *o = params();
    BSTR dmtf = NULL;
    FILETIME utc;
    LONG offset = 0;
    SYSTEMTIME st;
    assert_hr(set(o, L"when", L"2024-02-29T13:45:30.25+02:00"), S_OK);
    assert_hr(wbemsink_get_string(o, L"when", &dmtf), S_OK);
    assert_true(!wcscmp(dmtf, L"20240229134530.250000+120"));
    SysFreeString(dmtf);
    assert_hr(wbemsink_get_datetime(o, L"when", &utc, &offset), S_OK);
    assert_int_equal(offset, 120);
    FileTimeToSystemTime(&utc, &st);
    assert_int_equal(st.wHour, 11);   /* 13:45 at +02:00 */
    assert_hr(set(o, L"when", L"2024-01-02"), S_OK);
    assert_hr(wbemsink_get_string(o, L"when", &dmtf), S_OK);
    assert_true(!wcscmp(dmtf, L"20240102000000.000000+000"));
    SysFreeString(dmtf);
    assert_hr(set(o, L"when", L"2024-01-02 03:04Z"), S_OK);
    assert_hr(set(o, L"when", L"2024-01-02T03:04:05-0530"), S_OK);
    assert_hr(wbemsink_get_datetime(o, L"when", &utc, &offset), S_OK);
    assert_int_equal(offset, -330);
    assert_hr(set(o, L"when", L"00000001020304.000000:000"), S_OK);   /* an interval, DMTF */
    ULONGLONG ticks = 0;
    assert_hr(wbemsink_get_interval(o, L"when", &ticks), S_OK);
    assert_true(ticks == (ULONGLONG)(((24 + 2) * 60 + 3) * 60 + 4) * 10000000ull);
    assert_hr(set(o, L"when", L"2024-02-30"), WBEM_E_TYPE_MISMATCH);
    assert_hr(set(o, L"when", L"yesterday"), WBEM_E_TYPE_MISMATCH);
    IWbemClassObject_Release(o);
}

/* Arrays: commas, `\,` inside an element, every element checked. */
static void arrays(void **state)
{
    (void)state;
    IWbemClassObject *o = params();
    BSTR *names = NULL;
    ULONG n = 0;
    assert_hr(set(o, L"names", L"a,b\\,c,\\\\d"), S_OK);
    assert_hr(wbemsink_get_string_array(o, L"names", &names, &n), S_OK);
    assert_int_equal(n, 3);
    assert_true(!wcscmp(names[0], L"a"));
    assert_true(!wcscmp(names[1], L"b,c"));
    assert_true(!wcscmp(names[2], L"\\d"));
    wbemsink_free_strings(names, n);
    ULONGLONG *nums = NULL;
    assert_hr(set(o, L"nums", L"1,0x10,4294967295"), S_OK);
    assert_hr(wbemsink_get_uint64_array(o, L"nums", &nums, &n), S_OK);
    assert_int_equal(n, 3);
    assert_true(nums[0] == 1 && nums[1] == 16 && nums[2] == 4294967295u);
    wbemsink_free(nums);
    assert_hr(set(o, L"nums", L"1,4294967296"), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(set(o, L"nums", L"1,x"), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_uint64_array(o, L"nums", &nums, &n), S_OK);   /* unchanged */
    assert_int_equal(n, 3);
    wbemsink_free(nums);
    int *flags = NULL;
    assert_hr(set(o, L"flags", L"true,false,1"), S_OK);
    assert_hr(wbemsink_get_bool_array(o, L"flags", &flags, &n), S_OK);
    assert_int_equal(n, 3);
    assert_true(flags[0] == 1 && flags[1] == 0 && flags[2] == 1);
    wbemsink_free(flags);
    IWbemClassObject_Release(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(integers, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(other_scalars, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(datetimes, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(arrays, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
