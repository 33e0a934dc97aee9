/* Paced (controlled) delivery: a worker asks an IEnumWbemClassObject for
   the next batch only when the sink's queue has room for it, so a slow
   consumer bounds memory without dropping objects and without blocking
   the provider's thread.

   Per operation: one library thread (the worker) holding a core reference
   on the sink and one on the enumerator. Per batch asked through NextAsync:
   one small IWbemObjectSink (paced_batch) of its own, so that calls that
   arrive late or out of order (an Indicate after the batch's SetStatus, a
   SetStatus while an Indicate still runs) touch only that batch's state and
   are refused there; the provider may keep it as long as it likes: it
   holds its own core reference on the sink and frees itself on its last
   Release. The per-batch SetStatus never reaches the user's sink: the
   worker completes the user's sink once, through ws_set_status. */
#ifndef CONST_VTABLE
#define CONST_VTABLE   /* static const vtables */
#endif
#include "core.h"
#include "module.h"
#include <stdlib.h>
#include <string.h>

/* The default batch: a quarter of the capacity (the consumer still has
   three quarters queued while the next batch is fetched), at most this
   many (beyond it the round trip per batch no longer shows). */
#define PACED_DEFAULT_BATCH 256
/* How long one wait of the worker lasts before it looks whether the
   operation ended (cancel, release, deadline). */
#define PACED_SLICE_MS 100

/* ---- the per-batch sink ---------------------------------------------- */

typedef struct paced_batch {
    IWbemObjectSink IWbemObjectSink_iface;   /* first: the COM object */
    LONG ref;
    wbemsink *s;          /* core reference, given back on the last Release */
    int pinned;           /* holds a module reference (module.c): the
                             provider may make the last Release after the
                             program's FreeLibrary */
    SRWLOCK lock;
    CONDITION_VARIABLE done;   /* signalled when the batch's SetStatus came
                                  and no Indicate of it still runs (a
                                  condition variable, not an event: no
                                  kernel object made per batch) */
    /* Under lock. */
    int closed;           /* SetStatus seen, or the worker gave up on it */
    int status_seen;
    long indicating;      /* Indicate calls running */
    ULONG got;            /* entries the provider sent: objects accepted by
                             the user's sink, and NULL entries refused */
    HRESULT hr;           /* the batch's SetStatus hr */
} paced_batch;

static paced_batch *impl_from_IWbemObjectSink(IWbemObjectSink *iface)
{
    return (paced_batch *)((char *)iface - offsetof(paced_batch, IWbemObjectSink_iface));
}

static HRESULT STDMETHODCALLTYPE batch_QueryInterface(IWbemObjectSink *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    if (!riid) return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemObjectSink)) {
        *out = iface;
        IWbemObjectSink_AddRef(iface);
        return S_OK;
    }
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE batch_AddRef(IWbemObjectSink *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IWbemObjectSink(iface)->ref);
}

static ULONG STDMETHODCALLTYPE batch_Release(IWbemObjectSink *iface)
{
    paced_batch *b = impl_from_IWbemObjectSink(iface);
    LONG ref = InterlockedDecrement(&b->ref);
    if (ref == 0) {
        int pinned = b->pinned;
        ws_unref(b->s);
        free(b);
        if (pinned) ws_module_drop();   /* last: only the return follows */
    }
    return (ULONG)ref;
}

/* Hands the entries of a provider's answer to the sink: each run of
   objects through ws_indicate (which AddRefs what it keeps), each NULL
   entry refused through ws_refuse_objects (counted in
   stats.invalid_calls; a success can then only end the operation as
   WBEMSINK_E_OBJECTS_REFUSED). The objects around a NULL are not lost with
   it. *seen: the entries taken or refused (what the provider sent, for the
   batch's count). Returns ws_indicate's first failure, else
   WBEM_E_INVALID_PARAMETER if an entry was refused. */
static HRESULT deliver_rows(wbemsink *s, IWbemClassObject **objs, ULONG count, ULONG *seen)
{
    HRESULT failed = S_OK;
    int refused = 0;
    *seen = 0;
    for (ULONG i = 0; i < count;) {
        if (!objs[i]) {
            ws_refuse_objects(s);
            refused = 1;
            ++*seen;
            i++;
            continue;
        }
        ULONG j = i;
        while (j < count && objs[j]) j++;
        HRESULT hr = ws_indicate(s, (LONG)(j - i), objs + i);
        if (SUCCEEDED(hr)) *seen += j - i;
        else if (SUCCEEDED(failed)) failed = hr;
        i = j;
    }
    if (FAILED(failed)) return failed;
    return refused ? (HRESULT)WBEM_E_INVALID_PARAMETER : (HRESULT)WBEM_S_NO_ERROR;
}

static HRESULT STDMETHODCALLTYPE batch_Indicate(IWbemObjectSink *iface, LONG count, IWbemClassObject **objects)
{
    paced_batch *b = impl_from_IWbemObjectSink(iface);
    AcquireSRWLockExclusive(&b->lock);
    if (b->closed) {
        /* After the batch's SetStatus (or after the worker gave up on it):
           the room reserved for it may be gone, so nothing is taken. */
        ReleaseSRWLockExclusive(&b->lock);
        return WBEM_E_CALL_CANCELLED;
    }
    b->indicating++;
    ReleaseSRWLockExclusive(&b->lock);

    /* The worker waited for room before asking, so this neither waits nor
       drops (unless the provider sends more than it was asked for). A bad
       count or a NULL array is the core's to refuse; NULL entries are
       refused one by one. */
    ULONG seen = 0;
    HRESULT hr;
    if (count > 0 && objects) {
        hr = deliver_rows(b->s, objects, (ULONG)count, &seen);
    } else {
        hr = ws_indicate(b->s, count, objects);
    }

    AcquireSRWLockExclusive(&b->lock);
    b->got += seen;
    if (--b->indicating == 0 && b->status_seen) WakeAllConditionVariable(&b->done);
    ReleaseSRWLockExclusive(&b->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE batch_SetStatus(IWbemObjectSink *iface, LONG flags, HRESULT hr, BSTR param,
                                                 IWbemClassObject *obj)
{
    paced_batch *b = impl_from_IWbemObjectSink(iface);
    (void)param;
    (void)obj;
    /* Only the batch's end matters; progress of a batch means nothing to
       the operation's user and is not passed on. */
    if (flags != WBEM_STATUS_COMPLETE) return WBEM_S_NO_ERROR;
    AcquireSRWLockExclusive(&b->lock);
    if (!b->closed) {
        b->closed = 1;
        b->status_seen = 1;
        b->hr = hr;
        /* An Indicate still running (SetStatus from another thread before it
           returned) signals when it leaves: its objects count for the batch. */
        if (b->indicating == 0) WakeAllConditionVariable(&b->done);
    }
    ReleaseSRWLockExclusive(&b->lock);
    return WBEM_S_NO_ERROR;
}

static const IWbemObjectSinkVtbl batch_vtbl = {
    batch_QueryInterface,
    batch_AddRef,
    batch_Release,
    batch_Indicate,
    batch_SetStatus,
};

static paced_batch *batch_create(wbemsink *s)
{
    paced_batch *b = calloc(1, sizeof(*b));
    if (!b) return NULL;
    InitializeConditionVariable(&b->done);
    b->IWbemObjectSink_iface.lpVtbl = &batch_vtbl;
    b->ref = 1;
    InitializeSRWLock(&b->lock);
    ws_addref(s);
    b->s = s;
    b->pinned = ws_module_hold();
    return b;
}

/* The worker lets go of a batch: later calls from the provider are refused. */
static void batch_abandon(paced_batch *b)
{
    AcquireSRWLockExclusive(&b->lock);
    b->closed = 1;
    ReleaseSRWLockExclusive(&b->lock);
    IWbemObjectSink_Release(&b->IWbemObjectSink_iface);
}

/* ---- the worker ------------------------------------------------------- */

typedef struct paced_op {
    wbemsink *s;                  /* core reference */
    IEnumWbemClassObject *e;      /* owned reference (NULL while in `stream`) */
    IStream *stream;              /* the enumerator marshaled to the worker */
    ULONG batch;
} paced_op;

/* True once the operation ended (cancel, release, deadline, completion). */
static int ended(wbemsink *s)
{
    return ws_wait_room(s, 0, 0, NULL) == (HRESULT)WBEM_E_CALL_CANCELLED;
}

static void complete(wbemsink *s, HRESULT hr)
{
    /* Refused (and harmless) when the operation has ended already. */
    ws_set_status(s, WBEM_STATUS_COMPLETE, hr, NULL, NULL);
}

/* Outcome of one step: go on, stop (completed or ended), or switch to Next. */
enum { STEP_MORE, STEP_DONE, STEP_FALLBACK };

static int step_next_async(paced_op *op, ULONG n)
{
    paced_batch *b = batch_create(op->s);
    if (!b) {
        complete(op->s, WBEM_E_OUT_OF_MEMORY);
        return STEP_DONE;
    }
    HRESULT hr = IEnumWbemClassObject_NextAsync(op->e, n, &b->IWbemObjectSink_iface);
    if (hr == E_NOTIMPL || hr == (HRESULT)WBEM_E_NOT_SUPPORTED) {
        batch_abandon(b);
        return STEP_FALLBACK;
    }
    if (hr == (HRESULT)WBEM_S_FALSE || FAILED(hr)) {
        batch_abandon(b);
        complete(op->s, hr == (HRESULT)WBEM_S_FALSE ? S_OK : hr);
        return STEP_DONE;
    }
    AcquireSRWLockExclusive(&b->lock);
    while (!b->status_seen || b->indicating) {
        SleepConditionVariableSRW(&b->done, &b->lock, PACED_SLICE_MS, 0);
        if (b->status_seen && !b->indicating) break;
        ReleaseSRWLockExclusive(&b->lock);
        /* Looked at without the batch's lock: ws_wait_room takes the sink's. */
        if (ended(op->s)) {
            batch_abandon(b);
            return STEP_DONE;
        }
        AcquireSRWLockExclusive(&b->lock);
    }
    HRESULT batch_hr = b->hr;
    ULONG got = b->got;
    ReleaseSRWLockExclusive(&b->lock);
    batch_abandon(b);
    if (FAILED(batch_hr)) {
        complete(op->s, batch_hr);
        return STEP_DONE;
    }
    if (batch_hr == (HRESULT)WBEM_S_FALSE || got < n) {
        complete(op->s, S_OK);
        return STEP_DONE;
    }
    return STEP_MORE;
}

static int step_next(paced_op *op, ULONG n, IWbemClassObject **objs)
{
    ULONG got = 0;
    /* Cleared before each call: a slot the provider did not write must not
       pass for a row (the previous answer's, delivered and Released). */
    memset(objs, 0, n * sizeof(*objs));
    HRESULT hr = IEnumWbemClassObject_Next(op->e, PACED_SLICE_MS, n, objs, &got);
    /* Only the first min(got, n) slots are the caller's; of those, only the
       ones written hold a reference: NULL ones (a NULL row, or a count
       larger than what was written) are refused. */
    ULONG answered = got > n ? n : got, seen;
    if (answered) {
        deliver_rows(op->s, objs, answered, &seen);   /* AddRefs what it keeps */
        for (ULONG i = 0; i < answered; i++)
            if (objs[i]) IWbemClassObject_Release(objs[i]);
    }
    if (got > n) {
        /* More than was asked: nothing it says can be trusted any more. The
           rows it wrote went out once; the operation ends as a provider
           failure, asking nothing more. */
        ws_refuse_objects(op->s);
        complete(op->s, WBEM_E_PROVIDER_FAILURE);
        return STEP_DONE;
    }
    if (FAILED(hr)) {
        complete(op->s, hr);
        return STEP_DONE;
    }
    if (hr == (HRESULT)WBEM_S_TIMEDOUT) return STEP_MORE;
    if (hr == (HRESULT)WBEM_S_FALSE || got < n) {
        complete(op->s, S_OK);
        return STEP_DONE;
    }
    return STEP_MORE;
}

static void paced_worker(void *arg)
{
    paced_op *op = arg;
    /* A library thread has no apartment; the enumerator may be a proxy. */
    HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    IWbemClassObject **objs = NULL;
    int fallback = 0;
    if (op->stream) {
        HRESULT hr = CoGetInterfaceAndReleaseStream(op->stream, &IID_IEnumWbemClassObject, (void **)&op->e);
        op->stream = NULL;
        if (FAILED(hr)) {
            op->e = NULL;
            complete(op->s, hr);
        }
    }
    while (op->e) {
        size_t room = 0;
        HRESULT hr = ws_wait_room(op->s, op->batch, PACED_SLICE_MS, &room);
        if (hr == (HRESULT)WBEM_E_CALL_CANCELLED) break;
        if (hr != S_OK) continue;   /* timed out: look again */
        ULONG n = room < op->batch ? (ULONG)room : op->batch;
        int step = STEP_FALLBACK;
        if (!fallback) step = step_next_async(op, n);
        if (step == STEP_FALLBACK) {
            fallback = 1;
            if (!objs && !(objs = calloc(op->batch, sizeof(*objs)))) {
                complete(op->s, WBEM_E_OUT_OF_MEMORY);
                break;
            }
            step = step_next(op, n, objs);
        }
        if (step == STEP_DONE) break;
    }
    free(objs);
    if (op->e) IEnumWbemClassObject_Release(op->e);
    if (SUCCEEDED(init)) CoUninitialize();
    ws_unref(op->s);
    free(op);
}

HRESULT wbemsink_start_paced(wbemsink *s, IEnumWbemClassObject *enumerator, ULONG batch)
{
    if (!s || !enumerator) return E_POINTER;
    wbemsink_interface(s);   /* seals the callbacks, as any start does */
    paced_op *op = calloc(1, sizeof(*op));
    if (!op) {
        ws_end(s, WBEM_E_OUT_OF_MEMORY, NULL, 0);
        return S_OK;
    }
    ws_addref(s);
    op->s = s;
    /* A caller in a single-threaded apartment may hold a proxy bound to it,
       which the worker (in the MTA) may not call: it gets the enumerator
       marshaled. Where that fails (no proxy/stub for the interface, as for
       Wine's in-process objects), the pointer itself goes: such an object
       is not bound to an apartment. */
    APTTYPE type;
    APTTYPEQUALIFIER qualifier;
    if (SUCCEEDED(CoGetApartmentType(&type, &qualifier)) && type != APTTYPE_MTA &&
        FAILED(CoMarshalInterThreadInterfaceInStream(&IID_IEnumWbemClassObject, (IUnknown *)enumerator,
                                                     &op->stream)))
        op->stream = NULL;
    if (!op->stream) {
        IEnumWbemClassObject_AddRef(enumerator);
        op->e = enumerator;
    }
    size_t capacity = s->opt.capacity;
    if (!batch) {
        batch = capacity / 4 < PACED_DEFAULT_BATCH ? (ULONG)(capacity / 4) : PACED_DEFAULT_BATCH;
        if (!batch) batch = 1;
    }
    op->batch = batch < capacity ? batch : (ULONG)capacity;   /* never more than fits */
    ws_thread t;
    if (ws_thread_start(&t, paced_worker, op) != 0) {
        if (op->stream) {
            /* Unmarshaled here only to give the marshaled reference back. */
            IEnumWbemClassObject *back = NULL;
            if (SUCCEEDED(CoGetInterfaceAndReleaseStream(op->stream, &IID_IEnumWbemClassObject, (void **)&back)))
                IEnumWbemClassObject_Release(back);
        } else {
            IEnumWbemClassObject_Release(enumerator);
        }
        ws_unref(s);
        free(op);
        ws_end(s, WBEM_E_OUT_OF_MEMORY, NULL, 0);
        return S_OK;
    }
    ws_thread_detach(t);
    return S_OK;
}

/* The services' blanket (a remote connection's identity and levels) on the
   enumerator it handed out: a remote enumerator is otherwise called with
   the process's defaults, and fails with E_ACCESSDENIED. E_NOINTERFACE from
   either side: not a proxy, nothing to copy. */
static HRESULT copy_blanket(IWbemServices *services, IEnumWbemClassObject *e)
{
    DWORD authn = 0, authz = 0, level = 0, imp = 0, caps = 0;
    OLECHAR *principal = NULL;
    RPC_AUTH_IDENTITY_HANDLE identity = NULL;
    HRESULT hr = CoQueryProxyBlanket((IUnknown *)services, &authn, &authz, &principal, &level, &imp,
                                     &identity, &caps);
    if (hr == E_NOINTERFACE) return S_OK;
    if (FAILED(hr)) return hr;
    hr = CoSetProxyBlanket((IUnknown *)e, authn, authz, principal, level, imp, identity, caps);
    CoTaskMemFree(principal);
    return hr == E_NOINTERFACE ? S_OK : hr;
}

HRESULT wbemsink_exec_query_paced(wbemsink *s, IWbemServices *services, const wchar_t *query, LONG flags,
                                  IWbemContext *context, ULONG batch)
{
    if (!s || !services || !query) return E_POINTER;
    BSTR lang = SysAllocString(L"WQL"), q = SysAllocString(query);
    IEnumWbemClassObject *e = NULL;
    HRESULT hr = WBEM_E_OUT_OF_MEMORY;
    if (lang && q)
        hr = IWbemServices_ExecQuery(services, lang, q,
                                     flags | WBEM_FLAG_RETURN_IMMEDIATELY | WBEM_FLAG_FORWARD_ONLY, context,
                                     &e);
    SysFreeString(lang);
    SysFreeString(q);
    if (SUCCEEDED(hr) && !e) hr = WBEM_E_FAILED;
    if (SUCCEEDED(hr)) hr = copy_blanket(services, e);
    if (FAILED(hr)) {
        if (e) IEnumWbemClassObject_Release(e);
        wbemsink_interface(s);
        /* One error path: the failure is the operation's completion. */
        ws_end(s, hr, NULL, 0);
        return S_OK;
    }
    hr = wbemsink_start_paced(s, e, batch);
    IEnumWbemClassObject_Release(e);
    return hr;
}
