/* Shared by the test programs: a recorder of callbacks (thread-safe, keeps
   the order in which callbacks ran) and leak checks on the fakes. */
#ifndef WBEMSINK_TEST_SUPPORT_H
#define WBEMSINK_TEST_SUPPORT_H

#define COBJMACROS   /* C macros for COM calls: IWbemClassObject_Release(o) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "wbemsink.h"
#include "fake_object.h"
#include "fake_services.h"

typedef enum { EV_OBJECTS, EV_PROGRESS, EV_REQUIREMENTS, EV_OTHER, EV_COMPLETE } ev_kind;

typedef struct ev {
    ev_kind kind;
    LONG count;           /* EV_OBJECTS */
    LONG flags;           /* EV_OTHER */
    HRESULT hr;
    unsigned current, total;
    wchar_t param[64];    /* copy, "" for NULL */
    int has_param, has_object;
    DWORD thread;         /* thread the callback ran on */
} ev;

#define REC_MAX_EVENTS 4096

typedef struct recorder {
    CRITICAL_SECTION lock;
    ev events[REC_MAX_EVENTS];
    int n;                       /* events recorded (capped at REC_MAX_EVENTS) */
    long long objects;           /* objects seen by on_objects */
    int completes;
    int concurrent, max_concurrent;   /* callbacks running at once */
    LONG last_index;             /* fake "Index" of the last object, for order */
    int out_of_order;            /* objects whose Index was not above the last */
    int unheld;                  /* objects delivered with a count below 1 */
    /* behaviour */
    HRESULT objects_result;      /* returned by on_objects from call fail_after on */
    int fail_after;              /* 0: never fail */
    DWORD sleep_ms;              /* per on_objects call */
    HANDLE hold;                 /* the first on_objects waits for it (10 s at most) */
    int held;
    wbemsink **release_on_complete; /* wbemsink_release from inside on_complete */
    wbemsink **cancel_in_objects;   /* wbemsink_cancel from inside on_objects */
    wbemsink **release_in_objects;  /* wbemsink_release from inside on_objects (once) */
    long long objects_at_release;   /* r->objects when that release returned */
    IWbemServices *cancel_services;
    HRESULT inner_wait_hr, inner_cancel_hr;
    IWbemClassObject *kept_error;   /* AddRef'd error object from on_complete */
} recorder;

void recorder_init(recorder *r);
/* recorder_init(r), then a sink with r's callbacks and the options (NULL:
   defaults); asserts the creation worked. */
wbemsink *recorded_sink(recorder *r, const wbemsink_options *o);
void recorder_free(recorder *r);
wbemsink_callbacks recorder_callbacks(recorder *r);
/* Index (in events) of the first event of a kind, or -1. */
int recorder_find(recorder *r, ev_kind kind);

/* Every fake object back to a count of 0, none released too often. */
void assert_fakes_balanced(void);
/* CMocka fixtures: a fresh fake-object registry before a test; after it,
   assert_fakes_balanced and a reset. */
int fakes_setup(void **state);
int fakes_teardown(void **state);

/* A sink whose caller reference can be counted: after wbemsink_release,
   nothing may hold it. Returns the current count via AddRef/Release. */
ULONG sink_refs(wbemsink *s);
/* sink_refs once the threads that finish an operation have let go: the
   dispatcher, a deferred cancel or WMI's own thread may still hold the sink
   for a moment after wbemsink_wait returns. Polls (5 s at most) until at
   most 1 reference is left, and returns the count. */
ULONG settled_sink_refs(wbemsink *s);

/* The platform the assertions are for, detected at run time: nonzero
   under Wine (ntdll.dll exports wine_get_version), 0 on Windows. Tests
   that talk to the machine's real WMI branch on it: Wine's behaviour
   under Wine, what Microsoft documents elsewhere. */
int test_is_wine(void);
/* Prints "platform: Wine <version> (wine_get_version)" or "platform:
   Windows" once per program (later calls print nothing). */
void test_print_platform(void);

/* Options in one line. */
wbemsink_options opts(wbemsink_mode mode, unsigned capacity, wbemsink_full_policy policy,
                      unsigned wait_ms);

#endif

/* HRESULT equality, printed with names (MinGW's WBEM_* constants are
   unsigned enum values: compare as HRESULT). */
#define assert_hr(actual, expected) \
    assert_hr_impl((HRESULT)(actual), (HRESULT)(expected), #actual, __FILE__, __LINE__)
void assert_hr_impl(HRESULT actual, HRESULT expected, const char *expr, const char *file, int line);

/* Starts the fake's ExecQueryAsync with a script on a new fake services,
   returned (destroy it with fake_services_destroy). */
IWbemServices *play(wbemsink *s, const fake_step *steps, int threads);
/* n fresh fake objects into objs. */
void make_objects(IWbemClassObject **objs, int n);
void release_objects(IWbemClassObject **objs, int n);
