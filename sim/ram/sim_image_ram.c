// SPDX-License-Identifier: MIT
// sim_image.h over RAM, for targets with no file to map (the M55 test build, tests/m55/): the
// path only names the image in messages, every open starts from an erased part, and nothing
// outlives sim_image_close. The XIP window is the same memory as the part's, read-only by
// contract only: a stray write through it lands instead of faulting as on the host.
// Kept out of sim/*.c, which the host builds glob, so that they keep the mapped file.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alif_errno.h"
#include "sim_image.h"

int sim_image_open(sim_image_t *image, const char *path, size_t size, char *err, size_t err_len) {
    *image = (sim_image_t){0};
    uint8_t *mem = malloc(size);
    if (mem == NULL) {
        snprintf(err, err_len, "no RAM for the %u-byte flash image %s", (unsigned)size, path);
        return -ALIF_ENOMEM;
    }
    // A new part comes erased from the factory.
    memset(mem, 0xff, size);
    *image = (sim_image_t){.rw = mem, .ro = mem, .size = size};
    return 0;
}

void sim_image_close(sim_image_t *image) {
    free(image->rw);
    *image = (sim_image_t){0};
}

// One program, no processes: it owns every image it opens.
int sim_image_claim(sim_image_t *image, char *err, size_t err_len) {
    (void)image;
    (void)err;
    (void)err_len;
    return 0;
}
