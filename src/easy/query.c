/* wbemsink_query: one WQL query in one call (connect, run, wait, release),
   the library's easy interface. Built only on the public API of
   wbemsink.h, as any user's code would be: no core internals. */
#include <wbemsink.h>

#define KNOWN_FLAGS (WBEMSINK_QUERY_OWN_SECURITY | WBEMSINK_QUERY_PACED)

/* The operation, once COM is ready on the thread. */
static HRESULT run(const wchar_t *namespace_path, const wchar_t *wql,
                   const wbemsink_callbacks *callbacks, const wbemsink_query_options *o,
                   const wbemsink_options *sink_options)
{
    wbemsink_connection *c = NULL;
    HRESULT hr = wbemsink_connect(namespace_path, o->connect, &c);
    if (FAILED(hr)) return hr;
    /* Created after connecting: a deadline counts from here, so it bounds
       the query, not the connection (which has its own). */
    wbemsink *s = NULL;
    hr = wbemsink_create(callbacks, sink_options, &s);
    if (SUCCEEDED(hr)) {
        IWbemServices *services = wbemsink_connection_services(c);
        /* Both return S_OK once the sink owns the operation: a failure to
           start is then its completion, which the wait below reports. */
        hr = (o->flags & WBEMSINK_QUERY_PACED)
                 ? wbemsink_exec_query_paced(s, services, wql, 0, NULL, o->batch)
                 : wbemsink_exec_query(s, services, wql, WBEM_FLAG_SEND_STATUS, NULL);
        HRESULT final_hr = E_UNEXPECTED;
        if (SUCCEEDED(hr)) hr = wbemsink_wait(s, INFINITE, &final_hr);
        if (hr == S_OK) {
            hr = final_hr;
        } else {
            /* No wait (WBEMSINK_E_IN_CALLBACK: called from a callback of a
               sink on the same dispatcher): end the operation rather than
               leave it running unseen. */
            wbemsink_cancel(s, NULL);
            if (SUCCEEDED(hr)) hr = E_UNEXPECTED;
        }
        /* The sink before the connection: Wine keeps the sink until the
           services pointer's last Release, and nothing runs after this. */
        wbemsink_release(s);
    }
    wbemsink_connection_release(c);
    return hr;
}

HRESULT wbemsink_query(const wchar_t *namespace_path, const wchar_t *wql,
                       const wbemsink_callbacks *callbacks, const wbemsink_query_options *options)
{
    static const wbemsink_query_options no_options;
    const wbemsink_query_options *o = options ? options : &no_options;
    if (!namespace_path || !wql) return E_POINTER;
    if (o->flags & ~(unsigned)KNOWN_FLAGS) return E_INVALIDARG;

    wbemsink_options sink_options = {0};
    if (o->sink) sink_options = *o->sink;
    /* Nobody could pull: the call returns only when the operation ended. */
    if (sink_options.mode == WBEMSINK_MODE_PULL) return E_INVALIDARG;
    if (o->timeout_ms) sink_options.timeout_ms = o->timeout_ms;

    /* COM on this thread for the call: the multithreaded apartment if the
       thread has none yet, else the caller's own, whatever it is (the
       wait keeps a single-threaded apartment's messages moving).
       S_FALSE also takes a reference, given back below. */
    HRESULT com = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(com) && com != RPC_E_CHANGED_MODE) return com;

    HRESULT hr = S_OK;
    if (!(o->flags & WBEMSINK_QUERY_OWN_SECURITY)) {
        /* RPC_E_TOO_LATE: the process chose its security already (the
           program, or COM itself at its first remote call); that stands. */
        hr = wbemsink_init_security();
        if (hr == RPC_E_TOO_LATE) hr = S_OK;
    }
    if (SUCCEEDED(hr)) hr = run(namespace_path, wql, callbacks, o, &sink_options);

    if (SUCCEEDED(com)) CoUninitialize();
    return hr;
}
