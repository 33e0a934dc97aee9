/* The caller's side: running callbacks in order, pulling, waiting. One
   thread at a time delivers (the "drainer"); it drops the lock around every
   callback. */
#include "core.h"
#include <stdlib.h>

#define BATCH 256   /* objects handed to on_objects per call at most */

void ws_complete_locked(wbemsink *s, HRESULT hr, wchar_t *param, IWbemClassObject *obj)
{
    s->completing = 1;
    s->final_hr = hr;
    s->final_param = param;
    s->final_obj = obj;
    /* In PULL mode completion means "nothing more will arrive". */
    if (s->opt.mode == WBEMSINK_MODE_PULL) ws_event_set(&s->done);
    ws_broadcast(&s->not_full);
    ws_broadcast(&s->changed);
}

static void run_status(wbemsink *s, const ws_status_node *n)
{
    wbemsink_status st;
    wbemsink_decode_status(n->flags, n->hr, &st);
    const wbemsink_callbacks *cb = &s->cb;
    switch (st.kind) {
    case WBEMSINK_STATUS_PROGRESS:
        if (cb->on_progress) cb->on_progress(cb->context, st.current, st.total, n->param);
        break;
    case WBEMSINK_STATUS_REQUIREMENTS:
        if (cb->on_requirements) cb->on_requirements(cb->context, n->hr, n->param, n->obj);
        break;
    default:
        if (cb->on_other_status) cb->on_other_status(cb->context, n->flags, n->hr, n->param, n->obj);
        break;
    }
}

/* A callback asked to stop: end locally now, and call into WMI from another
   thread (we may be on WMI's). */
static void stop_from_callback(wbemsink *s)
{
    ws_dropped d;
    IWbemServices *svc = NULL;
    ws_lock(&s->lock);
    int stopped = ws_end_locked(s, WBEM_E_CALL_CANCELLED, &d, &svc);
    ws_unlock(&s->lock);
    if (!stopped) return;
    ws_dropped_release(&d);
    if (svc) ws_shell_cancel_async(s, svc, 1);
}

enum { STEP_NONE, STEP_DONE };

/* As the drainer, with the lock held: runs the next due status callback, or
   the completion when all else is out. Objects are the caller's business. */
static int step_status_locked(wbemsink *s)
{
    ws_status_node *n = s->status_head;
    if (n && n->seq <= s->popped) {
        s->status_head = n->next;
        if (!s->status_head) s->status_tail = NULL;
        int closed = s->closed;
        ws_unlock(&s->lock);
        if (!closed) run_status(s, n);
        ws_status_free(n);
        ws_lock(&s->lock);
        return STEP_DONE;
    }
    if (s->completing && !s->completed && !n && s->queue.count == 0) {
        s->completed = 1;
        IWbemServices *svc = s->services;   /* not needed any more: break the cycle */
        s->services = NULL;
        int closed = s->closed;
        ws_unlock(&s->lock);
        const wbemsink_callbacks *cb = &s->cb;
        if (!closed && cb->on_complete)
            cb->on_complete(cb->context, s->final_hr, s->final_param, s->final_obj);
        if (svc) ws_shell_services_release(svc);
        ws_lock(&s->lock);
        if (s->opt.mode != WBEMSINK_MODE_PULL) ws_event_set(&s->done);
        return STEP_DONE;
    }
    return STEP_NONE;
}

/* Objects that may go out before the next status call. */
static size_t due_objects_locked(const wbemsink *s)
{
    size_t k = s->queue.count;
    if (s->status_head && s->status_head->seq - s->popped < k)
        k = (size_t)(s->status_head->seq - s->popped);
    return k;
}

static size_t take_objects_locked(wbemsink *s, IWbemClassObject **out, size_t max)
{
    size_t k = due_objects_locked(s);
    if (k > max) k = max;
    k = ws_queue_pop(&s->queue, (void **)out, k);
    s->popped += k;
    s->stats.delivered += k;
    if (k && s->producers_waiting) ws_broadcast(&s->not_full);
    return k;
}

void ws_drain(wbemsink *s)
{
    IWbemClassObject *batch[BATCH];
    ws_addref(s);   /* a callback may release the reference our caller relies on */
    ws_lock(&s->lock);
    if (s->draining) {
        ws_unlock(&s->lock);
        ws_unref(s);
        return;
    }
    s->draining = 1;
    s->drainer = ws_thread_self();
    while (!s->closed) {
        size_t k = take_objects_locked(s, batch, BATCH);
        if (k) {
            ws_unlock(&s->lock);
            HRESULT hr = S_OK;
            if (s->cb.on_objects)
                hr = s->cb.on_objects(s->cb.context, batch, (LONG)k);
            for (size_t i = 0; i < k; i++) IWbemClassObject_Release(batch[i]);
            if (FAILED(hr)) stop_from_callback(s);
            ws_lock(&s->lock);
            continue;
        }
        if (step_status_locked(s) == STEP_NONE) break;
    }
    s->draining = 0;
    s->drainer = 0;
    ws_broadcast(&s->changed);
    ws_unlock(&s->lock);
    ws_unref(s);
}

int ws_deliver_direct(wbemsink *s, IWbemClassObject **objects, size_t n, HRESULT *result)
{
    ws_lock(&s->lock);
    if (s->closed || s->completing || s->draining || s->queue.count || s->status_head) {
        ws_unlock(&s->lock);
        return 0;
    }
    s->sealed = 1;
    s->stats.received += n;
    s->stats.delivered += n;
    s->pushed += n;
    s->popped += n;
    if (s->opt.idle_timeout_ms) s->last_activity_ms = ws_now_ms();
    s->draining = 1;
    s->drainer = ws_thread_self();
    ws_unlock(&s->lock);

    HRESULT hr = S_OK;
    if (s->cb.on_objects) hr = s->cb.on_objects(s->cb.context, objects, (LONG)n);
    if (FAILED(hr)) stop_from_callback(s);

    ws_lock(&s->lock);
    s->draining = 0;
    s->drainer = 0;
    *result = s->cancelled || s->closed ? WBEM_E_CALL_CANCELLED : WBEM_S_NO_ERROR;
    int more = s->queue.count || s->status_head || (s->completing && !s->completed);
    ws_broadcast(&s->changed);
    ws_unlock(&s->lock);
    if (more) ws_drain(s);   /* what other threads sent while we were in the callback */
    return 1;
}

/* Takes up to max objects into out (one lock for the lot), running the
   status callbacks due on the way. */
static HRESULT next_many(wbemsink *s, DWORD timeout_ms, IWbemClassObject **out, ULONG max,
                         ULONG *count)
{
    if (s->opt.mode != WBEMSINK_MODE_PULL) return WBEMSINK_E_WRONG_MODE;
    uint64_t deadline = ws_deadline(timeout_ms);
    HRESULT hr;
    ws_addref(s);   /* on_complete, run here, may release the caller's reference */
    ws_lock(&s->lock);
    if (ws_in_callback_locked(s)) {
        ws_unlock(&s->lock);
        ws_unref(s);
        return WBEMSINK_E_IN_CALLBACK;
    }
    for (;;) {
        if (s->closed) {
            hr = WBEM_E_CALL_CANCELLED;
            break;
        }
        if (!s->draining) {
            if ((*count = (ULONG)take_objects_locked(s, out, max)) > 0) {
                hr = S_OK;
                break;
            }
            s->draining = 1;             /* status callbacks run here */
            s->drainer = ws_thread_self();
            int step = step_status_locked(s);
            s->draining = 0;
            s->drainer = 0;
            ws_broadcast(&s->changed);
            if (step != STEP_NONE) continue;
            if (s->completed) {
                hr = WBEM_S_NO_MORE_DATA;
                break;
            }
        }
        uint32_t left = ws_ms_left(deadline);
        if (left == 0) {
            hr = WBEM_S_TIMEDOUT;
            break;
        }
        s->pullers_waiting++;
        ws_cond_wait_ms(&s->changed, &s->lock, left);
        s->pullers_waiting--;
    }
    ws_unlock(&s->lock);
    ws_unref(s);
    return hr;
}

HRESULT wbemsink_next(wbemsink *s, DWORD timeout_ms, IWbemClassObject **out)
{
    if (out) *out = NULL;
    if (!s || !out) return E_POINTER;
    ULONG count = 0;
    return next_many(s, timeout_ms, out, 1, &count);
}

HRESULT wbemsink_next_batch(wbemsink *s, DWORD timeout_ms, IWbemClassObject **objects, ULONG max,
                            ULONG *count)
{
    if (count) *count = 0;
    if (!s || !objects || !count) return E_POINTER;
    if (max == 0) return E_INVALIDARG;
    return next_many(s, timeout_ms, objects, max, count);
}

HRESULT wbemsink_wait(wbemsink *s, DWORD timeout_ms, HRESULT *final_hr)
{
    if (!s) return E_POINTER;
    ws_lock(&s->lock);
    int in_cb = ws_in_callback_locked(s);
    ws_unlock(&s->lock);
    /* Waiting on the thread that must deliver the completion never ends:
       inside a callback of this sink, or of any sink on its dispatcher. */
    if (in_cb || (s->dispatcher && ws_dispatcher_is_current(s->dispatcher)))
        return WBEMSINK_E_IN_CALLBACK;
    if (!ws_event_wait(&s->done, timeout_ms)) return WBEM_S_TIMEDOUT;
    if (final_hr) {
        ws_lock(&s->lock);
        *final_hr = s->final_hr;
        ws_unlock(&s->lock);
    }
    return S_OK;
}
