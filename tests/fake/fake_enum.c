/*
 * fake_enum.c - a fake IEnumWbemClassObject (see fake_enum.h).
 *
 * One provider thread per enumerator, started with the first accepted
 * NextAsync, serves one request at a time (the request is a sink reference
 * and a count); one more may wait while a batch is being delivered (the
 * batch's SetStatus may come before the provider is done with it). e->lock guards the position and the request.
 */
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#include "fake_enum.h"
#include "fake_object.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK 8

struct fake_enum {
    IEnumWbemClassObject IEnumWbemClassObject_iface;
    LONG refs;
    fake_enum_options opt;
    SRWLOCK lock;
    CONDITION_VARIABLE idle_cv;
    HANDLE wake;             /* auto reset: a request or quit */
    HANDLE quit;             /* manual reset */
    HANDLE thread;
    /* Under lock. */
    LONG pos;                /* rows handed out */
    DWORD owed_ms;           /* Next: delay left of the current batch */
    int owing;               /* Next: a batch's delay has started */
    IWbemObjectSink *request;   /* a reference, until the batch is done */
    ULONG request_n;
    int busy;                /* a batch being delivered */
    IWbemObjectSink **kept;  /* LATE_RELEASE: references */
    size_t nkept, capkept;
    /* Counters. */
    volatile LONG over_released, next_async_calls, next_calls, largest, refused, held;
    volatile LONG64 longest_ticks;
};

static inline struct fake_enum *impl_from_IEnumWbemClassObject(IEnumWbemClassObject *iface)
{
    return (struct fake_enum *)((char *)iface - offsetof(struct fake_enum, IEnumWbemClassObject_iface));
}

static IWbemClassObject *make_row(LONG row)
{
    IWbemClassObject *o = fake_object_create(L"row");
    VARIANT v;
    if (!o)
        return NULL;
    VariantInit(&v);
    V_VT(&v) = VT_I4;
    V_I4(&v) = row;
    fake_object_put(o, L"Row", CIM_SINT32, &v);
    return o;
}

/* Rows the next batch of at most n may take, and whether the failure is
   due after them. Under lock. */
static LONG batch_size_locked(struct fake_enum *e, ULONG n, int *fails)
{
    int failing = FAILED(e->opt.fail_hr) && e->opt.fail_at <= e->opt.total;
    LONG end = failing ? (e->opt.fail_at < 0 ? 0 : e->opt.fail_at) : e->opt.total;
    LONG left = end - e->pos;
    if (left < 0)
        left = 0;
    LONG k = (ULONG)left < n ? left : (LONG)n;
    /* A batch that reaches fail_at exactly is full; the next one fails. */
    *fails = failing && e->pos + k == end && (ULONG)k < n;
    return k;
}

static void note_max(volatile LONG *v, LONG x)
{
    LONG old = *v;
    while (x > old) {
        LONG seen = InterlockedCompareExchange(v, x, old);
        if (seen == old)
            break;
        old = seen;
    }
}

static void timed_indicate(struct fake_enum *e, IWbemObjectSink *sink, LONG count, IWbemClassObject **objs)
{
    LARGE_INTEGER a, b;
    QueryPerformanceCounter(&a);
    HRESULT hr = sink->lpVtbl->Indicate(sink, count, objs);
    QueryPerformanceCounter(&b);
    LONG64 t = b.QuadPart - a.QuadPart, old = e->longest_ticks;
    while (t > old) {
        LONG64 seen = InterlockedCompareExchange64(&e->longest_ticks, t, old);
        if (seen == old)
            break;
        old = seen;
    }
    if (FAILED(hr))
        InterlockedIncrement(&e->refused);
}

struct indicate_job {
    struct fake_enum *e;
    IWbemObjectSink *sink;
    IWbemClassObject **objs;
    LONG k;
    HANDLE started;
};

static void indicate_rows(struct fake_enum *e, IWbemObjectSink *sink, IWbemClassObject **objs, LONG k)
{
    for (LONG i = 0; i < k; i += CHUNK) {
        LONG c = k - i < CHUNK ? k - i : CHUNK;
        if ((e->opt.hostile & FAKE_ENUM_NULL_ROW) && c > 1) {
            /* The chunk's rows with a NULL entry after the first. */
            IWbemClassObject *with_null[CHUNK + 1];
            with_null[0] = objs[i];
            with_null[1] = NULL;
            memcpy(with_null + 2, objs + i + 1, (size_t)(c - 1) * sizeof(*with_null));
            timed_indicate(e, sink, c + 1, with_null);
        } else {
            timed_indicate(e, sink, c, objs + i);
        }
    }
}

static DWORD WINAPI indicate_proc(void *arg)
{
    struct indicate_job *j = arg;
    SetEvent(j->started);
    /* One call for the whole batch: the SetStatus comes inside it. */
    timed_indicate(j->e, j->sink, j->k, j->objs);
    return 0;
}

/* Plays one NextAsync batch against sink (a reference the caller holds). */
static void deliver_batch(struct fake_enum *e, IWbemObjectSink *sink, ULONG n)
{
    int fails;
    AcquireSRWLockExclusive(&e->lock);
    LONG first = e->pos;
    LONG k = batch_size_locked(e, n, &fails);
    e->pos += k;
    ReleaseSRWLockExclusive(&e->lock);

    IWbemClassObject **objs = calloc(k > 0 ? (size_t)k : 1, sizeof(*objs));
    for (LONG i = 0; objs && i < k; i++)
        objs[i] = make_row(first + i);
    HRESULT hr = fails ? e->opt.fail_hr : (ULONG)k < n ? (HRESULT)WBEM_S_FALSE : (HRESULT)WBEM_S_NO_ERROR;

    if ((e->opt.hostile & FAKE_ENUM_STATUS_DURING_INDICATE) && k > 0 && objs) {
        struct indicate_job j = { e, sink, objs, k, CreateEventW(NULL, TRUE, FALSE, NULL) };
        HANDLE t = CreateThread(NULL, 0, indicate_proc, &j, 0, NULL);
        if (t) {
            /* Inside Indicate once the sink holds the first row (a sink
               AddRefs what it keeps); a sink that keeps nothing is given
               up on after a second. */
            WaitForSingleObject(j.started, INFINITE);
            for (int w = 0; w < 1000 && fake_object_refs(objs[0]) < 2; w++)
                Sleep(1);
            sink->lpVtbl->SetStatus(sink, WBEM_STATUS_COMPLETE, hr, NULL, NULL);
            WaitForSingleObject(t, INFINITE);
            CloseHandle(t);
        } else {
            indicate_rows(e, sink, objs, k);
            sink->lpVtbl->SetStatus(sink, WBEM_STATUS_COMPLETE, hr, NULL, NULL);
        }
        CloseHandle(j.started);
    } else {
        if (objs)
            indicate_rows(e, sink, objs, k);
        sink->lpVtbl->SetStatus(sink, WBEM_STATUS_COMPLETE, hr, NULL, NULL);
    }
    for (LONG i = 0; objs && i < k; i++)
        if (objs[i])
            objs[i]->lpVtbl->Release(objs[i]);
    free(objs);

    if (e->opt.hostile & FAKE_ENUM_INDICATE_AFTER_STATUS) {
        IWbemClassObject *stray = fake_object_create(L"stray");
        if (stray) {
            timed_indicate(e, sink, 1, &stray);
            stray->lpVtbl->Release(stray);
        }
        sink->lpVtbl->SetStatus(sink, WBEM_STATUS_COMPLETE, WBEM_S_NO_ERROR, NULL, NULL);
    }
}

/* The batch is over: the sink reference given back or kept. */
static void finish_batch(struct fake_enum *e, IWbemObjectSink *sink)
{
    int keep = (e->opt.hostile & FAKE_ENUM_LATE_RELEASE) != 0;
    AcquireSRWLockExclusive(&e->lock);
    if (keep && e->nkept == e->capkept) {
        size_t cap = e->capkept ? e->capkept * 2 : 16;
        IWbemObjectSink **p = realloc(e->kept, cap * sizeof(*p));
        if (p) {
            e->kept = p;
            e->capkept = cap;
        }
    }
    if (keep && e->nkept < e->capkept) {
        e->kept[e->nkept++] = sink;
        sink = NULL;
    }
    ReleaseSRWLockExclusive(&e->lock);
    if (sink && e->opt.release_delay_ms)
        WaitForSingleObject(e->quit, e->opt.release_delay_ms);
    /* Given back before the enumerator reads as idle, so a waiter sees the
       reference already dropped (and the sink's Release runs unlocked). */
    if (sink) {
        sink->lpVtbl->Release(sink);
        InterlockedDecrement(&e->held);
    }
    AcquireSRWLockExclusive(&e->lock);
    e->busy = 0;
    WakeAllConditionVariable(&e->idle_cv);
    ReleaseSRWLockExclusive(&e->lock);
}

static DWORD WINAPI provider_proc(void *arg)
{
    struct fake_enum *e = arg;
    HANDLE h[2] = { e->quit, e->wake };
    for (;;) {
        if (WaitForMultipleObjects(2, h, FALSE, INFINITE) != WAIT_OBJECT_0 + 1)
            break;
        AcquireSRWLockExclusive(&e->lock);
        IWbemObjectSink *sink = e->request;
        ULONG n = e->request_n;
        e->request = NULL;
        if (sink)
            e->busy = 1;
        ReleaseSRWLockExclusive(&e->lock);
        if (!sink)
            continue;
        if (e->opt.batch_delay_ms)
            WaitForSingleObject(e->quit, e->opt.batch_delay_ms);
        deliver_batch(e, sink, n);
        finish_batch(e, sink);
    }
    return 0;
}

/* ---- IUnknown --------------------------------------------------------- */

static ULONG STDMETHODCALLTYPE fake_enum_AddRef(IEnumWbemClassObject *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IEnumWbemClassObject(iface)->refs);
}

static ULONG STDMETHODCALLTYPE fake_enum_Release(IEnumWbemClassObject *iface)
{
    struct fake_enum *e = impl_from_IEnumWbemClassObject(iface);
    LONG old = e->refs;
    for (;;) {
        LONG seen;
        if (old <= 0) {
            InterlockedIncrement(&e->over_released);
            return 0;
        }
        seen = InterlockedCompareExchange(&e->refs, old - 1, old);
        if (seen == old)
            return (ULONG)(old - 1);
        old = seen;
    }
}

static HRESULT STDMETHODCALLTYPE fake_enum_QueryInterface(IEnumWbemClassObject *iface, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IEnumWbemClassObject)) {
        *ppv = iface;
        fake_enum_AddRef(iface);
        return S_OK;
    }
    return E_NOINTERFACE;
}

/* ---- IEnumWbemClassObject --------------------------------------------- */

static HRESULT STDMETHODCALLTYPE fake_enum_Reset(IEnumWbemClassObject *iface)
{
    (void)iface;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_enum_Next(IEnumWbemClassObject *iface, LONG timeout, ULONG n,
                                                IWbemClassObject **objs, ULONG *got)
{
    struct fake_enum *e = impl_from_IEnumWbemClassObject(iface);
    InterlockedIncrement(&e->next_calls);
    if (!objs || !got)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    *got = 0;
    note_max(&e->largest, (LONG)n);

    AcquireSRWLockExclusive(&e->lock);
    if (!e->owing) {
        e->owing = 1;
        e->owed_ms = e->opt.batch_delay_ms;
    }
    DWORD wait = e->owed_ms;
    int timed_out = 0;
    if (timeout != (LONG)WBEM_INFINITE && (DWORD)timeout < wait) {
        wait = (DWORD)timeout;
        timed_out = 1;
    }
    e->owed_ms -= wait;
    ReleaseSRWLockExclusive(&e->lock);
    if (wait)
        Sleep(wait);
    if (timed_out)
        return (HRESULT)WBEM_S_TIMEDOUT;

    AcquireSRWLockExclusive(&e->lock);
    e->owing = 0;
    LONG first = e->pos, end = e->opt.total;
    int fail_due = FAILED(e->opt.fail_hr) && e->opt.fail_at <= e->opt.total;
    if (fail_due)
        end = e->opt.fail_at;
    LONG k = end - first;
    if (k < 0)
        k = 0;
    if ((ULONG)k > n)
        k = (LONG)n;
    e->pos += k;
    ReleaseSRWLockExclusive(&e->lock);

    for (LONG i = 0; i < k; i++)
        objs[i] = (e->opt.hostile & FAKE_ENUM_NULL_ROW) && i == 1 ? NULL : make_row(first + i);
    *got = (ULONG)k;
    if ((e->opt.hostile & FAKE_ENUM_COUNT_PLUS_5) && (ULONG)k < n)
        *got = (ULONG)k + 5;
    if (e->opt.hostile & FAKE_ENUM_COUNT_ALL_ONES)
        *got = 0xFFFFFFFFu;
    if ((ULONG)k == n)
        return (HRESULT)WBEM_S_NO_ERROR;
    if (fail_due)
        return k ? (HRESULT)WBEM_S_TIMEDOUT : e->opt.fail_hr;
    return (HRESULT)WBEM_S_FALSE;
}

static HRESULT STDMETHODCALLTYPE fake_enum_NextAsync(IEnumWbemClassObject *iface, ULONG n, IWbemObjectSink *sink)
{
    struct fake_enum *e = impl_from_IEnumWbemClassObject(iface);
    if (!sink)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    if (e->opt.next_async == FAKE_ENUM_NOTIMPL)
        return E_NOTIMPL;
    if (e->opt.next_async == FAKE_ENUM_NOT_SUPPORTED)
        return (HRESULT)WBEM_E_NOT_SUPPORTED;

    AcquireSRWLockExclusive(&e->lock);
    if (e->request || (e->busy && (e->opt.hostile & FAKE_ENUM_SYNC_DELIVERY))) {
        ReleaseSRWLockExclusive(&e->lock);
        return (HRESULT)WBEM_E_UNEXPECTED;
    }
    int fails;
    LONG k = batch_size_locked(e, n, &fails);
    if (k == 0 && !fails) {
        ReleaseSRWLockExclusive(&e->lock);
        return (HRESULT)WBEM_S_FALSE;
    }
    if (!e->thread && !(e->opt.hostile & FAKE_ENUM_SYNC_DELIVERY)) {
        e->thread = CreateThread(NULL, 0, provider_proc, e, 0, NULL);
        if (!e->thread) {
            ReleaseSRWLockExclusive(&e->lock);
            return (HRESULT)WBEM_E_OUT_OF_MEMORY;
        }
    }
    sink->lpVtbl->AddRef(sink);
    InterlockedIncrement(&e->held);
    InterlockedIncrement(&e->next_async_calls);
    note_max(&e->largest, (LONG)n);
    if (e->opt.hostile & FAKE_ENUM_SYNC_DELIVERY) {
        e->busy = 1;
        ReleaseSRWLockExclusive(&e->lock);
        deliver_batch(e, sink, n);
        finish_batch(e, sink);
        return (HRESULT)WBEM_S_NO_ERROR;
    }
    e->request = sink;
    e->request_n = n;
    ReleaseSRWLockExclusive(&e->lock);
    SetEvent(e->wake);
    return (HRESULT)WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE fake_enum_Clone(IEnumWbemClassObject *iface, IEnumWbemClassObject **out)
{
    (void)iface;
    if (out)
        *out = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_enum_Skip(IEnumWbemClassObject *iface, LONG timeout, ULONG n)
{
    (void)iface; (void)timeout; (void)n;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static const IEnumWbemClassObjectVtbl fake_enum_vtbl = {
    fake_enum_QueryInterface,
    fake_enum_AddRef,
    fake_enum_Release,
    fake_enum_Reset,
    fake_enum_Next,
    fake_enum_NextAsync,
    fake_enum_Clone,
    fake_enum_Skip,
};

/* ---- public API ------------------------------------------------------- */

IEnumWbemClassObject *fake_enum_create(const fake_enum_options *options)
{
    struct fake_enum *e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    e->IEnumWbemClassObject_iface.lpVtbl = &fake_enum_vtbl;
    e->refs = 1;
    if (options)
        e->opt = *options;
    InitializeSRWLock(&e->lock);
    InitializeConditionVariable(&e->idle_cv);
    e->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    e->quit = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!e->wake || !e->quit) {
        if (e->wake)
            CloseHandle(e->wake);
        if (e->quit)
            CloseHandle(e->quit);
        free(e);
        return NULL;
    }
    return &e->IEnumWbemClassObject_iface;
}

#define E_(iface) impl_from_IEnumWbemClassObject(iface)
LONG fake_enum_refs(IEnumWbemClassObject *e) { return InterlockedCompareExchange(&E_(e)->refs, 0, 0); }
LONG fake_enum_over_released(IEnumWbemClassObject *e) { return InterlockedCompareExchange(&E_(e)->over_released, 0, 0); }
LONG fake_enum_next_async_calls(IEnumWbemClassObject *e) { return InterlockedCompareExchange(&E_(e)->next_async_calls, 0, 0); }
LONG fake_enum_next_calls(IEnumWbemClassObject *e) { return InterlockedCompareExchange(&E_(e)->next_calls, 0, 0); }
LONG fake_enum_largest_request(IEnumWbemClassObject *e) { return InterlockedCompareExchange(&E_(e)->largest, 0, 0); }
LONG fake_enum_refused(IEnumWbemClassObject *e) { return InterlockedCompareExchange(&E_(e)->refused, 0, 0); }
LONG fake_enum_sinks_held(IEnumWbemClassObject *e) { return InterlockedCompareExchange(&E_(e)->held, 0, 0); }

LONG fake_enum_rows_out(IEnumWbemClassObject *iface)
{
    struct fake_enum *e = E_(iface);
    AcquireSRWLockShared(&e->lock);
    LONG n = e->pos;
    ReleaseSRWLockShared(&e->lock);
    return n;
}

double fake_enum_longest_indicate_us(IEnumWbemClassObject *iface)
{
    LARGE_INTEGER f;
    QueryPerformanceFrequency(&f);
    return (double)InterlockedCompareExchange64(&E_(iface)->longest_ticks, 0, 0) * 1e6 / (double)f.QuadPart;
}

void fake_enum_wait_idle(IEnumWbemClassObject *iface)
{
    struct fake_enum *e = E_(iface);
    AcquireSRWLockExclusive(&e->lock);
    while (e->busy || e->request)
        SleepConditionVariableSRW(&e->idle_cv, &e->lock, INFINITE, 0);
    ReleaseSRWLockExclusive(&e->lock);
}

void fake_enum_destroy(IEnumWbemClassObject *iface)
{
    if (!iface)
        return;
    struct fake_enum *e = E_(iface);
    SetEvent(e->quit);
    if (e->thread) {
        WaitForSingleObject(e->thread, INFINITE);
        CloseHandle(e->thread);
    }
    if (e->request) {   /* asked, never started */
        e->request->lpVtbl->Release(e->request);
        InterlockedDecrement(&e->held);
    }
    for (size_t i = 0; i < e->nkept; i++) {
        e->kept[i]->lpVtbl->Release(e->kept[i]);
        InterlockedDecrement(&e->held);
    }
    free(e->kept);
    CloseHandle(e->wake);
    CloseHandle(e->quit);
    free(e);
}
