/* Runs a program of the build as a child process and captures its stdout
   and stderr (for the end-to-end tests of the tools). */
#ifndef WBEMSINK_RUN_CHILD_H
#define WBEMSINK_RUN_CHILD_H

#include <windows.h>

/* A path the build gives (a Linux path under Wine, reached through drive
   Z:, with '/' turned into '\'), as Windows sees it. */
void child_exe_path(const char *built, wchar_t *out, size_t size);

/* Runs `exe` with `args` (the command line after the program's quoted
   name), waits up to 60 s (a test failure otherwise), returns its exit
   code; *out and *err receive what it wrote (malloc'd, NUL-terminated, ""
   when nothing; free them). */
DWORD run_child(const wchar_t *exe, const wchar_t *args, char **out, char **err);

#endif
