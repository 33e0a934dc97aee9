/* Dispatcher: a thread that runs the callbacks of THREAD-mode sinks. Sinks
   with work are put on its run list (once each, holding a reference); the
   thread takes them in turn and drains each. Any number of sinks may share
   one dispatcher. */
#include "core.h"
#include <stdlib.h>

struct wbemsink_dispatcher {
    volatile long ref;
    ws_mutex lock;
    ws_cond work;
    wbemsink *volatile head;  /* run list (read without the lock while spinning) */
    wbemsink *tail;
    int stop;
    int sleeping;             /* waiting on `work`: producers must signal */
    int self_free;            /* the last reference went on our own thread */
    int shared;               /* the process-wide one (see ws_dispatcher_shared) */
    ws_thread thread;
    ws_thread_id thread_id;
};

static void destroy(wbemsink_dispatcher *d)
{
    ws_cond_destroy(&d->work);
    ws_mutex_destroy(&d->lock);
    free(d);
}

/* Spins briefly for new work before sleeping: WMI delivers in bursts, and
   catching the next Indicate awake spares it a wake-up call and us a sleep.
   SPIN rounds of a pause instruction are a few microseconds. */
#define SPIN 200

static void wait_for_work_locked(wbemsink_dispatcher *d)
{
    if (d->head || d->stop) return;
    ws_unlock(&d->lock);
    for (int i = 0; i < SPIN && !ws_atomic_load_ptr((void *volatile *)&d->head); i++)
        ws_cpu_relax();
    ws_lock(&d->lock);
    while (!d->head && !d->stop) {
        d->sleeping = 1;
        ws_cond_wait_ms(&d->work, &d->lock, WS_INFINITE);
        d->sleeping = 0;
    }
}

static void run(void *arg)
{
    wbemsink_dispatcher *d = arg;
    ws_lock(&d->lock);
    d->thread_id = ws_thread_self();
    for (;;) {
        wait_for_work_locked(d);
        wbemsink *s = d->head;
        if (!s) break;
        d->head = s->run_next;
        if (!d->head) d->tail = NULL;
        s->run_next = NULL;
        ws_unlock(&d->lock);
        /* Cleared before draining, so work queued from now on (which the
           drain might miss) schedules the sink again. */
        ws_atomic_store(&s->scheduled, 0);
        ws_drain(s);
        ws_unref(s);          /* may free the sink, and with it our last reference */
        ws_lock(&d->lock);
    }
    int self_free = d->self_free;
    ws_unlock(&d->lock);
    if (self_free) {
        ws_thread_detach(d->thread);
        destroy(d);
    }
}

HRESULT wbemsink_dispatcher_create(wbemsink_dispatcher **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    wbemsink_dispatcher *d = calloc(1, sizeof(*d));
    if (!d) return E_OUTOFMEMORY;
    d->ref = 1;
    ws_mutex_init(&d->lock);
    ws_cond_init(&d->work);
    if (ws_thread_start(&d->thread, run, d) != 0) {
        destroy(d);
        return E_OUTOFMEMORY;
    }
    *out = d;
    return S_OK;
}

void ws_dispatcher_addref(wbemsink_dispatcher *d)
{
    ws_atomic_inc(&d->ref);
}

/* The shared dispatcher; its count changes under shared_lock, so a new
   sink never picks up one that is already shutting down. */
static ws_mutex shared_lock = WS_MUTEX_INIT;
static wbemsink_dispatcher *shared_dispatcher;

HRESULT ws_dispatcher_shared(wbemsink_dispatcher **out)
{
    HRESULT hr = S_OK;
    ws_lock(&shared_lock);
    if (shared_dispatcher) {
        ws_atomic_inc(&shared_dispatcher->ref);
    } else if (SUCCEEDED(hr = wbemsink_dispatcher_create(&shared_dispatcher))) {
        shared_dispatcher->shared = 1;
    }
    *out = shared_dispatcher;
    ws_unlock(&shared_lock);
    return hr;
}

static long unref(wbemsink_dispatcher *d)
{
    if (!d->shared) return ws_atomic_dec(&d->ref);
    ws_lock(&shared_lock);
    long r = ws_atomic_dec(&d->ref);
    if (r == 0) shared_dispatcher = NULL;
    ws_unlock(&shared_lock);
    return r;
}

void wbemsink_dispatcher_release(wbemsink_dispatcher *d)
{
    if (!d || unref(d) != 0) return;
    ws_lock(&d->lock);
    d->stop = 1;
    int on_own_thread = d->thread_id == ws_thread_self();
    d->self_free = on_own_thread;
    ws_broadcast(&d->work);      /* whether or not it sleeps: stop is checked after waking */
    ws_unlock(&d->lock);
    if (on_own_thread) return;    /* run() frees it on its way out */
    ws_thread_join(d->thread);
    destroy(d);
}

void ws_dispatcher_schedule(wbemsink_dispatcher *d, wbemsink *s)
{
    if (ws_atomic_cas(&s->scheduled, 0, 1) != 0) return;   /* already on the list */
    ws_addref(s);
    ws_lock(&d->lock);
    if (d->tail) d->tail->run_next = s;
    else ws_atomic_store_ptr((void *volatile *)&d->head, s);   /* read unlocked by the spin */
    d->tail = s;
    if (d->sleeping) ws_signal(&d->work);
    ws_unlock(&d->lock);
}

int ws_dispatcher_is_current(wbemsink_dispatcher *d)
{
    ws_lock(&d->lock);
    int current = d->thread_id == ws_thread_self();
    ws_unlock(&d->lock);
    return current;
}
