/* Event subscriptions against the real WMI.

   Wine 8's wbemprox has no event queries: it runs the string once as a
   plain query, and WITHIN / ISA make it WBEM_E_INVALID_QUERY. Asserted as
   such: the subscription fails cleanly through the sink's single
   completion (no hang, no objects, nothing kept).

   On Windows the query is a documented intrinsic event query
   (__InstanceCreationEvent with WITHIN, which WMI polls; "Receiving a WMI
   Event", "WITHIN Clause" in the WMI documentation): a process this test
   starts must be reported with its id in TargetInstance, and
   wbemsink_cancel must end the subscription once with
   WBEM_E_CALL_CANCELLED. The process is started suspended and kept until
   its event came, so that the polling (WITHIN 1) cannot miss it.

   The callbacks are this file's own: the tests' recorder reads the fake
   objects' private counters, which real WMI objects do not have. */
#include "test_e2e_common.h"
#include <string.h>

#define MAX_PIDS 256

typedef struct events {
    volatile LONG objects, completes, pids_n;
    ULONG pids[MAX_PIDS];       /* TargetInstance.ProcessId of each event */
    HRESULT final_hr;
} events;

static HRESULT on_events(void *ctx, IWbemClassObject *const *objs, LONG count)
{
    events *e = ctx;
    for (LONG i = 0; i < count; i++) {
        IWbemClassObject *target = NULL;
        ULONG pid = 0;
        if (wbemsink_get_object(objs[i], L"TargetInstance", &target) == S_OK && target) {
            if (wbemsink_get_uint32(target, L"ProcessId", &pid) == S_OK) {
                LONG at = InterlockedIncrement(&e->pids_n) - 1;
                if (at < MAX_PIDS) e->pids[at] = pid;
            }
            IWbemClassObject_Release(target);
        }
    }
    InterlockedExchangeAdd(&e->objects, count);
    return S_OK;
}

static void on_done(void *ctx, HRESULT hr, const wchar_t *param, IWbemClassObject *err)
{
    events *e = ctx;
    (void)param;
    (void)err;
    e->final_hr = hr;
    InterlockedIncrement(&e->completes);
}

static int saw_pid(events *e, ULONG pid)
{
    LONG n = e->pids_n < MAX_PIDS ? e->pids_n : MAX_PIDS;
    for (LONG i = 0; i < n; i++)
        if (e->pids[i] == pid) return 1;
    return 0;
}

static void creation_events_or_clean_failure(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    assert_non_null(svc);
    events ev;
    memset(&ev, 0, sizeof(ev));
    wbemsink_callbacks cb = {0};
    cb.context = &ev;
    cb.on_objects = on_events;
    cb.on_complete = on_done;
    wbemsink_options o = opts(WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    o.timeout_ms = 60000;      /* a bound, so a broken subscription cannot hang */
    wbemsink *s;
    assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
    assert_hr(wbemsink_exec_notification_query(s, svc,
              L"SELECT * FROM __InstanceCreationEvent WITHIN 1 WHERE TargetInstance ISA 'Win32_Process'",
              WBEM_FLAG_SEND_STATUS, NULL), S_OK);
    HRESULT hr = S_OK;
    if (test_is_wine()) {
        assert_hr(wbemsink_wait(s, 30000, &hr), S_OK);
        assert_hr(hr, WBEM_E_INVALID_QUERY);
        assert_string_equal(wbemsink_hresult_name(hr), "WBEM_E_INVALID_QUERY");
        assert_int_equal(ev.completes, 1);
        assert_int_equal(ev.objects, 0);
    } else {
        STARTUPINFOW si;
        ZeroMemory(&si, sizeof(si));
        si.cb = sizeof(si);
        PROCESS_INFORMATION pi;
        wchar_t cmd[] = L"cmd.exe /c exit 0";
        assert_true(CreateProcessW(NULL, cmd, NULL, NULL, FALSE, CREATE_NO_WINDOW | CREATE_SUSPENDED, NULL,
                                   NULL, &si, &pi));
        for (int i = 0; i < 3000 && !saw_pid(&ev, pi.dwProcessId) && !ev.completes; i++) Sleep(10);
        int seen = saw_pid(&ev, pi.dwProcessId);
        TerminateProcess(pi.hProcess, 0);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
        print_message("    %ld creation events, ours (%lu) %s\n", (long)ev.objects,
                      (unsigned long)pi.dwProcessId, seen ? "among them" : "missing");
        assert_true(seen);
        assert_int_equal(ev.completes, 0);      /* a subscription runs until cancelled */
        assert_hr(wbemsink_cancel(s, NULL), S_OK);
        assert_hr(wbemsink_wait(s, 30000, &hr), S_OK);
        assert_hr(hr, WBEM_E_CALL_CANCELLED);
        assert_int_equal(ev.completes, 1);
    }
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.queued, 0);
    assert_int_equal(st.received, st.delivered + st.dropped);
    wbemsink_release(s);
    IWbemServices_Release(svc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(creation_events_or_clean_failure),
    };
    return cmocka_run_group_tests_name("e2e_events", tests, e2e_com_setup, e2e_com_teardown);
}
