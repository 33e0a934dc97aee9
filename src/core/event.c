/* The apartment-aware wait of event.h (Windows only; on POSIX it is the
   plain wait, inline in the header). */
#include "event.h"

#ifdef _WIN32
#include <objbase.h>

/* In an STA, CoWaitForMultipleHandles dispatches the messages sent to the
   thread (COM's calls into its objects among them) while it waits; in an
   MTA it is a plain wait. */
int ws_event_wait_apartment(ws_event *e, uint32_t ms)
{
    uint64_t deadline = ws_deadline(ms);
    DWORD index = 0;
    HRESULT hr = CoWaitForMultipleHandles(COWAIT_DEFAULT, ms, 1, &e->h, &index);
    if (hr == S_OK) return 1;
    if (hr == RPC_S_CALLPENDING) return 0;   /* the time ran out */
    /* CO_E_NOTINITIALIZED (no apartment on this thread: nothing to keep
       moving), or any other failure: the handle is still good, so a plain
       wait for the time left. */
    return ws_event_wait(e, ws_ms_left(deadline));
}
#else
/* ISO C wants a translation unit to declare something. */
typedef int ws_event_c_is_windows_only;
#endif
