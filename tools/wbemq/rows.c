/* One WMI object -> one row of cells for the output layer (format.c). */
#include "wbemq.h"
#include <stdlib.h>
#include <string.h>

/* obj's (or a class's) non-system property names in WMI's order, the
   class's order (Wine's classes list theirs alphabetically). */
static HRESULT own_names(IWbemClassObject *obj, BSTR **names, size_t *count)
{
    SAFEARRAY *sa = NULL;
    *names = NULL;
    *count = 0;
    HRESULT hr = IWbemClassObject_GetNames(obj, NULL, WBEM_FLAG_NONSYSTEM_ONLY, NULL, &sa);
    if (FAILED(hr)) return hr;
    LONG lo = 0, hi = -1;
    SafeArrayGetLBound(sa, 1, &lo);
    SafeArrayGetUBound(sa, 1, &hi);
    size_t n = hi >= lo ? (size_t)(hi - lo + 1) : 0;
    *names = calloc(n ? n : 1, sizeof(BSTR));
    if (!*names) {
        SafeArrayDestroy(sa);
        return E_OUTOFMEMORY;
    }
    for (LONG i = lo; i <= hi; i++) {
        BSTR name = NULL;
        if (SUCCEEDED(SafeArrayGetElement(sa, &i, &name)) && name) (*names)[(*count)++] = name;
    }
    SafeArrayDestroy(sa);
    return S_OK;
}

static void free_names(BSTR *names, size_t count)
{
    for (size_t i = 0; i < count; i++) SysFreeString(names[i]);
    free(names);
}

/* The prefix's names and then `names`, as the output's columns. */
static HRESULT set_columns(wbemq_out *o, const wchar_t *const *prefix, size_t nprefix,
                           const wchar_t *const *names, size_t count)
{
    const wchar_t **all = calloc(nprefix + count + 1, sizeof(*all));
    if (!all) return E_OUTOFMEMORY;
    for (size_t i = 0; i < nprefix; i++) all[i] = prefix[i];
    for (size_t i = 0; i < count; i++) all[nprefix + i] = names[i];
    HRESULT hr = wbemq_out_columns(o, all, nprefix + count);
    free(all);
    return hr;
}

HRESULT wbemq_print_object(wbemq_out *o, IWbemClassObject *obj, const wbemq_select *sel,
                           const wbemq_cell *prefix, size_t nprefix)
{
    BSTR *own = NULL;
    size_t nown = 0;
    const wchar_t *const *names;
    size_t count;
    HRESULT hr;
    if (sel && sel->names) {
        names = (const wchar_t *const *)sel->names;
        count = sel->count;
    } else {
        if (FAILED(hr = own_names(obj, &own, &nown))) return hr;
        names = (const wchar_t *const *)own;
        count = nown;
    }
    if (!wbemq_out_has_columns(o)) {
        const wchar_t **pnames = calloc(nprefix + 1, sizeof(*pnames));
        if (!pnames) {
            free_names(own, nown);
            return E_OUTOFMEMORY;
        }
        for (size_t i = 0; i < nprefix; i++) pnames[i] = prefix[i].name;
        hr = set_columns(o, pnames, nprefix, names, count);
        free(pnames);
        if (FAILED(hr)) {
            free_names(own, nown);
            return hr;
        }
    }
    /* Table and CSV keep the header's columns whatever this object has
       (a "*" over a class with subclasses): absent ones are null. JSON
       keeps each object's own. */
    wbemq_style style = wbemq_out_style(o);
    if (style == WBEMQ_PLAIN && !(sel && sel->names)) {
        names = wbemq_out_column_names(o) + nprefix;
        count = wbemq_out_column_count(o) - nprefix;
    }

    size_t n = nprefix + count;
    wbemq_cell *cells = calloc(n ? n : 1, sizeof(*cells));
    size_t *offsets = calloc(n ? n : 1, sizeof(size_t));
    wbuf text = {0};
    if (!cells || !offsets) {
        free(cells);
        free(offsets);
        free_names(own, nown);
        return E_OUTOFMEMORY;
    }
    for (size_t i = 0; i < nprefix; i++) cells[i] = prefix[i];
    for (size_t i = 0; i < count; i++) {
        offsets[nprefix + i] = text.len;
        cells[nprefix + i].name = names[i];
        cells[nprefix + i].is_null = wbemq_value(&text, obj, names[i], style, NULL);
        cells[nprefix + i].len = text.len - offsets[nprefix + i];
    }
    /* Pointers only now: the buffer may have moved while it grew. */
    for (size_t i = nprefix; i < n; i++) cells[i].text = text.p ? text.p + offsets[i] : L"";
    hr = text.oom ? E_OUTOFMEMORY : wbemq_out_row(o, cells, n);
    wb_free(&text);
    free(cells);
    free(offsets);
    free_names(own, nown);
    return hr;
}

void wbemq_columns_for_empty(wbemq_out *o, IWbemServices *services, const wbemq_select *sel,
                             const wchar_t *const *prefix, size_t nprefix)
{
    if (wbemq_out_has_columns(o) || !sel) return;
    if (sel->names) {
        set_columns(o, prefix, nprefix, (const wchar_t *const *)sel->names, sel->count);
        return;
    }
    if (!sel->class_name || !services) return;
    BSTR path = SysAllocString(sel->class_name);
    IWbemClassObject *cls = NULL;
    if (path && SUCCEEDED(IWbemServices_GetObject(services, path, 0, NULL, &cls, NULL)) && cls) {
        BSTR *names;
        size_t count;
        if (SUCCEEDED(own_names(cls, &names, &count))) {
            set_columns(o, prefix, nprefix, (const wchar_t *const *)names, count);
            free_names(names, count);
        }
        IWbemClassObject_Release(cls);
    }
    SysFreeString(path);
}
