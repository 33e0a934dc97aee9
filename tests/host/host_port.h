/* The host (Linux) side of the tests: the core's port (host_port.c),
   counting objects and a fake IWbemServices (host_port.c),
   a counting allocator (host_alloc.c) and a callback recorder
   (host_support.c). Nothing here pretends to be Windows: objects and
   services are plain structs the core only sees as opaque pointers. */
#ifndef WBEMSINK_HOST_PORT_H
#define WBEMSINK_HOST_PORT_H

#include "core.h"
#include <stddef.h>
#include <stdint.h>

/* ---- counting objects (IWbemClassObject is opaque to the core) ---- */

#define HOST_OBJECT_MAGIC 0x0b1ec7u

struct IWbemClassObject {
    long ref;             /* atomic */
    uint32_t magic;
    uint32_t producer;    /* who made it (stress: producer index) */
    uint64_t seq;         /* order within its producer */
    long delivered;       /* atomic: times handed to on_objects / next */
};

typedef struct host_object_counts {
    long long addrefs, releases;
    long long over_release;     /* Release that took the count below zero */
    long long use_after_zero;   /* AddRef of an object whose count was 0 */
    long long bad_object;       /* not one of ours (magic) */
} host_object_counts;

/* A pool of n objects, each with ref 1 (the producer's, as WMI holds one
   while it calls Indicate). Not counted by the allocator. */
IWbemClassObject *host_objects_new(size_t n);
void host_objects_free(IWbemClassObject *pool);
void host_object_counts_get(host_object_counts *out);
/* Errors (over-release, use after zero, bad object) since start. */
long long host_object_errors(void);

/* ---- fake IWbemServices ---- */

struct IWbemServices {
    long ref;               /* atomic */
    long cancels;           /* atomic: CancelAsyncCall calls */
    long cancels_in_wmi;    /* atomic: made on a thread inside Indicate/SetStatus
                               (Wine deadlocks there) */
    long deferred;          /* atomic: made through the deferred path */
    HRESULT cancel_hr;      /* what CancelAsyncCall returns */
    /* Called inside CancelAsyncCall when set (a test holds the call there). */
    void (*cancel_hook)(IWbemServices *svc);
    void *hook_context;
};

IWbemServices *host_services_new(HRESULT cancel_hr);
/* Drops the test's reference; returns the count left (0: freed by us). */
long host_services_release(IWbemServices *svc);
long host_services_refs(IWbemServices *svc);

/* ---- WMI's side: calls made "from WMI's thread" ---- */

/* ws_indicate / ws_set_status with a thread-local flag set, so the fake
   services can tell a CancelAsyncCall made from inside them. */
HRESULT host_indicate(wbemsink *s, LONG n, IWbemClassObject **objs);
HRESULT host_set_status(wbemsink *s, LONG flags, HRESULT hr, const wchar_t *param,
                        IWbemClassObject *obj);

/* Waits until every deferred CancelAsyncCall thread has finished (they
   hold sink and services references). Returns 0 on timeout. */
int host_quiesce(unsigned timeout_ms);
/* CancelAsyncCall calls made from a library thread, since start. */
long host_deferred_cancels(void);

/* Sets the hook the core's host events call before each reset and wait
   (WS_EVENT_AT_RESET / WS_EVENT_AT_WAIT; NULL: none), on the calling
   thread, holding no lock of the event: a test holds a thread there to
   force an interleaving. */
void host_set_event_hook(void (*hook)(ws_event *e, int point));

/* Sets the hook called by the releaser that takes the shared dispatcher's
   count to 0, before it signals the dispatcher's thread (NULL: none). */
void host_set_dispatcher_idle_hook(void (*hook)(wbemsink_dispatcher *d));

/* ---- counting allocator (host_alloc.c; the core's sources reach it through
   host_alloc_redirect.h, force-included) ---- */

long host_alloc_live(void);               /* blocks allocated and not freed */
long long host_alloc_total(void);         /* allocations made */
/* Makes the nth next allocation fail (1 = the next one); 0 disarms. */
void host_alloc_fail_nth(long n);
long long host_alloc_failures(void);      /* allocations refused so far */
/* Polls until the live count is back to `base` (teardown on detached
   threads may lag); returns the live count seen last. */
long host_alloc_settle(long base, unsigned timeout_ms);
void *host_raw_calloc(size_t n, size_t size);   /* not counted */
void host_raw_free(void *p);

/* ---- callback recorder (host_support.c) ---- */

typedef struct host_rec {
    wbemsink *sink;              /* for callbacks that act on it */
    long objects, object_calls;  /* atomic */
    long progress, requirements, other, completes;
    long after_release;          /* callbacks that ran after release returned */
    long concurrent;             /* callbacks of this sink running at once > 1 */
    long inside;                 /* callbacks running now */
    long released;               /* set once wbemsink_release returned */
    long out_of_order;           /* objects of one producer not in seq order */
    uint64_t next_seq[16];       /* per producer, only touched in callbacks */
    HRESULT complete_hr;
    int complete_had_param;
    wchar_t complete_param[64];
    int complete_had_obj;
    unsigned last_current, last_total;
    LONG last_other_flags;
    long progress_seen_objects;  /* objects delivered before the last progress */
    long complete_seen_objects;  /* objects delivered before on_complete */
    ws_thread_id cb_thread;      /* thread of the last callback */
    /* behaviour */
    HRESULT objects_result;      /* returned by on_objects */
    long fail_at_call;           /* on_objects call number that returns E_FAIL (0: none) */
    unsigned slow_every;         /* slow down every nth on_objects call */
    unsigned slow_us;
    int release_in_complete;     /* wbemsink_release from inside on_complete */
    int cancel_in_objects;       /* wbemsink_cancel from inside on_objects */
    IWbemServices *cancel_svc;
    HRESULT inner_wait_hr, inner_next_hr, inner_cancel_hr;
    int check_order;
} host_rec;

void host_rec_init(host_rec *r);
wbemsink_callbacks host_rec_callbacks(host_rec *r);
/* wbemsink_release, then marks the recorder so later callbacks count as
   violations. */
void host_release(host_rec *r, wbemsink *s);

void host_sleep_us(unsigned us);
uint64_t host_rand(uint64_t *state);   /* xorshift64* */

#endif
