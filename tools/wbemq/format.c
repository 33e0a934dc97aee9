/* The output layer: columns, then rows of cells, on stdout. Lines end with
   "\n"; text is UTF-8.

   table  A header (the column names), a rule, one row a line, columns two
          spaces apart. Every row is measured: rows are held back until
          `rows` rows (default 1000) or `chars` characters (1 MiB) are
          held, the first one has waited `wait_ms` (1 s; checked at each
          row and by wbemq_out_tick), or the output ends; the widths are then fixed
          from the header and the held rows, each column at most
          `max_width` (60) wide but the last, which is never padded and so
          never cut. A later value wider than its column (and a held value
          over max_width) is cut to the column with "..." at its end, so a
          row never pushes its neighbours right. Control characters are
          escaped, so one row is one line: \n \r \t, and \xHH for the
          others (U+0000-U+001F, U+007F-U+009F); backslashes are left as
          they are (Windows paths). NULL for null.
   csv    RFC 4180: a header line, then rows; a cell is quoted when it holds
          a comma, a quote, CR or LF (quotes doubled); empty for null. Each
          row is written as it comes.
   jsonl  one JSON object a line.
   json   one JSON array of those objects: "[" before the first, one object
          a line, "]" at the end (wbemq_out_end; "[]" when none came).
   The header of table and CSV is printed for an empty result too, once
   the columns are known. */
#include "wbemq.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

const wbemq_table_bounds wbemq_default_bounds = {1000, 1u << 20, 1000, 60};

typedef struct held_row {
    wchar_t **cells;          /* escaped, NUL-terminated */
    size_t *lens;
} held_row;

struct wbemq_out {
    wbemq_format format;
    HANDLE stream;
    wbemq_table_bounds bounds;
    CRITICAL_SECTION lock;
    wchar_t **columns;
    size_t ncolumns;
    int have_columns;
    int header_done;          /* table: widths fixed and header written; CSV: header written */
    size_t *widths;
    held_row *held;           /* table rows waiting to be measured */
    size_t nheld, held_cap, held_chars;
    ULONGLONG held_since;
    unsigned long long rows;  /* rows taken (written or held) */
    DWORD write_error;
    wbuf line, cell;
};

wbemq_out *wbemq_out_create(wbemq_format format, HANDLE stream, const wbemq_table_bounds *bounds)
{
    wbemq_out *o = calloc(1, sizeof(*o));
    if (!o) return NULL;
    o->format = format;
    o->stream = stream;
    o->bounds = bounds ? *bounds : wbemq_default_bounds;
    if (o->bounds.rows < 1) o->bounds.rows = 1;
    if (o->bounds.max_width < 4) o->bounds.max_width = 4;
    InitializeCriticalSection(&o->lock);
    return o;
}

static void free_held(held_row *h, size_t ncolumns)
{
    for (size_t c = 0; c < ncolumns; c++) free(h->cells[c]);
    free(h->cells);
    free(h->lens);
}

void wbemq_out_destroy(wbemq_out *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->nheld; i++) free_held(&o->held[i], o->ncolumns);
    free(o->held);
    for (size_t i = 0; i < o->ncolumns; i++) free(o->columns[i]);
    free(o->columns);
    free(o->widths);
    wb_free(&o->line);
    wb_free(&o->cell);
    DeleteCriticalSection(&o->lock);
    free(o);
}

wbemq_style wbemq_out_style(const wbemq_out *o)
{
    return o->format == WBEMQ_JSONL || o->format == WBEMQ_JSON_ARRAY ? WBEMQ_JSON : WBEMQ_PLAIN;
}

int wbemq_out_has_columns(const wbemq_out *o) { return o->have_columns; }

const wchar_t *const *wbemq_out_column_names(const wbemq_out *o)
{
    return (const wchar_t *const *)o->columns;
}

size_t wbemq_out_column_count(const wbemq_out *o) { return o->ncolumns; }

DWORD wbemq_out_write_error(const wbemq_out *o) { return o->write_error; }

HRESULT wbemq_out_columns(wbemq_out *o, const wchar_t *const *names, size_t count)
{
    HRESULT hr = S_OK;
    EnterCriticalSection(&o->lock);
    if (o->have_columns) {
        hr = S_FALSE;
    } else {
        o->columns = calloc(count ? count : 1, sizeof(wchar_t *));
        o->widths = calloc(count ? count : 1, sizeof(size_t));
        if (!o->columns || !o->widths) hr = E_OUTOFMEMORY;
        for (size_t i = 0; SUCCEEDED(hr) && i < count; i++) {
            size_t n = wcslen(names[i]);
            if (!(o->columns[i] = malloc((n + 1) * sizeof(wchar_t)))) hr = E_OUTOFMEMORY;
            else memcpy(o->columns[i], names[i], (n + 1) * sizeof(wchar_t));
            o->ncolumns = i + 1;
        }
        if (SUCCEEDED(hr)) o->have_columns = 1;
    }
    LeaveCriticalSection(&o->lock);
    return hr;
}

/* Columns a terminal shows for s: one a UTF-16 unit, none for the second
   half of a surrogate pair (wide East Asian characters count one too). */
static size_t display_width(const wchar_t *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) w += !(s[i] >= 0xDC00 && s[i] <= 0xDFFF);
    return w;
}

/* How many units of s fill `width` columns. */
static size_t units_for(const wchar_t *s, size_t n, size_t width)
{
    size_t i = 0, w = 0;
    while (i < n) {
        size_t step = (s[i] >= 0xD800 && s[i] <= 0xDBFF && i + 1 < n) ? 2 : 1;
        if (w + 1 > width) break;
        w++;
        i += step;
    }
    return i;
}

static int is_control(wchar_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

/* A table cell's text with its control characters escaped. */
static void table_escape(wbuf *b, const wchar_t *s, size_t n)
{
    static const wchar_t hex[] = L"0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        wchar_t c = s[i];
        if (!is_control(c)) wb_putc(b, c);
        else if (c == L'\n') wb_puts(b, L"\\n");
        else if (c == L'\r') wb_puts(b, L"\\r");
        else if (c == L'\t') wb_puts(b, L"\\t");
        else {
            wchar_t esc[5] = {L'\\', L'x', hex[(c >> 4) & 15], hex[c & 15], 0};
            wb_puts(b, esc);
        }
    }
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

/* Writes o->line and clears it; remembers the first failure. */
static HRESULT flush_line(wbemq_out *o)
{
    if (o->write_error) return HRESULT_FROM_WIN32(o->write_error);
    if (o->line.oom) {
        wb_clear(&o->line);
        return E_OUTOFMEMORY;
    }
    DWORD e = wb_write_utf8(&o->line, o->stream);
    wb_clear(&o->line);
    if (e) {
        o->write_error = e;
        return HRESULT_FROM_WIN32(e);
    }
    return S_OK;
}

/* One table cell (escaped text), cut or padded to column c. */
static void table_put(wbemq_out *o, size_t c, const wchar_t *s, size_t n)
{
    int last = c + 1 == o->ncolumns;
    size_t w = display_width(s, n), width = o->widths[c];
    if (!last && w > width) {
        size_t keep = units_for(s, n, width - 3);
        wb_putn(&o->line, s, keep);
        wb_puts(&o->line, L"...");
        w = display_width(s, keep) + 3;
    } else {
        wb_putn(&o->line, s, n);
    }
    if (!last) wb_pad(&o->line, (w < width ? width - w : 0) + 2);
}

/* Fixes the widths from the header and the held rows, and writes the
   header, the rule and the held rows. */
static HRESULT table_release(wbemq_out *o)
{
    HRESULT hr = S_OK;
    if (!o->header_done) {
        for (size_t c = 0; c < o->ncolumns; c++) {
            wb_clear(&o->cell);
            table_escape(&o->cell, o->columns[c], wcslen(o->columns[c]));
            size_t w = display_width(o->cell.p ? o->cell.p : L"", o->cell.len);
            for (size_t i = 0; i < o->nheld; i++) {
                size_t cw = display_width(o->held[i].cells[c], o->held[i].lens[c]);
                if (cw > w) w = cw;
            }
            if (c + 1 < o->ncolumns && w > o->bounds.max_width) w = o->bounds.max_width;
            o->widths[c] = w ? w : 1;
        }
        o->header_done = 1;
        for (size_t c = 0; c < o->ncolumns; c++) {
            wb_clear(&o->cell);
            table_escape(&o->cell, o->columns[c], wcslen(o->columns[c]));
            table_put(o, c, o->cell.p ? o->cell.p : L"", o->cell.len);
        }
        wb_putc(&o->line, L'\n');
        for (size_t c = 0; c < o->ncolumns; c++) {
            size_t w = o->widths[c];
            if (c + 1 == o->ncolumns && w > o->bounds.max_width) w = o->bounds.max_width;
            for (size_t i = 0; i < w; i++) wb_putc(&o->line, L'-');
            if (c + 1 < o->ncolumns) wb_pad(&o->line, 2);
        }
        wb_putc(&o->line, L'\n');
    }
    for (size_t i = 0; i < o->nheld; i++) {
        for (size_t c = 0; c < o->ncolumns; c++) table_put(o, c, o->held[i].cells[c], o->held[i].lens[c]);
        wb_putc(&o->line, L'\n');
        free_held(&o->held[i], o->ncolumns);
    }
    o->nheld = 0;
    o->held_chars = 0;
    hr = flush_line(o);
    return hr;
}

static HRESULT table_row(wbemq_out *o, const wbemq_cell *cells, size_t count)
{
    held_row h = {calloc(o->ncolumns ? o->ncolumns : 1, sizeof(wchar_t *)),
                  calloc(o->ncolumns ? o->ncolumns : 1, sizeof(size_t))};
    size_t chars = 0;
    HRESULT hr = h.cells && h.lens ? S_OK : E_OUTOFMEMORY;
    for (size_t c = 0; SUCCEEDED(hr) && c < o->ncolumns; c++) {
        wb_clear(&o->cell);
        if (c >= count || cells[c].is_null) wb_puts(&o->cell, L"NULL");
        else table_escape(&o->cell, cells[c].text, cells[c].len);
        size_t n = o->cell.len;
        if (o->cell.oom || !(h.cells[c] = malloc((n + 1) * sizeof(wchar_t)))) {
            hr = E_OUTOFMEMORY;
            break;
        }
        memcpy(h.cells[c], o->cell.p ? o->cell.p : L"", n * sizeof(wchar_t));
        h.cells[c][n] = 0;
        h.lens[c] = n;
        chars += n;
    }
    if (SUCCEEDED(hr) && o->nheld == o->held_cap) {
        size_t cap = o->held_cap ? o->held_cap * 2 : 64;
        held_row *p = realloc(o->held, cap * sizeof(*p));
        if (!p) hr = E_OUTOFMEMORY;
        else {
            o->held = p;
            o->held_cap = cap;
        }
    }
    if (FAILED(hr)) {
        if (h.cells) free_held(&h, o->ncolumns);
        else free(h.lens);
        return hr;
    }
    if (o->nheld == 0) o->held_since = GetTickCount64();
    o->held[o->nheld++] = h;
    o->held_chars += chars;
    /* Before the widths are fixed rows wait to be measured; after, each
       is written at once (held for this call only). */
    if (o->header_done || o->nheld >= o->bounds.rows || o->held_chars >= o->bounds.chars ||
        GetTickCount64() - o->held_since >= o->bounds.wait_ms)
        return table_release(o);
    return S_OK;
}

static void csv_header(wbemq_out *o)
{
    for (size_t c = 0; c < o->ncolumns; c++) {
        if (c) wb_putc(&o->line, L',');
        csv_cell(&o->line, o->columns[c], wcslen(o->columns[c]));
    }
    wb_putc(&o->line, L'\n');
    o->header_done = 1;
}

static void json_object(wbemq_out *o, const wbemq_cell *cells, size_t count)
{
    wb_putc(&o->line, L'{');
    for (size_t c = 0; c < count; c++) {
        if (c) wb_putc(&o->line, L',');
        wbemq_text(&o->line, cells[c].name, wcslen(cells[c].name), WBEMQ_JSON);
        wb_putc(&o->line, L':');
        if (cells[c].is_null && !cells[c].len) wb_puts(&o->line, L"null");
        else wb_putn(&o->line, cells[c].text, cells[c].len);
    }
    wb_putc(&o->line, L'}');
}

HRESULT wbemq_out_row(wbemq_out *o, const wbemq_cell *cells, size_t count)
{
    HRESULT hr;
    EnterCriticalSection(&o->lock);
    if (o->write_error) {
        hr = HRESULT_FROM_WIN32(o->write_error);
    } else if (o->format == WBEMQ_TABLE) {
        hr = o->have_columns ? table_row(o, cells, count) : E_UNEXPECTED;
    } else if (o->format == WBEMQ_CSV) {
        hr = E_UNEXPECTED;
        if (o->have_columns) {
            if (!o->header_done) csv_header(o);
            for (size_t c = 0; c < o->ncolumns; c++) {
                if (c) wb_putc(&o->line, L',');
                if (c < count && !cells[c].is_null) csv_cell(&o->line, cells[c].text, cells[c].len);
            }
            wb_putc(&o->line, L'\n');
            hr = flush_line(o);
        }
    } else {
        if (o->format == WBEMQ_JSON_ARRAY) wb_puts(&o->line, o->rows ? L",\n" : L"[\n");
        json_object(o, cells, count);
        if (o->format == WBEMQ_JSONL) wb_putc(&o->line, L'\n');
        hr = flush_line(o);
    }
    if (SUCCEEDED(hr)) o->rows++;
    LeaveCriticalSection(&o->lock);
    return hr;
}

static int due_locked(const wbemq_out *o)
{
    return o->format == WBEMQ_TABLE && o->nheld && !o->header_done &&
           GetTickCount64() - o->held_since >= o->bounds.wait_ms;
}

int wbemq_out_tick_due(wbemq_out *o)
{
    EnterCriticalSection(&o->lock);
    int due = !o->write_error && due_locked(o);
    LeaveCriticalSection(&o->lock);
    return due;
}

HRESULT wbemq_out_tick(wbemq_out *o)
{
    HRESULT hr = S_OK;
    EnterCriticalSection(&o->lock);
    if (o->write_error) hr = HRESULT_FROM_WIN32(o->write_error);
    else if (due_locked(o)) hr = table_release(o);
    LeaveCriticalSection(&o->lock);
    return hr;
}

HRESULT wbemq_out_end(wbemq_out *o)
{
    HRESULT hr = S_OK;
    EnterCriticalSection(&o->lock);
    if (o->write_error) {
        hr = HRESULT_FROM_WIN32(o->write_error);
    } else if (o->format == WBEMQ_TABLE) {
        if (o->have_columns && (o->nheld || !o->header_done)) hr = table_release(o);
    } else if (o->format == WBEMQ_CSV) {
        if (o->have_columns && !o->header_done) {
            csv_header(o);
            hr = flush_line(o);
        }
    } else if (o->format == WBEMQ_JSON_ARRAY) {
        wb_puts(&o->line, o->rows ? L"\n]\n" : L"[]\n");
        hr = flush_line(o);
    }
    LeaveCriticalSection(&o->lock);
    return hr;
}
