// SPDX-License-Identifier: MIT
// The one pseudo-random generator of the simulator, the tests and the benchmark: xorshift32,
// deterministic, so that a failing case or a power-cut pattern can be replayed from its seed.
#ifndef ALIF_SIM_RANDOM_H
#define ALIF_SIM_RANDOM_H

#include <stddef.h>
#include <stdint.h>

// The next number; *state must not be 0.
static inline uint32_t sim_random(uint32_t *state) {
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static inline void sim_random_fill(uint8_t *buf, size_t len, uint32_t *state) {
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)sim_random(state);
    }
}

#endif // ALIF_SIM_RANDOM_H
