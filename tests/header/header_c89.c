/* The public header must compile as C89 (-std=c89 -pedantic -Werror):
   users' code bases are not all C11. Built, not run. */
#include <wbemsink.h>

int wbemsink_header_c89_check(void);
int wbemsink_header_c89_check(void)
{
    wbemsink_stats st;
    wbemsink_callbacks cb;
    st.queued = 0;
    cb.context = 0;
    return (int)st.queued + (cb.context == 0);
}
