/* The parent project's program: creates a sink, names a code, releases. */
#include <stdio.h>
#include <string.h>
#include <wbemsink.h>

int main(void)
{
    wbemsink *s = NULL;
    HRESULT hr = wbemsink_create(NULL, NULL, &s);
    const char *name = wbemsink_hresult_name((HRESULT)WBEM_E_NOT_FOUND);
    int ok = hr == S_OK && s != NULL && name && strcmp(name, "WBEM_E_NOT_FOUND") == 0 &&
             strcmp(wbemsink_version(), WBEMSINK_VERSION_STRING) == 0;
    if (s)
        wbemsink_release(s);
    printf("subproject app: wbemsink %s %s\n", wbemsink_version(), ok ? "works" : "FAILED");
    return !ok;
}
