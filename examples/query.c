/* query: the processes, asynchronously, each printed as it arrives. */
#define COBJMACROS
#include <stdio.h>
#include <wbemsink.h>

static HRESULT on_objects(void *context, IWbemClassObject *const *objects, LONG count)
{
    (void)context;
    for (LONG i = 0; i < count; i++) {
        char name[260] = "?";
        ULONG pid = 0;
        wbemsink_get_utf8(objects[i], L"Name", name, sizeof name, NULL);
        wbemsink_get_uint32(objects[i], L"ProcessId", &pid);
        printf("%6lu %s\n", (unsigned long)pid, name);
    }
    return S_OK;   /* a failure would cancel the query */
}

int wmain(void)
{
    wbemsink_callbacks cb = { .on_objects = on_objects };
    wbemsink_connection *c = NULL;
    wbemsink *s = NULL;
    HRESULT hr, final_hr = S_OK;
    wchar_t text[256];
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    wbemsink_init_security();
    if (SUCCEEDED(hr = wbemsink_connect(L"root\\cimv2", NULL, &c)) &&
        SUCCEEDED(hr = wbemsink_create(&cb, NULL, &s)) &&
        SUCCEEDED(hr = wbemsink_exec_query(s, wbemsink_connection_services(c),
                                           L"SELECT Name, ProcessId FROM Win32_Process", 0, NULL)) &&
        SUCCEEDED(hr = wbemsink_wait(s, INFINITE, &final_hr)))
        hr = final_hr;   /* WMI's result (the start's failure included) */
    wbemsink_hresult_text(hr, text, 256);
    if (FAILED(hr)) fwprintf(stderr, L"query: %ls (0x%08lX)\n", text, (unsigned long)hr);
    wbemsink_release(s);
    wbemsink_connection_release(c);
    CoUninitialize();
    return FAILED(hr);
}
