/* The typed setters (issue 20): every setter against the getters, at every
   CIM type, on fake objects whose Put takes only the VARIANT WMI wants for
   the property's CIM type (tests/fake/fake_object.h), so a round trip
   proves both the value and its encoding. Then wbemsink_format_datetime
   and _interval against the parsers, and wbemsink_fill against
   wbemsink_bind. Every fake test runs between fakes_setup/fakes_teardown:
   references balanced; the fake's Wine mode checks the second Put Wine's
   in-parameter objects need. The Wine tests (in-parameters of StdRegProv
   and Win32_Process) are in test_e2e_setters.c. */
#include "test_support.h"
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- objects and raw reads ---- */

/* A property of that CIM type, NULL, as a class's new instance has it. */
static void declare(IWbemClassObject *o, const wchar_t *name, CIMTYPE type)
{
    assert_hr(fake_object_put(o, name, type, NULL), S_OK);
}

/* The VARIANT type the object holds now. */
static VARTYPE held_vt(IWbemClassObject *o, const wchar_t *name)
{
    VARIANT v;
    VARTYPE vt;
    VariantInit(&v);
    assert_hr(IWbemClassObject_Get(o, name, 0, &v, NULL, NULL), S_OK);
    vt = V_VT(&v);
    VariantClear(&v);
    return vt;
}

typedef struct int_type {
    const wchar_t *name;
    CIMTYPE type;
    VARTYPE vt;          /* what WMI wants */
    LONGLONG min;
    ULONGLONG max;
} int_type;

static const int_type int_types[] = {
    {L"s8", CIM_SINT8, VT_I2, -128, 127},
    {L"u8", CIM_UINT8, VT_UI1, 0, 255},
    {L"s16", CIM_SINT16, VT_I2, -32768, 32767},
    {L"u16", CIM_UINT16, VT_I4, 0, 65535},
    {L"c16", CIM_CHAR16, VT_I2, 0, 65535},
    {L"s32", CIM_SINT32, VT_I4, LONG_MIN, LONG_MAX},
    {L"u32", CIM_UINT32, VT_I4, 0, ULONG_MAX},
    {L"s64", CIM_SINT64, VT_BSTR, LLONG_MIN, LLONG_MAX},
    {L"u64", CIM_UINT64, VT_BSTR, 0, ULLONG_MAX},
};
#define N_INT_TYPES (sizeof(int_types) / sizeof(int_types[0]))

static IWbemClassObject *integer_object(void)
{
    IWbemClassObject *o = fake_object_create(L"Ints");
    size_t i;
    assert_non_null(o);
    for (i = 0; i < N_INT_TYPES; i++)
        declare(o, int_types[i].name, int_types[i].type);
    return o;
}

/* ---- integers ---- */

/* min and max of every width through set_int64/set_uint64 and back through
   get_int64/get_uint64, in WMI's VARIANT type; min - 1 and max + 1 are
   out of range and leave the value as it was. */
static void integers_every_width_min_max(void **state)
{
    IWbemClassObject *o = integer_object();
    size_t i;
    (void)state;
    for (i = 0; i < N_INT_TYPES; i++) {
        const int_type *t = &int_types[i];
        LONGLONG s = 0;
        ULONGLONG u = 0;
        print_message("    %ls: min %lld max %llu\n", t->name, t->min, t->max);
        assert_hr(wbemsink_set_int64(o, t->name, t->min), S_OK);
        assert_int_equal(held_vt(o, t->name), t->vt);
        assert_hr(wbemsink_get_int64(o, t->name, &s), S_OK);
        assert_true(s == t->min);
        assert_hr(wbemsink_set_uint64(o, t->name, t->max), S_OK);
        assert_int_equal(held_vt(o, t->name), t->vt);
        assert_hr(wbemsink_get_uint64(o, t->name, &u), S_OK);
        assert_true(u == t->max);
        if (t->max < ULLONG_MAX)
            assert_hr(wbemsink_set_uint64(o, t->name, t->max + 1), WBEM_E_VALUE_OUT_OF_RANGE);
        if (t->min > LLONG_MIN)
            assert_hr(wbemsink_set_int64(o, t->name, t->min - 1), WBEM_E_VALUE_OUT_OF_RANGE);
        if (t->max < (ULONGLONG)LLONG_MAX)
            assert_hr(wbemsink_set_int64(o, t->name, (LONGLONG)t->max + 1), WBEM_E_VALUE_OUT_OF_RANGE);
        if (t->min == 0)
            assert_hr(wbemsink_set_int64(o, t->name, -1), WBEM_E_VALUE_OUT_OF_RANGE);
        /* refused values wrote nothing: still max */
        assert_hr(wbemsink_get_uint64(o, t->name, &u), S_OK);
        assert_true(u == t->max);
    }
    /* 64-bit edges as WMI's decimal text */
    {
        BSTR text = NULL;
        assert_hr(wbemsink_set_int64(o, L"s64", LLONG_MIN), S_OK);
        assert_hr(wbemsink_get_string(o, L"s64", &text), WBEM_E_TYPE_MISMATCH);   /* an integer, not text */
        VARIANT v;
        VariantInit(&v);
        assert_hr(IWbemClassObject_Get(o, L"s64", 0, &v, NULL, NULL), S_OK);
        assert_int_equal(V_VT(&v), VT_BSTR);
        assert_true(wcscmp(V_BSTR(&v), L"-9223372036854775808") == 0);
        VariantClear(&v);
        assert_hr(wbemsink_set_uint64(o, L"u64", ULLONG_MAX), S_OK);
        assert_hr(IWbemClassObject_Get(o, L"u64", 0, &v, NULL, NULL), S_OK);
        assert_true(wcscmp(V_BSTR(&v), L"18446744073709551615") == 0);
        VariantClear(&v);
        assert_hr(wbemsink_set_int64(o, L"u64", 0), S_OK);
        assert_hr(IWbemClassObject_Get(o, L"u64", 0, &v, NULL, NULL), S_OK);
        assert_true(wcscmp(V_BSTR(&v), L"0") == 0);
        VariantClear(&v);
    }
    IWbemClassObject_Release(o);
}

/* The 32-bit setters at their own edges, into every width. */
static void integers_32_bit_setters(void **state)
{
    IWbemClassObject *o = integer_object();
    LONG s = 0;
    ULONG u = 0;
    (void)state;
    assert_hr(wbemsink_set_int32(o, L"s32", LONG_MIN), S_OK);
    assert_hr(wbemsink_get_int32(o, L"s32", &s), S_OK);
    assert_int_equal(s, LONG_MIN);
    assert_hr(wbemsink_set_int32(o, L"s16", LONG_MIN), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_set_int32(o, L"s16", -32768), S_OK);
    assert_hr(wbemsink_set_int32(o, L"u32", -1), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_set_uint32(o, L"u32", ULONG_MAX), S_OK);
    assert_hr(wbemsink_get_uint32(o, L"u32", &u), S_OK);
    assert_true(u == ULONG_MAX);
    /* uint32's upper half travels as a negative VT_I4, WMI's way */
    {
        VARIANT v;
        VariantInit(&v);
        assert_hr(IWbemClassObject_Get(o, L"u32", 0, &v, NULL, NULL), S_OK);
        assert_int_equal(V_VT(&v), VT_I4);
        assert_int_equal(V_I4(&v), -1);
        VariantClear(&v);
    }
    assert_hr(wbemsink_set_uint32(o, L"s32", 0x80000000u), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_set_uint32(o, L"u8", 300), WBEM_E_VALUE_OUT_OF_RANGE);   /* the example */
    assert_hr(wbemsink_set_uint32(o, L"u8", 255), S_OK);
    assert_hr(wbemsink_set_uint32(o, L"s64", ULONG_MAX), S_OK);
    assert_hr(wbemsink_set_uint32(o, L"u64", 7), S_OK);
    assert_hr(wbemsink_set_int32(o, L"c16", 0xFFFF), S_OK);
    {
        wchar_t c = 0;
        assert_hr(wbemsink_get_char16(o, L"c16", &c), S_OK);
        assert_int_equal(c, 0xFFFF);
    }
    assert_hr(wbemsink_set_int32(o, L"c16", 0x10000), WBEM_E_VALUE_OUT_OF_RANGE);
    IWbemClassObject_Release(o);
}

/* ---- other scalars ---- */

static IWbemClassObject *scalar_object(void)
{
    IWbemClassObject *o = fake_object_create(L"Scalars");
    assert_non_null(o);
    declare(o, L"b", CIM_BOOLEAN);
    declare(o, L"r32", CIM_REAL32);
    declare(o, L"r64", CIM_REAL64);
    declare(o, L"c", CIM_CHAR16);
    declare(o, L"s", CIM_STRING);
    declare(o, L"ref", CIM_REFERENCE);
    declare(o, L"dt", CIM_DATETIME);
    declare(o, L"obj", CIM_OBJECT);
    declare(o, L"u32", CIM_UINT32);
    declare(o, L"arr", CIM_UINT32 | CIM_FLAG_ARRAY);
    return o;
}

static void booleans_reals_char16(void **state)
{
    IWbemClassObject *o = scalar_object();
    int b = -1;
    double d = 0;
    wchar_t c = 0;
    (void)state;
    assert_hr(wbemsink_set_bool(o, L"b", 5), S_OK);
    assert_int_equal(held_vt(o, L"b"), VT_BOOL);
    assert_hr(wbemsink_get_bool(o, L"b", &b), S_OK);
    assert_int_equal(b, 1);
    assert_hr(wbemsink_set_bool(o, L"b", 0), S_OK);
    assert_hr(wbemsink_get_bool(o, L"b", &b), S_OK);
    assert_int_equal(b, 0);

    assert_hr(wbemsink_set_double(o, L"r64", -1.0 / 3.0), S_OK);
    assert_int_equal(held_vt(o, L"r64"), VT_R8);
    assert_hr(wbemsink_get_double(o, L"r64", &d), S_OK);
    assert_true(d == -1.0 / 3.0);
    assert_hr(wbemsink_set_double(o, L"r64", DBL_MAX), S_OK);
    assert_hr(wbemsink_get_double(o, L"r64", &d), S_OK);
    assert_true(d == DBL_MAX);

    assert_hr(wbemsink_set_double(o, L"r32", 0.1), S_OK);
    assert_int_equal(held_vt(o, L"r32"), VT_R4);
    assert_hr(wbemsink_get_double(o, L"r32", &d), S_OK);
    assert_true(d == (double)0.1f);
    assert_hr(wbemsink_set_double(o, L"r32", FLT_MAX), S_OK);
    assert_hr(wbemsink_get_double(o, L"r32", &d), S_OK);
    assert_true(d == FLT_MAX);
    assert_hr(wbemsink_set_double(o, L"r32", -FLT_MAX), S_OK);
    assert_hr(wbemsink_set_double(o, L"r32", (double)FLT_MAX * 2), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_set_double(o, L"r32", -(double)FLT_MAX * 2), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_get_double(o, L"r32", &d), S_OK);
    assert_true(d == -FLT_MAX);   /* unchanged */
    assert_hr(wbemsink_set_double(o, L"r32", HUGE_VAL), S_OK);   /* an infinity is a float too */
    assert_hr(wbemsink_get_double(o, L"r32", &d), S_OK);
    assert_true(isinf(d) && d > 0);
    assert_hr(wbemsink_set_double(o, L"u32", 1.0), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_double(o, L"b", 1.0), WBEM_E_TYPE_MISMATCH);

    assert_hr(wbemsink_set_char16(o, L"c", 0xE9), S_OK);
    assert_int_equal(held_vt(o, L"c"), VT_I2);
    assert_hr(wbemsink_get_char16(o, L"c", &c), S_OK);
    assert_int_equal(c, 0xE9);
    assert_hr(wbemsink_set_char16(o, L"c", 0xFFFE), S_OK);
    assert_hr(wbemsink_get_char16(o, L"c", &c), S_OK);
    assert_int_equal(c, 0xFFFE);
    assert_hr(wbemsink_set_char16(o, L"s", L'x'), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_char16(o, L"u32", L'x'), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_bool(o, L"u32", 1), WBEM_E_TYPE_MISMATCH);
    IWbemClassObject_Release(o);
}

static const wchar_t mixed[] = {L'a', 0x00E9, 0x20AC, 0xD83D, 0xDE00, L'b', 0};
static const char mixed_utf8[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "b";

static void assert_string(IWbemClassObject *o, const wchar_t *name, const wchar_t *want)
{
    BSTR s = NULL;
    assert_hr(wbemsink_get_string(o, name, &s), S_OK);
    assert_true(wcscmp(s, want) == 0);
    SysFreeString(s);
}

static void strings_utf8_references_datetime_text(void **state)
{
    IWbemClassObject *o = scalar_object();
    char *u = NULL;
    (void)state;
    assert_hr(wbemsink_set_string(o, L"s", mixed), S_OK);
    assert_int_equal(held_vt(o, L"s"), VT_BSTR);
    assert_string(o, L"s", mixed);
    assert_hr(wbemsink_set_string(o, L"s", L""), S_OK);
    assert_string(o, L"s", L"");
    assert_hr(wbemsink_set_utf8(o, L"s", mixed_utf8), S_OK);
    assert_string(o, L"s", mixed);
    assert_hr(wbemsink_get_utf8_alloc(o, L"s", &u), S_OK);
    assert_string_equal(u, mixed_utf8);
    wbemsink_free(u);
    /* an invalid byte becomes U+FFFD */
    assert_hr(wbemsink_set_utf8(o, L"s", "x\xFFy"), S_OK);
    assert_string(o, L"s", L"x\xFFFDy");
    assert_hr(wbemsink_set_utf8(o, L"s", ""), S_OK);
    assert_string(o, L"s", L"");

    assert_hr(wbemsink_set_string(o, L"ref", L"Win32_Process.Handle=\"4\""), S_OK);
    assert_string(o, L"ref", L"Win32_Process.Handle=\"4\"");
    /* datetime text only when it is DMTF a getter reads back */
    assert_hr(wbemsink_set_string(o, L"dt", L"20240229123456.789012-300"), S_OK);
    assert_string(o, L"dt", L"20240229123456.789012-300");
    assert_hr(wbemsink_set_string(o, L"dt", L"00000001000000.000000:000"), S_OK);
    assert_hr(wbemsink_set_utf8(o, L"dt", "2024-02-29"), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_set_string(o, L"dt", L"20230229000000.000000+000"), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_string(o, L"dt", L"00000001000000.000000:000");   /* unchanged */

    assert_hr(wbemsink_set_string(o, L"u32", L"5"), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_utf8(o, L"b", "true"), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_string(o, L"obj", L"x"), WBEM_E_TYPE_MISMATCH);
    IWbemClassObject_Release(o);
}

static ULONGLONG ticks(const FILETIME *ft)
{
    return ((ULONGLONG)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
}

static FILETIME filetime(ULONGLONG t)
{
    FILETIME ft;
    ft.dwLowDateTime = (DWORD)t;
    ft.dwHighDateTime = (DWORD)(t >> 32);
    return ft;
}

static ULONGLONG utc_ticks(WORD y, WORD mo, WORD d, WORD h, WORD mi, WORD s, WORD ms)
{
    SYSTEMTIME st = {y, mo, 0, d, h, mi, s, ms};
    FILETIME ft;
    assert_true(SystemTimeToFileTime(&st, &ft));
    return ticks(&ft);
}

static void datetimes_and_intervals(void **state)
{
    IWbemClassObject *o = scalar_object();
    FILETIME in = filetime(utc_ticks(2024, 2, 29, 23, 30, 0, 250) + 1237), out;
    LONG offset = 0;
    ULONGLONG span = 0;
    (void)state;
    assert_hr(wbemsink_set_datetime(o, L"dt", &in, -480), S_OK);
    assert_string(o, L"dt", L"20240229153000.250123-480");
    assert_hr(wbemsink_get_datetime(o, L"dt", &out, &offset), S_OK);
    assert_true(ticks(&out) == ticks(&in) - 7);   /* to the microsecond */
    assert_int_equal(offset, -480);
    assert_hr(wbemsink_set_datetime(o, L"dt", &in, 60), S_OK);
    assert_string(o, L"dt", L"20240301003000.250123+060");
    assert_hr(wbemsink_set_datetime(o, L"dt", &in, 1000), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_set_datetime(o, L"dt", NULL, 0), E_POINTER);
    assert_hr(wbemsink_set_datetime(o, L"s", &in, 0), WBEM_E_TYPE_MISMATCH);

    assert_hr(wbemsink_set_interval(o, L"dt", 36000000000ull * 25 + 7), S_OK);   /* 1 day 1 hour */
    assert_string(o, L"dt", L"00000001010000.000000:000");
    assert_hr(wbemsink_get_interval(o, L"dt", &span), S_OK);
    assert_true(span == 36000000000ull * 25);
    assert_hr(wbemsink_set_interval(o, L"u32", 1), WBEM_E_TYPE_MISMATCH);
    IWbemClassObject_Release(o);
}

static void embedded_objects_and_nulls(void **state)
{
    IWbemClassObject *o = scalar_object(), *child = fake_object_create(L"Child"), *got = NULL;
    LONG before;
    ULONG u = 0;
    (void)state;
    before = fake_object_refs(child);
    assert_hr(wbemsink_set_object(o, L"obj", child), S_OK);
    assert_int_equal(held_vt(o, L"obj"), VT_UNKNOWN);
    assert_int_equal(fake_object_refs(child), before + 1);   /* the object holds one */
    assert_hr(wbemsink_get_object(o, L"obj", &got), S_OK);
    assert_ptr_equal(got, child);
    IWbemClassObject_Release(got);
    assert_hr(wbemsink_set_object(o, L"obj", NULL), E_POINTER);
    assert_hr(wbemsink_set_object(o, L"s", child), WBEM_E_TYPE_MISMATCH);
    assert_int_equal(fake_object_refs(child), before + 1);

    /* NULL for every kind, scalar and array */
    assert_hr(wbemsink_set_null(o, L"obj"), S_OK);
    assert_int_equal(fake_object_refs(child), before);   /* let go */
    assert_hr(wbemsink_get_object(o, L"obj", &got), WBEMSINK_S_NULL);
    assert_null(got);
    assert_hr(wbemsink_set_uint32(o, L"u32", 9), S_OK);
    assert_hr(wbemsink_set_null(o, L"u32"), S_OK);
    assert_int_equal(held_vt(o, L"u32"), VT_NULL);
    assert_hr(wbemsink_get_uint32(o, L"u32", &u), WBEMSINK_S_NULL);
    assert_hr(wbemsink_set_null(o, L"arr"), S_OK);
    assert_hr(wbemsink_set_string(o, L"s", L"x"), S_OK);
    assert_hr(wbemsink_set_null(o, L"s"), S_OK);
    {
        BSTR s = NULL;
        assert_hr(wbemsink_get_string(o, L"s", &s), WBEMSINK_S_NULL);
        assert_null(s);
    }
    assert_hr(wbemsink_set_null(o, L"missing"), WBEM_E_NOT_FOUND);
    IWbemClassObject_Release(child);
    IWbemClassObject_Release(o);
}

/* ---- arrays ---- */

static IWbemClassObject *array_object(void)
{
    IWbemClassObject *o = fake_object_create(L"Arrays");
    size_t i;
    assert_non_null(o);
    for (i = 0; i < N_INT_TYPES; i++)
        declare(o, int_types[i].name, int_types[i].type | CIM_FLAG_ARRAY);
    declare(o, L"r32", CIM_REAL32 | CIM_FLAG_ARRAY);
    declare(o, L"r64", CIM_REAL64 | CIM_FLAG_ARRAY);
    declare(o, L"b", CIM_BOOLEAN | CIM_FLAG_ARRAY);
    declare(o, L"s", CIM_STRING | CIM_FLAG_ARRAY);
    declare(o, L"ref", CIM_REFERENCE | CIM_FLAG_ARRAY);
    declare(o, L"dt", CIM_DATETIME | CIM_FLAG_ARRAY);
    declare(o, L"obj", CIM_OBJECT | CIM_FLAG_ARRAY);
    declare(o, L"scalar", CIM_UINT32);
    return o;
}

/* Integer arrays of every width: min, 0, max back; an element out of
   range anywhere writes nothing. */
static void integer_arrays_every_width(void **state)
{
    IWbemClassObject *o = array_object();
    size_t i;
    (void)state;
    for (i = 0; i < N_INT_TYPES; i++) {
        const int_type *t = &int_types[i];
        LONGLONG in[3] = {t->min, 0, t->max > (ULONGLONG)LLONG_MAX ? LLONG_MAX : (LONGLONG)t->max};
        LONGLONG *out = NULL;
        ULONGLONG uin[2] = {0, t->max}, *uout = NULL;
        ULONG n = 0;
        assert_hr(wbemsink_set_int64_array(o, t->name, in, 3), S_OK);
        assert_int_equal(held_vt(o, t->name), VT_ARRAY | t->vt);
        assert_hr(wbemsink_get_int64_array(o, t->name, &out, &n), S_OK);
        assert_int_equal(n, 3);
        assert_memory_equal(out, in, sizeof(in));
        wbemsink_free(out);
        assert_hr(wbemsink_set_uint64_array(o, t->name, uin, 2), S_OK);
        assert_hr(wbemsink_get_uint64_array(o, t->name, &uout, &n), S_OK);
        assert_int_equal(n, 2);
        assert_memory_equal(uout, uin, sizeof(uin));
        wbemsink_free(uout);
        if (t->max < ULLONG_MAX) {
            ULONGLONG over[3] = {0, 1, t->max + 1};
            assert_hr(wbemsink_set_uint64_array(o, t->name, over, 3), WBEM_E_VALUE_OUT_OF_RANGE);
        }
        if (t->min > LLONG_MIN) {
            LONGLONG under[2] = {t->min - 1, 0};
            assert_hr(wbemsink_set_int64_array(o, t->name, under, 2), WBEM_E_VALUE_OUT_OF_RANGE);
        }
        assert_hr(wbemsink_get_uint64_array(o, t->name, &uout, &n), S_OK);   /* unchanged */
        assert_int_equal(n, 2);
        assert_true(uout[1] == t->max);
        wbemsink_free(uout);
        /* empty */
        assert_hr(wbemsink_set_int64_array(o, t->name, NULL, 0), S_OK);
        assert_int_equal(held_vt(o, t->name), VT_ARRAY | t->vt);
        out = (LONGLONG *)1;
        assert_hr(wbemsink_get_int64_array(o, t->name, &out, &n), S_OK);
        assert_int_equal(n, 0);
        assert_null(out);
    }
    IWbemClassObject_Release(o);
}

static void other_arrays(void **state)
{
    IWbemClassObject *o = array_object(), *kids[2], **gotk = NULL;
    const double r[3] = {0.5, -2.25, 1e300};
    const int bools[3] = {0, 7, 1};
    const wchar_t *strings[3] = {L"", mixed, L"z"};
    double *gotr = NULL;
    int *gotb = NULL;
    BSTR *gots = NULL;
    ULONG n = 0, i;
    (void)state;
    assert_hr(wbemsink_set_double_array(o, L"r64", r, 3), S_OK);
    assert_int_equal(held_vt(o, L"r64"), VT_ARRAY | VT_R8);
    assert_hr(wbemsink_get_double_array(o, L"r64", &gotr, &n), S_OK);
    assert_int_equal(n, 3);
    assert_memory_equal(gotr, r, sizeof(r));
    wbemsink_free(gotr);
    assert_hr(wbemsink_set_double_array(o, L"r32", r, 2), S_OK);
    assert_int_equal(held_vt(o, L"r32"), VT_ARRAY | VT_R4);
    assert_hr(wbemsink_get_double_array(o, L"r32", &gotr, &n), S_OK);
    assert_int_equal(n, 2);
    assert_true(gotr[0] == 0.5 && gotr[1] == -2.25);
    wbemsink_free(gotr);
    assert_hr(wbemsink_set_double_array(o, L"r32", r, 3), WBEM_E_VALUE_OUT_OF_RANGE);   /* 1e300 */
    assert_hr(wbemsink_set_double_array(o, L"r64", NULL, 0), S_OK);
    assert_hr(wbemsink_get_double_array(o, L"r64", &gotr, &n), S_OK);
    assert_int_equal(n, 0);

    assert_hr(wbemsink_set_bool_array(o, L"b", bools, 3), S_OK);
    assert_int_equal(held_vt(o, L"b"), VT_ARRAY | VT_BOOL);
    assert_hr(wbemsink_get_bool_array(o, L"b", &gotb, &n), S_OK);
    assert_int_equal(n, 3);
    assert_true(gotb[0] == 0 && gotb[1] == 1 && gotb[2] == 1);
    wbemsink_free(gotb);
    assert_hr(wbemsink_set_bool_array(o, L"b", NULL, 0), S_OK);

    assert_hr(wbemsink_set_string_array(o, L"s", strings, 3), S_OK);
    assert_int_equal(held_vt(o, L"s"), VT_ARRAY | VT_BSTR);
    assert_hr(wbemsink_get_string_array(o, L"s", &gots, &n), S_OK);
    assert_int_equal(n, 3);
    for (i = 0; i < 3; i++)
        assert_true(wcscmp(gots[i], strings[i]) == 0);
    wbemsink_free_strings(gots, n);
    assert_hr(wbemsink_set_string_array(o, L"ref", strings + 2, 1), S_OK);
    {
        const wchar_t *dts[2] = {L"20000101000000.000000+000", L"00000000000001.000000:000"};
        const wchar_t *bad[2] = {L"20000101000000.000000+000", L"yesterday"};
        assert_hr(wbemsink_set_string_array(o, L"dt", dts, 2), S_OK);
        assert_hr(wbemsink_set_string_array(o, L"dt", bad, 2), WBEM_E_VALUE_OUT_OF_RANGE);
        assert_hr(wbemsink_get_string_array(o, L"dt", &gots, &n), S_OK);
        assert_int_equal(n, 2);   /* unchanged */
        assert_true(wcscmp(gots[1], dts[1]) == 0);
        wbemsink_free_strings(gots, n);
    }
    {
        const wchar_t *holes[2] = {L"a", NULL};
        assert_hr(wbemsink_set_string_array(o, L"s", holes, 2), E_POINTER);
    }
    assert_hr(wbemsink_set_string_array(o, L"s", NULL, 0), S_OK);
    assert_hr(wbemsink_get_string_array(o, L"s", &gots, &n), S_OK);
    assert_int_equal(n, 0);

    kids[0] = fake_object_create(L"K0");
    kids[1] = fake_object_create(L"K1");
    assert_hr(wbemsink_set_object_array(o, L"obj", kids, 2), S_OK);
    assert_int_equal(held_vt(o, L"obj"), VT_ARRAY | VT_UNKNOWN);
    assert_int_equal(fake_object_refs(kids[0]), 2);
    assert_hr(wbemsink_get_object_array(o, L"obj", &gotk, &n), S_OK);
    assert_int_equal(n, 2);
    assert_ptr_equal(gotk[0], kids[0]);
    assert_ptr_equal(gotk[1], kids[1]);
    IWbemClassObject_Release(gotk[0]);
    IWbemClassObject_Release(gotk[1]);
    wbemsink_free(gotk);
    {
        IWbemClassObject *holes[2] = {kids[0], NULL};
        assert_hr(wbemsink_set_object_array(o, L"obj", holes, 2), E_POINTER);
    }
    assert_hr(wbemsink_set_object_array(o, L"obj", NULL, 0), S_OK);
    assert_int_equal(fake_object_refs(kids[0]), 1);   /* the old array let go */
    IWbemClassObject_Release(kids[0]);
    IWbemClassObject_Release(kids[1]);

    /* the wrong kind, even empty; scalars and arrays do not mix */
    assert_hr(wbemsink_set_string_array(o, L"u32", NULL, 0), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_bool_array(o, L"s", NULL, 0), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_double_array(o, L"s32", r, 1), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_int64_array(o, L"r64", NULL, 0), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_object_array(o, L"s", NULL, 0), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_int64_array(o, L"scalar", NULL, 0), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_uint32(o, L"u32", 1), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_string(o, L"s", L"x"), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_int64_array(o, L"missing", NULL, 0), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_set_int64_array(o, L"u32", NULL, 1), E_POINTER);
    IWbemClassObject_Release(o);
}

/* ---- the errors every setter shares ---- */

static void null_arguments_missing_put_failure(void **state)
{
    IWbemClassObject *o = scalar_object(), *child = fake_object_create(L"C");
    FILETIME ft = {0, 0};
    const LONGLONG one = 1;
    (void)state;
    assert_hr(wbemsink_set_int64(NULL, L"u32", 1), E_POINTER);
    assert_hr(wbemsink_set_int64(o, NULL, 1), E_POINTER);
    assert_hr(wbemsink_set_uint64(NULL, L"u32", 1), E_POINTER);
    assert_hr(wbemsink_set_int32(o, NULL, 1), E_POINTER);
    assert_hr(wbemsink_set_uint32(NULL, L"u32", 1), E_POINTER);
    assert_hr(wbemsink_set_bool(NULL, L"b", 1), E_POINTER);
    assert_hr(wbemsink_set_double(o, NULL, 1), E_POINTER);
    assert_hr(wbemsink_set_char16(NULL, L"c", 1), E_POINTER);
    assert_hr(wbemsink_set_string(o, L"s", NULL), E_POINTER);
    assert_hr(wbemsink_set_string(NULL, L"s", L"x"), E_POINTER);
    assert_hr(wbemsink_set_utf8(o, L"s", NULL), E_POINTER);
    assert_hr(wbemsink_set_utf8(o, NULL, "x"), E_POINTER);
    assert_hr(wbemsink_set_datetime(NULL, L"dt", &ft, 0), E_POINTER);
    assert_hr(wbemsink_set_interval(o, NULL, 1), E_POINTER);
    assert_hr(wbemsink_set_object(NULL, L"obj", child), E_POINTER);
    assert_hr(wbemsink_set_null(o, NULL), E_POINTER);
    assert_hr(wbemsink_set_null(NULL, L"s"), E_POINTER);
    assert_hr(wbemsink_set_int64_array(NULL, L"arr", &one, 1), E_POINTER);
    assert_hr(wbemsink_set_string_array(o, NULL, NULL, 0), E_POINTER);

    assert_hr(wbemsink_set_int64(o, L"missing", 1), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_set_string(o, L"missing", L"x"), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_set_datetime(o, L"missing", &ft, 0), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_set_object(o, L"missing", child), WBEM_E_NOT_FOUND);
    /* the type is checked before the range: a string is not "out of range" */
    assert_hr(wbemsink_set_int64(o, L"s", LLONG_MAX), WBEM_E_TYPE_MISMATCH);

    /* Put's own failure comes back as is, and the object keeps its value */
    assert_hr(wbemsink_set_uint32(o, L"u32", 5), S_OK);
    fake_object_fail_put(o, WBEM_E_READ_ONLY);
    assert_hr(wbemsink_set_uint32(o, L"u32", 6), WBEM_E_READ_ONLY);
    assert_hr(wbemsink_set_null(o, L"u32"), WBEM_E_READ_ONLY);
    assert_hr(wbemsink_set_int64_array(o, L"arr", &one, 1), WBEM_E_READ_ONLY);
    assert_hr(wbemsink_set_object(o, L"obj", child), WBEM_E_READ_ONLY);
    assert_int_equal(fake_object_refs(child), 1);   /* nothing kept on failure */
    fake_object_fail_put(o, S_OK);
    {
        ULONG u = 0;
        assert_hr(wbemsink_get_uint32(o, L"u32", &u), S_OK);
        assert_int_equal(u, 5);
    }
    IWbemClassObject_Release(child);
    IWbemClassObject_Release(o);
}

/* The fake's Put is as strict as the tests above rely on: a VARIANT of
   another type than WMI's for the CIM type is refused. */
static void fake_put_takes_only_wmi_types(void **state)
{
    IWbemClassObject *o = scalar_object();
    VARIANT v;
    (void)state;
    VariantInit(&v);
    V_VT(&v) = VT_UI4;
    V_UI4(&v) = 1;
    assert_hr(IWbemClassObject_Put(o, L"u32", 0, &v, 0), WBEM_E_TYPE_MISMATCH);
    V_VT(&v) = VT_I4;
    assert_hr(IWbemClassObject_Put(o, L"u32", 0, &v, 0), S_OK);
    assert_hr(IWbemClassObject_Put(o, L"u32", 0, &v, CIM_SINT32), WBEM_E_TYPE_MISMATCH);
    assert_hr(IWbemClassObject_Put(o, L"arr", 0, &v, 0), WBEM_E_TYPE_MISMATCH);
    assert_hr(IWbemClassObject_Put(o, L"nope", 0, &v, 0), WBEM_E_NOT_FOUND);
    assert_hr(IWbemClassObject_Put(o, L"Name", 0, &v, 0), WBEM_E_READ_ONLY);
    IWbemClassObject_Release(o);
}

/* Where Put refuses WMI's VT_I4 for a uint16 or uint32, or arrays of them (Wine's
   in-parameter objects), the setters Put once more in the exact type;
   nothing else is retried, and NULL's refusal comes back as is. */
static void exact_type_retry(void **state)
{
    IWbemClassObject *o = integer_object();
    ULONG u = 0;
    LONG s = 0;
    const LONGLONG one = 1;
    (void)state;
    fake_object_put_like_wine(o, 1);
    assert_hr(wbemsink_set_uint32(o, L"u32", ULONG_MAX), S_OK);
    assert_int_equal(held_vt(o, L"u32"), VT_UI4);
    assert_hr(wbemsink_get_uint32(o, L"u32", &u), S_OK);
    assert_true(u == ULONG_MAX);
    assert_hr(wbemsink_set_int64(o, L"u16", 65535), S_OK);
    assert_int_equal(held_vt(o, L"u16"), VT_UI2);
    assert_hr(wbemsink_get_uint32(o, L"u16", &u), S_OK);
    assert_int_equal(u, 65535);
    assert_hr(wbemsink_set_int32(o, L"s32", -5), S_OK);   /* VT_I4 is exact for sint32 */
    assert_int_equal(held_vt(o, L"s32"), VT_I4);
    assert_hr(wbemsink_get_int32(o, L"s32", &s), S_OK);
    assert_int_equal(s, -5);
    assert_hr(wbemsink_set_uint64(o, L"u32", 0x100000000ull), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_set_null(o, L"u32"), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_int64_array(o, L"u32", &one, 1), WBEM_E_TYPE_MISMATCH);   /* scalar */
    /* arrays too, empty included */
    {
        IWbemClassObject *a = array_object();
        const ULONGLONG big[2] = {ULONG_MAX, 0};
        const LONGLONG words[3] = {65535, 0, 1};
        ULONGLONG *got = NULL;
        ULONG n = 0;
        fake_object_put_like_wine(a, 1);
        assert_hr(wbemsink_set_uint64_array(a, L"u32", big, 2), S_OK);
        assert_int_equal(held_vt(a, L"u32"), VT_ARRAY | VT_UI4);
        assert_hr(wbemsink_get_uint64_array(a, L"u32", &got, &n), S_OK);
        assert_int_equal(n, 2);
        assert_true(got[0] == ULONG_MAX && got[1] == 0);
        wbemsink_free(got);
        assert_hr(wbemsink_set_int64_array(a, L"u16", words, 3), S_OK);
        assert_int_equal(held_vt(a, L"u16"), VT_ARRAY | VT_UI2);
        assert_hr(wbemsink_get_uint64_array(a, L"u16", &got, &n), S_OK);
        assert_int_equal(n, 3);
        assert_true(got[0] == 65535 && got[1] == 0 && got[2] == 1);
        wbemsink_free(got);
        assert_hr(wbemsink_set_int64_array(a, L"u16", NULL, 0), S_OK);
        assert_int_equal(held_vt(a, L"u16"), VT_ARRAY | VT_UI2);
        assert_hr(wbemsink_set_int64_array(a, L"s32", words, 3), S_OK);
        assert_int_equal(held_vt(a, L"s32"), VT_ARRAY | VT_I4);
        IWbemClassObject_Release(a);
    }
    /* the same through wbemsink_fill */
    {
        ULONG value = 4000000000u;
        wbemsink_field f = {L"u32", WBEMSINK_FIELD_UINT32, 0, 0};
        assert_hr(wbemsink_fill(o, &f, 1, &value, NULL, NULL), S_OK);
        assert_hr(wbemsink_get_uint32(o, L"u32", &u), S_OK);
        assert_true(u == 4000000000u);
    }
    /* a refusal for another reason is not retried into success */
    fake_object_fail_put(o, WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_uint32(o, L"u32", 1), WBEM_E_TYPE_MISMATCH);
    fake_object_fail_put(o, S_OK);
    assert_hr(wbemsink_get_uint32(o, L"u32", &u), S_OK);
    assert_true(u == 4000000000u);
    IWbemClassObject_Release(o);
}

/* ---- DMTF text ---- */

static void format_datetime_known_values(void **state)
{
    wchar_t buf[WBEMSINK_DMTF_SIZE];
    FILETIME ft = filetime(0);
    (void)state;
    assert_hr(wbemsink_format_datetime(&ft, 0, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"16010101000000.000000+000") == 0);
    assert_hr(wbemsink_format_datetime(&ft, 999, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"16010101163900.000000+999") == 0);
    assert_hr(wbemsink_format_datetime(&ft, -1, buf, WBEMSINK_DMTF_SIZE), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_true(buf[0] == 0);
    ft = filetime(utc_ticks(9999, 12, 31, 23, 59, 59, 999) + 9999);
    assert_hr(wbemsink_format_datetime(&ft, 0, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"99991231235959.999999+000") == 0);
    assert_hr(wbemsink_format_datetime(&ft, 1, buf, WBEMSINK_DMTF_SIZE), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_format_datetime(&ft, -999, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"99991231072059.999999-999") == 0);
    ft = filetime(utc_ticks(9999, 12, 31, 23, 59, 59, 999) + 10000);   /* 10000-01-01 */
    assert_hr(wbemsink_format_datetime(&ft, 0, buf, WBEMSINK_DMTF_SIZE), WBEM_E_VALUE_OUT_OF_RANGE);
    ft = filetime(~0ull);
    assert_hr(wbemsink_format_datetime(&ft, 999, buf, WBEMSINK_DMTF_SIZE), WBEM_E_VALUE_OUT_OF_RANGE);
    /* leap days: 2000 and 2024 have one, 1900 and 2100 not */
    ft = filetime(utc_ticks(2000, 2, 29, 12, 0, 0, 0));
    assert_hr(wbemsink_format_datetime(&ft, 0, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"20000229120000.000000+000") == 0);
    ft = filetime(utc_ticks(1900, 2, 28, 23, 0, 0, 0));
    assert_hr(wbemsink_format_datetime(&ft, 60, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"19000301000000.000000+060") == 0);
    ft = filetime(utc_ticks(2100, 3, 1, 0, 30, 0, 0));
    assert_hr(wbemsink_format_datetime(&ft, -60, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"21000228233000.000000-060") == 0);
    ft = filetime(utc_ticks(2024, 12, 31, 23, 59, 59, 0));
    assert_hr(wbemsink_format_datetime(&ft, 1, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"20250101000059.000000+001") == 0);
    /* arguments */
    assert_hr(wbemsink_format_datetime(&ft, 0, buf, WBEMSINK_DMTF_SIZE - 1), WBEM_E_BUFFER_TOO_SMALL);
    assert_true(buf[0] == 0);
    assert_hr(wbemsink_format_datetime(&ft, 0, NULL, 0), E_POINTER);
    assert_hr(wbemsink_format_datetime(NULL, 0, buf, WBEMSINK_DMTF_SIZE), E_POINTER);
    assert_hr(wbemsink_format_datetime(&ft, 0, buf, 0), WBEM_E_BUFFER_TOO_SMALL);
    assert_hr(wbemsink_format_datetime(&ft, -1000, buf, WBEMSINK_DMTF_SIZE), WBEM_E_VALUE_OUT_OF_RANGE);
}

/* format then parse gives the instant back to the microsecond, and the
   offset, over the whole range (a walk of odd steps through 1601..9999
   with every kind of offset), and SystemTimeToFileTime agrees on the
   calendar. */
static void format_parse_round_trip(void **state)
{
    const ULONGLONG last = utc_ticks(9999, 12, 31, 23, 59, 59, 999) + 9999;
    const LONG offsets[] = {0, 1, -1, 60, -300, 330, 999, -999};
    ULONGLONG t;
    unsigned k = 0, n = 0;
    (void)state;
    for (t = 0; t <= last; t += 864000000000ull * 37 + 1234567, k++) {
        FILETIME ft = filetime(t), back;
        LONG off = offsets[k % (sizeof(offsets) / sizeof(offsets[0]))], got_off = 12345;
        wchar_t buf[WBEMSINK_DMTF_SIZE];
        HRESULT hr = wbemsink_format_datetime(&ft, off, buf, WBEMSINK_DMTF_SIZE);
        SYSTEMTIME st;
        if (off < 0 && t < (ULONGLONG)(-off) * 600000000ull) {
            assert_hr(hr, WBEM_E_VALUE_OUT_OF_RANGE);
            continue;
        }
        assert_hr(hr, S_OK);
        assert_hr(wbemsink_parse_datetime(buf, &back, &got_off), S_OK);
        assert_true(ticks(&back) == t - t % 10);
        assert_int_equal(got_off, off);
        if (off == 0) {   /* the calendar: Windows' own reading of the instant */
            assert_true(FileTimeToSystemTime(&ft, &st));
            assert_int_equal((buf[0] - L'0') * 1000 + (buf[1] - L'0') * 100 + (buf[2] - L'0') * 10 + (buf[3] - L'0'), st.wYear);
            assert_int_equal((buf[4] - L'0') * 10 + (buf[5] - L'0'), st.wMonth);
            assert_int_equal((buf[6] - L'0') * 10 + (buf[7] - L'0'), st.wDay);
        }
        n++;
    }
    print_message("    %u instants round-tripped\n", n);
    assert_true(n > 80000);
}

static void format_interval_edges(void **state)
{
    wchar_t buf[WBEMSINK_DMTF_SIZE];
    ULONGLONG back = 1;
    const ULONGLONG samples[] = {0, 9, 10, 864000000000ull - 1, 864000000000ull, 1234567890123456789ull,
                                 ~0ull};
    size_t i;
    (void)state;
    assert_hr(wbemsink_format_interval(0, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"00000000000000.000000:000") == 0);
    assert_hr(wbemsink_format_interval(~0ull, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"21350398053610.955161:000") == 0);
    assert_hr(wbemsink_format_interval(864000000000ull + 36000000000ull * 2 + 10, buf, WBEMSINK_DMTF_SIZE), S_OK);
    assert_true(wcscmp(buf, L"00000001020000.000001:000") == 0);
    for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        assert_hr(wbemsink_format_interval(samples[i], buf, WBEMSINK_DMTF_SIZE), S_OK);
        assert_hr(wbemsink_parse_interval(buf, &back), S_OK);
        assert_true(back == samples[i] - samples[i] % 10);
    }
    assert_hr(wbemsink_format_interval(1, buf, 3), WBEM_E_BUFFER_TOO_SMALL);
    assert_true(buf[0] == 0);
    assert_hr(wbemsink_format_interval(1, NULL, 30), E_POINTER);
}

/* ---- wbemsink_fill ---- */

typedef struct record {
    LONGLONG big;
    ULONGLONG ubig;
    LONG small;
    ULONG usmall;
    int flag;
    double real;
    wchar_t ch;
    BSTR text;
    char *utf8;
    FILETIME when;
    ULONGLONG span;
    IWbemClassObject *child;
} record;

static const wbemsink_field record_fields[] = {
    {L"big", WBEMSINK_FIELD_INT64, offsetof(record, big), 0},
    {L"ubig", WBEMSINK_FIELD_UINT64, offsetof(record, ubig), 0},
    {L"small", WBEMSINK_FIELD_INT32, offsetof(record, small), 0},
    {L"usmall", WBEMSINK_FIELD_UINT32, offsetof(record, usmall), 0},
    {L"flag", WBEMSINK_FIELD_BOOL, offsetof(record, flag), 0},
    {L"real", WBEMSINK_FIELD_DOUBLE, offsetof(record, real), 0},
    {L"ch", WBEMSINK_FIELD_CHAR16, offsetof(record, ch), 0},
    {L"text", WBEMSINK_FIELD_BSTR, offsetof(record, text), 1},
    {L"utf8", WBEMSINK_FIELD_UTF8, offsetof(record, utf8), 1},
    {L"when", WBEMSINK_FIELD_DATETIME, offsetof(record, when), 0},
    {L"span", WBEMSINK_FIELD_INTERVAL, offsetof(record, span), 0},
    {L"child", WBEMSINK_FIELD_OBJECT, offsetof(record, child), 1},
};
#define N_FIELDS (sizeof(record_fields) / sizeof(record_fields[0]))

static IWbemClassObject *record_object(void)
{
    IWbemClassObject *o = fake_object_create(L"Record");
    declare(o, L"big", CIM_SINT64);
    declare(o, L"ubig", CIM_UINT64);
    declare(o, L"small", CIM_SINT16);   /* narrower than the C type: range checked */
    declare(o, L"usmall", CIM_UINT8);
    declare(o, L"flag", CIM_BOOLEAN);
    declare(o, L"real", CIM_REAL64);
    declare(o, L"ch", CIM_CHAR16);
    declare(o, L"text", CIM_STRING);
    declare(o, L"utf8", CIM_REFERENCE);
    declare(o, L"when", CIM_DATETIME);
    declare(o, L"span", CIM_DATETIME);
    declare(o, L"child", CIM_OBJECT);
    return o;
}

static record sample_record(IWbemClassObject *child)
{
    record r;
    memset(&r, 0, sizeof(r));
    r.big = LLONG_MIN;
    r.ubig = ULLONG_MAX;
    r.small = -32768;
    r.usmall = 255;
    r.flag = 1;
    r.real = 2.5;
    r.ch = 0x20AC;
    r.text = SysAllocString(mixed);
    r.utf8 = (char *)"Win32_Process.Handle=\"1\"";
    r.when = filetime(utc_ticks(2024, 2, 29, 1, 2, 3, 4));
    r.span = 864000000000ull * 3;
    r.child = child;
    return r;
}

/* Fill from a struct, bind into another: the same values. */
static void fill_then_bind(void **state)
{
    IWbemClassObject *o = record_object(), *child = fake_object_create(L"Kid");
    record in = sample_record(child), out;
    unsigned char present[N_FIELDS];
    size_t failed = 99;
    (void)state;
    assert_hr(wbemsink_fill(o, record_fields, N_FIELDS, &in, NULL, &failed), S_OK);
    assert_int_equal(failed, N_FIELDS);
    assert_int_equal(fake_object_refs(child), 2);
    assert_hr(wbemsink_bind(o, record_fields, N_FIELDS, &out, present, &failed), S_OK);
    assert_true(out.big == in.big && out.ubig == in.ubig && out.small == in.small);
    assert_true(out.usmall == in.usmall && out.flag == 1 && out.real == in.real && out.ch == in.ch);
    assert_true(wcscmp(out.text, in.text) == 0);
    assert_string_equal(out.utf8, in.utf8);
    assert_true(ticks(&out.when) == ticks(&in.when));
    assert_true(out.span == in.span);
    assert_ptr_equal(out.child, child);
    wbemsink_unbind(record_fields, N_FIELDS, &out);

    /* NULL pointer members write NULL */
    {
        record nulls = in;
        nulls.text = NULL;
        nulls.utf8 = NULL;
        nulls.child = NULL;
        assert_hr(wbemsink_fill(o, record_fields, N_FIELDS, &nulls, NULL, NULL), S_OK);
        assert_int_equal(held_vt(o, L"text"), VT_NULL);
        assert_int_equal(held_vt(o, L"utf8"), VT_NULL);
        assert_int_equal(held_vt(o, L"child"), VT_NULL);
        assert_int_equal(fake_object_refs(child), 1);
        assert_hr(wbemsink_bind(o, record_fields, N_FIELDS, &out, present, NULL), S_OK);
        assert_int_equal(present[7], 0);
        assert_int_equal(present[11], 0);
        assert_int_equal(present[0], 1);
        /* the present flags copy it to another object as it is */
        {
            IWbemClassObject *copy = record_object();
            assert_hr(wbemsink_set_string(copy, L"text", L"keep"), S_OK);
            assert_hr(wbemsink_fill(copy, record_fields, N_FIELDS, &out, present, NULL), S_OK);
            assert_string(copy, L"text", L"keep");   /* not present: left alone */
            assert_int_equal(held_vt(copy, L"big"), VT_BSTR);
            IWbemClassObject_Release(copy);
        }
        wbemsink_unbind(record_fields, N_FIELDS, &out);
    }
    SysFreeString(in.text);
    IWbemClassObject_Release(child);
    IWbemClassObject_Release(o);
}

/* All checks before the first Put: a bad field anywhere writes nothing. */
static void fill_all_or_nothing(void **state)
{
    IWbemClassObject *o = record_object();
    record in = sample_record(NULL);
    size_t failed = 0;
    LONGLONG big = 0;
    (void)state;
    assert_hr(wbemsink_set_int64(o, L"big", 42), S_OK);

    in.usmall = 256;   /* field 3 into a uint8 */
    assert_hr(wbemsink_fill(o, record_fields, N_FIELDS, &in, NULL, &failed), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_int_equal(failed, 3);
    assert_hr(wbemsink_get_int64(o, L"big", &big), S_OK);
    assert_true(big == 42);   /* field 0 not written */
    in.usmall = 1;

    {   /* a required property missing: WBEM_E_NOT_FOUND; an optional one: skipped */
        wbemsink_field f[2] = {{L"big", WBEMSINK_FIELD_INT64, offsetof(record, big), 0},
                               {L"nope", WBEMSINK_FIELD_INT32, offsetof(record, small), 0}};
        assert_hr(wbemsink_fill(o, f, 2, &in, NULL, &failed), WBEM_E_NOT_FOUND);
        assert_int_equal(failed, 1);
        assert_hr(wbemsink_get_int64(o, L"big", &big), S_OK);
        assert_true(big == 42);
        f[1].optional = 1;
        assert_hr(wbemsink_fill(o, f, 2, &in, NULL, &failed), S_OK);
        assert_int_equal(failed, 2);
        assert_hr(wbemsink_get_int64(o, L"big", &big), S_OK);
        assert_true(big == LLONG_MIN);
    }
    {   /* the wrong kind of field, a NULL member included */
        wbemsink_field f[2] = {{L"big", WBEMSINK_FIELD_INT64, offsetof(record, big), 0},
                               {L"ubig", WBEMSINK_FIELD_BSTR, offsetof(record, text), 0}};
        record nulls = in;
        nulls.text = NULL;
        assert_hr(wbemsink_fill(o, f, 2, &nulls, NULL, &failed), WBEM_E_TYPE_MISMATCH);
        assert_int_equal(failed, 1);
        f[1].property = L"flag";
        f[1].type = WBEMSINK_FIELD_OBJECT;
        f[1].offset = offsetof(record, child);
        assert_hr(wbemsink_fill(o, f, 2, &nulls, NULL, &failed), WBEM_E_TYPE_MISMATCH);
    }
    {   /* Put's failure stops there */
        fake_object_fail_put(o, WBEM_E_ACCESS_DENIED);
        assert_hr(wbemsink_fill(o, record_fields, N_FIELDS, &in, NULL, &failed), WBEM_E_ACCESS_DENIED);
        assert_int_equal(failed, 0);
        fake_object_fail_put(o, S_OK);
    }
    {   /* the description */
        wbemsink_field f[1] = {{L"big", (wbemsink_field_type)99, 0, 0}};
        assert_hr(wbemsink_fill(o, f, 1, &in, NULL, &failed), E_INVALIDARG);
        assert_int_equal(failed, 0);
        f[0].type = WBEMSINK_FIELD_INT64;
        f[0].property = NULL;
        assert_hr(wbemsink_fill(o, f, 1, &in, NULL, &failed), E_POINTER);
        assert_hr(wbemsink_fill(NULL, record_fields, N_FIELDS, &in, NULL, &failed), E_POINTER);
        assert_int_equal(failed, N_FIELDS);
        assert_hr(wbemsink_fill(o, record_fields, N_FIELDS, NULL, NULL, NULL), E_POINTER);
        assert_hr(wbemsink_fill(o, NULL, 1, &in, NULL, NULL), E_POINTER);
        assert_hr(wbemsink_fill(o, NULL, 0, &in, NULL, NULL), S_OK);
    }
    SysFreeString(in.text);
    IWbemClassObject_Release(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(integers_every_width_min_max, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(integers_32_bit_setters, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(booleans_reals_char16, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(strings_utf8_references_datetime_text, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(datetimes_and_intervals, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(embedded_objects_and_nulls, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(integer_arrays_every_width, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(other_arrays, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(null_arguments_missing_put_failure, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(fake_put_takes_only_wmi_types, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(exact_type_retry, fakes_setup, fakes_teardown),
        cmocka_unit_test(format_datetime_known_values),
        cmocka_unit_test(format_parse_round_trip),
        cmocka_unit_test(format_interval_edges),
        cmocka_unit_test_setup_teardown(fill_then_bind, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(fill_all_or_nothing, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
