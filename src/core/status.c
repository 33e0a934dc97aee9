/* Pure decoding of IWbemObjectSink::SetStatus arguments. */
#ifdef WBEMSINK_HOST_COMPAT
#include "host_compat.h"
#endif
#include "wbemsink.h"

HRESULT wbemsink_decode_status(LONG flags, HRESULT hr, wbemsink_status *out)
{
    if (!out) return E_POINTER;
    out->flags = flags;
    out->hr = hr;
    out->current = 0;
    out->total = 0;
    /* Exact values only: a logging bit or an unknown value must never be
       taken for completion. */
    switch (flags) {
    case WBEM_STATUS_COMPLETE:
        out->kind = WBEMSINK_STATUS_COMPLETE;
        break;
    case WBEM_STATUS_REQUIREMENTS:
        out->kind = WBEMSINK_STATUS_REQUIREMENTS;
        break;
    case WBEM_STATUS_PROGRESS:
        out->kind = WBEMSINK_STATUS_PROGRESS;
        out->current = LOWORD(hr);
        out->total = HIWORD(hr);
        break;
    default:
        out->kind = WBEMSINK_STATUS_OTHER;
        break;
    }
    return S_OK;
}
