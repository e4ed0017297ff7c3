// SPDX-License-Identifier: MIT
#include "py/mphal.h"

#include "ensemble_clock.h"

// mp_hal_ticks_us wraps every 71 minutes; the drivers read the clock far more often than that
// while they wait, so counting the wraps gives a monotonic 64-bit clock.
uint64_t ensemble_now_ns(void *ctx) {
    (void)ctx;
    static uint32_t last_us;
    static uint64_t high_us;
    uint32_t now_us = (uint32_t)mp_hal_ticks_us();
    if (now_us < last_us) {
        high_us += (uint64_t)1 << 32;
    }
    last_us = now_us;
    return (high_us + now_us) * 1000;
}
