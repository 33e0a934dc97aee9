/* The core's port on Windows (see src/core/port.h): plain COM calls. */
#define COBJMACROS
#include "wbemsink.h"
#include "port.h"
#include "module.h"
#include "shell.h"
#include <stdlib.h>

HRESULT ws_port_cancel_call(IWbemServices *services, IWbemObjectSink *sink, int library_thread)
{
    /* A thread of the library's own has no apartment; a call on a proxy
       needs one. */
    HRESULT init = library_thread ? CoInitializeEx(NULL, COINIT_MULTITHREADED) : E_FAIL;
    HRESULT hr = IWbemServices_CancelAsyncCall(services, sink);
    if (SUCCEEDED(init)) CoUninitialize();
    return hr;
}

void ws_port_services_addref(IWbemServices *services)
{
    IWbemServices_AddRef(services);
}

void ws_port_services_release(IWbemServices *services)
{
    IWbemServices_Release(services);
}

/* Gives back the shell's attachment as the sink is freed: the marshaler
   (releasing it does not call the outer sink), then the module reference,
   last (see module.c: the releasing thread only returns after it). */
void ws_port_shell_free(void *p)
{
    ws_shell *shell = p;
    int pinned = shell->pinned;
    if (shell->marshaler) IUnknown_Release(shell->marshaler);
    free(shell);
    if (pinned) ws_module_drop();
}
