/* What the files of src/call share: running one call in the mode the
   caller chose. Built on the public API (wbemsink.h) alone. */
#ifndef WBEMSINK_CALL_H
#define WBEMSINK_CALL_H

#define COBJMACROS
#include "wbemsink.h"

/* One kind of call, both ways. */
typedef struct wc_call {
    wbemsink_start_fn start_async;   /* the *Async call */
    wbemsink_sync_fn run_sync;       /* the synchronous call */
    wbemsink_free_fn free_arg;       /* frees the call's arguments */
} wc_call;

/* Runs `call` on `arg` in `mode` (see wbemsink_call_mode). `arg` is owned:
   call->free_arg(arg) runs exactly once on every path. s and services are
   not NULL (the public functions check them). Returns what the public
   functions document: S_OK, S_FALSE after a fallback, E_INVALIDARG for an
   unknown mode. */
HRESULT wc_run(wbemsink *s, IWbemServices *services, wbemsink_call_mode mode, const wc_call *call,
               void *arg);

#endif
