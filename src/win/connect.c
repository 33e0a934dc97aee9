/*
 * Connecting: wbemsink_init_security, wbemsink_connect and the connection's
 * proxy blankets (Windows shell; see "Connecting" in wbemsink.h).
 *
 * With a deadline, ConnectServer runs on a library thread (ws_thread_start
 * pins the module) in the multithreaded apartment; the caller waits for it
 * at most timeout_ms. The job the two threads share is reference counted,
 * so a caller who gives up simply lets go of it and the thread cleans up
 * when ConnectServer finally returns (WBEM_FLAG_CONNECT_USE_MAX_WAIT bounds
 * that too).
 *
 * The password is copied into BSTRs and a COAUTHIDENTITY; every copy is
 * wiped with SecureZeroMemory before it is freed, and none is ever printed.
 */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#include "wbemsink.h"
#include "platform.h"

#include <objbase.h>
#include <oleauto.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct wbemsink_connection {
    IWbemServices *services;       /* owned reference */
    DWORD authn_level, imp_level;
    int has_identity;
    COAUTHIDENTITY identity;       /* points into the three strings below */
    wchar_t *user, *domain, *password;   /* owned; password wiped at release */
    /* An STA caller with a deadline holds the MTA alive, since the services
       object lives there (see connect_on_thread). */
    int mta_held;
    CO_MTA_USAGE_COOKIE mta_cookie;
};

/* ------------------------------------------------------------ strings */

static wchar_t *dup_n(const wchar_t *s, size_t n)
{
    wchar_t *d = malloc((n + 1) * sizeof(wchar_t));
    if (!d) return NULL;
    memcpy(d, s, n * sizeof(wchar_t));
    d[n] = L'\0';
    return d;
}

/* Frees a copy of a secret after overwriting it. */
static void wipe_free(wchar_t *s)
{
    if (!s) return;
    SecureZeroMemory(s, wcslen(s) * sizeof(wchar_t));
    free(s);
}

static void wipe_free_bstr(BSTR b)
{
    if (!b) return;
    SecureZeroMemory(b, SysStringByteLen(b));
    SysFreeString(b);
}

/* A BSTR copy of s, NULL for NULL. *failed is set when memory ran out. */
static BSTR bstr_or_null(const wchar_t *s, int *failed)
{
    BSTR b;
    if (!s) return NULL;
    b = SysAllocString(s);
    if (!b) *failed = 1;
    return b;
}

/* "\\HOST\..." or "//HOST/..." with HOST other than "." and "localhost". */
static int is_remote(const wchar_t *ns)
{
    const wchar_t *host, *end;
    size_t n;
    if (!((ns[0] == L'\\' && ns[1] == L'\\') || (ns[0] == L'/' && ns[1] == L'/'))) return 0;
    host = ns + 2;
    for (end = host; *end && *end != L'\\' && *end != L'/'; end++)
        ;
    n = (size_t)(end - host);
    if (n == 1 && host[0] == L'.') return 0;
    if (n == 9 && _wcsnicmp(host, L"localhost", 9) == 0) return 0;
    return 1;
}

/* Fills c's identity from the options: "DOMAIN\user" is split; "user@domain"
   stays whole (a UPN needs no domain); a plain "user" takes its domain from
   an "ntlmdomain:DOMAIN" authority. */
static HRESULT make_identity(wbemsink_connection *c, const wbemsink_connect_options *o)
{
    const wchar_t *user = o->user, *slash = wcschr(user, L'\\');
    const wchar_t *domain = L"";
    size_t domain_len = 0;
    static const wchar_t ntlm[] = L"ntlmdomain:";
    const size_t ntlm_len = sizeof ntlm / sizeof ntlm[0] - 1;

    if (slash) {
        domain = user;
        domain_len = (size_t)(slash - user);
        user = slash + 1;
    } else if (o->authority && _wcsnicmp(o->authority, ntlm, ntlm_len) == 0) {
        domain = o->authority + ntlm_len;
        domain_len = wcslen(domain);
    }
    c->user = dup_n(user, wcslen(user));
    c->domain = dup_n(domain, domain_len);
    c->password = dup_n(o->password ? o->password : L"",
                        o->password ? wcslen(o->password) : 0);
    if (!c->user || !c->domain || !c->password) return E_OUTOFMEMORY;

    c->identity.User = (USHORT *)c->user;
    c->identity.UserLength = (ULONG)wcslen(c->user);
    c->identity.Domain = (USHORT *)c->domain;
    c->identity.DomainLength = (ULONG)wcslen(c->domain);
    c->identity.Password = (USHORT *)c->password;
    c->identity.PasswordLength = (ULONG)wcslen(c->password);
    c->identity.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    c->has_identity = 1;
    return S_OK;
}

/* CoSetProxyBlanket with c's identity and levels. E_NOINTERFACE means the
   object is not a proxy (in-process, as Wine's WMI): nothing to set. */
static HRESULT set_blanket(const wbemsink_connection *c, IUnknown *proxy)
{
    HRESULT hr = CoSetProxyBlanket(proxy, RPC_C_AUTHN_DEFAULT, RPC_C_AUTHZ_DEFAULT,
                                   COLE_DEFAULT_PRINCIPAL, c->authn_level, c->imp_level,
                                   c->has_identity ? (RPC_AUTH_IDENTITY_HANDLE)&c->identity
                                                   : COLE_DEFAULT_AUTHINFO,
                                   EOAC_NONE);
    return hr == E_NOINTERFACE ? S_OK : hr;
}

/* The blanket on proxy and, with an identity, on its IUnknown as well (the
   remote AddRef/Release/QueryInterface calls go through that one and would
   otherwise run under the process's identity). */
static HRESULT apply(const wbemsink_connection *c, IUnknown *proxy)
{
    IUnknown *unk = NULL;
    HRESULT hr = set_blanket(c, proxy);
    if (FAILED(hr) || !c->has_identity) return hr;
    if (FAILED(IUnknown_QueryInterface(proxy, &IID_IUnknown, (void **)&unk)) || !unk) return hr;
    hr = set_blanket(c, unk);
    IUnknown_Release(unk);
    return hr;
}

/* ------------------------------------------------------------ the job */

/* What ConnectServer needs, and, with a deadline, what the thread hands
   back. Shared by the caller and the thread: the last one frees it. */
typedef struct connect_job {
    volatile LONG refs;
    BSTR ns, user, password, authority, locale;
    LONG flags;

    /* With a deadline. */
    HANDLE done;                 /* set by the thread when it finished */
    ws_mutex lock;
    int marshal;                 /* the caller is not in the MTA: hand back a stream */
    int abandoned;               /* under lock: the caller gave up */
    int finished;                /* under lock: the thread stored its result */
    HRESULT hr;                  /* under lock: the result */
    IWbemServices *services;     /* under lock: the result (caller in the MTA) */
    IStream *stream;             /* under lock: the result, marshaled (other callers) */
    int mta_held;                /* the MTA usage the job holds (see connect_on_thread) */
    CO_MTA_USAGE_COOKIE mta_cookie;
} connect_job;

typedef HRESULT(WINAPI *mta_inc_fn)(CO_MTA_USAGE_COOKIE *);
typedef HRESULT(WINAPI *mta_dec_fn)(CO_MTA_USAGE_COOKIE);

/* CoIncrementMTAUsage/CoDecrementMTAUsage exist from Windows 8 on: looked
   up, so the DLL still loads where they do not. */
static FARPROC ole32_proc(const char *name)
{
    HMODULE ole32 = GetModuleHandleW(L"ole32.dll");
    return ole32 ? GetProcAddress(ole32, name) : NULL;
}

static int mta_hold(CO_MTA_USAGE_COOKIE *cookie)
{
    mta_inc_fn inc = (mta_inc_fn)(void (*)(void))ole32_proc("CoIncrementMTAUsage");
    return inc && SUCCEEDED(inc(cookie));
}

static void mta_let_go(CO_MTA_USAGE_COOKIE cookie)
{
    mta_dec_fn dec = (mta_dec_fn)(void (*)(void))ole32_proc("CoDecrementMTAUsage");
    if (dec) dec(cookie);
}

static void job_unref(connect_job *j)
{
    if (InterlockedDecrement(&j->refs) != 0) return;
    SysFreeString(j->ns);
    SysFreeString(j->user);
    wipe_free_bstr(j->password);
    SysFreeString(j->authority);
    SysFreeString(j->locale);
    if (j->services) IWbemServices_Release(j->services);
    if (j->stream) {
        /* Marshaled but never taken: release the marshal data too. */
        LARGE_INTEGER zero;
        zero.QuadPart = 0;
        IStream_Seek(j->stream, zero, STREAM_SEEK_SET, NULL);
        CoReleaseMarshalData(j->stream);
        IStream_Release(j->stream);
    }
    if (j->mta_held) mta_let_go(j->mta_cookie);
    if (j->done) CloseHandle(j->done);
    free(j);
}

/* IWbemLocator::ConnectServer, on the calling thread (COM initialised). */
static HRESULT connect_server(const connect_job *j, IWbemServices **out)
{
    IWbemLocator *locator = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
                                  &IID_IWbemLocator, (void **)&locator);
    if (FAILED(hr)) return hr;
    hr = IWbemLocator_ConnectServer(locator, j->ns, j->user, j->password, j->locale, j->flags,
                                    j->authority, NULL, out);
    IWbemLocator_Release(locator);
    if (SUCCEEDED(hr) && !*out) hr = E_UNEXPECTED;
    return hr;
}

static void connect_thread(void *arg)
{
    connect_job *j = arg;
    IWbemServices *svc = NULL;
    IStream *stream = NULL;
    /* A thread of the library's own has no apartment: the MTA. */
    HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    HRESULT hr = FAILED(init) ? init : connect_server(j, &svc);

    if (SUCCEEDED(hr) && j->marshal)
        hr = CoMarshalInterThreadInterfaceInStream(&IID_IWbemServices, (IUnknown *)svc, &stream);

    ws_lock(&j->lock);
    if (!j->abandoned) {
        j->hr = hr;
        if (SUCCEEDED(hr)) {
            if (stream) {
                j->stream = stream;
                stream = NULL;
            } else {
                j->services = svc;
                svc = NULL;
            }
        }
    }
    j->finished = 1;
    ws_unlock(&j->lock);
    SetEvent(j->done);

    if (stream) {
        /* The caller gave up: undo the marshaling in this apartment. */
        IWbemServices *back = NULL;
        if (SUCCEEDED(CoGetInterfaceAndReleaseStream(stream, &IID_IWbemServices, (void **)&back)))
            IWbemServices_Release(back);
    }
    if (svc) IWbemServices_Release(svc);
    if (SUCCEEDED(init)) CoUninitialize();
    job_unref(j);
}

/* ConnectServer on a library thread, waiting at most timeout_ms for it.
   The services object is made in the MTA. A caller in the MTA gets the
   pointer itself; any other gets a proxy, unmarshaled from a stream, and
   the MTA is then held (CoIncrementMTAUsage) for as long as the connection
   lives, since the object would be disconnected if the MTA ended with the
   thread. */
static HRESULT connect_on_thread(connect_job *j, DWORD timeout_ms, wbemsink_connection *c,
                                 IWbemServices **out)
{
    ws_thread t;
    DWORD index = 0;
    HRESULT hr, wait;
    APTTYPE type;
    APTTYPEQUALIFIER qualifier;

    /* COM must be initialised on the calling thread (or the process have
       an MTA it joins implicitly), as for the call without a deadline. */
    hr = CoGetApartmentType(&type, &qualifier);
    if (FAILED(hr)) return hr;
    /* From the MTA the pointer is usable as is; from an STA it needs a
       proxy. */
    j->marshal = type != APTTYPE_MTA;
    if (j->marshal) j->mta_held = mta_hold(&j->mta_cookie);
    j->done = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!j->done) return HRESULT_FROM_WIN32(GetLastError());
    InterlockedIncrement(&j->refs);           /* the thread's */
    if (ws_thread_start(&t, connect_thread, j) != 0) {
        InterlockedDecrement(&j->refs);
        return E_OUTOFMEMORY;
    }
    ws_thread_detach(t);

    /* CoWaitForMultipleHandles keeps a single-threaded apartment's message
       queue moving while it waits, and is a plain wait in the MTA. */
    wait = CoWaitForMultipleHandles(0, timeout_ms, 1, &j->done, &index);

    ws_lock(&j->lock);
    if (!j->finished) {
        /* Too late: the thread finishes on its own and frees what it made. */
        j->abandoned = 1;
        ws_unlock(&j->lock);
        return wait == RPC_S_CALLPENDING || SUCCEEDED(wait) ? (HRESULT)WBEM_E_TIMED_OUT : wait;
    }
    hr = j->hr;
    *out = j->services;
    j->services = NULL;
    if (SUCCEEDED(hr) && j->stream) {
        hr = CoGetInterfaceAndReleaseStream(j->stream, &IID_IWbemServices, (void **)out);
        j->stream = NULL;
    }
    ws_unlock(&j->lock);
    if (SUCCEEDED(hr) && j->mta_held) {
        /* The connection keeps the MTA now. */
        c->mta_held = 1;
        c->mta_cookie = j->mta_cookie;
        j->mta_held = 0;
    }
    return hr;
}

/* ------------------------------------------------------------ the API */

HRESULT wbemsink_init_security(void)
{
    return CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
                                RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL);
}

HRESULT wbemsink_connect(const wchar_t *namespace_path, const wbemsink_connect_options *options,
                         wbemsink_connection **out)
{
    static const wbemsink_connect_options none;
    const wbemsink_connect_options *o = options ? options : &none;
    wbemsink_connection *c;
    connect_job *j;
    IWbemServices *svc = NULL;
    int oom = 0;
    HRESULT hr;

    if (out) *out = NULL;
    if (!namespace_path || !out) return E_POINTER;

    c = calloc(1, sizeof(*c));
    j = calloc(1, sizeof(*j));
    if (!c || !j) {
        free(c);
        free(j);
        return E_OUTOFMEMORY;
    }
    j->refs = 1;
    ws_mutex_init(&j->lock);
    j->ns = bstr_or_null(namespace_path, &oom);
    j->user = bstr_or_null(o->user, &oom);
    /* A user without a password means an empty one. */
    j->password = bstr_or_null(o->password ? o->password : (o->user ? L"" : NULL), &oom);
    j->authority = bstr_or_null(o->authority, &oom);
    j->locale = bstr_or_null(o->locale, &oom);
    /* WMI's own bound (about 2 minutes), also on the thread, so that a
       thread left behind by a deadline still ends. */
    j->flags = WBEM_FLAG_CONNECT_USE_MAX_WAIT;

    c->authn_level = o->authn_level ? o->authn_level
                     : is_remote(namespace_path) ? RPC_C_AUTHN_LEVEL_PKT_PRIVACY
                                                 : RPC_C_AUTHN_LEVEL_DEFAULT;
    c->imp_level = o->imp_level ? o->imp_level : RPC_C_IMP_LEVEL_IMPERSONATE;
    hr = oom ? E_OUTOFMEMORY : o->user ? make_identity(c, o) : S_OK;

    if (SUCCEEDED(hr))
        hr = o->timeout_ms ? connect_on_thread(j, o->timeout_ms, c, &svc) : connect_server(j, &svc);
    job_unref(j);

    if (SUCCEEDED(hr)) {
        c->services = svc;
        hr = apply(c, (IUnknown *)svc);
    }
    if (FAILED(hr)) {
        wbemsink_connection_release(c);
        return hr;
    }
    *out = c;
    return S_OK;
}

IWbemServices *wbemsink_connection_services(wbemsink_connection *c)
{
    return c ? c->services : NULL;
}

HRESULT wbemsink_connection_apply(wbemsink_connection *c, IUnknown *proxy)
{
    if (!c || !proxy) return E_POINTER;
    return apply(c, proxy);
}

void wbemsink_connection_release(wbemsink_connection *c)
{
    if (!c) return;
    if (c->services) IWbemServices_Release(c->services);
    if (c->mta_held) mta_let_go(c->mta_cookie);
    free(c->user);
    free(c->domain);
    wipe_free(c->password);
    SecureZeroMemory(&c->identity, sizeof(c->identity));
    free(c);
}
