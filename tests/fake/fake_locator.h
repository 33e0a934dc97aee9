/*
 * fake_locator.h - a fake IWbemLocator that simulates many hosts, for
 * testing code that connects (wbemsink_connect, a fan-out) without a
 * network.
 *
 * fake_locator_register() registers a class object for CLSID_WbemLocator
 * in the process (CoRegisterClassObject, CLSCTX_INPROC_SERVER): COM hands
 * it out before it looks in the registry, so every CoCreateInstance of
 * the locator made from the registering apartment (register from the
 * multithreaded apartment to reach every MTA thread) gets this fake until
 * fake_locator_destroy() revokes it.
 *
 * ConnectServer(L"\\\\NAME\\ns", ...) looks NAME up among the simulated
 * hosts (case-insensitively; a path without "\\\\" is the host "."):
 *   - an unknown name fails at once with WBEM_E_TRANSPORT_FAILURE (what
 *     Wine answers for a host it cannot reach);
 *   - a known one waits connect_ms, then fails with connect_hr if set, or
 *     hangs (FAKE_HOST_HANG_CONNECT) for hang_ms or until
 *     fake_locator_unhang() or fake_locator_destroy() (then
 *     WBEM_E_TRANSPORT_FAILURE), or hands
 *     out a new fake IWbemServices (fake_services.h) whose every *Async
 *     call waits answer_ms, indicates `rows` objects one by one (each a
 *     fake object whose "Name" is the host's name), then completes with
 *     answer_hr; with FAKE_HOST_HANG_ANSWER it never completes until
 *     CancelAsyncCall (a host that stops answering).
 *
 * In flight: a host counts from ConnectServer's start until ConnectServer
 * fails or, when it succeeded, until the services it handed out is
 * Released for the last time (the caller's connection is closed); the
 * locator keeps the current and the highest count.
 *
 * The locator's own references are counted (fake_locator_refs: 0 once
 * every user let go). All functions are thread-safe.
 */
#ifndef WBEMSINK_FAKE_LOCATOR_H
#define WBEMSINK_FAKE_LOCATOR_H

#include <stddef.h>
#include <windows.h>
#include <wbemcli.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fake_host_hang {
    FAKE_HOST_ANSWERS = 0,       /* a live host */
    FAKE_HOST_HANG_CONNECT = 1,  /* ConnectServer never returns on its own */
    FAKE_HOST_HANG_ANSWER = 2    /* connects, but its calls never complete */
} fake_host_hang;

typedef struct fake_host {
    const wchar_t *name;    /* the host; copied */
    DWORD connect_ms;       /* ConnectServer takes this long */
    DWORD answer_ms;        /* each call answers after this long */
    LONG rows;              /* objects each call indicates */
    HRESULT connect_hr;     /* a failure: ConnectServer fails with it */
    HRESULT answer_hr;      /* each call completes with it */
    fake_host_hang hang;
    DWORD hang_ms;          /* FAKE_HOST_HANG_CONNECT: ConnectServer gives up
                               (WBEM_E_TRANSPORT_FAILURE) after this long, as a
                               dead host's transport does; 0: only at
                               fake_locator_unhang */
} fake_host;

typedef struct fake_locator fake_locator;

/* Copies hosts[0..count) and registers the locator. S_OK and *out, or
   CoRegisterClassObject's failure / E_OUTOFMEMORY / E_POINTER. COM must be
   initialised on the calling thread. */
HRESULT fake_locator_register(const fake_host *hosts, size_t count, fake_locator **out);

/* Lets every ConnectServer hanging now or later fail with
   WBEM_E_TRANSPORT_FAILURE (a dead host's transport gives up). */
void fake_locator_unhang(fake_locator *l);

/* Hosts in flight now, and the most at once since registration. */
LONG fake_locator_in_flight(fake_locator *l);
LONG fake_locator_peak_in_flight(fake_locator *l);
/* ConnectServer calls made, and those still running. */
LONG fake_locator_connect_calls(fake_locator *l);
LONG fake_locator_connecting(fake_locator *l);
/* *Async calls started on every services handed out, and cancelled. */
LONG fake_locator_async_calls(fake_locator *l);
LONG fake_locator_cancel_calls(fake_locator *l);
/* The user name (ConnectServer's strUser, "" for none) and namespace
   path of the latest ConnectServer for `host`, copied into user / path
   (n chars each, either may be NULL). S_OK; WBEM_E_NOT_FOUND when that
   host was never asked for. Passwords are never recorded. */
HRESULT fake_locator_last_connect(fake_locator *l, const wchar_t *host, wchar_t *user,
                                  wchar_t *path, size_t n);
/* The locator's reference count (0: nobody holds it). */
LONG fake_locator_refs(fake_locator *l);
/* Services handed out that are still referenced (0: every connection was
   closed), and over-releases of them (0: none). */
LONG fake_locator_services_alive(fake_locator *l);
LONG fake_locator_services_over_released(fake_locator *l);

/* Revokes the registration, unhangs, waits until no ConnectServer runs,
   then destroys every services handed out (fake_services_destroy) and the
   locator. Call it from the test once the code under test let go. */
void fake_locator_destroy(fake_locator *l);

#ifdef __cplusplus
}
#endif

#endif /* WBEMSINK_FAKE_LOCATOR_H */
