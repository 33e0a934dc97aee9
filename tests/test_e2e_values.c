/* End to end: the typed getters and the binder on the real WMI's objects
   (under Wine: Wine's wbemprox). Each test prints the CIM and VARIANT types
   WMI gave, for the record. */
#include "test_e2e_common.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Every object of a query, through a pull-mode sink (the caller frees the
   array and Releases the objects). */
static IWbemClassObject **query_all(IWbemServices *svc, const wchar_t *wql, size_t *n)
{
    wbemsink_options o = opts(WBEMSINK_MODE_PULL, 0, WBEMSINK_FULL_WAIT, 0);
    wbemsink *s;
    IWbemClassObject **all = NULL, *obj;
    HRESULT hr, final_hr = E_FAIL;
    size_t cap = 0;
    *n = 0;
    assert_hr(wbemsink_create(NULL, &o, &s), S_OK);
    assert_hr(wbemsink_exec_query(s, svc, wql, WBEM_FLAG_SEND_STATUS, NULL), S_OK);
    while ((hr = wbemsink_next(s, 30000, &obj)) == S_OK) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            all = realloc(all, cap * sizeof(*all));
            assert_non_null(all);
        }
        all[(*n)++] = obj;
    }
    assert_hr(hr, WBEM_S_NO_MORE_DATA);
    assert_hr(wbemsink_wait(s, 0, &final_hr), S_OK);
    assert_hr(final_hr, S_OK);
    wbemsink_release(s);
    assert_true(*n > 0);
    return all;
}

static void release_all(IWbemClassObject **all, size_t n)
{
    for (size_t i = 0; i < n; i++) IWbemClassObject_Release(all[i]);
    free(all);
}

static CIMTYPE cim_type(IWbemClassObject *o, const wchar_t *name, VARTYPE *vt)
{
    VARIANT v;
    CIMTYPE t = 0;
    VariantInit(&v);
    assert_hr(IWbemClassObject_Get(o, name, 0, &v, &t, NULL), S_OK);
    if (vt) *vt = V_VT(&v);
    VariantClear(&v);
    return t;
}

static ULONGLONG ft_ticks(FILETIME ft)
{
    return ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

/* LastBootUpTime as a FILETIME in the past and after 2000; the memory size
   as a uint64 equal to the text the VARIANT carries. */
static void operating_system(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    size_t n;
    IWbemClassObject **os = query_all(svc, L"SELECT * FROM Win32_OperatingSystem", &n);
    VARTYPE vt;
    CIMTYPE t = cim_type(os[0], L"LastBootUpTime", &vt);
    print_message("    LastBootUpTime: CIM type %ld, VARIANT type %u\n", (long)t, (unsigned)vt);
    assert_int_equal(t, CIM_DATETIME);

    FILETIME boot, now;
    LONG offset = 12345;
    BSTR text = NULL;
    assert_hr(wbemsink_get_datetime(os[0], L"LastBootUpTime", &boot, &offset), S_OK);
    assert_hr(wbemsink_get_string(os[0], L"LastBootUpTime", &text), S_OK);
    print_message("    LastBootUpTime = %ls (offset %ld min)\n", text, (long)offset);
    SysFreeString(text);
    GetSystemTimeAsFileTime(&now);
    SYSTEMTIME y2k = {2000, 1, 0, 1, 0, 0, 0, 0};
    FILETIME y2k_ft;
    SystemTimeToFileTime(&y2k, &y2k_ft);
    assert_true(ft_ticks(boot) < ft_ticks(now) + 60ull * 10000000ull);   /* a minute of slack */
    assert_true(ft_ticks(boot) > ft_ticks(y2k_ft));
    assert_true(offset >= -720 && offset <= 840);

    t = cim_type(os[0], L"TotalVisibleMemorySize", &vt);
    print_message("    TotalVisibleMemorySize: CIM type %ld, VARIANT type %u\n", (long)t, (unsigned)vt);
    assert_int_equal(t, CIM_UINT64);
    ULONGLONG mem = 0;
    assert_hr(wbemsink_get_uint64(os[0], L"TotalVisibleMemorySize", &mem), S_OK);
    assert_true(mem > 0);
    VARIANT v;
    VariantInit(&v);
    assert_hr(IWbemClassObject_Get(os[0], L"TotalVisibleMemorySize", 0, &v, NULL, NULL), S_OK);
    assert_int_equal(V_VT(&v), VT_BSTR);                  /* uint64 travels as text */
    assert_true(wcstoull(V_BSTR(&v), NULL, 10) == mem);
    print_message("    TotalVisibleMemorySize = %llu (\"%ls\")\n", (unsigned long long)mem, V_BSTR(&v));
    VariantClear(&v);
    /* and into the narrower types, range checked */
    LONGLONG as_signed = 0;
    assert_hr(wbemsink_get_int64(os[0], L"TotalVisibleMemorySize", &as_signed), S_OK);
    assert_true((ULONGLONG)as_signed == mem);
    /* three distinct results on the real object */
    assert_hr(wbemsink_get_uint64(os[0], L"NoSuchProperty", &mem), WBEM_E_NOT_FOUND);
    assert_hr(wbemsink_get_uint64(os[0], L"Caption", &mem), WBEM_E_TYPE_MISMATCH);
    release_all(os, n);
    IWbemServices_Release(svc);
}

/* Win32_Process through the binder: our own process is there, with its id
   as a uint32 and its name as UTF-16 and UTF-8. */
typedef struct proc {
    ULONG pid;
    BSTR name;
    char *name_utf8;
    ULONG threads;
    char *command_line;
} proc;

static const wbemsink_field proc_fields[] = {
    {L"ProcessId", WBEMSINK_FIELD_UINT32, offsetof(proc, pid), 0},
    {L"Name", WBEMSINK_FIELD_BSTR, offsetof(proc, name), 0},
    {L"Name", WBEMSINK_FIELD_UTF8, offsetof(proc, name_utf8), 0},
    {L"ThreadCount", WBEMSINK_FIELD_UINT32, offsetof(proc, threads), 1},
    {L"CommandLine", WBEMSINK_FIELD_UTF8, offsetof(proc, command_line), 1},
};

static void processes(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    size_t n, mine = 0;
    IWbemClassObject **all = query_all(svc, L"SELECT * FROM Win32_Process", &n);
    VARTYPE vt;
    CIMTYPE t = cim_type(all[0], L"ProcessId", &vt);
    print_message("    ProcessId: CIM type %ld, VARIANT type %u\n", (long)t, (unsigned)vt);
    assert_int_equal(t, CIM_UINT32);
    t = cim_type(all[0], L"Name", &vt);
    print_message("    Name: CIM type %ld, VARIANT type %u\n", (long)t, (unsigned)vt);
    assert_int_equal(t, CIM_STRING);

    char path[MAX_PATH];
    GetModuleFileNameA(NULL, path, MAX_PATH);
    const char *base = strrchr(path, '\\');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < n; i++) {
        proc p;
        unsigned char present[5];
        size_t failed = 99;
        assert_hr(wbemsink_bind(all[i], proc_fields, 5, &p, present, &failed), S_OK);
        assert_int_equal(failed, 5);
        assert_true(present[0] && present[1] && present[2]);
        if (p.pid == GetCurrentProcessId()) {
            mine++;
            print_message("    own process: %lu %s threads=%lu (present %d) command line %s\n",
                          (unsigned long)p.pid, p.name_utf8, (unsigned long)p.threads, present[3],
                          present[4] ? p.command_line : "(NULL)");
            assert_int_equal(_stricmp(p.name_utf8, base), 0);
            char narrow[MAX_PATH];
            WideCharToMultiByte(CP_UTF8, 0, p.name, -1, narrow, MAX_PATH, NULL, NULL);
            assert_string_equal(narrow, p.name_utf8);
            /* the getter alike, into a buffer */
            char buf[MAX_PATH];
            size_t needed = 0;
            assert_hr(wbemsink_get_utf8(all[i], L"Name", buf, sizeof buf, &needed), S_OK);
            assert_string_equal(buf, p.name_utf8);
            assert_int_equal(needed, strlen(buf) + 1);
            ULONG pid = 0;
            assert_hr(wbemsink_get_uint32(all[i], L"ProcessId", &pid), S_OK);
            assert_int_equal(pid, GetCurrentProcessId());
        }
        wbemsink_unbind(proc_fields, 5, &p);
        assert_null(p.name);
        assert_null(p.name_utf8);
    }
    assert_int_equal(mine, 1);
    release_all(all, n);
    IWbemServices_Release(svc);
}

/* Win32_Service: booleans (AcceptStop, Started). Wine 8's class has no
   Started: WBEM_E_NOT_FOUND is accepted under Wine only. On Windows the
   Win32_Service class documents both as boolean properties, so both must
   read as a value or NULL. */
static void services(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    size_t n, values = 0, started = 0;
    IWbemClassObject **all = query_all(svc, L"SELECT * FROM Win32_Service", &n);
    VARTYPE vt;
    CIMTYPE t = cim_type(all[0], L"AcceptStop", &vt);
    print_message("    AcceptStop: CIM type %ld, VARIANT type %u\n", (long)t, (unsigned)vt);
    assert_int_equal(t, CIM_BOOLEAN);
    for (size_t i = 0; i < n; i++) {
        int accept = 7, on = 7;
        HRESULT hr1 = wbemsink_get_bool(all[i], L"AcceptStop", &accept);
        HRESULT hr2 = wbemsink_get_bool(all[i], L"Started", &on);
        assert_true(hr1 == S_OK || hr1 == WBEMSINK_S_NULL);
        if (test_is_wine() && hr2 == (HRESULT)WBEM_E_NOT_FOUND) hr2 = WBEMSINK_S_NULL;
        assert_true(hr2 == S_OK || hr2 == WBEMSINK_S_NULL);
        assert_true(accept == 0 || accept == 1);
        assert_true(on == 0 || on == 1);
        values += (hr1 == S_OK) + (hr2 == S_OK);
        started += on;
    }
    print_message("    %u services, %u started\n", (unsigned)n, (unsigned)started);
    assert_true(values > 0);
    int b;
    assert_hr(wbemsink_get_bool(all[0], L"Name", &b), WBEM_E_TYPE_MISMATCH);
    release_all(all, n);
    IWbemServices_Release(svc);
}

/* Every property of a few classes, read by the getter its CIM type calls
   for: nothing but S_OK or WBEMSINK_S_NULL (or, for DMTF text that is an
   interval, the interval getter). Prints the types WMI used. */
static void every_property_by_its_cim_type(void **state)
{
    (void)state;
    static const wchar_t *const classes[] = {L"Win32_OperatingSystem", L"Win32_Process",
                                             L"Win32_Service", L"Win32_ComputerSystem",
                                             L"Win32_Processor", L"Win32_BIOS",
                                             L"Win32_VideoController", L"Win32_NetworkAdapterConfiguration"};
    for (size_t c = 0; c < sizeof classes / sizeof classes[0]; c++) {
        /* A connection per query: Wine's services runs one asynchronous
           call at a time (WBEM_E_FAILED for the next one). */
        IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
        wchar_t wql[128];
        size_t n;
        swprintf(wql, 128, L"SELECT * FROM %ls", classes[c]);
        print_message("    %ls\n", wql);
        IWbemClassObject **all = query_all(svc, wql, &n);
        IWbemClassObject *o = all[0];
        BSTR name;
        VARIANT v;
        CIMTYPE t;
        unsigned seen = 0, nulls = 0;
        print_message("    %ls:", classes[c]);
        assert_hr(IWbemClassObject_BeginEnumeration(o, WBEM_FLAG_NONSYSTEM_ONLY), S_OK);
        while (IWbemClassObject_Next(o, 0, &name, &v, &t, NULL) == WBEM_S_NO_ERROR) {
            CIMTYPE base = t & ~CIM_FLAG_ARRAY;
            HRESULT hr = E_FAIL;
            ULONG count = 0;
            if (t & CIM_FLAG_ARRAY) {
                void *arr = NULL;
                if (base == CIM_BOOLEAN) hr = wbemsink_get_bool_array(o, name, (int **)&arr, &count);
                else if (base == CIM_REAL32 || base == CIM_REAL64) hr = wbemsink_get_double_array(o, name, (double **)&arr, &count);
                else if (base == CIM_STRING || base == CIM_DATETIME || base == CIM_REFERENCE) {
                    hr = wbemsink_get_string_array(o, name, (BSTR **)&arr, &count);
                    wbemsink_free_strings(arr, count);
                    arr = NULL;
                } else if (base == CIM_OBJECT) {
                    hr = wbemsink_get_object_array(o, name, (IWbemClassObject ***)&arr, &count);
                    for (ULONG i = 0; i < count; i++)
                        if (((IWbemClassObject **)arr)[i]) IWbemClassObject_Release(((IWbemClassObject **)arr)[i]);
                } else if (base == CIM_SINT8 || base == CIM_SINT16 || base == CIM_SINT32 || base == CIM_SINT64)
                    hr = wbemsink_get_int64_array(o, name, (LONGLONG **)&arr, &count);
                else
                    hr = wbemsink_get_uint64_array(o, name, (ULONGLONG **)&arr, &count);
                wbemsink_free(arr);
            } else if (base == CIM_BOOLEAN) {
                int b;
                hr = wbemsink_get_bool(o, name, &b);
            } else if (base == CIM_REAL32 || base == CIM_REAL64) {
                double d;
                hr = wbemsink_get_double(o, name, &d);
            } else if (base == CIM_STRING || base == CIM_REFERENCE) {
                char *u = NULL;
                hr = wbemsink_get_utf8_alloc(o, name, &u);
                wbemsink_free(u);
            } else if (base == CIM_DATETIME) {
                FILETIME ft;
                ULONGLONG span;
                hr = wbemsink_get_datetime(o, name, &ft, NULL);
                if (hr == (HRESULT)WBEM_E_TYPE_MISMATCH) hr = wbemsink_get_interval(o, name, &span);
            } else if (base == CIM_OBJECT) {
                IWbemClassObject *e = NULL;
                hr = wbemsink_get_object(o, name, &e);
                if (e) IWbemClassObject_Release(e);
            } else if (base == CIM_SINT8 || base == CIM_SINT16 || base == CIM_SINT32 || base == CIM_SINT64) {
                LONGLONG x;
                hr = wbemsink_get_int64(o, name, &x);
            } else {
                ULONGLONG x;
                hr = wbemsink_get_uint64(o, name, &x);
            }
            print_message(" %ls(%ld/%u)%s", name, (long)t, (unsigned)V_VT(&v),
                          hr == WBEMSINK_S_NULL ? "=NULL" : "");
            if (hr != S_OK && hr != WBEMSINK_S_NULL) {
                print_error("\n%ls.%ls: CIM type %ld, VARIANT type %u (\"%ls\"): 0x%08lX\n", classes[c],
                            name, (long)t, (unsigned)V_VT(&v),
                            V_VT(&v) == VT_BSTR ? V_BSTR(&v) : L"", (unsigned long)hr);
                fail();
            }
            seen++;
            nulls += hr == WBEMSINK_S_NULL;
            VariantClear(&v);
            SysFreeString(name);
        }
        IWbemClassObject_EndEnumeration(o);
        print_message("\n    (%u properties, %u NULL)\n", seen, nulls);
        assert_true(seen > 0);
        release_all(all, n);
        IWbemServices_Release(svc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(operating_system),
        cmocka_unit_test(processes),
        cmocka_unit_test(services),
        cmocka_unit_test(every_property_by_its_cim_type),
    };
    return cmocka_run_group_tests(tests, e2e_com_setup, e2e_com_teardown);
}
