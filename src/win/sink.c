/* The COM shell: struct wbemsink seen as an IWbemObjectSink(Ex). Windows
   only; everything it does beyond COM's rules is in the core. */
#include "core.h"
#include "module.h"
#include "shell.h"
#include <stdlib.h>

/* The object implements IWbemObjectSinkEx, whose vtable begins with
   IWbemObjectSink's: one vtable serves both interfaces. */
static inline wbemsink *impl_from_IWbemObjectSinkEx(IWbemObjectSinkEx *iface)
{
    return (wbemsink *)((char *)iface - offsetof(wbemsink, iface));
}

/* IAgileObject's IID, here rather than from uuid.lib: older SDKs and
   MinGW-w64 releases do not have it. */
static const IID ws_iid_agile_object = {0x94ea2b94, 0xe9cc, 0x49e0, {0xc0, 0xff, 0xee, 0x64, 0xca, 0x8f, 0x5b, 0x90}};

/* The free-threaded marshaler's inner IUnknown (borrowed). */
static HRESULT marshaler(wbemsink *s, IUnknown **out)
{
    ws_lock(&s->lock);
    ws_shell *shell = s->shell;
    IUnknown *m = shell ? shell->marshaler : NULL;
    ws_unlock(&s->lock);
    if (!shell) return E_OUTOFMEMORY;   /* wbemsink_interface could not make it */
    if (!m) {
        IUnknown *created = NULL;
        /* Outside the lock: COM may take its own. */
        HRESULT hr = CoCreateFreeThreadedMarshaler((IUnknown *)&s->iface, &created);
        if (FAILED(hr)) return hr;
        ws_lock(&s->lock);
        if (!shell->marshaler) {
            shell->marshaler = created;
            created = NULL;
        }
        m = shell->marshaler;
        ws_unlock(&s->lock);
        if (created) IUnknown_Release(created);   /* another thread was first */
    }
    *out = m;
    return S_OK;
}

/* The sink is free-threaded (every method may be called on any thread at
   any time), so it says so: IAgileObject, and IMarshal through the
   free-threaded marshaler, which hands the same pointer to another
   apartment of the process instead of a proxy (none is registered for
   IWbemObjectSink). */
static HRESULT STDMETHODCALLTYPE sink_QueryInterface(IWbemObjectSinkEx *iface, REFIID riid, void **ppv)
{
    if (!ppv) return E_POINTER;
    *ppv = NULL;
    if (!riid) return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemObjectSink) ||
        IsEqualIID(riid, &IID_IWbemObjectSinkEx) || IsEqualIID(riid, &ws_iid_agile_object)) {
        *ppv = iface;
        IWbemObjectSinkEx_AddRef(iface);
        return S_OK;
    }
    if (IsEqualIID(riid, &IID_IMarshal)) {
        IUnknown *m;
        HRESULT hr = marshaler(impl_from_IWbemObjectSinkEx(iface), &m);
        return FAILED(hr) ? hr : IUnknown_QueryInterface(m, riid, ppv);
    }
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE sink_AddRef(IWbemObjectSinkEx *iface)
{
    return (ULONG)ws_addref(impl_from_IWbemObjectSinkEx(iface));
}

static ULONG STDMETHODCALLTYPE sink_Release(IWbemObjectSinkEx *iface)
{
    return (ULONG)ws_unref(impl_from_IWbemObjectSinkEx(iface));
}

static HRESULT STDMETHODCALLTYPE sink_Indicate(IWbemObjectSinkEx *iface, LONG count,
                                               IWbemClassObject **objects)
{
    return ws_indicate(impl_from_IWbemObjectSinkEx(iface), count, objects);
}

static HRESULT STDMETHODCALLTYPE sink_SetStatus(IWbemObjectSinkEx *iface, LONG flags, HRESULT hr,
                                                BSTR param, IWbemClassObject *obj)
{
    return ws_set_status(impl_from_IWbemObjectSinkEx(iface), flags, hr, param, obj);
}

/* The IWbemObjectSinkEx methods run their callback at once, on WMI's
   thread, as callbacks of the sink like any other (release waits for them,
   wait and next refuse inside them, none runs after on_complete). */
static HRESULT STDMETHODCALLTYPE sink_WriteMessage(IWbemObjectSinkEx *iface, ULONG channel,
                                                   const BSTR message)
{
    wbemsink *s = impl_from_IWbemObjectSinkEx(iface);
    ws_cb_frame f;
    HRESULT hr = S_OK;
    if (!ws_ex_enter(s, &f, &hr)) return hr;
    if (s->cb.on_write_message) s->cb.on_write_message(s->cb.context, channel, message);
    ws_ex_leave(s, &f);
    return hr;
}

static HRESULT STDMETHODCALLTYPE sink_WriteError(IWbemObjectSinkEx *iface, IWbemClassObject *error,
                                                 unsigned char *returned)
{
    if (!returned) return WBEM_E_INVALID_PARAMETER;
    *returned = WBEMSINK_ANSWER_NO;
    wbemsink *s = impl_from_IWbemObjectSinkEx(iface);
    ws_cb_frame f;
    HRESULT hr = S_OK;
    if (!ws_ex_enter(s, &f, &hr)) return hr;
    *returned = s->cb.on_write_error ? s->cb.on_write_error(s->cb.context, error) : WBEMSINK_ANSWER_YES;
    ws_ex_leave(s, &f);
    return hr;
}

static HRESULT STDMETHODCALLTYPE sink_PromptUser(IWbemObjectSinkEx *iface, const BSTR message,
                                                 unsigned char type, unsigned char *returned)
{
    if (!returned) return WBEM_E_INVALID_PARAMETER;
    *returned = WBEMSINK_ANSWER_NO;
    wbemsink *s = impl_from_IWbemObjectSinkEx(iface);
    ws_cb_frame f;
    HRESULT hr = S_OK;
    if (!ws_ex_enter(s, &f, &hr)) return hr;
    if (s->cb.on_prompt_user) *returned = s->cb.on_prompt_user(s->cb.context, message, type);
    ws_ex_leave(s, &f);
    return hr;
}

static HRESULT STDMETHODCALLTYPE sink_WriteProgress(IWbemObjectSinkEx *iface, const BSTR activity,
                                                    const BSTR operation, const BSTR status,
                                                    ULONG percent, ULONG seconds_remaining)
{
    wbemsink *s = impl_from_IWbemObjectSinkEx(iface);
    ws_cb_frame f;
    HRESULT hr = S_OK;
    if (!ws_ex_enter(s, &f, &hr)) return hr;
    if (s->cb.on_write_progress)
        s->cb.on_write_progress(s->cb.context, activity, operation, status, percent, seconds_remaining);
    ws_ex_leave(s, &f);
    return hr;
}

static HRESULT STDMETHODCALLTYPE sink_WriteStreamParameter(IWbemObjectSinkEx *iface, const BSTR name,
                                                           VARIANT *value, ULONG type, ULONG flags)
{
    (void)iface;
    (void)name;
    (void)value;
    (void)type;
    (void)flags;
    return WBEM_E_NOT_SUPPORTED;    /* streamed parameters are not offered */
}

static const IWbemObjectSinkExVtbl sink_vtbl = {
    sink_QueryInterface,
    sink_AddRef,
    sink_Release,
    sink_Indicate,
    sink_SetStatus,
    sink_WriteMessage,
    sink_WriteError,
    sink_PromptUser,
    sink_WriteProgress,
    sink_WriteStreamParameter,
};

/* Hands out the COM interface: seals the callbacks, and (the first time)
   attaches the shell, which keeps the module loaded until the sink's last
   Release. */
IWbemObjectSink *wbemsink_interface(wbemsink *s)
{
    if (!s) return NULL;
    ws_lock(&s->lock);
    int attached = s->shell != NULL;
    ws_unlock(&s->lock);
    ws_shell *shell = NULL;
    if (!attached) {
        /* Outside the lock: GetModuleHandleEx takes the loader's. */
        shell = calloc(1, sizeof(*shell));
        if (shell) shell->pinned = ws_module_hold();
        else ws_module_hold();   /* kept for good: the module never unloads, never crashes */
    }
    ws_lock(&s->lock);
    s->iface.lpVtbl = (IWbemObjectSinkExVtbl *)&sink_vtbl;
    ws_seal_locked(s);
    if (shell && !s->shell) {
        s->shell = shell;
        shell = NULL;
    }
    ws_unlock(&s->lock);
    if (shell) ws_port_shell_free(shell);   /* another thread was first */
    return (IWbemObjectSink *)&s->iface;
}

HANDLE wbemsink_completion_event(wbemsink *s)
{
    return s ? s->done.h : NULL;
}

HRESULT wbemsink_unsecured_interface(wbemsink *s, IWbemObjectSink **out)
{
    if (out) *out = NULL;
    if (!s || !out) return E_POINTER;
    IWbemUnsecuredApartment *apartment;
    HRESULT hr = CoCreateInstance(&CLSID_UnsecuredApartment, NULL, CLSCTX_LOCAL_SERVER,
                                  &IID_IWbemUnsecuredApartment, (void **)&apartment);
    if (FAILED(hr)) return hr;
    IUnknown *stub = NULL;
    hr = IWbemUnsecuredApartment_CreateObjectStub(apartment, (IUnknown *)wbemsink_interface(s), &stub);
    IWbemUnsecuredApartment_Release(apartment);
    if (FAILED(hr)) return hr;
    hr = IUnknown_QueryInterface(stub, &IID_IWbemObjectSink, (void **)out);
    IUnknown_Release(stub);
    if (SUCCEEDED(hr)) {
        /* WMI is given the stub, so the stub is what names the call in
           CancelAsyncCall. Borrowed: the stub holds the sink, not the
           reverse (that would be a cycle), and WMI compares the pointer
           only. */
        ws_lock(&s->lock);
        s->cancel_name = *out;
        ws_unlock(&s->lock);
    }
    return hr;
}
