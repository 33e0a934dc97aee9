/* events: subscribe to process creation (__InstanceCreationEvent on
   Win32_Process), print each new process until Ctrl+C, then cancel the
   subscription cleanly.

   Event sinks must return within 100 ms: THREAD mode (the default) only
   queues in Indicate and runs the callbacks on the sink's own thread.

   Wine's WMI has no event queries: the subscription fails at once (or ends
   by itself); this program then says so and exits with status 1. */
#define COBJMACROS
#include <stdio.h>
#include <wbemsink.h>

static HANDLE g_stop;

static BOOL WINAPI on_ctrl(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT) return FALSE;
    SetEvent(g_stop);
    return TRUE;          /* handled: do not end the process */
}

/* Each event carries the new process as its TargetInstance (an embedded
   object in a VT_UNKNOWN). Runs on the sink's thread. */
static HRESULT on_objects(void *context, IWbemClassObject *const *events, LONG count)
{
    (void)context;
    for (LONG i = 0; i < count; i++) {
        IWbemClassObject *process = NULL;
        char name[260] = "?";
        ULONG pid = 0;
        /* The event's embedded object: the process that was created. */
        if (wbemsink_get_object(events[i], L"TargetInstance", &process) != S_OK) continue;
        wbemsink_get_utf8(process, L"Name", name, sizeof name, NULL);
        wbemsink_get_uint32(process, L"ProcessId", &pid);
        printf("new process: %s (id %lu)\n", name, (unsigned long)pid);
        fflush(stdout);
        IWbemClassObject_Release(process);
    }
    return S_OK;
}

static int fail(const char *what, HRESULT hr)
{
    const char *name = wbemsink_hresult_name(hr);
    fprintf(stderr, "events: %s failed: %s (0x%08lX)\n", what, name ? name : "unknown",
            (unsigned long)hr);
    return 1;
}

int wmain(void)
{
    wbemsink_connection *conn = NULL;
    g_stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    SetConsoleCtrlHandler(on_ctrl, TRUE);
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) return fail("CoInitializeEx", hr);
    wbemsink_init_security();
    hr = wbemsink_connect(L"root\\cimv2", NULL, &conn);
    if (FAILED(hr)) return fail("connecting", hr);

    wbemsink_callbacks cb = {0};
    cb.on_objects = on_objects;
    wbemsink *sink;
    hr = wbemsink_create(&cb, NULL, &sink);          /* THREAD mode */
    if (FAILED(hr)) return fail("wbemsink_create", hr);
    /* Binds the services (so that cancel knows whom to tell) and starts;
       a call WMI refuses completes the sink with its HRESULT. */
    wbemsink_exec_notification_query(sink, wbemsink_connection_services(conn),
                                     L"SELECT * FROM __InstanceCreationEvent WITHIN 1 "
                                     L"WHERE TargetInstance ISA 'Win32_Process'",
                                     WBEM_FLAG_SEND_STATUS, NULL);

    int rc = 0;
    fprintf(stderr, "events: watching for new processes; Ctrl+C to stop\n");
    HANDLE h[2] = {wbemsink_completion_event(sink), g_stop};
    DWORD w = WaitForMultipleObjects(2, h, FALSE, INFINITE);
    HRESULT final_hr = S_OK;
    if (w == WAIT_OBJECT_0 + 1) {
        /* Ctrl+C: CancelAsyncCall, queued events dropped, one completion
           with WBEM_E_CALL_CANCELLED. */
        wbemsink_cancel(sink, NULL);
        wbemsink_wait(sink, INFINITE, &final_hr);
        fprintf(stderr, "events: cancelled (%s)\n", wbemsink_hresult_name(final_hr));
    } else {
        /* A subscription only ends by itself when WMI cannot run it (or
           refused it at once). */
        wbemsink_wait(sink, INFINITE, &final_hr);
        if (FAILED(final_hr)) rc = fail("the event subscription", final_hr);
        else rc = 1;
        fprintf(stderr, "events: the subscription ended by itself: this WMI does not "
                        "support event queries (Wine's does not)\n");
    }
    wbemsink_release(sink);
    wbemsink_connection_release(conn);
    CoUninitialize();
    CloseHandle(g_stop);
    return rc;
}
