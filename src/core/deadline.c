/* Deadlines: a watch thread per sink that has one, ending the operation
   through ws_end when a deadline passes. */
#include "core.h"

/* The next deadline and the HRESULT it ends with; UINT64_MAX if none. */
static uint64_t next_due(wbemsink *s, HRESULT *why)
{
    uint64_t due = UINT64_MAX;
    if (s->opt.timeout_ms) {
        due = s->created_ms + s->opt.timeout_ms;
        *why = WBEM_E_TIMED_OUT;
    }
    uint64_t idle = (uint64_t)ws_atomic_load64(&s->last_activity_ms) + s->opt.idle_timeout_ms;
    if (s->opt.idle_timeout_ms && idle < due) {
        due = idle;
        *why = WBEMSINK_E_IDLE_TIMEOUT;
    }
    return due;
}

static void watch(void *arg)
{
    wbemsink *s = arg;     /* holds a reference, given back on the way out */
    HRESULT why = S_OK;
    ws_lock(&s->lock);
    while (!s->released && s->state < WS_ENDING) {
        uint64_t due = next_due(s, &why), now = ws_now_ms();
        if (now >= due) break;
        ws_cond_wait_ms(&s->changed, &s->lock, (uint32_t)(due - now));
    }
    int fire = !s->released && s->state < WS_ENDING;
    ws_unlock(&s->lock);
    /* Not WMI's thread and not inside a callback: CancelAsyncCall is made
       from here. */
    if (fire) ws_end(s, why, NULL, WS_END_CALL_WMI);
    ws_unref(s);
}

HRESULT ws_deadline_start(wbemsink *s)
{
    ws_thread t;
    ws_addref(s);
    if (ws_thread_start(&t, watch, s) != 0) {
        ws_unref(s);
        return E_OUTOFMEMORY;
    }
    ws_thread_detach(t);
    return S_OK;
}
