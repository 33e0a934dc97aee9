/* wbemq call: what a method's non-zero ReturnValue means, where the class
   documents it. Win32_Process's and Win32_Service's methods have tables
   of their own (Microsoft's class documentation); StdRegProv returns Win32
   error codes, whose text FormatMessage gives. */
#include "wbemq.h"
#include <wchar.h>

typedef struct meaning {
    ULONG value;
    const wchar_t *text;
} meaning;

/* Win32_Process: Create, Terminate, GetOwner, SetPriority... */
static const meaning process_codes[] = {
    { 2, L"access denied" },
    { 3, L"insufficient privilege" },
    { 8, L"unknown failure" },
    { 9, L"path not found" },
    { 21, L"invalid parameter" },
};

/* Win32_Service: StartService, StopService, PauseService... */
static const meaning service_codes[] = {
    { 1, L"not supported" },
    { 2, L"access denied" },
    { 3, L"running services depend on it" },
    { 4, L"invalid or unacceptable control code" },
    { 5, L"the service cannot take this control in its current state" },
    { 6, L"the service is not running" },
    { 7, L"the service did not answer the start request in time" },
    { 8, L"unknown failure" },
    { 9, L"the service's program was not found" },
    { 10, L"the service is already running" },
    { 11, L"the service database is locked" },
    { 12, L"a dependency was deleted" },
    { 13, L"a dependency failed" },
    { 14, L"the service is disabled" },
    { 15, L"the service's logon failed" },
    { 16, L"the service is marked for deletion" },
    { 17, L"the service has no thread" },
    { 18, L"circular dependency" },
    { 19, L"duplicate name" },
    { 20, L"invalid name" },
    { 21, L"invalid parameter" },
    { 22, L"invalid service account" },
    { 23, L"the service exists" },
    { 24, L"the service is paused" },
};

static const wchar_t *lookup(const meaning *m, size_t n, ULONG value)
{
    for (size_t i = 0; i < n; i++)
        if (m[i].value == value) return m[i].text;
    return NULL;
}

const wchar_t *wbemq_return_meaning(const wchar_t *class_name, const wchar_t *method, ULONG value,
                                    wchar_t *buf, size_t size)
{
    const wchar_t *text = NULL;
    (void)method;
    if (!_wcsicmp(class_name, L"Win32_Process"))
        text = lookup(process_codes, sizeof(process_codes) / sizeof(process_codes[0]), value);
    else if (!_wcsicmp(class_name, L"Win32_Service") || !_wcsicmp(class_name, L"Win32_BaseService"))
        text = lookup(service_codes, sizeof(service_codes) / sizeof(service_codes[0]), value);
    else if (!_wcsicmp(class_name, L"StdRegProv")) {
        DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, value, 0,
                                 buf, (DWORD)size, NULL);
        while (n > 0 && (buf[n - 1] == L'\n' || buf[n - 1] == L'\r' || buf[n - 1] == L' ' || buf[n - 1] == L'.'))
            buf[--n] = 0;
        return n ? buf : NULL;
    }
    if (!text) return NULL;
    swprintf(buf, size, L"%ls", text);
    return buf;
}
