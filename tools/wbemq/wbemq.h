/* wbemq: the modules of the command-line tool (private to tools/wbemq).

   args.c      command line -> wbemq_args
   text.c      a growable wide-char buffer, written out as UTF-8; plurals
   select.c    the query's SELECT list -> the columns
   value.c     one property value (through the library's getters) -> text or JSON
   format.c    the output layer: columns and rows of cells -> table, CSV,
               JSON Lines or a JSON array (knows nothing of WMI)
   rows.c      one object -> one row of cells for format.c
   errors.c    one error line: what failed, WMI's text, a hint
   progress.c  the progress bar / running count on stderr (terminals only)
   hosts.c     --host a,b,c / @FILE: the host list, and the query on every
               host through the library's fan-out (wbemsink_fanout_start),
               rows with a Host column first, a line per failed host, the
               summary
   call.c      `wbemq call`: a method through a wbemsink (wbemsink_exec_method),
               its out-parameters as a row; call_value.c converts NAME=VALUE
               by the parameter's CIM type, call_result.c explains a
               non-zero ReturnValue
   main.c      connect (wbemsink_connect), run the query through a wbemsink
               (wbemsink_exec_query) or the call, report

   All but main.c form the library wbemq_parts, which the unit test
   tests/test_wbemq_format.c links too. */
#ifndef WBEMQ_H
#define WBEMQ_H

#define COBJMACROS
#include <stdio.h>
#include <wbemsink.h>

/* ---- args.c ---- */
typedef enum wbemq_format { WBEMQ_TABLE, WBEMQ_CSV, WBEMQ_JSONL, WBEMQ_JSON_ARRAY } wbemq_format;

typedef struct wbemq_args {
    const wchar_t *host;      /* NULL: this computer */
    const wchar_t *user;      /* NULL: the caller's identity */
    const wchar_t *ns;        /* namespace, default root\cimv2 */
    wbemq_format format;      /* default table */
    wbemsink_mode mode;       /* default thread */
    int paced;                /* --mode paced: THREAD mode, wbemsink_exec_query_paced */
    unsigned timeout_s;       /* connect and query, each; 0: no limit; default 60 */
    unsigned capacity;        /* the sink's queue; 0: the library's default */
    unsigned full_wait_ms;    /* WBEMSINK_FULL_WAIT's bound; default INFINITE */
    const wchar_t *query;     /* the WQL text */
    int summary;              /* --summary: the count and time on stderr */
    const wchar_t *hosts;     /* --host a,b,c or @FILE (a fan-out); NULL: one host */
    unsigned throttle;        /* --throttle: hosts at once in a fan-out; default 32 */
    /* wbemq call TARGET METHOD name=value... (call.c): query is NULL then */
    int call;
    const wchar_t **operands; /* TARGET, METHOD, then the name=value pairs */
    int noperands;
    wbemsink_call_mode call_mode;   /* --call-mode; default ASYNC_OR_SEMISYNC */
} wbemq_args;

/* 0: parsed; 1: help or the version was printed (exit 0); -1: an error was printed (exit 2). */
int wbemq_parse_args(int argc, wchar_t **argv, wbemq_args *out);

/* ---- text.c ---- */
typedef struct wbuf {
    wchar_t *p;
    size_t len, cap;
    int oom;                  /* an allocation failed: contents truncated */
} wbuf;

void wb_putn(wbuf *b, const wchar_t *s, size_t n);
void wb_puts(wbuf *b, const wchar_t *s);
void wb_putc(wbuf *b, wchar_t c);
void wb_put_i64(wbuf *b, long long v);
void wb_put_u64(wbuf *b, unsigned long long v);
void wb_pad(wbuf *b, size_t n);          /* n spaces */
void wb_clear(wbuf *b);
void wb_free(wbuf *b);
/* Writes the buffer to `out` as UTF-8. 0 on success, else the Win32 error
   (ERROR_BROKEN_PIPE / ERROR_NO_DATA: the reader went away). */
DWORD wb_write_utf8(const wbuf *b, HANDLE out);
/* "1 object", "2 objects": `one` for n == 1, else `many`. */
const char *wbemq_plural(unsigned long long n, const char *one, const char *many);

/* ---- select.c ---- */
typedef struct wbemq_select {
    wchar_t **names;          /* the SELECT list as written; NULL for "*" */
    size_t count;
    wchar_t *class_name;      /* the name after FROM, or NULL */
} wbemq_select;

/* Parses "SELECT a, b FROM Class ..." (keywords in any case, any white
   space). A list of plain property names gives them in `names`; "*", a
   query that is not a SELECT (ASSOCIATORS OF...) or a list wbemq cannot
   read gives names NULL (the objects' own properties). S_OK, or
   E_OUTOFMEMORY. */
HRESULT wbemq_select_parse(const wchar_t *query, wbemq_select *out);
void wbemq_select_free(wbemq_select *s);

/* ---- value.c ---- */
typedef enum wbemq_style {
    WBEMQ_PLAIN,              /* table and CSV cells: strings unquoted */
    WBEMQ_JSON                /* JSON values */
} wbemq_style;

/* Appends the value of obj's property `name`, read with the library's
   getter for its CIM type (CIM_DATETIME as ISO 8601; 64-bit integers as
   numbers in JSON). NULL, or a property obj lacks, appends `null_text` in
   PLAIN style and null in JSON, and returns 1 (else 0). */
int wbemq_value(wbuf *b, IWbemClassObject *obj, const wchar_t *name, wbemq_style style,
                 const wchar_t *null_text);
/* Appends s as text: as it is (PLAIN) or a quoted JSON string. */
void wbemq_text(wbuf *b, const wchar_t *s, size_t n, wbemq_style style);

/* ---- format.c ---- */
/* The output layer: a list of columns, then rows of cells. It knows
   nothing of WMI (rows.c turns an object into cells), so anything with
   named values (an object, a method's out-parameters, a host tag in front)
   prints alike in every format. Thread-safe: rows may come from the sink's
   thread while the main thread ticks. */
typedef struct wbemq_out wbemq_out;

typedef struct wbemq_cell {
    const wchar_t *name;      /* the column's name: JSON's key */
    const wchar_t *text;      /* the value in wbemq_out_style's form */
    size_t len;
    int is_null;              /* table: NULL, csv: empty, JSON: text (null) */
} wbemq_cell;

/* How the table waits to measure its rows (see format.c). */
typedef struct wbemq_table_bounds {
    unsigned rows;            /* rows held back at most before widths are fixed */
    size_t chars;             /* characters held back at most */
    unsigned wait_ms;         /* how long the first held row may wait */
    unsigned max_width;       /* a column's widest (not the last column) */
} wbemq_table_bounds;
extern const wbemq_table_bounds wbemq_default_bounds;

/* bounds: NULL for the defaults. NULL on out of memory. */
wbemq_out *wbemq_out_create(wbemq_format format, HANDLE stream, const wbemq_table_bounds *bounds);
/* PLAIN for table and CSV, JSON for the JSON formats: how cells' text is
   written (wbemq_value, wbemq_text). */
wbemq_style wbemq_out_style(const wbemq_out *o);
/* Sets the columns (copied), once, before the first row; a table and CSV
   print the header from them. Returns S_FALSE if they were set already. */
HRESULT wbemq_out_columns(wbemq_out *o, const wchar_t *const *names, size_t count);
int wbemq_out_has_columns(const wbemq_out *o);
/* The columns once set (they never change after): valid until destroy. */
const wchar_t *const *wbemq_out_column_names(const wbemq_out *o);
size_t wbemq_out_column_count(const wbemq_out *o);
/* One row. Table and CSV: `count` cells in the columns' order (names
   ignored). JSON: one object of the cells' names and values, so a row may
   have its own keys. S_OK, or the Win32 error of a failed write as
   HRESULT_FROM_WIN32 (the row is then dropped, and so are all later ones). */
HRESULT wbemq_out_row(wbemq_out *o, const wbemq_cell *cells, size_t count);
/* Writes held-back table rows that waited for wait_ms (call it now and
   then; a no-op for the other formats). S_OK or a write's failure. */
HRESULT wbemq_out_tick(wbemq_out *o);
/* Nonzero when wbemq_out_tick would write now (to hide a progress line
   first). */
int wbemq_out_tick_due(wbemq_out *o);
/* Ends the output once no row can come: the table's held rows (its header
   alone when there were none), CSV's header when no row came, JSON's "]"
   or "[]". S_OK, or a write's failure. */
HRESULT wbemq_out_end(wbemq_out *o);
/* The first write failure (a Win32 error), 0 when none. */
DWORD wbemq_out_write_error(const wbemq_out *o);
void wbemq_out_destroy(wbemq_out *o);

/* ---- rows.c ---- */
/* Prints obj as one row: the columns of `sel` (or, with sel NULL or "*",
   the object's own non-system properties, in WMI's order) after `prefix`
   (cells of the caller's own, e.g. a host, already in the output's style;
   the caller puts them in the columns too). The first row sets the
   columns when the output has none. S_OK, or wbemq_out_row's failure. */
HRESULT wbemq_print_object(wbemq_out *o, IWbemClassObject *obj, const wbemq_select *sel,
                           const wbemq_cell *prefix, size_t nprefix);
/* The columns for an empty result: the select list, or with "*" the
   class's properties read with a synchronous GetObject (none if that
   fails). Does nothing if the output has its columns. */
void wbemq_columns_for_empty(wbemq_out *o, IWbemServices *services, const wbemq_select *sel,
                             const wchar_t *const *prefix, size_t nprefix);

/* ---- errors.c ---- */
typedef struct wbemq_failure {
    const wchar_t *host;      /* NULL: this computer */
    const wchar_t *ns;        /* the namespace */
    const wchar_t *query;     /* NULL when it failed before the query */
    const char *what;         /* "connecting", "the query", ... */
    HRESULT hr;
    IWbemClassObject *error_object;   /* WMI's error object, or NULL */
    int say_objects;          /* nonzero: say "after N objects" (zero, as in {...}
                                 initializers that stop before it: not said) */
    unsigned long long objects;   /* objects printed before the failure */
} wbemq_failure;

/* Writes ONE line to f: "wbemq: " then `tag` (a host's name in a fan-out,
   or NULL), what failed (after how many objects, with say_objects) and
   where (host, namespace, query), the HRESULT's
   name and code, WMI's text (wbemsink_hresult_text, else wbemq's own
   words), the error object's Description, and a hint for the common
   failures. Returns 1 (wbemq's exit status for a failure). */
int wbemq_report_failure(FILE *f, const wchar_t *tag, const wbemq_failure *x);
/* The hint for hr (static), or NULL. */
const char *wbemq_hint(HRESULT hr);

/* ---- hosts.c ---- */
/* The host list of --host: "a,b,c" or "@FILE" (one name a line; '#'
   starts a comment; blank lines skipped; UTF-8 or the ANSI code page).
   S_OK with *names (each and the array freed by wbemq_hosts_free) and
   *count; a failure after printing why. */
HRESULT wbemq_hosts_parse(const wchar_t *spec, wchar_t ***names, size_t *count);
void wbemq_hosts_free(wchar_t **names, size_t count);
/* Runs the query on every host (args->hosts) with the fan-out: rows with
   a Host column first; each failed host one line on stderr
   (wbemq_report_failure, the host as tag); a summary on stderr (hosts
   ok / failed / timed out, rows, time). `password` NULL without --user.
   Returns the exit status: 0 only if every host succeeded. */
int wbemq_run_hosts(const wbemq_args *a, const wchar_t *password, const wbemq_select *sel,
                    wbemq_out *out);

/* ---- progress.c ---- */
/* Everything here is a no-op unless stderr is a terminal. */
void wbemq_progress_init(void);
int wbemq_progress_enabled(void);
void wbemq_progress_objects(unsigned long long seen);       /* running count */
void wbemq_progress_wmi(unsigned current, unsigned total,   /* WMI's progress */
                        const wchar_t *message);
void wbemq_progress_hosts(size_t done, size_t hosts);   /* a fan-out's hosts done */
void wbemq_progress_hide(void);     /* before rows go to a terminal stdout */
void wbemq_progress_done(void);     /* erase the line for good */

/* ---- call.c, call_value.c, call_result.c: `wbemq call` ---- */
/* Runs a->operands' method on the connected services and prints its
   out-parameters through `out`; `stop` is the Ctrl+C event. Returns the
   exit status (0; 1 WMI failed or ReturnValue is not 0; 2 bad usage: an
   unknown parameter or a value that does not fit its type). */
int wbemq_call(IWbemServices *services, const wbemq_args *a, wbemq_out *out, HANDLE stop);
/* Sets in-parameter `name` of `in` from command-line text, converted by
   its CIM type (see the manual). S_OK; otherwise a failure with a reason
   in why (at most `size` wide chars): WBEM_E_NOT_FOUND (no such
   parameter), WBEM_E_TYPE_MISMATCH / WBEM_E_VALUE_OUT_OF_RANGE (the text
   is not a value of the type), a setter's failure. */
HRESULT wbemq_call_set(IWbemClassObject *in, const wchar_t *name, const wchar_t *text, wchar_t *why,
                       size_t size);
/* The documented meaning of a method's non-zero ReturnValue: the class's
   own table (Win32_Process, Win32_Service), a Win32 error's text for
   StdRegProv, else NULL. Written into buf (size wide chars). */
const wchar_t *wbemq_return_meaning(const wchar_t *class_name, const wchar_t *method, ULONG value,
                                    wchar_t *buf, size_t size);

#endif
