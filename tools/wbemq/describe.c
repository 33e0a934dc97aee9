/* A short description of common WMI codes, after Microsoft's "WMI Error
   Constants" page. Used when WMI's own text (IWbemStatusCodeText, through
   wbemsink_hresult_text) says nothing more than the number, as Wine's
   does ("Error code: 0x80041017"). */
#include "wbemq.h"

static const struct {
    HRESULT hr;
    const wchar_t *text;
} known[] = {
    {(HRESULT)0x80041001L, L"Call failed."},
    {(HRESULT)0x80041002L, L"Object cannot be found."},
    {(HRESULT)0x80041003L, L"Current user does not have permission to perform the action."},
    {(HRESULT)0x80041006L, L"Not enough memory for the operation."},
    {(HRESULT)0x80041008L, L"One of the parameters to the call is not correct."},
    {(HRESULT)0x8004100AL, L"An internal, critical, and unexpected error occurred."},
    {(HRESULT)0x8004100CL, L"Feature or operation is not supported."},
    {(HRESULT)0x8004100EL, L"Namespace specified cannot be found."},
    {(HRESULT)0x80041010L, L"Specified class is not valid."},
    {(HRESULT)0x80041011L, L"Provider referenced in the schema does not have a corresponding registration."},
    {(HRESULT)0x80041013L, L"COM cannot locate a provider referenced in the schema."},
    {(HRESULT)0x80041017L, L"Query was not syntactically valid."},
    {(HRESULT)0x80041018L, L"Requested query language is not supported."},
    {(HRESULT)0x80041032L, L"Asynchronous call was cancelled."},
    {(HRESULT)0x80041045L, L"The object path is not valid."},
    {(HRESULT)0x80041058L, L"Query returned an excessive number of objects or used too much memory."},
    {(HRESULT)0x80041059L, L"Query returned an excessive number of objects or used too much memory."},
};

const wchar_t *wbemq_describe(HRESULT hr)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].hr == hr) return known[i].text;
    return NULL;
}
