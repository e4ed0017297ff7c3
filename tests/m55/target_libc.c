// SPDX-License-Identifier: MIT
// What newlib leaves to the board, for the test programs on QEMU's mps3-an547: the heap (the
// DDR above .bss, see an547.ld) and a monotonic clock, from the semihosting elapsed-time
// counter. Output, files and exit go through newlib's librdimon.
#include <errno.h>
#include <stddef.h>
#include <time.h>

#include "m55.h"
#include "posix_clock.h"

extern char __heap_start[], __heap_end[];

// Replaces librdimon's, which refuses any heap above the stack pointer; here the stack is
// below the heap.
void *_sbrk(ptrdiff_t incr) {
    static char *brk = __heap_start;
    if (incr > __heap_end - brk || incr < __heap_start - brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    char *old = brk;
    brk += incr;
    return old;
}

int clock_gettime(clockid_t clock_id, struct timespec *tp) {
    (void)clock_id;    // one clock: the time since QEMU started
    uint32_t ticks[2]; // low word first
    uint64_t freq = m55_semihost(SEMIHOST_TICKFREQ, NULL);
    if (m55_semihost(SEMIHOST_ELAPSED, ticks) != 0 || freq == 0 || freq == (uint32_t)-1) {
        errno = ENOSYS;
        return -1;
    }
    uint64_t t = (uint64_t)ticks[1] << 32 | ticks[0];
    tp->tv_sec = (time_t)(t / freq);
    tp->tv_nsec = (long)((t % freq) * 1000000000u / freq);
    return 0;
}
