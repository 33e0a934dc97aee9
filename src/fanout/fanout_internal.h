/*
 * The fan-out's inside (see "Fan-out" in wbemsink.h), shared by the files
 * of src/fanout. Built on the public API only.
 *
 * Who holds the fan-out (f->refs): the caller, the monitor thread, each
 * worker thread. f->lock guards the scheduling state; f->cb_lock is held
 * around every user callback (so they never overlap) and guards
 * f->released.
 */
#ifndef WBEMSINK_FANOUT_INTERNAL_H
#define WBEMSINK_FANOUT_INTERNAL_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#include "wbemsink.h"

enum fanout_phase { FANOUT_IDLE, FANOUT_CONNECTING, FANOUT_RUNNING };

/* What a started target owns: copies of the caller's strings, so nothing
   of the caller's is read once it started (fanout_target.c). */
typedef struct fanout_target {
    size_t index;
    wchar_t *name;                      /* host, or the path */
    wchar_t *path;                      /* what wbemsink_connect gets */
    wbemsink_connect_options connect;   /* strings below owned */
    wchar_t *user, *password, *authority, *locale;
} fanout_target;

/* A worker thread (fanout_worker.c); freed by its own thread. */
typedef struct fanout_worker {
    struct wbemsink_fanout *f;
    unsigned slot;
    /* Under f->lock. */
    enum fanout_phase phase;
    ULONGLONG connect_due;      /* GetTickCount64 */
    int abandoned;              /* the monitor reported its target and took its slot */
    fanout_target target;       /* valid from phase CONNECTING on */
    ULONGLONG objects;          /* delivered for the current target (dispatcher thread) */
} fanout_worker;

struct wbemsink_fanout {
    volatile LONG refs;
    CRITICAL_SECTION lock;
    CRITICAL_SECTION cb_lock;
    DWORD cb_thread;            /* under cb_lock: the thread inside a callback */
    int released;               /* under cb_lock: no more callbacks */

    /* Borrowed from the caller (see wbemsink_fanout_start). */
    const wbemsink_target *targets;
    size_t count;
    wbemsink_fanout_options opt;    /* defaults filled in; query is ours */
    wbemsink_fanout_callbacks cb;
    wchar_t *query;                 /* owned copy of opt.query */

    wbemsink_dispatcher *dispatcher;
    HANDLE cancel_event;        /* manual reset: workers stop their operation */
    HANDLE done_event;          /* manual reset: on_complete has returned */
    HANDLE wake;                /* auto reset: the monitor looks again */

    /* Under lock. */
    size_t next;                /* next target to start */
    size_t reported;            /* targets whose on_target_done ran */
    unsigned active;            /* targets connecting or running */
    unsigned threads;           /* worker threads alive, stuck ones included */
    unsigned stuck;             /* workers let go inside ConnectServer */
    fanout_worker **slots;      /* opt.throttle entries, NULL when vacant */
    size_t *late;               /* the monitor's: targets it reports (throttle entries) */
    HRESULT *late_hr;
    int cancelled;
    HRESULT stop_hr;            /* what not-started targets end with */
    wbemsink_fanout_counts counts;
};

/* fanout_object.c: the object's life */
void fanout_addref(struct wbemsink_fanout *f);
void fanout_unref(struct wbemsink_fanout *f);
/* Frees f at once, whatever its count: start's failure paths, before
   anyone else holds it. */
void fanout_free(struct wbemsink_fanout *f);
/* Wakes the monitor thread (a slot freed, a cancel, the end). */
void fanout_wake(struct wbemsink_fanout *f);
/* True on the thread that runs one of f's callbacks now. */
int fanout_in_callback(struct wbemsink_fanout *f);

/* fanout_thread.c: a thread that keeps the module loaded until it ends. */
int fanout_thread_start(void (*fn)(void *), void *arg);

/* fanout_report.c */
/* Runs fn(arg) under the callback lock unless released; returns 0 when
   skipped. */
int fanout_callback(struct wbemsink_fanout *f, void (*fn)(void *), void *arg);
/* A target's one report: on_target_done, counts, and on_complete after
   the last one. name may be NULL (then the caller's target is read under
   the callback lock). Not under f->lock. */
void fanout_report(struct wbemsink_fanout *f, size_t index, const wchar_t *name, HRESULT hr,
                   ULONGLONG objects);
/* on_complete, then the done event (after the last report, or at once for
   no targets). */
void fanout_complete(struct wbemsink_fanout *f);

/* fanout_target.c */
/* Copies what target `index` needs (call under f->lock). */
HRESULT fanout_target_take(struct wbemsink_fanout *f, size_t index, fanout_target *t);
void fanout_target_free(fanout_target *t);

/* fanout_worker.c */
/* Starts a worker for slot `slot` (under f->lock). 0 on success. */
int fanout_worker_start(struct wbemsink_fanout *f, unsigned slot);

/* fanout_monitor.c */
void fanout_monitor(void *arg);

#endif
