// SPDX-License-Identifier: MIT
// The Ensemble glue's clock for time-outs, shared by the flash and SE glue.
#ifndef ALIF_ENSEMBLE_CLOCK_H
#define ALIF_ENSEMBLE_CLOCK_H

#include <stdint.h>

// Monotonic nanoseconds from mp_hal_ticks_us; ctx is unused (the shape flash_bus_t and
// se_mhu_t want).
uint64_t ensemble_now_ns(void *ctx);

#endif // ALIF_ENSEMBLE_CLOCK_H
