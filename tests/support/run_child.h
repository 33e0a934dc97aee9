/* Runs a program of the build as a child process and captures its stdout
   and stderr (for the end-to-end tests of the tools). */
#ifndef WBEMSINK_RUN_CHILD_H
#define WBEMSINK_RUN_CHILD_H

#include <windows.h>

/* A path the build gives (a Linux path under Wine, reached through drive
   Z:, with '/' turned into '\'), as Windows sees it. */
void child_exe_path(const char *built, wchar_t *out, size_t size);

/* How the child's stdout is read, and its stdin; all zero: a pipe of the
   system's size read at once, this process's stdin. */
typedef struct run_child_options {
    DWORD out_size;       /* the stdout pipe's size (0: the system's) */
    DWORD out_delay_ms;   /* stdout is not read for this long: a slow reader */
    size_t close_after;   /* nonzero: stdout is read byte by byte and closed
                             after this many bytes, as `| head` does */
    HANDLE in;            /* the child's stdin (NULL: this process's) */
} run_child_options;

/* Runs `exe` with `args` (the command line after the program's quoted
   name), waits up to 60 s (a test failure otherwise), returns its exit
   code; *out and *err receive what it wrote (malloc'd, NUL-terminated, ""
   when nothing; free them). `options` may be NULL. */
DWORD run_child_ex(const wchar_t *exe, const wchar_t *args, const run_child_options *options,
                   char **out, char **err);
DWORD run_child(const wchar_t *exe, const wchar_t *args, char **out, char **err);

#endif
