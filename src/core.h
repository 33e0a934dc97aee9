/* The sink's platform-neutral core: its state, the queue, the completion
   state machine and delivery. The COM shell (sink.c) embeds nothing of its
   own: struct wbemsink is the COM object, interface first. */
#ifndef WBEMSINK_CORE_H
#define WBEMSINK_CORE_H

#define COBJMACROS   /* C macros for COM calls: IWbemClassObject_Release(o) */
#ifdef WBEMSINK_HOST_COMPAT
#include "host_compat.h"
#endif
#include "wbemsink.h"
#include "platform.h"
#include "queue.h"
#include "event.h"

/* A status call waiting for its turn behind the objects sent before it. */
typedef struct ws_status_node {
    struct ws_status_node *next;
    uint64_t seq;             /* objects queued before it */
    LONG flags;
    HRESULT hr;
    wchar_t *param;           /* owned copy */
    IWbemClassObject *obj;    /* owned reference */
} ws_status_node;

struct wbemsink {
#ifdef _WIN32
    IWbemObjectSink iface;    /* first: the COM object (sink.c) */
#else
    void *iface_placeholder;
#endif
    volatile long ref;
    wbemsink_callbacks cb;
    wbemsink_options opt;

    ws_mutex lock;
    ws_cond not_full;         /* producers waiting for room */
    ws_cond changed;          /* pull consumers and release waiting */
    ws_event done;            /* completion, for wait and the HANDLE */

    /* All below under lock. */
    ws_queue queue;
    uint64_t pushed, popped;  /* objects ever queued / taken */
    ws_status_node *status_head, *status_tail;

    int sealed;               /* callbacks may no longer change */
    int closed;               /* wbemsink_release was called */
    int completing;           /* completion known (WMI's or a cancel) */
    int completed;            /* on_complete ran (or was skipped) */
    int cancelled;
    HRESULT final_hr;
    wchar_t *final_param;     /* owned copy */
    IWbemClassObject *final_obj;   /* owned reference */

    int producers_waiting;    /* in Indicate, waiting for room */
    int pullers_waiting;      /* in wbemsink_next, waiting for objects */
    int draining;             /* one thread runs callbacks at a time */
    ws_thread_id drainer;

    IWbemServices *services;  /* bound for stop requests; owned reference */
    uint64_t created_ms;      /* for options.timeout_ms */
    uint64_t last_activity_ms;   /* for options.idle_timeout_ms */

    wbemsink_dispatcher *dispatcher;   /* THREAD mode; owned reference */
    struct wbemsink *run_next;         /* dispatcher's run list, its lock */
    volatile long scheduled;           /* on the run list (atomic: the fast
                                          path of Indicate skips the
                                          dispatcher's lock when set) */

    wbemsink_stats stats;
};

/* Reference counting of the object (COM's AddRef/Release for the shell). */
unsigned long ws_addref(wbemsink *s);
unsigned long ws_unref(wbemsink *s);

/* What Indicate and SetStatus do, after the shell checked the arguments. */
HRESULT ws_indicate(wbemsink *s, LONG count, IWbemClassObject **objects);
HRESULT ws_set_status(wbemsink *s, LONG flags, HRESULT hr, const wchar_t *param, IWbemClassObject *obj);

/* Runs pending callbacks on the calling thread unless another thread is
   already doing so (dispatcher threads and INLINE mode call it). */
void ws_drain(wbemsink *s);
/* INLINE mode's fast path: with nothing queued and nobody delivering, hands
   WMI's own array to on_objects at once (borrowed for the call, so no
   AddRef, no queue). Returns 0, having done nothing, when it cannot; else
   1 with Indicate's result in *result. */
int ws_deliver_direct(wbemsink *s, IWbemClassObject **objects, size_t n, HRESULT *result);

/* Dispatcher (dispatch.c). */
void ws_dispatcher_addref(wbemsink_dispatcher *d);
/* The process-wide dispatcher that THREAD-mode sinks share unless given
   one: started with the first such sink, ended with the last. A reference
   for the caller. */
HRESULT ws_dispatcher_shared(wbemsink_dispatcher **out);
/* True on d's own thread (inside some sink's callback). */
int ws_dispatcher_is_current(wbemsink_dispatcher *d);
void ws_dispatcher_schedule(wbemsink_dispatcher *d, wbemsink *s);

/* The shell's part (sink.c on Windows, the host tests elsewhere). */
void ws_shell_init(wbemsink *s);
/* Calls CancelAsyncCall(services, sink). `defer`: from another thread,
   because the caller is inside a callback. Takes over the services
   reference it is given. Returns the call's result (S_OK when deferred). */
HRESULT ws_shell_cancel_async(wbemsink *s, IWbemServices *services, int defer);
void ws_shell_services_addref(IWbemServices *services);
void ws_shell_services_release(IWbemServices *services);

#endif

/* ---- internal helpers shared by the core's files (lock order: a sink's
   lock may be held while taking a dispatcher's, never the reverse) ---- */

/* What was pending when an operation ended early, moved out under the lock
   and Released after it. */
typedef struct ws_dropped {
    ws_queue queue;
    ws_status_node *status;
} ws_dropped;
void ws_drop_pending_locked(wbemsink *s, ws_dropped *d);
void ws_dropped_release(ws_dropped *d);

/* Records the completion (the first one only); takes over param and obj. */
void ws_complete_locked(wbemsink *s, HRESULT hr, wchar_t *param, IWbemClassObject *obj);
/* Ends the operation locally: drops what is queued, completes with hr
   (WBEM_E_CALL_CANCELLED for a cancel), hands back the bound services
   reference to cancel with (may be NULL). Returns 0 if the operation had
   already completed. */
int ws_end_locked(wbemsink *s, HRESULT hr, ws_dropped *d, IWbemServices **services);
/* Starts the thread that enforces options.timeout_ms/idle_timeout_ms. */
HRESULT ws_deadline_start(wbemsink *s);
/* Makes whoever delivers notice new work; call without the lock. */
void ws_kick(wbemsink *s);
/* True when the calling thread is running one of s's callbacks. */
static inline int ws_in_callback_locked(const wbemsink *s)
{
    return s->draining && s->drainer == ws_thread_self();
}
wchar_t *ws_wcsdup(const wchar_t *w);
void ws_status_free(ws_status_node *n);
