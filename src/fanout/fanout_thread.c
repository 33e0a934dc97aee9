/* The fan-out's threads: each holds the module (GetModuleHandleEx) until
   it has returned, so a program that unloads the DLL while a stuck worker
   still waits in ConnectServer does not pull the code from under it. */
#include "fanout_internal.h"

#include <stdlib.h>

typedef struct start_args {
    void (*fn)(void *);
    void *arg;
    HMODULE module;
} start_args;

/* Any address inside this module names it to GetModuleHandleEx. */
static const char anchor = 0;

static DWORD WINAPI trampoline(void *p)
{
    start_args a = *(start_args *)p;
    free(p);
    a.fn(a.arg);
    FreeLibraryAndExitThread(a.module, 0);
}

int fanout_thread_start(void (*fn)(void *), void *arg)
{
    start_args *a = malloc(sizeof(*a));
    HANDLE t;
    if (!a) return -1;
    a->fn = fn;
    a->arg = arg;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)&anchor, &a->module)) {
        free(a);
        return -1;
    }
    /* A quarter of the default stack: a worker connects (DCOM and its
       authentication packages, which want room) and waits; Wine commits a
       thread's whole stack, so the smaller reservation saves commit per
       host in flight. */
    t = CreateThread(NULL, 256 * 1024, trampoline, a, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (!t) {
        FreeLibrary(a->module);
        free(a);
        return -1;
    }
    CloseHandle(t);
    return 0;
}
