/* A recording IWbemServices for the wbemsink tests, independent of
   wbemsink itself (test_unload.c loads the DLL dynamically and links this).

   Unlike the scripted fake of fake_services.h it records WHICH sink pointer
   CancelAsyncCall was given and on WHICH thread, and can stall inside
   CancelAsyncCall. ExecQueryAsync / ExecNotificationQueryAsync only AddRef
   the sink and keep it (one call at a time, like Wine) until
   CancelAsyncCall, which Releases it; the test plays the WMI side itself.
   Every other method returns E_NOTIMPL. The memory is the test's: Release
   never frees; a count below 1 at the end is an over-release. */
#ifndef WBEMSINK_REC_SERVICES_H
#define WBEMSINK_REC_SERVICES_H

#include <windows.h>
#include <wbemcli.h>

typedef struct rec_services {
    IWbemServices iface;
    volatile LONG refs;                      /* 1 after rec_services_init: the test's */
    volatile LONG cancel_calls;              /* CancelAsyncCall calls */
    volatile DWORD cancel_thread;            /* thread of the last one */
    IWbemObjectSink *volatile cancel_sink;   /* what it was given (compared, never used) */
    IWbemObjectSink *volatile held_sink;     /* kept from the *Async call, owned */
    HANDLE cancel_entered;    /* optional: set inside CancelAsyncCall, once the sink is let go */
    DWORD cancel_delay_ms;    /* optional: CancelAsyncCall then sleeps this long */
    /* CoGetApartmentType inside the last CancelAsyncCall: what COM says of
       the calling thread's apartment. */
    volatile HRESULT cancel_apartment_hr;
    APTTYPE cancel_apartment;
    APTTYPEQUALIFIER cancel_apartment_qualifier;
} rec_services;

void rec_services_init(rec_services *r);

#endif
