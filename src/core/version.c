#ifdef WBEMSINK_HOST_COMPAT
#include "host_compat.h"
#endif
#include "wbemsink.h"

const char *wbemsink_version(void)
{
    return WBEMSINK_VERSION_STRING;
}
