/* The DLL's lifetime over the COM objects it hands out (module.c). */
#ifndef WBEMSINK_MODULE_H
#define WBEMSINK_MODULE_H

/* Takes a reference on the library's module for an object about to be
   handed to WMI or a provider. Returns 1 when one was taken (the object
   then gives it back with ws_module_drop after its last Release), 0 when
   there is nothing to hold (the static library) or it could not be taken. */
int ws_module_hold(void);

/* Gives back a reference from ws_module_hold, from an object's last
   Release: the module is freed only once the releasing thread has had a
   grace period to leave the library's code (see module.c). Call it as the
   last thing the Release does. Never waits. */
void ws_module_drop(void);

#endif
