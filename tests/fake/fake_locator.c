/*
 * fake_locator.c - a fake IWbemLocator simulating hosts (see
 * fake_locator.h), built on the fake services: each successful
 * ConnectServer hands out a new fake_services scripted for its host.
 *
 * COM in C the Wine way: the interfaces are members of the implementation
 * struct, impl_from_...() gets back to it, the vtables are static const.
 * The class factory is part of the same struct, so the registration needs
 * no object of its own.
 */
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#include "fake_locator.h"
#include "fake_services.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct fake_locator {
    IWbemLocator IWbemLocator_iface;
    IClassFactory IClassFactory_iface;
    volatile LONG refs;
    DWORD cookie;
    fake_host *hosts;            /* owned copies, names too */
    size_t nhosts;
    struct seen { wchar_t user[64], path[128]; int set; } *seen;   /* per host, under lock */
    HANDLE unhang;               /* manual reset: hanging connects give up */
    SRWLOCK lock;                /* guards the list below */
    IWbemServices **services;    /* every one handed out, destroyed at the end */
    size_t nservices, capservices;
    volatile LONG in_flight, peak, connect_calls, connecting;
};

static struct fake_locator *impl_from_IWbemLocator(IWbemLocator *iface)
{
    return (struct fake_locator *)((char *)iface - offsetof(struct fake_locator, IWbemLocator_iface));
}

static struct fake_locator *impl_from_IClassFactory(IClassFactory *iface)
{
    return (struct fake_locator *)((char *)iface - offsetof(struct fake_locator, IClassFactory_iface));
}

/* ---- hosts -------------------------------------------------------------- */

/* The host part of "\\NAME\ns" or "//NAME/ns" into name (n chars); "." for
   a local path. */
static void host_of(const wchar_t *path, wchar_t *name, size_t n)
{
    size_t len = 0;
    if (path && ((path[0] == L'\\' && path[1] == L'\\') || (path[0] == L'/' && path[1] == L'/'))) {
        for (path += 2; *path && *path != L'\\' && *path != L'/' && len + 1 < n; path++)
            name[len++] = *path;
    } else {
        name[len++] = L'.';
    }
    name[len] = 0;
}

static const fake_host *find_host(struct fake_locator *l, const wchar_t *name)
{
    for (size_t i = 0; i < l->nhosts; i++)
        if (_wcsicmp(l->hosts[i].name, name) == 0)
            return &l->hosts[i];
    return NULL;
}

static void count_in(struct fake_locator *l)
{
    LONG now = InterlockedIncrement(&l->in_flight), peak;
    while ((peak = l->peak) < now && InterlockedCompareExchange(&l->peak, now, peak) != peak)
        ;
}

static void services_closed(void *context, IWbemServices *svc)
{
    (void)svc;
    InterlockedDecrement(&((struct fake_locator *)context)->in_flight);
}

/* A fake services playing h's answer to every call. */
static HRESULT make_services(struct fake_locator *l, const fake_host *h, IWbemServices **out)
{
    LONG rows = h->rows > 0 ? h->rows : 0;
    fake_step *steps = calloc((size_t)rows + 3, sizeof(*steps));
    IWbemServices *svc = fake_services_create();
    LONG n = 0;

    if (!steps || !svc) {
        free(steps);
        if (svc) fake_services_destroy(svc);
        return WBEM_E_OUT_OF_MEMORY;
    }
    if (h->hang == FAKE_HOST_HANG_ANSWER) {
        steps[n++] = (fake_step)FAKE_STEP_WAIT_CANCEL;
    } else {
        steps[n++] = (fake_step)FAKE_STEP_SLEEP(h->answer_ms);
        for (LONG i = 0; i < rows; i++) steps[n++] = (fake_step)FAKE_STEP_INDICATE(1);
        steps[n++] = (fake_step)FAKE_STEP_COMPLETE(h->answer_hr);
    }
    steps[n] = (fake_step)FAKE_STEP_END;
    fake_services_script(svc, steps, 1);
    free(steps);
    fake_services_object_name(svc, h->name);
    fake_services_on_last_release(svc, services_closed, l);

    AcquireSRWLockExclusive(&l->lock);
    if (l->nservices == l->capservices) {
        size_t cap = l->capservices ? l->capservices * 2 : 64;
        IWbemServices **p = realloc(l->services, cap * sizeof(*p));
        if (!p) {
            ReleaseSRWLockExclusive(&l->lock);
            fake_services_destroy(svc);
            return WBEM_E_OUT_OF_MEMORY;
        }
        l->services = p;
        l->capservices = cap;
    }
    l->services[l->nservices++] = svc;
    ReleaseSRWLockExclusive(&l->lock);
    *out = svc;
    return S_OK;
}

/* ---- IWbemLocator ------------------------------------------------------- */

static HRESULT STDMETHODCALLTYPE loc_QueryInterface(IWbemLocator *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemLocator)) {
        *out = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE loc_AddRef(IWbemLocator *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IWbemLocator(iface)->refs);
}

/* Never frees: fake_locator_destroy does. */
static ULONG STDMETHODCALLTYPE loc_Release(IWbemLocator *iface)
{
    return (ULONG)InterlockedDecrement(&impl_from_IWbemLocator(iface)->refs);
}

static HRESULT STDMETHODCALLTYPE loc_ConnectServer(IWbemLocator *iface, BSTR ns, BSTR user,
                                                   BSTR password, BSTR locale, LONG flags,
                                                   BSTR authority, IWbemContext *ctx,
                                                   IWbemServices **out)
{
    struct fake_locator *l = impl_from_IWbemLocator(iface);
    const fake_host *h;
    wchar_t name[256];
    HRESULT hr;

    (void)password; (void)locale; (void)flags; (void)authority; (void)ctx;
    if (!out) return WBEM_E_INVALID_PARAMETER;
    *out = NULL;
    InterlockedIncrement(&l->connect_calls);
    host_of(ns, name, sizeof name / sizeof name[0]);
    h = find_host(l, name);
    if (!h) return WBEM_E_TRANSPORT_FAILURE;

    AcquireSRWLockExclusive(&l->lock);
    {
        struct seen *s = &l->seen[h - l->hosts];
        wcsncpy(s->user, user ? user : L"", 63);
        s->user[63] = 0;
        wcsncpy(s->path, ns ? ns : L"", 127);
        s->path[127] = 0;
        s->set = 1;
    }
    ReleaseSRWLockExclusive(&l->lock);
    count_in(l);
    InterlockedIncrement(&l->connecting);
    /* The unhang event cuts a hang short, not an ordinary latency. */
    if (h->connect_ms) Sleep(h->connect_ms);
    if (h->hang == FAKE_HOST_HANG_CONNECT) {
        WaitForSingleObject(l->unhang, h->hang_ms ? h->hang_ms : INFINITE);
        hr = WBEM_E_TRANSPORT_FAILURE;
    } else {
        hr = FAILED(h->connect_hr) ? h->connect_hr : make_services(l, h, out);
    }
    InterlockedDecrement(&l->connecting);
    if (FAILED(hr)) InterlockedDecrement(&l->in_flight);
    return hr;
}

static const IWbemLocatorVtbl loc_vtbl = {loc_QueryInterface, loc_AddRef, loc_Release,
                                          loc_ConnectServer};

/* ---- IClassFactory ------------------------------------------------------ */

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

/* The factory lives as long as the locator: COM's references on it are
   not counted. */
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

static HRESULT STDMETHODCALLTYPE cf_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid,
                                                   void **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    if (outer) return CLASS_E_NOAGGREGATION;
    return loc_QueryInterface(&impl_from_IClassFactory(iface)->IWbemLocator_iface, riid, out);
}

static HRESULT STDMETHODCALLTYPE cf_LockServer(IClassFactory *iface, BOOL lock)
{
    (void)iface;
    (void)lock;
    return S_OK;
}

static const IClassFactoryVtbl cf_vtbl = {cf_QueryInterface, cf_AddRef, cf_Release,
                                          cf_CreateInstance, cf_LockServer};

/* ---- public API --------------------------------------------------------- */

static void free_hosts(struct fake_locator *l)
{
    for (size_t i = 0; i < l->nhosts; i++) free((void *)l->hosts[i].name);
    free(l->hosts);
    free(l->seen);
}

HRESULT fake_locator_register(const fake_host *hosts, size_t count, fake_locator **out)
{
    struct fake_locator *l;
    HRESULT hr;

    if (!out || (!hosts && count)) return E_POINTER;
    *out = NULL;
    l = calloc(1, sizeof(*l));
    if (!l) return E_OUTOFMEMORY;
    l->IWbemLocator_iface.lpVtbl = &loc_vtbl;
    l->IClassFactory_iface.lpVtbl = &cf_vtbl;
    InitializeSRWLock(&l->lock);
    l->hosts = calloc(count ? count : 1, sizeof(*l->hosts));
    l->seen = calloc(count ? count : 1, sizeof(*l->seen));
    l->unhang = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!l->hosts || !l->seen || !l->unhang) {
        if (l->unhang) CloseHandle(l->unhang);
        free(l->hosts);
        free(l->seen);
        free(l);
        return E_OUTOFMEMORY;
    }
    for (size_t i = 0; i < count; i++) {
        size_t len = wcslen(hosts[i].name ? hosts[i].name : L"") + 1;
        wchar_t *name = malloc(len * sizeof(wchar_t));
        l->hosts[i] = hosts[i];
        l->hosts[i].name = name;
        l->nhosts = i + 1;
        if (!name) {
            free_hosts(l);
            CloseHandle(l->unhang);
            free(l);
            return E_OUTOFMEMORY;
        }
        memcpy(name, hosts[i].name ? hosts[i].name : L"", len * sizeof(wchar_t));
    }
    hr = CoRegisterClassObject(&CLSID_WbemLocator, (IUnknown *)&l->IClassFactory_iface,
                               CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE, &l->cookie);
    if (FAILED(hr)) {
        free_hosts(l);
        CloseHandle(l->unhang);
        free(l);
        return hr;
    }
    *out = l;
    return S_OK;
}

void fake_locator_unhang(fake_locator *l)
{
    SetEvent(l->unhang);
}

LONG fake_locator_in_flight(fake_locator *l) { return InterlockedCompareExchange(&l->in_flight, 0, 0); }
LONG fake_locator_peak_in_flight(fake_locator *l) { return InterlockedCompareExchange(&l->peak, 0, 0); }
LONG fake_locator_connect_calls(fake_locator *l) { return InterlockedCompareExchange(&l->connect_calls, 0, 0); }
LONG fake_locator_connecting(fake_locator *l) { return InterlockedCompareExchange(&l->connecting, 0, 0); }
HRESULT fake_locator_last_connect(fake_locator *l, const wchar_t *host, wchar_t *user,
                                  wchar_t *path, size_t n)
{
    const fake_host *h = find_host(l, host);
    HRESULT hr = WBEM_E_NOT_FOUND;
    if (!h) return hr;
    AcquireSRWLockShared(&l->lock);
    const struct seen *s = &l->seen[h - l->hosts];
    if (s->set) {
        if (user && n) {
            wcsncpy(user, s->user, n - 1);
            user[n - 1] = 0;
        }
        if (path && n) {
            wcsncpy(path, s->path, n - 1);
            path[n - 1] = 0;
        }
        hr = S_OK;
    }
    ReleaseSRWLockShared(&l->lock);
    return hr;
}

LONG fake_locator_refs(fake_locator *l) { return InterlockedCompareExchange(&l->refs, 0, 0); }

/* Sums f over every services handed out. */
static LONG sum_services(fake_locator *l, LONG (*f)(IWbemServices *))
{
    LONG n = 0;
    AcquireSRWLockShared(&l->lock);
    for (size_t i = 0; i < l->nservices; i++) n += f(l->services[i]);
    ReleaseSRWLockShared(&l->lock);
    return n;
}

static LONG alive(IWbemServices *svc) { return fake_services_refs(svc) > 0; }

LONG fake_locator_async_calls(fake_locator *l) { return sum_services(l, fake_services_async_calls); }
LONG fake_locator_cancel_calls(fake_locator *l) { return sum_services(l, fake_services_cancel_calls); }
LONG fake_locator_services_alive(fake_locator *l) { return sum_services(l, alive); }
LONG fake_locator_services_over_released(fake_locator *l)
{
    return sum_services(l, fake_services_over_released);
}

void fake_locator_destroy(fake_locator *l)
{
    if (!l) return;
    CoRevokeClassObject(l->cookie);
    SetEvent(l->unhang);
    while (InterlockedCompareExchange(&l->connecting, 0, 0) > 0) Sleep(5);
    for (size_t i = 0; i < l->nservices; i++) fake_services_destroy(l->services[i]);
    free(l->services);
    free_hosts(l);
    CloseHandle(l->unhang);
    free(l);
}
