/* Dispatcher: a thread that runs tasks (THREAD-mode sinks with work) in
   turn. Tasks are put on its run list once each; any number of sinks may
   share one dispatcher. It knows nothing of sinks. */
#include "core.h"
#include <stdlib.h>

struct wbemsink_dispatcher {
    ws_atomic ref;
    ws_mutex lock;
    ws_cond work;
    ws_task *volatile head;   /* run list (read without the lock while spinning) */
    ws_task *tail;
    int stop;
    int sleeping;             /* waiting on `work`: posters must signal */
    int self_free;            /* the thread frees the dispatcher on its way out */
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

/* The shared dispatcher; its count changes under shared_lock, so a new sink
   never picks up one whose thread has decided to end. */
static ws_mutex shared_lock = WS_MUTEX_INIT;
static wbemsink_dispatcher *shared_dispatcher;
static ws_atomic linger_ms = WS_DISPATCHER_LINGER_MS;

void ws_dispatcher_set_linger(long ms)
{
    ws_atomic_store(&linger_ms, ms);
}

/* The shared dispatcher's thread, idle with no sink left: ends for good
   unless a sink came meanwhile. Called without d->lock. */
static int shared_may_end(wbemsink_dispatcher *d)
{
    ws_lock(&shared_lock);
    int end = ws_atomic_load(&d->ref) == 0;
    if (end) shared_dispatcher = NULL;
    ws_unlock(&shared_lock);
    return end;
}

/* Spins briefly for new work before sleeping: WMI delivers in bursts, and
   catching the next Indicate awake spares it a wake-up call and us a sleep.
   SPIN rounds of a pause instruction are a few microseconds. */
#define SPIN 200

/* Returns with the lock held and work on the list, or 0 when the thread is
   to end. */
static int wait_for_work_locked(wbemsink_dispatcher *d)
{
    if (d->head) return 1;
    ws_unlock(&d->lock);
    for (int i = 0; i < SPIN && !ws_atomic_load_ptr((void *volatile *)&d->head); i++)
        ws_cpu_relax();
    ws_lock(&d->lock);
    while (!d->head && !d->stop) {
        int idle_shared = d->shared && ws_atomic_load(&d->ref) == 0;
        int timed_out = 1;
        if (!idle_shared || ws_atomic_load(&linger_ms) > 0) {
            d->sleeping = 1;
            timed_out = ws_cond_wait_ms(&d->work, &d->lock,
                                        idle_shared ? (uint32_t)ws_atomic_load(&linger_ms) : WS_INFINITE);
            d->sleeping = 0;
        }
        if (idle_shared && timed_out && !d->head) {
            ws_unlock(&d->lock);
            int end = shared_may_end(d);
            ws_lock(&d->lock);
            if (end) {
                d->stop = 1;
                d->self_free = 1;
            }
        }
    }
    return d->head != NULL;
}

static void run(void *arg)
{
    wbemsink_dispatcher *d = arg;
    ws_lock(&d->lock);
    d->thread_id = ws_thread_self();
    while (wait_for_work_locked(d)) {
        ws_task *t = d->head;
        d->head = t->next;
        if (!d->head) d->tail = NULL;
        t->next = NULL;
        ws_unlock(&d->lock);
        t->run(t);            /* may release the last sink, and with it our last reference */
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
    /* Set before the thread runs: it reads it without the lock. */
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

HRESULT ws_dispatcher_shared(wbemsink_dispatcher **out)
{
    HRESULT hr = S_OK;
    ws_lock(&shared_lock);
    if (shared_dispatcher) {
        ws_atomic_inc(&shared_dispatcher->ref);
    } else if (SUCCEEDED(hr = wbemsink_dispatcher_create(&shared_dispatcher))) {
        ws_lock(&shared_dispatcher->lock);
        shared_dispatcher->shared = 1;
        ws_unlock(&shared_dispatcher->lock);
    }
    *out = shared_dispatcher;
    ws_unlock(&shared_lock);
    return hr;
}

#ifdef WBEMSINK_HOST_COMPAT
/* Host tests only (tests/host/host_port.c): called by the releaser that took
   the shared dispatcher's count to 0, before it signals the thread, so a
   test can run the thread's idle check inside that window. */
void ws_host_dispatcher_idle_hook(wbemsink_dispatcher *d);
#define IDLE_HOOK(d) ws_host_dispatcher_idle_hook(d)
#else
#define IDLE_HOOK(d) ((void)0)
#endif

void wbemsink_dispatcher_release(wbemsink_dispatcher *d)
{
    if (!d) return;
    if (d->shared) {
        /* Not stopped: its thread lingers, then ends by itself (run()).
           Signalled before shared_lock is given back: once the count is 0
           the thread may free d as soon as it gets shared_lock
           (shared_may_end), so d is not touched after the unlock. */
        ws_lock(&shared_lock);
        if (ws_atomic_dec(&d->ref) == 0) {
            IDLE_HOOK(d);
            ws_lock(&d->lock);
            ws_signal(&d->work);   /* so that it starts counting its idle time */
            ws_unlock(&d->lock);
        }
        ws_unlock(&shared_lock);
        return;
    }
    if (ws_atomic_dec(&d->ref) != 0) return;
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

void ws_dispatcher_post(wbemsink_dispatcher *d, ws_task *t)
{
    ws_lock(&d->lock);
    if (d->tail) d->tail->next = t;
    else ws_atomic_store_ptr((void *volatile *)&d->head, t);   /* read unlocked by the spin */
    d->tail = t;
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
