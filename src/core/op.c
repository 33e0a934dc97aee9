/* The operation: the object's references, its one state, the callback
   frames, and the call into WMI that stops it. */
#include "core.h"
#include <stdlib.h>
#include <string.h>

wchar_t *ws_wcsdup(const wchar_t *w)
{
    if (!w) return NULL;
    size_t n = (wcslen(w) + 1) * sizeof(wchar_t);
    wchar_t *c = malloc(n);
    if (c) memcpy(c, w, n);
    return c;
}

void ws_status_free(ws_status_node *n)
{
    if (n->obj) IWbemClassObject_Release(n->obj);
    free(n->param);
    free(n);
}

unsigned long ws_addref(wbemsink *s)
{
    return (unsigned long)ws_atomic_inc(&s->ref);
}

static void destroy(wbemsink *s)
{
    ws_drop_locked(s);   /* the last reference: nobody else can lock */
    if (s->final_obj) IWbemClassObject_Release(s->final_obj);
    free(s->final_param);
    if (s->services) ws_port_services_release(s->services);
    if (s->dispatcher) wbemsink_dispatcher_release(s->dispatcher);
    ws_ring_free(&s->ring);
    void *shell = s->shell;
    if (s->opt.mode == WBEMSINK_MODE_PULL) ws_event_destroy(&s->pull_ready);
    ws_event_destroy(&s->done);
    ws_cond_destroy(&s->changed);
    ws_cond_destroy(&s->not_full);
    ws_mutex_destroy(&s->lock);
    free(s);
    /* Last: on Windows it gives back the sink's reference on the module,
       after which this thread only returns (src/win/module.c). */
    if (shell) ws_port_shell_free(shell);
}

unsigned long ws_unref(wbemsink *s)
{
    long r = ws_atomic_dec(&s->ref);
    if (r == 0) destroy(s);
    return (unsigned long)r;
}

void ws_seal_locked(wbemsink *s)
{
    if (s->state == WS_NEW) s->state = WS_RUNNING;
}

HRESULT ws_refused_locked(wbemsink *s)
{
    s->stats.ignored_calls++;
    return s->released || s->local_end ? WBEM_E_CALL_CANCELLED : WBEM_S_NO_ERROR;
}

int ws_end_locked(wbemsink *s, HRESULT hr, wchar_t *param, IWbemClassObject *obj, int local)
{
    if (s->state >= WS_ENDING) {
        free(param);
        if (obj) IWbemClassObject_Release(obj);
        return 0;
    }
    s->state = WS_ENDING;
    s->local_end = local;
    s->final_hr = hr;
    s->final_param = param;
    s->final_obj = obj;
    ws_ring_close(&s->ring);
    /* In PULL mode completion means "nothing more will arrive". */
    if (s->opt.mode == WBEMSINK_MODE_PULL) {
        ws_event_set(&s->done);
        ws_event_set(&s->pull_ready);
    }
    ws_broadcast(&s->not_full);
    ws_broadcast(&s->changed);
    return 1;
}

void ws_drop_locked(wbemsink *s)
{
    void *batch[64];
    size_t k;
    while ((k = ws_ring_take(&s->ring, batch, 64)) > 0) {
        if (batch[0] == WS_RING_MARK) {
            ws_status_node *n = s->status_head;
            s->status_head = n->next;
            if (!s->status_head) s->status_tail = NULL;
            if (s->progress == n) s->progress = NULL;
            s->stats.status_queued--;
            ws_status_free(n);
            continue;
        }
        s->stats.dropped += k;
        for (size_t i = 0; i < k; i++) IWbemClassObject_Release((IWbemClassObject *)batch[i]);
    }
    if (s->producers_waiting) ws_broadcast(&s->not_full);
}

HRESULT ws_final_hr_locked(const wbemsink *s)
{
    /* A failure says why the operation stopped: it stays. Under a success,
       refused objects come before dropped ones: a provider that broke the
       rules lost data whatever the queue's policy, and a dropped-objects
       success (DROP_NEWEST, the caller's choice) must not hide it. */
    if (FAILED(s->final_hr) || s->local_end) return s->final_hr;
    if (s->objects_refused) return WBEMSINK_E_OBJECTS_REFUSED;
    if (!s->full_dropped) return s->final_hr;
    return s->opt.full_policy == WBEMSINK_FULL_DROP_NEWEST ? WBEMSINK_S_OBJECTS_DROPPED
                                                            : WBEMSINK_E_OBJECTS_DROPPED;
}

void ws_refuse_objects(wbemsink *s)
{
    ws_lock(&s->lock);
    s->stats.invalid_calls++;
    /* After the end the result is known (and may have been given to
       on_complete already): it does not change any more. */
    if (s->state < WS_ENDING && !s->released) s->objects_refused = 1;
    ws_unlock(&s->lock);
}

/* ---- callback frames ---- */

/* The innermost open frame of the calling thread (callbacks may nest: a
   callback of one sink may drive another INLINE sink). */
static WS_THREAD_LOCAL ws_cb_frame *t_frames;

int ws_in_callback(const wbemsink *s)
{
    int n = 0;
    for (const ws_cb_frame *f = t_frames; f; f = f->prev) n += f->sink == s;
    return n;
}

int ws_in_any_callback(void)
{
    return t_frames != NULL;
}

void ws_wait_other_callbacks_locked(wbemsink *s)
{
    long mine = ws_in_callback(s);
    while (s->callbacks_running > mine) {
        s->callback_waiters++;
        ws_cond_wait_ms(&s->changed, &s->lock, WS_INFINITE);
        s->callback_waiters--;
    }
}

int ws_cb_enter_locked(wbemsink *s, ws_cb_frame *f, ws_cb_kind kind)
{
    if (kind == WS_CB_COMPLETE) {
        /* The last callback: IWbemObjectSinkEx ones still running on WMI's
           threads finish first, and none starts afterwards. */
        ws_wait_other_callbacks_locked(s);
        s->state = WS_DELIVERED;
    }
    if (s->released || (kind != WS_CB_COMPLETE && s->state == WS_DELIVERED)) return 0;
    if (kind == WS_CB_EX && s->state >= WS_ENDING) return 0;
    f->sink = s;
    f->prev = t_frames;
    t_frames = f;
    s->callbacks_running++;
    return 1;
}

void ws_cb_leave_locked(wbemsink *s, ws_cb_frame *f)
{
    t_frames = f->prev;
    s->callbacks_running--;
    if (s->callback_waiters) ws_broadcast(&s->changed);
}

/* ---- stopping the call at WMI ---- */

typedef struct cancel_job {
    wbemsink *sink;
    IWbemServices *services;
} cancel_job;

static ws_atomic cancels_running;

long ws_deferred_cancels_running(void)
{
    return ws_atomic_load(&cancels_running);
}

static void cancel_job_run(void *arg)
{
    cancel_job *job = arg;
    ws_port_cancel_call(job->services, job->sink->cancel_name, 1);
    ws_port_services_release(job->services);
    ws_unref(job->sink);
    free(job);
    ws_atomic_dec(&cancels_running);
}

HRESULT ws_cancel_at_wmi(wbemsink *s, IWbemServices *services, int defer)
{
    if (!defer) {
        HRESULT hr = ws_port_cancel_call(services, s->cancel_name, 0);
        ws_port_services_release(services);
        return hr;
    }
    cancel_job *job = malloc(sizeof(*job));
    if (job) {
        ws_thread t;
        job->sink = s;
        job->services = services;
        ws_addref(s);
        ws_atomic_inc(&cancels_running);
        if (ws_thread_start(&t, cancel_job_run, job) == 0) {
            ws_thread_detach(t);
            return S_OK;
        }
        ws_atomic_dec(&cancels_running);
        ws_unref(s);
        free(job);
    }
    /* Could not defer: calling from here might deadlock, so give up the
       call into WMI; the operation itself has ended already. */
    ws_port_services_release(services);
    return E_OUTOFMEMORY;
}
