/* Runs a call asynchronously, semisynchronously, or asynchronously with an
   explicit fallback (wbemsink_call_mode): the one place that decides. */
#include "call.h"

typedef struct fallback {
    const wc_call *call;
    void *arg;
    HRESULT refused;   /* the immediate refusal, S_OK if there was none */
} fallback;

/* What an implementation without the asynchronous call answers at once:
   Wine's wbemprox WBEM_E_FAILED; others E_NOTIMPL or WBEM_E_NOT_SUPPORTED. */
static int missing_async(HRESULT hr)
{
    return hr == (HRESULT)WBEM_E_FAILED || hr == E_NOTIMPL || hr == (HRESULT)WBEM_E_NOT_SUPPORTED;
}

static HRESULT start_or_note(void *p, IWbemServices *services, IWbemObjectSink *sink)
{
    fallback *f = p;
    HRESULT hr = f->call->start_async(f->arg, services, sink);
    if (!missing_async(hr)) return hr;
    /* Nothing started at WMI: the sink stays open for the synchronous call. */
    f->refused = hr;
    return S_OK;
}

HRESULT wc_run(wbemsink *s, IWbemServices *services, wbemsink_call_mode mode, const wc_call *call,
               void *arg)
{
    HRESULT hr;
    switch (mode) {
    case WBEMSINK_CALL_ASYNC:
        hr = wbemsink_start(s, services, call->start_async, arg);
        call->free_arg(arg);   /* the *Async call copied what it keeps */
        return hr;
    case WBEMSINK_CALL_SEMISYNC:
        return wbemsink_start_sync(s, services, call->run_sync, arg, call->free_arg);
    case WBEMSINK_CALL_ASYNC_OR_SEMISYNC: {
        fallback f = { call, arg, S_OK };
        hr = wbemsink_start(s, services, start_or_note, &f);
        if (FAILED(hr) || f.refused == S_OK) {
            call->free_arg(arg);
            return hr;
        }
        /* No asynchronous call runs: nothing to cancel at WMI. */
        wbemsink_bind_services(s, NULL);
        hr = wbemsink_start_sync(s, services, call->run_sync, arg, call->free_arg);
        return SUCCEEDED(hr) ? S_FALSE : hr;
    }
    default:
        call->free_arg(arg);
        return E_INVALIDARG;
    }
}
