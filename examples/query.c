/* query: run a WQL query asynchronously through a wbemsink and print each
   object as it arrives (THREAD mode: callbacks run on the sink's thread).

   usage: query ["WQL query"]   (default: SELECT Name, ProcessId FROM Win32_Process) */
#define COBJMACROS   /* C macros for COM calls: IWbemClassObject_Release(o) */
#include <stdio.h>
#include <wbemsink.h>

/* Prints "Prop=value" for each non-system property of obj. */
static void print_object(IWbemClassObject *obj)
{
    BSTR name;
    VARIANT v;
    int first = 1;
    if (FAILED(IWbemClassObject_BeginEnumeration(obj, WBEM_FLAG_NONSYSTEM_ONLY))) return;
    while (IWbemClassObject_Next(obj, 0, &name, &v, NULL, NULL) == WBEM_S_NO_ERROR) {
        VARIANT s;
        VariantInit(&s);
        const wchar_t *text = L"NULL";
        if (V_VT(&v) != VT_NULL && SUCCEEDED(VariantChangeType(&s, &v, 0, VT_BSTR)))
            text = V_BSTR(&s);
        wprintf(L"%ls%ls=%ls", first ? L"" : L"  ", name, text);
        first = 0;
        VariantClear(&s);
        VariantClear(&v);
        SysFreeString(name);
    }
    IWbemClassObject_EndEnumeration(obj);
    wprintf(L"\n");
}

/* Runs on the sink's dispatcher thread; the objects are borrowed. */
static HRESULT on_objects(void *context, IWbemClassObject *const *objects, LONG count)
{
    long *seen = context;
    for (LONG i = 0; i < count; i++) print_object(objects[i]);
    *seen += count;
    return S_OK;
}

static int fail(const char *what, HRESULT hr)
{
    const char *name = wbemsink_hresult_name(hr);
    fprintf(stderr, "query: %s failed: %s (0x%08lX)\n", what, name ? name : "unknown",
            (unsigned long)hr);
    return 1;
}

int wmain(int argc, wchar_t **argv)
{
    const wchar_t *wql = argc > 1 ? argv[1] : L"SELECT Name, ProcessId FROM Win32_Process";
    IWbemLocator *locator = NULL;
    IWbemServices *services = NULL;
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) return fail("CoInitializeEx", hr);
    CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
                         RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL);
    hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER, &IID_IWbemLocator,
                          (void **)&locator);
    if (FAILED(hr)) return fail("CoCreateInstance(WbemLocator)", hr);
    BSTR ns = SysAllocString(L"ROOT\\CIMV2");
    hr = IWbemLocator_ConnectServer(locator, ns, NULL, NULL, NULL, 0, NULL, NULL, &services);
    SysFreeString(ns);
    if (FAILED(hr)) return fail("ConnectServer", hr);

    long seen = 0;
    wbemsink_callbacks cb = {0};
    cb.context = &seen;
    cb.on_objects = on_objects;
    wbemsink *sink;
    hr = wbemsink_create(&cb, NULL, &sink);   /* default options: THREAD mode */
    if (FAILED(hr)) return fail("wbemsink_create", hr);

    BSTR lang = SysAllocString(L"WQL"), query = SysAllocString(wql);
    hr = IWbemServices_ExecQueryAsync(services, lang, query, WBEM_FLAG_SEND_STATUS, NULL,
                                      wbemsink_interface(sink));
    SysFreeString(lang);
    SysFreeString(query);
    HRESULT final_hr = hr;
    if (SUCCEEDED(hr)) hr = wbemsink_wait(sink, 30000, &final_hr);
    int rc = 0;
    if (hr == WBEM_S_TIMEDOUT) {
        wbemsink_cancel(sink, services);
        rc = fail("waiting", hr);
    } else if (FAILED(final_hr)) {
        rc = fail("the query", final_hr);
    } else {
        fflush(stdout);
        fprintf(stderr, "query: %ld objects\n", seen);
    }
    wbemsink_release(sink);        /* no callback runs after this */
    IWbemServices_Release(services);
    IWbemLocator_Release(locator);
    CoUninitialize();
    return rc;
}
