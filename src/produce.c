/* The WMI side: what Indicate and SetStatus do. This is the hot path, so it
   AddRefs outside the lock and takes the lock once per batch. */
#include "core.h"
#include <stdlib.h>

static void release_range(IWbemClassObject **objs, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) IWbemClassObject_Release(objs[i]);
}

void ws_kick(wbemsink *s)
{
    switch (s->opt.mode) {
    case WBEMSINK_MODE_THREAD:
        ws_dispatcher_schedule(s->dispatcher, s);
        break;
    case WBEMSINK_MODE_INLINE:
        ws_drain(s);
        break;
    case WBEMSINK_MODE_PULL:
        ws_lock(&s->lock);
        if (s->pullers_waiting) ws_broadcast(&s->changed);
        ws_unlock(&s->lock);
        break;
    }
}

static HRESULT refused_locked(wbemsink *s)
{
    s->stats.ignored_calls++;
    return s->closed || s->cancelled ? WBEM_E_CALL_CANCELLED : WBEM_S_NO_ERROR;
}

/* Waits (the lock held) for room under the WAIT policy; 0 when the time ran
   out or the operation ended. */
static int wait_for_room(wbemsink *s, uint64_t deadline)
{
    if (s->opt.mode == WBEMSINK_MODE_INLINE && !s->draining) {
        ws_unlock(&s->lock);      /* nobody delivers: do it ourselves */
        ws_drain(s);
        ws_lock(&s->lock);
    } else {
        if (s->opt.mode == WBEMSINK_MODE_THREAD)
            ws_dispatcher_schedule(s->dispatcher, s);
        else if (s->opt.mode == WBEMSINK_MODE_PULL && s->pullers_waiting)
            ws_broadcast(&s->changed);   /* what we queued so far: a puller may
                                            sleep in wbemsink_next meanwhile */
        uint32_t left = ws_ms_left(deadline);
        if (left == 0) return 0;
        s->producers_waiting++;
        ws_cond_wait_ms(&s->not_full, &s->lock, left);
        s->producers_waiting--;
    }
    return !s->closed && !s->completing;
}

HRESULT ws_indicate(wbemsink *s, LONG count, IWbemClassObject **objects)
{
    int bad = count < 0 || (count > 0 && !objects);
    for (LONG i = 0; !bad && i < count; i++) bad = objects[i] == NULL;
    if (bad) {
        ws_lock(&s->lock);
        s->stats.invalid_calls++;
        ws_unlock(&s->lock);
        return WBEM_E_INVALID_PARAMETER;
    }
    size_t n = (size_t)count;
    HRESULT direct;
    if (n && s->opt.mode == WBEMSINK_MODE_INLINE && ws_deliver_direct(s, objects, n, &direct))
        return direct;
    for (size_t i = 0; i < n; i++) IWbemClassObject_AddRef(objects[i]);

    ws_lock(&s->lock);
    s->sealed = 1;
    if (s->closed || s->completing) {
        HRESULT hr = refused_locked(s);
        ws_unlock(&s->lock);
        release_range(objects, 0, n);
        return hr;
    }
    s->stats.received += n;
    if (s->opt.idle_timeout_ms) s->last_activity_ms = ws_now_ms();
    HRESULT hr = WBEM_S_NO_ERROR;
    size_t done = 0;
    uint64_t deadline = 0;
    while (done < n) {
        size_t room = ws_queue_room(&s->queue);
        size_t k = n - done < room ? n - done : room;
        if (k < n && s->opt.full_policy == WBEMSINK_FULL_FAIL) {
            hr = WBEM_E_OUT_OF_MEMORY;      /* all or nothing */
            break;
        }
        size_t got = ws_queue_push(&s->queue, (void *const *)(objects + done), k);
        done += got;
        s->pushed += got;
        if (s->queue.count > s->stats.high_water) s->stats.high_water = (unsigned)s->queue.count;
        if (got < k) {
            hr = WBEM_E_OUT_OF_MEMORY;
            break;
        }
        if (done == n || s->opt.full_policy != WBEMSINK_FULL_WAIT) break;
        if (!deadline) deadline = ws_deadline(s->opt.full_wait_ms);
        if (!wait_for_room(s, deadline)) break;
    }
    s->stats.dropped += n - done;
    if (s->cancelled || s->closed) hr = WBEM_E_CALL_CANCELLED;
    /* PULL: wake a waiting puller now, rather than locking again to kick. */
    int pull = s->opt.mode == WBEMSINK_MODE_PULL;
    if (pull && done && s->pullers_waiting) ws_broadcast(&s->changed);
    ws_unlock(&s->lock);
    release_range(objects, done, n);
    if (done && !pull) ws_kick(s);
    return hr;
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
    if (st.kind != WBEMSINK_STATUS_COMPLETE) {
        node = malloc(sizeof(*node));
        if (!node) {
            free(copy);
            return WBEM_E_OUT_OF_MEMORY;
        }
        node->next = NULL;
        node->flags = flags;
        node->hr = hr;
        node->param = copy;
        node->obj = obj;
    }
    if (obj) IWbemClassObject_AddRef(obj);

    ws_lock(&s->lock);
    s->sealed = 1;
    if (s->closed || s->completing) {
        HRESULT ret = refused_locked(s);
        ws_unlock(&s->lock);
        if (node) ws_status_free(node);
        else {
            free(copy);
            if (obj) IWbemClassObject_Release(obj);
        }
        return ret;
    }
    s->stats.status_calls++;
    if (s->opt.idle_timeout_ms) s->last_activity_ms = ws_now_ms();
    if (node) {
        node->seq = s->pushed;
        if (s->status_tail) s->status_tail->next = node;
        else s->status_head = node;
        s->status_tail = node;
    } else {
        ws_complete_locked(s, hr, copy, obj);
    }
    ws_unlock(&s->lock);
    ws_kick(s);
    return WBEM_S_NO_ERROR;
}
