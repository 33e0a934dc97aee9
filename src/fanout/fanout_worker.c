/* A worker: takes the next target, connects (blocking, on this thread),
   runs the target's operation on a sink of its own and waits for it with
   the operation deadline and the fan-out's cancel, reports, and takes the
   next. The monitor keeps the connect deadline: past it the worker is let
   go (abandoned) and ends as soon as ConnectServer returns. */
#include "fanout_internal.h"

#include <stdlib.h>

typedef struct objects_call {
    fanout_worker *w;
    IWbemClassObject *const *objects;
    LONG count;
    HRESULT hr;
} objects_call;

static void call_objects(void *p)
{
    objects_call *c = p;
    struct wbemsink_fanout *f = c->w->f;
    c->hr = f->cb.on_objects(f->cb.context, c->w->target.index, c->w->target.name, c->objects,
                             c->count);
}

/* The target's sink's on_objects, on the dispatcher thread. */
static HRESULT on_objects(void *context, IWbemClassObject *const *objects, LONG count)
{
    fanout_worker *w = context;
    objects_call c;
    c.w = w;
    c.objects = objects;
    c.count = count;
    c.hr = S_OK;
    if (w->f->cb.on_objects && !fanout_callback(w->f, call_objects, &c))
        return WBEM_E_CALL_CANCELLED;      /* released: stop the target */
    w->objects += (ULONGLONG)count;
    return c.hr;
}

typedef struct start_call {
    fanout_worker *w;
    IWbemServices *services;
    IWbemObjectSink *sink;
    HRESULT hr;
} start_call;

static void call_start(void *p)
{
    start_call *c = p;
    struct wbemsink_fanout *f = c->w->f;
    c->hr = f->opt.start(f->cb.context, c->w->target.index, c->services, c->sink);
}

/* wbemsink_start's function: the caller's start, as a callback. */
static HRESULT start_fn(void *arg, IWbemServices *services, IWbemObjectSink *sink)
{
    start_call c;
    c.w = arg;
    c.services = services;
    c.sink = sink;
    c.hr = WBEM_E_CALL_CANCELLED;
    fanout_callback(c.w->f, call_start, &c);
    return c.hr;
}

/* Runs the target's operation to its end; returns its result. */
static HRESULT run(fanout_worker *w, wbemsink_connection *conn)
{
    struct wbemsink_fanout *f = w->f;
    wbemsink_callbacks cb = {0};
    wbemsink_options o = {0};
    IWbemServices *svc = wbemsink_connection_services(conn);
    wbemsink *s = NULL;
    HANDLE h[2];
    ULONGLONG due = f->opt.timeout_ms ? GetTickCount64() + f->opt.timeout_ms : 0;
    int timed_out = 0;
    HRESULT hr, final_hr = E_UNEXPECTED;

    cb.context = w;
    cb.on_objects = on_objects;
    o.mode = WBEMSINK_MODE_THREAD;
    o.dispatcher = f->dispatcher;
    o.capacity = f->opt.capacity;
    o.full_policy = WBEMSINK_FULL_WAIT;
    o.full_wait_ms = INFINITE;
    hr = wbemsink_create(&cb, &o, &s);
    if (FAILED(hr)) return hr;
    /* Either way a failure to start is the sink's completion. */
    if (f->query) hr = wbemsink_exec_query(s, svc, f->query, f->opt.query_flags, NULL);
    else hr = wbemsink_start(s, svc, start_fn, w);
    if (FAILED(hr)) {
        wbemsink_release(s);
        return hr;
    }

    h[0] = wbemsink_completion_event(s);
    h[1] = f->cancel_event;
    ULONGLONG now = GetTickCount64();
    DWORD r = WaitForMultipleObjects(2, h, FALSE, !due ? INFINITE : now >= due ? 0 : (DWORD)(due - now));
    if (r != WAIT_OBJECT_0) {
        /* The deadline or the fan-out's cancel. From this thread, not a
           callback: CancelAsyncCall is made here. S_FALSE when it
           completed meanwhile (its own result stands). */
        timed_out = r == WAIT_TIMEOUT;
        wbemsink_cancel(s, NULL);
    }
    wbemsink_wait(s, INFINITE, &final_hr);
    wbemsink_release(s);
    if (timed_out && final_hr == (HRESULT)WBEM_E_CALL_CANCELLED) final_hr = WBEM_E_TIMED_OUT;
    return final_hr;
}

static void worker_main(void *arg)
{
    fanout_worker *w = arg;
    struct wbemsink_fanout *f = w->f;
    /* A library thread has no apartment of its own: the MTA. */
    HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED);

    EnterCriticalSection(&f->lock);
    while (!w->abandoned && !f->cancelled && f->next < f->count) {
        size_t index = f->next++;
        wbemsink_connection *conn = NULL;
        HRESULT hr = FAILED(init) ? init : fanout_target_take(f, index, &w->target);
        f->active++;
        w->objects = 0;
        w->phase = FANOUT_CONNECTING;
        w->connect_due = GetTickCount64() + f->opt.connect_timeout_ms;
        LeaveCriticalSection(&f->lock);
        fanout_wake(f);            /* a new connect deadline to watch */

        if (SUCCEEDED(hr)) hr = wbemsink_connect(w->target.path, &w->target.connect, &conn);

        EnterCriticalSection(&f->lock);
        if (w->abandoned) {
            /* The monitor reported the target and gave the slot away. */
            LeaveCriticalSection(&f->lock);
            wbemsink_connection_release(conn);
            fanout_target_free(&w->target);
            EnterCriticalSection(&f->lock);
            break;
        }
        w->phase = FANOUT_RUNNING;
        LeaveCriticalSection(&f->lock);

        if (SUCCEEDED(hr)) hr = run(w, conn);
        /* Closed before the slot is free: at most K connections at once. */
        wbemsink_connection_release(conn);
        EnterCriticalSection(&f->lock);
        f->active--;
        w->phase = FANOUT_IDLE;
        LeaveCriticalSection(&f->lock);
        fanout_report(f, index, w->target.name, hr, w->objects);
        fanout_target_free(&w->target);
        EnterCriticalSection(&f->lock);
    }
    f->threads--;
    if (w->abandoned) f->stuck--;
    else f->slots[w->slot] = NULL;
    LeaveCriticalSection(&f->lock);
    fanout_wake(f);                /* a slot, or room for a worker */
    free(w);
    if (SUCCEEDED(init)) CoUninitialize();
    fanout_unref(f);
}

int fanout_worker_start(struct wbemsink_fanout *f, unsigned slot)
{
    fanout_worker *w = calloc(1, sizeof(*w));
    if (!w) return -1;
    w->f = f;
    w->slot = slot;
    f->slots[slot] = w;
    f->threads++;
    fanout_addref(f);
    if (fanout_thread_start(worker_main, w) != 0) {
        f->slots[slot] = NULL;
        f->threads--;
        free(w);
        fanout_unref(f);    /* never the last: the monitor holds one */
        return -1;
    }
    return 0;
}
