/* What the COM shell attaches to a sink: made by sink.c when the sink's
   interface is first handed out, freed through the port
   (ws_port_shell_free, port.c) when the core frees the sink. */
#ifndef WBEMSINK_SHELL_H
#define WBEMSINK_SHELL_H
#include "wbemsink.h"

/* What the shell attaches to a sink (s->shell), from the first time its
   interface is handed out until the sink is freed (ws_port_shell_free). */
typedef struct ws_shell {
    int pinned;            /* holds a module reference (module.c): WMI may
                              make the sink's last Release after the
                              program's FreeLibrary */
    IUnknown *marshaler;   /* the aggregated free-threaded marshaler's inner
                              IUnknown, created on the first request for
                              IMarshal (most sinks never cross an
                              apartment); under s->lock */
} ws_shell;

#endif
