/* The typed getters and the struct binder (issue 12, item 2) against fake
   objects of every CIM type, built as WMI sends them (uint64 as a BSTR,
   uint32 as VT_I4, sint8 as VT_I2...). Every test runs between
   fakes_setup/fakes_teardown: every fake object back to a count of 0 and
   none released too often, so the getters' references are balanced. */
#include "test_support.h"
#include <malloc.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- building objects ---- */

static void put(IWbemClassObject *o, const wchar_t *name, CIMTYPE type, VARIANT *v)
{
    assert_hr(fake_object_put(o, name, type, v), S_OK);
    VariantClear(v);
}

static void put_i4(IWbemClassObject *o, const wchar_t *name, CIMTYPE type, LONG x)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_I4;
    V_I4(&v) = x;
    put(o, name, type, &v);
}

static void put_i2(IWbemClassObject *o, const wchar_t *name, CIMTYPE type, SHORT x)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_I2;
    V_I2(&v) = x;
    put(o, name, type, &v);
}

static void put_ui1(IWbemClassObject *o, const wchar_t *name, BYTE x)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_UI1;
    V_UI1(&v) = x;
    put(o, name, CIM_UINT8, &v);
}

static void put_bstr(IWbemClassObject *o, const wchar_t *name, CIMTYPE type, const wchar_t *s)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(s);
    put(o, name, type, &v);
}

static void put_bool(IWbemClassObject *o, const wchar_t *name, int b)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BOOL;
    V_BOOL(&v) = b ? VARIANT_TRUE : VARIANT_FALSE;
    put(o, name, CIM_BOOLEAN, &v);
}

static void put_r8(IWbemClassObject *o, const wchar_t *name, double d)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_R8;
    V_R8(&v) = d;
    put(o, name, CIM_REAL64, &v);
}

static void put_r4(IWbemClassObject *o, const wchar_t *name, float f)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_R4;
    V_R4(&v) = f;
    put(o, name, CIM_REAL32, &v);
}

static void put_null(IWbemClassObject *o, const wchar_t *name, CIMTYPE type)
{
    assert_hr(fake_object_put(o, name, type, NULL), S_OK);
}

/* The parent AddRefs the child (its own reference). */
static void put_object(IWbemClassObject *o, const wchar_t *name, IWbemClassObject *child)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_UNKNOWN;
    V_UNKNOWN(&v) = (IUnknown *)child;
    assert_hr(fake_object_put(o, name, CIM_OBJECT, &v), S_OK);
}

/* An array of n elements of vt copied from `elems` (BSTR elements given as
   const wchar_t *, objects as IWbemClassObject *: both copied / AddRef'd). */
static void put_array(IWbemClassObject *o, const wchar_t *name, CIMTYPE type, VARTYPE vt, LONG n,
                      const void *elems)
{
    VARIANT v;
    SAFEARRAY *sa = SafeArrayCreateVector(vt, 0, (ULONG)n);
    assert_non_null(sa);
    for (LONG i = 0; i < n; i++) {
        if (vt == VT_BSTR) {
            BSTR b = SysAllocString(((const wchar_t *const *)elems)[i]);
            assert_hr(SafeArrayPutElement(sa, &i, b), S_OK);   /* copies */
            SysFreeString(b);
        } else if (vt == VT_UNKNOWN) {
            assert_hr(SafeArrayPutElement(sa, &i, ((IUnknown *const *)elems)[i]), S_OK);   /* AddRefs */
        } else {
            assert_hr(SafeArrayPutElement(sa, &i, (void *)((const BYTE *)elems + i * SafeArrayGetElemsize(sa))), S_OK);
        }
    }
    VariantInit(&v);
    V_VT(&v) = VT_ARRAY | vt;
    V_ARRAY(&v) = sa;
    put(o, name, type | CIM_FLAG_ARRAY, &v);
}

/* One object with a property of every CIM type, as WMI sends them. */
static IWbemClassObject *every_type(void)
{
    IWbemClassObject *o = fake_object_create(L"every");
    assert_non_null(o);
    put_i2(o, L"S8", CIM_SINT8, -5);
    put_ui1(o, L"U8", 200);
    put_i2(o, L"S16", CIM_SINT16, -300);
    put_i4(o, L"U16", CIM_UINT16, 65535);
    put_i4(o, L"S32", CIM_SINT32, LONG_MIN);
    put_i4(o, L"U32", CIM_UINT32, -1);                     /* 4294967295 in a VT_I4 */
    put_bstr(o, L"S64", CIM_SINT64, L"-9223372036854775808");
    put_bstr(o, L"U64", CIM_UINT64, L"18446744073709551615");
    put_i2(o, L"C16", CIM_CHAR16, 0x263A);
    put_bool(o, L"Flag", 1);
    put_r4(o, L"R32", 1.5f);
    put_r8(o, L"R64", -2.25);
    put_bstr(o, L"Str", CIM_STRING, L"text");
    put_bstr(o, L"Ref", CIM_REFERENCE, L"Win32_Process.Handle=\"4\"");
    put_bstr(o, L"When", CIM_DATETIME, L"20240131130500.123456+060");
    put_bstr(o, L"Span", CIM_DATETIME, L"00000001020304.000005:000");
    return o;
}

/* ---- integers ---- */

static void integers_every_width(void **state)
{
    (void)state;
    IWbemClassObject *o = every_type();
    LONGLONG i64;
    ULONGLONG u64;
    LONG i32;
    ULONG u32;
    double d;

    assert_hr(wbemsink_get_int64(o, L"S8", &i64), S_OK);
    assert_true(i64 == -5);
    assert_hr(wbemsink_get_int32(o, L"s8", &i32), S_OK);   /* names case-insensitive */
    assert_int_equal(i32, -5);
    assert_hr(wbemsink_get_uint32(o, L"U8", &u32), S_OK);
    assert_int_equal(u32, 200);
    assert_hr(wbemsink_get_int32(o, L"S16", &i32), S_OK);
    assert_int_equal(i32, -300);
    assert_hr(wbemsink_get_uint32(o, L"U16", &u32), S_OK);
    assert_int_equal(u32, 65535);
    assert_hr(wbemsink_get_int32(o, L"S32", &i32), S_OK);
    assert_true(i32 == LONG_MIN);
    assert_hr(wbemsink_get_uint32(o, L"U32", &u32), S_OK);
    assert_true(u32 == 4294967295u);
    assert_hr(wbemsink_get_int64(o, L"U32", &i64), S_OK);
    assert_true(i64 == 4294967295LL);
    assert_hr(wbemsink_get_int64(o, L"S64", &i64), S_OK);
    assert_true(i64 == LLONG_MIN);
    assert_hr(wbemsink_get_uint64(o, L"U64", &u64), S_OK);
    assert_true(u64 == ULLONG_MAX);
    assert_hr(wbemsink_get_uint32(o, L"C16", &u32), S_OK);  /* CHAR16 is an integer too */
    assert_int_equal(u32, 0x263A);
    assert_hr(wbemsink_get_double(o, L"S8", &d), S_OK);
    assert_true(d == -5.0);
    assert_hr(wbemsink_get_double(o, L"U64", &d), S_OK);
    assert_true(d == 18446744073709551615.0);
    IWbemClassObject_Release(o);
}

/* Values that do not fit the C type: WBEM_E_TYPE_MISMATCH, *out zeroed. */
static void integers_range_checked(void **state)
{
    (void)state;
    IWbemClassObject *o = every_type();
    LONGLONG i64 = 7;
    ULONGLONG u64 = 7;
    LONG i32 = 7;
    ULONG u32 = 7;
    assert_hr(wbemsink_get_int64(o, L"U64", &i64), WBEM_E_TYPE_MISMATCH);   /* > INT64_MAX */
    assert_true(i64 == 0);
    assert_hr(wbemsink_get_uint64(o, L"S64", &u64), WBEM_E_TYPE_MISMATCH);  /* negative */
    assert_true(u64 == 0);
    assert_hr(wbemsink_get_uint32(o, L"S8", &u32), WBEM_E_TYPE_MISMATCH);
    assert_int_equal(u32, 0);
    assert_hr(wbemsink_get_uint64(o, L"S32", &u64), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_int32(o, L"U32", &i32), WBEM_E_TYPE_MISMATCH);   /* > LONG_MAX */
    assert_int_equal(i32, 0);
    assert_hr(wbemsink_get_int32(o, L"S64", &i32), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_uint32(o, L"U64", &u32), WBEM_E_TYPE_MISMATCH);
    IWbemClassObject_Release(o);
}

/* Narrow integers are read at their CIM width: Wine leaves stray high bytes
   in the wider VARIANT of small-integer array elements. */
static void integers_cut_to_cim_width(void **state)
{
    (void)state;
    IWbemClassObject *o = fake_object_create(L"cut");
    LONGLONG i64;
    ULONGLONG u64;
    put_i4(o, L"U16", CIM_UINT16, 0x7FFF0001);
    put_i2(o, L"S8", CIM_SINT8, 0x01FF);
    put_i4(o, L"U8", CIM_UINT8, 0x1234);
    assert_hr(wbemsink_get_uint64(o, L"U16", &u64), S_OK);
    assert_true(u64 == 1);
    assert_hr(wbemsink_get_int64(o, L"S8", &i64), S_OK);
    assert_true(i64 == -1);
    assert_hr(wbemsink_get_int64(o, L"U8", &i64), S_OK);
    assert_true(i64 == 0x34);
    IWbemClassObject_Release(o);
}

/* 64-bit integers arrive as text: only whole decimal numbers in range. */
static void integers_64_bit_text(void **state)
{
    (void)state;
    static const struct {
        CIMTYPE type;
        const wchar_t *text;
        HRESULT hr;
        LONGLONG value;
    } cases[] = {
        {CIM_SINT64, L"9223372036854775807", S_OK, LLONG_MAX},
        {CIM_SINT64, L"9223372036854775808", (HRESULT)WBEM_E_TYPE_MISMATCH, 0},
        {CIM_SINT64, L"-0", S_OK, 0},
        {CIM_SINT64, L"-", (HRESULT)WBEM_E_TYPE_MISMATCH, 0},
        {CIM_SINT64, L"", (HRESULT)WBEM_E_TYPE_MISMATCH, 0},
        {CIM_SINT64, L"12a", (HRESULT)WBEM_E_TYPE_MISMATCH, 0},
        {CIM_SINT64, L" 12", (HRESULT)WBEM_E_TYPE_MISMATCH, 0},
        {CIM_UINT64, L"42", S_OK, 42},
        {CIM_UINT64, L"-1", (HRESULT)WBEM_E_TYPE_MISMATCH, 0},
        {CIM_UINT64, L"18446744073709551616", (HRESULT)WBEM_E_TYPE_MISMATCH, 0},
        {CIM_UINT64, L"99999999999999999999999", (HRESULT)WBEM_E_TYPE_MISMATCH, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        IWbemClassObject *o = fake_object_create(L"text");
        LONGLONG v = 99;
        put_bstr(o, L"N", cases[i].type, cases[i].text);
        assert_hr(wbemsink_get_int64(o, L"N", &v), cases[i].hr);
        assert_true(v == cases[i].value);
        IWbemClassObject_Release(o);
    }
}

/* ---- the other scalar types ---- */

static void booleans_reals_char16(void **state)
{
    (void)state;
    IWbemClassObject *o = every_type();
    int b = 5;
    double d = 0;
    wchar_t c = 0;
    assert_hr(wbemsink_get_bool(o, L"Flag", &b), S_OK);
    assert_int_equal(b, 1);
    put_bool(o, L"Flag", 0);
    assert_hr(wbemsink_get_bool(o, L"Flag", &b), S_OK);
    assert_int_equal(b, 0);
    assert_hr(wbemsink_get_double(o, L"R32", &d), S_OK);
    assert_true(d == 1.5);
    assert_hr(wbemsink_get_double(o, L"R64", &d), S_OK);
    assert_true(d == -2.25);
    assert_hr(wbemsink_get_char16(o, L"C16", &c), S_OK);
    assert_int_equal(c, 0x263A);
    /* each reads its own types only */
    assert_hr(wbemsink_get_bool(o, L"S32", &b), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_double(o, L"Flag", &d), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_double(o, L"Str", &d), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_char16(o, L"U16", &c), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_int64(o, L"R64", &(LONGLONG){0}), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_int64(o, L"Flag", &(LONGLONG){0}), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_int64(o, L"Str", &(LONGLONG){0}), WBEM_E_TYPE_MISMATCH);
    /* a VARIANT that contradicts its CIM type is a mismatch, not a guess */
    put_bstr(o, L"Odd", CIM_BOOLEAN, L"true");
    assert_hr(wbemsink_get_bool(o, L"Odd", &b), WBEM_E_TYPE_MISMATCH);
    IWbemClassObject_Release(o);
}

static void strings_references_datetimes_as_text(void **state)
{
    (void)state;
    IWbemClassObject *o = every_type();
    BSTR s = NULL;
    char *u = NULL;
    assert_hr(wbemsink_get_string(o, L"Str", &s), S_OK);
    assert_true(wcscmp(s, L"text") == 0);
    SysFreeString(s);
    assert_hr(wbemsink_get_string(o, L"Ref", &s), S_OK);
    assert_true(wcscmp(s, L"Win32_Process.Handle=\"4\"") == 0);
    SysFreeString(s);
    assert_hr(wbemsink_get_string(o, L"When", &s), S_OK);
    assert_true(wcscmp(s, L"20240131130500.123456+060") == 0);
    SysFreeString(s);
    assert_hr(wbemsink_get_utf8_alloc(o, L"Ref", &u), S_OK);
    assert_string_equal(u, "Win32_Process.Handle=\"4\"");
    wbemsink_free(u);
    /* numbers are not text (not even uint64, which travels as one) */
    assert_hr(wbemsink_get_string(o, L"U64", &s), WBEM_E_TYPE_MISMATCH);
    assert_null(s);
    assert_hr(wbemsink_get_utf8_alloc(o, L"S32", &u), WBEM_E_TYPE_MISMATCH);
    assert_null(u);
    /* an empty string */
    put_bstr(o, L"Empty", CIM_STRING, L"");
    assert_hr(wbemsink_get_utf8_alloc(o, L"Empty", &u), S_OK);
    assert_string_equal(u, "");
    wbemsink_free(u);
    IWbemClassObject_Release(o);
}

/* "aé€😀b" and a lone surrogate: 1-, 2-, 3- and 4-byte characters. */
static const wchar_t mixed[] = {L'a', 0x00E9, 0x20AC, 0xD83D, 0xDE00, L'b', 0xD800, L'c', 0};
static const char mixed_utf8[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "b\xEF\xBF\xBD" "c";
/* Byte offsets where a character starts (or the string ends). */
static const size_t mixed_cuts[] = {0, 1, 3, 6, 10, 11, 14, 15};

static void utf8_every_buffer_size(void **state)
{
    (void)state;
    IWbemClassObject *o = fake_object_create(L"utf8");
    put_bstr(o, L"S", CIM_STRING, mixed);
    char buf[32];
    size_t needed = 0, full = sizeof mixed_utf8;   /* 16, terminator included */
    assert_hr(wbemsink_get_utf8(o, L"S", buf, sizeof buf, &needed), S_OK);
    assert_int_equal(needed, full);
    assert_memory_equal(buf, mixed_utf8, full);
    assert_hr(wbemsink_get_utf8(o, L"S", NULL, 0, &needed), WBEM_E_BUFFER_TOO_SMALL);
    assert_int_equal(needed, full);
    assert_hr(wbemsink_get_utf8(o, L"S", NULL, 1, &needed), E_POINTER);

    for (size_t size = 0; size <= full + 1; size++) {
        memset(buf, '#', sizeof buf);
        needed = 0;
        HRESULT hr = wbemsink_get_utf8(o, L"S", size ? buf : NULL, size, &needed);
        assert_int_equal(needed, full);
        if (size >= full) {
            assert_hr(hr, S_OK);
            assert_string_equal(buf, mixed_utf8);
        } else {
            assert_hr(hr, WBEM_E_BUFFER_TOO_SMALL);
            if (size == 0) {
                assert_int_equal(buf[0], '#');            /* nothing written */
                continue;
            }
            size_t len = strlen(buf);                     /* terminated */
            assert_true(len < size);
            assert_memory_equal(buf, mixed_utf8, len);    /* a prefix */
            int at_cut = 0, longest = 1;
            for (size_t c = 0; c < sizeof mixed_cuts / sizeof mixed_cuts[0]; c++) {
                if (mixed_cuts[c] == len) at_cut = 1;
                if (mixed_cuts[c] > len && mixed_cuts[c] < size) longest = 0;
            }
            assert_true(at_cut);                          /* never a cut character */
            assert_true(longest);                         /* and no shorter than needed */
        }
        if (size < sizeof buf) assert_int_equal(buf[size], '#');   /* nothing past size */
    }
    /* needed may be NULL */
    assert_hr(wbemsink_get_utf8(o, L"S", buf, 4, NULL), WBEM_E_BUFFER_TOO_SMALL);
    assert_string_equal(buf, "a\xC3\xA9");
    IWbemClassObject_Release(o);
}

/* wbemsink_get_utf8_alloc's block holds the text and its terminator, and
   no less: _msize (the CRT the DLL shares) sees a block one byte short,
   which nothing else under Wine would. */
static void utf8_alloc_size(void **state)
{
    (void)state;
    IWbemClassObject *o = fake_object_create(L"utf8");
    static const wchar_t *texts[] = { L"", L"a", mixed, L"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9" };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        put_bstr(o, L"S", CIM_STRING, texts[i]);
        char *u = NULL;
        assert_hr(wbemsink_get_utf8_alloc(o, L"S", &u), S_OK);
        assert_non_null(u);
        size_t len = strlen(u);
        int want = WideCharToMultiByte(CP_UTF8, 0, texts[i], -1, NULL, 0, NULL, NULL);
        assert_int_equal(len + 1, (size_t)want);
        assert_true(_msize(u) >= len + 1);
        wbemsink_free(u);
    }
    IWbemClassObject_Release(o);
}

/* ---- NULL, missing, mismatched ---- */

/* Three distinct results for every getter, *out zeroed each time. */
static void null_missing_mismatch_distinct(void **state)
{
    (void)state;
    IWbemClassObject *o = fake_object_create(L"nulls");
    static const CIMTYPE types[] = {CIM_SINT32, CIM_UINT64, CIM_BOOLEAN, CIM_REAL64, CIM_CHAR16,
                                    CIM_STRING, CIM_DATETIME, CIM_OBJECT};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        wchar_t name[16];
        swprintf(name, 16, L"N%u", (unsigned)i);
        put_null(o, name, types[i]);
        swprintf(name, 16, L"A%u", (unsigned)i);
        put_null(o, name, types[i] | CIM_FLAG_ARRAY);
    }
    put_bstr(o, L"Str", CIM_STRING, L"x");
    put_i4(o, L"Int", CIM_SINT32, 1);

    LONGLONG i64 = 1; ULONGLONG u64 = 1; LONG i32 = 1; ULONG u32 = 1; int b = 1; double d = 1;
    wchar_t c = 1; BSTR s = (BSTR)1; char *u = (char *)1; FILETIME ft = {1, 1}; LONG off = 1;
    IWbemClassObject *obj = (IWbemClassObject *)1;
    char buf[8] = "zzz";
    size_t needed = 9;

    assert_hr(wbemsink_get_int64(o, L"N0", &i64), WBEMSINK_S_NULL);
    assert_true(i64 == 0);
    assert_hr(wbemsink_get_int64(o, L"Nope", &i64), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_get_int64(o, L"Str", &i64), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_int32(o, L"N1", &i32), WBEMSINK_S_NULL);
    assert_int_equal(i32, 0);
    assert_hr(wbemsink_get_uint32(o, L"N1", &u32), WBEMSINK_S_NULL);
    assert_int_equal(u32, 0);
    assert_hr(wbemsink_get_uint64(o, L"N1", &u64), WBEMSINK_S_NULL);
    assert_true(u64 == 0);
    assert_hr(wbemsink_get_uint64(o, L"Nope", &u64), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_get_bool(o, L"N2", &b), WBEMSINK_S_NULL);
    assert_int_equal(b, 0);
    assert_hr(wbemsink_get_bool(o, L"Nope", &b), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_get_bool(o, L"Int", &b), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_double(o, L"N3", &d), WBEMSINK_S_NULL);
    assert_true(d == 0);
    assert_hr(wbemsink_get_char16(o, L"N4", &c), WBEMSINK_S_NULL);
    assert_int_equal(c, 0);
    assert_hr(wbemsink_get_char16(o, L"Nope", &c), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_get_string(o, L"N5", &s), WBEMSINK_S_NULL);
    assert_null(s);
    assert_hr(wbemsink_get_string(o, L"Nope", &s), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_get_utf8_alloc(o, L"N5", &u), WBEMSINK_S_NULL);
    assert_null(u);
    assert_hr(wbemsink_get_utf8(o, L"N5", buf, sizeof buf, &needed), WBEMSINK_S_NULL);
    assert_string_equal(buf, "");
    assert_int_equal(needed, 0);
    assert_hr(wbemsink_get_datetime(o, L"N6", &ft, &off), WBEMSINK_S_NULL);
    assert_true(ft.dwLowDateTime == 0 && ft.dwHighDateTime == 0 && off == 0);
    assert_hr(wbemsink_get_datetime(o, L"Nope", &ft, &off), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_get_datetime(o, L"Str", &ft, &off), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_interval(o, L"N6", &u64), WBEMSINK_S_NULL);
    assert_hr(wbemsink_get_object(o, L"N7", &obj), WBEMSINK_S_NULL);
    assert_null(obj);
    assert_hr(wbemsink_get_object(o, L"Nope", &obj), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_get_object(o, L"Str", &obj), WBEM_E_TYPE_MISMATCH);

    /* the type is checked first: a NULL string is not a NULL integer */
    assert_hr(wbemsink_get_int64(o, L"N5", &i64), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_string(o, L"N0", &s), WBEM_E_TYPE_MISMATCH);

    /* arrays alike */
    LONGLONG *ai = (LONGLONG *)1;
    BSTR *as = (BSTR *)1;
    IWbemClassObject **ao = (IWbemClassObject **)1;
    ULONG n = 9;
    assert_hr(wbemsink_get_int64_array(o, L"A0", &ai, &n), WBEMSINK_S_NULL);
    assert_null(ai);
    assert_int_equal(n, 0);
    assert_hr(wbemsink_get_int64_array(o, L"Nope", &ai, &n), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_get_int64_array(o, L"A5", &ai, &n), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_string_array(o, L"A5", &as, &n), WBEMSINK_S_NULL);
    assert_null(as);
    assert_hr(wbemsink_get_object_array(o, L"A7", &ao, &n), WBEMSINK_S_NULL);
    assert_null(ao);

    /* bad arguments: E_POINTER, never a crash */
    assert_hr(wbemsink_get_int64(NULL, L"N0", &i64), E_POINTER);
    assert_hr(wbemsink_get_int64(o, NULL, &i64), E_POINTER);
    assert_hr(wbemsink_get_int64(o, L"N0", NULL), E_POINTER);
    assert_hr(wbemsink_get_string(o, L"Str", NULL), E_POINTER);
    assert_hr(wbemsink_get_datetime(o, L"N6", NULL, &off), E_POINTER);
    assert_hr(wbemsink_get_int64_array(o, L"A0", NULL, &n), E_POINTER);
    assert_hr(wbemsink_get_int64_array(o, L"A0", &ai, NULL), E_POINTER);
    assert_hr(wbemsink_get_utf8_alloc(NULL, L"Str", &u), E_POINTER);
    IWbemClassObject_Release(o);
}

/* ---- DMTF ---- */

static ULONGLONG ticks(const FILETIME *ft)
{
    return ((ULONGLONG)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
}

static ULONGLONG utc_ticks(WORD y, WORD mo, WORD d, WORD h, WORD mi, WORD s, WORD ms)
{
    SYSTEMTIME st = {y, mo, 0, d, h, mi, s, ms};
    FILETIME ft;
    assert_true(SystemTimeToFileTime(&st, &ft));
    return ticks(&ft);
}

static void datetimes_with_offsets(void **state)
{
    (void)state;
    IWbemClassObject *o = every_type();
    FILETIME ft;
    LONG off = 0;
    /* 13:05 at UTC+01:00 is 12:05 UTC */
    assert_hr(wbemsink_get_datetime(o, L"When", &ft, &off), S_OK);
    assert_true(ticks(&ft) == utc_ticks(2024, 1, 31, 12, 5, 0, 123) + 4560);
    assert_int_equal(off, 60);
    assert_hr(wbemsink_get_datetime(o, L"When", &ft, NULL), S_OK);    /* offset optional */

    static const struct {
        const wchar_t *text;
        HRESULT hr;
        ULONGLONG utc;
        LONG offset;
    } cases[] = {
        /* 23:00 at UTC-05:00 on New Year's Eve is 04:00 UTC the next year */
        {L"20231231230000.000000-300", S_OK, 0, -300},
        {L"19700101000000.000000+000", S_OK, 116444736000000000ull, 0},
        {L"16010101000000.000000+000", S_OK, 0, 0},
        {L"20240229000000.000000+000", S_OK, 0, 0},                        /* a leap day */
        {L"20230229000000.000000+000", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0}, /* not one */
        {L"16010101000000.000000+001", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0}, /* before 1601 UTC */
        {L"2024****130500.000000+000", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0}, /* wildcards */
        {L"20240131******.******+***", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0},
        {L"00000001020304.000005:000", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0}, /* an interval */
        {L"20241301000000.000000+000", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0}, /* month 13 */
        {L"20240131250000.000000+000", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0}, /* hour 25 */
        {L"20240131130500.123456+", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0},    /* no offset */
        {L"19700101000000.000000-60", S_OK, 116444736000000000ull + 36000000000ull, -60}, /* Wine's */
        {L"19700101000000.000000+0000", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0}, /* too long */
        {L"2024-01-31T13:05:00Z", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0},
        {L"20000229000000.000000+000", S_OK, 0, 0},                        /* 400-year rule: leap */
        {L"19000229000000.000000+000", (HRESULT)WBEM_E_TYPE_MISMATCH, 0, 0}, /* 100-year rule: not */
        {L"24000301000000.000000+000", S_OK, 0, 0},      /* after 2400-02-29, days counted */
    };
    ULONGLONG expect[sizeof cases / sizeof cases[0]] = {0};
    expect[0] = utc_ticks(2024, 1, 1, 4, 0, 0, 0);
    expect[1] = cases[1].utc;
    expect[2] = 0;
    expect[3] = utc_ticks(2024, 2, 29, 0, 0, 0, 0);
    expect[12] = cases[12].utc;
    expect[15] = utc_ticks(2000, 2, 29, 0, 0, 0, 0);
    expect[17] = utc_ticks(2400, 3, 1, 0, 0, 0, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        off = 99;
        put_bstr(o, L"D", CIM_DATETIME, cases[i].text);
        assert_hr(wbemsink_get_datetime(o, L"D", &ft, &off), cases[i].hr);
        assert_true(ticks(&ft) == expect[i]);
        assert_int_equal(off, cases[i].offset);
        /* the pure parser agrees */
        assert_hr(wbemsink_parse_datetime(cases[i].text, &ft, &off), cases[i].hr);
        assert_true(ticks(&ft) == expect[i]);
    }
    assert_hr(wbemsink_parse_datetime(NULL, &ft, &off), E_POINTER);
    assert_hr(wbemsink_parse_datetime(L"19700101000000.000000+000", NULL, &off), E_POINTER);
    IWbemClassObject_Release(o);
}

static void intervals(void **state)
{
    (void)state;
    IWbemClassObject *o = every_type();
    ULONGLONG t = 1;
    assert_hr(wbemsink_get_interval(o, L"Span", &t), S_OK);   /* 1 d 02:03:04.000005 */
    assert_true(t == (86400ull + 2 * 3600 + 3 * 60 + 4) * 10000000ull + 50);
    assert_hr(wbemsink_get_interval(o, L"When", &t), WBEM_E_TYPE_MISMATCH);   /* a point */
    assert_true(t == 0);
    FILETIME ft;
    assert_hr(wbemsink_get_datetime(o, L"Span", &ft, NULL), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_parse_interval(L"00000000000000.000000:000", &t), S_OK);
    assert_true(t == 0);
    assert_hr(wbemsink_parse_interval(L"21350398000000.000000:000", &t), S_OK);   /* fits */
    assert_true(t == 21350398ull * 864000000000ull);
    assert_hr(wbemsink_parse_interval(L"99999999000000.000000:000", &t), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_parse_interval(L"00000001240000.000000:000", &t), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_parse_interval(L"000000010203**.000000:000", &t), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_parse_interval(L"00000001020304.000005:001", &t), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_parse_interval(NULL, &t), E_POINTER);
    IWbemClassObject_Release(o);
}

/* ---- arrays ---- */

static void arrays_of_every_kind(void **state)
{
    (void)state;
    IWbemClassObject *o = fake_object_create(L"arrays");
    static const LONG s32[] = {-1, 2, LONG_MAX};
    static const wchar_t *const u64[] = {L"1", L"18446744073709551615"};
    static const wchar_t *const s64[] = {L"-9223372036854775808", L"5"};
    static const LONG u16[] = {0x55550001, 0x7FFF0002};     /* Wine's stray high bytes */
    static const double r64[] = {0.5, -1e300};
    static const float r32[] = {0.25f};
    static const VARIANT_BOOL bools[] = {VARIANT_TRUE, VARIANT_FALSE, VARIANT_TRUE};
    static const wchar_t *const strs[] = {L"one", L"", L"th\x00e9"};
    put_array(o, L"S32", CIM_SINT32, VT_I4, 3, s32);
    put_array(o, L"U64", CIM_UINT64, VT_BSTR, 2, u64);
    put_array(o, L"S64", CIM_SINT64, VT_BSTR, 2, s64);
    put_array(o, L"U16", CIM_UINT16, VT_I4, 2, u16);
    put_array(o, L"R64", CIM_REAL64, VT_R8, 2, r64);
    put_array(o, L"R32", CIM_REAL32, VT_R4, 1, r32);
    put_array(o, L"B", CIM_BOOLEAN, VT_BOOL, 3, bools);
    put_array(o, L"S", CIM_STRING, VT_BSTR, 3, strs);
    put_array(o, L"Empty", CIM_STRING, VT_BSTR, 0, strs);
    put_i4(o, L"Scalar", CIM_SINT32, 1);

    LONGLONG *i = NULL;
    ULONGLONG *u = NULL;
    double *d = NULL;
    int *b = NULL;
    BSTR *s = NULL;
    ULONG n = 0;
    assert_hr(wbemsink_get_int64_array(o, L"S32", &i, &n), S_OK);
    assert_int_equal(n, 3);
    assert_true(i[0] == -1 && i[1] == 2 && i[2] == LONG_MAX);
    wbemsink_free(i);
    assert_hr(wbemsink_get_uint64_array(o, L"U64", &u, &n), S_OK);
    assert_int_equal(n, 2);
    assert_true(u[0] == 1 && u[1] == ULLONG_MAX);
    wbemsink_free(u);
    assert_hr(wbemsink_get_int64_array(o, L"S64", &i, &n), S_OK);
    assert_true(n == 2 && i[0] == LLONG_MIN && i[1] == 5);
    wbemsink_free(i);
    assert_hr(wbemsink_get_uint64_array(o, L"U16", &u, &n), S_OK);
    assert_true(n == 2 && u[0] == 1 && u[1] == 2);
    wbemsink_free(u);
    assert_hr(wbemsink_get_double_array(o, L"R64", &d, &n), S_OK);
    assert_true(n == 2 && d[0] == 0.5 && d[1] == -1e300);
    wbemsink_free(d);
    assert_hr(wbemsink_get_double_array(o, L"R32", &d, &n), S_OK);
    assert_true(n == 1 && d[0] == 0.25);
    wbemsink_free(d);
    assert_hr(wbemsink_get_double_array(o, L"S32", &d, &n), S_OK);   /* integers convert */
    assert_true(n == 3 && d[0] == -1.0);
    wbemsink_free(d);
    assert_hr(wbemsink_get_bool_array(o, L"B", &b, &n), S_OK);
    assert_true(n == 3 && b[0] == 1 && b[1] == 0 && b[2] == 1);
    wbemsink_free(b);
    assert_hr(wbemsink_get_string_array(o, L"S", &s, &n), S_OK);
    assert_int_equal(n, 3);
    assert_true(!wcscmp(s[0], L"one") && !wcscmp(s[1], L"") && !wcscmp(s[2], L"th\x00e9"));
    wbemsink_free_strings(s, n);
    assert_hr(wbemsink_get_string_array(o, L"Empty", &s, &n), S_OK);
    assert_null(s);
    assert_int_equal(n, 0);

    /* an element out of range fails the whole array, nothing handed out */
    u = (ULONGLONG *)1;
    n = 7;
    assert_hr(wbemsink_get_uint64_array(o, L"S32", &u, &n), WBEM_E_TYPE_MISMATCH);   /* -1 */
    assert_null(u);
    assert_int_equal(n, 0);
    assert_hr(wbemsink_get_int64_array(o, L"U64", &i, &n), WBEM_E_TYPE_MISMATCH);    /* > INT64_MAX */
    assert_null(i);
    /* arrays and scalars do not mix */
    assert_hr(wbemsink_get_int64_array(o, L"Scalar", &i, &n), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_int64(o, L"S32", &(LONGLONG){0}), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_string(o, L"S", &(BSTR){NULL}), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_bool_array(o, L"S32", &b, &n), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_string_array(o, L"U64", &s, &n), WBEM_E_TYPE_MISMATCH);
    IWbemClassObject_Release(o);
}

/* ---- embedded objects ---- */

static void embedded_objects(void **state)
{
    (void)state;
    IWbemClassObject *parent = fake_object_create(L"event");
    IWbemClassObject *target = fake_object_create(L"target");
    IWbemClassObject *a = fake_object_create(L"a"), *b = fake_object_create(L"b");
    put_i4(target, L"ProcessId", CIM_UINT32, 42);
    put_object(parent, L"TargetInstance", target);
    IWbemClassObject *kids[2] = {a, b};
    put_array(parent, L"Kids", CIM_OBJECT, VT_UNKNOWN, 2, kids);
    put_bstr(parent, L"Str", CIM_STRING, L"x");
    assert_int_equal(fake_object_refs(target), 2);   /* ours and the parent's */
    assert_int_equal(fake_object_refs(a), 2);

    IWbemClassObject *got = NULL;
    ULONG pid = 0;
    assert_hr(wbemsink_get_object(parent, L"TargetInstance", &got), S_OK);
    assert_ptr_equal(got, target);
    assert_int_equal(fake_object_refs(target), 3);   /* the caller's new reference */
    assert_hr(wbemsink_get_uint32(got, L"ProcessId", &pid), S_OK);
    assert_int_equal(pid, 42);
    IWbemClassObject_Release(got);
    assert_int_equal(fake_object_refs(target), 2);

    IWbemClassObject **arr = NULL;
    ULONG n = 0;
    assert_hr(wbemsink_get_object_array(parent, L"Kids", &arr, &n), S_OK);
    assert_int_equal(n, 2);
    assert_ptr_equal(arr[0], a);
    assert_ptr_equal(arr[1], b);
    assert_int_equal(fake_object_refs(a), 3);
    for (ULONG i = 0; i < n; i++) IWbemClassObject_Release(arr[i]);
    wbemsink_free(arr);
    assert_int_equal(fake_object_refs(a), 2);

    assert_hr(wbemsink_get_object(parent, L"Kids", &got), WBEM_E_TYPE_MISMATCH);
    assert_null(got);
    assert_hr(wbemsink_get_object_array(parent, L"TargetInstance", &arr, &n), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_get_object(parent, L"Str", &got), WBEM_E_TYPE_MISMATCH);

    IWbemClassObject_Release(target);
    IWbemClassObject_Release(a);
    IWbemClassObject_Release(b);
    assert_int_equal(fake_object_refs(target), 1);   /* the parent's */
    IWbemClassObject_Release(parent);                /* lets go of its values */
    assert_int_equal(fake_object_refs(target), 0);
    assert_int_equal(fake_object_refs(a), 0);
}

/* The fake itself: put properties enumerate after Name and Index, replace
   them by name, and a fake's put values go when its count reaches 0. */
static void fake_enumerates_put_properties(void **state)
{
    (void)state;
    IWbemClassObject *o = fake_object_create(L"n");
    put_i4(o, L"Index", CIM_UINT32, 7);     /* replaces the built-in */
    put_bstr(o, L"Extra", CIM_STRING, L"e");
    const wchar_t *want[] = {L"Name", L"Index", L"Extra"};
    CIMTYPE want_type[] = {CIM_STRING, CIM_UINT32, CIM_STRING};
    BSTR name;
    VARIANT v;
    CIMTYPE type;
    size_t k = 0;
    assert_hr(IWbemClassObject_BeginEnumeration(o, 0), S_OK);
    while (IWbemClassObject_Next(o, 0, &name, &v, &type, NULL) == WBEM_S_NO_ERROR) {
        assert_true(k < 3);
        /* the built-in Name; the replaced Index comes with the put ones */
        assert_true(!wcscmp(name, want[k]));
        assert_int_equal(type, want_type[k]);
        SysFreeString(name);
        VariantClear(&v);
        k++;
    }
    IWbemClassObject_EndEnumeration(o);
    assert_int_equal(k, 3);
    ULONG idx = 0;
    assert_hr(wbemsink_get_uint32(o, L"index", &idx), S_OK);
    assert_int_equal(idx, 7);
    assert_hr(fake_object_put(NULL, L"x", CIM_STRING, NULL), E_POINTER);
    assert_hr(fake_object_put(o, NULL, CIM_STRING, NULL), E_POINTER);
    IWbemClassObject_Release(o);
}

/* ---- the binder ---- */

typedef struct process_row {
    ULONG pid;
    LONGLONG s64;
    ULONGLONG u64;
    LONG s32;
    int flag;
    double real;
    wchar_t c16;
    BSTR name;
    char *name_utf8;
    FILETIME when;
    ULONGLONG span;
    IWbemClassObject *target;
    LONG missing_optional;
} process_row;

static const wbemsink_field row_fields[] = {
    {L"U32", WBEMSINK_FIELD_UINT32, offsetof(process_row, pid), 0},
    {L"S64", WBEMSINK_FIELD_INT64, offsetof(process_row, s64), 0},
    {L"U64", WBEMSINK_FIELD_UINT64, offsetof(process_row, u64), 0},
    {L"S16", WBEMSINK_FIELD_INT32, offsetof(process_row, s32), 0},
    {L"Flag", WBEMSINK_FIELD_BOOL, offsetof(process_row, flag), 0},
    {L"R64", WBEMSINK_FIELD_DOUBLE, offsetof(process_row, real), 0},
    {L"C16", WBEMSINK_FIELD_CHAR16, offsetof(process_row, c16), 0},
    {L"Str", WBEMSINK_FIELD_BSTR, offsetof(process_row, name), 0},
    {L"Str", WBEMSINK_FIELD_UTF8, offsetof(process_row, name_utf8), 0},
    {L"When", WBEMSINK_FIELD_DATETIME, offsetof(process_row, when), 0},
    {L"Span", WBEMSINK_FIELD_INTERVAL, offsetof(process_row, span), 0},
    {L"Target", WBEMSINK_FIELD_OBJECT, offsetof(process_row, target), 0},
    {L"NotThere", WBEMSINK_FIELD_INT32, offsetof(process_row, missing_optional), 1},
};
#define NFIELDS (sizeof row_fields / sizeof row_fields[0])

static void binder_fills_a_struct(void **state)
{
    (void)state;
    IWbemClassObject *o = every_type(), *target = fake_object_create(L"t");
    put_object(o, L"Target", target);
    process_row row;
    unsigned char present[NFIELDS];
    size_t failed = 99;
    memset(&row, 0x5A, sizeof row);
    assert_hr(wbemsink_bind(o, row_fields, NFIELDS, &row, present, &failed), S_OK);
    assert_int_equal(failed, NFIELDS);
    assert_true(row.pid == 4294967295u && row.s64 == LLONG_MIN && row.u64 == ULLONG_MAX);
    assert_true(row.s32 == -300 && row.flag == 1 && row.real == -2.25 && row.c16 == 0x263A);
    assert_true(!wcscmp(row.name, L"text"));
    assert_string_equal(row.name_utf8, "text");
    assert_true(ticks(&row.when) == utc_ticks(2024, 1, 31, 12, 5, 0, 123) + 4560);
    assert_true(row.span == (86400ull + 2 * 3600 + 3 * 60 + 4) * 10000000ull + 50);
    assert_ptr_equal(row.target, target);
    assert_int_equal(row.missing_optional, 0);
    for (size_t i = 0; i + 1 < NFIELDS; i++) assert_int_equal(present[i], 1);
    assert_int_equal(present[NFIELDS - 1], 0);
    assert_int_equal(fake_object_refs(target), 3);   /* ours, the parent's, the row's */

    wbemsink_unbind(row_fields, NFIELDS, &row);
    assert_null(row.name);
    assert_null(row.name_utf8);
    assert_null(row.target);
    assert_int_equal(fake_object_refs(target), 2);
    wbemsink_unbind(row_fields, NFIELDS, &row);       /* again: nothing left to free */
    /* present and failed_field may be NULL */
    assert_hr(wbemsink_bind(o, row_fields, NFIELDS, &row, NULL, NULL), S_OK);
    wbemsink_unbind(row_fields, NFIELDS, &row);

    IWbemClassObject_Release(target);
    IWbemClassObject_Release(o);
}

/* The member sizes the binder and wbemsink_fill use, and 0 for a value
   that is no field type (which both then refuse with E_INVALIDARG). */
static void field_sizes(void **state)
{
    (void)state;
    assert_int_equal(wbemsink_field_size(WBEMSINK_FIELD_INT64), sizeof(LONGLONG));
    assert_int_equal(wbemsink_field_size(WBEMSINK_FIELD_UINT32), sizeof(ULONG));
    assert_int_equal(wbemsink_field_size(WBEMSINK_FIELD_BOOL), sizeof(int));
    assert_int_equal(wbemsink_field_size(WBEMSINK_FIELD_CHAR16), sizeof(wchar_t));
    assert_int_equal(wbemsink_field_size(WBEMSINK_FIELD_UTF8), sizeof(char *));
    assert_int_equal(wbemsink_field_size(WBEMSINK_FIELD_DATETIME), sizeof(FILETIME));
    assert_int_equal(wbemsink_field_size(WBEMSINK_FIELD_OBJECT), sizeof(IWbemClassObject *));
    assert_int_equal(wbemsink_field_size((wbemsink_field_type)(WBEMSINK_FIELD_OBJECT + 1)), 0);
}

/* A failure after fields that allocated: everything undone. */
static void binder_is_all_or_nothing(void **state)
{
    (void)state;
    IWbemClassObject *o = every_type(), *target = fake_object_create(L"t");
    put_object(o, L"Target", target);
    wbemsink_field fields[NFIELDS];
    memcpy(fields, row_fields, sizeof fields);
    process_row row;
    unsigned char present[NFIELDS];
    size_t failed = 0;

    /* a required field missing (the last one, after the strings and object) */
    fields[NFIELDS - 1].optional = 0;
    memset(&row, 0x5A, sizeof row);
    assert_hr(wbemsink_bind(o, fields, NFIELDS, &row, present, &failed), WBEM_E_NOT_FOUND);
    assert_int_equal(failed, NFIELDS - 1);
    assert_null(row.name);
    assert_null(row.name_utf8);
    assert_null(row.target);
    assert_true(row.pid == 0 && row.u64 == 0);
    for (size_t i = 0; i < NFIELDS; i++) assert_int_equal(present[i], 0);
    assert_int_equal(fake_object_refs(target), 2);    /* the row's reference given back */

    /* a required NULL: a failure, not WBEMSINK_S_NULL */
    put_null(o, L"NotThere", CIM_SINT32);
    assert_hr(wbemsink_bind(o, fields, NFIELDS, &row, present, &failed), WBEM_E_ILLEGAL_NULL);
    assert_int_equal(failed, NFIELDS - 1);
    assert_null(row.target);
    /* an optional NULL is fine */
    fields[NFIELDS - 1].optional = 1;
    assert_hr(wbemsink_bind(o, fields, NFIELDS, &row, present, &failed), S_OK);
    assert_int_equal(present[NFIELDS - 1], 0);
    wbemsink_unbind(fields, NFIELDS, &row);

    /* an optional field of the wrong type still fails */
    put_bstr(o, L"NotThere", CIM_STRING, L"x");
    assert_hr(wbemsink_bind(o, fields, NFIELDS, &row, present, &failed), WBEM_E_TYPE_MISMATCH);
    assert_int_equal(failed, NFIELDS - 1);
    assert_null(row.name_utf8);

    /* a value out of range in the middle */
    fields[0].type = WBEMSINK_FIELD_INT32;          /* U32 = 4294967295 into a LONG */
    assert_hr(wbemsink_bind(o, fields, NFIELDS, &row, present, &failed), WBEM_E_TYPE_MISMATCH);
    assert_int_equal(failed, 0);

    /* bad descriptions: nothing read */
    fields[0].type = (wbemsink_field_type)99;
    assert_hr(wbemsink_bind(o, fields, NFIELDS, &row, present, &failed), E_INVALIDARG);
    assert_int_equal(failed, 0);
    fields[0] = row_fields[0];
    fields[2].property = NULL;
    assert_hr(wbemsink_bind(o, fields, NFIELDS, &row, present, &failed), E_POINTER);
    assert_int_equal(failed, 2);
    assert_hr(wbemsink_bind(NULL, row_fields, NFIELDS, &row, present, &failed), E_POINTER);
    assert_hr(wbemsink_bind(o, row_fields, NFIELDS, NULL, present, &failed), E_POINTER);
    assert_hr(wbemsink_bind(o, NULL, 1, &row, present, &failed), E_POINTER);
    assert_hr(wbemsink_bind(o, NULL, 0, &row, NULL, NULL), S_OK);   /* nothing to do */
    wbemsink_unbind(NULL, 3, &row);                                 /* ignored */
    wbemsink_unbind(row_fields, NFIELDS, NULL);

    assert_int_equal(fake_object_refs(target), 2);
    IWbemClassObject_Release(target);
    IWbemClassObject_Release(o);
}

/* With an argument, runs only the tests it names (a CMocka pattern), for
   running one test by hand. */
int main(int argc, char **argv)
{
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(integers_every_width, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(integers_range_checked, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(integers_cut_to_cim_width, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(integers_64_bit_text, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(booleans_reals_char16, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(strings_references_datetimes_as_text, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(utf8_every_buffer_size, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(utf8_alloc_size, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(null_missing_mismatch_distinct, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(datetimes_with_offsets, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(intervals, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(arrays_of_every_kind, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(embedded_objects, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(fake_enumerates_put_properties, fakes_setup, fakes_teardown),
        cmocka_unit_test_setup_teardown(binder_fills_a_struct, fakes_setup, fakes_teardown),
        cmocka_unit_test(field_sizes),
        cmocka_unit_test_setup_teardown(binder_is_all_or_nothing, fakes_setup, fakes_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
