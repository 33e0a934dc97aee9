/* wait_many: run several queries at once and wait for all of them with
   WaitForMultipleObjects on the sinks' completion events, their callbacks
   sharing ONE dispatcher thread.

   One connection per query: WMI implementations may run only one
   asynchronous call per IWbemServices at a time (Wine's does), and a
   connection is cheap. Different classes, too: Wine's WMI races when two
   queries on the same class run at once. */
#define COBJMACROS
#include <stdio.h>
#include <wbemsink.h>

#define N 3
static const wchar_t *const queries[N] = {
    L"SELECT Name FROM Win32_Service",
    L"SELECT Name FROM Win32_Process",
    L"SELECT Caption FROM Win32_OperatingSystem",
};

typedef struct job {
    const wchar_t *query;
    wbemsink_connection *conn;
    wbemsink *sink;
    long objects;          /* counted on the dispatcher thread */
} job;

static HRESULT on_objects(void *context, IWbemClassObject *const *objects, LONG count)
{
    (void)objects;
    ((job *)context)->objects += count;
    return S_OK;
}

static int fail(const char *what, HRESULT hr)
{
    const char *name = wbemsink_hresult_name(hr);
    fprintf(stderr, "wait_many: %s failed: %s (0x%08lX)\n", what, name ? name : "unknown",
            (unsigned long)hr);
    return 1;
}

int wmain(void)
{
    job jobs[N] = {0};
    wbemsink_dispatcher *dispatcher = NULL;
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) return fail("CoInitializeEx", hr);
    wbemsink_init_security();
    hr = wbemsink_dispatcher_create(&dispatcher);
    if (FAILED(hr)) return fail("wbemsink_dispatcher_create", hr);

    HANDLE events[N];
    int started = 0, rc = 0;
    for (int i = 0; i < N; i++) {
        job *j = &jobs[i];
        j->query = queries[i];
        hr = wbemsink_connect(L"root\\cimv2", NULL, &j->conn);
        if (FAILED(hr)) { rc = fail("connecting", hr); break; }

        wbemsink_callbacks cb = {0};
        cb.context = j;
        cb.on_objects = on_objects;
        wbemsink_options options = {0};
        options.mode = WBEMSINK_MODE_THREAD;
        options.dispatcher = dispatcher;      /* one thread for all the sinks */
        hr = wbemsink_create(&cb, &options, &j->sink);
        if (FAILED(hr)) { rc = fail("wbemsink_create", hr); break; }

        /* A call WMI refuses completes the sink: its event is set too. */
        wbemsink_exec_query(j->sink, wbemsink_connection_services(j->conn), j->query,
                            WBEM_FLAG_SEND_STATUS, NULL);
        events[started++] = wbemsink_completion_event(j->sink);   /* owned by the sink */
    }

    /* All at once (bWaitAll); or FALSE to handle each as it finishes. */
    if (started && WaitForMultipleObjects(started, events, TRUE, 30000) != WAIT_OBJECT_0) {
        for (int i = 0; i < started; i++) wbemsink_cancel(jobs[i].sink, NULL);
        rc = fail("waiting", WBEM_S_TIMEDOUT);
    }
    for (int i = 0; i < started; i++) {
        HRESULT final_hr = E_FAIL;
        wbemsink_wait(jobs[i].sink, INFINITE, &final_hr);
        const char *name = wbemsink_hresult_name(final_hr);
        wprintf(L"%-45ls %4ld objects  %hs\n", jobs[i].query, jobs[i].objects, name ? name : "?");
        if (FAILED(final_hr)) rc = 1;
    }
    for (int i = 0; i < N; i++) {
        wbemsink_release(jobs[i].sink);             /* NULL is ignored */
        wbemsink_connection_release(jobs[i].conn);  /* so is this */
    }
    wbemsink_dispatcher_release(dispatcher);        /* the thread ends with the last sink */
    CoUninitialize();
    return rc;
}
