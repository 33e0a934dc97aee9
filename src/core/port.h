/* What the core needs from the platform's shell, and nothing else: the
   Windows shell implements it with COM (src/win/port.c), the host build of
   the core's tests with counting fakes (tests/host/host_port.c). None of
   these calls back into the core. */
#ifndef WBEMSINK_PORT_H
#define WBEMSINK_PORT_H

/* IWbemServices::CancelAsyncCall(services, sink) on the calling thread.
   `library_thread`: the caller is a thread of the library's own, which has
   no COM apartment yet. `sink` names the call (what WMI was given). */
HRESULT ws_port_cancel_call(IWbemServices *services, IWbemObjectSink *sink, int library_thread);
void ws_port_services_addref(IWbemServices *services);
void ws_port_services_release(IWbemServices *services);
/* Gives back what the shell attached to a sink (wbemsink.shell, non-NULL)
   after the sink was freed (its last step: the caller only returns). */
void ws_port_shell_free(void *shell);

#endif
