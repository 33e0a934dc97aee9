/* Objects as rows on stdout, one row per object, written and flushed as the
   object arrives.

   table  the header (the first object's non-system property names) and a
          rule once, then one row per object; columns are as wide as the
          header or the first object's value (at least 16, at most 40), a
          longer value pushes the rest of its row right. NULL for null.
   csv    RFC 4180: a header line, then rows; a cell is quoted when it holds
          a comma, a quote or a line break. Empty for null.
   jsonl  one JSON object a line with each object's own properties.
   json   one JSON array of those objects: "[" before the first, one object
          a line, "]" at the end (wbemq_out_end; "[]" when none came), so
          stdout is one JSON document whenever the query ran, even when it
          failed or was interrupted half way (the exit status says so).
   Lines end with "\n" (stdout is switched to binary mode by main). Table and
   CSV rows take the header's columns from every object (missing: null). */
#include "wbemq.h"
#include <stdlib.h>
#include <wchar.h>

#define MIN_WIDTH 16
#define MAX_WIDTH 40

struct wbemq_out {
    wbemq_format format;
    FILE *stream;
    BSTR *columns;
    size_t *widths;
    size_t ncolumns;
    int have_header;
    unsigned long long objects;   /* printed so far */
    wbuf line, cell;
};

wbemq_out *wbemq_out_create(wbemq_format format, FILE *stream)
{
    wbemq_out *o = calloc(1, sizeof(*o));
    if (!o) return NULL;
    o->format = format;
    o->stream = stream;
    return o;
}

void wbemq_out_destroy(wbemq_out *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->ncolumns; i++) SysFreeString(o->columns[i]);
    free(o->columns);
    free(o->widths);
    wb_free(&o->line);
    wb_free(&o->cell);
    free(o);
}

/* The first object's non-system property names, in WMI's order. */
static HRESULT read_columns(wbemq_out *o, IWbemClassObject *obj)
{
    SAFEARRAY *names = NULL;
    HRESULT hr = IWbemClassObject_GetNames(obj, NULL, WBEM_FLAG_NONSYSTEM_ONLY, NULL, &names);
    if (FAILED(hr)) return hr;
    LONG lo = 0, hi = -1;
    SafeArrayGetLBound(names, 1, &lo);
    SafeArrayGetUBound(names, 1, &hi);
    size_t n = hi >= lo ? (size_t)(hi - lo + 1) : 0;
    o->columns = calloc(n ? n : 1, sizeof(BSTR));
    o->widths = calloc(n ? n : 1, sizeof(size_t));
    if (!o->columns || !o->widths) {
        SafeArrayDestroy(names);
        return E_OUTOFMEMORY;
    }
    for (LONG i = lo; i <= hi; i++) {
        BSTR name = NULL;
        if (SUCCEEDED(SafeArrayGetElement(names, &i, &name)) && name) o->columns[o->ncolumns++] = name;
    }
    SafeArrayDestroy(names);
    return S_OK;
}

/* One cell of obj (the column's value) into o->cell. */
static void cell(wbemq_out *o, IWbemClassObject *obj, size_t c)
{
    wb_clear(&o->cell);
    wbemq_value(&o->cell, obj, o->columns[c], WBEMQ_PLAIN, o->format == WBEMQ_TABLE ? L"NULL" : L"");
}

static void csv_cell(wbuf *b, const wchar_t *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == L',' || s[i] == L'"' || s[i] == L'\n' || s[i] == L'\r') quote = 1;
    if (!quote) {
        wb_putn(b, s, n);
        return;
    }
    wb_putc(b, L'"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == L'"') wb_putc(b, L'"');
        wb_putc(b, s[i]);
    }
    wb_putc(b, L'"');
}

static void table_cell(wbemq_out *o, size_t c, const wchar_t *s, size_t n)
{
    wb_putn(&o->line, s, n);
    if (c + 1 < o->ncolumns) wb_pad(&o->line, (n < o->widths[c] ? o->widths[c] - n : 0) + 2);
}

static void header(wbemq_out *o, IWbemClassObject *first)
{
    for (size_t c = 0; c < o->ncolumns; c++) {
        size_t w = SysStringLen(o->columns[c]);
        cell(o, first, c);
        if (o->cell.len > w) w = o->cell.len;
        o->widths[c] = w < MIN_WIDTH ? MIN_WIDTH : w > MAX_WIDTH ? MAX_WIDTH : w;
    }
    for (size_t c = 0; c < o->ncolumns; c++) {
        const wchar_t *name = o->columns[c];
        if (o->format == WBEMQ_CSV) {
            if (c) wb_putc(&o->line, L',');
            csv_cell(&o->line, name, SysStringLen(o->columns[c]));
        } else {
            table_cell(o, c, name, SysStringLen(o->columns[c]));
        }
    }
    wb_putc(&o->line, L'\n');
    if (o->format == WBEMQ_TABLE) {
        for (size_t c = 0; c < o->ncolumns; c++) {
            for (size_t i = 0; i < o->widths[c]; i++) wb_putc(&o->line, L'-');
            if (c + 1 < o->ncolumns) wb_pad(&o->line, 2);
        }
        wb_putc(&o->line, L'\n');
    }
}

HRESULT wbemq_out_object(wbemq_out *o, IWbemClassObject *obj)
{
    wb_clear(&o->line);
    if (o->format == WBEMQ_JSONL) {
        wbemq_object_json(&o->line, obj, 0);
        wb_putc(&o->line, L'\n');
    } else if (o->format == WBEMQ_JSON_ARRAY) {
        wb_puts(&o->line, o->objects ? L",\n" : L"[\n");
        wbemq_object_json(&o->line, obj, 0);
    } else {
        if (!o->have_header) {
            HRESULT hr = read_columns(o, obj);
            if (FAILED(hr)) return hr;
            o->have_header = 1;
            header(o, obj);
        }
        for (size_t c = 0; c < o->ncolumns; c++) {
            cell(o, obj, c);
            if (o->format == WBEMQ_CSV) {
                if (c) wb_putc(&o->line, L',');
                csv_cell(&o->line, o->cell.p ? o->cell.p : L"", o->cell.len);
            } else {
                table_cell(o, c, o->cell.p ? o->cell.p : L"", o->cell.len);
            }
        }
        wb_putc(&o->line, L'\n');
    }
    if (o->line.oom) return E_OUTOFMEMORY;
    if (wb_write_utf8(&o->line, o->stream) != 0) return E_FAIL;
    o->objects++;
    return S_OK;
}

HRESULT wbemq_out_end(wbemq_out *o)
{
    if (!o || o->format != WBEMQ_JSON_ARRAY) return S_OK;
    wb_clear(&o->line);
    wb_puts(&o->line, o->objects ? L"\n]\n" : L"[]\n");
    return wb_write_utf8(&o->line, o->stream) == 0 ? S_OK : E_FAIL;
}
