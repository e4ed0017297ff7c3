// SPDX-License-Identifier: MIT
// The one lazy-setup pattern of the platforms: the SoC's single flash device and single SE
// channel are set up by the first call that needs them, once, and every later call gets the
// first call's result (a failed set-up is not retried: the hardware has not changed).
#ifndef ALIF_LAZY_H
#define ALIF_LAZY_H

#include <stdbool.h>

typedef struct {
    bool done;
    int status;
} alif_lazy_t;

static inline int alif_lazy(alif_lazy_t *lazy, int (*setup)(void)) {
    if (!lazy->done) {
        lazy->status = setup();
        lazy->done = true;
    }
    return lazy->status;
}

#endif // ALIF_LAZY_H
