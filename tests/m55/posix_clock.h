// SPDX-License-Identifier: MIT
// newlib declares clock_gettime and CLOCK_MONOTONIC only where the system has POSIX timers
// (RTEMS, Cygwin), not on bare metal; the test programs and the benchmark time themselves with
// them, so the target build includes this header before every file (target_libc.c has the
// clock).
#ifndef ALIF_M55_POSIX_CLOCK_H
#define ALIF_M55_POSIX_CLOCK_H

#include <time.h>

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4)
int clock_gettime(clockid_t clock_id, struct timespec *tp);
#endif

#endif // ALIF_M55_POSIX_CLOCK_H
