/*
 * fake_services.c - a scripted fake IWbemServices (see fake_services.h).
 *
 * COM in C the Wine way: the interface is the first member of the
 * implementation struct, impl_from_IWbemServices() gets back to it, the
 * vtable is a static const table.
 *
 * Each accepted *Async call becomes a struct fake_call holding one sink
 * reference, its own copy of the script and its player threads. The call
 * "finishes" when its last player is done and the sink has been Released;
 * calls stay in svc->calls until fake_services_wait_idle() joins their
 * threads. svc->lock (an SRWLOCK) guards the list and the per-call
 * remaining/finished fields; finished_cv is signalled whenever a call
 * finishes.
 */
#ifndef CONST_VTABLE
#define CONST_VTABLE   /* const vtables in the interface structs */
#endif
#include "fake_services.h"
#include "fake_object.h"
#include "fake_enum.h"

#include <stdlib.h>
#include <string.h>

struct fake_script {
    fake_step *steps;        /* owned, ends with FAKE_END, params owned */
    int repeat;
};

struct fake_player {
    struct fake_call *call;
    HANDLE thread;
    volatile LONG tid;       /* written by the player itself before any sink call */
};

struct fake_call {
    struct fake_services *svc;
    IWbemObjectSink *sink;   /* one reference, Released when the call finishes */
    struct fake_script script;
    HANDLE cancel_event;     /* manual reset, set by CancelAsyncCall */
    volatile LONG cancelled;
    LONG remaining;          /* players still running + the starter's guard */
    BOOL finished;           /* sink Released, no player will touch it again */
    int nplayers;
    struct fake_player *players;
    struct fake_call *next;
};

struct fake_services {
    IWbemServices IWbemServices_iface;
    LONG refs;
    SRWLOCK lock;
    CONDITION_VARIABLE finished_cv;
    SRWLOCK reap_lock;       /* serializes wait_idle / destroy */
    struct fake_script script;
    BOOL fail_pending;
    HRESULT fail_hr;
    struct fake_call *calls;
    LONG pending;
    volatile LONG async_calls;
    volatile LONG last_indicate_hr;
    volatile LONG indicate_failures;
    volatile LONG cancel_calls;
    volatile LONG cancel_reentrant;
    volatile LONG over_released;
    /* ExecQuery / CreateInstanceEnum (under lock) */
    BOOL enum_set;
    fake_enum_options enum_opt;
    IEnumWbemClassObject **enums;   /* every one made, destroyed with svc */
    size_t nenums, capenums;
    /* fake_services_object_name, fake_services_on_last_release (set once,
       before the object is handed out) */
    wchar_t *object_name;
    void (*last_release)(void *context, IWbemServices *svc);
    void *last_release_context;
    /* Methods and writes (under lock) */
    IWbemClassObject *result;       /* a reference: FAKE_INDICATE_RESULT, ExecMethod's out */
    struct fake_class { WCHAR *path; IWbemClassObject *cls; } *classes;
    size_t nclasses;
    BOOL sync_set;
    HRESULT sync_hr;
    DWORD sync_delay_ms;
    HANDLE sync_gate;               /* manual reset: set cuts sync delays short */
    volatile LONG sync_calls;
    WCHAR *sync_path;               /* PutInstance's IWbemCallResult string, or NULL */
    fake_call_record last;          /* strings owned by the record's buffers */
};

static inline struct fake_services *impl_from_IWbemServices(IWbemServices *iface)
{
    return (struct fake_services *)((char *)iface - offsetof(struct fake_services, IWbemServices_iface));
}

/* ---- scripts ---------------------------------------------------------- */

static void script_free(struct fake_script *s)
{
    fake_step *p;
    if (!s->steps)
        return;
    for (p = s->steps; p->kind != FAKE_END; p++)
        free((void *)p->param);
    free(s->steps);
    s->steps = NULL;
}

/* Deep copy of a FAKE_END-terminated array; FALSE when out of memory. */
static BOOL script_copy(struct fake_script *dst, const fake_step *steps, int repeat)
{
    size_t n = 0, i;
    fake_step *copy;

    while (steps[n].kind != FAKE_END)
        n++;
    copy = calloc(n + 1, sizeof(*copy));
    if (!copy)
        return FALSE;
    for (i = 0; i <= n; i++) {
        copy[i] = steps[i];
        copy[i].param = NULL;
    }
    for (i = 0; i < n; i++) {
        if (steps[i].param) {
            size_t len = wcslen(steps[i].param) + 1;
            wchar_t *p = malloc(len * sizeof(wchar_t));
            if (!p) {
                struct fake_script tmp;
                tmp.steps = copy;
                script_free(&tmp);
                return FALSE;
            }
            memcpy(p, steps[i].param, len * sizeof(wchar_t));
            copy[i].param = p;
        }
    }
    dst->steps = copy;
    dst->repeat = repeat < 1 ? 1 : repeat;
    return TRUE;
}

/* ---- calls and players ------------------------------------------------ */

static void call_free(struct fake_call *call)
{
    int i;
    for (i = 0; i < call->nplayers; i++)
        if (call->players[i].thread)
            CloseHandle(call->players[i].thread);
    free(call->players);
    if (call->cancel_event)
        CloseHandle(call->cancel_event);
    script_free(&call->script);
    free(call);
}

/* One player (or the starter's guard) is done with the call; the last one
   Releases the sink and marks the call finished. */
static void call_player_done(struct fake_call *call)
{
    struct fake_services *svc = call->svc;
    BOOL last;

    AcquireSRWLockExclusive(&svc->lock);
    last = --call->remaining == 0;
    ReleaseSRWLockExclusive(&svc->lock);
    if (!last)
        return;

    call->sink->lpVtbl->Release(call->sink);

    AcquireSRWLockExclusive(&svc->lock);
    call->finished = TRUE;
    svc->pending--;
    WakeAllConditionVariable(&svc->finished_cv);
    ReleaseSRWLockExclusive(&svc->lock);
}

static void play_indicate(struct fake_call *call, LONG count)
{
    struct fake_services *svc = call->svc;
    IWbemClassObject **objs;
    LONG i;
    HRESULT hr;

    objs = calloc(count > 0 ? (size_t)count : 1, sizeof(*objs));
    if (!objs)
        return;
    for (i = 0; i < count; i++)
        objs[i] = fake_object_create(svc->object_name ? svc->object_name : L"fake");

    hr = call->sink->lpVtbl->Indicate(call->sink, count, objs);
    InterlockedExchange(&svc->last_indicate_hr, hr);
    if (FAILED(hr))
        InterlockedIncrement(&svc->indicate_failures);

    for (i = 0; i < count; i++)
        if (objs[i])
            objs[i]->lpVtbl->Release(objs[i]);
    free(objs);
}

static void play_status(struct fake_call *call, const fake_step *step)
{
    BSTR param = step->param ? SysAllocString(step->param) : NULL;
    IWbemClassObject *obj = step->with_object ? fake_object_create(L"__ExtendedStatus") : NULL;

    call->sink->lpVtbl->SetStatus(call->sink, step->flags, step->hr, param, obj);

    if (obj)
        obj->lpVtbl->Release(obj);
    SysFreeString(param);
}

static void play_result(struct fake_call *call)
{
    struct fake_services *svc = call->svc;
    IWbemClassObject *obj;
    HRESULT hr;

    AcquireSRWLockExclusive(&svc->lock);
    obj = svc->result;
    if (obj)
        obj->lpVtbl->AddRef(obj);
    ReleaseSRWLockExclusive(&svc->lock);
    if (!obj)
        return;
    hr = call->sink->lpVtbl->Indicate(call->sink, 1, &obj);
    InterlockedExchange(&svc->last_indicate_hr, hr);
    if (FAILED(hr))
        InterlockedIncrement(&svc->indicate_failures);
    obj->lpVtbl->Release(obj);
}

/* Notes a call's arguments for fake_services_last_call. */
static void record_call(struct fake_services *svc, const char *api, const WCHAR *path, const WCHAR *method,
                        IWbemClassObject *object, LONG flags)
{
    AcquireSRWLockExclusive(&svc->lock);
    svc->last.api = api;
    lstrcpynW(svc->last.path, path ? path : L"", (int)(sizeof(svc->last.path) / sizeof(WCHAR)));
    lstrcpynW(svc->last.method, method ? method : L"", (int)(sizeof(svc->last.method) / sizeof(WCHAR)));
    svc->last.object = object;
    svc->last.flags = flags;
    ReleaseSRWLockExclusive(&svc->lock);
}

/* The scripted synchronous calls: wait the delay (cut short by the gate),
   count, answer. Returns FALSE (WBEM_E_NOT_SUPPORTED) until scripted. */
static BOOL sync_call(struct fake_services *svc, HRESULT *hr, IWbemClassObject **result)
{
    DWORD delay;
    AcquireSRWLockExclusive(&svc->lock);
    if (!svc->sync_set) {
        ReleaseSRWLockExclusive(&svc->lock);
        return FALSE;
    }
    delay = svc->sync_delay_ms;
    ReleaseSRWLockExclusive(&svc->lock);
    InterlockedIncrement(&svc->sync_calls);
    if (delay)
        WaitForSingleObject(svc->sync_gate, delay);
    AcquireSRWLockExclusive(&svc->lock);
    *hr = svc->sync_hr;
    if (result) {
        *result = SUCCEEDED(*hr) ? svc->result : NULL;
        if (*result)
            (*result)->lpVtbl->AddRef(*result);
    }
    ReleaseSRWLockExclusive(&svc->lock);
    return TRUE;
}

static DWORD WINAPI player_proc(void *arg)
{
    struct fake_player *player = arg;
    struct fake_call *call = player->call;
    const fake_step *step;

    /* No CoInitialize here, like Wine's thread pool. */
    InterlockedExchange(&player->tid, (LONG)GetCurrentThreadId());

    for (step = call->script.steps; step->kind != FAKE_END; step++) {
        if (call->cancelled)
            break;
        switch (step->kind) {
        case FAKE_INDICATE:
            play_indicate(call, step->count);
            break;
        case FAKE_STATUS:
            play_status(call, step);
            break;
        case FAKE_SLEEP:
            WaitForSingleObject(call->cancel_event, step->ms);
            break;
        case FAKE_WAIT_CANCEL:
            WaitForSingleObject(call->cancel_event, INFINITE);
            break;
        case FAKE_LOOP:
            /* back to the first step (the loop ends at the cancel check) */
            step = call->script.steps - 1;
            break;
        case FAKE_INDICATE_RESULT:
            play_result(call);
            break;
        case FAKE_END:
        default:
            break;
        }
    }

    call_player_done(call);
    return 0;
}

/* Common body of every scripted *Async method. */
static HRESULT start_call(struct fake_services *svc, IWbemObjectSink *sink)
{
    struct fake_call *call;
    int i, started = 0;

    if (!sink)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;

    call = calloc(1, sizeof(*call));
    if (!call)
        return (HRESULT)WBEM_E_OUT_OF_MEMORY;
    call->svc = svc;
    call->cancel_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!call->cancel_event) {
        call_free(call);
        return (HRESULT)WBEM_E_OUT_OF_MEMORY;
    }

    AcquireSRWLockExclusive(&svc->lock);
    if (svc->fail_pending) {
        HRESULT hr = svc->fail_hr;
        svc->fail_pending = FALSE;
        ReleaseSRWLockExclusive(&svc->lock);
        call_free(call);
        return hr;
    }
    if (!script_copy(&call->script, svc->script.steps, svc->script.repeat)) {
        ReleaseSRWLockExclusive(&svc->lock);
        call_free(call);
        return (HRESULT)WBEM_E_OUT_OF_MEMORY;
    }
    call->nplayers = call->script.repeat;
    call->players = calloc((size_t)call->nplayers, sizeof(*call->players));
    if (!call->players) {
        ReleaseSRWLockExclusive(&svc->lock);
        call_free(call);
        return (HRESULT)WBEM_E_OUT_OF_MEMORY;
    }
    sink->lpVtbl->AddRef(sink);
    call->sink = sink;
    call->remaining = call->nplayers + 1;   /* + the guard dropped below */
    call->next = svc->calls;
    svc->calls = call;
    svc->pending++;
    ReleaseSRWLockExclusive(&svc->lock);
    InterlockedIncrement(&svc->async_calls);

    for (i = 0; i < call->nplayers; i++) {
        call->players[i].call = call;
        call->players[i].thread = CreateThread(NULL, 0, player_proc, &call->players[i], 0, NULL);
        if (call->players[i].thread)
            started++;
    }
    if (started < call->nplayers) {
        AcquireSRWLockExclusive(&svc->lock);
        call->remaining -= call->nplayers - started;
        ReleaseSRWLockExclusive(&svc->lock);
    }
    call_player_done(call);   /* drop the guard */
    return started ? (HRESULT)WBEM_S_NO_ERROR : (HRESULT)WBEM_E_OUT_OF_MEMORY;
}

/* TRUE when some cancelled call has not finished yet. Called under svc->lock. */
static BOOL cancelled_running(struct fake_services *svc)
{
    struct fake_call *call;
    for (call = svc->calls; call; call = call->next)
        if (call->cancelled && !call->finished)
            return TRUE;
    return FALSE;
}

/* Marks every running call cancelled. Returns TRUE when the current thread is
   one of their players. Called under svc->lock. */
static BOOL cancel_running(struct fake_services *svc)
{
    DWORD me = GetCurrentThreadId();
    BOOL reentrant = FALSE;
    struct fake_call *call;
    int i;

    for (call = svc->calls; call; call = call->next) {
        if (call->finished)
            continue;
        InterlockedExchange(&call->cancelled, 1);
        SetEvent(call->cancel_event);
        for (i = 0; i < call->nplayers; i++)
            if ((DWORD)call->players[i].tid == me)
                reentrant = TRUE;
    }
    return reentrant;
}

/* ExecQuery and CreateInstanceEnum: a new fake enumerator when one is set. */
static HRESULT make_enum(struct fake_services *svc, IEnumWbemClassObject **out)
{
    IEnumWbemClassObject *e;
    HRESULT hr;

    if (!out)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    *out = NULL;
    AcquireSRWLockExclusive(&svc->lock);
    if (!svc->enum_set) {
        ReleaseSRWLockExclusive(&svc->lock);
        return (HRESULT)WBEM_E_NOT_SUPPORTED;
    }
    if (svc->fail_pending) {
        hr = svc->fail_hr;
        svc->fail_pending = FALSE;
        ReleaseSRWLockExclusive(&svc->lock);
        return hr;
    }
    if (svc->nenums == svc->capenums) {
        size_t cap = svc->capenums ? svc->capenums * 2 : 8;
        IEnumWbemClassObject **p = realloc(svc->enums, cap * sizeof(*p));
        if (!p) {
            ReleaseSRWLockExclusive(&svc->lock);
            return (HRESULT)WBEM_E_OUT_OF_MEMORY;
        }
        svc->enums = p;
        svc->capenums = cap;
    }
    e = fake_enum_create(&svc->enum_opt);
    if (!e) {
        ReleaseSRWLockExclusive(&svc->lock);
        return (HRESULT)WBEM_E_OUT_OF_MEMORY;
    }
    svc->enums[svc->nenums++] = e;
    ReleaseSRWLockExclusive(&svc->lock);
    *out = e;
    return (HRESULT)WBEM_S_NO_ERROR;
}

/* ---- a call result (the synchronous PutInstance's) ---------------------- */

struct fake_result {
    IWbemCallResult IWbemCallResult_iface;
    LONG refs;
    BSTR path;
};

static volatile LONG call_results_live;

static inline struct fake_result *impl_from_IWbemCallResult(IWbemCallResult *iface)
{
    return (struct fake_result *)((char *)iface - offsetof(struct fake_result, IWbemCallResult_iface));
}

static HRESULT STDMETHODCALLTYPE result_QueryInterface(IWbemCallResult *iface, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemCallResult)) {
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return S_OK;
    }
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE result_AddRef(IWbemCallResult *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IWbemCallResult(iface)->refs);
}

static ULONG STDMETHODCALLTYPE result_Release(IWbemCallResult *iface)
{
    struct fake_result *r = impl_from_IWbemCallResult(iface);
    LONG refs = InterlockedDecrement(&r->refs);
    if (refs == 0) {
        SysFreeString(r->path);
        free(r);
        InterlockedDecrement(&call_results_live);
    }
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE result_GetResultObject(IWbemCallResult *iface, LONG timeout,
                                                        IWbemClassObject **out)
{
    (void)iface; (void)timeout;
    if (out)
        *out = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE result_GetResultString(IWbemCallResult *iface, LONG timeout, BSTR *out)
{
    struct fake_result *r = impl_from_IWbemCallResult(iface);
    (void)timeout;
    if (!out)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    *out = SysAllocString(r->path);
    return *out ? (HRESULT)WBEM_S_NO_ERROR : (HRESULT)WBEM_E_OUT_OF_MEMORY;
}

static HRESULT STDMETHODCALLTYPE result_GetResultServices(IWbemCallResult *iface, LONG timeout,
                                                          IWbemServices **out)
{
    (void)iface; (void)timeout;
    if (out)
        *out = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE result_GetCallStatus(IWbemCallResult *iface, LONG timeout, LONG *status)
{
    (void)iface; (void)timeout;
    if (status)
        *status = WBEM_S_NO_ERROR;
    return (HRESULT)WBEM_S_NO_ERROR;
}

static const IWbemCallResultVtbl fake_result_vtbl = {
    result_QueryInterface, result_AddRef, result_Release, result_GetResultObject,
    result_GetResultString, result_GetResultServices, result_GetCallStatus,
};

/* A new call result answering `path`, or NULL (no path set, or no memory). */
static IWbemCallResult *make_result(const WCHAR *path)
{
    struct fake_result *r;
    if (!path || !(r = calloc(1, sizeof(*r))))
        return NULL;
    r->IWbemCallResult_iface.lpVtbl = &fake_result_vtbl;
    r->refs = 1;
    if (!(r->path = SysAllocString(path))) {
        free(r);
        return NULL;
    }
    InterlockedIncrement(&call_results_live);
    return &r->IWbemCallResult_iface;
}

LONG fake_services_call_results_live(void)
{
    return InterlockedCompareExchange(&call_results_live, 0, 0);
}

void fake_services_sync_path(IWbemServices *iface, const wchar_t *path)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    WCHAR *copy = NULL;
    if (path) {
        size_t len = wcslen(path) + 1;
        if ((copy = malloc(len * sizeof(WCHAR))))
            memcpy(copy, path, len * sizeof(WCHAR));
    }
    AcquireSRWLockExclusive(&svc->lock);
    free(svc->sync_path);
    svc->sync_path = copy;
    ReleaseSRWLockExclusive(&svc->lock);
}

/* ---- IUnknown --------------------------------------------------------- */

static ULONG STDMETHODCALLTYPE fake_services_AddRef(IWbemServices *iface)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    return (ULONG)InterlockedIncrement(&svc->refs);
}

static ULONG STDMETHODCALLTYPE fake_services_Release(IWbemServices *iface)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    LONG old = svc->refs;
    for (;;) {
        LONG seen;
        if (old <= 0) {
            InterlockedIncrement(&svc->over_released);
            return 0;
        }
        seen = InterlockedCompareExchange(&svc->refs, old - 1, old);
        if (seen == old) {
            if (old == 1 && svc->last_release)
                svc->last_release(svc->last_release_context, iface);
            return (ULONG)(old - 1);
        }
        old = seen;
    }
}

static HRESULT STDMETHODCALLTYPE fake_services_QueryInterface(IWbemServices *iface, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (!riid)
        return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemServices)) {
        *ppv = iface;
        fake_services_AddRef(iface);
        return S_OK;
    }
    return E_NOINTERFACE;
}

/* ---- IWbemServices ---------------------------------------------------- */

static HRESULT STDMETHODCALLTYPE fake_services_OpenNamespace(IWbemServices *iface, const BSTR ns, LONG flags,
                                                             IWbemContext *ctx, IWbemServices **out,
                                                             IWbemCallResult **result)
{
    (void)iface; (void)ns; (void)flags; (void)ctx;
    if (out)
        *out = NULL;
    if (result)
        *result = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_CancelAsyncCall(IWbemServices *iface, IWbemObjectSink *sink)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);

    if (!sink)
        return (HRESULT)WBEM_E_INVALID_PARAMETER;
    InterlockedIncrement(&svc->cancel_calls);

    AcquireSRWLockExclusive(&svc->lock);
    if (cancel_running(svc)) {
        /* From inside the sink: waiting for ourselves would deadlock. */
        ReleaseSRWLockExclusive(&svc->lock);
        InterlockedIncrement(&svc->cancel_reentrant);
        return (HRESULT)WBEM_S_NO_ERROR;
    }
    while (cancelled_running(svc))
        SleepConditionVariableSRW(&svc->finished_cv, &svc->lock, INFINITE, 0);
    ReleaseSRWLockExclusive(&svc->lock);
    return (HRESULT)WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE fake_services_QueryObjectSink(IWbemServices *iface, LONG flags,
                                                               IWbemObjectSink **out)
{
    (void)iface; (void)flags;
    if (out)
        *out = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_GetObject(IWbemServices *iface, const BSTR path, LONG flags,
                                                         IWbemContext *ctx, IWbemClassObject **out,
                                                         IWbemCallResult **result)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    HRESULT hr = (HRESULT)WBEM_E_NOT_SUPPORTED;
    size_t i;
    (void)flags; (void)ctx;
    if (out)
        *out = NULL;
    if (result)
        *result = NULL;
    AcquireSRWLockExclusive(&svc->lock);
    if (svc->nclasses) {
        hr = (HRESULT)WBEM_E_NOT_FOUND;
        for (i = 0; path && out && i < svc->nclasses; i++) {
            if (lstrcmpiW(svc->classes[i].path, path))
                continue;
            *out = svc->classes[i].cls;
            (*out)->lpVtbl->AddRef(*out);
            hr = (HRESULT)WBEM_S_NO_ERROR;
            break;
        }
    }
    ReleaseSRWLockExclusive(&svc->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE fake_services_GetObjectAsync(IWbemServices *iface, const BSTR path, LONG flags,
                                                              IWbemContext *ctx, IWbemObjectSink *sink)
{
    (void)path; (void)flags; (void)ctx;
    return start_call(impl_from_IWbemServices(iface), sink);
}

static HRESULT STDMETHODCALLTYPE fake_services_PutClass(IWbemServices *iface, IWbemClassObject *obj, LONG flags,
                                                        IWbemContext *ctx, IWbemCallResult **result)
{
    (void)iface; (void)obj; (void)flags; (void)ctx;
    if (result)
        *result = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_PutClassAsync(IWbemServices *iface, IWbemClassObject *obj,
                                                             LONG flags, IWbemContext *ctx, IWbemObjectSink *sink)
{
    (void)iface; (void)obj; (void)flags; (void)ctx; (void)sink;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_DeleteClass(IWbemServices *iface, const BSTR cls, LONG flags,
                                                           IWbemContext *ctx, IWbemCallResult **result)
{
    (void)iface; (void)cls; (void)flags; (void)ctx;
    if (result)
        *result = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_DeleteClassAsync(IWbemServices *iface, const BSTR cls, LONG flags,
                                                                IWbemContext *ctx, IWbemObjectSink *sink)
{
    (void)iface; (void)cls; (void)flags; (void)ctx; (void)sink;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_CreateClassEnum(IWbemServices *iface, const BSTR super, LONG flags,
                                                               IWbemContext *ctx, IEnumWbemClassObject **out)
{
    (void)iface; (void)super; (void)flags; (void)ctx;
    if (out)
        *out = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_CreateClassEnumAsync(IWbemServices *iface, const BSTR super,
                                                                    LONG flags, IWbemContext *ctx,
                                                                    IWbemObjectSink *sink)
{
    (void)iface; (void)super; (void)flags; (void)ctx; (void)sink;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_PutInstance(IWbemServices *iface, IWbemClassObject *inst,
                                                           LONG flags, IWbemContext *ctx,
                                                           IWbemCallResult **result)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    HRESULT hr;
    (void)ctx;
    if (result)
        *result = NULL;
    record_call(svc, "PutInstance", NULL, NULL, inst, flags);
    if (!sync_call(svc, &hr, NULL))
        return (HRESULT)WBEM_E_NOT_SUPPORTED;
    if (SUCCEEDED(hr) && result) {
        AcquireSRWLockExclusive(&svc->lock);
        *result = make_result(svc->sync_path);
        ReleaseSRWLockExclusive(&svc->lock);
    }
    return hr;
}

static HRESULT STDMETHODCALLTYPE fake_services_PutInstanceAsync(IWbemServices *iface, IWbemClassObject *inst,
                                                                LONG flags, IWbemContext *ctx,
                                                                IWbemObjectSink *sink)
{
    (void)ctx;
    record_call(impl_from_IWbemServices(iface), "PutInstanceAsync", NULL, NULL, inst, flags);
    return start_call(impl_from_IWbemServices(iface), sink);
}

static HRESULT STDMETHODCALLTYPE fake_services_DeleteInstance(IWbemServices *iface, const BSTR path, LONG flags,
                                                              IWbemContext *ctx, IWbemCallResult **result)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    HRESULT hr;
    (void)ctx;
    if (result)
        *result = NULL;
    record_call(svc, "DeleteInstance", path, NULL, NULL, flags);
    return sync_call(svc, &hr, NULL) ? hr : (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_DeleteInstanceAsync(IWbemServices *iface, const BSTR path,
                                                                   LONG flags, IWbemContext *ctx,
                                                                   IWbemObjectSink *sink)
{
    (void)ctx;
    record_call(impl_from_IWbemServices(iface), "DeleteInstanceAsync", path, NULL, NULL, flags);
    return start_call(impl_from_IWbemServices(iface), sink);
}

static HRESULT STDMETHODCALLTYPE fake_services_CreateInstanceEnum(IWbemServices *iface, const BSTR filter,
                                                                  LONG flags, IWbemContext *ctx,
                                                                  IEnumWbemClassObject **out)
{
    (void)filter; (void)flags; (void)ctx;
    return make_enum(impl_from_IWbemServices(iface), out);
}

static HRESULT STDMETHODCALLTYPE fake_services_CreateInstanceEnumAsync(IWbemServices *iface, const BSTR filter,
                                                                       LONG flags, IWbemContext *ctx,
                                                                       IWbemObjectSink *sink)
{
    (void)filter; (void)flags; (void)ctx;
    return start_call(impl_from_IWbemServices(iface), sink);
}

static HRESULT STDMETHODCALLTYPE fake_services_ExecQuery(IWbemServices *iface, const BSTR lang, const BSTR query,
                                                         LONG flags, IWbemContext *ctx,
                                                         IEnumWbemClassObject **out)
{
    (void)lang; (void)query; (void)flags; (void)ctx;
    return make_enum(impl_from_IWbemServices(iface), out);
}

static HRESULT STDMETHODCALLTYPE fake_services_ExecQueryAsync(IWbemServices *iface, const BSTR lang,
                                                              const BSTR query, LONG flags, IWbemContext *ctx,
                                                              IWbemObjectSink *sink)
{
    (void)lang; (void)query; (void)flags; (void)ctx;
    return start_call(impl_from_IWbemServices(iface), sink);
}

static HRESULT STDMETHODCALLTYPE fake_services_ExecNotificationQuery(IWbemServices *iface, const BSTR lang,
                                                                     const BSTR query, LONG flags,
                                                                     IWbemContext *ctx,
                                                                     IEnumWbemClassObject **out)
{
    (void)iface; (void)lang; (void)query; (void)flags; (void)ctx;
    if (out)
        *out = NULL;
    return (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_ExecNotificationQueryAsync(IWbemServices *iface, const BSTR lang,
                                                                          const BSTR query, LONG flags,
                                                                          IWbemContext *ctx,
                                                                          IWbemObjectSink *sink)
{
    (void)lang; (void)query; (void)flags; (void)ctx;
    return start_call(impl_from_IWbemServices(iface), sink);
}

static HRESULT STDMETHODCALLTYPE fake_services_ExecMethod(IWbemServices *iface, const BSTR path,
                                                          const BSTR method, LONG flags, IWbemContext *ctx,
                                                          IWbemClassObject *in, IWbemClassObject **out,
                                                          IWbemCallResult **result)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    HRESULT hr;
    (void)ctx;
    if (out)
        *out = NULL;
    if (result)
        *result = NULL;
    record_call(svc, "ExecMethod", path, method, in, flags);
    return sync_call(svc, &hr, out) ? hr : (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE fake_services_ExecMethodAsync(IWbemServices *iface, const BSTR path,
                                                               const BSTR method, LONG flags, IWbemContext *ctx,
                                                               IWbemClassObject *in, IWbemObjectSink *sink)
{
    (void)ctx;
    record_call(impl_from_IWbemServices(iface), "ExecMethodAsync", path, method, in, flags);
    return start_call(impl_from_IWbemServices(iface), sink);
}

static const IWbemServicesVtbl fake_services_vtbl = {
    fake_services_QueryInterface,
    fake_services_AddRef,
    fake_services_Release,
    fake_services_OpenNamespace,
    fake_services_CancelAsyncCall,
    fake_services_QueryObjectSink,
    fake_services_GetObject,
    fake_services_GetObjectAsync,
    fake_services_PutClass,
    fake_services_PutClassAsync,
    fake_services_DeleteClass,
    fake_services_DeleteClassAsync,
    fake_services_CreateClassEnum,
    fake_services_CreateClassEnumAsync,
    fake_services_PutInstance,
    fake_services_PutInstanceAsync,
    fake_services_DeleteInstance,
    fake_services_DeleteInstanceAsync,
    fake_services_CreateInstanceEnum,
    fake_services_CreateInstanceEnumAsync,
    fake_services_ExecQuery,
    fake_services_ExecQueryAsync,
    fake_services_ExecNotificationQuery,
    fake_services_ExecNotificationQueryAsync,
    fake_services_ExecMethod,
    fake_services_ExecMethodAsync,
};

/* ---- public API ------------------------------------------------------- */

IWbemServices *fake_services_create(void)
{
    static const fake_step default_script[] = { FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END };
    struct fake_services *svc = calloc(1, sizeof(*svc));

    if (!svc)
        return NULL;
    svc->IWbemServices_iface.lpVtbl = &fake_services_vtbl;
    svc->refs = 1;
    InitializeSRWLock(&svc->lock);
    InitializeSRWLock(&svc->reap_lock);
    InitializeConditionVariable(&svc->finished_cv);
    svc->last_indicate_hr = S_OK;
    svc->sync_gate = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!svc->sync_gate || !script_copy(&svc->script, default_script, 1)) {
        if (svc->sync_gate)
            CloseHandle(svc->sync_gate);
        free(svc);
        return NULL;
    }
    return &svc->IWbemServices_iface;
}

void fake_services_script(IWbemServices *iface, const fake_step *steps, int repeat_threads)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    struct fake_script fresh, old;

    if (!script_copy(&fresh, steps, repeat_threads))
        abort();   /* a test helper: out of memory here is fatal */
    AcquireSRWLockExclusive(&svc->lock);
    old = svc->script;
    svc->script = fresh;
    ReleaseSRWLockExclusive(&svc->lock);
    script_free(&old);
}

void fake_services_fail_next(IWbemServices *iface, HRESULT hr)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    AcquireSRWLockExclusive(&svc->lock);
    svc->fail_pending = TRUE;
    svc->fail_hr = hr;
    ReleaseSRWLockExclusive(&svc->lock);
}

void fake_services_wait_idle(IWbemServices *iface)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    struct fake_call *calls, *call, *next;
    int i;

    AcquireSRWLockExclusive(&svc->reap_lock);

    AcquireSRWLockExclusive(&svc->lock);
    for (;;) {
        for (call = svc->calls; call; call = call->next)
            if (!call->finished)
                break;
        if (!call)
            break;
        SleepConditionVariableSRW(&svc->finished_cv, &svc->lock, INFINITE, 0);
    }
    calls = svc->calls;
    svc->calls = NULL;
    ReleaseSRWLockExclusive(&svc->lock);

    for (call = calls; call; call = next) {
        next = call->next;
        for (i = 0; i < call->nplayers; i++)
            if (call->players[i].thread)
                WaitForSingleObject(call->players[i].thread, INFINITE);
        call_free(call);
    }

    ReleaseSRWLockExclusive(&svc->reap_lock);
}

LONG fake_services_pending(IWbemServices *iface)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    LONG n;
    AcquireSRWLockShared(&svc->lock);
    n = svc->pending;
    ReleaseSRWLockShared(&svc->lock);
    return n;
}

LONG fake_services_async_calls(IWbemServices *iface)
{
    return InterlockedCompareExchange(&impl_from_IWbemServices(iface)->async_calls, 0, 0);
}

HRESULT fake_services_last_indicate_hr(IWbemServices *iface)
{
    return (HRESULT)InterlockedCompareExchange(&impl_from_IWbemServices(iface)->last_indicate_hr, 0, 0);
}

LONG fake_services_indicate_failures(IWbemServices *iface)
{
    return InterlockedCompareExchange(&impl_from_IWbemServices(iface)->indicate_failures, 0, 0);
}

LONG fake_services_cancel_calls(IWbemServices *iface)
{
    return InterlockedCompareExchange(&impl_from_IWbemServices(iface)->cancel_calls, 0, 0);
}

LONG fake_services_cancel_reentrant(IWbemServices *iface)
{
    return InterlockedCompareExchange(&impl_from_IWbemServices(iface)->cancel_reentrant, 0, 0);
}

LONG fake_services_refs(IWbemServices *iface)
{
    return InterlockedCompareExchange(&impl_from_IWbemServices(iface)->refs, 0, 0);
}

LONG fake_services_over_released(IWbemServices *iface)
{
    return InterlockedCompareExchange(&impl_from_IWbemServices(iface)->over_released, 0, 0);
}

void fake_services_destroy(IWbemServices *iface)
{
    struct fake_services *svc;

    if (!iface)
        return;
    svc = impl_from_IWbemServices(iface);
    AcquireSRWLockExclusive(&svc->lock);
    cancel_running(svc);
    ReleaseSRWLockExclusive(&svc->lock);
    fake_services_wait_idle(iface);
    for (size_t i = 0; i < svc->nenums; i++)
        fake_enum_destroy(svc->enums[i]);
    free(svc->enums);
    script_free(&svc->script);
    free(svc->object_name);
    fake_services_result(iface, NULL);
    for (size_t i = 0; i < svc->nclasses; i++) {
        svc->classes[i].cls->lpVtbl->Release(svc->classes[i].cls);
        free(svc->classes[i].path);
    }
    free(svc->classes);
    free(svc->sync_path);
    CloseHandle(svc->sync_gate);
    free(svc);
}

void fake_services_object_name(IWbemServices *iface, const wchar_t *name)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    size_t len = wcslen(name) + 1;
    wchar_t *copy = malloc(len * sizeof(wchar_t));
    if (!copy)
        abort();   /* a test helper: out of memory here is fatal */
    memcpy(copy, name, len * sizeof(wchar_t));
    free(svc->object_name);
    svc->object_name = copy;
}

void fake_services_on_last_release(IWbemServices *iface,
                                   void (*fn)(void *context, IWbemServices *svc), void *context)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    svc->last_release = fn;
    svc->last_release_context = context;
}

void fake_services_enum_options(IWbemServices *iface, const fake_enum_options *options)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    AcquireSRWLockExclusive(&svc->lock);
    svc->enum_set = options != NULL;
    if (options)
        svc->enum_opt = *options;
    ReleaseSRWLockExclusive(&svc->lock);
}

IEnumWbemClassObject *fake_services_last_enum(IWbemServices *iface)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    IEnumWbemClassObject *e;
    AcquireSRWLockShared(&svc->lock);
    e = svc->nenums ? svc->enums[svc->nenums - 1] : NULL;
    ReleaseSRWLockShared(&svc->lock);
    return e;
}

void fake_services_result(IWbemServices *iface, IWbemClassObject *obj)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    IWbemClassObject *old;
    if (obj)
        obj->lpVtbl->AddRef(obj);
    AcquireSRWLockExclusive(&svc->lock);
    old = svc->result;
    svc->result = obj;
    ReleaseSRWLockExclusive(&svc->lock);
    if (old)
        old->lpVtbl->Release(old);
}

HRESULT fake_services_put_class(IWbemServices *iface, const wchar_t *path, IWbemClassObject *cls)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    struct fake_class *grown;
    size_t len;
    WCHAR *copy;
    if (!path || !cls)
        return E_POINTER;
    len = wcslen(path) + 1;
    copy = malloc(len * sizeof(WCHAR));
    if (!copy)
        return E_OUTOFMEMORY;
    memcpy(copy, path, len * sizeof(WCHAR));
    AcquireSRWLockExclusive(&svc->lock);
    grown = realloc(svc->classes, (svc->nclasses + 1) * sizeof(*grown));
    if (!grown) {
        ReleaseSRWLockExclusive(&svc->lock);
        free(copy);
        return E_OUTOFMEMORY;
    }
    svc->classes = grown;
    cls->lpVtbl->AddRef(cls);
    grown[svc->nclasses].path = copy;
    grown[svc->nclasses].cls = cls;
    svc->nclasses++;
    ReleaseSRWLockExclusive(&svc->lock);
    return S_OK;
}

void fake_services_sync(IWbemServices *iface, HRESULT hr, DWORD delay_ms)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    AcquireSRWLockExclusive(&svc->lock);
    svc->sync_set = TRUE;
    svc->sync_hr = hr;
    svc->sync_delay_ms = delay_ms;
    ResetEvent(svc->sync_gate);
    ReleaseSRWLockExclusive(&svc->lock);
}

void fake_services_sync_open(IWbemServices *iface)
{
    SetEvent(impl_from_IWbemServices(iface)->sync_gate);
}

LONG fake_services_sync_calls(IWbemServices *iface)
{
    return InterlockedCompareExchange(&impl_from_IWbemServices(iface)->sync_calls, 0, 0);
}

void fake_services_last_call(IWbemServices *iface, fake_call_record *out)
{
    struct fake_services *svc = impl_from_IWbemServices(iface);
    AcquireSRWLockExclusive(&svc->lock);
    *out = svc->last;
    ReleaseSRWLockExclusive(&svc->lock);
}
