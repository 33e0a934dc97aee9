/* wbemq: the modules of the command-line tool (private to tools/wbemq).

   args.c      command line -> wbemq_args
   text.c      a growable wide-char buffer, written out as UTF-8
   value.c     one property value (through the library's getters) -> text or JSON
   format.c    objects -> table, CSV, JSON Lines or a JSON array on stdout
   describe.c  fallback descriptions of common WBEM_E_* codes
   progress.c  the progress bar / running count on stderr (terminals only)
   main.c      connect (wbemsink_connect), run the query through a wbemsink
               (wbemsink_exec_query), report */
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
} wbemq_args;

/* 0: parsed; 1: help was printed (exit 0); -1: an error was printed (exit 2). */
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
/* Writes the buffer as UTF-8 and flushes. 0 on success, -1 on a write error. */
int wb_write_utf8(const wbuf *b, FILE *f);

/* ---- value.c ---- */
typedef enum wbemq_style {
    WBEMQ_PLAIN,              /* table and CSV cells: strings unquoted */
    WBEMQ_JSON                /* JSON values */
} wbemq_style;

/* Appends the value of obj's property `name`, read with the library's
   getter for its CIM type (CIM_DATETIME as ISO 8601; 64-bit integers as
   numbers in JSON). NULL, or a property obj lacks, appends `null_text` in
   PLAIN style and null in JSON. */
void wbemq_value(wbuf *b, IWbemClassObject *obj, const wchar_t *name, wbemq_style style,
                 const wchar_t *null_text);

/* Appends obj's non-system properties as a JSON object. */
void wbemq_object_json(wbuf *b, IWbemClassObject *obj, int depth);

/* ---- format.c ---- */
typedef struct wbemq_out wbemq_out;

wbemq_out *wbemq_out_create(wbemq_format format, FILE *stream);
/* Prints one object (the header first, for the first object of a table or
   CSV). S_OK, or E_FAIL when writing failed (the reader went away). */
HRESULT wbemq_out_object(wbemq_out *o, IWbemClassObject *obj);
/* Ends the output once the query is over (JSON: the array's "]"; the
   other formats: nothing). S_OK, or E_FAIL when writing failed. */
HRESULT wbemq_out_end(wbemq_out *o);
void wbemq_out_destroy(wbemq_out *o);

/* ---- describe.c ---- */
/* A description of hr (static), or NULL for codes it does not know. */
const wchar_t *wbemq_describe(HRESULT hr);

/* ---- progress.c ---- */
/* Everything here is a no-op unless stderr is a terminal. */
void wbemq_progress_init(void);
int wbemq_progress_enabled(void);
void wbemq_progress_objects(unsigned long long seen);       /* running count */
void wbemq_progress_wmi(unsigned current, unsigned total,   /* WMI's progress */
                        const wchar_t *message);
void wbemq_progress_hide(void);     /* before rows go to a terminal stdout */
void wbemq_progress_done(void);     /* erase the line for good */

#endif
