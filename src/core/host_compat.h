/* The few Windows and WMI types the platform-neutral core needs, for the
   host (Linux) build that runs the core's tests under the sanitizers. The
   COM shell is never built here. Objects are opaque: the host tests provide
   host_object_addref/host_object_release. */
#ifndef WBEMSINK_HOST_COMPAT_H
#define WBEMSINK_HOST_COMPAT_H

#ifndef WBEMSINK_HOST_COMPAT
#define WBEMSINK_HOST_COMPAT 1
#endif

#include <stdint.h>
#include <wchar.h>

typedef int32_t HRESULT;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef uint32_t DWORD;
typedef void *HANDLE;
typedef uint64_t ULONGLONG;
typedef int64_t LONGLONG;
/* Named only by the client layer's prototypes in wbemsink.h (never built
   here): opaque. */
typedef wchar_t *BSTR;
typedef struct IUnknown IUnknown;
typedef struct FILETIME FILETIME;

typedef struct IWbemClassObject IWbemClassObject;
typedef struct IWbemObjectSink IWbemObjectSink;
typedef struct IWbemServices IWbemServices;
typedef struct IWbemContext IWbemContext;
typedef struct IEnumWbemClassObject IEnumWbemClassObject;   /* named by the header (paced delivery) */

unsigned long host_object_addref(IWbemClassObject *o);
unsigned long host_object_release(IWbemClassObject *o);
#define IWbemClassObject_AddRef(o) host_object_addref(o)
#define IWbemClassObject_Release(o) host_object_release(o)

#define S_OK ((HRESULT)0)
#define S_FALSE ((HRESULT)1)
#define E_POINTER ((HRESULT)0x80004003L)
#define E_INVALIDARG ((HRESULT)0x80070057L)
#define E_OUTOFMEMORY ((HRESULT)0x8007000EL)
#define E_FAIL ((HRESULT)0x80004005L)
#define SUCCEEDED(hr) ((HRESULT)(hr) >= 0)
#define FAILED(hr) ((HRESULT)(hr) < 0)
#define LOWORD(l) ((uint16_t)((uint32_t)(l) & 0xffff))
#define HIWORD(l) ((uint16_t)((uint32_t)(l) >> 16))
#define INFINITE 0xFFFFFFFFu

#define WBEM_S_NO_ERROR ((HRESULT)0)
#define WBEM_S_TIMEDOUT ((HRESULT)0x40004)
#define WBEM_S_NO_MORE_DATA ((HRESULT)0x40005)
#define WBEM_E_FAILED ((HRESULT)0x80041001L)
#define WBEM_E_OUT_OF_MEMORY ((HRESULT)0x80041006L)
#define WBEM_E_INVALID_PARAMETER ((HRESULT)0x80041008L)
#define WBEM_E_CALL_CANCELLED ((HRESULT)0x80041032L)
#define WBEM_E_TIMED_OUT ((HRESULT)0x80041069L)
#define WBEM_STATUS_COMPLETE 0
#define WBEM_STATUS_REQUIREMENTS 1
#define WBEM_STATUS_PROGRESS 2

#endif
