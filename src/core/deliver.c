/* The caller's side: running callbacks in order, ending an operation,
   pulling, waiting. One thread at a time delivers (the "drainer"); it holds
   the lock while it takes from the queue and drops it around every
   callback. */
#include "core.h"
#include <stdlib.h>

#define BATCH 256      /* objects handed to on_objects per call at most */
#define PULL_SPIN 200  /* pause instructions before a puller sleeps: a few us */

void ws_kick(wbemsink *s)
{
    switch (s->opt.mode) {
    case WBEMSINK_MODE_THREAD:
        /* Looked at before trying: a sink already on the run list costs its
           producers a read, not a write to a line they all share. The
           store that published the work was a full barrier, and the
           dispatcher clears the mark before it drains (ws_task_run). */
        if (ws_atomic_load(&s->task.scheduled) == 0 && ws_atomic_cas(&s->task.scheduled, 0, 1) == 0) {
            ws_addref(s);    /* the dispatcher's, given back by ws_task_run */
            ws_dispatcher_post(s->dispatcher, &s->task);
        }
        break;
    case WBEMSINK_MODE_INLINE:
        ws_drain(s);
        break;
    case WBEMSINK_MODE_PULL:
        /* Paired with the puller's increment before it resets the event and
           looks at the queue (both full barriers, as was the store that
           published the work): either it sees what was stored, or we see
           it waiting and set the event after its reset. No lock: the event
           keeps the wake-up until the puller waits. */
        if (ws_atomic_load(&s->pull_armed) && ws_atomic_cas(&s->pull_armed, 1, 0) == 1)
            ws_event_set(&s->pull_ready);   /* once per sleep, not once per Indicate */
        break;
    }
}

void ws_task_run(ws_task *t)
{
    wbemsink *s = (wbemsink *)((char *)t - offsetof(wbemsink, task));
    /* Cleared before draining, so work stored from now on (which the drain
       might miss) schedules the sink again. */
    ws_atomic_store(&t->scheduled, 0);
    ws_drain(s);
    ws_unref(s);
}

HRESULT ws_end(wbemsink *s, HRESULT hr, IWbemServices *services, unsigned how)
{
    if (services) ws_port_services_addref(services);
    ws_lock(&s->lock);
    int ended = ws_end_locked(s, hr, NULL, NULL, 1);
    if (how & WS_END_RELEASE) s->released = 1;
    if (ended || (how & WS_END_RELEASE)) ws_drop_locked(s);
    IWbemServices *bound = NULL;
    if (ended || (how & WS_END_RELEASE)) {
        bound = s->services;
        s->services = NULL;
    }
    ws_unlock(&s->lock);

    if (services && bound) ws_port_services_release(bound);
    if (services) bound = services;
    HRESULT ret = ended ? S_OK : S_FALSE;
    if (bound) {
        if (ended && (how & WS_END_CALL_WMI))
            ret = ws_cancel_at_wmi(s, bound, ws_in_any_callback());
        else
            ws_port_services_release(bound);
    }
    /* After a release nobody is to be called: the releaser finishes the
       operation itself (wbemsink_release). */
    if (!(how & WS_END_RELEASE)) ws_kick(s);
    return ret;
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

static ws_status_node *take_status_locked(wbemsink *s)
{
    ws_status_node *n = s->status_head;
    s->status_head = n->next;
    if (!s->status_head) s->status_tail = NULL;
    if (s->progress == n) s->progress = NULL;
    s->stats.status_queued--;
    return n;
}

/* Takes from the ring as the consumer, noting the most queued. */
static size_t take_locked(wbemsink *s, void **out, size_t max)
{
    size_t count = ws_ring_count(&s->ring);
    if (count > s->stats.high_water) s->stats.high_water = (unsigned)count;
    return ws_ring_take(&s->ring, out, max);
}

static void delivered_locked(wbemsink *s, size_t k)
{
    s->stats.delivered += k;
    if (s->producers_waiting) ws_broadcast(&s->not_full);
}

/* As the drainer, the lock held: runs the status call whose mark was just
   taken. */
static void status_step_locked(wbemsink *s)
{
    ws_status_node *n = take_status_locked(s);
    if (s->producers_waiting) ws_broadcast(&s->not_full);
    ws_cb_frame f;
    if (!s->local_end && ws_cb_enter_locked(s, &f, WS_CB_DELIVERY)) {
        ws_unlock(&s->lock);
        run_status(s, n);
        ws_lock(&s->lock);
        ws_cb_leave_locked(s, &f);
    }
    ws_status_free(n);
}

/* As the drainer, the lock held: the completion, once everything queued
   before it is out. Returns 0 when it is not due. */
static int complete_step_locked(wbemsink *s)
{
    if (s->state != WS_ENDING || ws_ring_count(&s->ring) != 0) return 0;
    ws_cb_frame f;
    int run = ws_cb_enter_locked(s, &f, WS_CB_COMPLETE);
    IWbemServices *svc = s->services;   /* not needed any more: break the cycle */
    s->services = NULL;
    HRESULT hr = ws_final_hr_locked(s);
    ws_unlock(&s->lock);
    if (run && s->cb.on_complete) s->cb.on_complete(s->cb.context, hr, s->final_param, s->final_obj);
    if (svc) ws_port_services_release(svc);
    ws_lock(&s->lock);
    if (run) ws_cb_leave_locked(s, &f);
    if (s->opt.mode != WBEMSINK_MODE_PULL) ws_event_set(&s->done);
    return 1;
}

/* Objects taken after an end of our own, or after the release: stored
   by producers that reserved their place before the end. */
static void drop_taken_locked(wbemsink *s, IWbemClassObject **batch, size_t k)
{
    s->stats.dropped += k;
    if (s->producers_waiting) ws_broadcast(&s->not_full);
    for (size_t i = 0; i < k; i++) IWbemClassObject_Release(batch[i]);
}

/* As the drainer, the lock held: hands objects to on_objects. */
static void objects_step_locked(wbemsink *s, IWbemClassObject **batch, size_t k)
{
    ws_cb_frame f;
    if (s->local_end || !ws_cb_enter_locked(s, &f, WS_CB_DELIVERY)) {
        drop_taken_locked(s, batch, k);
        return;
    }
    delivered_locked(s, k);
    s->in_hand += k;   /* off the ring, not yet given back: see ws_wait_room */
    ws_unlock(&s->lock);
    HRESULT hr = S_OK;
    if (s->cb.on_objects) hr = s->cb.on_objects(s->cb.context, batch, (LONG)k);
    for (size_t i = 0; i < k; i++) IWbemClassObject_Release(batch[i]);
    /* Still inside the frame: the call into WMI goes to another thread. */
    if (FAILED(hr)) ws_end(s, WBEM_E_CALL_CANCELLED, NULL, WS_END_CALL_WMI);
    ws_lock(&s->lock);
    s->in_hand -= k;
    if (s->producers_waiting) ws_broadcast(&s->not_full);
    ws_cb_leave_locked(s, &f);
}

void ws_drain(wbemsink *s)
{
    IWbemClassObject *batch[BATCH];
    if (ws_in_callback(s)) return;   /* the frame's leaver kicks again */
    ws_addref(s);   /* a callback may release the reference our caller relies on */
    ws_lock(&s->lock);
    if (!s->draining) {
        s->draining = 1;
        for (;;) {
            if (s->state == WS_DELIVERED) {
                ws_drop_locked(s);   /* late arrivals reserved before the end */
                break;
            }
            size_t k = take_locked(s, (void **)batch, BATCH);
            if (k && batch[0] == (IWbemClassObject *)WS_RING_MARK) status_step_locked(s);
            else if (k) objects_step_locked(s, batch, k);
            else if (!complete_step_locked(s)) break;
        }
        s->draining = 0;
    }
    ws_unlock(&s->lock);
    ws_unref(s);
}

int ws_ex_enter(wbemsink *s, ws_cb_frame *f, HRESULT *refused)
{
    ws_lock(&s->lock);
    ws_seal_locked(s);
    int run = ws_cb_enter_locked(s, f, WS_CB_EX);
    if (!run) *refused = ws_refused_locked(s);
    ws_unlock(&s->lock);
    return run;
}

void ws_ex_leave(wbemsink *s, ws_cb_frame *f)
{
    ws_lock(&s->lock);
    ws_cb_leave_locked(s, f);
    int pending = s->state == WS_ENDING;
    ws_unlock(&s->lock);
    /* A cancel or release inside the callback could not deliver the
       completion from within it (INLINE): do it now. */
    if (pending) ws_kick(s);
}

/* ---- PULL mode ---- */

/* What a puller gets once the operation is over: the final result, the
   same as wbemsink_wait's, when it says something went wrong (a failure,
   or WBEMSINK_S_OBJECTS_DROPPED: a success with loss), else (WMI's
   success, S_OK or another success code) WBEM_S_NO_MORE_DATA. So
   `while (next == S_OK)` ends either way, and the loop's last HRESULT
   tells a clean end from the others. */
static HRESULT pull_end_locked(const wbemsink *s)
{
    HRESULT hr = ws_final_hr_locked(s);
    return FAILED(hr) || hr == WBEMSINK_S_OBJECTS_DROPPED ? hr : WBEM_S_NO_MORE_DATA;
}

/* Takes up to max objects into out, running the status callbacks and the
   completion due on the way. */
static HRESULT next_many(wbemsink *s, DWORD timeout_ms, IWbemClassObject **out, ULONG max,
                         ULONG *count)
{
    if (s->opt.mode != WBEMSINK_MODE_PULL) return WBEMSINK_E_WRONG_MODE;
    if (ws_in_callback(s)) return WBEMSINK_E_IN_CALLBACK;
    uint64_t deadline = ws_deadline(timeout_ms);
    HRESULT hr;
    ws_addref(s);   /* on_complete, run here, may release the caller's reference */
    ws_lock(&s->lock);
    for (;;) {
        if (s->released) {
            hr = WBEM_E_CALL_CANCELLED;
            break;
        }
        if (!s->draining) {
            s->draining = 1;             /* status callbacks run here */
            size_t k = take_locked(s, (void **)out, max);
            int stepped = 1;
            if (k && out[0] == (IWbemClassObject *)WS_RING_MARK) status_step_locked(s);
            else if (k && s->local_end) drop_taken_locked(s, out, k);
            else if (k) delivered_locked(s, k);
            else stepped = complete_step_locked(s);
            s->draining = 0;
            if (k && out[0] != (IWbemClassObject *)WS_RING_MARK && !s->local_end) {
                *count = (ULONG)k;
                hr = S_OK;
                break;
            }
            for (size_t i = 0; i < k; i++) out[i] = NULL;   /* a mark, or dropped: not the caller's */
            if (stepped) continue;
            if (s->state == WS_DELIVERED) {
                hr = pull_end_locked(s);
                break;
            }
        }
        uint32_t left = ws_ms_left(deadline);
        if (left == 0) {
            hr = WBEM_S_TIMEDOUT;
            break;
        }
        /* WMI sends in bursts: a short spin catches the next object
           without making every Indicate wake us. */
        ws_unlock(&s->lock);
        for (int i = 0; i < PULL_SPIN && !ws_ring_maybe_ready(&s->ring); i++) ws_cpu_relax();
        ws_lock(&s->lock);
        ws_atomic_inc(&s->pullers_waiting);
        /* Armed, reset, then looked at again (see ws_kick): a producer that
           stores from now on sees the arming and sets the event, which
           stays set for the wait. */
        ws_atomic_store(&s->pull_armed, 1);
        ws_event_reset(&s->pull_ready);
        if (!ws_ring_peek(&s->ring) && s->state < WS_ENDING && !s->released) {
            /* Without the lock: in an STA the wait runs WMI's calls (and
               with them Indicate and SetStatus on this sink). */
            ws_unlock(&s->lock);
            ws_event_wait_apartment(&s->pull_ready, left);
            ws_lock(&s->lock);
        }
        /* Disarmed by the last puller only (arming and this both hold the
           lock): another one may still be asleep, counting on it. (Since a
           puller that leaves arms again for those still asleep, see below,
           this is no longer what keeps them awake: every way on from here
           arms before it sleeps or leaves through that re-arming.) */
        if (ws_atomic_dec(&s->pullers_waiting) == 0) ws_atomic_store(&s->pull_armed, 0);
    }
    /* Our reset may have swallowed a wake-up meant for another puller,
       still asleep: the producer whose kick we swallowed disarmed, so no
       later store would wake it. Armed again (under the lock, as arming
       is), then looked at once more (the same pairing as in ws_kick):
       either a store from now on sees the arming and sets the event, or
       we see what is there and set it ourselves. */
    if (ws_atomic_load(&s->pullers_waiting)) {
        ws_atomic_store(&s->pull_armed, 1);
        if (ws_ring_peek(&s->ring) || s->state >= WS_ENDING || s->released)
            ws_event_set(&s->pull_ready);
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
    /* Waiting on the thread that must deliver the completion never ends:
       inside a callback of this sink, or of any sink on its dispatcher. */
    if (ws_in_callback(s) || (s->dispatcher && ws_dispatcher_is_current(s->dispatcher)))
        return WBEMSINK_E_IN_CALLBACK;
    /* The apartment wait: in an STA, WMI's calls arrive through this
       thread's messages, which must keep moving while we wait. */
    if (!ws_event_wait_apartment(&s->done, timeout_ms)) return WBEM_S_TIMEDOUT;
    if (final_hr) {
        ws_lock(&s->lock);
        *final_hr = ws_final_hr_locked(s);
        ws_unlock(&s->lock);
    }
    return S_OK;
}
