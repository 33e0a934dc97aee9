/* The fan-out's public functions: start (checks, defaults, the
   dispatcher, the monitor thread), cancel, wait, release. */
#include "fanout_internal.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The options with their defaults filled in. */
static void set_options(struct wbemsink_fanout *f, const wbemsink_fanout_options *o)
{
    f->opt = *o;
    if (!f->opt.throttle) f->opt.throttle = WBEMSINK_FANOUT_DEFAULT_THROTTLE;
    if (!f->opt.connect_timeout_ms) f->opt.connect_timeout_ms = WBEMSINK_FANOUT_DEFAULT_CONNECT_TIMEOUT_MS;
    if (!f->opt.namespace_path) f->opt.namespace_path = L"root\\cimv2";
    if (!f->opt.capacity) f->opt.capacity = 1024;
    if (!f->opt.max_stuck) f->opt.max_stuck = f->opt.throttle;
}

HRESULT wbemsink_fanout_start(const wbemsink_target *targets, size_t count,
                              const wbemsink_fanout_options *options,
                              const wbemsink_fanout_callbacks *callbacks, wbemsink_fanout **out)
{
    struct wbemsink_fanout *f;
    HRESULT hr;

    if (out) *out = NULL;
    if (!out || !options || (!targets && count)) return E_POINTER;
    if (!options->query && !options->start) return E_INVALIDARG;
    if (options->capacity > WBEMSINK_MAX_CAPACITY) return E_INVALIDARG;
    for (size_t i = 0; i < count; i++)
        if (!targets[i].host && !targets[i].namespace_path) return E_INVALIDARG;

    f = calloc(1, sizeof(*f));
    if (!f) return E_OUTOFMEMORY;
    InitializeCriticalSection(&f->lock);
    InitializeCriticalSection(&f->cb_lock);
    f->refs = 1;                          /* the caller's */
    f->targets = targets;
    f->count = count;
    set_options(f, options);
    if (callbacks) f->cb = *callbacks;
    f->counts.targets = count;
    f->stop_hr = WBEM_E_CALL_CANCELLED;
    if (options->query) {
        size_t n = (wcslen(options->query) + 1) * sizeof(wchar_t);
        f->query = malloc(n);
        if (f->query) memcpy(f->query, options->query, n);
    }
    f->slots = calloc(f->opt.throttle, sizeof(*f->slots));
    f->late = calloc(f->opt.throttle, sizeof(*f->late));
    f->late_hr = calloc(f->opt.throttle, sizeof(*f->late_hr));
    f->cancel_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    f->done_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    f->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    if ((options->query && !f->query) || !f->slots || !f->late || !f->late_hr || !f->cancel_event ||
        !f->done_event || !f->wake) {
        fanout_free(f);
        return E_OUTOFMEMORY;
    }
    hr = wbemsink_dispatcher_create(&f->dispatcher);
    if (FAILED(hr)) {
        fanout_free(f);
        return hr;
    }
    fanout_addref(f);                     /* the monitor's */
    if (fanout_thread_start(fanout_monitor, f) != 0) {
        fanout_free(f);
        return E_OUTOFMEMORY;
    }
    *out = f;
    return S_OK;
}

HRESULT wbemsink_fanout_cancel(wbemsink_fanout *f)
{
    if (!f) return E_POINTER;
    EnterCriticalSection(&f->lock);
    if (f->cancelled || WaitForSingleObject(f->done_event, 0) == WAIT_OBJECT_0) {
        LeaveCriticalSection(&f->lock);
        return S_FALSE;
    }
    f->cancelled = 1;
    f->stop_hr = WBEM_E_CALL_CANCELLED;
    LeaveCriticalSection(&f->lock);
    SetEvent(f->cancel_event);     /* running targets: their workers cancel */
    fanout_wake(f);                /* connecting and waiting ones: the monitor */
    return S_OK;
}

HRESULT wbemsink_fanout_wait(wbemsink_fanout *f, DWORD timeout_ms, wbemsink_fanout_counts *counts)
{
    if (!f) return E_POINTER;
    if (fanout_in_callback(f)) return WBEMSINK_E_IN_CALLBACK;
    if (WaitForSingleObject(f->done_event, timeout_ms) != WAIT_OBJECT_0) return WBEM_S_TIMEDOUT;
    if (counts) {
        EnterCriticalSection(&f->lock);
        *counts = f->counts;
        LeaveCriticalSection(&f->lock);
    }
    return S_OK;
}

void wbemsink_fanout_release(wbemsink_fanout *f)
{
    if (!f) return;
    wbemsink_fanout_cancel(f);
    /* Waits for a callback running on another thread; from inside one
       (the lock is recursive) that callback is the last. */
    EnterCriticalSection(&f->cb_lock);
    f->released = 1;
    LeaveCriticalSection(&f->cb_lock);
    fanout_unref(f);
}
