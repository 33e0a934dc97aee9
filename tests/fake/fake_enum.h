/*
 * fake_enum.h - a fake IEnumWbemClassObject for the wbemsink tests: the
 * enumerator of a semisynchronous query, with NextAsync as documented and
 * Next with timeouts.
 *
 * Rows are fresh fake objects (fake_object.h) named L"row", with a property
 * "Row" (CIM_SINT32) numbering them from 0 in the order they go out.
 *
 * NextAsync(n, sink): WBEM_E_INVALID_PARAMETER for a NULL sink; E_NOTIMPL
 * or WBEM_E_NOT_SUPPORTED when the options say so (Wine's wbemprox answers
 * E_NOTIMPL); WBEM_S_FALSE, without touching the sink, when every row went
 * out (and no failure is due); WBEM_E_UNEXPECTED while an earlier request
 * has not started yet (one request may wait behind the batch being
 * delivered). Otherwise it AddRefs the sink, returns WBEM_S_NO_ERROR,
 * and the enumerator's provider thread (no CoInitialize, like WMI's) then
 * waits batch_delay_ms, calls Indicate zero or more times (chunks of at
 * most 8) with the next min(n, left) rows, then once
 * SetStatus(WBEM_STATUS_COMPLETE, hr): WBEM_S_NO_ERROR for a full batch,
 * WBEM_S_FALSE for a short last one, fail_hr for the batch that reaches
 * fail_at (its rows before fail_at are indicated first); then Releases the
 * sink (unless FAKE_ENUM_LATE_RELEASE).
 *
 * Next(timeout, n, objs, &got): waits what is left of the current batch's
 * batch_delay_ms, at most timeout (WBEM_INFINITE: no bound); when the time
 * ran out first: WBEM_S_TIMEDOUT, got 0 (the rest of the delay is owed to
 * the next call). Then: WBEM_S_FALSE with the last rows (maybe 0) at the
 * end; fail_hr with got 0 at fail_at; WBEM_S_TIMEDOUT with the rows before
 * fail_at when it cuts the batch; WBEM_S_NO_ERROR with n rows. The objects
 * are the caller's (one reference each).
 *
 * Reset, Skip and Clone return WBEM_E_NOT_SUPPORTED (Clone's out NULL).
 * QueryInterface answers IUnknown and IEnumWbemClassObject. Reference
 * counted like fake_object.h: Release at 0 never frees and counts an
 * over-release; fake_enum_destroy() frees.
 */
#ifndef WBEMSINK_FAKE_ENUM_H
#define WBEMSINK_FAKE_ENUM_H

#include <windows.h>
#include <wbemcli.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What NextAsync answers. */
#define FAKE_ENUM_ASYNC 0              /* implemented (the default) */
#define FAKE_ENUM_NOTIMPL 1            /* E_NOTIMPL, like Wine */
#define FAKE_ENUM_NOT_SUPPORTED 2      /* WBEM_E_NOT_SUPPORTED */

/* Hostile orders of NextAsync's provider (bits, combinable). */
/* SetStatus for the batch from the provider thread while a second thread's
   Indicate of all the batch's rows (one call) has started and not
   returned: the provider
   calls SetStatus once the sink holds a reference on the batch's first row
   (it is inside that Indicate), or after a second if it never does. */
#define FAKE_ENUM_STATUS_DURING_INDICATE 0x1u
/* After the batch's SetStatus: one more Indicate of a fresh object named
   L"stray" (not a row) and a second SetStatus. */
#define FAKE_ENUM_INDICATE_AFTER_STATUS 0x2u
/* Batch sinks are kept AddRef'd until fake_enum_destroy (a provider that
   Releases late). */
#define FAKE_ENUM_LATE_RELEASE 0x4u
/* The batch is delivered on the calling thread, inside NextAsync, before
   it returns. */
#define FAKE_ENUM_SYNC_DELIVERY 0x8u
/* A provider that breaks the rules. Next: the entry at index 1 of each
   answer of two rows or more is NULL (counted in got; that row's number is
   skipped and never goes out). NextAsync: each Indicate of two rows or
   more carries one extra NULL entry after its first row (every row still
   goes out, once). */
#define FAKE_ENUM_NULL_ROW 0x10u
/* Next: on an answer with fewer rows than asked, got says 5 more than
   were written (a lie, maybe above what was asked; the slots after the
   written rows are left as the caller had them). */
#define FAKE_ENUM_COUNT_PLUS_5 0x20u
/* Next: got is 0xFFFFFFFF whatever was written. */
#define FAKE_ENUM_COUNT_ALL_ONES 0x40u

typedef struct fake_enum_options {
    LONG total;             /* rows in the result set */
    LONG fail_at;           /* with a failing fail_hr: the row at which the
                               enumeration fails */
    HRESULT fail_hr;        /* S_OK (0): never fails */
    int next_async;         /* FAKE_ENUM_ASYNC, _NOTIMPL, _NOT_SUPPORTED */
    DWORD batch_delay_ms;   /* a slow provider: time to produce each batch */
    unsigned hostile;       /* FAKE_ENUM_* bits above */
    DWORD release_delay_ms; /* NextAsync: time between a batch's SetStatus
                               and the Release of its sink (the enumerator
                               stays busy meanwhile) */
} fake_enum_options;

/* A new enumerator with a count of 1, the caller's. `options` copied (NULL:
   0 rows). NULL when out of memory. */
IEnumWbemClassObject *fake_enum_create(const fake_enum_options *options);

/* Counters (e from fake_enum_create or fake_services_last_enum). */
LONG fake_enum_refs(IEnumWbemClassObject *e);
LONG fake_enum_over_released(IEnumWbemClassObject *e);
LONG fake_enum_next_async_calls(IEnumWbemClassObject *e);  /* accepted (S_OK) */
LONG fake_enum_next_calls(IEnumWbemClassObject *e);        /* Next, any result */
LONG fake_enum_rows_out(IEnumWbemClassObject *e);          /* rows handed out */
LONG fake_enum_largest_request(IEnumWbemClassObject *e);   /* largest n asked */
/* Indicate calls (batch or stray) that the sink answered with a failure. */
LONG fake_enum_refused(IEnumWbemClassObject *e);
/* Sink references the fake holds now (a batch running, or kept late). */
LONG fake_enum_sinks_held(IEnumWbemClassObject *e);
/* Longest single Indicate call of the provider, in microseconds. */
double fake_enum_longest_indicate_us(IEnumWbemClassObject *e);

/* Waits until no batch is being delivered (the provider thread idle). */
void fake_enum_wait_idle(IEnumWbemClassObject *e);

/* Stops the provider thread, Releases the sinks still held, frees e
   whatever its count. Not from a sink's callback. NULL ignored. */
void fake_enum_destroy(IEnumWbemClassObject *e);

#ifdef __cplusplus
}
#endif

#endif /* WBEMSINK_FAKE_ENUM_H */
