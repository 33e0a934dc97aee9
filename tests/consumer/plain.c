/* A program that uses the header and calls COM itself, linked with
   wbemsink's own pkg-config flags and nothing else (consumer.c also links
   wbemsink_fake, whose flags would hide a missing -lole32): the .pc file
   must give what the header's users need, in both linkages. */
#include <stdio.h>
#include <string.h>
#include <wbemsink.h>

int main(void)
{
    HRESULT com = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    wchar_t text[128];
    HRESULT hr = wbemsink_hresult_text(WBEM_E_INVALID_NAMESPACE, text, 128);
    BSTR b = SysAllocString(L"oleaut32");   /* oleaut32, as the getters' users need */
    int ok = SUCCEEDED(com) && SUCCEEDED(hr) && text[0] && b &&
             strcmp(wbemsink_version(), WBEMSINK_VERSION_STRING) == 0;
    SysFreeString(b);
    if (SUCCEEDED(com)) CoUninitialize();
    printf("plain %s: %s\n", wbemsink_version(), ok ? "ok" : "FAILED");
    return !ok;
}
