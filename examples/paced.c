/* paced: the services, delivered to a deliberately slow consumer (50 ms an
   object) through a queue of 4, without losing one and without making WMI
   wait: wbemsink asks for the next batch only when the queue has room. */
#define COBJMACROS
#include <stdio.h>
#include <wbemsink.h>

static HRESULT on_objects(void *context, IWbemClassObject *const *objects, LONG count)
{
    (void)context;
    for (LONG i = 0; i < count; i++) {
        char name[260] = "?";
        wbemsink_get_utf8(objects[i], L"Name", name, sizeof name, NULL);
        printf("%s\n", name);
        Sleep(50);   /* the slow consumer: a database insert, a network send... */
    }
    return S_OK;   /* a failure would stop the enumeration */
}

int wmain(void)
{
    wbemsink_callbacks cb = { .on_objects = on_objects };
    /* DROP_NEWEST would drop the moment the queue is full; paced delivery
       never fills it past its room, so nothing is dropped. */
    wbemsink_options opt = { .capacity = 4, .full_policy = WBEMSINK_FULL_DROP_NEWEST };
    wbemsink_connection *c = NULL;
    wbemsink *s = NULL;
    HRESULT hr, final_hr = S_OK;
    wchar_t text[256];
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    wbemsink_init_security();
    if (SUCCEEDED(hr = wbemsink_connect(L"root\\cimv2", NULL, &c)) &&
        SUCCEEDED(hr = wbemsink_create(&cb, &opt, &s)) &&
        SUCCEEDED(hr = wbemsink_exec_query_paced(s, wbemsink_connection_services(c),
                                                 L"SELECT Name FROM Win32_Service", 0, NULL, 2)) &&
        SUCCEEDED(hr = wbemsink_wait(s, INFINITE, &final_hr)))
        hr = final_hr;   /* S_OK at the end, or the failure */
    if (s) {
        wbemsink_stats st;
        wbemsink_get_stats(s, &st);
        fprintf(stderr, "%llu objects, %llu dropped, at most %u queued\n", st.delivered, st.dropped,
                st.high_water);
    }
    wbemsink_hresult_text(hr, text, 256);
    if (FAILED(hr)) fwprintf(stderr, L"paced: %ls (0x%08lX)\n", text, (unsigned long)hr);
    wbemsink_release(s);
    wbemsink_connection_release(c);
    CoUninitialize();
    return FAILED(hr);
}
