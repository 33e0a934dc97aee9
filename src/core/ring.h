/* The queue between WMI's threads and the consumer: a bounded FIFO of
   pointers. Producers add entries without a lock: one atomic reservation of
   sequence numbers, then one store per entry. One consumer at a time takes
   them, in order (the sink's lock makes it one). An entry reserved but not
   stored yet stops the consumer until it is stored, so order always holds.

   Memory comes in segments (1/64 of the capacity, 64 to 4096 entries of 8
   bytes), linked as the queue fills and recycled as it empties: at most the
   capacity plus two segments, whatever the traffic, and a table of segment
   pointers (8 bytes per segment of the capacity). Linking a segment is the
   one step producers cannot do alone: ws_ring_reserve then answers
   WS_RING_GROW and the producer calls ws_ring_grow under the owner's lock. */
#ifndef WBEMSINK_RING_H
#define WBEMSINK_RING_H

#include <stddef.h>
#include "platform.h"

/* An entry that is not an object: "the next status call goes here". */
#define WS_RING_MARK ((void *)1)

/* Producers write `tail`, the consumer `head`: each on a cache line of its
   own, so that they do not take the line from one another on every call. */
typedef struct ws_ring {
    ws_atomic64 tail;        /* next sequence number to reserve, | CLOSED once closed */
    char pad_tail[64 - sizeof(int64_t)];
    ws_atomic64 head;        /* next to take; written by the consumer only */
    int64_t retired;         /* positions below this were given back (consumer) */
    void *volatile *spare;   /* one empty segment kept for reuse (consumer) */
    char pad_head[64 - 2 * sizeof(int64_t) - sizeof(void *)];
    ws_atomic64 ready;       /* sequence numbers below this have a segment */
    int64_t capacity;        /* most entries reserved and not taken */
    unsigned shift;          /* a segment holds 1 << shift entries */
    size_t table_mask;       /* the segment table has table_mask + 1 entries */
    void *volatile **table;  /* segment of position p at table[p & table_mask] */
} ws_ring;

typedef enum ws_ring_result {
    WS_RING_OK,       /* reserved */
    WS_RING_FULL,     /* not enough room for the whole request */
    WS_RING_GROW,     /* room, but a segment must be linked first (ws_ring_grow) */
    WS_RING_CLOSED    /* closed: nothing more is taken */
} ws_ring_result;

/* Returns 0 when out of memory. capacity >= 1. */
int ws_ring_init(ws_ring *r, size_t capacity);
/* Frees the memory; entries still queued are the caller's business. */
void ws_ring_free(ws_ring *r);

/* Producers, no lock. Reserves n consecutive entries, all or none; on
   WS_RING_OK *seq is the first. Every reserved entry must then be stored
   with ws_ring_store: the consumer waits for it. */
ws_ring_result ws_ring_reserve(ws_ring *r, size_t n, int64_t *seq);
/* Stores n reserved entries from seq on (none NULL; items NULL stores n
   WS_RING_MARKs), making them visible to the consumer. The last store is
   a full barrier: what the producer reads next (is the consumer asleep?)
   is read after the consumer can see the entries. */
void ws_ring_store(ws_ring *r, int64_t seq, void *const *items, size_t n);

/* Under the owner's lock. */
/* Room for this many more entries now (0 once closed). */
size_t ws_ring_room(ws_ring *r);
/* Links segments so that a reservation of n entries at the current tail
   finds them. Returns 0 when out of memory (nothing changed). */
int ws_ring_grow(ws_ring *r, size_t n);
/* Closes the ring: later reservations answer WS_RING_CLOSED. Returns the
   number of entries ever reserved (the final tail). Idempotent. */
int64_t ws_ring_close(ws_ring *r);
/* Entries ever reserved. */
int64_t ws_ring_tail(ws_ring *r);
/* Entries reserved and not taken (including ones not stored yet). */
/* Lock-free hint for a waiting consumer: something was reserved. */
int ws_ring_maybe_ready(ws_ring *r);
size_t ws_ring_count(ws_ring *r);
int ws_ring_is_closed(ws_ring *r);

/* The consumer, under the owner's lock. Takes up to max stored entries, in
   order, into out: either objects only (stopping before a mark or an entry
   not stored yet), or one WS_RING_MARK alone. Returns how many. */
size_t ws_ring_take(ws_ring *r, void **out, size_t max);
/* The next entry without taking it: NULL when there is none stored yet. */
void *ws_ring_peek(ws_ring *r);

#endif
