/* wbemq's own short words for common WMI codes, used when WMI itself has no
   description to give (wbemsink_hresult_text then falls back to the code's
   name; Wine's WMI never has one). */
#include "wbemq.h"

static const struct {
    HRESULT hr;
    const wchar_t *text;
} known[] = {
    {(HRESULT)0x80041001L, L"WMI reported a general failure."},
    {(HRESULT)0x80041002L, L"No such object."},
    {(HRESULT)0x80041003L, L"Access denied to this user."},
    {(HRESULT)0x80041006L, L"WMI ran out of memory."},
    {(HRESULT)0x80041008L, L"A parameter of the call was wrong."},
    {(HRESULT)0x8004100AL, L"WMI hit an internal error."},
    {(HRESULT)0x8004100CL, L"WMI does not support this."},
    {(HRESULT)0x8004100EL, L"No such namespace."},
    {(HRESULT)0x80041010L, L"No such class."},
    {(HRESULT)0x80041011L, L"The class's provider is not registered."},
    {(HRESULT)0x80041013L, L"The class's provider could not be loaded."},
    {(HRESULT)0x80041017L, L"The query is not valid WQL."},
    {(HRESULT)0x80041018L, L"Only WQL queries are supported."},
    {(HRESULT)0x80041032L, L"The query was cancelled."},
    {(HRESULT)0x80041045L, L"The object path is malformed."},
    {(HRESULT)0x80041058L, L"The query's result was too large."},
    {(HRESULT)0x80041059L, L"The query's result was too large."},
};

const wchar_t *wbemq_describe(HRESULT hr)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].hr == hr) return known[i].text;
    return NULL;
}
