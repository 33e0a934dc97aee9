/* Starting an operation with one error path: wbemsink_start and the WQL
   helpers built on it. */
#include "core.h"

HRESULT wbemsink_start(wbemsink *s, IWbemServices *services, wbemsink_start_fn start, void *arg)
{
    if (!s || !services || !start) return E_POINTER;
    HRESULT hr = wbemsink_bind_services(s, services);
    if (FAILED(hr)) return hr;
    hr = start(arg, services, wbemsink_interface(s));
    /* The call failed before WMI took the sink: it ends like any other
       failure; nothing was started, so nothing to cancel at WMI. */
    if (FAILED(hr)) ws_end(s, hr, NULL, 0);
    return S_OK;
}

typedef struct query_args {
    const wchar_t *query;
    LONG flags;
    IWbemContext *context;
    int notification;
} query_args;

static HRESULT start_query(void *arg, IWbemServices *services, IWbemObjectSink *sink)
{
    const query_args *a = arg;
    BSTR lang = SysAllocString(L"WQL"), query = SysAllocString(a->query);
    HRESULT hr = WBEM_E_OUT_OF_MEMORY;
    if (lang && query)
        hr = a->notification
                 ? IWbemServices_ExecNotificationQueryAsync(services, lang, query, a->flags,
                                                            a->context, sink)
                 : IWbemServices_ExecQueryAsync(services, lang, query, a->flags, a->context, sink);
    SysFreeString(lang);
    SysFreeString(query);
    return hr;
}

static HRESULT exec(wbemsink *s, IWbemServices *services, const wchar_t *query, LONG flags,
                    IWbemContext *context, int notification)
{
    if (!s || !services || !query) return E_POINTER;
    query_args a = { query, flags, context, notification };
    return wbemsink_start(s, services, start_query, &a);
}

HRESULT wbemsink_exec_query(wbemsink *s, IWbemServices *services, const wchar_t *query, LONG flags,
                            IWbemContext *context)
{
    return exec(s, services, query, flags, context, 0);
}

HRESULT wbemsink_exec_notification_query(wbemsink *s, IWbemServices *services, const wchar_t *query,
                                         LONG flags, IWbemContext *context)
{
    return exec(s, services, query, flags, context, 1);
}
