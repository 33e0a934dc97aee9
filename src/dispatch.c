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
    wbemsink *head, *tail;    /* run list */
    int stop;
    int self_free;            /* the last reference went on our own thread */
    ws_thread thread;
    ws_thread_id thread_id;
};

static void destroy(wbemsink_dispatcher *d)
{
    ws_cond_destroy(&d->work);
    ws_mutex_destroy(&d->lock);
    free(d);
}

static void run(void *arg)
{
    wbemsink_dispatcher *d = arg;
    ws_lock(&d->lock);
    d->thread_id = ws_thread_self();
    for (;;) {
        while (!d->head && !d->stop) ws_cond_wait_ms(&d->work, &d->lock, WS_INFINITE);
        wbemsink *s = d->head;
        if (!s) break;
        d->head = s->run_next;
        if (!d->head) d->tail = NULL;
        s->run_next = NULL;
        s->scheduled = 0;     /* work queued from now on schedules it again */
        ws_unlock(&d->lock);
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

void wbemsink_dispatcher_release(wbemsink_dispatcher *d)
{
    if (!d || ws_atomic_dec(&d->ref) != 0) return;
    ws_lock(&d->lock);
    d->stop = 1;
    int on_own_thread = d->thread_id == ws_thread_self();
    d->self_free = on_own_thread;
    ws_broadcast(&d->work);
    ws_unlock(&d->lock);
    if (on_own_thread) return;    /* run() frees it on its way out */
    ws_thread_join(d->thread);
    destroy(d);
}

void ws_dispatcher_schedule(wbemsink_dispatcher *d, wbemsink *s)
{
    ws_lock(&d->lock);
    if (!s->scheduled) {
        s->scheduled = 1;
        ws_addref(s);
        if (d->tail) d->tail->run_next = s;
        else d->head = s;
        d->tail = s;
        ws_signal(&d->work);
    }
    ws_unlock(&d->lock);
}
