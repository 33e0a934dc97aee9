/*
 * fake_services.h - a scripted fake IWbemServices for the wbemsink tests.
 *
 * It covers what Wine's wbemprox lacks: progress and requirements statuses,
 * errors with error objects, subscriptions that run until cancelled, several
 * producer threads calling Indicate at once, hostile call orders.
 *
 * A script is an array of fake_step ended by FAKE_END. Each *Async call
 * (ExecQueryAsync, ExecNotificationQueryAsync, PutInstanceAsync,
 * ExecMethodAsync, CreateInstanceEnumAsync, GetObjectAsync,
 * DeleteInstanceAsync) with a non-NULL sink:
 *   - AddRefs the sink once,
 *   - starts repeat_threads player threads, each playing the whole script
 *     against the sink concurrently, in order, without any check of the
 *     order (Indicate after COMPLETE, two COMPLETEs... are played as written),
 *   - returns WBEM_S_NO_ERROR at once.
 * Player threads never call CoInitialize (like Wine's thread pool). When the
 * last player thread of a call is done, the fake Releases the sink once (like
 * real Windows after the final SetStatus). What the sink returns from
 * Indicate is recorded; the player goes on whatever it is.
 *
 * ExecQuery and CreateInstanceEnum (semisynchronous calls) return a new
 * fake enumerator (fake_enum.h) once fake_services_enum_options() set one
 * up; until then they return WBEM_E_NOT_SUPPORTED.
 *
 * Every other IWbemServices method returns WBEM_E_NOT_SUPPORTED with its out
 * pointers set to NULL. QueryInterface answers IUnknown and IWbemServices.
 *
 * The fake is reference counted like fake_object.h: Release at 0 never frees
 * and counts an over-release; fake_services_destroy() frees it.
 */
#ifndef WBEMSINK_FAKE_SERVICES_H
#define WBEMSINK_FAKE_SERVICES_H

#include <stddef.h>
#include <wchar.h>
#include <windows.h>
#include <wbemcli.h>
#include "fake_enum.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    FAKE_INDICATE,    /* Indicate(count, objs): count fresh fake objects named
                         L"fake", Released by the player right after the call */
    FAKE_STATUS,      /* SetStatus(flags, hr, BSTR copy of param or NULL,
                         fresh fake object named L"__ExtendedStatus" if
                         with_object else NULL); both freed right after */
    FAKE_SLEEP,       /* sleep ms milliseconds (cut short by CancelAsyncCall) */
    FAKE_WAIT_CANCEL, /* block until CancelAsyncCall (for subscriptions) */
    FAKE_LOOP,        /* start the script again, until CancelAsyncCall: an
                         event stream that runs as long as it is subscribed
                         (put a FAKE_SLEEP in the loop to pace it) */
    FAKE_END,         /* terminates the array */
    FAKE_INDICATE_RESULT /* Indicate(1, &obj) with the object set by
                            fake_services_result (nothing when none): a
                            method's out-parameters */
} fake_step_kind;

typedef struct fake_step {
    fake_step_kind kind;
    LONG count;              /* FAKE_INDICATE: objects in this batch (<= 0 is
                                passed as is, with a valid empty array) */
    LONG flags;              /* FAKE_STATUS: lFlags */
    HRESULT hr;              /* FAKE_STATUS: hResult */
    const wchar_t *param;    /* FAKE_STATUS: strParam (copied when the script is set) */
    int with_object;         /* FAKE_STATUS: pass a fresh fake object as pObjParam */
    DWORD ms;                /* FAKE_SLEEP: milliseconds */
} fake_step;

/* Initializers for script arrays, e.g.
     static const fake_step s[] = { FAKE_STEP_INDICATE(3),
                                    FAKE_STEP_PROGRESS(3, 10, L"working"),
                                    FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END }; */
#define FAKE_STEP_INDICATE(n)           { FAKE_INDICATE, (n), 0, S_OK, NULL, 0, 0 }
#define FAKE_STEP_STATUS(f, h, p, obj)  { FAKE_STATUS, 0, (LONG)(f), (HRESULT)(h), (p), (obj), 0 }
#define FAKE_STEP_PROGRESS(cur, total, msg) \
    FAKE_STEP_STATUS(WBEM_STATUS_PROGRESS, MAKELONG((cur), (total)), (msg), 0)
#define FAKE_STEP_COMPLETE(h)           FAKE_STEP_STATUS(WBEM_STATUS_COMPLETE, (h), NULL, 0)
#define FAKE_STEP_SLEEP(t)              { FAKE_SLEEP, 0, 0, S_OK, NULL, 0, (t) }
#define FAKE_STEP_WAIT_CANCEL           { FAKE_WAIT_CANCEL, 0, 0, S_OK, NULL, 0, 0 }
#define FAKE_STEP_LOOP                  { FAKE_LOOP, 0, 0, S_OK, NULL, 0, 0 }
#define FAKE_STEP_END                   { FAKE_END, 0, 0, S_OK, NULL, 0, 0 }
#define FAKE_STEP_INDICATE_RESULT       { FAKE_INDICATE_RESULT, 1, 0, S_OK, NULL, 0, 0 }

/* Creates a fake services object with a reference count of 1, owned by the
   caller. Its script is { FAKE_STEP_COMPLETE(S_OK), FAKE_STEP_END } until
   fake_services_script() is called. Returns NULL when out of memory. */
IWbemServices *fake_services_create(void);

/* Sets the script played by every later *Async call on svc (it stays until
   replaced; calls already running keep the script they started with).
   steps is borrowed for the call only: the array and its param strings are
   copied. repeat_threads < 1 counts as 1. */
void fake_services_script(IWbemServices *svc, const fake_step *steps, int repeat_threads);

/* Makes the next *Async call on svc (with a non-NULL sink) return hr
   synchronously without touching the sink (no AddRef, no call), or the
   next ExecQuery / CreateInstanceEnum (once an enumerator is set up) fail
   with hr and no enumerator, whichever comes first. One shot. */
void fake_services_fail_next(IWbemServices *svc, HRESULT hr);

/* CancelAsyncCall(svc, sink), the method, for reference: ignores which sink
   it gets (like Wine; NULL gives WBEM_E_INVALID_PARAMETER, not counted),
   marks every running call on svc cancelled, waits until their players have
   stopped and the sink references are Released, counts the call and returns
   WBEM_S_NO_ERROR, even when nothing was running. It never calls SetStatus.
   Called from a player thread (inside Indicate/SetStatus: Wine deadlocks
   there) it does not wait, is counted by fake_services_cancel_reentrant(),
   and still returns WBEM_S_NO_ERROR. */

/* Joins every player thread started so far on svc (and frees their
   bookkeeping). Never returns while a FAKE_WAIT_CANCEL call is not
   cancelled. Must not be called from a player thread. */
void fake_services_wait_idle(IWbemServices *svc);

/* Number of calls whose sink reference the fake still holds (started and
   not yet finished). 0 means the fake holds no sink reference. */
LONG fake_services_pending(IWbemServices *svc);

/* Number of *Async calls accepted (players started) since creation. */
LONG fake_services_async_calls(IWbemServices *svc);

/* What the sink's most recent Indicate returned (S_OK before any). */
HRESULT fake_services_last_indicate_hr(IWbemServices *svc);

/* Number of Indicate calls that returned a failure HRESULT. */
LONG fake_services_indicate_failures(IWbemServices *svc);

/* Number of CancelAsyncCall calls with a non-NULL sink. */
LONG fake_services_cancel_calls(IWbemServices *svc);

/* Number of those made from a player thread, i.e. from inside the sink's
   Indicate or SetStatus (a deadlock on Wine). */
LONG fake_services_cancel_reentrant(IWbemServices *svc);

/* Current reference count of svc. */
LONG fake_services_refs(IWbemServices *svc);

/* Number of Release calls on svc made at a count of 0. */
LONG fake_services_over_released(IWbemServices *svc);

/* From now on ExecQuery and CreateInstanceEnum each return a new
   fake_enum_create(options) (options copied; the caller of ExecQuery owns
   the reference it gets, svc keeps track of the object and frees it in
   fake_services_destroy). NULL: back to WBEM_E_NOT_SUPPORTED. */
void fake_services_enum_options(IWbemServices *svc, const fake_enum_options *options);

/* The enumerator the latest ExecQuery / CreateInstanceEnum returned,
   borrowed (for its counters; valid until fake_services_destroy), NULL
   when none. */
IEnumWbemClassObject *fake_services_last_enum(IWbemServices *svc);

/* Names the objects FAKE_INDICATE makes (their "Name"; L"fake" until
   then), e.g. after the host a fake locator simulates. name is copied.
   Call it before svc is handed out: it is not synchronised with players. */
void fake_services_object_name(IWbemServices *svc, const wchar_t *name);

/* fn(context, svc) runs on the thread whose Release takes svc's count from
   1 to 0 (each time it does), e.g. to count a connection as closed. NULL
   fn: none. Set it before svc is handed out. */
void fake_services_on_last_release(IWbemServices *svc,
                                   void (*fn)(void *context, IWbemServices *svc), void *context);

/* ---- methods and instance writes ----------------------------------------
   ExecMethodAsync, PutInstanceAsync and DeleteInstanceAsync play the script
   like every *Async call; their arguments are recorded. */

/* The object FAKE_INDICATE_RESULT sends and a successful synchronous
   ExecMethod returns (AddRef'd each time): the out-parameters. svc holds a
   reference until replaced (NULL: none) or fake_services_destroy. */
void fake_services_result(IWbemServices *svc, IWbemClassObject *obj);

/* From now on GetObject(path) (case-insensitive) returns cls, AddRef'd;
   another path WBEM_E_NOT_FOUND. Before any class is put, GetObject
   returns WBEM_E_NOT_SUPPORTED. svc holds a reference on cls until
   fake_services_destroy. S_OK; E_POINTER; E_OUTOFMEMORY. */
HRESULT fake_services_put_class(IWbemServices *svc, const wchar_t *path, IWbemClassObject *cls);

/* Scripts the synchronous ExecMethod, PutInstance and DeleteInstance
   (WBEM_E_NOT_SUPPORTED until called): each waits delay_ms (INFINITE: a
   hang) or until fake_services_sync_open, then returns hr; ExecMethod's
   out is then the result object, AddRef'd, when hr succeeds. Their
   IWbemCallResult is NULL but for a successful PutInstance after
   fake_services_sync_path. Closes the gate again. */
void fake_services_sync(IWbemServices *svc, HRESULT hr, DWORD delay_ms);
/* From now on a successful synchronous PutInstance asked for its call
   result gets a new one (count 1, the caller's) whose GetResultString
   answers a copy of path (copied; NULL: no call result). */
void fake_services_sync_path(IWbemServices *svc, const wchar_t *path);
/* Call results made and not yet Released to 0, process-wide. */
LONG fake_services_call_results_live(void);
/* Lets every waiting and later synchronous call go at once. */
void fake_services_sync_open(IWbemServices *svc);
/* Synchronous ExecMethod / PutInstance / DeleteInstance calls answered
   (scripted) since creation. */
LONG fake_services_sync_calls(IWbemServices *svc);

/* The arguments of the latest ExecMethod(Async), PutInstance(Async) or
   DeleteInstance(Async) call. */
typedef struct fake_call_record {
    const char *api;              /* "ExecMethodAsync", "PutInstance"...; NULL before any */
    wchar_t path[256];            /* object path ("" for PutInstance), cut to fit */
    wchar_t method[64];           /* method name ("" but for ExecMethod) */
    IWbemClassObject *object;     /* in-parameters or instance as passed (no reference) */
    LONG flags;
} fake_call_record;
void fake_services_last_call(IWbemServices *svc, fake_call_record *out);

/* Cancels every running call, joins every player thread and frees svc,
   whatever its count, and the enumerators it made (fake_enum_destroy).
   svc is dangling afterwards. Call it from the test,
   never from a player thread. NULL is ignored. */
void fake_services_destroy(IWbemServices *svc);

#ifdef __cplusplus
}
#endif

#endif /* WBEMSINK_FAKE_SERVICES_H */
