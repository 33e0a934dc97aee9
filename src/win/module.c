/* The DLL's lifetime over the COM objects it hands out.

   A COM object of the library (the sink, a paced operation's per-batch
   sink) may be Released by WMI or a provider on its own thread after the
   program's last wbemsink call and FreeLibrary. Each such object holds a
   reference on the module from the moment it is handed out, so the code of
   its methods stays mapped. The difficulty is the last Release: it runs in
   the module, so it cannot free the module itself and then return into
   unmapped code.

   It hands its reference to a reaper instead: a library thread that frees
   the references handed to it once REAPER_GRACE_MS have passed since the
   last hand-over, and then ends in FreeLibraryAndExitThread (its own
   reference, taken by ws_thread_start, is dropped by a call that does not
   return into the module). This is the scheme of COM's own delayed unload
   of in-process servers (CoFreeUnusedLibrariesEx). Why it is safe: after
   ws_module_drop the releasing thread runs only the rest of its Release,
   which is a return (the sink's: the rest of the core's destroy, a free()
   and a CloseHandle, then returns): no wait, no callback, nothing that
   lasts. It leaves the library's code within the grace period unless the
   system holds it off the processor for all of it; that is the one
   assumption, the same COM makes, and the grace is long against a
   scheduler's time slice (tens of milliseconds) while short enough that
   a FreeLibrary still unloads the DLL soon.

   If the reaper cannot be started (out of memory), the reference stays
   with the next hand-over's reaper, or for good: the module then stays
   loaded, which never crashes.

   In the static library the code belongs to the program, which cannot be
   unloaded under it: nothing is held. */
#include "module.h"
#include "platform.h"

#ifdef WBEMSINK_BUILDING_DLL

#define REAPER_GRACE_MS 1000

/* Any address inside this module names it to GetModuleHandleEx. */
static const char module_anchor;

static SRWLOCK reaper_lock = SRWLOCK_INIT;
/* Under reaper_lock. */
static unsigned long handed;       /* references handed over, not yet freed */
static ULONGLONG last_handed_ms;   /* when the newest was handed over */
static int reaper_running;

int ws_module_hold(void)
{
    HMODULE m;
    return GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)&module_anchor, &m) ? 1 : 0;
}

/* The reaper: frees what was handed over once the newest hand-over is
   REAPER_GRACE_MS old. Its own module reference (ws_thread_start's) keeps
   the module mapped meanwhile, and the trampoline drops it with
   FreeLibraryAndExitThread. */
static void reap(void *unused)
{
    (void)unused;
    HMODULE self = NULL;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCWSTR)&module_anchor, &self);
    for (;;) {
        AcquireSRWLockExclusive(&reaper_lock);
        ULONGLONG age = GetTickCount64() - last_handed_ms;
        if (age >= REAPER_GRACE_MS) {
            unsigned long n = handed;
            handed = 0;
            reaper_running = 0;   /* a later hand-over starts a new reaper */
            ReleaseSRWLockExclusive(&reaper_lock);
            while (n--) FreeLibrary(self);
            return;
        }
        ReleaseSRWLockExclusive(&reaper_lock);
        Sleep((DWORD)(REAPER_GRACE_MS - age));
    }
}

void ws_module_drop(void)
{
    AcquireSRWLockExclusive(&reaper_lock);
    handed++;
    last_handed_ms = GetTickCount64();
    int start = !reaper_running;
    reaper_running = 1;
    ReleaseSRWLockExclusive(&reaper_lock);
    if (!start) return;
    ws_thread t;
    if (ws_thread_start(&t, reap, NULL) == 0) {
        ws_thread_detach(t);
        return;
    }
    /* No reaper: the reference waits for the next hand-over's. */
    AcquireSRWLockExclusive(&reaper_lock);
    reaper_running = 0;
    ReleaseSRWLockExclusive(&reaper_lock);
}

#else /* the static library */

int ws_module_hold(void) { return 0; }
void ws_module_drop(void) {}

#endif
