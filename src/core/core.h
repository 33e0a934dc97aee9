/* The sink's platform-neutral core: one operation's state, the queue, the
   order of objects and status calls, delivery, the dispatcher, deadlines.
   It knows nothing of COM: the Windows shell (src/win) wraps it, and talks
   to it through the functions below; what the core needs from the platform
   is in port.h.

   Files, from the bottom up (each calls only those above it in this list,
   never back): platform, ring, status, errors, version, dispatch, op (the
   object, its state and the callback frames), deliver (running callbacks,
   ending an operation, pulling, waiting), produce (Indicate, SetStatus),
   deadline, lifecycle (the public create/release/cancel/... functions). */
#ifndef WBEMSINK_CORE_H
#define WBEMSINK_CORE_H

#define COBJMACROS   /* C macros for COM calls: IWbemClassObject_Release(o) */
#ifdef WBEMSINK_HOST_COMPAT
#include "host_compat.h"
#endif
#include "wbemsink.h"
#include "platform.h"
#include "ring.h"
#include "event.h"
#include "port.h"

/* ---- error names (errors.c) ---- */

/* The name table's invariant, which its binary search relies on (checked
   by the host tests; not exported): 0 when strictly increasing with every
   name non-empty, else 1 + the index of the first bad entry. */
int ws_hresult_table_check(void);

/* ---- dispatcher (dispatch.c): runs tasks on its thread, in turn ---- */

/* Something a dispatcher runs: a sink with work. `scheduled` is 1 while it
   is on a run list; whoever sets it from 0 posts the task (and holds a
   reference on its owner for the dispatcher). */
typedef struct ws_task {
    struct ws_task *next;
    ws_atomic scheduled;
    void (*run)(struct ws_task *t);   /* clears `scheduled` first */
} ws_task;

void ws_dispatcher_addref(wbemsink_dispatcher *d);
/* The process-wide dispatcher that THREAD-mode sinks share unless given
   one: started with the first such sink; after the last one it lingers
   (WS_DISPATCHER_LINGER_MS by default), so queries run one after another
   reuse its thread. A reference for the caller. */
#define WS_DISPATCHER_LINGER_MS 250
HRESULT ws_dispatcher_shared(wbemsink_dispatcher **out);
/* Changes the linger time (tests that count memory set 0). */
void ws_dispatcher_set_linger(long ms);
/* Appends t to d's run list (t->scheduled was just set by the caller). */
void ws_dispatcher_post(wbemsink_dispatcher *d, ws_task *t);
/* True on d's own thread. */
int ws_dispatcher_is_current(wbemsink_dispatcher *d);

/* ---- the operation (op.c) ---- */

/* One life, in this order. The caller's release is apart (`released`): it
   may come at any point. */
typedef enum ws_state {
    WS_NEW,        /* not handed out: callbacks may still change */
    WS_RUNNING,    /* handed out or called: callbacks sealed */
    WS_ENDING,     /* the end is known (WMI's COMPLETE, cancel, deadline, failed
                      start, release); what was queued before it still goes out
                      (or, after an end of our own, is dropped) */
    WS_DELIVERED   /* on_complete ran (or was skipped): no callback any more */
} ws_state;

/* A status call waiting for its turn; its place in the ring is a mark. */
typedef struct ws_status_node {
    struct ws_status_node *next;
    LONG flags;
    HRESULT hr;
    wchar_t *param;           /* owned copy */
    IWbemClassObject *obj;    /* owned reference */
} ws_status_node;

struct wbemsink {
#ifdef _WIN32
    IWbemObjectSinkEx iface;  /* first: the COM object (src/win/sink.c) */
#else
    void *iface;
#endif
    ws_atomic ref;
    ws_ring ring;             /* objects and status marks, filled without a lock */
    ws_task task;             /* THREAD mode: on the dispatcher's run list */
    ws_atomic pullers_waiting;     /* PULL: consumers about to sleep or asleep
                                      in wbemsink_next */
    ws_atomic pull_armed;          /* PULL: a puller is about to sleep; the first
                                      producer to see it sets pull_ready */
    ws_atomic64 received;          /* stats.received, counted without the lock */
    ws_atomic64 last_activity_ms;  /* for options.idle_timeout_ms */
    wbemsink_callbacks cb;    /* written only in WS_NEW, read only after */
    wbemsink_options opt;
    wbemsink_dispatcher *dispatcher;   /* THREAD mode; owned reference */
    uint64_t created_ms;

    ws_mutex lock;
    ws_cond not_full;         /* producers waiting for room */
    ws_cond changed;          /* callback leavers, the deadline watch */
    ws_event done;            /* completion, for wait and the HANDLE */
    ws_event pull_ready;      /* PULL only: set when there may be something
                                 for a puller (an event, not `changed`, so a
                                 puller in an STA waits with the apartment
                                 wait and without the lock); reset by a
                                 puller before it looks at the queue */
    void *shell;              /* the platform shell's own (Windows: the
                                 sink's module reference and aggregated
                                 free-threaded marshaler), given back
                                 through ws_port_shell_free as the last step
                                 of freeing the sink; set under the lock */

    /* All below under lock. */
    ws_state state;
    int released;             /* wbemsink_release was called */
    int local_end;            /* the end was ours: queued objects are dropped,
                                 WMI's later calls get WBEM_E_CALL_CANCELLED */
    HRESULT final_hr;
    wchar_t *final_param;     /* owned copy */
    IWbemClassObject *final_obj;   /* owned reference */
    ws_status_node *status_head, *status_tail;
    ws_status_node *progress;      /* the newest mark's node, if a progress call */
    int64_t last_mark;             /* ring position of the newest status mark */
    int64_t marks;                 /* status marks ever queued (the rest of the
                                      ring's entries are objects received) */
    int draining;             /* one thread delivers at a time */
    size_t in_hand;           /* objects taken off the ring and now in
                                 on_objects: still held (the library
                                 Releases them after it), so paced delivery
                                 counts them against the room (ws_wait_room) */
    long callbacks_running;   /* callback frames open, on any thread */
    long callback_waiters;    /* threads waiting for those to close */
    int producers_waiting;    /* in Indicate, waiting for room */
    IWbemServices *services;  /* bound for stop requests; owned reference */
    IWbemObjectSink *cancel_name;  /* what WMI was given, to name the call in
                                      CancelAsyncCall (borrowed: identity only) */
    uint64_t full_dropped;    /* objects and status calls dropped for a full queue */
    int objects_refused;      /* objects refused before the end (a bad
                                 Indicate, a provider that broke the rules) */
    wbemsink_stats stats;
};

/* Reference counting of the object (COM's AddRef/Release for the shell). */
unsigned long ws_addref(wbemsink *s);
unsigned long ws_unref(wbemsink *s);

/* State changes, the lock held. */
/* NEW -> RUNNING: the callbacks are sealed. */
void ws_seal_locked(wbemsink *s);
/* A call from WMI after the end: counted, and what it is answered. */
HRESULT ws_refused_locked(wbemsink *s);
/* {NEW, RUNNING} -> ENDING with hr (param and obj taken over, may be NULL);
   `local`: the end is ours (cancel, deadline, failure, release). Closes the
   ring. Returns 0, changing nothing, when the operation had already ended. */
int ws_end_locked(wbemsink *s, HRESULT hr, wchar_t *param, IWbemClassObject *obj, int local);
/* Releases every stored entry of the ring and every queued status call,
   counted as dropped. */
void ws_drop_locked(wbemsink *s);
/* The result the user sees, the one place that decides it: a failure
   (WMI's, or the local end's) as it is; under WMI's success,
   WBEMSINK_E_OBJECTS_REFUSED if objects were refused, else
   WBEMSINK_*_OBJECTS_DROPPED if some were dropped for a full queue, else
   WMI's. */
HRESULT ws_final_hr_locked(const wbemsink *s);
/* Objects WMI or a provider handed over were refused (bad arguments, a
   provider that broke the rules): counted in stats.invalid_calls, and,
   before the end, the operation cannot end with success any more. For the
   shell too (paced delivery's enumerator). Takes the lock. */
void ws_refuse_objects(wbemsink *s);

/* Callback frames. Every callback, the IWbemObjectSinkEx ones included,
   runs between ws_cb_enter_locked and ws_cb_leave_locked; release, wait,
   next and cancel consult them. */
typedef enum ws_cb_kind {
    WS_CB_DELIVERY,   /* objects and status calls, by the one drainer */
    WS_CB_EX,         /* IWbemObjectSinkEx, at once on WMI's thread */
    WS_CB_COMPLETE    /* on_complete: waits for the others; the last */
} ws_cb_kind;
typedef struct ws_cb_frame {
    wbemsink *sink;
    struct ws_cb_frame *prev;
} ws_cb_frame;
/* Returns 1 when the callback may run (the frame is then open), 0 when
   callbacks are over. WS_CB_COMPLETE moves the state to WS_DELIVERED
   either way. */
int ws_cb_enter_locked(wbemsink *s, ws_cb_frame *f, ws_cb_kind kind);
void ws_cb_leave_locked(wbemsink *s, ws_cb_frame *f);
/* Frames of s open on the calling thread. */
int ws_in_callback(const wbemsink *s);
/* True inside a callback of any sink: calls into WMI must then go to
   another thread (the caller may be on WMI's). */
int ws_in_any_callback(void);
/* Waits, the lock held, until only the calling thread's frames are open. */
void ws_wait_other_callbacks_locked(wbemsink *s);

/* Calls CancelAsyncCall on services for s, now, or from a thread of the
   library when `defer`. Takes over the services reference. */
HRESULT ws_cancel_at_wmi(wbemsink *s, IWbemServices *services, int defer);
/* Deferred CancelAsyncCall threads still running, process-wide. */
long ws_deferred_cancels_running(void);

wchar_t *ws_wcsdup(const wchar_t *w);
void ws_status_free(ws_status_node *n);

/* ---- delivery (deliver.c) ---- */

/* Makes whoever delivers notice new work; call without the lock. */
void ws_kick(wbemsink *s);
/* Runs pending callbacks on the calling thread unless another thread is
   already doing so (or this one is inside a callback of s). */
void ws_drain(wbemsink *s);
/* The task a dispatcher runs for a THREAD-mode sink. */
void ws_task_run(ws_task *t);

/* Ends the operation: the one function for every end but WMI's own
   COMPLETE. Under the lock: ENDING with hr, what is queued dropped, the
   bound services taken; then, without it: CancelAsyncCall on `services`
   (borrowed; NULL: the bound one) when WS_END_CALL_WMI (from another
   thread if inside a callback), the services given back, delivery kicked.
   WS_END_RELEASE also marks the caller's release and drops what is queued
   even when the operation had ended already, and kicks nobody. Returns S_FALSE if it had
   already ended, else S_OK or CancelAsyncCall's failure. */
#define WS_END_CALL_WMI 1u
#define WS_END_RELEASE 2u
HRESULT ws_end(wbemsink *s, HRESULT hr, IWbemServices *services, unsigned how);

/* An IWbemObjectSinkEx callback, run at once on the calling thread as a
   callback of s: returns 1 with the frame open, or 0 with *refused set to
   what WMI is answered. ws_ex_leave closes it. */
int ws_ex_enter(wbemsink *s, ws_cb_frame *f, HRESULT *refused);
void ws_ex_leave(wbemsink *s, ws_cb_frame *f);

/* ---- WMI's side (produce.c), after the shell checked the interface ---- */

HRESULT ws_indicate(wbemsink *s, LONG count, IWbemClassObject **objects);
HRESULT ws_set_status(wbemsink *s, LONG flags, HRESULT hr, const wchar_t *param, IWbemClassObject *obj);

/* For paced delivery (a producer that asks for objects only when they
   fit): waits up to timeout_ms until the queue has room for n entries (n
   above the capacity counts as the capacity), and gives the room seen in
   *room (may be NULL). The room is the capacity less what the ring holds
   and less the objects in on_objects now (in_hand): so the objects a paced
   producer has handed over and on_objects has not returned stay within the
   capacity, in every mode. S_OK: room; WBEM_S_TIMEDOUT; WBEM_E_CALL_CANCELLED:
   the operation ended or was released (stop asking). */
HRESULT ws_wait_room(wbemsink *s, size_t n, uint32_t timeout_ms, size_t *room);

/* ---- deadlines (deadline.c) ---- */

/* Starts the thread that enforces options.timeout_ms/idle_timeout_ms. */
HRESULT ws_deadline_start(wbemsink *s);

#endif
