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
    VARIANT v, s;
    IWbemClassObject_BeginEnumeration(obj, WBEM_FLAG_NONSYSTEM_ONLY);
    while (IWbemClassObject_Next(obj, 0, &name, &v, NULL, NULL) == WBEM_S_NO_ERROR) {
        VariantInit(&s);
        int ok = V_VT(&v) != VT_NULL && SUCCEEDED(VariantChangeType(&s, &v, 0, VT_BSTR));
        wprintf(L"%ls=%ls  ", name, ok ? V_BSTR(&s) : L"NULL");
        VariantClear(&s);
        VariantClear(&v);
        SysFreeString(name);
    }
    wprintf(L"\n");
}

/* Runs on the sink's dispatcher thread; the objects are borrowed. */
static HRESULT on_objects(void *context, IWbemClassObject *const *objects, LONG count)
{
    for (LONG i = 0; i < count; i++) print_object(objects[i]);
    *(long *)context += count;
    return S_OK;
}

int wmain(int argc, wchar_t **argv)
{
    const wchar_t *wql = argc > 1 ? argv[1] : L"SELECT Name, ProcessId FROM Win32_Process";
    long seen = 0;
    wbemsink_callbacks cb = {0};
    cb.context = &seen;
    cb.on_objects = on_objects;
    wbemsink_options options = {0};
    options.timeout_ms = 30000;                  /* completes with WBEM_E_TIMED_OUT */
    wbemsink_connection *conn = NULL;
    wbemsink *sink = NULL;
    HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED), final_hr = init;
    if (SUCCEEDED(init)) wbemsink_init_security();   /* once, before connecting */
    if (SUCCEEDED(final_hr)) final_hr = wbemsink_connect(L"root\\cimv2", NULL, &conn);
    if (SUCCEEDED(final_hr)) final_hr = wbemsink_create(&cb, &options, &sink);
    if (SUCCEEDED(final_hr)) {                   /* one error path: the completion */
        wbemsink_exec_query(sink, wbemsink_connection_services(conn), wql,
                            WBEM_FLAG_SEND_STATUS, NULL);
        wbemsink_wait(sink, INFINITE, &final_hr);
    }
    wbemsink_release(sink);                      /* no callback runs after this */
    wbemsink_connection_release(conn);           /* NULL is ignored by both */
    if (SUCCEEDED(init)) CoUninitialize();
    const char *name = wbemsink_hresult_name(final_hr);
    fflush(stdout);
    fprintf(stderr, "query: %ld objects, %s (0x%08lX)\n", seen, name ? name : "?",
            (unsigned long)final_hr);
    return FAILED(final_hr);
}
