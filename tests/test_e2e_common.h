/* Helpers of the end-to-end tests (test_e2e_*.c): they run real queries
   against the WMI of the machine (under Wine: Wine's wbemprox). */
#ifndef TEST_E2E_COMMON_H
#define TEST_E2E_COMMON_H

#include "test_support.h"

/* CMocka group setup/teardown: COM in the multithreaded apartment. The
   setup prints once which platform the assertions are for. */
int e2e_com_setup(void **state);
int e2e_com_teardown(void **state);

/* Connects to a namespace (L"ROOT\\CIMV2"); fails the test otherwise. */
IWbemServices *e2e_connect(const wchar_t *ns);

/* Rows: one canonical text per object, "Prop=value;..." over the
   non-system properties in WMI's order (malloc'd). */
typedef struct e2e_rows {
    wchar_t **text;
    size_t n, cap;
} e2e_rows;
void e2e_rows_add(e2e_rows *r, IWbemClassObject *obj);
void e2e_rows_free(e2e_rows *r);
/* Index of the first row containing `needle` (case-insensitive), or -1. */
long e2e_rows_find(const e2e_rows *r, const wchar_t *needle);
void e2e_assert_rows_equal(const e2e_rows *a, const e2e_rows *b);

/* Win32_Service with only what does not change between two queries: no
   state or process ids (a service can start in between), and without
   Wine's "WinedeviceN" services, which Wine registers while its driver
   hosts start, so they come and go between two queries. */
#define E2E_STABLE_SERVICES \
    L"SELECT Name, DisplayName, ServiceType, StartMode, PathName FROM Win32_Service " \
    L"WHERE NOT Name LIKE 'Winedevice%'"

/* A synchronous IWbemServices::ExecQuery (forward-only). The failure of
   ExecQuery or of the enumeration, else S_OK. */
HRESULT e2e_sync_query(IWbemServices *svc, const wchar_t *wql, e2e_rows *out);

/* One asynchronous query through a wbemsink. */
typedef struct e2e_async {
    wbemsink *sink;
    wbemsink_mode mode;
    e2e_rows rows;          /* filled by on_objects (THREAD/INLINE) or e2e_async_finish */
    int completes;          /* on_complete calls */
    HRESULT complete_hr;
    HRESULT exec_hr;        /* what ExecQueryAsync returned */
    /* status reports before the completion (WBEM_FLAG_SEND_STATUS) */
    int progress, requirements, other_status;
    int progress_out_of_range;   /* current or total above 0xFFFF */
    int other_status_misrouted;  /* a COMPLETE/PROGRESS/REQUIREMENTS flag in on_other_status */
    int status_after_complete;   /* any status callback after on_complete */
} e2e_async;

/* Creates the sink (dispatcher may be NULL; used in THREAD mode only) and calls ExecQueryAsync with
   WBEM_FLAG_SEND_STATUS; returns what ExecQueryAsync returned. */
HRESULT e2e_async_start(e2e_async *a, IWbemServices *svc, const wchar_t *wql, wbemsink_mode mode,
                        wbemsink_dispatcher *dispatcher);
/* The same through paced delivery: wbemsink_exec_query_paced (semisynchronous
   ExecQuery, then NextAsync or, under Wine, the Next fallback) into a sink
   of `capacity` (0: the default) asking `batch` objects at a time (0: the
   default). Returns what wbemsink_exec_query_paced returned. */
HRESULT e2e_paced_start(e2e_async *a, IWbemServices *svc, const wchar_t *wql, wbemsink_mode mode,
                        unsigned capacity, ULONG batch);
/* Waits (pulling in PULL mode) up to 30 s; returns the final HRESULT: the
   failure of ExecQueryAsync, else the completion's. Asserts that the sink
   completed exactly once and accounted for every object (received ==
   delivered + dropped, nothing queued). */
HRESULT e2e_async_finish(e2e_async *a);
/* The status reports the operation got (called by e2e_async_finish):
   under Wine none at all (wbemprox sends only the completion); on
   Windows any number, none required, each decoded as documented and
   none after the completion. */
void e2e_assert_status_reports(const e2e_async *a);
/* The sink's reference count once it stopped falling (up to 5 s): WMI's
   thread may Release its reference just after the completion was seen. */
ULONG e2e_settle_refs(wbemsink *s);
/* Releases the sink, asserting that nobody else holds it (call after the
   services that ran it was released). Frees the rows. */
void e2e_async_release(e2e_async *a);

/* The whole thing on a fresh connection: connect, run, release the
   services, check the sink's count went back to 1, release. */
HRESULT e2e_query(const wchar_t *ns, const wchar_t *wql, wbemsink_mode mode, e2e_rows *out);

#define E2E_MODES 3
extern const wbemsink_mode e2e_modes[E2E_MODES];
extern const char *const e2e_mode_names[E2E_MODES];

#endif
