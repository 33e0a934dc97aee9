/* Event subscriptions against the real WMI. Wine's wbemprox has no event
   queries: the subscription must fail cleanly through the sink's single
   completion (no hang, nothing kept). On Windows it must deliver the
   creation of a process this test starts, then cancel cleanly. */
#include "test_support.h"
#include "test_e2e_common.h"

static void creation_events_or_clean_failure(void **state)
{
    (void)state;
    IWbemServices *svc = e2e_connect(L"ROOT\\CIMV2");
    assert_non_null(svc);
    recorder r;
    recorder_init(&r);
    wbemsink_callbacks cb = recorder_callbacks(&r);
    wbemsink_options o = opts(WBEMSINK_MODE_THREAD, 0, WBEMSINK_FULL_WAIT, 0);
    o.timeout_ms = 60000;      /* a bound, so a broken subscription cannot hang */
    wbemsink *s;
    assert_hr(wbemsink_create(&cb, &o, &s), S_OK);
    assert_hr(wbemsink_exec_notification_query(s, svc,
              L"SELECT * FROM __InstanceCreationEvent WITHIN 1 WHERE TargetInstance ISA 'Win32_Process'",
              WBEM_FLAG_SEND_STATUS, NULL), S_OK);
    HRESULT hr = S_OK;
    if (e2e_is_wine()) {
        assert_hr(wbemsink_wait(s, 30000, &hr), S_OK);
        assert_hr(hr, WBEM_E_INVALID_QUERY);
        assert_string_equal(wbemsink_hresult_name(hr), "WBEM_E_INVALID_QUERY");
        assert_int_equal(r.completes, 1);
        assert_int_equal(r.objects, 0);
    } else {
        STARTUPINFOW si;
        ZeroMemory(&si, sizeof(si));
        si.cb = sizeof(si);
        PROCESS_INFORMATION pi;
        wchar_t cmd[] = L"cmd.exe /c exit 0";
        assert_true(CreateProcessW(NULL, cmd, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi));
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
        for (int i = 0; i < 1000 && r.objects == 0; i++) Sleep(10);
        assert_true(r.objects > 0);
        assert_hr(wbemsink_cancel(s, NULL), S_OK);
        assert_hr(wbemsink_wait(s, 30000, &hr), S_OK);
        assert_hr(hr, WBEM_E_CALL_CANCELLED);
    }
    wbemsink_stats st;
    wbemsink_get_stats(s, &st);
    assert_int_equal(st.queued, 0);
    assert_int_equal(st.received, st.delivered + st.dropped);
    wbemsink_release(s);
    IWbemServices_Release(svc);
    recorder_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(creation_events_or_clean_failure),
    };
    return cmocka_run_group_tests_name("e2e_events", tests, e2e_com_setup, e2e_com_teardown);
}
