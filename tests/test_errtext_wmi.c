/*
 * wbemsink_hresult_text with a text from "WMI" that holds surrogate pairs.
 *
 * The library asks WMI for its description through IWbemStatusCodeText
 * (CoCreateInstance of CLSID_WbemStatusCodeText, in-process). Wine's only
 * repeats the number, which the library rightly refuses, so WMI's path and
 * its truncation never run in the other tests. Here the test process
 * registers a class object of its own for that CLSID
 * (CoRegisterClassObject); COM hands out registered class objects before
 * looking in the registry, so the library's unchanged code gets our text:
 * one with characters outside the BMP, whose UTF-16 pairs a short buffer
 * must not split.
 */
#include "test_support.h"
#include <stdio.h>
#include <string.h>

/* What the fake answers: pairs at the start, in the middle, two in a row at
   the end, and Windows' trailing line break (which the library trims). */
static const wchar_t fake_text[] =
    L"\xD83D\xDCBE Disk full \xD83D\xDE00\xD83D\xDE00!\xD83D\xDC4D\r\n";
/* The same without the line break: what the library should give back. */
static const wchar_t full_text[] =
    L"\xD83D\xDCBE Disk full \xD83D\xDE00\xD83D\xDE00!\xD83D\xDC4D";

#define CODE ((HRESULT)WBEM_E_INVALID_CLASS)

static volatile LONG text_calls;     /* GetErrorCodeText calls */
static volatile LONG instances;      /* CreateInstance calls */
static volatile LONG text_refs;      /* references on the text object */

/* ---- the fake IWbemStatusCodeText: one static object ---- */

static HRESULT STDMETHODCALLTYPE text_QueryInterface(IWbemStatusCodeText *iface, REFIID riid,
                                                     void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemStatusCodeText)) {
        *out = iface;
        IWbemStatusCodeText_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE text_AddRef(IWbemStatusCodeText *iface)
{
    (void)iface;
    return (ULONG)InterlockedIncrement(&text_refs);
}

static ULONG STDMETHODCALLTYPE text_Release(IWbemStatusCodeText *iface)
{
    (void)iface;
    return (ULONG)InterlockedDecrement(&text_refs);
}

static HRESULT STDMETHODCALLTYPE text_GetErrorCodeText(IWbemStatusCodeText *iface, HRESULT hr,
                                                       LCID locale, LONG flags, BSTR *text)
{
    (void)iface;
    (void)locale;
    (void)flags;
    InterlockedIncrement(&text_calls);
    if (!text) return WBEM_E_INVALID_PARAMETER;
    *text = hr == CODE ? SysAllocString(fake_text) : NULL;
    return *text ? S_OK : WBEM_E_NOT_FOUND;
}

static HRESULT STDMETHODCALLTYPE text_GetFacilityCodeText(IWbemStatusCodeText *iface, HRESULT hr,
                                                          LCID locale, LONG flags, BSTR *text)
{
    (void)iface;
    (void)hr;
    (void)locale;
    (void)flags;
    if (text) *text = NULL;
    return WBEM_E_NOT_SUPPORTED;
}

static IWbemStatusCodeTextVtbl text_vtbl = {
    text_QueryInterface, text_AddRef, text_Release, text_GetErrorCodeText,
    text_GetFacilityCodeText,
};
static IWbemStatusCodeText text_object = { &text_vtbl };

/* ---- its class object ---- */

static HRESULT STDMETHODCALLTYPE factory_QueryInterface(IClassFactory *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory)) {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

/* Static, so no count to keep. */
static ULONG STDMETHODCALLTYPE factory_AddRef(IClassFactory *iface)
{
    (void)iface;
    return 2;
}

static ULONG STDMETHODCALLTYPE factory_Release(IClassFactory *iface)
{
    (void)iface;
    return 1;
}

static HRESULT STDMETHODCALLTYPE factory_CreateInstance(IClassFactory *iface, IUnknown *outer,
                                                        REFIID riid, void **out)
{
    (void)iface;
    if (!out) return E_POINTER;
    *out = NULL;
    if (outer) return CLASS_E_NOAGGREGATION;
    InterlockedIncrement(&instances);
    return text_QueryInterface(&text_object, riid, out);
}

static HRESULT STDMETHODCALLTYPE factory_LockServer(IClassFactory *iface, BOOL lock)
{
    (void)iface;
    (void)lock;
    return S_OK;
}

static IClassFactoryVtbl factory_vtbl = {
    factory_QueryInterface, factory_AddRef, factory_Release, factory_CreateInstance,
    factory_LockServer,
};
static IClassFactory factory = { &factory_vtbl };
static DWORD cookie;

/* ---- tests ---- */

static int is_high(wchar_t c)
{
    return c >= 0xD800 && c <= 0xDBFF;
}

/* The fake is what the library reaches: the whole text comes back, trimmed
   of its line break. (If COM did not hand out the registered class object,
   Wine's own would answer, with a text the library refuses, and this would
   show the name instead.) */
static void wmi_text_is_used(void **state)
{
    (void)state;
    wchar_t buf[64];
    LONG calls = text_calls;
    assert_hr(wbemsink_hresult_text(CODE, buf, 64), S_OK);
    assert_int_equal(text_calls, calls + 1);
    assert_int_equal(wcscmp(buf, full_text), 0);
    assert_int_equal(text_refs, 0);   /* the library let go of the text object */
}

/* Every buffer size from 1 to two past the text: a terminated prefix of the
   full text, as long as fits, one char shorter only where the cut would
   leave a high surrogate without its low half; nothing written past the
   size. */
static void truncation_never_splits_a_pair(void **state)
{
    (void)state;
    const size_t len = wcslen(full_text);
    wchar_t buf[64];
    assert_true(len + 2 < sizeof buf / sizeof buf[0]);
    LONG calls = text_calls;
    int pairs_guarded = 0;
    for (size_t size = 1; size <= len + 2; size++) {
        for (size_t i = 0; i < sizeof buf / sizeof buf[0]; i++) buf[i] = L'#';
        /* WMI's text, however short the cut: S_OK; size 1 holds none. */
        assert_hr(wbemsink_hresult_text(CODE, buf, size), size == 1 ? S_FALSE : S_OK);
        size_t got = wcsnlen(buf, size);
        if (got >= size) fail_msg("size %u: not terminated within the buffer", (unsigned)size);
        for (size_t i = size; i < sizeof buf / sizeof buf[0]; i++)
            if (buf[i] != L'#') fail_msg("size %u: wrote at [%u], past the buffer", (unsigned)size,
                                         (unsigned)i);
        if (wcsncmp(buf, full_text, got) != 0)
            fail_msg("size %u: \"%ls\" is not a prefix of the full text", (unsigned)size, buf);
        if (got > 0 && is_high(buf[got - 1]))
            fail_msg("size %u: ends in a lone high surrogate 0x%04X (a pair split in two)",
                     (unsigned)size, (unsigned)buf[got - 1]);
        size_t want = len < size - 1 ? len : size - 1;
        if (want < len && want > 0 && is_high(full_text[want - 1])) {
            want--;
            pairs_guarded++;
        }
        if (got != want)
            fail_msg("size %u: %u chars, expected %u", (unsigned)size, (unsigned)got,
                     (unsigned)want);
    }
    /* Size 1 has no room for text and is answered before asking WMI. */
    assert_int_equal(text_calls, calls + (LONG)(len + 2) - 1);
    assert_int_equal(pairs_guarded, 4);   /* one cut inside each of the four pairs */
}

static int com_setup(void **state)
{
    (void)state;
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) return -1;
    hr = CoRegisterClassObject(&CLSID_WbemStatusCodeText, (IUnknown *)&factory,
                               CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE, &cookie);
    if (FAILED(hr)) {
        print_error("CoRegisterClassObject: 0x%08lX\n", (unsigned long)hr);
        return -1;
    }
    return 0;
}

static int com_teardown(void **state)
{
    (void)state;
    CoRevokeClassObject(cookie);
    CoUninitialize();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wmi_text_is_used),
        cmocka_unit_test(truncation_never_splits_a_pair),
    };
    return cmocka_run_group_tests_name("errtext_wmi", tests, com_setup, com_teardown);
}
