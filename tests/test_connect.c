/*
 * wbemsink_connect and friends, through the DLL.
 *
 * Most tests run against the machine's real WMI (under Wine: wbemprox,
 * which is in-process, so none of its objects is a proxy). The last group
 * registers a fake IWbemLocator class object in the process
 * (CoRegisterClassObject: COM hands it out before looking in the registry)
 * to see what the library passes to ConnectServer and to make a connect
 * that outlives its deadline deterministically.
 */
#include "test_support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define assert_hr_named(got, want) do {                                        \
        HRESULT g_ = (got), w_ = (want);                                       \
        if (g_ != w_) {                                                        \
            const char *gn_ = wbemsink_hresult_name(g_);                       \
            const char *wn_ = wbemsink_hresult_name(w_);                       \
            fail_msg("got %s (0x%08lX), expected %s (0x%08lX)", gn_ ? gn_ : "?", \
                     (unsigned long)g_, wn_ ? wn_ : "?", (unsigned long)w_);   \
        }                                                                      \
    } while (0)

static const char *hr_name(HRESULT hr)
{
    const char *n = wbemsink_hresult_name(hr);
    return n ? n : "(no name)";
}

/* ---- a query through a connection ---- */

static volatile LONG rows_seen;

static HRESULT count_rows(void *context, IWbemClassObject *const *objects, LONG count)
{
    (void)context;
    (void)objects;
    InterlockedExchangeAdd(&rows_seen, count);
    return S_OK;
}

/* Rows of a synchronous ExecQuery on svc. */
static long sync_count(IWbemServices *svc, const wchar_t *wql)
{
    IEnumWbemClassObject *e = NULL;
    BSTR lang = SysAllocString(L"WQL"), q = SysAllocString(wql);
    long n = 0;
    assert_hr_named(IWbemServices_ExecQuery(svc, lang, q,
                                            WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY,
                                            NULL, &e),
                    S_OK);
    SysFreeString(lang);
    SysFreeString(q);
    for (;;) {
        IWbemClassObject *obj = NULL;
        ULONG got = 0;
        HRESULT hr = IEnumWbemClassObject_Next(e, 10000, 1, &obj, &got);
        if (FAILED(hr) || got == 0) break;
        n++;
        IWbemClassObject_Release(obj);
    }
    IEnumWbemClassObject_Release(e);
    return n;
}

/* wbemsink_exec_query on a fresh connection to ns, then wait: the row count
   equals a synchronous ExecQuery's (on a connection of its own: Wine runs
   one call per services pointer). Wine's "WinedeviceN" services are left
   out: Wine registers them while its driver hosts start, so their number
   can change between the two queries. */
static void query_through(const wchar_t *ns, const wbemsink_connect_options *o)
{
    static const wchar_t wql[] = L"SELECT Name FROM Win32_Service WHERE NOT Name LIKE 'Winedevice%'";
    wbemsink_connection *c = NULL, *c2 = NULL;
    wbemsink_callbacks cb = {0};
    wbemsink *s = NULL;
    HRESULT final_hr = E_FAIL;

    assert_hr_named(wbemsink_connect(ns, o, &c), S_OK);
    assert_non_null(c);
    assert_non_null(wbemsink_connection_services(c));

    rows_seen = 0;
    cb.on_objects = count_rows;
    assert_hr(wbemsink_create(&cb, NULL, &s), S_OK);
    assert_hr(wbemsink_exec_query(s, wbemsink_connection_services(c), wql,
                                  WBEM_FLAG_SEND_STATUS, NULL),
              S_OK);
    assert_hr(wbemsink_wait(s, 30000, &final_hr), S_OK);
    assert_hr_named(final_hr, S_OK);

    assert_hr_named(wbemsink_connect(ns, o, &c2), S_OK);
    long want = sync_count(wbemsink_connection_services(c2), wql);
    print_message("    %ls: %ld rows (synchronous: %ld)\n", ns, (long)rows_seen, want);
    assert_true(want > 0);
    assert_int_equal(rows_seen, want);

    wbemsink_connection_release(c2);
    wbemsink_connection_release(c);    /* Wine lets go of the sink here */
    assert_int_equal(settled_sink_refs(s), 1);
    wbemsink_release(s);
}

/* ---- real WMI ---- */

/* Runs first: nothing has initialised security in this process yet. */
static void init_security_twice(void **state)
{
    (void)state;
    HRESULT first = wbemsink_init_security();
    HRESULT second = wbemsink_init_security();
    print_message("    first: %s, second: %s\n", hr_name(first), hr_name(second));
    assert_hr_named(first, S_OK);
    /* Security is process-wide and set once: on Windows the second call
       fails with RPC_E_TOO_LATE (CoInitializeSecurity's page: it was
       already called). Wine's CoInitializeSecurity checks nothing and
       answers S_OK every time (asserted as such under Wine). */
    assert_hr_named(second, test_is_wine() ? S_OK : RPC_E_TOO_LATE);
}

static void null_arguments(void **state)
{
    (void)state;
    wbemsink_connection *c = (wbemsink_connection *)(uintptr_t)1;
    IUnknown *unk = (IUnknown *)(uintptr_t)1;
    assert_hr(wbemsink_connect(NULL, NULL, &c), E_POINTER);
    assert_null(c);                           /* *out cleared even then */
    assert_hr(wbemsink_connect(L"root\\cimv2", NULL, NULL), E_POINTER);
    assert_null(wbemsink_connection_services(NULL));
    assert_hr(wbemsink_connection_apply(NULL, unk), E_POINTER);
    assert_hr(wbemsink_connect(L"root\\cimv2", NULL, &c), S_OK);
    assert_hr(wbemsink_connection_apply(c, NULL), E_POINTER);
    wbemsink_connection_release(c);
    wbemsink_connection_release(NULL);        /* ignored */
}

static void local_plain(void **state)
{
    (void)state;
    query_through(L"root\\cimv2", NULL);
}

static void local_dot(void **state)
{
    (void)state;
    query_through(L"\\\\.\\root\\cimv2", NULL);
}

static void local_with_deadline(void **state)
{
    (void)state;
    wbemsink_connect_options o = {0};
    o.timeout_ms = 10000;                     /* the connect runs on a thread */
    query_through(L"root\\cimv2", &o);
    query_through(L"\\\\localhost\\root\\cimv2", &o);
}

static void invalid_namespace(void **state)
{
    (void)state;
    wbemsink_connection *c = (wbemsink_connection *)(uintptr_t)1;
    wbemsink_connect_options o = {0};
    assert_hr_named(wbemsink_connect(L"root\\nosuchnamespace", NULL, &c),
                    (HRESULT)WBEM_E_INVALID_NAMESPACE);
    assert_null(c);
    assert_string_equal(hr_name((HRESULT)WBEM_E_INVALID_NAMESPACE), "WBEM_E_INVALID_NAMESPACE");
    /* the same through the deadline's thread */
    o.timeout_ms = 10000;
    c = (wbemsink_connection *)(uintptr_t)1;
    assert_hr_named(wbemsink_connect(L"root\\nosuchnamespace", &o, &c),
                    (HRESULT)WBEM_E_INVALID_NAMESPACE);
    assert_null(c);
}

/* A user and password on the local machine.
   - Wine 8's ConnectServer ignores them and connects: S_OK, and the
     connection works (asserted, with a query through it).
   - Windows: IWbemLocator::ConnectServer's remarks say not to give
     strUser, strPassword or strAuthority for a local namespace; WMI's
     error constants name the refusal WBEM_E_LOCAL_CREDENTIALS (user
     credentials cannot be used for local connections). A user and
     password: that code, and no connection. A user with only an authority:
     the page documents no particular code for it, so only a failure with
     no connection is asserted. */
static void local_credentials(void **state)
{
    (void)state;
    wbemsink_connect_options o = {0};
    wbemsink_connection *c = NULL;
    o.user = L"WBEMSINKDOM\\wbemsink-user";
    o.password = L"not-a-real-password";
    HRESULT hr = wbemsink_connect(L"root\\cimv2", &o, &c);
    print_message("    user and password on the local machine: %s\n", hr_name(hr));
    if (!test_is_wine()) {
        assert_hr_named(hr, (HRESULT)WBEM_E_LOCAL_CREDENTIALS);
        assert_null(c);
        o.user = L"wbemsink-user";
        o.password = NULL;
        o.authority = L"ntlmdomain:WBEMSINKDOM";
        c = (wbemsink_connection *)(uintptr_t)1;
        hr = wbemsink_connect(L"\\\\.\\root\\cimv2", &o, &c);
        print_message("    user and authority on the local machine: %s\n", hr_name(hr));
        assert_true(FAILED(hr));
        assert_null(c);
        return;
    }
    assert_hr_named(hr, S_OK);
    wbemsink_connection_release(c);
    query_through(L"root\\cimv2", &o);
    /* a plain user with the domain in the authority, no password */
    o.user = L"wbemsink-user";
    o.password = NULL;
    o.authority = L"ntlmdomain:WBEMSINKDOM";
    query_through(L"\\\\.\\root\\cimv2", &o);
}

/* Wine has no DCOM transport: an unknown host fails at once. The bound is
   the deadline and a margin. */
static void unknown_host(void **state)
{
    (void)state;
    wbemsink_connect_options o = {0};
    wbemsink_connection *c = (wbemsink_connection *)(uintptr_t)1;
    o.timeout_ms = 2000;
    ULONGLONG t0 = GetTickCount64();
    HRESULT hr = wbemsink_connect(L"\\\\nosuchhost-wbemsink\\root\\cimv2", &o, &c);
    ULONGLONG ms = GetTickCount64() - t0;
    print_message("    unknown host: %s (0x%08lX) after %llu ms\n", hr_name(hr), (unsigned long)hr,
                  (unsigned long long)ms);
    assert_true(FAILED(hr));
    assert_null(c);
    assert_non_null(wbemsink_hresult_name(hr));
    assert_true(ms < 3000);
    /* Wine: 0x80041015 (WBEM_E_TRANSPORT_FAILURE), at once. (Windows gives
       an RPC error such as 0x800706BA, or WBEM_E_TIMED_OUT.) */
    if (test_is_wine())
        assert_hr_named(hr, (HRESULT)WBEM_E_TRANSPORT_FAILURE);
}

/* An enumerator from ExecQuery: Wine's is an in-process object, not a
   proxy, so there is no blanket to set and apply says S_OK, with or
   without local credentials (which Wine accepts). On Windows the
   enumerator is a proxy to the WMI service and the blanket is set: S_OK
   too (the header's contract); the connection with local credentials is
   refused there (see local_credentials), so only the plain one runs. */
static void apply_on_enumerator(void **state)
{
    (void)state;
    static const wbemsink_connect_options plain = {0};
    wbemsink_connect_options creds = {0};
    const wbemsink_connect_options *opts[2] = {&plain, &creds};
    creds.user = L"WBEMSINKDOM\\wbemsink-user";
    creds.password = L"pw";
    for (int i = 0; i < (test_is_wine() ? 2 : 1); i++) {
        wbemsink_connection *c = NULL;
        IEnumWbemClassObject *e = NULL;
        BSTR lang = SysAllocString(L"WQL");
        BSTR q = SysAllocString(L"SELECT Caption FROM Win32_OperatingSystem");
        assert_hr(wbemsink_connect(L"root\\cimv2", opts[i], &c), S_OK);
        assert_hr(IWbemServices_ExecQuery(wbemsink_connection_services(c), lang, q,
                                          WBEM_FLAG_FORWARD_ONLY, NULL, &e),
                  S_OK);
        SysFreeString(lang);
        SysFreeString(q);
        assert_hr_named(wbemsink_connection_apply(c, (IUnknown *)e), S_OK);
        /* and on the services itself, again */
        assert_hr_named(wbemsink_connection_apply(c, (IUnknown *)wbemsink_connection_services(c)),
                        S_OK);
        IEnumWbemClassObject_Release(e);
        wbemsink_connection_release(c);
    }
}

/* From a single-threaded apartment with a deadline, the services comes
   back from the connect thread's MTA as a proxy. Runs on a thread of its
   own. */
typedef struct sta_result {
    unsigned timeout_ms;
    HRESULT connect_hr;
    long rows;
} sta_result;

static DWORD WINAPI sta_thread(void *p)
{
    sta_result *r = p;
    wbemsink_connect_options o = {0};
    wbemsink_connection *c = NULL;
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    o.timeout_ms = r->timeout_ms;
    r->connect_hr = wbemsink_connect(L"root\\cimv2", &o, &c);
    r->rows = -1;
    if (SUCCEEDED(r->connect_hr)) {
        IEnumWbemClassObject *e = NULL;
        BSTR lang = SysAllocString(L"WQL");
        BSTR q = SysAllocString(L"SELECT Caption FROM Win32_OperatingSystem");
        if (SUCCEEDED(IWbemServices_ExecQuery(wbemsink_connection_services(c), lang, q,
                                              WBEM_FLAG_FORWARD_ONLY, NULL, &e))) {
            IWbemClassObject *obj = NULL;
            ULONG got = 0;
            r->rows = 0;
            while (SUCCEEDED(IEnumWbemClassObject_Next(e, 10000, 1, &obj, &got)) && got) {
                r->rows++;
                IWbemClassObject_Release(obj);
            }
            IEnumWbemClassObject_Release(e);
        }
        SysFreeString(lang);
        SysFreeString(q);
        wbemsink_connection_release(c);
    }
    CoUninitialize();
    return 0;
}

static void run_on_sta(sta_result *r)
{
    HANDLE t = CreateThread(NULL, 0, sta_thread, r, 0, NULL);
    assert_non_null(t);
    assert_int_equal(WaitForSingleObject(t, 60000), WAIT_OBJECT_0);
    CloseHandle(t);
    print_message("    STA, timeout_ms %u: %s, %ld rows\n", r->timeout_ms, hr_name(r->connect_hr),
                  r->rows);
}

/* Without a deadline the STA connects on its own thread: works anywhere. */
static void sta_caller(void **state)
{
    (void)state;
    sta_result r = {0, E_FAIL, -1};
    run_on_sta(&r);
    assert_hr_named(r.connect_hr, S_OK);
    assert_int_equal(r.rows, 1);
}

/* With a deadline the services is made on the library's thread, in the
   MTA, and marshaled to the STA. Windows registers a proxy for
   IWbemServices; Wine does not, and its object does not marshal itself:
   the marshaling fails with E_NOINTERFACE, which the caller gets (the
   library does not hand a raw pointer across apartments). */
static void sta_caller_with_deadline(void **state)
{
    (void)state;
    sta_result r = {10000, E_FAIL, -1};
    run_on_sta(&r);
    if (test_is_wine()) {
        assert_hr_named(r.connect_hr, E_NOINTERFACE);
    } else {
        assert_hr_named(r.connect_hr, S_OK);
        assert_int_equal(r.rows, 1);
    }
}

/* ---- a fake locator ---- */

static HANDLE gate;                    /* ConnectServer waits for it */
static volatile LONG connect_calls, locator_refs;
static IWbemServices *fake_svc;        /* what ConnectServer hands out */
static LONG seen_flags;
static wchar_t seen_ns[128], seen_user[128], seen_authority[128], seen_locale[32];
static int seen_password_ok, seen_password_null;
static const wchar_t *expected_password;

static HRESULT STDMETHODCALLTYPE loc_QueryInterface(IWbemLocator *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemLocator)) {
        *out = iface;
        IWbemLocator_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE loc_AddRef(IWbemLocator *iface)
{
    (void)iface;
    return (ULONG)InterlockedIncrement(&locator_refs);
}

static ULONG STDMETHODCALLTYPE loc_Release(IWbemLocator *iface)
{
    (void)iface;
    return (ULONG)InterlockedDecrement(&locator_refs);
}

static void copy_or_empty(wchar_t *dst, size_t n, const wchar_t *src)
{
    wcsncpy(dst, src ? src : L"", n - 1);
    dst[n - 1] = 0;
}

static HRESULT STDMETHODCALLTYPE loc_ConnectServer(IWbemLocator *iface, BSTR ns, BSTR user,
                                                   BSTR password, BSTR locale, LONG flags,
                                                   BSTR authority, IWbemContext *ctx,
                                                   IWbemServices **out)
{
    (void)iface;
    (void)ctx;
    InterlockedIncrement(&connect_calls);
    seen_flags = flags;
    copy_or_empty(seen_ns, 128, ns);
    copy_or_empty(seen_user, 128, user);
    copy_or_empty(seen_authority, 128, authority);
    copy_or_empty(seen_locale, 32, locale);
    /* Only compared, never copied or printed. */
    seen_password_null = password == NULL;
    seen_password_ok = expected_password && password && !wcscmp(password, expected_password);
    if (gate) WaitForSingleObject(gate, 10000);
    IWbemServices_AddRef(fake_svc);
    *out = fake_svc;
    return S_OK;
}

static IWbemLocatorVtbl loc_vtbl = {loc_QueryInterface, loc_AddRef, loc_Release,
                                    loc_ConnectServer};
static IWbemLocator fake_locator = {&loc_vtbl};

static HRESULT STDMETHODCALLTYPE cf_QueryInterface(IClassFactory *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory)) {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE cf_AddRef(IClassFactory *iface)
{
    (void)iface;
    return 2;
}
static ULONG STDMETHODCALLTYPE cf_Release(IClassFactory *iface)
{
    (void)iface;
    return 1;
}
static HRESULT STDMETHODCALLTYPE cf_CreateInstance(IClassFactory *iface, IUnknown *outer,
                                                   REFIID riid, void **out)
{
    (void)iface;
    if (!out) return E_POINTER;
    *out = NULL;
    if (outer) return CLASS_E_NOAGGREGATION;
    return loc_QueryInterface(&fake_locator, riid, out);
}
static HRESULT STDMETHODCALLTYPE cf_LockServer(IClassFactory *iface, BOOL lock)
{
    (void)iface;
    (void)lock;
    return S_OK;
}
static IClassFactoryVtbl cf_vtbl = {cf_QueryInterface, cf_AddRef, cf_Release, cf_CreateInstance,
                                    cf_LockServer};
static IClassFactory fake_factory = {&cf_vtbl};
static DWORD cookie;

static int fake_setup(void **state)
{
    (void)state;
    fake_svc = fake_services_create();
    if (!fake_svc) return -1;
    return FAILED(CoRegisterClassObject(&CLSID_WbemLocator, (IUnknown *)&fake_factory,
                                        CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE, &cookie));
}

static int fake_teardown(void **state)
{
    (void)state;
    CoRevokeClassObject(cookie);
    fake_services_destroy(fake_svc);
    fake_svc = NULL;
    return 0;
}

/* Polls up to 5 s until *v == want. */
static int settles(volatile LONG *v, LONG want)
{
    for (int i = 0; i < 500 && *v != want; i++) Sleep(10);
    return *v == want;
}

/* What reaches ConnectServer: the namespace and credentials as given, the
   flag that bounds the wait; and the blanket on a non-proxy is no error. */
static void fake_arguments(void **state)
{
    (void)state;
    wbemsink_connect_options o = {0};
    wbemsink_connection *c = NULL;
    LONG calls = connect_calls;
    o.user = L"DOM\\bob";
    o.password = L"pw-123";
    o.authority = L"ntlmdomain:DOM";
    o.locale = L"MS_409";
    expected_password = o.password;
    assert_hr_named(wbemsink_connect(L"\\\\server1\\root\\cimv2", &o, &c), S_OK);
    assert_int_equal(connect_calls, calls + 1);
    assert_true(wcscmp(seen_ns, L"\\\\server1\\root\\cimv2") == 0);
    assert_true(wcscmp(seen_user, L"DOM\\bob") == 0);
    assert_true(wcscmp(seen_authority, L"ntlmdomain:DOM") == 0);
    assert_true(wcscmp(seen_locale, L"MS_409") == 0);
    assert_true(seen_password_ok);
    assert_int_equal(seen_flags, WBEM_FLAG_CONNECT_USE_MAX_WAIT);
    assert_ptr_equal(wbemsink_connection_services(c), fake_svc);
    assert_int_equal(fake_services_refs(fake_svc), 2);
    wbemsink_connection_release(c);
    assert_int_equal(fake_services_refs(fake_svc), 1);
    assert_int_equal(locator_refs, 0);

    /* No user: no password either. A user without one: an empty one. */
    assert_hr(wbemsink_connect(L"root\\cimv2", NULL, &c), S_OK);
    assert_true(seen_password_null);
    assert_true(wcscmp(seen_user, L"") == 0);
    wbemsink_connection_release(c);
    o.password = NULL;
    expected_password = L"";
    assert_hr(wbemsink_connect(L"root\\cimv2", &o, &c), S_OK);
    assert_true(seen_password_ok);
    wbemsink_connection_release(c);
    expected_password = NULL;
    assert_int_equal(fake_services_refs(fake_svc), 1);
}

/* ConnectServer that takes longer than the deadline: the call returns
   WBEM_E_TIMED_OUT at the deadline, the thread goes on, and when
   ConnectServer finally returns it Releases what it got. */
static void deadline_passes(void **state)
{
    (void)state;
    wbemsink_connect_options o = {0};
    wbemsink_connection *c = (wbemsink_connection *)(uintptr_t)1;
    LONG calls = connect_calls;
    gate = CreateEventW(NULL, TRUE, FALSE, NULL);
    o.timeout_ms = 300;
    ULONGLONG t0 = GetTickCount64();
    HRESULT hr = wbemsink_connect(L"\\\\slowhost\\root\\cimv2", &o, &c);
    ULONGLONG ms = GetTickCount64() - t0;
    print_message("    %s after %llu ms\n", hr_name(hr), (unsigned long long)ms);
    assert_hr_named(hr, (HRESULT)WBEM_E_TIMED_OUT);
    assert_null(c);
    assert_true(ms >= 290 && ms < 2000);
    assert_int_equal(connect_calls, calls + 1);   /* still inside ConnectServer */
    assert_int_equal(locator_refs, 1);

    SetEvent(gate);                                /* let it return now */
    assert_true(settles(&locator_refs, 0));
    for (int i = 0; i < 500 && fake_services_refs(fake_svc) != 1; i++) Sleep(10);
    assert_int_equal(fake_services_refs(fake_svc), 1);   /* the thread let go */
    CloseHandle(gate);
    gate = NULL;

    /* The deadline is met: the services comes back. */
    o.timeout_ms = 5000;
    assert_hr(wbemsink_connect(L"root\\cimv2", &o, &c), S_OK);
    assert_ptr_equal(wbemsink_connection_services(c), fake_svc);
    wbemsink_connection_release(c);
    assert_int_equal(fake_services_refs(fake_svc), 1);
}

/* ---- the password's copies are wiped (issue 22 section 4) ---- */

/* A proxy of the test's own: CoSetProxyBlanket calls its
   IClientSecurity::SetBlanket, which records where the connection's
   identity keeps the password. */
static const wchar_t *blanket_password;
static ULONG blanket_password_len;

static HRESULT STDMETHODCALLTYPE cs_QueryInterface(IClientSecurity *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClientSecurity)) {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE cs_AddRef(IClientSecurity *iface) { (void)iface; return 2; }
static ULONG STDMETHODCALLTYPE cs_Release(IClientSecurity *iface) { (void)iface; return 1; }
static HRESULT STDMETHODCALLTYPE cs_QueryBlanket(IClientSecurity *iface, IUnknown *proxy, DWORD *authn,
                                                 DWORD *authz, OLECHAR **principal, DWORD *level, DWORD *imp,
                                                 void **info, DWORD *caps)
{
    (void)iface; (void)proxy; (void)authn; (void)authz; (void)principal; (void)level; (void)imp;
    (void)info; (void)caps;
    return E_NOTIMPL;
}
static HRESULT STDMETHODCALLTYPE cs_SetBlanket(IClientSecurity *iface, IUnknown *proxy, DWORD authn,
                                               DWORD authz, OLECHAR *principal, DWORD level, DWORD imp,
                                               void *info, DWORD caps)
{
    (void)iface; (void)proxy; (void)authn; (void)authz; (void)principal; (void)level; (void)imp; (void)caps;
    const COAUTHIDENTITY *id = info;
    if (id) {
        blanket_password = (const wchar_t *)id->Password;
        blanket_password_len = id->PasswordLength;
    }
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE cs_CopyProxy(IClientSecurity *iface, IUnknown *proxy, IUnknown **copy)
{
    (void)iface; (void)proxy;
    if (copy) *copy = NULL;
    return E_NOTIMPL;
}
static IClientSecurityVtbl cs_vtbl = {cs_QueryInterface, cs_AddRef, cs_Release, cs_QueryBlanket,
                                      cs_SetBlanket, cs_CopyProxy};
static IClientSecurity test_proxy = {&cs_vtbl};

/* Whether any 8 characters of the secret in a row are in the n characters
   at p. The block may have been freed: ReadProcessMemory reads it as
   bytes (defined, and it fails rather than faults where nothing is
   mapped); a heap reuses a freed block's first bytes for itself, the rest
   keeps what was there unless it was wiped. */
static int secret_left(const wchar_t *p, size_t n, const wchar_t *secret)
{
    wchar_t copy[128];
    SIZE_T got = 0;
    if (n > 128) n = 128;
    if (!ReadProcessMemory(GetCurrentProcess(), p, copy, n * sizeof(wchar_t), &got)) return 0;
    size_t have = got / sizeof(wchar_t), len = wcslen(secret);
    for (size_t at = 0; at + 8 <= have; at++)
        for (size_t k = 0; k + 8 <= len; k++)
            if (!memcmp(copy + at, secret + k, 8 * sizeof(wchar_t))) return 1;
    return 0;
}

/* The connection's copy of the password (in its COAUTHIDENTITY, given to
   every proxy it applies its blanket to) is overwritten at release. */
static void password_wiped_at_release(void **state)
{
    (void)state;
    static const wchar_t secret[] = L"Wipe-me-0123456789-abcdefghijklmnopqrstuv";
    wbemsink_connect_options o = {0};
    wbemsink_connection *c = NULL;
    o.user = L"DOM\\bob";
    o.password = secret;
    expected_password = secret;
    assert_hr(wbemsink_connect(L"\\\\server1\\root\\cimv2", &o, &c), S_OK);
    assert_true(seen_password_ok);
    blanket_password = NULL;
    assert_hr(wbemsink_connection_apply(c, (IUnknown *)&test_proxy), S_OK);
    assert_non_null(blanket_password);
    assert_int_equal(blanket_password_len, wcslen(secret));
    assert_true(secret_left(blanket_password, blanket_password_len, secret));   /* the probe sees it */
    wbemsink_connection_release(c);
    assert_false(secret_left(blanket_password, blanket_password_len, secret));
    expected_password = NULL;
    assert_int_equal(fake_services_refs(fake_svc), 1);
}

static int com_setup(void **state)
{
    (void)state;
    return FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED));
}

static int com_teardown(void **state)
{
    (void)state;
    CoUninitialize();
    return 0;
}

/* With an argument, runs only the tests it names (a CMocka pattern). */
int main(int argc, char **argv)
{
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest real[] = {
        cmocka_unit_test(init_security_twice),   /* first: security not yet set */
        cmocka_unit_test(null_arguments),
        cmocka_unit_test(local_plain),
        cmocka_unit_test(local_dot),
        cmocka_unit_test(local_with_deadline),
        cmocka_unit_test(invalid_namespace),
        cmocka_unit_test(local_credentials),
        cmocka_unit_test(unknown_host),
        cmocka_unit_test(apply_on_enumerator),
        cmocka_unit_test(sta_caller),
        cmocka_unit_test(sta_caller_with_deadline),
    };
    const struct CMUnitTest fake[] = {
        cmocka_unit_test(fake_arguments),
        cmocka_unit_test(deadline_passes),
        cmocka_unit_test(password_wiped_at_release),
    };
    int failed = 0;
    test_print_platform();
    if (com_setup(NULL)) return 1;
    failed += cmocka_run_group_tests_name("real_wmi", real, NULL, NULL);
    failed += cmocka_run_group_tests_name("fake_locator", fake, fake_setup, fake_teardown);
    com_teardown(NULL);
    return failed != 0;
}
