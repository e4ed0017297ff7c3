// SPDX-License-Identifier: MIT
// The simulated flash contents: a file mapped twice, read-write for the part model and
// read-only as the XIP window, so that the window is zero-copy, always current, and faults on a
// stray write as the real window would not let it land.
#ifndef ALIF_SIM_IMAGE_H
#define ALIF_SIM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *rw;
    const uint8_t *ro;
    size_t size;
} sim_image_t;

// Opens path (creating missing parent directories and the file); bytes the file did not hold
// yet read as erased flash (0xff). 0, or a negative errno with the reason in err.
int sim_image_open(sim_image_t *image, const char *path, size_t size, char *err, size_t err_len);
void sim_image_close(sim_image_t *image);

#endif // ALIF_SIM_IMAGE_H
