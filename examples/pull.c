/* pull: run a WQL query and take the objects one by one with
   wbemsink_next, on your own thread, like an iterator (PULL mode: no
   callbacks needed; the objects wait in the sink's queue).

   usage: pull ["WQL query"]   (default: SELECT Name, State FROM Win32_Service) */
#define COBJMACROS
#include <stdio.h>
#include <wbemsink.h>

static int fail(const char *what, HRESULT hr)
{
    const char *name = wbemsink_hresult_name(hr);
    fprintf(stderr, "pull: %s failed: %s (0x%08lX)\n", what, name ? name : "unknown",
            (unsigned long)hr);
    return 1;
}

int wmain(int argc, wchar_t **argv)
{
    const wchar_t *wql = argc > 1 ? argv[1] : L"SELECT Name, State FROM Win32_Service";
    wbemsink_connection *conn = NULL;
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) return fail("CoInitializeEx", hr);
    wbemsink_init_security();
    hr = wbemsink_connect(L"root\\cimv2", NULL, &conn);
    if (FAILED(hr)) return fail("connecting", hr);

    /* No callbacks: everything comes through wbemsink_next. */
    wbemsink_options options = {0};
    options.mode = WBEMSINK_MODE_PULL;
    wbemsink *sink;
    hr = wbemsink_create(NULL, &options, &sink);
    if (FAILED(hr)) return fail("wbemsink_create", hr);

    /* A call WMI refuses completes the sink too: wbemsink_next then says so. */
    wbemsink_exec_query(sink, wbemsink_connection_services(conn), wql, WBEM_FLAG_SEND_STATUS,
                        NULL);

    long count = 0;
    int rc = 0;
    IWbemClassObject *obj;
    /* S_OK: an object (ours to Release). Anything else ends the loop:
       WBEM_S_NO_MORE_DATA, the query completed and the queue is empty;
       WBEM_S_TIMEDOUT, nothing came within 10 s (this example gives up
       then); else the query's failure (WBEM_E_INVALID_QUERY...), the same
       as wbemsink_wait's result. */
    while ((hr = wbemsink_next(sink, 10000, &obj)) == S_OK) {
        /* Every non-system property as "Name=value". */
        BSTR name;
        VARIANT v;
        wprintf(L"%ld:", ++count);
        IWbemClassObject_BeginEnumeration(obj, WBEM_FLAG_NONSYSTEM_ONLY);
        while (IWbemClassObject_Next(obj, 0, &name, &v, NULL, NULL) == WBEM_S_NO_ERROR) {
            VARIANT s;
            VariantInit(&s);
            int ok = V_VT(&v) != VT_NULL && SUCCEEDED(VariantChangeType(&s, &v, 0, VT_BSTR));
            wprintf(L"  %ls=%ls", name, ok ? V_BSTR(&s) : L"NULL");
            VariantClear(&s);
            VariantClear(&v);
            SysFreeString(name);
        }
        IWbemClassObject_EndEnumeration(obj);
        wprintf(L"\n");
        IWbemClassObject_Release(obj);
    }
    if (hr == WBEM_S_TIMEDOUT) {
        wbemsink_cancel(sink, NULL);          /* the bound services */
        rc = fail("waiting for the next object", hr);
    } else if (hr != WBEM_S_NO_MORE_DATA) {
        rc = fail("the query", hr);
    } else {
        fflush(stdout);
        fprintf(stderr, "pull: %ld objects\n", count);
    }
    wbemsink_release(sink);
    wbemsink_connection_release(conn);
    CoUninitialize();
    return rc;
}
