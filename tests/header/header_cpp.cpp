// The public header from C++: declarations under extern "C", so this links
// against the C library and runs.
#include <wbemsink.h>
#include <stdio.h>
#include <string.h>

int main()
{
    int passed = 0, failed = 0;
    wbemsink *s = nullptr;
    wbemsink_callbacks cb = {};
    (wbemsink_create(&cb, nullptr, &s) == S_OK ? passed : failed)++;
    (strcmp(wbemsink_version(), WBEMSINK_VERSION_STRING) == 0 ? passed : failed)++;
    (wbemsink_interface(s) != nullptr ? passed : failed)++;
    wbemsink_release(s);
    printf("header_cpp: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
