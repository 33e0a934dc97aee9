/*
 * wbemsink: a ready IWbemObjectSink for WMI's asynchronous calls, in C.
 *
 * This header is the reference documentation. Every function states who owns
 * what it takes and gives, and from which thread callbacks may run.
 *
 * Life of an operation:
 *
 *     wbemsink *s;
 *     wbemsink_create(&callbacks, &options, &s);      // caller holds 1 ref
 *     IWbemServices_ExecQueryAsync(svc, lang, query, WBEM_FLAG_SEND_STATUS,
 *                                  NULL, wbemsink_interface(s));
 *     wbemsink_wait(s, INFINITE, &final_hr);          // or the event handle
 *     wbemsink_release(s);                            // no callback after this
 *
 * WMI AddRefs the interface it is given and Releases it when done; the sink
 * is freed by the last Release, whoever makes it, on any thread.
 *
 * Unloading (wbemsink.dll loaded with LoadLibrary): WMI's or a provider's
 * thread may still be returning from the sink (its SetStatus, its last
 * Release) after the completion, after wbemsink_wait and wbemsink_release
 * returned. Every COM object the DLL hands out (the sink, the per-batch
 * sinks of paced delivery) keeps the DLL loaded until its last Release
 * has returned, and the library's own threads keep it loaded until they
 * have ended: FreeLibrary may be called as soon as wbemsink_release
 * returned; the DLL is unmapped a moment later (about a second after the
 * last of those Releases). What you may rely on for your own code: no
 * callback of a sink runs after wbemsink_release returned (except when
 * called from inside one), so callbacks in a DLL of yours may be unloaded
 * then. An IWbemObjectSink of your own needs the same care as ours: WMI
 * may call its Release (and return from its SetStatus) after you saw the
 * completion, so its code must stay loaded until that Release returned.
 * The static library is part of the program and is never unloaded.
 */
#ifndef WBEMSINK_H
#define WBEMSINK_H

#ifndef WBEMSINK_HOST_COMPAT
#include <windows.h>
#include <wbemcli.h>
#endif
#include <stddef.h>
#include "wbemsink_version.h"

/* WBEMSINK_API: dllexport while building the DLL, dllimport for users of the
   DLL, nothing for the static library (WBEMSINK_STATIC: the CMake package
   and pkg-config file of a static build define it). */
#if defined(_WIN32) && !defined(WBEMSINK_STATIC)
#  ifdef WBEMSINK_BUILDING_DLL
#    define WBEMSINK_API __declspec(dllexport)
#  else
#    define WBEMSINK_API __declspec(dllimport)
#  endif
#else
#  define WBEMSINK_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The sink: opaque, reference counted, free-threaded. */
typedef struct wbemsink wbemsink;

/* A thread that runs callbacks of thread-mode sinks; many sinks may share
   one (a tool that runs 1,000 queries needs one thread, not 1,000). */
typedef struct wbemsink_dispatcher wbemsink_dispatcher;

/* ---------------------------------------------------------------------
 * Errors of the library's own (facility ITF, codes 0x0200-).
 * ------------------------------------------------------------------- */

/* Callbacks may no longer be changed: the interface was handed out. */
#define WBEMSINK_E_SEALED ((HRESULT)0x80040200L)
/* wbemsink_next called on a sink that is not in pull mode, or similar. */
#define WBEMSINK_E_WRONG_MODE ((HRESULT)0x80040201L)
/* The call must not be made from inside one of this sink's callbacks. */
#define WBEMSINK_E_IN_CALLBACK ((HRESULT)0x80040202L)
/* The operation ended because nothing arrived for options.idle_timeout_ms.
   (options.timeout_ms ends it with WMI's own WBEM_E_TIMED_OUT.) */
#define WBEMSINK_E_IDLE_TIMEOUT ((HRESULT)0x80040203L)
/* The operation succeeded at WMI, but objects or status calls were dropped
   because the queue was full, under WBEMSINK_FULL_DROP_NEWEST (the caller
   chose to drop): SUCCEEDED() holds, == S_OK does not. */
#define WBEMSINK_S_OBJECTS_DROPPED ((HRESULT)0x00040204L)
/* The same under WBEMSINK_FULL_WAIT or WBEMSINK_FULL_FAIL: the result set
   is incomplete. */
#define WBEMSINK_E_OBJECTS_DROPPED ((HRESULT)0x80040204L)
/* The operation ended at WMI with a success, but objects were refused
   before that: an Indicate with objects and bad arguments (a NULL entry, a
   NULL array with a count above 0), or a provider that broke the rules (a
   count larger than what it wrote or was asked): the result set is
   incomplete; stats.invalid_calls counts the refused calls. It comes
   before WBEMSINK_*_OBJECTS_DROPPED when both happened; a failure of the
   operation itself (WMI's, a cancel, a deadline) comes before both. */
#define WBEMSINK_E_OBJECTS_REFUSED ((HRESULT)0x80040206L)

/* ---------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------- */

typedef enum wbemsink_mode {
    /* The sink's dispatcher thread runs the callbacks, in order; Indicate
       only AddRefs and queues, then returns at once (WMI asks event sinks
       to return within 100 ms). The default. */
    WBEMSINK_MODE_THREAD = 0,
    /* Callbacks run inside Indicate/SetStatus on WMI's calling thread
       (one thread at a time, in order). Fine for quick work. */
    WBEMSINK_MODE_INLINE = 1,
    /* Objects stay queued until the caller takes them with wbemsink_next;
       status callbacks then run inside wbemsink_next, in order. */
    WBEMSINK_MODE_PULL = 2
} wbemsink_mode;

/* What happens when the queue is full. Status calls (other than coalesced
   progress) take a place in the queue like objects and follow the same
   policy (stats.status_dropped counts theirs). A drop is never silent: it
   is counted, and an operation that WMI ends with a success completes
   instead with WBEMSINK_E_OBJECTS_DROPPED (WAIT, FAIL) or
   WBEMSINK_S_OBJECTS_DROPPED (DROP_NEWEST); a failure from WMI, a cancel
   or a deadline keeps its own code. */
typedef enum wbemsink_full_policy {
    /* Indicate waits up to options.full_wait_ms for room, then drops the
       objects that still do not fit (counted as dropped). The default. */
    WBEMSINK_FULL_WAIT = 0,
    /* Objects that do not fit are dropped at once (counted). */
    WBEMSINK_FULL_DROP_NEWEST = 1,
    /* Indicate keeps nothing of the batch and returns
       WBEM_E_OUT_OF_MEMORY (counted as dropped). */
    WBEMSINK_FULL_FAIL = 2
} wbemsink_full_policy;

#define WBEMSINK_DEFAULT_CAPACITY 65536u
#define WBEMSINK_MAX_CAPACITY (1u << 26)
#define WBEMSINK_DEFAULT_FULL_WAIT_MS 1000u

typedef struct wbemsink_options {
    wbemsink_mode mode;
    /* Most entries queued at once: objects, and status calls other than
       coalesced progress (see on_progress). 0 means
       WBEMSINK_DEFAULT_CAPACITY; at most WBEMSINK_MAX_CAPACITY. Memory is
       8 bytes per entry, reserved in segments (1/64 of the capacity, 64 to
       65536 entries) as the queue fills and given back as it empties:
       never more than the capacity plus two segments. */
    unsigned capacity;
    wbemsink_full_policy full_policy;
    /* Bound of WBEMSINK_FULL_WAIT; 0 means WBEMSINK_DEFAULT_FULL_WAIT_MS.
       INFINITE: Indicate waits as long as the consumer needs and nothing
       is dropped (a cancel, a deadline or wbemsink_release still ends the
       wait). Right for queries whose every row matters; not for event
       sinks, which WMI asks to return within 100 ms. */
    unsigned full_wait_ms;
    /* THREAD mode only: run callbacks on this dispatcher (borrowed; the
       sink holds its own reference). NULL: the process-wide dispatcher
       that THREAD-mode sinks share (one thread, started with the first
       such sink and ended with the last). A callback that blocks delays
       the other sinks of its dispatcher: give a sink a dispatcher of its
       own (wbemsink_dispatcher_create) to keep it apart. */
    wbemsink_dispatcher *dispatcher;
    /* Deadlines, 0 for none, counted from wbemsink_create. When one passes,
       the operation is cancelled (CancelAsyncCall on the bound services)
       and completes once with WBEM_E_TIMED_OUT (timeout_ms) or
       WBEMSINK_E_IDLE_TIMEOUT (idle_timeout_ms: no Indicate or SetStatus
       for that long; meant for event subscriptions). A sink with a
       deadline runs a small watch thread until it completes. */
    unsigned timeout_ms;
    unsigned idle_timeout_ms;
} wbemsink_options;

/* ---------------------------------------------------------------------
 * Callbacks. Each is optional (NULL). `context` is passed back untouched.
 *
 * Threads: in THREAD mode callbacks run on the dispatcher thread; in INLINE
 * mode on whichever thread calls Indicate/SetStatus (WMI's) or on the thread
 * calling wbemsink_cancel; in PULL mode inside wbemsink_next. In every mode
 * callbacks of one sink never run concurrently and come in the order WMI
 * sent them, and on_complete is the last one.
 *
 * Inside a callback you may: AddRef objects to keep them, call
 * wbemsink_get_stats, wbemsink_cancel (the call into WMI is then made from
 * another thread: the library's own, which keeps the DLL loaded until it is
 * done), wbemsink_release. You must not call wbemsink_wait or wbemsink_next
 * (they return WBEMSINK_E_IN_CALLBACK), nor call into WMI from an event
 * sink's callback in INLINE mode.
 * ------------------------------------------------------------------- */
typedef struct wbemsink_callbacks {
    void *context;

    /* Objects arrived, in order. The array and the objects are borrowed for
       the call: AddRef an object to keep it. Return a success code to go on;
       a failure asks the sink to stop the operation (see wbemsink_cancel),
       and the operation then completes with WBEM_E_CALL_CANCELLED. Like
       wbemsink_cancel, the stop changes nothing once WMI's own completion
       has arrived (in THREAD and PULL modes it may be queued behind the
       objects being delivered): the rest is then delivered and the
       operation completes with WMI's result. */
    HRESULT (*on_objects)(void *context, IWbemClassObject *const *objects, LONG count);

    /* WBEM_STATUS_PROGRESS: current = LOWORD(hr), total = HIWORD(hr).
       `message` (the strParam) is borrowed and may be NULL. Progress calls
       that arrive one after another while the consumer is behind coalesce:
       only the newest is delivered (stats.status_coalesced counts the
       others). One that follows objects keeps its place after them. */
    void (*on_progress)(void *context, unsigned current, unsigned total, const wchar_t *message);

    /* WBEM_STATUS_REQUIREMENTS (post-filtering activation). `param` and
       `object` are borrowed, either may be NULL. */
    void (*on_requirements)(void *context, HRESULT hr, const wchar_t *param, IWbemClassObject *object);

    /* Any other SetStatus flags (WBEM_STATUS_LOGGING_INFORMATION* bits or
       values this library does not know), passed on raw; never taken for
       completion. Arguments borrowed. */
    void (*on_other_status)(void *context, LONG flags, HRESULT hr, const wchar_t *param, IWbemClassObject *object);

    /* Exactly once per operation (unless wbemsink_release came first), after
       every object was delivered or dropped, last of all callbacks. `hr` is
       the final result: WMI's, WBEM_E_CALL_CANCELLED after a cancel, the
       deadline's code, or, when WMI reported success but a full queue
       dropped objects or status calls, WBEMSINK_E_OBJECTS_DROPPED (WAIT,
       FAIL) or WBEMSINK_S_OBJECTS_DROPPED (DROP_NEWEST; SUCCEEDED() holds
       for it, so a caller who needs every object checks for it too), or,
       when objects were refused before the end (an Indicate with a NULL
       entry...), WBEMSINK_E_OBJECTS_REFUSED, which comes first. `param` is
       the sink's copy of strParam (e.g. the new object's path from
       PutInstanceAsync), valid until wbemsink_release. `error_object` is
       borrowed for the call (AddRef to keep), may be NULL. */
    void (*on_complete)(void *context, HRESULT hr, const wchar_t *param, IWbemClassObject *error_object);

    /* IWbemObjectSinkEx, which the sink also implements. These four are
       not queued: they run at once on the thread WMI calls from (PromptUser
       needs its answer before it returns), so they may run at the same
       time as the callbacks above. Otherwise they are callbacks like the
       others: none runs once the operation has ended (WMI is then answered
       WBEM_S_NO_ERROR after its own completion, WBEM_E_CALL_CANCELLED
       after a cancel, deadline or release) or after wbemsink_release
       returned (it waits for one running); on_complete waits for running
       ones and comes last; inside them wbemsink_wait and wbemsink_next
       return WBEMSINK_E_IN_CALLBACK and a cancel's call into WMI is made
       from another thread. Strings are borrowed, may be NULL. */
    void (*on_write_progress)(void *context, const wchar_t *activity, const wchar_t *operation,
                              const wchar_t *status, ULONG percent, ULONG seconds_remaining);
    void (*on_write_message)(void *context, ULONG channel, const wchar_t *message);
    /* Returns a WBEMSINK_ANSWER_*. Without a callback: WBEMSINK_ANSWER_YES
       (go on; the error reaches on_complete anyway). `error` borrowed. */
    unsigned char (*on_write_error)(void *context, IWbemClassObject *error);
    /* Returns a WBEMSINK_ANSWER_*. Without a callback: WBEMSINK_ANSWER_NO,
       so nothing that asks for confirmation happens unattended. */
    unsigned char (*on_prompt_user)(void *context, const wchar_t *message, unsigned char prompt_type);
} wbemsink_callbacks;

/* Answers to IWbemObjectSinkEx::PromptUser and WriteError (the values of
   the Management Infrastructure API's response types). */
#define WBEMSINK_ANSWER_NO 0
#define WBEMSINK_ANSWER_YES 1
#define WBEMSINK_ANSWER_NO_TO_ALL 2
#define WBEMSINK_ANSWER_YES_TO_ALL 3

/* ---------------------------------------------------------------------
 * Creation and life time
 * ------------------------------------------------------------------- */

/* Creates a sink. `callbacks` and `options` are copied; either may be NULL
   (no callbacks; default options). On success *out holds the caller's
   reference, to be given back with wbemsink_release.
   E_POINTER: out is NULL. E_INVALIDARG: an unknown mode or policy, a
   capacity above WBEMSINK_MAX_CAPACITY, or a dispatcher with a mode other
   than WBEMSINK_MODE_THREAD. E_OUTOFMEMORY. */
WBEMSINK_API HRESULT wbemsink_create(const wbemsink_callbacks *callbacks,
                                     const wbemsink_options *options,
                                     wbemsink **out);

/* Replaces the callbacks (copied). Allowed only before the sink is handed
   out: after wbemsink_interface or any call from WMI it returns
   WBEMSINK_E_SEALED and changes nothing. E_POINTER: a NULL argument. */
WBEMSINK_API HRESULT wbemsink_set_callbacks(wbemsink *s, const wbemsink_callbacks *callbacks);

/* The IWbemObjectSink to pass to ExecQueryAsync and friends. Borrowed: no
   reference is added (WMI adds its own). Seals the callbacks. NULL if s is
   NULL.
   QueryInterface answers IUnknown, IWbemObjectSink, IWbemObjectSinkEx and
   IAgileObject with this same pointer, and IMarshal with the free-threaded
   marshaler the sink aggregates (made on the first request): the object is
   free-threaded, so it passes between apartments of the process as itself
   (CoMarshalInterThreadInterfaceInStream in one, CoGetInterfaceAndRelease-
   Stream in another give back this pointer, not a proxy; no proxy/stub
   exists for IWbemObjectSink). Anything else: E_NOINTERFACE. */
WBEMSINK_API IWbemObjectSink *wbemsink_interface(wbemsink *s);

/* Tells the sink which services pointer runs its operation, so that a stop
   asked by a callback (or a wbemsink_cancel without services) can call
   CancelAsyncCall. The sink AddRefs `services` and Releases it once the
   operation completed (this breaks the cycle with WMI implementations that
   keep the sink until CancelAsyncCall) or at the sink's end. NULL unbinds.
   Use a services pointer from a multithreaded apartment: the call is made
   from another thread. */
WBEMSINK_API HRESULT wbemsink_bind_services(wbemsink *s, IWbemServices *services);

/* Gives back the caller's reference. Afterwards no callback runs: if one is
   running on another thread, this waits for it to return (if called from
   inside a callback, that callback is the last). What is queued is
   Released. WMI may still hold references; its later calls are refused
   (WBEM_E_CALL_CANCELLED) and the sink is freed on the last Release.
   Call it once per wbemsink_create; NULL is ignored. A second call on the
   same sink is a misuse the library survives only while someone else
   (WMI) still holds a reference: then it does nothing at all (gives back no
   reference, runs, waits for and releases nothing). Once the last
   reference is gone the sink is freed and `s` dangles: a second call is
   then a use after free, undefined like any other use of `s`. */
WBEMSINK_API void wbemsink_release(wbemsink *s);

/* ---------------------------------------------------------------------
 * Starting an operation with one error path
 * ------------------------------------------------------------------- */

/* Calls one IWbemServices *Async method; `sink` is the interface to pass. */
typedef HRESULT (*wbemsink_start_fn)(void *arg, IWbemServices *services, IWbemObjectSink *sink);

/* Binds `services` (see wbemsink_bind_services) and calls start(arg,
   services, sink). If the call itself fails, the sink completes with that
   HRESULT exactly as if WMI had sent it (on_complete, wait, the event), so
   the caller has a single error path; S_OK is returned either way. The
   sink is then also the cancel handle: wbemsink_cancel(s, NULL).
   E_POINTER for a NULL s, services or start. */
WBEMSINK_API HRESULT wbemsink_start(wbemsink *s, IWbemServices *services, wbemsink_start_fn start,
                                    void *arg);

/* wbemsink_start for ExecQueryAsync / ExecNotificationQueryAsync with WQL.
   `query` is copied into a BSTR; `context` borrowed, may be NULL. */
WBEMSINK_API HRESULT wbemsink_exec_query(wbemsink *s, IWbemServices *services, const wchar_t *query,
                                         LONG flags, IWbemContext *context);
WBEMSINK_API HRESULT wbemsink_exec_notification_query(wbemsink *s, IWbemServices *services,
                                                      const wchar_t *query, LONG flags,
                                                      IWbemContext *context);

/* For remote namespaces: an IWbemObjectSink stub made by WMI's
   IWbemUnsecuredApartment around this sink, to pass to the *Async call
   instead of wbemsink_interface. The stub runs in WMI's unsecured
   apartment, so the remote WMI can call back without an authenticated
   connection to this process. The trade-off: calls to the stub are not
   access-checked, so anyone who can reach it may call Indicate/SetStatus;
   use it only where the alternative (raising this process's
   authentication and granting the remote computer access) is not
   possible. On success *out holds a reference the caller Releases.
   Seals the callbacks. The CoCreateInstance failure is returned as is
   (Wine does not register CLSID_UnsecuredApartment: REGDB_E_CLASSNOTREG). */
WBEMSINK_API HRESULT wbemsink_unsecured_interface(wbemsink *s, IWbemObjectSink **out);

/* ---------------------------------------------------------------------
 * One query in one call (src/easy/query.c, built on the functions above
 * and below; the rest of this header stays for everything else)
 * ------------------------------------------------------------------- */

/* wbemsink_query_options.flags */
/* Leave the process's COM security alone: do not call
   wbemsink_init_security (for a program that calls CoInitializeSecurity
   itself, later or with other values). */
#define WBEMSINK_QUERY_OWN_SECURITY 0x1u
/* Paced delivery (wbemsink_exec_query_paced, `batch`) instead of
   ExecQueryAsync: for a consumer slower than WMI. */
#define WBEMSINK_QUERY_PACED 0x2u

/* All fields optional: a zeroed struct is the same as passing NULL. */
typedef struct wbemsink_query_options {
    /* wbemsink_connect's options (borrowed for the call); NULL: the local
       namespace with the caller's identity. (The struct is defined with
       wbemsink_connect below.) */
    const struct wbemsink_connect_options *connect;
    /* The sink's options (copied); NULL: the defaults (THREAD mode, the
       shared dispatcher). WBEMSINK_MODE_PULL is refused: nobody could
       pull before the call returns. */
    const wbemsink_options *sink;
    /* Deadline of the query in milliseconds, counted from its start after
       connecting (the sink's timeout_ms; when not 0 it replaces
       sink->timeout_ms): the query is cancelled and the call returns
       WBEM_E_TIMED_OUT. 0: none. The connection's own deadline is
       connect->timeout_ms. */
    unsigned timeout_ms;
    unsigned flags;   /* WBEMSINK_QUERY_* */
    /* WBEMSINK_QUERY_PACED: objects asked at a time (as
       wbemsink_start_paced's batch; 0: its default). */
    ULONG batch;
} wbemsink_query_options;

/* Runs one WQL query and returns when it has ended: initialises COM on the
   calling thread if needed, connects to `namespace_path` (L"root\cimv2",
   or L"\\HOST\root\cimv2" with options->connect), runs `wql` through a
   sink with `callbacks` (copied; may be NULL), waits for the completion,
   releases everything and gives COM back as it found it.
   Returns the final HRESULT: the operation's (on_complete's hr, the same
   as wbemsink_wait's final result: WMI's, WBEM_E_CALL_CANCELLED when
   on_objects returned a failure, WBEM_E_TIMED_OUT for the deadline,
   WBEMSINK_*_OBJECTS_DROPPED), else the failure of a step before it (COM,
   security, wbemsink_connect: WBEM_E_INVALID_NAMESPACE..., creating the
   sink). E_POINTER: NULL namespace_path or wql. E_INVALIDARG: unknown
   flags, PULL mode, or the sink options wbemsink_create refuses.
   Callbacks: as for any sink of those options (THREAD mode: on the
   dispatcher thread; INLINE: on WMI's), in order, never two at once; they
   run only once the query was started (a failure to connect calls none);
   on_complete then runs once, last, with the value this call returns, and
   every callback has returned before this call does. Objects are borrowed
   for on_objects' call; one kept beyond wbemsink_query (AddRef) needs COM
   kept initialised on some thread of the process by the caller.
   COM: CoInitializeEx(COINIT_MULTITHREADED) for the call, balanced by
   CoUninitialize; a thread already in an apartment stays in it (a
   single-threaded apartment is served while the call waits: callbacks
   must not wait for that thread).
   Security: unless WBEMSINK_QUERY_OWN_SECURITY, the call runs
   wbemsink_init_security() first, so a program of a few lines gets what
   Microsoft asks of a WMI client (COM's implicit defaults from the
   registry may be too low for WMI); RPC_E_TOO_LATE (the process's
   security is already set, by the program or by COM) is ignored and that
   security stands. This is the one place the library calls
   CoInitializeSecurity, and only because the caller called this.
   Threads: any; may be called from several threads at once (one
   connection per call). Not from inside a callback of a THREAD-mode sink
   of the same dispatcher: the wait cannot be made there, so the query is
   cancelled and released, its on_complete does not run, and the call
   returns WBEMSINK_E_IN_CALLBACK. */
WBEMSINK_API HRESULT wbemsink_query(const wchar_t *namespace_path, const wchar_t *wql,
                                    const wbemsink_callbacks *callbacks,
                                    const wbemsink_query_options *options);

/* ---------------------------------------------------------------------
 * Paced delivery (src/win/paced.c)
 *
 * ExecQueryAsync is uncontrolled: WMI pushes objects as fast as it finds
 * them, and a consumer slower than that fills the queue (then the full
 * policy waits, drops or fails). Paced delivery asks an enumerator for the
 * next batch only when the sink's queue has room for it: memory stays
 * within the capacity, nothing is dropped, and the provider's thread never
 * waits for the consumer. Callbacks, pull, wait, the event, cancel,
 * deadlines and statistics are the sink's as for any operation; the user
 * sees one completion for the whole enumeration (S_OK at its end, or the
 * failure), never the per-batch ones.
 *
 * The sink runs a library thread (in the multithreaded apartment) per
 * paced operation. It calls IEnumWbemClassObject::NextAsync(n, sink of its
 * own) with n = min(batch, free room); where that is not implemented
 * (E_NOTIMPL, as Wine's wbemprox, or WBEM_E_NOT_SUPPORTED) it switches for
 * good to IEnumWbemClassObject::Next in slices of 100 ms, with the same
 * pacing. Cancel (no services need be bound: there is no call at WMI to
 * cancel), release and deadlines stop it: it asks for nothing more and
 * Releases the enumerator. A provider that breaks NextAsync's order is
 * survived: an Indicate after the batch's SetStatus is refused
 * (WBEM_E_CALL_CANCELLED), a SetStatus while an Indicate still runs waits
 * for it, a batch sink Released late keeps only a reference on the sink.
 * A provider that breaks the rules loses only what it broke, never
 * delivers a row twice, and is never Released what it did not give: a NULL
 * entry (in Next's array or in a batch sink's Indicate) is refused and
 * counted in stats.invalid_calls while the rows around it go out; Next's
 * array is cleared before each call, and only the slots it wrote among the
 * first min(returned count, asked) are taken (a returned count larger than
 * what was written refuses the empty slots); a returned count larger than
 * what was asked ends the operation with WBEM_E_PROVIDER_FAILURE after the
 * rows written went out. Refused entries turn a successful end into
 * WBEMSINK_E_OBJECTS_REFUSED.
 * In INLINE mode the callbacks run on the thread that delivers: the
 * provider's (NextAsync) or the library's worker (Next).
 * ------------------------------------------------------------------- */

/* Paced delivery from any enumerator (a semisynchronous ExecQuery's,
   CreateInstanceEnum's with WBEM_FLAG_RETURN_IMMEDIATELY...). The sink
   AddRefs `enumerator` and Releases it when the operation ends; the caller
   keeps its own reference. The worker calls it from the multithreaded
   apartment: from a caller in a single-threaded apartment it is marshaled
   there; where it cannot be (no proxy/stub for the interface, as under
   Wine) the pointer itself is used, which an in-process object that is
   not bound to an apartment allows. `batch`: most
   objects asked at once (at most the capacity); 0 for a quarter of the
   capacity, at most 256 (a batch is asked once the queue has room for all
   of it, so a smaller one keeps the consumer fed while the next is
   fetched; a larger one spends fewer round trips). Seals
   the callbacks. Returns S_OK; a failure to start (out of memory) is the
   operation's completion, as with wbemsink_start. E_POINTER: NULL s or
   enumerator. Start one operation per sink. */
WBEMSINK_API HRESULT wbemsink_start_paced(wbemsink *s, IEnumWbemClassObject *enumerator, ULONG batch);

/* IWbemServices::ExecQuery (WQL) with WBEM_FLAG_RETURN_IMMEDIATELY |
   WBEM_FLAG_FORWARD_ONLY | flags, the services' proxy blanket copied to the
   enumerator (remote enumerators otherwise fail with E_ACCESSDENIED), then
   wbemsink_start_paced. `services` and `context` borrowed (not bound: a
   cancel calls nothing at WMI); `query` copied; `flags` are ExecQuery's
   (WBEM_FLAG_USE_AMENDED_QUALIFIERS...; not the asynchronous
   WBEM_FLAG_SEND_STATUS). A failing ExecQuery (or
   blanket) completes the sink with its HRESULT; S_OK is returned either
   way. E_POINTER: NULL s, services or query. */
WBEMSINK_API HRESULT wbemsink_exec_query_paced(wbemsink *s, IWbemServices *services, const wchar_t *query,
                                               LONG flags, IWbemContext *context, ULONG batch);

/* ---------------------------------------------------------------------
 * Waiting, pulling, cancelling
 * ------------------------------------------------------------------- */

/* Waits until the operation completed: in THREAD and INLINE modes, until
   on_complete has returned (or would have, with none registered); in PULL
   mode, until WMI sent its completion (objects may still be queued).
   Returns S_OK and stores the final HRESULT, the same as on_complete's hr
   (including WBEMSINK_*_OBJECTS_DROPPED), in *final_hr (may be NULL),
   WBEM_S_TIMEDOUT when the time ran out, E_POINTER for a NULL sink,
   WBEMSINK_E_IN_CALLBACK from inside a callback of this sink or of any
   sink on the same dispatcher (that thread would have to deliver it).
   timeout_ms may be INFINITE.
   STA-safe: the wait is CoWaitForMultipleHandles, which in a
   single-threaded apartment dispatches the messages sent to the thread
   (through which COM delivers WMI's calls to a sink of that apartment; they
   then run inside this call, INLINE callbacks with them) and in a
   multithreaded apartment, or on a thread without COM, is a plain wait.
   Waiting yourself on wbemsink_completion_event with WaitForSingleObject
   in an STA is the deadlock this avoids. */
WBEMSINK_API HRESULT wbemsink_wait(wbemsink *s, DWORD timeout_ms, HRESULT *final_hr);

/* A manual-reset event, signalled when wbemsink_wait would return S_OK.
   Owned by the sink: do not close it; valid until wbemsink_release. */
WBEMSINK_API HANDLE wbemsink_completion_event(wbemsink *s);

/* PULL mode: takes the next object, waiting up to timeout_ms. On S_OK *out
   holds an object whose reference is now the caller's (Release it).
   Once the operation is over and nothing is left (*out = NULL), every call
   returns how it ended, the same HRESULT as wbemsink_wait's final result
   and on_complete's hr (on_complete runs inside the call that finds the
   end), except that a clean end is WBEM_S_NO_MORE_DATA:
   - WBEM_S_NO_MORE_DATA: WMI completed with success (S_OK, or another
     success code, which wbemsink_wait gives), nothing lost;
   - a failure: WMI's (WBEM_E_INVALID_QUERY, ...), WBEM_E_CALL_CANCELLED
     (wbemsink_cancel, a failed on_objects... or wbemsink_release from
     another thread), WBEM_E_TIMED_OUT / WBEMSINK_E_IDLE_TIMEOUT (deadlines),
     WBEMSINK_E_OBJECTS_DROPPED / WBEMSINK_E_OBJECTS_REFUSED (loss);
   - WBEMSINK_S_OBJECTS_DROPPED: WMI's success, with objects dropped under
     WBEMSINK_FULL_DROP_NEWEST; a success code (SUCCEEDED() holds), which
     is why the loop below tests for S_OK, not SUCCEEDED().
   WBEM_S_TIMEDOUT: nothing came in time (*out = NULL); never returned with
   INFINITE. The whole pattern:

       while ((hr = wbemsink_next(s, INFINITE, &obj)) == S_OK) {
           use(obj);
           IWbemClassObject_Release(obj);
       }
       if (hr != WBEM_S_NO_MORE_DATA) report(hr);   (failed, or lost objects)

   Status callbacks (progress, ..., on_complete) run inside this call.
   E_POINTER: NULL s or out. WBEMSINK_E_WRONG_MODE: not a pull sink.
   WBEMSINK_E_IN_CALLBACK: called from a callback of this sink.
   STA-safe, as wbemsink_wait: it sleeps in CoWaitForMultipleHandles holding
   no lock, so WMI's calls dispatched meanwhile on this thread go through.
   (In an STA with WBEMSINK_FULL_WAIT and a full queue, such a call waits
   for room that only this thread would make: it is dropped after
   full_wait_ms, as in any full queue.) */
WBEMSINK_API HRESULT wbemsink_next(wbemsink *s, DWORD timeout_ms, IWbemClassObject **out);

/* PULL mode, many at once: takes up to `max` objects into objects[0..],
   *count of them, in order (one lock for the lot: the fast way to drain a
   big result). The references are the caller's. Returns like
   wbemsink_next: S_OK with *count > 0; at the end WBEM_S_NO_MORE_DATA or
   the operation's result, as wbemsink_next, with *count = 0; or
   WBEM_S_TIMEDOUT with *count = 0. E_POINTER: NULL s, objects or count.
   E_INVALIDARG: max is 0. STA-safe, as wbemsink_next. */
WBEMSINK_API HRESULT wbemsink_next_batch(wbemsink *s, DWORD timeout_ms, IWbemClassObject **objects,
                                         ULONG max, ULONG *count);

/* Cancels the operation: calls IWbemServices::CancelAsyncCall on `services`
   (borrowed; NULL means the one bound with wbemsink_bind_services, if any),
   Releases every queued object and completes once with
   WBEM_E_CALL_CANCELLED. Safe from any thread; from inside a callback the
   call into WMI is made on another thread. If the operation had already
   completed, nothing changes and S_FALSE is returned. Returns S_OK, or the
   failure of CancelAsyncCall (the sink is cancelled all the same). */
WBEMSINK_API HRESULT wbemsink_cancel(wbemsink *s, IWbemServices *services);

/* ---------------------------------------------------------------------
 * Statistics
 * ------------------------------------------------------------------- */
typedef struct wbemsink_stats {
    ULONGLONG received;      /* objects WMI passed to Indicate (valid calls) */
    ULONGLONG delivered;     /* objects handed to on_objects or wbemsink_next */
    ULONGLONG dropped;       /* objects Released undelivered: full queue, cancel, release */
    ULONGLONG ignored_calls; /* Indicate/SetStatus after completion, second COMPLETE */
    ULONGLONG invalid_calls; /* Indicate with bad arguments (with objects in
                                it: WBEMSINK_E_OBJECTS_REFUSED), objects a
                                provider handed over against the rules */
    ULONGLONG status_calls;  /* SetStatus calls accepted (coalesced and dropped ones included) */
    unsigned queued;                  /* objects in the queue now */
    unsigned high_water;              /* most entries (objects and status calls) queued at once */
    ULONGLONG status_coalesced; /* progress calls replaced by a newer one before delivery */
    ULONGLONG status_dropped;   /* status calls refused or dropped because the queue was full */
    unsigned status_queued;     /* status calls waiting for delivery now (each takes a slot of the capacity) */
} wbemsink_stats;

/* Fills *out with a snapshot. E_POINTER for NULL arguments. */
WBEMSINK_API HRESULT wbemsink_get_stats(wbemsink *s, wbemsink_stats *out);

/* ---------------------------------------------------------------------
 * Shared dispatcher (THREAD mode)
 * ------------------------------------------------------------------- */

/* Starts one dispatcher thread. The caller owns one reference; each sink
   that uses it holds another, so it may be released while sinks run. */
WBEMSINK_API HRESULT wbemsink_dispatcher_create(wbemsink_dispatcher **out);
/* Gives back the caller's reference; the thread ends with the last one. */
WBEMSINK_API void wbemsink_dispatcher_release(wbemsink_dispatcher *d);

/* ---------------------------------------------------------------------
 * Method calls and instance writes (src/call; the semisynchronous runner
 * in src/win/start_sync.c)
 *
 * A method call or an instance write is an operation like a query: the
 * sink's callbacks, pull, wait, the event, cancel, deadlines, release from
 * callbacks and statistics work as for ExecQueryAsync. A method's
 * out-parameters object (ReturnValue and the outputs: read them with the
 * getters) arrives as the operation's one object (on_objects,
 * wbemsink_next); PutInstance's new object's path is on_complete's
 * `param`; on_complete's hr is WMI's result.
 *
 * Where the asynchronous call is missing: Wine 8's WMI answers
 * ExecMethodAsync, PutInstanceAsync, DeleteInstanceAsync (and
 * GetObjectAsync) with WBEM_E_FAILED at once; under WBEMSINK_CALL_ASYNC
 * the sink then completes with it, like any call that fails to start. The
 * library never falls back behind the caller's back: the caller chooses
 * WBEMSINK_CALL_SEMISYNC, or WBEMSINK_CALL_ASYNC_OR_SEMISYNC, which falls
 * back only on an immediate refusal and says so (S_FALSE).
 * Semisynchronous means: the synchronous call (ExecMethod, PutInstance,
 * DeleteInstance, GetObject) runs on a library thread in the
 * multithreaded apartment and its result is fed into the sink as WMI would send it (the object
 * through Indicate, then SetStatus(COMPLETE) with the call's HRESULT, the
 * new path, and the error object that COM's error info carries). Its
 * limits: a synchronous call cannot be cancelled at WMI. A cancel, a
 * deadline or wbemsink_release ends the sink at once (nothing is called at
 * WMI: no services are bound), while the call runs on to its end on the
 * library thread, whose late result the sink refuses and the thread
 * Releases. Until the call returns (never, if the provider hangs) that
 * thread keeps the DLL loaded and holds a reference on the services and
 * on the sink's interface. The services pointer is called from that
 * thread: pass one that the multithreaded apartment may call.
 * ------------------------------------------------------------------- */

/* A synchronous call for wbemsink_start_sync, run on a library thread in
   the multithreaded apartment. Returns the call's HRESULT; may give
   *object (a reference, handed over: delivered as the operation's one
   object, then Released) and *param (a BSTR, handed over: on_complete's
   param). Both are NULL on entry. */
typedef HRESULT (*wbemsink_sync_fn)(void *arg, IWbemServices *services, IWbemClassObject **object,
                                    BSTR *param);
typedef void (*wbemsink_free_fn)(void *arg);

/* Runs call(arg, services, ...) on a new library thread and feeds its
   result into the sink (see above): the semisynchronous mirror of
   wbemsink_start, for any synchronous WMI call. The thread AddRefs
   `services` and the sink's interface and Releases them when done; it
   calls free_arg(arg) (may be NULL) once the call returned. `services` is
   NOT bound: a cancel calls nothing at WMI. Seals the callbacks. Returns
   S_OK; a failure to start (out of memory) completes the sink with it.
   E_POINTER: NULL s, services or call (nothing started). free_arg(arg) runs
   exactly once on every path, E_POINTER included. Start one operation per
   sink. */
WBEMSINK_API HRESULT wbemsink_start_sync(wbemsink *s, IWbemServices *services, wbemsink_sync_fn call,
                                         void *arg, wbemsink_free_fn free_arg);

/* How wbemsink_exec_method, _put_instance, _delete_instance and
   wbemsink_get_object_async run. */
typedef enum wbemsink_call_mode {
    /* The *Async call through wbemsink_start (services bound: a cancel
       calls CancelAsyncCall). What Windows runs. */
    WBEMSINK_CALL_ASYNC = 0,
    /* The synchronous call through wbemsink_start_sync (see above). */
    WBEMSINK_CALL_SEMISYNC = 1,
    /* The *Async call; if it is refused at once with WBEM_E_FAILED,
       E_NOTIMPL or WBEM_E_NOT_SUPPORTED (Wine), the synchronous call
       instead, and the function returns S_FALSE to say so. Any other
       failure completes the sink as under WBEMSINK_CALL_ASYNC. */
    WBEMSINK_CALL_ASYNC_OR_SEMISYNC = 2
} wbemsink_call_mode;

/* The in-parameters object of `method` of class `class_name`: GetObject on
   the class, GetMethod, SpawnInstance of the in-signature. Synchronous, on
   the calling thread. S_OK: *out is a new instance, the caller's reference
   (fill it with IWbemClassObject::Put, pass it to wbemsink_exec_method,
   Release it). S_FALSE: the method has no in-parameters (its in-signature
   is NULL): *out is NULL, which is what to pass as in_params. Failures
   are WMI's as is (an unknown class: GetObject's WBEM_E_NOT_FOUND or
   WBEM_E_INVALID_CLASS; an unknown method: GetMethod's WBEM_E_NOT_FOUND),
   *out NULL. E_POINTER: NULL services, class_name, method or out (*out is
   set to NULL whenever out is not NULL). E_OUTOFMEMORY. */
WBEMSINK_API HRESULT wbemsink_method_params(IWbemServices *services, const wchar_t *class_name,
                                            const wchar_t *method, IWbemClassObject **out);

/* Runs `method` through the sink: on a class path ("StdRegProv",
   "Win32_Process") a static method, on an object path
   ("Win32_Process.Handle=\"42\"") an instance method. `in_params` (from
   wbemsink_method_params, NULL for a method without in-parameters) and
   `context` (may be NULL) are borrowed for the call: the semisynchronous
   path AddRefs them until its call returned; the strings are copied.
   `flags` go to ExecMethodAsync (0 or WBEM_FLAG_SEND_STATUS); the
   synchronous ExecMethod gets 0. The out-parameters object is the
   operation's one object (none when the method fails). Returns S_OK
   (S_FALSE: fell back, see WBEMSINK_CALL_ASYNC_OR_SEMISYNC); a call that
   fails to start completes the sink with its HRESULT, as wbemsink_start.
   E_POINTER: NULL s, services, object_path or method; E_INVALIDARG: an
   unknown mode; E_OUTOFMEMORY copying the arguments (nothing started, the
   sink untouched, in these three cases). Start one operation per sink. */
WBEMSINK_API HRESULT wbemsink_exec_method(wbemsink *s, IWbemServices *services,
                                          const wchar_t *object_path, const wchar_t *method,
                                          IWbemClassObject *in_params, LONG flags,
                                          IWbemContext *context, wbemsink_call_mode mode);

/* PutInstanceAsync (or PutInstance, see the mode) of `instance`
   (borrowed like in_params above). `flags`: WBEM_FLAG_CREATE_OR_UPDATE,
   WBEM_FLAG_UPDATE_ONLY, WBEM_FLAG_CREATE_ONLY (kept for the synchronous
   call), WBEM_FLAG_SEND_STATUS (async only). The new or updated object's
   path is on_complete's `param` (semisynchronously: read from the call's
   IWbemCallResult; NULL where WMI gives none). No object is delivered.
   Results as wbemsink_exec_method; E_POINTER: NULL s, services or
   instance. */
WBEMSINK_API HRESULT wbemsink_put_instance(wbemsink *s, IWbemServices *services,
                                           IWbemClassObject *instance, LONG flags,
                                           IWbemContext *context, wbemsink_call_mode mode);

/* GetObjectAsync (or GetObject) of `object_path` (copied): a class
   ("Win32_Process") or an instance ("Win32_Process.Handle=\"42\""),
   delivered as the operation's one object (WMI's failure, e.g.
   WBEM_E_NOT_FOUND, as on_complete's hr). `flags`: GetObject's
   (WBEM_FLAG_USE_AMENDED_QUALIFIERS...) and, async only,
   WBEM_FLAG_SEND_STATUS. Results as wbemsink_exec_method; E_POINTER: NULL
   s, services or object_path. (Named apart from wbemsink_get_object, the
   getter of an embedded object.) */
WBEMSINK_API HRESULT wbemsink_get_object_async(wbemsink *s, IWbemServices *services,
                                               const wchar_t *object_path, LONG flags,
                                               IWbemContext *context, wbemsink_call_mode mode);

/* DeleteInstanceAsync (or DeleteInstance) of `object_path` (copied).
   `flags`: 0 or WBEM_FLAG_SEND_STATUS (async only). No object is
   delivered; on_complete's hr says whether it was deleted. Results as
   wbemsink_exec_method; E_POINTER: NULL s, services or object_path. */
WBEMSINK_API HRESULT wbemsink_delete_instance(wbemsink *s, IWbemServices *services,
                                              const wchar_t *object_path, LONG flags,
                                              IWbemContext *context, wbemsink_call_mode mode);

/* ---------------------------------------------------------------------
 * SetStatus decoding: pure, for anyone writing a sink of their own.
 * ------------------------------------------------------------------- */
typedef enum wbemsink_status_kind {
    WBEMSINK_STATUS_COMPLETE = 0,
    WBEMSINK_STATUS_PROGRESS = 1,
    WBEMSINK_STATUS_REQUIREMENTS = 2,
    WBEMSINK_STATUS_OTHER = 3         /* logging bits, unknown values */
} wbemsink_status_kind;

typedef struct wbemsink_status {
    wbemsink_status_kind kind;
    LONG flags;          /* as received */
    HRESULT hr;          /* as received */
    unsigned current;    /* PROGRESS: LOWORD(hr); otherwise 0 */
    unsigned total;      /* PROGRESS: HIWORD(hr); otherwise 0 */
} wbemsink_status;

/* Decodes SetStatus(flags, hr, ...). Only the exact values
   WBEM_STATUS_COMPLETE (0), WBEM_STATUS_PROGRESS (2) and
   WBEM_STATUS_REQUIREMENTS (1) are given their meaning; anything else,
   including logging bits combined with them, is OTHER, so it is never
   mistaken for completion. E_POINTER for a NULL out. */
WBEMSINK_API HRESULT wbemsink_decode_status(LONG flags, HRESULT hr, wbemsink_status *out);

/* The library's version, "MAJOR.MINOR.PATCH", as built (compare with
   WBEMSINK_VERSION_STRING, the header's). A static string. */
WBEMSINK_API const char *wbemsink_version(void);

/* ---------------------------------------------------------------------
 * HRESULTs
 * ------------------------------------------------------------------- */

/* The symbolic name of hr ("WBEM_E_INVALID_CLASS", "E_ACCESSDENIED"...),
   a static string, or NULL when the code is unknown. */
WBEMSINK_API const char *wbemsink_hresult_name(HRESULT hr);

/* A text for hr: the library's own description for WBEMSINK_S_OBJECTS_DROPPED,
   WBEMSINK_E_OBJECTS_DROPPED and WBEMSINK_S_NULL (whatever WMI would say about those values
   belongs to other facilities' codes); else WMI's own description
   (IWbemStatusCodeText) when COM is initialised on the thread and WMI says
   more than the number (Wine only repeats it), else the name, else the
   number in hex. Writes at most
   `size` wide chars including the terminator into buf. Returns S_OK with
   a text of its own (the library's, or WMI's), S_FALSE when it fell back
   to the name or the number,
   E_POINTER / E_INVALIDARG for a NULL buf or zero size. */
WBEMSINK_API HRESULT wbemsink_hresult_text(HRESULT hr, wchar_t *buf, size_t size);

/* ---------------------------------------------------------------------
 * Fan-out: one operation on many hosts (src/fanout/, built on the public
 * API above and below)
 *
 * N targets, at most `throttle` (K) of them connecting or running at
 * once. For each: wbemsink_connect on a library thread, then the query
 * (or the caller's start function) on a sink of its own, with a connect
 * deadline and an operation deadline; objects reach on_objects tagged
 * with the target's index and name; on_target_done reports the target's
 * result once; on_complete reports the counts once, last of all.
 *
 * Threads: one dispatcher (every target's sink delivers on it), one
 * monitor (deadlines, cancel, starting workers) and at most K workers
 * (each connects, then waits for its target's operation, then takes the
 * next target): K + 2 threads of the library's, whatever N. The one
 * exception: ConnectServer is a blocking call nothing can interrupt, so a
 * worker whose connect deadline passed is let go, its slot given at once
 * to a new worker, and it ends on its own when ConnectServer returns
 * (wbemsink_connect asks WMI for its own bound, about 2 minutes; a dead
 * host's DCOM transport usually gives up after about 20 s). Such stuck
 * workers are at most options.max_stuck (0: K): beyond that, new workers
 * wait for one of them to end, so the library never has more than
 * K + 2 + max_stuck threads (2K + 2 by default); figure 7 in
 * bench/README.md measures the peak.
 * Every target gets a connection of its own, closed when the target ends
 * (some WMI implementations, Wine's among them, allow one pending call
 * per connection): at most K are open at once.
 * Memory: per target in flight (a worker with a 256 KiB stack
 * reservation, a sink of `capacity`, the connection, copies of the
 * target's strings; about 4 KiB of heap), not per target: the targets
 * array is read as each target starts.
 *
 * Callbacks of one fan-out never run at the same time (a lock of the
 * fan-out's is held around each): on_objects on the dispatcher thread,
 * start on a worker, on_target_done and on_complete on a worker or the
 * monitor. A callback that blocks holds up every target's delivery.
 * Inside one you may call wbemsink_fanout_cancel and
 * wbemsink_fanout_release, not wbemsink_fanout_wait
 * (WBEMSINK_E_IN_CALLBACK).
 * ------------------------------------------------------------------- */

typedef struct wbemsink_fanout wbemsink_fanout;

/* One target: a host with the fan-out's namespace, or a namespace path. */
typedef struct wbemsink_target {
    /* The host ("SERVER1", ".", "localhost"): the path is
       \\host\namespace. NULL: namespace_path is the whole path. */
    const wchar_t *host;
    /* With a host, the namespace (NULL: options.namespace_path). Without,
       the path (L"\\\\HOST\\root\\cimv2", or a local L"root\\cimv2"). */
    const wchar_t *namespace_path;
    /* This target's credentials and levels (NULL: options.connect).
       timeout_ms is ignored: options.connect_timeout_ms rules. */
    const struct wbemsink_connect_options *connect;
} wbemsink_target;

/* Counts at the end; every target is in exactly one of the four. */
typedef struct wbemsink_fanout_counts {
    size_t targets;     /* N */
    size_t succeeded;   /* ended with a success code */
    size_t failed;      /* a failure other than the two below */
    size_t timed_out;   /* WBEM_E_TIMED_OUT: a deadline passed (connect or operation) */
    size_t cancelled;   /* WBEM_E_CALL_CANCELLED: wbemsink_fanout_cancel, or on_objects asked to stop */
    ULONGLONG objects;  /* objects delivered to on_objects, all targets */
} wbemsink_fanout_counts;

/* Starts the operation of target `target` on `services` (borrowed) with
   `sink` (pass it to one *Async call, e.g. ExecMethodAsync). A failure
   returned is the target's result. */
typedef HRESULT (*wbemsink_fanout_start_fn)(void *context, size_t target, IWbemServices *services,
                                            IWbemObjectSink *sink);

typedef struct wbemsink_fanout_callbacks {
    void *context;
    /* Objects of target `target` (its index in the array; `name` its host,
       or its path without one), in the order WMI sent them; arguments
       borrowed for the call (AddRef an object to keep it). A failure
       stops that target (it ends WBEM_E_CALL_CANCELLED). */
    HRESULT (*on_objects)(void *context, size_t target, const wchar_t *name,
                          IWbemClassObject *const *objects, LONG count);
    /* Once per target, after its last on_objects: its result (WMI's, the
       connect failure, WBEM_E_TIMED_OUT at a deadline,
       WBEM_E_CALL_CANCELLED) and wbemsink_hresult_text's text for it.
       Strings borrowed for the call. Targets never started because of a
       cancel get one too. */
    void (*on_target_done)(void *context, size_t target, const wchar_t *name, HRESULT hr,
                           const wchar_t *text);
    /* Once, last of all callbacks: the counts (borrowed for the call). */
    void (*on_complete)(void *context, const wbemsink_fanout_counts *counts);
} wbemsink_fanout_callbacks;

#define WBEMSINK_FANOUT_DEFAULT_THROTTLE 32u
#define WBEMSINK_FANOUT_DEFAULT_CONNECT_TIMEOUT_MS 20000u

typedef struct wbemsink_fanout_options {
    /* Most targets connecting or running at once (K); 0: 32. */
    unsigned throttle;
    /* Per target, from the start of its connect; 0: 20 s. When it passes
       the target ends WBEM_E_TIMED_OUT and its slot goes to the next. */
    unsigned connect_timeout_ms;
    /* Per target, from the start of its operation (after connecting); 0:
       none. When it passes the operation is cancelled (CancelAsyncCall)
       and the target ends WBEM_E_TIMED_OUT. */
    unsigned timeout_ms;
    /* The namespace of targets given by host; NULL: L"root\\cimv2". */
    const wchar_t *namespace_path;
    /* Credentials and levels of targets without their own; NULL: the
       caller's identity. */
    const struct wbemsink_connect_options *connect;
    /* The WQL query run on each target (ExecQueryAsync with
       query_flags), or NULL with `start` set. */
    const wchar_t *query;
    LONG query_flags;
    /* Instead of the query: the call to make on each target. */
    wbemsink_fanout_start_fn start;
    /* Each target's sink queue (wbemsink_options.capacity); 0: 1024. The
       sinks wait for room as long as needed (WBEMSINK_FULL_WAIT,
       INFINITE): nothing is dropped. */
    unsigned capacity;
    /* Most workers left inside a timed-out ConnectServer at once; 0: the
       throttle. */
    unsigned max_stuck;
} wbemsink_fanout_options;

/* Starts the fan-out over targets[0..count) and returns at once (the
   connects run on the library's threads). `targets`, the options and the
   strings they point to are borrowed: read as each target starts, until
   the fan-out completed or wbemsink_fanout_release returned (each target's
   strings are copied when it starts). `callbacks` is copied. COM need not
   be initialised on the caller's thread (the workers are in the
   multithreaded apartment). On success *out holds the caller's reference
   (wbemsink_fanout_release). count 0 completes at once (on_complete on the
   monitor thread). E_POINTER: NULL out, options, or targets with count >
   0; E_INVALIDARG: neither query nor start, or a target with neither host
   nor namespace_path; E_OUTOFMEMORY. */
WBEMSINK_API HRESULT wbemsink_fanout_start(const wbemsink_target *targets, size_t count,
                                           const wbemsink_fanout_options *options,
                                           const wbemsink_fanout_callbacks *callbacks,
                                           wbemsink_fanout **out);

/* Cancels the whole fan-out: targets not started end at once
   (WBEM_E_CALL_CANCELLED, each with its on_target_done), connecting ones
   at once too (their workers are let go as at a deadline), running ones
   as soon as their worker cancelled the operation. Returns at once, from
   any thread, also from inside a callback. S_OK, S_FALSE when already
   complete or cancelled, E_POINTER for NULL. */
WBEMSINK_API HRESULT wbemsink_fanout_cancel(wbemsink_fanout *f);

/* Waits until on_complete has returned (or would have): S_OK and the
   counts in *counts (may be NULL); WBEM_S_TIMEDOUT; E_POINTER;
   WBEMSINK_E_IN_CALLBACK from inside a callback. timeout_ms may be
   INFINITE. */
WBEMSINK_API HRESULT wbemsink_fanout_wait(wbemsink_fanout *f, DWORD timeout_ms,
                                          wbemsink_fanout_counts *counts);

/* Gives back the caller's reference. If the fan-out has not completed, it
   is cancelled. Afterwards no callback runs (one running on another thread
   is waited for) and the caller's targets and strings are no longer read.
   The library's threads finish on their own (a stuck worker when its
   ConnectServer returns) and free the rest. NULL ignored. */
WBEMSINK_API void wbemsink_fanout_release(wbemsink_fanout *f);

/* ---------------------------------------------------------------------
 * Connecting (Windows shell: src/win/connect.c)
 *
 * CoInitializeSecurity is process-wide and may be called once: the library
 * never calls it behind the caller's back (wbemsink_query does, as its
 * documentation says, unless told not to). A client program calls
 * wbemsink_init_security() (or its own CoInitializeSecurity) once, after
 * CoInitializeEx and before its first connection.
 * ------------------------------------------------------------------- */

/* A connection: an IWbemServices with its proxy blanket, and the identity
   it was made with (kept, for the blankets of the proxies it hands out,
   and wiped when the connection is released). */
typedef struct wbemsink_connection wbemsink_connection;

typedef struct wbemsink_connect_options {
    /* NULL: the caller's own identity. "DOMAIN\user" or "user@domain" or
       "user" (with `authority` naming the domain). */
    const wchar_t *user;
    /* Copied; the copy is wiped (SecureZeroMemory) when the connection is
       released, and never printed or logged. NULL with a user: empty. */
    const wchar_t *password;
    /* NULL, "ntlmdomain:DOMAIN" or "kerberos:PRINCIPAL" (ConnectServer's
       strAuthority). */
    const wchar_t *authority;
    /* NULL or "MS_409" style (ConnectServer's strLocale). */
    const wchar_t *locale;
    /* Connect deadline in milliseconds; 0: WBEM_FLAG_CONNECT_USE_MAX_WAIT
       (WMI's own bound, about 2 minutes). A dead host fails with
       WBEM_E_TIMED_OUT when it passes. */
    unsigned timeout_ms;
    /* RPC_C_AUTHN_LEVEL_*; 0: packet privacy for a remote namespace,
       RPC_C_AUTHN_LEVEL_DEFAULT for the local one. */
    unsigned authn_level;
    /* RPC_C_IMP_LEVEL_*; 0: RPC_C_IMP_LEVEL_IMPERSONATE. */
    unsigned imp_level;
} wbemsink_connect_options;

/* CoInitializeSecurity with what a WMI client needs (default
   authentication, impersonation, no capabilities). Returns its result:
   RPC_E_TOO_LATE when security was already initialised (by the program or
   COM itself), which a caller may ignore. (Wine's answers S_OK every
   time.) */
WBEMSINK_API HRESULT wbemsink_init_security(void);

/* Connects to a namespace: L"root\\cimv2" (local) or
   L"\\\\HOST\\root\\cimv2" (remote). `options` may be NULL (local, the
   caller's identity). COM must be initialised on the thread. On success
   *out holds the caller's connection (wbemsink_connection_release).
   Errors are WMI's or COM's HRESULT as is (WBEM_E_INVALID_NAMESPACE,
   WBEM_E_LOCAL_CREDENTIALS, E_ACCESSDENIED, 0x800706BA for an unknown
   host...): wbemsink_hresult_name names them. E_POINTER: NULL namespace
   or out (*out is set to NULL whenever out is not NULL).
   With timeout_ms, ConnectServer runs on a library thread in the
   multithreaded apartment; a caller there gets the pointer as is, a
   caller in a single-threaded apartment a proxy marshaled to it (where
   IWbemServices has no proxy, as under Wine, that fails with
   E_NOINTERFACE: connect without a deadline there). A thread left behind
   by the deadline ends on its own (WMI's bound) and frees what it got. */
WBEMSINK_API HRESULT wbemsink_connect(const wchar_t *namespace_path,
                                      const wbemsink_connect_options *options,
                                      wbemsink_connection **out);
/* The connection's services pointer, borrowed (valid until the connection
   is released; AddRef to keep it longer). NULL for a NULL connection. */
WBEMSINK_API IWbemServices *wbemsink_connection_services(wbemsink_connection *c);
/* Sets the connection's proxy blanket (identity, levels) on another proxy
   it handed out, such as an IEnumWbemClassObject: remote enumerators
   otherwise fail with E_ACCESSDENIED. S_OK also for a local object that is
   not a proxy (nothing to set). E_POINTER for NULL arguments. */
WBEMSINK_API HRESULT wbemsink_connection_apply(wbemsink_connection *c, IUnknown *proxy);
/* Releases the services pointer and wipes the identity. NULL ignored. */
WBEMSINK_API void wbemsink_connection_release(wbemsink_connection *c);

/* ---------------------------------------------------------------------
 * Typed property values (Windows shell: src/win/value_*.c, bind.c)
 *
 * Getters follow the property's CIM type, not the VARIANT's (WMI sends
 * sint64/uint64 as strings, uint32 as a VT_I4, ...). Every getter returns:
 *   S_OK                   *out holds the value;
 *   WBEMSINK_S_NULL        the property exists and is NULL (*out zeroed);
 *   WBEM_E_NOT_FOUND       no such property;
 *   WBEM_E_TYPE_MISMATCH   its CIM type cannot be read this way (or the
 *                          value does not fit the C type);
 *   E_POINTER              a NULL object, name or out;
 *   another failure        from IWbemClassObject::Get, as is.
 * The CIM type is checked before NULL: a NULL string property read as an
 * integer is WBEM_E_TYPE_MISMATCH. Array getters take only array
 * properties and scalar getters only scalars. Integers narrower than 64
 * bits are read at their CIM width (WMI and Wine may carry them in wider
 * VARIANTs with stray high bits).
 * Strings come back as BSTRs (SysFreeString) or UTF-8 (wbemsink_free);
 * objects as references the caller Releases.
 * ------------------------------------------------------------------- */

/* Success: the property exists and its value is NULL. */
#define WBEMSINK_S_NULL ((HRESULT)0x00040205L)

/* Integers of every CIM width (sint8..uint64, CHAR16 too), range checked. */
WBEMSINK_API HRESULT wbemsink_get_int64(IWbemClassObject *o, const wchar_t *name, LONGLONG *out);
WBEMSINK_API HRESULT wbemsink_get_uint64(IWbemClassObject *o, const wchar_t *name, ULONGLONG *out);
WBEMSINK_API HRESULT wbemsink_get_int32(IWbemClassObject *o, const wchar_t *name, LONG *out);
WBEMSINK_API HRESULT wbemsink_get_uint32(IWbemClassObject *o, const wchar_t *name, ULONG *out);
/* CIM_BOOLEAN: 0 or 1. */
WBEMSINK_API HRESULT wbemsink_get_bool(IWbemClassObject *o, const wchar_t *name, int *out);
/* CIM_REAL32, CIM_REAL64 (and integers, converted). */
WBEMSINK_API HRESULT wbemsink_get_double(IWbemClassObject *o, const wchar_t *name, double *out);
/* CIM_CHAR16. */
WBEMSINK_API HRESULT wbemsink_get_char16(IWbemClassObject *o, const wchar_t *name, wchar_t *out);
/* CIM_STRING, CIM_REFERENCE (the object path) and CIM_DATETIME (the DMTF
   text) as UTF-16; *out a new BSTR. */
WBEMSINK_API HRESULT wbemsink_get_string(IWbemClassObject *o, const wchar_t *name, BSTR *out);
/* The same as UTF-8 into buf (size bytes, terminator included):
   WBEM_E_BUFFER_TOO_SMALL (buf holds a terminated prefix that never cuts a
   character) and *needed the size that would do, when too small. needed
   may be NULL (it is set on S_OK too, 0 otherwise). buf may be NULL when
   size is 0, to ask for the size. Unpaired surrogates become U+FFFD. */
WBEMSINK_API HRESULT wbemsink_get_utf8(IWbemClassObject *o, const wchar_t *name, char *buf,
                                       size_t size, size_t *needed);
/* The same as UTF-8 in a new block (wbemsink_free). */
WBEMSINK_API HRESULT wbemsink_get_utf8_alloc(IWbemClassObject *o, const wchar_t *name, char **out);
/* Frees what the library allocated for the caller (UTF-8 strings, arrays,
   bound structs' strings); NULL ignored. */
WBEMSINK_API void wbemsink_free(void *p);
/* CIM_DATETIME as a point in time: *utc the instant in UTC, *offset_minutes
   the offset from UTC it was written with (may be NULL).
   WBEM_E_TYPE_MISMATCH for an interval or wildcards. An offset of fewer
   than three digits (Wine 8's LocalDateTime: "...+00") is read too. */
WBEMSINK_API HRESULT wbemsink_get_datetime(IWbemClassObject *o, const wchar_t *name, FILETIME *utc,
                                           LONG *offset_minutes);
/* CIM_DATETIME as an interval (ddddddddHHMMSS.mmmmmm:000) in 100 ns units. */
WBEMSINK_API HRESULT wbemsink_get_interval(IWbemClassObject *o, const wchar_t *name,
                                           ULONGLONG *hundred_ns);
/* The same two readings of DMTF text the getters use, for text from
   elsewhere (a CIM_DATETIME array's elements, a WQL literal). Pure: no COM.
   S_OK; WBEM_E_TYPE_MISMATCH for anything that is not a whole value of
   that kind (an interval given to parse_datetime or the reverse,
   wildcards, fields out of range, a point before 1601 in UTC, an interval
   beyond 2^64 - 1 ticks); E_POINTER for a NULL dmtf, utc or hundred_ns.
   Outputs are zeroed unless S_OK. */
WBEMSINK_API HRESULT wbemsink_parse_datetime(const wchar_t *dmtf, FILETIME *utc,
                                             LONG *offset_minutes);
WBEMSINK_API HRESULT wbemsink_parse_interval(const wchar_t *dmtf, ULONGLONG *hundred_ns);
/* CIM_OBJECT: an embedded object (an event's TargetInstance...). */
WBEMSINK_API HRESULT wbemsink_get_object(IWbemClassObject *o, const wchar_t *name,
                                         IWbemClassObject **out);
/* Arrays: *count elements in a new block (wbemsink_free) of the C type:
   for strings an array of BSTRs (each freed with SysFreeString, then the
   block with wbemsink_free, or all at once with wbemsink_free_strings);
   for objects references the caller Releases. An empty array: S_OK,
   *count 0, *out NULL. */
WBEMSINK_API HRESULT wbemsink_get_int64_array(IWbemClassObject *o, const wchar_t *name,
                                              LONGLONG **out, ULONG *count);
WBEMSINK_API HRESULT wbemsink_get_uint64_array(IWbemClassObject *o, const wchar_t *name,
                                               ULONGLONG **out, ULONG *count);
WBEMSINK_API HRESULT wbemsink_get_double_array(IWbemClassObject *o, const wchar_t *name,
                                               double **out, ULONG *count);
WBEMSINK_API HRESULT wbemsink_get_bool_array(IWbemClassObject *o, const wchar_t *name, int **out,
                                             ULONG *count);
WBEMSINK_API HRESULT wbemsink_get_string_array(IWbemClassObject *o, const wchar_t *name, BSTR **out,
                                               ULONG *count);
WBEMSINK_API HRESULT wbemsink_get_object_array(IWbemClassObject *o, const wchar_t *name,
                                               IWbemClassObject ***out, ULONG *count);
/* Frees an array from wbemsink_get_string_array: each BSTR, then the block. */
WBEMSINK_API void wbemsink_free_strings(BSTR *strings, ULONG count);

/* The struct binder: describe a C struct once, fill one per object. */
typedef enum wbemsink_field_type {
    WBEMSINK_FIELD_INT64,     /* LONGLONG */
    WBEMSINK_FIELD_UINT64,    /* ULONGLONG */
    WBEMSINK_FIELD_INT32,     /* LONG */
    WBEMSINK_FIELD_UINT32,    /* ULONG */
    WBEMSINK_FIELD_BOOL,      /* int */
    WBEMSINK_FIELD_DOUBLE,    /* double */
    WBEMSINK_FIELD_CHAR16,    /* wchar_t */
    WBEMSINK_FIELD_BSTR,      /* BSTR (freed by wbemsink_unbind) */
    WBEMSINK_FIELD_UTF8,      /* char * (freed by wbemsink_unbind) */
    WBEMSINK_FIELD_DATETIME,  /* FILETIME, UTC */
    WBEMSINK_FIELD_INTERVAL,  /* ULONGLONG, 100 ns units */
    WBEMSINK_FIELD_OBJECT     /* IWbemClassObject * (Released by wbemsink_unbind) */
} wbemsink_field_type;

typedef struct wbemsink_field {
    const wchar_t *property;  /* the CIM property */
    wbemsink_field_type type;
    size_t offset;            /* offsetof(your_struct, member) */
    int optional;             /* 1: missing or NULL is fine (present = 0) */
} wbemsink_field;

/* The size in bytes of the C member a field type describes (sizeof(LONGLONG)
   for WBEMSINK_FIELD_INT64, ...), 0 for a value that is no field type: what
   wbemsink_bind writes and wbemsink_fill reads at each offset. Pure. */
WBEMSINK_API size_t wbemsink_field_size(wbemsink_field_type type);

/* Fills *out (struct of the caller's, described by fields[0..count)) from
   o. present (may be NULL) receives count flags: 1 where the field was
   set. A required field that is missing or NULL, or any field of the
   wrong type, fails the whole call with that getter's HRESULT (a required
   NULL with WBEM_E_ILLEGAL_NULL, since WBEMSINK_S_NULL is a success) and
   leaves nothing allocated (the described members zeroed, every present
   flag 0); *failed_field (may be NULL) is its index, count on success.
   E_POINTER: NULL o, out, fields (with count > 0) or a field's property;
   E_INVALIDARG: an unknown field type (nothing is read then). */
WBEMSINK_API HRESULT wbemsink_bind(IWbemClassObject *o, const wbemsink_field *fields, size_t count,
                                   void *out, unsigned char *present, size_t *failed_field);
/* Frees what wbemsink_bind allocated in *out (strings, objects), zeroing
   those members. */
WBEMSINK_API void wbemsink_unbind(const wbemsink_field *fields, size_t count, void *out);

/* ---------------------------------------------------------------------
 * Typed setters (src/setters/, built on the functions above)
 *
 * The mirror of the getters: each setter asks the property's CIM type
 * (IWbemClassObject::Get) and Puts the VARIANT WMI wants for that type:
 *   uint8 VT_UI1; sint8, sint16, char16 VT_I2; uint16, sint32, uint32
 *   VT_I4 (uint32 as its bits); sint64, uint64 VT_BSTR (decimal text);
 *   real32 VT_R4; real64 VT_R8; boolean VT_BOOL; string, reference,
 *   datetime VT_BSTR (datetime as DMTF text); object VT_UNKNOWN;
 *   arrays a one-dimensional SAFEARRAY (VT_ARRAY | the element's type).
 * When Put refuses a uint16 or uint32 (or an array of them) in VT_I4 with
 * WBEM_E_TYPE_MISMATCH, it is Put once more as VT_UI2 / VT_UI4, the type
 * that names the CIM type exactly (Wine 8's in-parameter objects take only
 * that).
 * Every setter returns:
 *   S_OK                      the value was Put;
 *   WBEM_E_NOT_FOUND          no such property (also where Get said
 *                             WBEM_E_INVALID_QUERY, as Wine 8's
 *                             in-parameter objects do for a name they lack);
 *   WBEM_E_TYPE_MISMATCH      its CIM type cannot be written this way (a
 *                             string into a uint32, a scalar into an array
 *                             property or the reverse);
 *   WBEM_E_VALUE_OUT_OF_RANGE the value does not fit the CIM type (300 into
 *                             a uint8, -1 into any unsigned type, a finite
 *                             double beyond real32's range);
 *   E_POINTER                 a NULL object, name or value pointer;
 *   E_OUTOFMEMORY;
 *   another failure           from IWbemClassObject::Get or ::Put, as is
 *                             (WMI's WBEM_E_READ_ONLY...; Wine 8's
 *                             in-parameter objects refuse NULL with
 *                             WBEM_E_TYPE_MISMATCH).
 * They are checked in that order: arguments, Get, type, range, Put. Nothing
 * is written unless S_OK. Values are copied: the caller keeps its strings,
 * arrays and objects (an object Put is AddRef'd by the object it is put
 * in). The setters are as thread-safe as the object (WMI's are not:
 * one thread at a time per object).
 * Integer setters write every integer CIM type and CHAR16 (0..65535); an
 * array setter checks each element against the element type and writes
 * nothing when one does not fit. To make a property NULL, use
 * wbemsink_set_null: a NULL value pointer is E_POINTER.
 * ------------------------------------------------------------------- */

/* Integers into any integer CIM type (sint8..uint64) or CHAR16. */
WBEMSINK_API HRESULT wbemsink_set_int64(IWbemClassObject *o, const wchar_t *name, LONGLONG value);
WBEMSINK_API HRESULT wbemsink_set_uint64(IWbemClassObject *o, const wchar_t *name, ULONGLONG value);
WBEMSINK_API HRESULT wbemsink_set_int32(IWbemClassObject *o, const wchar_t *name, LONG value);
WBEMSINK_API HRESULT wbemsink_set_uint32(IWbemClassObject *o, const wchar_t *name, ULONG value);
/* CIM_BOOLEAN: any non-zero value is TRUE. */
WBEMSINK_API HRESULT wbemsink_set_bool(IWbemClassObject *o, const wchar_t *name, int value);
/* CIM_REAL32 (rounded to float; a finite value beyond FLT_MAX is out of
   range) and CIM_REAL64. Integer properties take the integer setters. */
WBEMSINK_API HRESULT wbemsink_set_double(IWbemClassObject *o, const wchar_t *name, double value);
/* CIM_CHAR16. */
WBEMSINK_API HRESULT wbemsink_set_char16(IWbemClassObject *o, const wchar_t *name, wchar_t value);
/* CIM_STRING and CIM_REFERENCE (an object path), as wbemsink_get_string
   reads them; CIM_DATETIME too, when the text is a whole DMTF point in
   time or interval (wbemsink_parse_datetime/_interval read it), else
   WBEM_E_VALUE_OUT_OF_RANGE. value is UTF-16, terminated, copied. */
WBEMSINK_API HRESULT wbemsink_set_string(IWbemClassObject *o, const wchar_t *name,
                                         const wchar_t *value);
/* The same from UTF-8 (invalid sequences become U+FFFD). */
WBEMSINK_API HRESULT wbemsink_set_utf8(IWbemClassObject *o, const wchar_t *name, const char *value);
/* CIM_DATETIME as a point in time: *utc the instant, written as the local
   time of offset_minutes (local = UTC + offset, -999..999) in DMTF text by
   wbemsink_format_datetime (microseconds: the 100 ns digit is dropped). */
WBEMSINK_API HRESULT wbemsink_set_datetime(IWbemClassObject *o, const wchar_t *name,
                                           const FILETIME *utc, LONG offset_minutes);
/* CIM_DATETIME as an interval of hundred_ns 100 ns units (to the
   microsecond), by wbemsink_format_interval. */
WBEMSINK_API HRESULT wbemsink_set_interval(IWbemClassObject *o, const wchar_t *name,
                                           ULONGLONG hundred_ns);
/* CIM_OBJECT: an embedded object (borrowed: the object it is put in takes
   its own reference). */
WBEMSINK_API HRESULT wbemsink_set_object(IWbemClassObject *o, const wchar_t *name,
                                         IWbemClassObject *value);
/* Any property, scalar or array, of any CIM type: NULL (VT_NULL). */
WBEMSINK_API HRESULT wbemsink_set_null(IWbemClassObject *o, const wchar_t *name);
/* Arrays, the mirror of the array getters: count elements from values
   (NULL allowed when count is 0: an empty array), copied. The integer
   arrays write every integer and CHAR16 array type, each element range
   checked; the double array real32[] and real64[]; the string array
   string[], reference[] and datetime[] (each element checked as
   wbemsink_set_string does; no NULL element: E_POINTER); the object array
   object[] (no NULL element: E_POINTER; each AddRef'd by the object). */
WBEMSINK_API HRESULT wbemsink_set_int64_array(IWbemClassObject *o, const wchar_t *name,
                                              const LONGLONG *values, ULONG count);
WBEMSINK_API HRESULT wbemsink_set_uint64_array(IWbemClassObject *o, const wchar_t *name,
                                               const ULONGLONG *values, ULONG count);
WBEMSINK_API HRESULT wbemsink_set_double_array(IWbemClassObject *o, const wchar_t *name,
                                               const double *values, ULONG count);
WBEMSINK_API HRESULT wbemsink_set_bool_array(IWbemClassObject *o, const wchar_t *name,
                                             const int *values, ULONG count);
WBEMSINK_API HRESULT wbemsink_set_string_array(IWbemClassObject *o, const wchar_t *name,
                                               const wchar_t *const *values, ULONG count);
WBEMSINK_API HRESULT wbemsink_set_object_array(IWbemClassObject *o, const wchar_t *name,
                                               IWbemClassObject *const *values, ULONG count);

/* DMTF text from numbers, the reverse of wbemsink_parse_datetime and
   wbemsink_parse_interval (what they write, they read back). Pure: no COM.
   buf receives the 25 characters and a terminator (size in wide chars, at
   least WBEMSINK_DMTF_SIZE). The 100 ns digit is dropped (DMTF counts
   microseconds).
   format_datetime writes "yyyymmddHHMMSS.mmmmmmsUUU", the local time
   UTC + offset_minutes with the offset's sign and three digits.
   format_interval writes "ddddddddHHMMSS.mmmmmm:000".
   S_OK; E_POINTER for a NULL utc or buf; WBEM_E_BUFFER_TOO_SMALL when size
   is less than WBEMSINK_DMTF_SIZE; WBEM_E_VALUE_OUT_OF_RANGE for an offset
   beyond +-999 minutes or a local time before 1601 or after 9999 (an
   interval always fits: 2^64 - 1 ticks are about 21 million days).
   buf holds "" unless S_OK (when size > 0). */
#define WBEMSINK_DMTF_SIZE 26
WBEMSINK_API HRESULT wbemsink_format_datetime(const FILETIME *utc, LONG offset_minutes, wchar_t *buf,
                                              size_t size);
WBEMSINK_API HRESULT wbemsink_format_interval(ULONGLONG hundred_ns, wchar_t *buf, size_t size);

/* The binder the other way: writes the fields of a C struct (the same
   wbemsink_field table wbemsink_bind reads into) to o with the setters,
   field i by its type's setter (DATETIME with offset 0; a NULL BSTR, UTF-8
   or OBJECT member writes NULL). present (may be NULL: every field) says
   which fields to write; the others are left as they are (NULL in a new
   instance), so the present flags from wbemsink_bind copy an object's
   values. A field marked optional whose property does not exist is
   skipped; a required one fails with WBEM_E_NOT_FOUND.
   All fields are checked first (property, CIM type, range: the setters'
   results), and nothing is written unless all pass; then they are Put in
   order, and a failure of Put itself stops there (the fields before it
   were written). *failed_field (may be NULL) is the failing field's index,
   count on success. E_POINTER: NULL o, in, fields (with count > 0) or a
   field's property; E_INVALIDARG: an unknown field type (nothing read). */
WBEMSINK_API HRESULT wbemsink_fill(IWbemClassObject *o, const wbemsink_field *fields, size_t count,
                                   const void *in, const unsigned char *present,
                                   size_t *failed_field);

#ifdef __cplusplus
}
#endif
#endif /* WBEMSINK_H */
