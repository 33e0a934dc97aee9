/* Force-included (-include) into the core's and the host shell's sources
   only: their malloc/calloc/realloc/free go to the counting allocator of
   host_alloc.c. Test code, CMocka, libc internals and libFuzzer are not
   counted, so the count is exactly the library's own live blocks. */
#ifndef WBEMSINK_HOST_ALLOC_REDIRECT_H
#define WBEMSINK_HOST_ALLOC_REDIRECT_H
#include <stdlib.h>
void *host_counted_malloc(size_t n);
void *host_counted_calloc(size_t n, size_t size);
void *host_counted_realloc(void *p, size_t n);
void host_counted_free(void *p);
#define malloc(n) host_counted_malloc(n)
#define calloc(n, size) host_counted_calloc(n, size)
#define realloc(p, n) host_counted_realloc(p, n)
#define free(p) host_counted_free(p)
#endif
