/* Method calls against the machine's real WMI (under Wine: wbemprox),
   through the semisynchronous path (Wine has no ExecMethodAsync): a
   StdRegProv registry round trip, Win32_Process.Create and GetOwner, and
   the errors of unknown methods and parameters, wrong types and values out
   of range (the setters). The asynchronous paths are tested against the
   fake in test_call.c. */
#include "test_e2e_common.h"
#include <stdio.h>
#include <string.h>

#define HKCU 0x80000001u

/* The test's own key, one per process. */
static wchar_t test_key[64];

/* Runs a method through a pull sink in `mode`; returns the final HRESULT
   and the out-parameters in *out (the caller Releases; NULL when none). */
static HRESULT call_in(IWbemServices *svc, const wchar_t *path, const wchar_t *method,
                       IWbemClassObject *in, IWbemClassObject **out, wbemsink_call_mode mode,
                       HRESULT started)
{
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s = NULL;
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    assert_hr(wbemsink_exec_method(s, svc, path, method, in, 0, NULL, mode), started);
    *out = NULL;
    IWbemClassObject *o1 = NULL;
    HRESULT hr = wbemsink_next(s, 30000, &o1);
    if (hr == S_OK) {
        *out = o1;
        IWbemClassObject *more = NULL;
        hr = wbemsink_next(s, 30000, &more);   /* one object only: then the end */
        assert_null(more);
    }
    HRESULT final_hr = E_UNEXPECTED;
    assert_hr(wbemsink_wait(s, 30000, &final_hr), S_OK);
    /* The pull loop's end: WMI's failure as is, WBEM_S_NO_MORE_DATA for a success. */
    assert_hr(hr, FAILED(final_hr) ? final_hr : WBEM_S_NO_MORE_DATA);
    assert_int_equal(settled_sink_refs(s), 1);   /* the library thread let go */
    wbemsink_release(s);
    return final_hr;
}

static HRESULT call(IWbemServices *svc, const wchar_t *path, const wchar_t *method,
                    IWbemClassObject *in, IWbemClassObject **out)
{
    return call_in(svc, path, method, in, out, WBEMSINK_CALL_SEMISYNC, S_OK);
}

/* The method's ReturnValue after a call that worked. */
static ULONG return_value(IWbemClassObject *out)
{
    assert_non_null(out);
    ULONG rv = 0xFFFFFFFFu;
    assert_hr(wbemsink_get_uint32(out, L"ReturnValue", &rv), S_OK);
    return rv;
}

/* hDefKey is a uint32 on Windows; Wine 8 declares it CIM_SINT32, where
   0x80000001 is out of range as a number: the same bits as a sint32 there. */
static void set_hkey(IWbemClassObject *in)
{
    HRESULT hr = wbemsink_set_uint32(in, L"hDefKey", HKCU);
    if (hr == (HRESULT)WBEM_E_VALUE_OUT_OF_RANGE && test_is_wine())
        hr = wbemsink_set_int32(in, L"hDefKey", (LONG)HKCU);
    assert_hr(hr, S_OK);
}

/* The hDefKey of an in-parameters object, as its bits. */
static ULONG get_hkey(IWbemClassObject *in)
{
    VARIANT v;
    VariantInit(&v);
    assert_hr(IWbemClassObject_Get(in, L"hDefKey", 0, &v, NULL, NULL), S_OK);
    assert_int_equal(V_VT(&v), VT_I4);
    ULONG bits = (ULONG)V_I4(&v);
    VariantClear(&v);
    return bits;
}

/* In-parameters of a StdRegProv method on HKCU\<key>. */
static IWbemClassObject *reg_params(IWbemServices *svc, const wchar_t *method, const wchar_t *key)
{
    IWbemClassObject *in = NULL;
    assert_hr(wbemsink_method_params(svc, L"StdRegProv", method, &in), S_OK);
    set_hkey(in);
    assert_hr(wbemsink_set_string(in, L"sSubKeyName", key), S_OK);
    return in;
}

/* Calls a StdRegProv method and returns its ReturnValue (the call itself
   must succeed); *out_kept receives the out-parameters when not NULL. */
static ULONG reg_call(IWbemServices *svc, const wchar_t *method, IWbemClassObject *in,
                      IWbemClassObject **out_kept)
{
    IWbemClassObject *out = NULL;
    assert_hr(call(svc, L"StdRegProv", method, in, &out), S_OK);
    ULONG rv = return_value(out);
    if (out_kept) *out_kept = out;
    else IWbemClassObject_Release(out);
    return rv;
}

/* CreateKey, SetStringValue, SetDWORDValue, GetStringValue,
   GetDWORDValue (Windows), EnumValues, EnumKey, DeleteKey, then the value
   is gone. */
static void registry_round_trip(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"root\\default");
    swprintf(test_key, 64, L"Software\\wbemsink-test-%lu", (unsigned long)GetCurrentProcessId());

    IWbemClassObject *in = reg_params(svc, L"CreateKey", test_key);
    assert_int_equal(reg_call(svc, L"CreateKey", in, NULL), 0);
    IWbemClassObject_Release(in);

    in = reg_params(svc, L"SetStringValue", test_key);
    assert_hr(wbemsink_set_string(in, L"sValueName", L"text"), S_OK);
    assert_hr(wbemsink_set_utf8(in, L"sValue", "h\xC3\xA9llo"), S_OK);   /* "héllo" */
    assert_int_equal(reg_call(svc, L"SetStringValue", in, NULL), 0);
    IWbemClassObject_Release(in);

    in = reg_params(svc, L"SetDWORDValue", test_key);
    assert_hr(wbemsink_set_string(in, L"sValueName", L"number"), S_OK);
    assert_hr(wbemsink_set_uint32(in, L"uValue", 4000000000u), S_OK);   /* above INT32_MAX */
    assert_int_equal(reg_call(svc, L"SetDWORDValue", in, NULL), 0);
    IWbemClassObject_Release(in);

    IWbemClassObject *out = NULL;
    in = reg_params(svc, L"GetStringValue", test_key);
    assert_hr(wbemsink_set_string(in, L"sValueName", L"text"), S_OK);
    assert_int_equal(reg_call(svc, L"GetStringValue", in, &out), 0);
    char *text = NULL;
    assert_hr(wbemsink_get_utf8_alloc(out, L"sValue", &text), S_OK);
    assert_string_equal(text, "h\xC3\xA9llo");
    wbemsink_free(text);
    IWbemClassObject_Release(out);
    IWbemClassObject_Release(in);

    /* The DWORD back: GetDWORDValue on Windows; Wine 8's StdRegProv has
       none (WBEM_E_NOT_FOUND), so there EnumValues gives its type and the
       registry itself (the same, in-process) its value. */
    if (test_is_wine()) {
        IWbemClassObject *none = NULL;
        assert_hr(wbemsink_method_params(svc, L"StdRegProv", L"GetDWORDValue", &none),
                  WBEM_E_NOT_FOUND);
        assert_null(none);
        DWORD value = 0, size = sizeof value;
        assert_int_equal(RegGetValueW(HKEY_CURRENT_USER, test_key, L"number", RRF_RT_REG_DWORD, NULL,
                                      &value, &size), ERROR_SUCCESS);
        assert_int_equal(value, 4000000000u);
    } else {
        in = reg_params(svc, L"GetDWORDValue", test_key);
        assert_hr(wbemsink_set_string(in, L"sValueName", L"number"), S_OK);
        assert_int_equal(reg_call(svc, L"GetDWORDValue", in, &out), 0);
        ULONG number = 0;
        assert_hr(wbemsink_get_uint32(out, L"uValue", &number), S_OK);
        assert_int_equal(number, 4000000000u);
        IWbemClassObject_Release(out);
        IWbemClassObject_Release(in);
    }
    in = reg_params(svc, L"EnumValues", test_key);
    assert_int_equal(reg_call(svc, L"EnumValues", in, &out), 0);
    BSTR *value_names = NULL;
    LONGLONG *types = NULL;
    ULONG nnames = 0, ntypes = 0;
    assert_hr(wbemsink_get_string_array(out, L"sNames", &value_names, &nnames), S_OK);
    assert_hr(wbemsink_get_int64_array(out, L"Types", &types, &ntypes), S_OK);
    assert_int_equal(nnames, 2);
    assert_int_equal(ntypes, 2);
    for (ULONG i = 0; i < nnames; i++)
        assert_int_equal(types[i], !lstrcmpiW(value_names[i], L"number") ? REG_DWORD : REG_SZ);
    wbemsink_free_strings(value_names, nnames);
    wbemsink_free(types);
    IWbemClassObject_Release(out);
    IWbemClassObject_Release(in);

    /* Our key among Software's subkeys. */
    in = reg_params(svc, L"EnumKey", L"Software");
    assert_int_equal(reg_call(svc, L"EnumKey", in, &out), 0);
    BSTR *names = NULL;
    ULONG count = 0;
    assert_hr(wbemsink_get_string_array(out, L"sNames", &names, &count), S_OK);
    int found = 0;
    for (ULONG i = 0; i < count; i++)
        if (!lstrcmpiW(names[i], test_key + wcslen(L"Software\\"))) found++;
    assert_int_equal(found, 1);
    wbemsink_free_strings(names, count);
    IWbemClassObject_Release(out);
    IWbemClassObject_Release(in);

    in = reg_params(svc, L"DeleteKey", test_key);
    assert_int_equal(reg_call(svc, L"DeleteKey", in, NULL), 0);
    IWbemClassObject_Release(in);

    /* Gone: a Win32 error code in ReturnValue (ERROR_FILE_NOT_FOUND), the
       call itself a success. */
    in = reg_params(svc, L"GetStringValue", test_key);
    assert_hr(wbemsink_set_string(in, L"sValueName", L"text"), S_OK);
    assert_int_equal(reg_call(svc, L"GetStringValue", in, NULL), ERROR_FILE_NOT_FOUND);
    IWbemClassObject_Release(in);
    IWbemServices_Release(svc);
}

/* Under Wine the asynchronous call is refused at once (WBEM_E_FAILED): the
   sink completes with it under WBEMSINK_CALL_ASYNC, and the explicit
   fallback runs the synchronous call and says so (S_FALSE). On Windows
   both are asynchronous. */
static void async_refused_and_fallback(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"root\\default");
    IWbemClassObject *in = reg_params(svc, L"EnumKey", L"Software");
    IWbemClassObject *out = NULL;
    HRESULT hr = call_in(svc, L"StdRegProv", L"EnumKey", in, &out, WBEMSINK_CALL_ASYNC, S_OK);
    if (test_is_wine()) {
        assert_hr(hr, WBEM_E_FAILED);
        assert_null(out);
    } else {
        assert_hr(hr, S_OK);
        assert_int_equal(return_value(out), 0);
        IWbemClassObject_Release(out);
    }
    hr = call_in(svc, L"StdRegProv", L"EnumKey", in, &out, WBEMSINK_CALL_ASYNC_OR_SEMISYNC,
                 test_is_wine() ? S_FALSE : S_OK);
    assert_hr(hr, S_OK);
    assert_int_equal(return_value(out), 0);
    IWbemClassObject_Release(out);
    IWbemClassObject_Release(in);
    IWbemServices_Release(svc);
}

/* GetObject through a sink (Wine: semisynchronously): a class, an
   instance path, and a missing instance. */
static void get_object(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"root\\cimv2");
    wchar_t own[64];
    swprintf(own, 64, L"Win32_Process.Handle=\"%lu\"", (unsigned long)GetCurrentProcessId());
    const wchar_t *const tries[] = { L"Win32_Process", own, L"Win32_Process.Handle=\"999999\"" };
    for (int i = 0; i < 3; i++) {
        wbemsink_options o = opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
        wbemsink *s = NULL;
        assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
        assert_true(SUCCEEDED(wbemsink_get_object_async(s, svc, tries[i], 0, NULL,
                                                        WBEMSINK_CALL_ASYNC_OR_SEMISYNC)));
        IWbemClassObject *obj = NULL;
        HRESULT n = wbemsink_next(s, 30000, &obj), final_hr = E_UNEXPECTED;
        assert_hr(wbemsink_wait(s, 30000, &final_hr), S_OK);
        printf("GetObject %ls: 0x%08lX\n", tries[i], (unsigned long)final_hr);
        if (i < 2) {
            assert_hr(n, S_OK);
            assert_hr(final_hr, S_OK);
            BSTR cls = NULL;
            assert_hr(wbemsink_get_string(obj, L"__CLASS", &cls), S_OK);
            assert_true(!lstrcmpiW(cls, L"Win32_Process"));
            SysFreeString(cls);
            if (i == 1) {
                ULONG pid = 0;
                assert_hr(wbemsink_get_uint32(obj, L"ProcessId", &pid), S_OK);
                assert_int_equal(pid, GetCurrentProcessId());
            }
            IWbemClassObject_Release(obj);
        } else {
            assert_hr(n, WBEM_E_NOT_FOUND);   /* the pull loop ends on the failure */
            assert_hr(final_hr, WBEM_E_NOT_FOUND);
        }
        wbemsink_release(s);
    }
    IWbemServices_Release(svc);
}

/* Number of Win32_Process rows with this ProcessId (a synchronous query,
   on this thread only: Wine's wbemprox is not safe for several). */
static size_t processes_with_id(IWbemServices *svc, ULONG pid)
{
    wchar_t wql[96];
    swprintf(wql, 96, L"SELECT ProcessId FROM Win32_Process WHERE ProcessId = %lu", pid);
    e2e_rows rows = { 0 };
    assert_hr(e2e_sync_query(svc, wql, &rows), S_OK);
    size_t n = rows.n;
    e2e_rows_free(&rows);
    return n;
}

/* Win32_Process.Create starts this test program in its sleeping mode; the
   process exists with the ProcessId Create returned; GetOwner on its
   instance path names a user; it is killed after. */
static void process_create_and_get_owner(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"root\\cimv2");
    wchar_t exe[MAX_PATH], command[MAX_PATH + 32];
    assert_true(GetModuleFileNameW(NULL, exe, MAX_PATH) > 0);
    swprintf(command, MAX_PATH + 32, L"\"%ls\" --sleep", exe);

    IWbemClassObject *in = NULL, *out = NULL;
    assert_hr(wbemsink_method_params(svc, L"Win32_Process", L"Create", &in), S_OK);
    assert_hr(wbemsink_set_string(in, L"CommandLine", command), S_OK);
    assert_hr(call(svc, L"Win32_Process", L"Create", in, &out), S_OK);
    IWbemClassObject_Release(in);
    assert_int_equal(return_value(out), 0);
    ULONG pid = 0;
    assert_hr(wbemsink_get_uint32(out, L"ProcessId", &pid), S_OK);
    IWbemClassObject_Release(out);
    assert_int_not_equal(pid, 0);
    HANDLE child = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, pid);
    assert_non_null(child);
    assert_int_equal(processes_with_id(svc, pid), 1);

    /* An instance method: GetOwner has no in-parameters. */
    assert_hr(wbemsink_method_params(svc, L"Win32_Process", L"GetOwner", &in), S_FALSE);
    assert_null(in);
    wchar_t path[64];
    swprintf(path, 64, L"Win32_Process.Handle=\"%lu\"", pid);
    assert_hr(call(svc, path, L"GetOwner", NULL, &out), S_OK);
    assert_int_equal(return_value(out), 0);
    char *user = NULL;
    assert_hr(wbemsink_get_utf8_alloc(out, L"User", &user), S_OK);
    assert_true(user[0] != 0);
    printf("GetOwner of %lu: %s\n", pid, user);
    wbemsink_free(user);
    IWbemClassObject_Release(out);

    assert_true(TerminateProcess(child, 0));
    assert_int_equal(WaitForSingleObject(child, 10000), WAIT_OBJECT_0);
    CloseHandle(child);
    IWbemServices_Release(svc);
}

/* The errors: an unknown method (in-parameters and the call), an unknown
   parameter, a type mismatch and a value out of range (the setters, on
   Wine's own in-parameters object). */
static void errors(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"root\\default");
    IWbemClassObject *in = (IWbemClassObject *)(uintptr_t)1, *out = NULL;
    HRESULT hr = wbemsink_method_params(svc, L"StdRegProv", L"NoSuchMethod", &in);
    printf("unknown method, in-parameters: 0x%08lX %s\n", (unsigned long)hr,
           wbemsink_hresult_name(hr) ? wbemsink_hresult_name(hr) : "?");
    assert_true(FAILED(hr));
    if (test_is_wine()) assert_hr(hr, WBEM_E_NOT_FOUND);   /* GetMethod's */
    assert_null(in);
    hr = call(svc, L"StdRegProv", L"NoSuchMethod", NULL, &out);
    printf("unknown method, call: 0x%08lX %s\n", (unsigned long)hr,
           wbemsink_hresult_name(hr) ? wbemsink_hresult_name(hr) : "?");
    assert_true(FAILED(hr));
    if (test_is_wine()) assert_hr(hr, WBEM_E_INVALID_METHOD);   /* ExecMethod's, on_complete's hr */
    assert_null(out);
    hr = wbemsink_method_params(svc, L"NoSuchClass", L"CreateKey", &in);
    assert_true(FAILED(hr));
    assert_null(in);

    in = reg_params(svc, L"SetDWORDValue", L"Software");
    assert_hr(wbemsink_set_uint32(in, L"NoSuchParameter", 1), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_set_string(in, L"uValue", L"12"), WBEM_E_TYPE_MISMATCH);
    assert_hr(wbemsink_set_int64(in, L"uValue", -1), WBEM_E_VALUE_OUT_OF_RANGE);
    assert_hr(wbemsink_set_uint64(in, L"hDefKey", 0x100000000ull), WBEM_E_VALUE_OUT_OF_RANGE);
    /* Nothing was written: hDefKey is still HKCU. */
    assert_int_equal(get_hkey(in), HKCU);
    IWbemClassObject_Release(in);
    IWbemServices_Release(svc);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--sleep")) {   /* the child of Win32_Process.Create */
        Sleep(60000);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(registry_round_trip),
        cmocka_unit_test(async_refused_and_fallback),
        cmocka_unit_test(process_create_and_get_owner),
        cmocka_unit_test(get_object),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, e2e_com_setup, e2e_com_teardown);
}
