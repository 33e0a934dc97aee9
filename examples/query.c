#include <stdio.h>
#include <wbemsink.h>   /* wbemsink_query: connect, run, wait and release in one call */

static HRESULT print_names(void *out, IWbemClassObject *const *objects, LONG count) {
    char name[260];
    for (LONG i = 0; i < count; i++)
        if (SUCCEEDED(wbemsink_get_utf8(objects[i], L"Name", name, sizeof name, NULL)))
            fprintf(out, "%s\n", name);
    return S_OK;   /* a failure would cancel the query */
}

int main(void) {
    wbemsink_callbacks cb = { .context = stdout, .on_objects = print_names };
    HRESULT hr = wbemsink_query(L"root\\cimv2", L"SELECT Name FROM Win32_Process", &cb, NULL);
    if (FAILED(hr)) fprintf(stderr, "query failed: 0x%08lX\n", (unsigned long)hr);
    return FAILED(hr);
}
