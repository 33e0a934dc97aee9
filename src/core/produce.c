/* The WMI side: what Indicate and SetStatus do. An Indicate that finds room
   takes no lock: an AddRef per object, one reservation in the ring, one
   store per object, a kick. Everything else (the first call, a full queue,
   the end, status calls) takes the lock. */
#include "core.h"
#include <stdlib.h>

static void release_range(IWbemClassObject **objs, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) IWbemClassObject_Release(objs[i]);
}

static void touch(wbemsink *s)
{
    if (s->opt.idle_timeout_ms) ws_atomic_store64(&s->last_activity_ms, (int64_t)ws_now_ms());
}

/* Waits, the lock held, for room under the WAIT policy; 0 when the time ran
   out or the operation ended. */
static int wait_for_room_locked(wbemsink *s, uint64_t deadline)
{
    if (s->opt.mode == WBEMSINK_MODE_INLINE && !s->draining) {
        ws_unlock(&s->lock);      /* nobody delivers: do it ourselves */
        ws_drain(s);
        ws_lock(&s->lock);
    } else {
        if (s->opt.mode == WBEMSINK_MODE_PULL) ws_event_set(&s->pull_ready);
        else if (s->opt.mode == WBEMSINK_MODE_THREAD) ws_kick(s);
        uint32_t left = ws_ms_left(deadline);
        if (left == 0) return 0;
        s->producers_waiting++;
        ws_cond_wait_ms(&s->not_full, &s->lock, left);
        s->producers_waiting--;
    }
    return !s->released && s->state < WS_ENDING;
}

/* Reserves up to n entries under the full policy, the lock held, and
   stores items[0..] (or WS_RING_MARK when items is NULL) in them. Returns
   how many were stored; *hr is the Indicate/SetStatus result. */
static size_t put_locked(wbemsink *s, void *const *items, size_t n, HRESULT *hr)
{
    size_t done = 0;
    uint64_t deadline = 0;
    *hr = WBEM_S_NO_ERROR;
    while (done < n) {
        size_t room = ws_ring_room(&s->ring), want = n - done;
        size_t k = want < room ? want : room;
        if (k < want && s->opt.full_policy == WBEMSINK_FULL_FAIL) {
            *hr = WBEM_E_OUT_OF_MEMORY;      /* all or nothing */
            break;
        }
        if (k) {
            int64_t seq;
            if (!ws_ring_grow(&s->ring, k)) {
                *hr = WBEM_E_OUT_OF_MEMORY;
                break;
            }
            /* Producers on the fast path may take the room meanwhile:
               then look again. */
            ws_ring_result r = ws_ring_reserve(&s->ring, k, &seq);
            if (r == WS_RING_CLOSED) break;
            if (r != WS_RING_OK) continue;
            ws_ring_store(&s->ring, seq, items ? items + done : NULL, k);
            if (!items) s->last_mark = seq;
            done += k;
            size_t count = ws_ring_count(&s->ring);
            if (count > s->stats.high_water) s->stats.high_water = (unsigned)count;
            continue;
        }
        if (s->opt.full_policy != WBEMSINK_FULL_WAIT) break;
        if (!deadline) deadline = ws_deadline(s->opt.full_wait_ms);
        if (!wait_for_room_locked(s, deadline)) break;
    }
    if (done < n) s->full_dropped += n - done;
    return done;
}

HRESULT ws_indicate(wbemsink *s, LONG count, IWbemClassObject **objects)
{
    int bad = count < 0 || (count > 0 && !objects);
    for (LONG i = 0; !bad && i < count; i++) bad = objects[i] == NULL;
    if (bad) {
        /* A call that said it carried objects lost them: loss, as a drop
           is (ws_final_hr_locked); a negative count carried none. */
        if (count > 0) {
            ws_refuse_objects(s);
        } else {
            ws_lock(&s->lock);
            s->stats.invalid_calls++;
            ws_unlock(&s->lock);
        }
        return WBEM_E_INVALID_PARAMETER;
    }
    size_t n = (size_t)count;
    for (size_t i = 0; i < n; i++) IWbemClassObject_AddRef(objects[i]);

    /* The fast path. The ring has no segment before the first call (which
       takes the lock and seals), and is closed at the end, so a reservation
       that succeeds needs no look at the state. */
    int64_t seq;
    if (n && ws_ring_reserve(&s->ring, n, &seq) == WS_RING_OK) {
        ws_ring_store(&s->ring, seq, (void *const *)objects, n);
        touch(s);
        ws_kick(s);
        return WBEM_S_NO_ERROR;
    }

    ws_lock(&s->lock);
    ws_seal_locked(s);
    if (s->released || s->state >= WS_ENDING) {
        HRESULT hr = ws_refused_locked(s);
        ws_unlock(&s->lock);
        release_range(objects, 0, n);
        return hr;
    }
    touch(s);
    HRESULT hr;
    size_t done = put_locked(s, (void *const *)objects, n, &hr);
    s->stats.received += n - done;   /* the stored ones are counted by the ring */
    s->stats.dropped += n - done;
    if (s->released || s->local_end) hr = WBEM_E_CALL_CANCELLED;
    ws_unlock(&s->lock);
    release_range(objects, done, n);
    if (done) ws_kick(s);
    return hr;
}

/* Undelivered progress coalesces into the newest (only the newest matters
   to a user, and a stalled consumer must not make memory grow): a progress
   call right after one still queued, with nothing in between, takes its
   place. One after objects keeps its own place, so that progress never
   overtakes the objects it reports on; it counts against the capacity. */
static void swap_contents(ws_status_node *a, ws_status_node *b)
{
    ws_status_node t = *a;
    a->flags = b->flags;
    a->hr = b->hr;
    a->param = b->param;
    a->obj = b->obj;
    b->flags = t.flags;
    b->hr = t.hr;
    b->param = t.param;
    b->obj = t.obj;
}

/* Queues a status call's node behind what is queued. Returns the SetStatus
   result; *kept is 0 when the node was not queued (the caller frees it:
   coalesced into the queued progress, or dropped for a full queue). */
static HRESULT queue_status_locked(wbemsink *s, ws_status_node *node, int *kept)
{
    wbemsink_status st;
    wbemsink_decode_status(node->flags, node->hr, &st);
    int progress = st.kind == WBEMSINK_STATUS_PROGRESS;
    *kept = 0;
    if (progress && s->progress && s->last_mark == ws_ring_tail(&s->ring) - 1) {
        swap_contents(s->progress, node);
        s->stats.status_coalesced++;
        return WBEM_S_NO_ERROR;
    }
    HRESULT hr;
    if (!put_locked(s, NULL, 1, &hr)) {
        s->stats.status_dropped++;
        return hr;
    }
    s->marks++;
    s->progress = progress ? node : NULL;
    if (s->status_tail) s->status_tail->next = node;
    else s->status_head = node;
    s->status_tail = node;
    s->stats.status_queued++;
    *kept = 1;
    return WBEM_S_NO_ERROR;
}

HRESULT ws_set_status(wbemsink *s, LONG flags, HRESULT hr, const wchar_t *param,
                      IWbemClassObject *obj)
{
    wbemsink_status st;
    wbemsink_decode_status(flags, hr, &st);
    wchar_t *copy = ws_wcsdup(param);
    /* A completion is kept even without its param: WMI never sends it twice. */
    if (param && !copy && st.kind != WBEMSINK_STATUS_COMPLETE) return WBEM_E_OUT_OF_MEMORY;
    ws_status_node *node = NULL;
    if (st.kind != WBEMSINK_STATUS_COMPLETE && !(node = calloc(1, sizeof(*node)))) {
        free(copy);
        return WBEM_E_OUT_OF_MEMORY;
    }
    if (obj) IWbemClassObject_AddRef(obj);

    ws_lock(&s->lock);
    ws_seal_locked(s);
    if (s->released || s->state >= WS_ENDING) {
        HRESULT ret = ws_refused_locked(s);
        ws_unlock(&s->lock);
        free(copy);
        if (obj) IWbemClassObject_Release(obj);
        free(node);
        return ret;
    }
    s->stats.status_calls++;
    touch(s);
    HRESULT ret = WBEM_S_NO_ERROR;
    int kept = 1;
    if (node) {
        node->flags = flags;
        node->hr = hr;
        node->param = copy;
        node->obj = obj;
        ret = queue_status_locked(s, node, &kept);
    } else {
        ws_end_locked(s, hr, copy, obj, 0);
    }
    ws_unlock(&s->lock);
    if (!kept) ws_status_free(node);
    else ws_kick(s);
    return ret;
}

HRESULT ws_wait_room(wbemsink *s, size_t n, uint32_t timeout_ms, size_t *room)
{
    uint64_t deadline = ws_deadline(timeout_ms);
    if (n > s->opt.capacity) n = s->opt.capacity;
    HRESULT hr;
    ws_lock(&s->lock);
    for (;;) {
        size_t ring_room = ws_ring_room(&s->ring);
        size_t free_now = ring_room > s->in_hand ? ring_room - s->in_hand : 0;
        if (room) *room = free_now;
        if (s->released || s->state >= WS_ENDING) {
            hr = WBEM_E_CALL_CANCELLED;
            break;
        }
        if (free_now >= n) {
            hr = S_OK;
            break;
        }
        uint32_t left = ws_ms_left(deadline);
        if (left == 0) {
            hr = WBEM_S_TIMEDOUT;
            break;
        }
        /* Woken like a producer waiting for room: the consumer signals
           not_full when it takes entries, and when on_objects returns,
           if someone waits. */
        s->producers_waiting++;
        ws_cond_wait_ms(&s->not_full, &s->lock, left);
        s->producers_waiting--;
    }
    ws_unlock(&s->lock);
    return hr;
}
