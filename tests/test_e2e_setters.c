/* End to end: the typed setters on the real WMI's in-parameter objects
   (under Wine: Wine's wbemprox), read back with the getters, and a
   registry round trip through StdRegProv whose in-parameters are all
   written by the setters (the synchronous ExecMethod: the asynchronous
   one is the methods layer's, and Wine lacks it). Each test prints the
   CIM types WMI gave, for the record. */
#include "test_e2e_common.h"
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define HKCU 0x80000001u

/* A new in-parameters object of class.method (the caller Releases it). */
static IWbemClassObject *in_params(IWbemServices *svc, const wchar_t *cls, const wchar_t *method)
{
    IWbemClassObject *klass = NULL, *sig = NULL, *params = NULL;
    BSTR name = SysAllocString(cls);
    assert_hr(IWbemServices_GetObject(svc, name, 0, NULL, &klass, NULL), S_OK);
    SysFreeString(name);
    assert_hr(IWbemClassObject_GetMethod(klass, method, 0, &sig, NULL), S_OK);
    assert_non_null(sig);
    assert_hr(IWbemClassObject_SpawnInstance(sig, 0, &params), S_OK);
    IWbemClassObject_Release(sig);
    IWbemClassObject_Release(klass);
    return params;
}

static CIMTYPE cim_type(IWbemClassObject *o, const wchar_t *name)
{
    VARIANT v;
    CIMTYPE t = 0;
    VariantInit(&v);
    assert_hr(IWbemClassObject_Get(o, name, 0, &v, &t, NULL), S_OK);
    print_message("    %ls: CIM type %ld, VARIANT type %u\n", name, (long)t, (unsigned)V_VT(&v));
    VariantClear(&v);
    return t;
}

/* hDefKey: uint32 on Windows, sint32 in Wine 8's StdRegProv (the setters
   keep to the CIM type: HKCU's 0x80000001 is out of a sint32's range, its
   bits as a negative sint32 out of a uint32's). */
static void set_hkey(IWbemClassObject *p, ULONG hkey)
{
    if (cim_type(p, L"hDefKey") == CIM_SINT32) {
        assert_hr(wbemsink_set_uint32(p, L"hDefKey", hkey), WBEM_E_VALUE_OUT_OF_RANGE);
        assert_hr(wbemsink_set_int32(p, L"hDefKey", (LONG)hkey), S_OK);
    } else {
        assert_int_equal(cim_type(p, L"hDefKey"), CIM_UINT32);
        assert_hr(wbemsink_set_int32(p, L"hDefKey", (LONG)hkey), WBEM_E_VALUE_OUT_OF_RANGE);
        assert_hr(wbemsink_set_uint32(p, L"hDefKey", hkey), S_OK);
    }
}

/* NULL: Wine 8's in-parameter objects refuse VT_NULL (Put's
   WBEM_E_TYPE_MISMATCH, as is); Windows takes it. */
static void set_null_then_check(IWbemClassObject *p, const wchar_t *name)
{
    BSTR text = NULL;
    ULONG u = 0;
    HRESULT hr = wbemsink_set_null(p, name);
    if (test_is_wine()) {
        assert_hr(hr, WBEM_E_TYPE_MISMATCH);
        return;
    }
    assert_hr(hr, S_OK);
    if (cim_type(p, name) == CIM_STRING)
        assert_hr(wbemsink_get_string(p, name, &text), WBEMSINK_S_NULL);
    else
        assert_hr(wbemsink_get_uint32(p, name, &u), WBEMSINK_S_NULL);
}

/* SetDWORDValue's and SetStringValue's in-parameters: every setter that
   fits them, back through the getters; the errors. */
static void stdregprov_in_parameters(void **state)
{
    IWbemServices *svc = e2e_connect(L"ROOT\\DEFAULT");
    IWbemClassObject *p = in_params(svc, L"StdRegProv", L"SetDWORDValue");
    ULONG u = 0;
    LONGLONG s = 0;
    BSTR text = NULL;
    char *utf8 = NULL;
    LONG l = 0;
    (void)state;
    assert_int_equal(cim_type(p, L"sSubKeyName"), CIM_STRING);
    assert_int_equal(cim_type(p, L"uValue"), CIM_UINT32);

    set_hkey(p, HKCU);
    assert_hr(wbemsink_get_int64(p, L"hDefKey", &s), S_OK);
    assert_true(s == (cim_type(p, L"hDefKey") == CIM_SINT32 ? (LONGLONG)(LONG)HKCU : (LONGLONG)HKCU));
    assert_hr(wbemsink_set_int32(p, L"hDefKey", 2), S_OK);   /* HKLM */
    assert_hr(wbemsink_get_int32(p, L"hDefKey", &l), S_OK);
    assert_int_equal(l, 2);
    assert_hr(wbemsink_set_uint32(p, L"uValue", ULONG_MAX), S_OK);   /* max */
    assert_hr(wbemsink_get_uint32(p, L"uValue", &u), S_OK);
    assert_true(u == ULONG_MAX);
    assert_hr(wbemsink_set_int64(p, L"uValue", 0), S_OK);             /* min */
    assert_hr(wbemsink_get_int64(p, L"uValue", &s), S_OK);
    assert_true(s == 0);
    assert_hr(wbemsink_set_uint64(p, L"uValue", 0x100000000ull), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_set_int64(p, L"uValue", -1), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_set_int32(p, L"uValue", 1234567), S_OK);
    assert_hr(wbemsink_get_uint32(p, L"uValue", &u), S_OK);
    assert_int_equal(u, 1234567);
    assert_hr(wbemsink_set_string(p, L"uValue", L"5"), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_double(p, L"uValue", 5.0), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_int64_array(p, L"uValue", NULL, 0), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_uint32(p, L"NoSuchParameter", 1), WBEM_E_NOT_FOUND);
    set_null_then_check(p, L"uValue");

    assert_hr(wbemsink_set_string(p, L"sSubKeyName", L"Software\\wbemsink"), S_OK);
    assert_hr(wbemsink_get_string(p, L"sSubKeyName", &text), S_OK);
    assert_true(wcscmp(text, L"Software\\wbemsink") == 0);
    SysFreeString(text);
    assert_hr(wbemsink_set_utf8(p, L"sValueName", "caf\xC3\xA9 \xE2\x82\xAC"), S_OK);
    assert_hr(wbemsink_get_utf8_alloc(p, L"sValueName", &utf8), S_OK);
    assert_string_equal(utf8, "caf\xC3\xA9 \xE2\x82\xAC");
    wbemsink_free(utf8);
    assert_hr(wbemsink_set_uint32(p, L"sValueName", 1), WBEM_E_TYPE_MISMATCH);
    set_null_then_check(p, L"sValueName");
    IWbemClassObject_Release(p);
    IWbemServices_Release(svc);
}

/* Runs class.method synchronously and checks ReturnValue 0; the caller
   Releases the out-parameters it gets back (NULL: not wanted). */
static IWbemClassObject *exec(IWbemServices *svc, const wchar_t *cls, const wchar_t *method,
                              IWbemClassObject *params, int want_out)
{
    BSTR c = SysAllocString(cls), m = SysAllocString(method);
    IWbemClassObject *out = NULL;
    ULONG rv = 99;
    assert_hr(IWbemServices_ExecMethod(svc, c, m, 0, NULL, params, &out, NULL), S_OK);
    SysFreeString(c);
    SysFreeString(m);
    assert_non_null(out);
    assert_hr(wbemsink_get_uint32(out, L"ReturnValue", &rv), S_OK);
    assert_int_equal(rv, 0);
    if (!want_out) {
        IWbemClassObject_Release(out);
        out = NULL;
    }
    return out;
}

/* One StdRegProv call whose in-parameters hDefKey, sSubKeyName and
   (when given) sValueName are written by the setters; the caller sets the
   rest through *params before exec. */
static IWbemClassObject *reg_params(IWbemServices *svc, const wchar_t *method, const wchar_t *key,
                                    const char *value_name)
{
    IWbemClassObject *p = in_params(svc, L"StdRegProv", method);
    set_hkey(p, HKCU);
    assert_hr(wbemsink_set_string(p, L"sSubKeyName", key), S_OK);
    if (value_name)
        assert_hr(wbemsink_set_utf8(p, L"sValueName", value_name), S_OK);
    return p;
}

/* A registry round trip whose in-parameters the setters wrote: WMI took
   the VARIANTs (a DWORD at uint32's edge, UTF-8 text beyond ASCII) and
   the getters read the same back from the registry. */
static void registry_round_trip_through_setters(void **state)
{
    IWbemServices *svc = e2e_connect(L"ROOT\\DEFAULT");
    wchar_t key[96];
    IWbemClassObject *p, *out;
    ULONG dword = 0;
    char *text = NULL;
    (void)state;
    swprintf(key, 96, L"Software\\wbemsink-test-setters-%lu", (unsigned long)GetCurrentProcessId());

    p = reg_params(svc, L"CreateKey", key, NULL);
    exec(svc, L"StdRegProv", L"CreateKey", p, 0);
    IWbemClassObject_Release(p);

    p = reg_params(svc, L"SetDWORDValue", key, "dword");
    assert_hr(wbemsink_set_uint32(p, L"uValue", 0xFFFFFFFEu), S_OK);
    exec(svc, L"StdRegProv", L"SetDWORDValue", p, 0);
    IWbemClassObject_Release(p);

    p = reg_params(svc, L"SetStringValue", key, "text");
    assert_hr(wbemsink_set_utf8(p, L"sValue", "h\xC3\xA9llo \xE2\x82\xAC"), S_OK);
    exec(svc, L"StdRegProv", L"SetStringValue", p, 0);
    IWbemClassObject_Release(p);

    /* Wine's StdRegProv has no GetDWORDValue: the registry itself says
       what WMI wrote (Wine's WMI runs in this process, on its registry). */
    {
        DWORD size = sizeof(dword);
        assert_int_equal(RegGetValueW(HKEY_CURRENT_USER, key, L"dword", RRF_RT_REG_DWORD, NULL, &dword, &size),
                         ERROR_SUCCESS);
        assert_true(dword == 0xFFFFFFFEu);
    }
    p = reg_params(svc, L"EnumValues", key, NULL);
    out = exec(svc, L"StdRegProv", L"EnumValues", p, 1);
    {
        BSTR *names = NULL;
        ULONG n = 0, i, found = 0;
        assert_hr(wbemsink_get_string_array(out, L"sNames", &names, &n), S_OK);
        for (i = 0; i < n; i++)
            found += !wcscmp(names[i], L"dword") || !wcscmp(names[i], L"text");
        assert_int_equal(found, 2);
        wbemsink_free_strings(names, n);
    }
    IWbemClassObject_Release(out);
    IWbemClassObject_Release(p);

    p = reg_params(svc, L"GetStringValue", key, "text");
    out = exec(svc, L"StdRegProv", L"GetStringValue", p, 1);
    assert_hr(wbemsink_get_utf8_alloc(out, L"sValue", &text), S_OK);
    assert_string_equal(text, "h\xC3\xA9llo \xE2\x82\xAC");
    wbemsink_free(text);
    IWbemClassObject_Release(out);
    IWbemClassObject_Release(p);

    p = reg_params(svc, L"DeleteKey", key, NULL);
    exec(svc, L"StdRegProv", L"DeleteKey", p, 0);
    IWbemClassObject_Release(p);
    IWbemServices_Release(svc);
}

/* Win32_Process.Create's in-parameters: text through both setters, NULL,
   the wrong kinds. */
static void process_create_in_parameters(void **state)
{
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    IWbemClassObject *p = in_params(svc, L"Win32_Process", L"Create");
    BSTR text = NULL;
    (void)state;
    assert_int_equal(cim_type(p, L"CommandLine"), CIM_STRING);
    cim_type(p, L"CurrentDirectory");
    assert_hr(wbemsink_set_string(p, L"CommandLine", L"cmd.exe /c exit 0"), S_OK);
    assert_hr(wbemsink_get_string(p, L"CommandLine", &text), S_OK);
    assert_true(wcscmp(text, L"cmd.exe /c exit 0") == 0);
    SysFreeString(text);
    assert_hr(wbemsink_set_utf8(p, L"CurrentDirectory", "C:\\"), S_OK);
    assert_hr(wbemsink_get_string(p, L"CurrentDirectory", &text), S_OK);
    assert_true(wcscmp(text, L"C:\\") == 0);
    SysFreeString(text);
    set_null_then_check(p, L"CurrentDirectory");
    assert_hr(wbemsink_set_bool(p, L"CommandLine", 1), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_int64(p, L"CommandLine", 1), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_string(p, L"Commandline2", L"x"), WBEM_E_NOT_FOUND);
    IWbemClassObject_Release(p);
    IWbemServices_Release(svc);
}

/* One wbemsink_field table both ways on a real in-parameters object:
   wbemsink_fill writes it, wbemsink_bind reads the same back. */
typedef struct set_dword {
    LONG hive;
    BSTR key;
    char *value_name;
    ULONG value;
} set_dword;

static const wbemsink_field set_dword_fields[] = {
    {L"hDefKey", WBEMSINK_FIELD_INT32, offsetof(set_dword, hive), 0},
    {L"sSubKeyName", WBEMSINK_FIELD_BSTR, offsetof(set_dword, key), 0},
    {L"sValueName", WBEMSINK_FIELD_UTF8, offsetof(set_dword, value_name), 0},
    {L"uValue", WBEMSINK_FIELD_UINT32, offsetof(set_dword, value), 0},
};

/* The same with a 64-bit value, to give uValue what a uint32 cannot hold. */
typedef struct set_dword64 {
    LONG hive;
    BSTR key;
    char *value_name;
    LONGLONG value;
} set_dword64;

static const wbemsink_field set_dword64_fields[] = {
    {L"hDefKey", WBEMSINK_FIELD_INT32, offsetof(set_dword64, hive), 0},
    {L"sSubKeyName", WBEMSINK_FIELD_BSTR, offsetof(set_dword64, key), 0},
    {L"sValueName", WBEMSINK_FIELD_UTF8, offsetof(set_dword64, value_name), 0},
    {L"uValue", WBEMSINK_FIELD_INT64, offsetof(set_dword64, value), 0},
};

static void fill_and_bind_in_parameters(void **state)
{
    IWbemServices *svc = e2e_connect(L"ROOT\\DEFAULT");
    IWbemClassObject *p = in_params(svc, L"StdRegProv", L"SetDWORDValue");
    set_dword in = {2, NULL, (char *)"caf\xC3\xA9", 0xFFFFFFFFu}, out;
    size_t failed = 99;
    (void)state;
    in.key = SysAllocString(L"Software\\wbemsink");
    assert_hr(wbemsink_fill(p, set_dword_fields, 4, &in, NULL, &failed), S_OK);
    assert_int_equal(failed, 4);
    assert_hr(wbemsink_bind(p, set_dword_fields, 4, &out, NULL, &failed), S_OK);
    assert_int_equal(out.hive, 2);
    assert_true(wcscmp(out.key, in.key) == 0);
    assert_string_equal(out.value_name, in.value_name);
    assert_true(out.value == 0xFFFFFFFFu);
    wbemsink_unbind(set_dword_fields, 4, &out);
    /* out of range anywhere: nothing written */
    {
        set_dword64 w = {3, in.key, in.value_name, -1};
        assert_hr(wbemsink_fill(p, set_dword64_fields, 4, &w, NULL, &failed), WBEM_E_VALUE_OUT_OF_RANGE);
        assert_int_equal(failed, 3);
    }
    {
        LONG hive = 0;
        assert_hr(wbemsink_get_int32(p, L"hDefKey", &hive), S_OK);
        assert_int_equal(hive, 2);   /* field 0 was not written */
    }
    SysFreeString(in.key);
    IWbemClassObject_Release(p);
    IWbemServices_Release(svc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stdregprov_in_parameters),
        cmocka_unit_test(registry_round_trip_through_setters),
        cmocka_unit_test(process_create_in_parameters),
        cmocka_unit_test(fill_and_bind_in_parameters),
    };
    return cmocka_run_group_tests(tests, e2e_com_setup, e2e_com_teardown);
}
